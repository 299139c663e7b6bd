# SPDX-License-Identifier: GPL-3.0-or-later
"""The task list: a farm job's tasks as one JSON file, for any scheduler that
starts the same command many times with an index (Slurm job arrays,
HTCondor's $(Process), Kubernetes indexed jobs, cloud batch arrays). Task N
runs

    blender -b -c multi_render render FILE --task-file tasks.json --task N

and renders the shots (and, for a chunk of a range shot, the frames) the
list gives it. The format, version 1:

    {"format": "multi_render.tasks", "version": 1,
     "scene": "Scene",                    # the scene whose shots these are
     "started": "2026-11-29T10:00:00",    # what {date} and {time} stand for, in every task
     "skip_existing": false,              # render only what is missing (a job sent again)
     "tasks": [{"shots": ["Front", "Side"]},
               {"shots": ["Spin"], "frames": "1-24"}]}   # START-END[:STEP]

Read as data only: a wrong file gets a message, never runs anything."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .farm import BundleOptions, FarmShot, farm_tasks, parse_frames

FORMAT = "multi_render.tasks"
VERSION = 1


@dataclass(frozen=True)
class ListedTask:
    """One task of the list, with what every task shares."""

    scene: str
    started: str
    skip_existing: bool
    shots: tuple[str, ...]
    frames: str = ""  # "" for whole shots


def task_list(scene: str, shots: Sequence[FarmShot], options: BundleOptions) -> dict[str, Any]:
    """The list's document for these shots, grouped and chunked as every farm
    engine does (core/farm.py). ValueError for shots no farm can run."""
    if not shots:
        raise ValueError("no ticked shot to send to the farm")
    tasks: list[dict[str, Any]] = []
    for task in farm_tasks(shots, options):
        if task.after:
            continue  # an array's tasks run side by side: the final job makes the movies
        entry: dict[str, Any] = {"shots": task.names}
        if task.frames:
            entry["frames"] = task.frames
        tasks.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "scene": scene,
        "started": options.started,
        "skip_existing": options.skip_existing,
        "tasks": tasks,
    }


def read_tasks(text: str) -> list[ListedTask]:
    """Every task of a task list's text; ValueError saying what is wrong."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ValueError(f"not a task list (not JSON: {error})") from None
    except RecursionError:
        raise ValueError("not a task list (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'not a task list (its "format" is not "{FORMAT}")')
    if document.get("version") != VERSION:
        raise ValueError(f"task list version {document.get('version')!r}; this add-on reads version {VERSION}")
    tasks = document.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValueError("the task list has no tasks")
    scene, started, skip = document.get("scene", ""), document.get("started", ""), document.get("skip_existing", False)
    if not isinstance(scene, str) or not isinstance(started, str) or not isinstance(skip, bool):
        raise ValueError('"scene" and "started" must be texts and "skip_existing" true or false')
    return [_task(entry, index, scene, started, skip) for index, entry in enumerate(tasks)]


def task_at(tasks: Sequence[ListedTask], index: int) -> ListedTask:
    """Entry `index` (an array task's index); ValueError when there is none."""
    if not 0 <= index < len(tasks):
        raise ValueError(f"no task {index}: the list has {len(tasks)} (0 to {len(tasks) - 1})")
    return tasks[index]


def _task(entry: Any, index: int, scene: str, started: str, skip: bool) -> ListedTask:
    where = f"task {index}"
    if not isinstance(entry, dict):
        raise ValueError(f'{where}: must be an object with "shots"')
    shots = entry.get("shots")
    if not isinstance(shots, list) or not shots or not all(isinstance(name, str) for name in shots):
        raise ValueError(f'{where}: "shots" must be a list of shot names')
    frames = entry.get("frames", "")
    if not isinstance(frames, str):
        raise ValueError(f'{where}: "frames" must be a text such as "1-24"')
    if frames:
        try:
            parse_frames(frames)
        except ValueError as error:
            raise ValueError(f"{where}: frames {frames[:60]!r}: {error}") from None
    return ListedTask(scene, started, skip, tuple(shots), frames)
