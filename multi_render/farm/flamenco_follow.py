# SPDX-License-Identifier: GPL-3.0-or-later
"""Following a submitted Flamenco job from Blender without blocking it: a
thread asks the Manager about the job every few seconds (and sends a cancel
when the person stops it); a timer on Blender's main thread puts what it
learnt on the shot list (each shot's status) and in the panel. One job is
followed at a time; loading another file or disabling the add-on stops
following (the job goes on on the farm)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import bpy

from ..core import flamenco as flamenco_core
from ..core.farm import FarmTask
from ..core.logs import logger
from ..props import runtime_state, scene_shots
from ..run import progress
from . import flamenco

log = logger(__name__)

POLL_SECONDS = 2.0  # how often the Manager is asked
SHOW_SECONDS = 0.5  # how often Blender's main thread looks at the answers


class JobFollower:
    def __init__(self, manager: flamenco.Manager, job: flamenco.Submitted, scene: bpy.types.Scene) -> None:
        self.manager = manager
        self.job = job
        self.scene_uid = scene.session_uid  # the scene, even renamed
        self._lock = threading.Lock()
        self._latest: flamenco.JobState | None = None
        self._problem = ""  # the last failed call, shown until one succeeds
        self._fresh = False
        self._wake = threading.Event()
        self._cancel_asked = False
        self._quit = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="multi_render-flamenco", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def request_cancel(self) -> None:
        with self._lock:
            self._cancel_asked = True
        self._wake.set()

    def quit(self) -> None:
        """Stop asking (the job goes on). Not waited for: the thread never
        touches Blender's data and ends after its current call."""
        self._quit.set()
        self._wake.set()

    def take(self) -> tuple[flamenco.JobState | None, str] | None:
        """What the thread learnt since the last call (state, problem), or None."""
        with self._lock:
            if not self._fresh:
                return None
            self._fresh = False
            return self._latest, self._problem

    def _poll(self) -> None:  # the thread
        cancel_answered = False
        while not self._quit.is_set():
            problem = ""
            with self._lock:
                send_cancel = self._cancel_asked and not cancel_answered
            if send_cancel:
                try:
                    flamenco.cancel(self.manager, self.job.job_id)
                    cancel_answered = True
                except flamenco.FlamencoRefusedError as refusal:  # answered: asking again would not help
                    cancel_answered, problem = True, str(refusal)
                except flamenco.FlamencoError as error:  # not reached: ask again next time
                    problem = str(error)
            try:
                state: flamenco.JobState | None = flamenco.job_state(self.manager, self.job.job_id)
            except flamenco.FlamencoError as error:
                state, problem = None, str(error)
            except Exception as error:  # an answer this add-on cannot read: say so, keep asking
                log.exception("reading the Flamenco job's state")
                state, problem = None, f"unreadable answer from the Manager ({error})"
            with self._lock:
                self._latest = state or self._latest
                self._problem = problem
                self._fresh = True
            if state is not None and state.ended:
                return
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()


_following: JobFollower | None = None


def following() -> JobFollower | None:
    return _following


def start(manager: flamenco.Manager, job: flamenco.Submitted, scene: bpy.types.Scene) -> None:
    """Follow a job just submitted from `scene`: its ticked shots show PENDING
    until their tasks move."""
    global _following
    stop()
    for name in _shot_names(job.planned):
        for item in scene_shots(scene).shots:
            if item.name == name:
                item.status, item.output = "PENDING", ""
    _following = JobFollower(manager, job, scene)
    _following.start()
    runtime = runtime_state()
    runtime.farm_job = job.job_id
    runtime.farm_name = job.name
    runtime.farm_text = f"submitted ({job.tasks} tasks)"
    bpy.app.timers.register(_show, first_interval=SHOW_SECONDS)
    progress.redraw()


def stop() -> None:
    """Stop following (file load, disable, a new job): no thread, no timer."""
    global _following
    if bpy.app.timers.is_registered(_show):
        bpy.app.timers.unregister(_show)
    if _following is not None:
        _following.quit()
        _following = None
    runtime = getattr(bpy.context.window_manager, "multi_render", None) if bpy.context.window_manager else None
    if runtime is not None and runtime.farm_job:
        runtime.farm_job = ""
        runtime.farm_text = ""


def _show() -> float | None:
    """Blender's main thread: the latest answer on the list and the panel. A
    failure here ends following with a report, never a list stuck waiting."""
    follower = _following
    if follower is None:
        return None
    try:
        return _show_news(follower)
    except Exception as error:
        log.exception("showing the Flamenco job's state")
        _end_following(f"Flamenco job '{follower.job.name}': no longer followed ({error})")
        return None


def _show_news(follower: JobFollower) -> float | None:
    news = follower.take()
    if news is None:
        if not follower.alive:  # ended without a last word (cannot happen but must not hang the list)
            _end_following(f"Flamenco job '{follower.job.name}': no longer followed")
            return None
        return SHOW_SECONDS
    state, problem = news
    runtime = runtime_state()
    name = follower.job.name
    if state is not None:
        _show_statuses(follower, state)
        runtime.farm_text = state.line
    if problem:
        runtime.farm_text = f"{problem} (asking again)"
    progress.redraw()
    if state is None or not state.ended:
        return SHOW_SECONDS
    reasons = "; ".join(task.reason for task in state.failed if task.status == "failed")
    _end_following(f"Flamenco job '{name}' {state.status}" + (f": {reasons}" if reasons else ""))
    return None


def _end_following(report: str) -> None:
    global _following
    _following = None
    runtime = runtime_state()
    runtime.last_report = report
    runtime.farm_job = ""
    runtime.farm_text = ""
    log.info("%s", report)
    progress.redraw()


def _show_statuses(follower: JobFollower, state: flamenco.JobState) -> None:
    scene = next((each for each in bpy.data.scenes if each.session_uid == follower.scene_uid), None)
    if scene is None:
        return
    statuses = flamenco_core.shot_statuses(follower.job.planned, state.tasks)
    for item in scene_shots(scene).shots:
        status = statuses.get(item.name)
        if status is not None and item.status != status.value:
            item.status = status.value


def _shot_names(planned: Sequence[FarmTask]) -> set[str]:
    return {name for task in planned for name in task.names}


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def stop_following_flamenco(*_args: object) -> None:
    stop()  # the job's shots belong to the file being closed


def register() -> None:
    if stop_following_flamenco not in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.append(stop_following_flamenco)


def unregister() -> None:
    stop()
    while stop_following_flamenco in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.remove(stop_following_flamenco)
