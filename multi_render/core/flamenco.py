# SPDX-License-Identifier: GPL-3.0-or-later
"""Flamenco jobs (Blender Studio's render farm) of a shot queue: the job a
Manager is sent for the add-on's own job type (farm/multi_render.js), its
version check, and what a followed job's tasks say about each shot. Plain
data: the HTTP calls are farm/flamenco.py's."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .farm import BundleOptions, FarmTask
from .status import ShotStatus

JOB_TYPE = "multi-render"  # the Manager names it after the file: multi_render.js
JOB_TYPE_FILE = "multi_render.js"
# Kept in step with the `job_type_version` default in multi_render.js.
JOB_TYPE_VERSION = 2
# Flamenco's job statuses that end a job; anything else may still change.
ENDED = ("completed", "failed", "canceled")


@dataclass(frozen=True)
class JobSettings:
    blend_path: str  # the copy the Workers open, on shared storage
    as_file: str  # the person's .blend: "//" and {blend_dir} mean its folder
    scene: str
    name: str
    priority: int = 50
    type_etag: str = ""  # the Manager's job type as checked; "" skips the staleness check
    platform: str = "linux"  # the submitter's, as Flamenco names it (platform_name)


def job(settings: JobSettings, planned: Sequence[FarmTask], options: BundleOptions) -> dict[str, Any]:
    """The job body for POST /api/v3/jobs (and /jobs/check) of the tasks
    farm_tasks() planned. ValueError when there are none."""
    if not planned:
        raise ValueError("no ticked shot to send to the farm")
    tasks = [[task.shots, task.frames, *(["after"] if task.after else [])] for task in planned]
    body: dict[str, Any] = {
        "name": settings.name,
        "type": JOB_TYPE,
        "priority": settings.priority,
        "submitter_platform": settings.platform,
        "settings": {
            "job_type_version": JOB_TYPE_VERSION,
            "blendfile": settings.blend_path,
            "as_file": settings.as_file,
            "scene": settings.scene,
            "started": options.started,
            "skip_existing": options.skip_existing,
            "tasks": json.dumps(tasks),
        },
        "metadata": {"multi_render.shots": str(len({name for task in planned for name in task.names}))},
    }
    if settings.type_etag:
        body["type_etag"] = settings.type_etag
    return body


def platform_name(sys_platform: str) -> str:
    """Flamenco's name for a platform (its variables are per platform)."""
    if sys_platform.startswith("win"):
        return "windows"
    return "darwin" if sys_platform == "darwin" else "linux"


def job_type_version(job_type: Mapping[str, Any]) -> int | None:
    """The version a Manager's multi-render job type carries (the default of
    its hidden `job_type_version` setting); None when it has none."""
    for setting in job_type.get("settings", []):
        if setting.get("key") == "job_type_version":
            default = setting.get("default")
            return default if isinstance(default, int) else None
    return None


def job_type_problem(job_type: Mapping[str, Any] | None) -> str:
    """Why the Manager's job type cannot take this add-on's jobs; "" if it can."""
    where = f"save {JOB_TYPE_FILE} from Multi Render's preferences and put it in your Manager's scripts folder"
    if job_type is None:
        return f"the Flamenco Manager has no '{JOB_TYPE}' job type: {where}"
    version = job_type_version(job_type)
    if version != JOB_TYPE_VERSION:
        return (
            f"the Flamenco Manager's '{JOB_TYPE}' job type is version {version}, this add-on sends version "
            f"{JOB_TYPE_VERSION}: {where}"
        )
    return ""


@dataclass(frozen=True)
class TaskState:
    task_id: str
    name: str
    status: str  # Flamenco's task status: queued, active, completed, failed, canceled, ...
    reason: str = ""  # a failed task's activity (Flamenco's last word on it)


def failed_tasks(tasks: Sequence[Mapping[str, Any]]) -> list[TaskState]:
    """The tasks of a job that did not complete, with Flamenco's reason."""
    return [
        TaskState(
            str(task.get("id", "")),
            str(task.get("name", "")),
            str(task.get("status", "")),
            str(task.get("activity", "")),
        )
        for task in tasks
        if task.get("status") != "completed"
    ]


# A shot's line in a task log: the Worker prefixes each line of the command's
# output with "pid=N > "; the command line prints "STATUS    name  reason  s".
_SHOT_LINE = re.compile(r"(?:^|> )(FAILED|CANCELLED) +(.+?) +\d+\.\d\d s$")
# The checks before anything renders (validation.summary), e.g. a folder the
# Worker cannot create: "multi_render: Cannot render shots: Shot 1 'A': ...".
_CHECK_LINE = re.compile(r"(?:^|> )multi_render: Cannot render shots(?: \(\d+ problems\))?: (.+)$")


def shot_failures(log_tail: str) -> list[str]:
    """The failed and cancelled shots a task's log names ("name: reason"),
    or the checks that stopped the task before it rendered."""
    found = []
    for line in log_tail.splitlines():
        if match := _SHOT_LINE.search(line):
            name, _, reason = match.group(2).partition("  ")
            found.append(f"{name}: {reason}" if reason else name)
        elif match := _CHECK_LINE.search(line):
            found.append(match.group(1))
    return found


def job_line(job: Mapping[str, Any]) -> str:
    """A job's state in a few words: "active, 3/7 steps: Rendering ..."."""
    line = f"{job.get('status', '')}, {job.get('steps_completed', 0)}/{job.get('steps_total', 0)} steps"
    activity = str(job.get("activity", "")).strip()
    return f"{line}: {activity}" if activity else line


def shot_statuses(planned: Sequence[FarmTask], tasks: Sequence[Mapping[str, Any]]) -> dict[str, ShotStatus]:
    """Each shot's status from its tasks' (a shot may be in several chunks,
    a task may render several shots): a failed or cancelled task makes it
    so, all completed is DONE, any begun RENDERING. `planned` is the job's
    task list as submitted; the Manager's tasks are matched to it by their
    place in the job."""
    ordered = sorted(tasks, key=_place_in_job)
    statuses: dict[str, list[str]] = {}
    for plan, task in zip(planned, ordered, strict=False):
        for name in plan.names:
            statuses.setdefault(name, []).append(str(task.get("status", "")))
    return {name: _shot_status(each) for name, each in statuses.items()}


def _place_in_job(task: Mapping[str, Any]) -> int:
    place = task.get("index_in_job")
    return place if isinstance(place, int) else 0


def _shot_status(task_statuses: list[str]) -> ShotStatus:
    if "failed" in task_statuses:
        return ShotStatus.FAILED
    if "canceled" in task_statuses:
        return ShotStatus.CANCELLED
    if all(status == "completed" for status in task_statuses):
        return ShotStatus.DONE
    if any(status in ("active", "completed") for status in task_statuses):
        return ShotStatus.RENDERING
    return ShotStatus.PENDING  # queued, soft-failed (to be tried again), paused
