# SPDX-License-Identifier: GPL-3.0-or-later
"""Everything that must hold before the first render starts. Each problem
names the shot and the field, so a person knows what to fix."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import paths
from .overrides import Names, problems_of
from .shots import ShotSpec


@dataclass(frozen=True)
class Problem:
    shot_index: int | None  # None for problems of the whole list
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SceneShots:
    """One scene's shots, for a queue over several scenes."""

    scene_name: str
    shots: Sequence[ShotSpec]
    names: Names | None = None  # what exists for the scene's overrides, when known


def validate(
    shots: Sequence[ShotSpec],
    scene_name: str,
    folder_problem: Callable[[str], str | None] = paths.folder_problem,
    names: Names | None = None,
) -> list[Problem]:
    """All problems of the enabled shots; an empty list means the queue may
    start. `names`: what exists in the .blend (the overrides' datablocks and
    engines), when known."""
    return validate_scenes([SceneShots(scene_name, shots, names)], folder_problem)


def validate_scenes(
    scenes: Sequence[SceneShots], folder_problem: Callable[[str], str | None] = paths.folder_problem
) -> list[Problem]:
    """`validate` for a queue over several scenes: each scene's shots are
    checked against their own scene, and no two shots of any scenes may
    write the same file."""
    enabled = [shot for scene in scenes for shot in scene.shots if shot.enabled]
    if not enabled:
        return [Problem(None, "enabled", "No enabled shot to render: add a shot or tick one")]
    checked: dict[str, str | None] = {}  # folder -> its problem: one write check a folder
    problems: list[Problem] = []
    for scene in scenes:
        problems.extend(_shot_problems([shot for shot in scene.shots if shot.enabled], scene, folder_problem, checked))
    problems.extend(_shared_outputs([shot for shot in enabled if not (shot.template_error or shot.format_problem)]))
    problems.extend(_node_output_problems(enabled))
    return problems


def _shot_problems(
    enabled: Sequence[ShotSpec],
    scene: SceneShots,
    folder_problem: Callable[[str], str | None],
    checked: dict[str, str | None],
) -> list[Problem]:
    """Each shot's own problems, against its scene."""
    scene_name, names = scene.scene_name, scene.names
    problems: list[Problem] = []
    for shot in enabled:
        problems.extend(_camera_problems(shot, scene_name))
        problems.extend(_override_problems(shot, scene_name, names))
        problems.extend(_property_override_problems(shot))
        if shot.movie_problem:
            problems.append(Problem(shot.index, "make_movie", f"{shot.title}: {shot.movie_problem}"))
        if shot.format_problem:
            problems.append(Problem(shot.index, "file_format", f"{shot.title}: {shot.format_problem}"))
            continue
        if shot.template_error:
            problems.append(Problem(shot.index, "filepath", f"{shot.title}: output path: {shot.template_error}"))
            continue
        if (part := paths.name_too_long(shot.output_path)) is not None:
            length = len(part.encode())
            message = f"{shot.title}: output path: a name is {length} bytes long (at most {paths.MAX_NAME_BYTES})"
            problems.append(Problem(shot.index, "filepath", message))
            continue
        folder = os.path.dirname(shot.output_path)
        if folder not in checked:
            checked[folder] = folder_problem(shot.output_path)
        reason = checked[folder]
        if reason:
            problems.append(Problem(shot.index, "filepath", f"{shot.title}: {reason}"))
    return problems


def _node_output_problems(enabled: Sequence[ShotSpec]) -> list[Problem]:
    """A File Output node's path that cannot be read, and two shots whose
    passes would land in the same folder through the same node."""
    problems = []
    first: dict[tuple[str, str], ShotSpec] = {}
    for shot in enabled:
        for output in shot.node_outputs:
            if output.error:
                message = f"{shot.title}: compositor File Output node '{output.node}': {output.error}"
                problems.append(Problem(shot.index, "compositor", message))
                continue
            key = (output.node, paths.portable_key(output.absolute_folder))
            other = first.setdefault(key, shot)
            if other is not shot:
                problems.append(
                    Problem(
                        shot.index,
                        "compositor",
                        f"{other.title} and {shot.label} would write the same files through compositor "
                        f"File Output node '{output.node}' in '{output.absolute_folder}'",
                    )
                )
    return problems


def _override_problems(shot: ShotSpec, scene_name: str, names: Names | None) -> list[Problem]:
    found = problems_of(shot.overrides, names, scene_name)
    if any(name == "" for name, _hidden in shot.hidden_collections):
        found.append(("collections", "a collection in its visibility list no longer exists"))
    return [Problem(shot.index, field, f"{shot.title}: {message}") for field, message in found]


def _property_override_problems(shot: ShotSpec) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for override in shot.property_overrides:
        field = f"property_overrides[{override.position}]"
        where = f"{shot.title}: property override {override.position + 1} ({override.text.strip()[:120]})"
        if override.problem:
            problems.append(Problem(shot.index, field, f"{where}: {override.problem}"))
        elif override.path in seen:
            first = seen[override.path] + 1
            problems.append(Problem(shot.index, field, f"{where}: the same property as override {first}"))
        else:
            seen[override.path] = override.position
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
    first_path: dict[str, str] = {}
    for shot in enabled:
        movie = (shot.movie.output,) if shot.movie is not None else ()
        for path in dict.fromkeys((*shot.files, *movie)):
            key = paths.portable_key(path)
            by_path.setdefault(key, []).append(shot)
            first_path.setdefault(key, path)
    problems = []
    reported: set[tuple[int, ...]] = set()
    for key, path_shots in by_path.items():
        group = tuple(id(shot) for shot in path_shots)  # not list indexes: those repeat across scenes
        if len(path_shots) > 1 and group not in reported:
            reported.add(group)
            labels = [path_shots[0].title, *(shot.label for shot in path_shots[1:_NAMED_SHOTS])]
            if len(path_shots) > _NAMED_SHOTS:
                labels.append(f"{len(path_shots) - _NAMED_SHOTS} more")
            names = ", ".join(labels[:-1]) + " and " + labels[-1]
            problems.append(
                Problem(
                    path_shots[1].index,
                    "filepath",
                    f"{names} would write the same file '{first_path[key]}'",
                )
            )
    return problems


# A message names this many shots or problems at most: a list of 10,000
# shots must not make a report nobody can read.
_NAMED_SHOTS = 5
_LISTED_PROBLEMS = 10


def long_path_warnings(shots: Sequence[ShotSpec]) -> list[str]:
    """Shots whose files have paths too long for Windows without long paths
    enabled: a warning (the file may be fine here), not a problem."""
    warnings = []
    for shot in shots:
        longest = max((path for path in shot.files if path), key=len, default="")
        if shot.enabled and len(longest) > paths.WINDOWS_MAX_PATH:
            warnings.append(
                f"{shot.title}: the output path is {len(longest)} characters long; Windows without long paths "
                f"enabled takes at most {paths.WINDOWS_MAX_PATH}"
            )
    return warnings


def summary(problems: Sequence[Problem]) -> str:
    """One message for a report: how many problems, then the first ones."""
    head = "Cannot render shots" if len(problems) == 1 else f"Cannot render shots ({len(problems)} problems)"
    text = head + ": " + "; ".join(str(problem) for problem in problems[:_LISTED_PROBLEMS])
    if len(problems) > _LISTED_PROBLEMS:
        text += f"; and {len(problems) - _LISTED_PROBLEMS} more"
    return text
