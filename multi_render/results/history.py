# SPDX-License-Identifier: GPL-3.0-or-later
"""The scene's history of runs: each finished run's record, newest first,
at most core.run_record.HISTORY_SIZE of them."""

from __future__ import annotations

import bpy

from ..core.run_record import HISTORY_SIZE, RunRecord
from ..props import scene_shots


def add(scene: bpy.types.Scene, record: RunRecord) -> None:
    history = scene_shots(scene).history
    entry = history.add()
    entry.started, entry.seconds, entry.blender, entry.report = (
        record.started,
        record.seconds,
        record.blender,
        record.report,
    )
    for shot in record.shots:
        item = entry.shots.add()
        item.name, item.status, item.seconds, item.reason = shot.name, shot.status, shot.seconds, shot.reason
        item.files = "\n".join(shot.files)
    history.move(len(history) - 1, 0)
    while len(history) > HISTORY_SIZE:
        history.remove(len(history) - 1)
