# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's ticked shots as a farm sees them: a name, and a frame range or
none (every farm engine groups and chunks these the same way: core/farm.py)."""

from __future__ import annotations

import bpy

from ..core.farm import FarmShot
from ..core.shots import FrameRange
from ..props import scene_shots


def ticked(scene: bpy.types.Scene) -> list[FarmShot]:
    return [
        FarmShot(
            shot.name, FrameRange(shot.frame_start, shot.frame_end, shot.frame_step) if shot.use_frame_range else None
        )
        for shot in scene_shots(scene).shots
        if shot.enabled
    ]
