# SPDX-License-Identifier: GPL-3.0-or-later
"""Everything that must hold before the first render starts. Each problem
names the shot and the field, so a person knows what to fix."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import paths
from .shots import ShotSpec


@dataclass(frozen=True)
class Problem:
    shot_index: int | None  # None for problems of the whole list
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def validate(
    shots: Sequence[ShotSpec],
    scene_name: str,
    folder_problem: Callable[[str], str | None] = paths.folder_problem,
) -> list[Problem]:
    """All problems of the enabled shots; an empty list means the queue may start."""
    enabled = [shot for shot in shots if shot.enabled]
    if not enabled:
        return [Problem(None, "enabled", "No enabled shot to render: add a shot or tick one")]

    problems: list[Problem] = []
    for shot in enabled:
        problems.extend(_camera_problems(shot, scene_name))
        reason = folder_problem(shot.output_path)
        if reason:
            problems.append(Problem(shot.index, "filepath", f"{shot.title}: {reason}"))
    problems.extend(_shared_outputs(enabled))
    return problems


def _camera_problems(shot: ShotSpec, scene_name: str) -> list[Problem]:
    label = shot.title
    if not shot.camera:
        return [Problem(shot.index, "camera", f"{label} has no camera")]
    if not shot.camera_is_camera:
        return [Problem(shot.index, "camera", f"{label}: '{shot.camera}' is not a camera")]
    if not shot.camera_in_scene:
        return [
            Problem(
                shot.index,
                "camera",
                f"{label}: camera '{shot.camera}' is not in scene '{scene_name}' (deleted?)",
            )
        ]
    return []


def _shared_outputs(enabled: Sequence[ShotSpec]) -> list[Problem]:
    by_path: dict[str, list[ShotSpec]] = {}
    for shot in enabled:
        key = os.path.normcase(os.path.normpath(shot.output_path))
        by_path.setdefault(key, []).append(shot)
    problems = []
    for path_shots in by_path.values():
        if len(path_shots) > 1:
            names = " and ".join([path_shots[0].title, *(shot.label for shot in path_shots[1:])])
            problems.append(
                Problem(
                    path_shots[1].index,
                    "filepath",
                    f"{names} would write the same file '{path_shots[0].output_path}'",
                )
            )
    return problems


def summary(problems: Sequence[Problem]) -> str:
    """One message for a report: how many problems, then each one."""
    head = "Cannot render shots" if len(problems) == 1 else f"Cannot render shots ({len(problems)} problems)"
    return head + ": " + "; ".join(str(problem) for problem in problems)
