# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's ticked shots as a farm sees them: a name, and a frame range or
a frame list or
none (every farm engine groups and chunks these the same way: core/farm.py),
checked as a local run checks them before anything is sent."""

from __future__ import annotations

from datetime import datetime

import bpy

from ..core import validation
from ..core.farm import FarmShot
from ..core.shots import ShotSpec
from ..props import scene_shots
from ..shot import scene_reader


def ticked(scene: bpy.types.Scene) -> list[FarmShot]:
    return [
        FarmShot(
            shot.name,
            tuple(scene_reader.shot_frames(shot)) if shot.use_frame_range else None,
            movie=bool(shot.use_frame_range and shot.make_movie),
        )
        for shot in scene_shots(scene).shots
        if shot.enabled
    ]


def checked(scene: bpy.types.Scene, now: datetime) -> list[ShotSpec]:
    """Every shot as it would render at `now`; ValueError with the local
    run's messages (each naming the shot and the field) when any is wrong."""
    specs = scene_reader.read_shots(scene, now)
    if problems := validation.validate(specs, scene.name, names=scene_reader.names_in(scene)):
        raise ValueError("; ".join(str(problem) for problem in problems))
    return specs
