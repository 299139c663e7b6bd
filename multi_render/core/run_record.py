# SPDX-License-Identifier: GPL-3.0-or-later
"""What a finished run leaves behind: one record per run (kept as the
scene's history, printed by `render --json`), with each shot's status,
time and files."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .run import QueueRun, ShotRun
from .status import ShotStatus

HISTORY_SIZE = 20  # runs kept in a scene's history, newest first

_WROTE = (ShotStatus.DONE, ShotStatus.SKIPPED)


@dataclass(frozen=True)
class ShotRecord:
    name: str
    status: str
    seconds: float
    files: tuple[str, ...]  # what the shot wrote, its passes and movie too (or found, when skipped); none otherwise
    reason: str = ""
    scene: str = ""


@dataclass(frozen=True)
class RunRecord:
    started: str  # local time, ISO 8601 to the second
    seconds: float
    blender: str  # the Blender version that rendered
    report: str
    shots: tuple[ShotRecord, ...]


def record_of(run: QueueRun, started: str, blender: str, report: str, scene: str | None = None) -> RunRecord:
    """The run's record; with `scene`, only that scene's shots (its history)."""
    shots = tuple(
        ShotRecord(
            shot.name,
            shot.status.value,
            round(shot.seconds, 3),
            _files_of(shot) if shot.status in _WROTE else (),
            shot.reason,
            shot.scene,
        )
        for shot in run.shots
        if scene is None or shot.scene == scene
    )
    return RunRecord(started, round(run.seconds, 3), blender, report, shots)


def _files_of(shot: ShotRun) -> tuple[str, ...]:
    return (*shot.output_paths, *shot.pass_files, *((shot.movie_written,) if shot.movie_written else ()))


def images_of(record: RunRecord) -> list[tuple[str, str]]:
    """(shot name, image) for a contact sheet: each shot that wrote or kept
    its image, in list order; a frame range gives its first frame."""
    return [(shot.name, shot.files[0]) for shot in record.shots if shot.files]


def as_json(record: RunRecord) -> str:
    """One JSON document for pipelines (`render --json`)."""
    document = asdict(record)
    document["format"] = "multi_render.run"
    document["version"] = 1
    return json.dumps(document, indent=2, ensure_ascii=False)
