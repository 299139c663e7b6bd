# SPDX-License-Identifier: GPL-3.0-or-later
"""Sending a scene's shots to a Flamenco Manager and following the job:
checked first as a local run is, and against the Manager (its multi-render
job type and version, its shared storage), then a copy of the file is put on
shared storage for the Workers and the job submitted. HTTP with the
standard library only (Flamenco's REST API, /api/v3)."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any

import bpy

from ..core import flamenco
from ..core.farm import BundleOptions, FarmTask, farm_tasks
from ..core.logs import logger
from . import job_files
from . import shots as farm_shots

log = logger(__name__)

# Seconds an HTTP call may take before the Manager counts as unreachable.
TIMEOUT_SECONDS = 10.0
JOB_TYPE_PATH = os.path.join(os.path.dirname(__file__), flamenco.JOB_TYPE_FILE)


class FlamencoError(Exception):
    """The Manager cannot take the job, or answered with an error: the
    message says which and what to do."""


class FlamencoRefusedError(FlamencoError):
    """The Manager answered, and said no."""


def save_job_type(folder: str) -> str:
    """Save the job type file into `folder` (a Manager's scripts folder); its path."""
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, flamenco.JOB_TYPE_FILE)
    shutil.copyfile(JOB_TYPE_PATH, target)
    return target


class Manager:
    def __init__(self, url: str) -> None:
        _check_online_access()
        if not url.startswith(("http://", "https://")):
            raise FlamencoError(f"the Flamenco Manager's URL must start with http:// or https:// (got {url!r})")
        self.url = url.rstrip("/")

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(HTTP status, parsed JSON or text or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                return answer.status, _parsed(answer.read(), answer.headers.get_content_type())
        except urllib.error.HTTPError as error:
            return error.code, _parsed(error.read(), error.headers.get_content_type())
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise FlamencoError(f"cannot reach the Flamenco Manager at {self.url}: {reason}") from None

    def get(self, path: str) -> dict[str, Any]:
        """A JSON object the Manager answers with; FlamencoError otherwise."""
        status, answer = self.call("GET", path)
        if status != 200 or not isinstance(answer, dict):
            raise FlamencoError(f"the Flamenco Manager answered {status} to GET {path}: {_message(answer)}")
        return answer


def _check_online_access() -> None:
    """Blender's rule for extensions: no network unless Allow Online Access is on."""
    if bpy.app.online_access:
        return
    if bpy.app.online_access_override:
        raise FlamencoError("this Blender was started with --offline-mode: nothing was sent to the Flamenco Manager")
    raise FlamencoError(
        "Blender's online access is off (Preferences > System > Network > Allow Online Access; on the command "
        "line, blender --online-mode): nothing was sent to the Flamenco Manager"
    )


def _parsed(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if content_type == "application/json":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _message(answer: Any) -> str:
    if isinstance(answer, dict) and "message" in answer:
        return str(answer["message"])
    return str(answer)[:300]


@dataclasses.dataclass(frozen=True)
class Submitted:
    job_id: str
    name: str
    blend_path: str  # the copy the Workers render
    planned: tuple[FarmTask, ...]  # the job's tasks, in order

    @property
    def tasks(self) -> int:
        return len(self.planned)


def submit(
    scene: bpy.types.Scene,
    manager: Manager,
    options: BundleOptions,
    *,
    name: str = "",
    priority: int = 50,
) -> Submitted:
    """Check the shots and the Manager, put the file on shared storage and
    submit the job. FlamencoError (and nothing sent) when anything is wrong."""
    now = datetime.now()
    options = BundleOptions(
        options.shots_per_task, options.frames_per_task, options.skip_existing, now.isoformat(timespec="seconds")
    )
    try:
        specs = farm_shots.checked(scene, now)
    except ValueError as error:
        raise FlamencoError(str(error)) from None
    job_type = _job_type(manager)
    if problem := flamenco.job_type_problem(job_type):
        raise FlamencoError(problem)
    platform = flamenco.platform_name(sys.platform)
    storage = _shared_storage(manager, platform)
    for spec in specs:
        if spec.enabled:
            for path in [*spec.files, *(node.absolute_folder for node in spec.node_outputs)]:
                if path and not job_files.inside(path, storage):
                    where = f"Shot {spec.index + 1} '{spec.name}'"
                    raise FlamencoError(
                        f"{where} writes '{path}', outside the Flamenco Manager's shared storage '{storage}': "
                        "the Workers could not write it there"
                    )
    shots = farm_shots.ticked(scene)
    person = bpy.data.filepath
    stem = os.path.splitext(os.path.basename(person))[0] or "untitled"
    settings = flamenco.JobSettings(
        blend_path="",
        as_file=person,
        scene=scene.name,
        name=name or f"{stem} shots",
        priority=priority,
        type_etag=str(job_type.get("etag", "")) if job_type else "",
        platform=platform,
    )
    planned = tuple(farm_tasks(shots, options))  # ValueError before any file is written
    body = flamenco.job(settings, planned, options)
    blend, files = _blend_for_workers(storage, stem, now)
    body["settings"]["blendfile"] = blend
    status, answer = manager.call("POST", "/api/v3/jobs/check", body)
    if status != 204:
        raise FlamencoError(f"the Flamenco Manager refused the job ({status}): {_message(answer)}")
    if files is not None:  # only once the Manager said yes: a refused job leaves nothing behind
        files.copy()
        os.makedirs(os.path.dirname(blend), exist_ok=True)
        bpy.ops.wm.save_as_mainfile(
            filepath=blend, copy=True, check_existing=False, compress=False, relative_remap=files.relative_remap
        )
    status, answer = manager.call("POST", "/api/v3/jobs", body)
    if status != 200 or not isinstance(answer, dict):
        raise FlamencoError(f"the Flamenco Manager did not take the job ({status}): {_message(answer)}")
    log.info("submitted job %s (%d tasks) rendering %s", answer["id"], len(planned), blend)
    return Submitted(str(answer["id"]), settings.name, blend, planned)


def _job_type(manager: Manager) -> dict[str, Any] | None:
    status, answer = manager.call("GET", f"/api/v3/jobs/type/{flamenco.JOB_TYPE}")
    if status == 404:
        return None
    if status != 200 or not isinstance(answer, dict):
        raise FlamencoError(f"the Flamenco Manager answered {status} about its job types: {_message(answer)}")
    return answer


def _shared_storage(manager: Manager, platform: str) -> str:
    """Where this computer sees the Manager's shared storage (Flamenco's
    two-way variables adjust its path for users on each platform)."""
    location = manager.get(f"/api/v3/configuration/shared-storage/users/{platform}").get("location", "")
    if not location:
        raise FlamencoError("the Flamenco Manager has no shared storage location set")
    if not os.path.isdir(location):
        raise FlamencoError(
            f"the Flamenco Manager's shared storage '{location}' is not a folder this computer can reach: "
            "mount it here (or set the Manager's two-way variables for this platform)"
        )
    return str(location)


def _blend_for_workers(storage: str, stem: str, now: datetime) -> tuple[str, job_files.JobFiles | None]:
    """The file the Workers open, and what must be written for it first: the
    saved .blend itself when it lives on shared storage with nothing unsaved
    and uses nothing from elsewhere; else a copy (unsaved changes included)
    in a job folder there, with what it uses (job_files.py)."""
    folder = os.path.join(storage, "multi-render", f"{stem}-{now:%Y%m%d-%H%M%S}")
    number = 1
    while os.path.exists(folder):  # another job of this file, the same second
        number += 1
        folder = os.path.join(storage, "multi-render", f"{stem}-{now:%Y%m%d-%H%M%S}-{number}")
    try:
        files = job_files.plan(storage, folder, stem)
    except job_files.JobFilesError as error:
        raise FlamencoError(str(error)) from None
    person = bpy.data.filepath
    if person and not bpy.data.is_dirty and job_files.inside(person, storage) and not files.copies:
        return person, None
    return files.blend, files


@dataclasses.dataclass(frozen=True)
class JobState:
    status: str  # Flamenco's job status
    line: str  # the status in a few words (flamenco.job_line)
    tasks: list[dict[str, Any]]  # the Manager's task summaries
    failed: list[flamenco.TaskState]  # once the job ended: its tasks that did not complete, with their reasons

    @property
    def ended(self) -> bool:
        return self.status in flamenco.ENDED


def job_state(manager: Manager, job_id: str) -> JobState:
    """The job and its tasks now; an ended job's failed tasks carry the
    render's own reasons, from the last lines of their logs."""
    job = manager.get(f"/api/v3/jobs/{job_id}")
    listed = manager.get(f"/api/v3/jobs/{job_id}/tasks").get("tasks") or []
    tasks = [task for task in listed if isinstance(task, dict)]
    status = str(job.get("status", ""))
    failed = []
    if status in flamenco.ENDED:
        for task in flamenco.failed_tasks(tasks):
            if task.status != "failed":  # only a failed task's log has a reason (a cancelled job may have hundreds)
                failed.append(task)
                continue
            _answered, tail = manager.call("GET", f"/api/v3/tasks/{task.task_id}/logtail")
            reason = "; ".join(flamenco.shot_failures(str(tail or ""))[-3:]) or task.reason
            failed.append(dataclasses.replace(task, reason=reason))
    return JobState(status, flamenco.job_line(job), tasks, failed)


def cancel(manager: Manager, job_id: str) -> None:
    """Ask the Manager to cancel the job (its Workers stop their tasks)."""
    body = {"status": "cancel-requested", "reason": "Stopped in Blender (Multi Render)"}
    status, answer = manager.call("POST", f"/api/v3/jobs/{job_id}/setstatus", body)
    if status != 204:
        raise FlamencoRefusedError(f"the Flamenco Manager did not cancel job {job_id} ({status}): {_message(answer)}")


def follow(manager: Manager, job_id: str, on_change: Callable[[str], None], poll_seconds: float = 2.0) -> JobState:
    """Wait until the job ends, telling `on_change` each new status line."""
    said = ""
    while True:
        state = job_state(manager, job_id)
        if state.line != said:
            on_change(state.line)
            said = state.line
        if state.ended:
            return state
        time.sleep(poll_seconds)
