# SPDX-License-Identifier: GPL-3.0-or-later
"""One queue run on the Blender side: validate, apply each shot, start its
render, follow the handlers' events, restore and report. The modal operator
(UI) and the blocking loop (background mode) share this code."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import bpy

from . import autosave, contact_sheet, history, property_overrides, render_events, scene_reader, shot_setup
from .core import estimate, output_files, paths, report, run_record, validation
from .core.autosave import AutosaveClock
from .core.logs import logger
from .core.run import Action, QueueRun, ShotRun
from .core.run_record import RunRecord
from .core.shots import NodeOutput, ShotSpec
from .core.status import ShotStatus
from .guards.layout import LayoutGuard
from .guards.popups import PopupGuard
from .guards.render_operator import RenderOperatorMemory
from .guards.settings import SettingsGuard
from .props import runtime_state, scene_shots

log = logger(__name__)

# How often the progress text (with the time left) is brought up to date.
PROGRESS_SECONDS = 1.0

# The queue running in this Blender session, if any. Cleared on every exit
# path, so it never survives a file load or the add-on being disabled.
_active: QueueSession | None = None


def active() -> QueueSession | None:
    return _active


def before_save() -> None:
    if _active is not None:
        _active.before_save()


def after_save() -> None:
    if _active is not None:
        _active.after_save()


def abort_active(reason: str, restore_layout: bool = True) -> None:
    """End a running queue at once (file load, add-on disabled)."""
    if _active is not None:
        _active.abort(reason, restore_layout)


class QueueSession:
    # The shots render in this Blender (background.py's subclass follows a
    # separate process instead and never touches the scene).
    renders_here = True

    def __init__(self, scene_name: str, run: QueueRun, now: datetime) -> None:
        self.scene_name = scene_name  # the scene the run was started from (its contact sheet)
        self.run = run
        self.now = now  # when the run started: one {date} and {time} for every shot
        self.guard = SettingsGuard()
        self.render_memory = RenderOperatorMemory()
        self.layout: LayoutGuard | None = None  # only with a window manager to guard
        self.popups: PopupGuard | None = None  # likewise
        self.report_text = ""
        self.warnings: list[str] = []  # e.g. paths too long for Windows: said, not refused
        self.earlier_seconds: dict[int, float] = {}  # each shot's time in an earlier run (by place in the run)
        self.render_progress = ""  # the current render's own progress, when Blender does not show it
        self._progress_shown_at = 0.0
        self.ended = False
        self._applied_path = ""  # render.filepath of the shot applied now
        self._applied_nodes: tuple[NodeOutput, ...] = ()  # its File Output nodes' folders
        self._saving: ShotRun | None = None  # the shot taken off the scene for a save
        self._autosave: AutosaveClock | None = None  # only in a Blender with windows
        self.contact_sheet = ""  # where to write the run's contact sheet; "" for none
        self.contact_sheet_note = ""  # what the report says of it (". Contact sheet: ...")
        self.record: RunRecord | None = None  # the finished run (history, --json)
        # Called once when the session ends, e.g. to remove the operator's timer.
        self.on_end: Callable[[], None] | None = None
        # Called whenever a shot's status may have changed (the background
        # process reports it to the Blender that started it).
        self.on_shot_change: Callable[[ShotRun], None] | None = None

    # -- life cycle -------------------------------------------------------------------
    @classmethod
    def prepare(
        cls,
        scene: bpy.types.Scene,
        only_remaining: bool = False,
        sees_stop_keys: bool = False,
        started: datetime | None = None,
        all_scenes: bool = False,
    ) -> tuple[QueueSession | None, list[validation.Problem]]:
        """A session for the scene's ticked shots (with `only_remaining`, those
        not done by the last run), or the problems that stop it. With
        `all_scenes`, the ticked shots of every scene of the file, scene by
        scene in the file's order, each from its own scene. With
        `sees_stop_keys` the caller reports each Esc during a render, so that
        a render cancelled without one counts as failed (see QueueRun)."""
        now = started or datetime.now()  # a farm task gives its job's time: one {date} for all tasks
        scenes = queue_scenes(scene, all_scenes)
        specs = {each.name: _specs_of(each, now, only_remaining) for each in scenes}
        if sum(1 for found in specs.values() if any(spec.enabled for spec in found)) > 1:
            # Messages name the scene when shots of several scenes render.
            specs = {
                name: [dataclasses.replace(spec, in_scene=name) for spec in found] for name, found in specs.items()
            }
        per_scene = [validation.SceneShots(each.name, specs[each.name], scene_reader.names_in(each)) for each in scenes]
        problems = validation.validate_scenes(per_scene)
        if problems:
            if only_remaining and problems[0].field == "enabled":
                problems = [validation.Problem(None, "enabled", "Every ticked shot is done: nothing remains to render")]
            return None, problems
        chosen = [(each, spec) for each in per_scene for spec in each.shots if spec.enabled]
        if (
            cls.renders_here
            and all_scenes
            and not bpy.app.background
            and (problems := _windowless_scene_problems(chosen))
        ):
            return None, problems
        run = QueueRun(
            [
                (spec.index, spec.name, spec.files, [node.absolute_folder for node in spec.node_outputs])
                for _each, spec in chosen
            ],
            sees_stop_keys=sees_stop_keys,
        )
        shot_lists = {each.name: scene_shots(each) for each in scenes}
        for shot, (each, spec) in zip(run.shots, chosen, strict=True):
            shot.scene = each.scene_name
            shot.skip_if_written = shot_lists[each.scene_name].skip_existing
            shot.frames_are_files = spec.frames_are_files
        data = scene_shots(scene)
        sheet, sheet_problem = ("", "") if not data.contact_sheet else _contact_sheet_target(scene, now)
        if sheet_problem:
            return None, [validation.Problem(None, "contact_sheet_path", f"Contact sheet: {sheet_problem}")]
        session = cls(scene.name, run, now)
        session.contact_sheet = sheet
        session.earlier_seconds = {
            position: shot_lists[each.scene_name].shots[spec.index].last_seconds
            for position, (each, spec) in enumerate(chosen)
        }
        session.warnings = validation.long_path_warnings([spec for _each, spec in chosen])
        for warning in session.warnings:
            log.warning("%s", warning)
        return session, []

    def begin(self, guard_layout: bool = False) -> None:
        global _active
        _active = self
        late_files.clear()
        if guard_layout:
            self._autosave = AutosaveClock(autosave.interval_seconds(), time.monotonic())
        if guard_layout and self.renders_here:
            self.layout = LayoutGuard()
            self.popups = PopupGuard()
        if self.renders_here:
            render_events.add()
        for shot in self.run.shots:
            self._sync_shot(shot, force=True)
        runtime = runtime_state()
        runtime.is_running = True
        runtime.in_background = not self.renders_here
        runtime.is_paused = False
        runtime.last_report = ""
        self._show_progress()

    def internal_error(self, error: Exception) -> None:
        """Something in the queue raised: end it (the caller then calls end())."""
        log.exception("internal error")
        self.run.abort(f"internal error: {type(error).__name__}: {error}")

    def abort(self, reason: str, restore_layout: bool = True) -> None:
        self.run.abort(reason)
        if not restore_layout:
            self.layout = None  # e.g. a file is loading: its own screens replace ours
        self.end()

    def end(self) -> str:
        """Restore the scene, remove what the queue added, and report. Safe to call twice."""
        global _active
        if self.ended:
            return self.report_text
        self.ended = True
        if _active is self:
            _active = None
        if not self.run.finished:
            self.run.abort("stopped")
        # Every step runs even if an earlier one fails: a half-restored scene
        # is worse than a reported error.
        errors = []
        steps: list[Callable[[], None]] = [
            self.guard.restore,
            self.render_memory.give_back,
            render_events.remove,
            _cancel_run_soon,
            self._remove_cancelled_outputs,
            self._sync_all_shots,
        ]
        for step in steps:
            try:
                step()
            except Exception as error:
                log.exception("could not clean up")
                errors.append(f"{type(error).__name__}: {error}")
        self.report_text = report.summary(self.run)
        if errors:
            self.report_text += ". Could not clean up: " + "; ".join(errors)
        try:
            self.report_text += self._keep_record()
        except Exception as error:  # the run is over either way: it must still end cleanly
            log.exception("could not keep the run's record")
            self.report_text += f". Could not keep the run's record: {type(error).__name__}: {error}"
        runtime = runtime_state()
        runtime.progress_text = ""
        runtime.is_paused = False
        runtime.in_background = False
        runtime.last_report = self.report_text
        if self.on_end is not None:
            self.on_end()
        log.info("%s", self.report_text)
        layout = self.layout
        if layout is None:
            _mark_stopped()
        else:
            # The layout goes back outside the operator's context; the queue
            # counts as running until it has.
            _run_soon(lambda: _restore_layout(layout))
        return self.report_text

    def _keep_record(self) -> str:
        """Add the run to each of its scenes' history (that scene's shots)
        and write its contact sheet; what the report should add."""
        started = self.now.isoformat(timespec="seconds")
        self.record = run_record.record_of(self.run, started, bpy.app.version_string, self.report_text)
        for name in dict.fromkeys(shot.scene for shot in self.run.shots):
            scene = bpy.data.scenes.get(name)
            if scene is None:
                continue
            own = run_record.record_of(self.run, started, bpy.app.version_string, self.report_text, scene=name)
            try:
                history.add(scene, own)
            except (AttributeError, TypeError, ValueError, RuntimeError):
                log.exception("could not add the run to the history")
        self.contact_sheet_note = self._write_contact_sheet(run_record.images_of(self.record))
        return self.contact_sheet_note

    def _write_contact_sheet(self, images: list[tuple[str, str]]) -> str:
        if not self.contact_sheet or not images:
            return ""
        try:
            written = contact_sheet.write(images, self.contact_sheet)
        except (OSError, RuntimeError, ValueError) as error:
            log.warning("could not write the contact sheet: %s", error)
            return f". Contact sheet not written: {error}"
        runtime_state().last_contact_sheet = written
        return f". Contact sheet: {written}"

    # -- one step ---------------------------------------------------------------------
    def tick(self) -> Action:
        for event, at in render_events.drain():
            self.run.record(event, at)
        before = self.run.current
        first = self.run.position
        action = self.run.next_action(render_job_running())
        if before is not None and before is not self.run.current:
            self._take_shot_off()
            if before.status == ShotStatus.CANCELLED:
                self._remove_unfinished(before)
            elif before.status == ShotStatus.FAILED:
                self._remove_broken(before)
            self._sync_shot(before)
        for skipped in self.run.shots[first : self.run.position]:
            if skipped is not before:
                self._sync_shot(skipped)
        if action == Action.WAIT and time.monotonic() - self._progress_shown_at >= PROGRESS_SECONDS:
            self._show_progress()  # e.g. "Paused before shot 3/5", the time left
        if action != Action.FINISH:
            self._autosave_if_due()
        return action

    def _autosave_if_due(self) -> None:
        """Blender's autosave, written by the queue (core/autosave.py says
        why), only while no shot's settings are on the scene: between shots
        and while paused."""
        clock = self._autosave
        if clock is None or not clock.due(time.monotonic()) or not self._scene_is_persons():
            return
        autosave.write()
        clock.written(time.monotonic())

    def _scene_is_persons(self) -> bool:
        """No shot's settings are on the scene now."""
        return not self.run.rendering and self.guard.is_clean

    def before_save(self) -> None:
        """The person saves the .blend while a shot renders: the file gets
        their own settings, not the shot's (the render already read them)."""
        if self.run.rendering:
            self._saving = self.run.current
            self.guard.restore()

    def after_save(self) -> None:
        """Put the rendering shot's settings back (a frame range reads the
        camera again on each frame)."""
        shot, self._saving = self._saving, None
        if shot is None or shot is not self.run.current or not self.run.rendering:
            return
        scene = bpy.data.scenes.get(shot.scene)
        item = _shot_item(scene, shot)
        if scene is not None and item is not None:
            try:
                shot_setup.apply_shot(self.guard, scene, item, self._applied_path, node_outputs=self._applied_nodes)
            except shot_setup.SETUP_ERRORS as error:
                log.warning("could not put the shot's settings back after the save: %s", error)

    def status_bar_clicked(self) -> None:
        self.run.status_bar_clicked(time.monotonic())

    def _remove_cancelled_outputs(self) -> None:
        for shot in self.run.shots:
            if shot.status == ShotStatus.CANCELLED:
                self._remove_unfinished(shot)

    def _sync_all_shots(self) -> None:
        for shot in self.run.shots:
            self._sync_shot(shot)

    def _remove_unfinished(self, shot: ShotRun) -> None:
        """A render stopped with the progress bar's X, or by a file load,
        still writes its unfinished image (each view of it), and a stopped
        movie is cut short: remove what this run wrote (Esc writes no image).
        A file load stops the render after load_pre, so the files are looked
        for again once the load is done."""
        started = shot.started_wall  # 0.0: never started
        if started and not shot.frames_are_files:  # a range's written frames are whole
            for path in shot.output_paths:
                output_files.remove_if_written_since(path, started)
                late_files.expect(path, started)
            for folder in shot.pass_folders:  # the shot's own folders
                output_files.remove_written_since_in(folder, started)
                late_files.expect_folder(folder, started)

    def _remove_broken(self, shot: ShotRun) -> None:
        """A full disk leaves empty or cut-off images (Blender still says
        "Saved"): remove those this run wrote, so that nothing takes them for
        finished work (skip existing, the person)."""
        if shot.started_wall:  # 0.0: never started
            output_files.remove_broken((*shot.output_paths, *shot.pass_files), shot.started_wall)

    def start_current(self, blocking: bool, tick: int = 0) -> None:
        """Apply the current shot and start its render: INVOKE (the UI stays
        live, Blender shows progress and its cancel button) or, in background
        mode, EXEC, which returns when the image is written. `tick` tells the
        caller's own timer ticks apart (see guards/popups.py); a start that
        has to wait returns without starting, and the next tick tries again."""
        shot = self.run.current
        if shot is None:
            return
        scene = bpy.data.scenes.get(shot.scene)
        item = _shot_item(scene, shot)
        if scene is None or item is None:
            self._fail_start(shot, "the shot was removed from the list during the queue")
            return
        if self.layout is not None and self.layout.in_render_screen():
            # Starting a render from Blender's maximized render view would
            # nest another one: go back first (outside this operator's
            # context) and start the shot on the next tick.
            _run_soon(self.layout.leave_render_screens)
            return
        if self.popups is not None and not self.popups.ready(tick):
            return  # popups are being closed: Maximized Area would crash with one open
        if not self._set_up(shot, scene, item):
            return
        self.run.started()  # also notes the wall-clock start: which files this run wrote
        self._sync_shot(shot)
        self._show_progress()
        self.render_memory.remember()
        mode = "EXEC_DEFAULT" if blocking else "INVOKE_DEFAULT"
        try:
            # Named, so that the person switching the window to another
            # scene mid-queue does not make the next shot render that one.
            if item.use_frame_range:
                result = bpy.ops.render.render(mode, animation=True, scene=scene.name)
            else:
                result = bpy.ops.render.render(mode, write_still=True, scene=scene.name)
        except RuntimeError as error:
            # Blender's own report, e.g. an engine error that came before the
            # render operator returned: "Error: out of memory".
            self._fail_start(shot, str(error).strip().splitlines()[-1].removeprefix("Error: "))
            return
        if not blocking and "CANCELLED" in result:
            self._fail_start(shot, "Blender refused to start the render (is another render running?)")

    def _set_up(self, shot: ShotRun, scene: bpy.types.Scene, item: Any) -> bool:
        """Check the shot again and put its settings on the scene; False (and
        the shot failed) if it cannot render. The previous shot is already
        off the scene (see _take_shot_off), so this one is read from the scene
        as the person left it. The person may have changed things since the
        queue started (deleted this shot's camera, put a file where its folder
        was); a shot that cannot render fails and the queue goes on."""
        output = scene_reader.shot_output(scene, item, shot.index, self.now)
        checked = property_overrides.check_shot(item)  # checked once, for validation and to apply
        spec = scene_reader.read_shot(scene, item, shot.index, self.now, output=output, checked=checked)
        problems = validation.validate(
            [dataclasses.replace(spec, enabled=True)], scene.name, names=scene_reader.names_in(scene)
        )
        if problems:
            self._fail_start(shot, "; ".join(str(problem) for problem in problems))
            return False
        try:
            shot_setup.apply_shot(
                self.guard, scene, item, output.blender_path, node_outputs=spec.node_outputs, checked=checked
            )
        except shot_setup.SETUP_ERRORS as error:
            # E.g. a setting Blender refuses only when set (linked data, an
            # enum item another override took away): this shot fails alone.
            self._fail_start(shot, f"cannot set up the shot: {error}")
            return False
        self._applied_path = output.blender_path
        self._applied_nodes = spec.node_outputs
        shot.pass_folders = tuple(node.absolute_folder for node in spec.node_outputs)  # as applied now
        return True

    def _take_shot_off(self) -> None:
        """Between shots and while paused the scene is the person's own: an
        F12 or a save then sees no shot's settings."""
        self.guard.restore()
        self.render_memory.give_back()

    def _fail_start(self, shot: ShotRun, reason: str) -> None:
        """The shot could not start: it fails, the queue goes on."""
        self._take_shot_off()  # Blender may have refused after the shot was applied
        self.run.start_failed(reason)
        self._sync_shot(shot)

    def request_stop(self, reason: str) -> None:
        self.run.request_stop(reason)

    def set_paused(self, paused: bool) -> None:
        """Pause: let the current render finish and hold; resume: go on."""
        if paused:
            self.run.pause()
        else:
            self.run.resume()
        runtime_state().is_paused = paused
        self._show_progress()

    # -- what callers ask and tell: the operators, the Esc watcher, the command line --
    @property
    def rendering(self) -> bool:
        """A shot's render was started and has not settled yet."""
        return self.run.rendering

    @property
    def render_ended(self) -> bool:
        """The current render reported its end; Blender's job may linger."""
        return self.run.render_ended

    @property
    def paused(self) -> bool:
        return self.run.paused

    @property
    def stop_reason(self) -> str:
        """Why the run stopped before its last shot ("" if it did not)."""
        return self.run.stop_reason

    @property
    def current_shot(self) -> ShotRun | None:
        return self.run.current

    @property
    def has_failures(self) -> bool:
        return report.is_error(self.run)

    @property
    def shots(self) -> list[ShotRun]:
        """Every shot of the run, with its status, files, time and reason."""
        return self.run.shots

    def stop_key_pressed(self) -> None:
        """The person pressed Esc while a render ran (see stop_keys)."""
        self.run.stop_key_pressed()

    def stop_keys_unseen(self, why: str) -> None:
        """Esc cannot be watched in some window: from now on every cancelled
        render counts as the person's stop, never as a failed shot."""
        log.warning("cannot watch Esc in a window (%s); a cancel will stop the queue", why)
        self.run.sees_stop_keys = False

    # -- display ----------------------------------------------------------------------
    def _show_progress(self) -> None:
        text = self.run.position_text
        if text and self.render_progress and self.run.rendering:
            text += f" - {self.render_progress}"
        if text and not self.run.paused:
            text += estimate.left_text(estimate.seconds_left(self.run, self.earlier_seconds, self.run.now()))
        self._progress_shown_at = time.monotonic()
        runtime = runtime_state()
        if runtime.progress_text != text:
            runtime.progress_text = text
            _redraw_progress()

    def _sync_shot(self, shot: ShotRun, force: bool = False) -> None:
        """Copy a shot's status and output to its list item (only on change, so
        an idle queue does not touch the .blend's data)."""
        if self.on_shot_change is not None:
            self.on_shot_change(shot)
        item = _shot_item(bpy.data.scenes.get(shot.scene), shot)
        if item is None:
            return
        output = shot.output_path if shot.status == ShotStatus.DONE else ""
        if force or item.status != shot.status.value:
            item.status = shot.status.value
        if force or item.output != output:
            item.output = output
        if shot.status == ShotStatus.DONE and item.last_seconds != round(shot.seconds, 3):
            item.last_seconds = round(shot.seconds, 3)  # the next run's estimate starts from it


def queue_scenes(scene: bpy.types.Scene, all_scenes: bool) -> list[bpy.types.Scene]:
    """The scenes a run renders: the one given, or every scene of the file
    that has shots, in the file's order."""
    if not all_scenes:
        return [scene]
    return [each for each in bpy.data.scenes if len(scene_shots(each).shots) > 0] or [scene]


def _specs_of(scene: bpy.types.Scene, now: datetime, only_remaining: bool) -> list[ShotSpec]:
    """The scene's shots as checked facts; with `only_remaining`, a shot the
    last run finished counts as unticked."""
    items = scene_shots(scene).shots
    return [
        dataclasses.replace(
            spec, enabled=spec.enabled and not (only_remaining and items[spec.index].status == ShotStatus.DONE)
        )
        for spec in scene_reader.read_shots(scene, now)
    ]


# Blender 4.3 (tested; older ones likely, 5.2 does not) dies with an X
# error (GLXBadContext) soon after its interface renders a scene that no
# window shows, whatever the engine; the plain render operator alike. Such a
# queue is refused there before anything renders, with the way out.
_WINDOWLESS_SAFE_FROM = (4, 4, 0)


def _windowless_scene_problems(chosen: list[tuple[validation.SceneShots, ShotSpec]]) -> list[validation.Problem]:
    if bpy.app.version >= _WINDOWLESS_SAFE_FROM:
        return []
    shown = {window.scene.name for window in bpy.context.window_manager.windows}
    for each, spec in chosen:
        if each.scene_name not in shown:
            message = (
                f"Scene '{each.scene_name}': Blender {bpy.app.version_string} crashes rendering a scene that no "
                "window shows from its interface; use Render In: Background Process"
            )
            return [validation.Problem(spec.index, "run_in", message)]
    return []


def _shot_item(scene: bpy.types.Scene | None, shot: ShotRun) -> Any:
    """The list item of a shot, found by position and checked by name, so a
    list edited during the queue never gets another shot's status."""
    if scene is None:
        return None
    items = scene_shots(scene).shots
    if shot.index < len(items) and items[shot.index].name == shot.name:
        return items[shot.index]
    return next((item for item in items if item.name == shot.name), None)


# Unfinished images a stopped render may write after the queue ended.
late_files = output_files.LateFiles()


# The one pending layout step, kept so that it can be unregistered.
_pending: list[Callable[[], None]] = []


def _run_soon(function: Callable[[], None]) -> None:
    """Call `function` once from a timer, outside any operator's context."""
    _cancel_run_soon()

    def once() -> None:
        _pending.clear()
        function()

    _pending.append(once)
    bpy.app.timers.register(once, first_interval=0.0)


def _cancel_run_soon() -> None:
    for function in _pending:
        if bpy.app.timers.is_registered(function):
            bpy.app.timers.unregister(function)
    _pending.clear()


def _restore_layout(layout: LayoutGuard) -> None:
    try:
        layout.restore()
    finally:
        _mark_stopped()


def _mark_stopped() -> None:
    runtime = getattr(bpy.context.window_manager, "multi_render", None)
    if runtime is not None:  # None once the add-on is disabled
        runtime.is_running = False
    _redraw_progress()


def render_job_running() -> bool:
    """Whether Blender has a render job. It outlives the render handlers by up
    to 0.2 s, and INVOKE refuses to start a render while it exists."""
    return bool(bpy.app.is_job_running("RENDER"))  # type: ignore[func-returns-value]


def _redraw_progress() -> None:
    """Redraw what shows the queue's progress: the 3D Viewports' sidebars.
    Not whole areas: a viewport redraw costs far more, and the queue asks
    for this on every shot."""
    for window in bpy.context.window_manager.windows:
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                for region in area.regions:
                    if region.type == "UI":
                        region.tag_redraw()


def _contact_sheet_target(scene: bpy.types.Scene, now: datetime) -> tuple[str, str]:
    """The contact sheet's path, checked as a shot's output is."""
    path, error = scene_reader.contact_sheet_file(scene, now)
    if error:
        return "", f"file: {error}"
    if (part := paths.name_too_long(path)) is not None:
        return "", f"a name is {len(part.encode())} bytes long (at most {paths.MAX_NAME_BYTES})"
    return path, paths.folder_problem(path) or ""


def run_blocking(
    scene: bpy.types.Scene,
    only_remaining: bool = False,
    started: datetime | None = None,
    all_scenes: bool = False,
    follow: Callable[[QueueSession], None] | None = None,
) -> tuple[QueueSession | None, list[validation.Problem]]:
    """Background mode: render the enabled shots one after another, blocking.
    `started`: the time {date} and {time} stand for (default: now).
    `follow(session)` is called before the run begins and between shots
    (the background process reports to its parent and may pause there)."""
    session, problems = QueueSession.prepare(scene, only_remaining, started=started, all_scenes=all_scenes)
    if session is None:
        return None, problems
    if follow is not None:
        follow(session)
    session.begin()
    try:
        while session.tick() == Action.START:
            if follow is not None:
                follow(session)
            session.start_current(blocking=True)
    except Exception as error:
        session.internal_error(error)
    finally:
        session.end()
    return session, []
