# SPDX-License-Identifier: GPL-3.0-or-later
"""One queue run on the Blender side, its life cycle: checked (preparing.py),
begun, ticked (render events in, the next action out of core/run.py), each
shot set up and settled (shot_stage.py, output_keeping.py) and ended: the
person's state given back, the record kept (ending.py), the report. The
modal operator (UI) and the blocking loop (blocking.py) share this code;
background.py's subclass follows a separate process instead."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime

import bpy

from ..core import report, validation
from ..core.logs import logger
from ..core.run import Action, ShotRun
from ..core.run_record import RunRecord
from ..core.status import ShotStatus
from ..guards.layout import LayoutGuard
from ..guards.popups import PopupGuard
from ..props import runtime_state
from ..results.movies import MovieEncodes
from . import autosave, deferred, ending, output_keeping, progress, queue_keeping, render_events
from .deferred import LayoutEnd
from .handle import QueueHandle
from .preparing import PreparedRun, prepare_run
from .shot_stage import ShotStage

log = logger(__name__)

# The queue running in this Blender session, if any. Cleared on every exit
# path, so it never survives a file load or the add-on being disabled.
_active: QueueSession | None = None


def active() -> QueueSession | None:
    return _active


def abort_active(reason: str, layout: LayoutEnd = "later") -> None:
    """End a running queue at once (file load, add-on disabled)."""
    if _active is not None:
        _active.abort(reason, layout)


def render_job_running() -> bool:
    """Whether Blender has a render job. It outlives the render handlers by up
    to 0.2 s, and INVOKE refuses to start a render while it exists."""
    return bool(bpy.app.is_job_running("RENDER"))  # type: ignore[func-returns-value]


class QueueSession(QueueHandle):
    # The shots render in this Blender (background.py's subclass follows a
    # separate process instead and never touches the scene).
    renders_here = True

    def __init__(self, prepared: PreparedRun) -> None:
        super().__init__(prepared.run)
        self.scene_name = prepared.scene_name
        self.now = prepared.now
        self.contact_sheet = prepared.contact_sheet
        self.warnings = prepared.warnings  # said, not refused
        self.stage = ShotStage()
        self.movies = MovieEncodes()
        self.makes_movies = True  # not in the process a Blender follows, nor for a farm task's chunk
        self.progress = progress.ProgressText(prepared.run, prepared.earlier_seconds)
        self.layout: LayoutGuard | None = None  # only with a window manager to guard
        self.popups: PopupGuard | None = None  # likewise
        self._autosave: autosave.BetweenShots | None = None  # likewise
        self._keeper: queue_keeping.QueueKeeper | None = None  # likewise: the queue kept for a resume
        # Blender itself ended the queue (quit, its window closed): its file
        # stays, and the next Blender offers to finish it.
        self.keeps_queue_file = False
        # The left-behind queue this run resumes, when its own is not kept:
        # held until this run ends, then removed unless Blender ended it.
        self.resumes = ""
        self.report_text = ""
        self.contact_sheet_note = ""  # what the report says of the contact sheet
        self.record: RunRecord | None = None  # the finished run (history, --json)
        self.ended = False
        # Called once when the session ends, e.g. to remove the operator's timer.
        self.on_end: Callable[[], None] | None = None
        # Called whenever a shot's status may have changed (the background
        # process reports it to the Blender that started it).
        self.on_shot_change: Callable[[ShotRun], None] | None = None

    @classmethod
    def prepare(
        cls,
        scene: bpy.types.Scene,
        only_remaining: bool = False,
        sees_stop_keys: bool = False,
        started: datetime | None = None,
        all_scenes: bool = False,
        *,
        only_places: Mapping[str, Collection[int]] | None = None,
    ) -> tuple[QueueSession | None, list[validation.Problem]]:
        """A session for the scene's ticked shots, or the problems that stop it
        (preparing.prepare_run). With `sees_stop_keys` the caller reports
        each Esc during a render, so that a render cancelled without one
        counts as failed (see QueueRun)."""
        prepared, problems = prepare_run(
            scene,
            only_remaining=only_remaining,
            sees_stop_keys=sees_stop_keys,
            started=started,
            all_scenes=all_scenes,
            renders_here=cls.renders_here,
            only_places=only_places,
        )
        return (None if prepared is None else cls(prepared)), problems

    # -- life cycle -------------------------------------------------------------------
    def begin(self, guard_layout: bool = False) -> None:
        global _active
        _active = self
        output_keeping.late_files.clear()
        if guard_layout:
            self._autosave = autosave.BetweenShots()
        if guard_layout and self.renders_here:
            self.layout = LayoutGuard()
            self.popups = PopupGuard()
        if self.renders_here:
            render_events.add()
        for shot in self.run.shots:
            self._sync_shot(shot, force=True)
        if guard_layout:
            self._keeper = queue_keeping.QueueKeeper.start(self.run.shots, self.now.isoformat(timespec="seconds"))
        runtime = runtime_state()
        runtime.is_running = True
        runtime.in_background = not self.renders_here
        runtime.is_paused = False
        runtime.last_report = ""
        self.progress.show()

    def tick(self) -> Action:
        for event, at in render_events.drain():
            self.run.record(event, at)
        before = self.run.current
        first = self.run.position
        was_rendering = self.run.rendering
        action = self.run.next_action(render_job_running())
        if was_rendering and not self.run.rendering and before is self.run.current:
            self.stage.take_off()  # a frame list between its renders: the person's scene, as between shots
        if before is not None and before is not self.run.current:
            self.stage.take_off()  # between shots the scene is the person's own
            if before.status == ShotStatus.CANCELLED:
                self._remove_unfinished(before)
            elif before.status == ShotStatus.FAILED:
                output_keeping.remove_broken(before)
            self._settled(before)
        for skipped in self.run.shots[first : self.run.position]:
            if skipped is not before:
                self._settled(skipped)
        if action == Action.WAIT and self.progress.due:
            self.progress.show()  # e.g. "Paused before shot 3/5", the time left
        if action != Action.FINISH:
            self._autosave_if_due()
            return action
        return self._after_last_shot()

    def _settled(self, shot: ShotRun) -> None:
        self._sync_shot(shot)
        if self.makes_movies:
            self.movies.start_if_asked(shot)

    def _after_last_shot(self) -> Action:
        """FINISH, or WAIT while movies are being made (a stop ends them)."""
        if self.stopping or self.run.stop_reason or not (count := self.movies.busy):
            return Action.FINISH
        progress.show_encoding(count)
        return Action.WAIT

    def start_current(self, blocking: bool, tick: int = 0) -> None:
        """Set up the current shot and start its render (INVOKE, or EXEC when
        `blocking`). `tick` tells the caller's own timer ticks apart (see
        guards/popups.py); a start that has to wait returns without starting,
        and the next tick tries again."""
        shot = self.run.current
        if shot is None:
            return
        scene = bpy.data.scenes.get(shot.scene)
        item = progress.shot_item(scene, shot)
        if scene is None or item is None:
            self._fail_start(shot, "the shot was removed from the list during the queue")
            return
        if self.layout is not None and self.layout.in_render_screen():
            # Starting a render from Blender's maximized render view would
            # nest another one: go back first and start on the next tick.
            deferred.run_soon(self.layout.leave_render_screens)
            return
        if self.popups is not None and not self.popups.ready(tick):
            return  # popups are being closed: Maximized Area would crash with one open
        if problem := self.stage.set_up(shot, scene, item, self.now):
            self._fail_start(shot, problem)
            return
        self.run.started()  # also notes the wall-clock start: which files this run wrote
        self._sync_shot(shot)
        self.progress.show()
        if problem := self.stage.start_render(scene, item, blocking):
            self._fail_start(shot, problem)

    def internal_error(self, error: Exception) -> None:
        """Something in the queue raised: end it (the caller then calls end())."""
        log.exception("internal error")
        self.stopping = True
        self.run.abort(f"internal error: {type(error).__name__}: {error}")

    def abort(self, reason: str, layout: LayoutEnd = "later", keep_queue_file: bool = False) -> None:
        """End the queue now. `keep_queue_file`: Blender itself ends it, and
        the next Blender may offer to finish it."""
        self.keeps_queue_file = self.keeps_queue_file or keep_queue_file
        self.stopping = True
        self.run.abort(reason)
        self.end(layout)

    def end(self, layout: LayoutEnd = "later") -> str:
        """Restore the scene, remove what the queue added, and report. Safe to call twice."""
        global _active
        if self.ended:
            return self.report_text
        self.ended = True
        if _active is self:
            _active = None
        if not self.run.finished:
            self.run.abort("stopped")
        errors = self._clean_up()
        self.report_text = report.summary(self.run)
        if errors:
            self.report_text += ". Could not clean up: " + "; ".join(errors)
        try:
            self.record = ending.record_run(self.run, self.now, self.report_text)
            self.contact_sheet_note = self._write_contact_sheet(self.record)
            self.report_text += self.contact_sheet_note + ending.announce(self.record)
        except Exception as error:  # the run is over either way: it must still end cleanly
            log.exception("could not keep the run's record")
            self.report_text += f". Could not keep the run's record: {type(error).__name__}: {error}"
        runtime = runtime_state()
        runtime.progress_text = runtime.process_lines = ""
        runtime.is_paused = False
        runtime.in_background = False
        runtime.last_report = self.report_text
        if self.on_end is not None:
            self.on_end()
        log.info("%s", self.report_text)
        deferred.end_layout(self.layout, layout)
        return self.report_text

    def _clean_up(self) -> list[str]:
        """Every step runs even if an earlier one fails: a half-restored scene
        is worse than a reported error. What failed, if anything."""
        errors = []
        steps = (
            self._end_movies,
            self.stage.guard.restore,
            self.stage.render_memory.give_back,
            render_events.remove,
            deferred.cancel,
            self._remove_cancelled_outputs,
            self._sync_all_shots,
            self._end_keeping,
        )
        for step in steps:
            try:
                step()
            except Exception as error:
                log.exception("could not clean up")
                errors.append(f"{type(error).__name__}: {error}")
        return errors

    def _end_movies(self) -> None:
        if self.stopping or self.run.stop_reason:
            self.movies.stop()
        else:
            self.movies.wait()  # at once after a modal run (it waited); a blocking one waits here

    def _remove_cancelled_outputs(self) -> None:
        for shot in self.run.shots:
            if shot.status == ShotStatus.CANCELLED:
                self._remove_unfinished(shot)

    def _sync_all_shots(self) -> None:
        for shot in self.run.shots:
            self._sync_shot(shot)

    @property
    def is_kept(self) -> bool:
        """This run's queue is kept for a resume (queue_keeping.py)."""
        return self._keeper is not None

    def _end_keeping(self) -> None:
        if self._keeper is not None:
            self._keeper.end(blender_ended_it=self.keeps_queue_file)
        if self.resumes:
            queue_keeping.unclaim(self.resumes, remove=not self.keeps_queue_file)

    def _write_contact_sheet(self, record: RunRecord) -> str:
        return ending.write_contact_sheet(record, self.contact_sheet)

    def _remove_unfinished(self, shot: ShotRun) -> None:
        output_keeping.remove_unfinished(shot)

    def _fail_start(self, shot: ShotRun, reason: str) -> None:
        """The shot could not start: it fails alone, the queue goes on."""
        self.stage.take_off()  # Blender may have refused after the shot was applied
        self.run.start_failed(reason)
        self._sync_shot(shot)

    def _sync_shot(self, shot: ShotRun, force: bool = False) -> None:
        if self.on_shot_change is not None:
            self.on_shot_change(shot)
        progress.sync_shot(shot, force)
        if self._keeper is not None:
            self._keeper.note(shot)

    def _autosave_if_due(self) -> None:
        if self._autosave is not None:
            self._autosave.write_if_due(self._scene_is_persons())

    def _scene_is_persons(self) -> bool:
        return not self.run.rendering and self.stage.is_clean

    # -- what callers ask and tell: the operators, the Esc watcher, the command line --
    def before_save(self) -> None:
        self.stage.before_save(self.run.current if self.run.rendering else None)

    def after_save(self) -> None:
        current = self.run.current if self.run.rendering else None
        item = None if current is None else progress.shot_item(bpy.data.scenes.get(current.scene), current)
        self.stage.after_save(current, item)

    def set_paused(self, paused: bool) -> None:
        """Pause: let the current render finish and hold; resume: go on."""
        if paused:
            self.run.pause()
        else:
            self.run.resume()
        runtime_state().is_paused = paused
        self.progress.show()


def before_save() -> None:
    if _active is not None:
        _active.before_save()


def after_save() -> None:
    if _active is not None:
        _active.after_save()
