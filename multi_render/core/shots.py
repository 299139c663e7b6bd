# SPDX-License-Identifier: GPL-3.0-or-later
"""The facts about one shot that the queue needs, read from Blender by the
bridge (scene_reader.py) so that validation and sequencing stay bpy-free."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .movie import EncodeJob

# Blender's last frame (MAXFRAME).
MAX_FRAME = 1048574


@dataclass(frozen=True)
class FrameRange:
    start: int
    end: int
    step: int = 1

    @property
    def frames(self) -> list[int]:
        return list(range(self.start, self.end + 1, self.step)) if self.step > 0 else []


@dataclass(frozen=True)
class PropertyOverride:
    """One "any property" override of a shot, as checked on the Blender side."""

    position: int  # in the shot's list of property overrides, from 0
    path: str  # the canonical data path ("" when it cannot be parsed)
    text: str  # the path as the person wrote it
    problem: str = ""  # why it cannot be applied, if it cannot


@dataclass(frozen=True)
class NodeOutput:
    """Where one compositor File Output node writes while a shot renders."""

    node: str  # the node, as "Tree > Node" (also what tells nodes apart)
    folder: str  # what the node's folder setting gets ("" when `error`)
    absolute_folder: str = ""  # the folder resolved, to compare shots
    error: str = ""  # why the node's path cannot be read, if it cannot


@dataclass(frozen=True)
class ShotSpec:
    index: int  # position in the shot list, from 0
    name: str
    enabled: bool
    camera: str  # the camera object's name, "" when the shot has none
    camera_in_scene: bool  # the object itself (not one of its name) is in the scene being rendered
    camera_is_camera: bool  # the object's type is CAMERA
    output_path: str  # absolute path of the (first) file the render will write
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # core.overrides: ticked ones
    hidden_collections: tuple[tuple[str, bool], ...] = ()  # (name, hidden); "" = deleted
    output_paths: tuple[str, ...] = ()  # every file, for a frame range; else (output_path,)
    template_error: str = ""  # why the output template cannot be read, if it cannot
    format_problem: str = ""  # why the file format cannot write this shot, if it cannot
    frames_are_files: bool = False  # a range of images (each written frame whole); not a still's views, a movie
    property_overrides: tuple[PropertyOverride, ...] = ()  # the enabled ones
    node_outputs: tuple[NodeOutput, ...] = ()  # compositor File Output nodes that write
    in_scene: str = ""  # the scene messages name, when a queue spans several scenes
    segment_files: tuple[tuple[str, ...], ...] = ()  # a frame list's files per render (ShotFiles)
    movie: EncodeJob | None = None  # the movie made of a range's frames, when the shot asks for one
    movie_problem: str = ""  # why that movie cannot be made, if it cannot

    @property
    def files(self) -> tuple[str, ...]:
        return self.output_paths or (self.output_path,)

    @property
    def label(self) -> str:
        """How messages name a shot: its position (from 1) and its name."""
        return f"shot {self.index + 1} '{self.name}'" + (f" of scene '{self.in_scene}'" if self.in_scene else "")

    @property
    def title(self) -> str:
        """The label at the start of a sentence."""
        return self.label[0].upper() + self.label[1:]
