# SPDX-License-Identifier: GPL-3.0-or-later
"""The facts about one shot that the queue needs, read from Blender by the
bridge (scene_state) so that validation and sequencing stay bpy-free."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShotSpec:
    index: int  # position in the shot list, from 0
    name: str
    enabled: bool
    camera: str  # the camera object's name, "" when the shot has none
    camera_in_scene: bool  # the object is linked to the scene being rendered
    camera_is_camera: bool  # the object's type is CAMERA
    output_path: str  # absolute path of the file the render will write

    @property
    def label(self) -> str:
        """How messages name a shot: its position (from 1) and its name."""
        return f"shot {self.index + 1} '{self.name}'"

    @property
    def title(self) -> str:
        """The label at the start of a sentence."""
        return f"Shot {self.index + 1} '{self.name}'"
