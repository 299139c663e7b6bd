# SPDX-License-Identifier: GPL-3.0-or-later
"""Render Shots: a modal operator that drives the queue on a window-manager
timer and starts each render with INVOKE_DEFAULT, so Blender keeps showing
progress and its cancel button. It always passes events through, so Esc
and the progress bar's X reach Blender's own render job."""

from __future__ import annotations

from typing import Any

import bpy
from bpy.props import BoolProperty, StringProperty

from .. import prefs
from ..bl_types import OperatorResult
from ..core import validation
from ..core.run import Action
from ..farm import flamenco_follow
from ..props import scene_shots
from ..run import background, blocking, queue_keeping, session
from ..ui.panel import CATEGORY
from . import stop_keys

# How often the modal looks at the render job. While a render runs, 20 times
# a second (a tick costs about 0.1 ms); once the render has reported its end,
# 100 times a second until Blender's job is gone and the next shot starts, so
# that little time passes between shots. See `make bench`.
TICK_SECONDS = 0.05
FAST_TICK_SECONDS = 0.01


class MULTIRENDER_OT_render_shots(bpy.types.Operator):
    bl_idname = "multi_render.render_shots"
    bl_label = "Render Shots"
    bl_description = "Render every enabled shot in turn without freezing Blender. Esc stops the queue"
    bl_options = {"REGISTER"}

    only_remaining: BoolProperty(
        name="Only Remaining",
        description="Render only the ticked shots that the last run did not finish",
        options={"SKIP_SAVE"},
    )
    all_scenes: BoolProperty(
        name="All Scenes",
        description="Render the ticked shots of every scene of the file, scene by scene",
        options={"SKIP_SAVE"},
    )
    resume_file: StringProperty(
        name="Resume Queue",
        description="A queue kept when Blender quit or crashed: render the shots it did not finish",
        options={"HIDDEN", "SKIP_SAVE"},
    )

    _session: session.QueueSession | None = None
    _timer: Any = None
    _tick: float = TICK_SECONDS
    # The window whose handlers hold this modal (as_pointer). Timer events go
    # to one window only, and they must go to this one: on Blender 4.3 with
    # Render In = New Window, `context.window` in modal() is the render window.
    _home_window: int = 0
    # Every timer's events reach a modal operator; our timer's clock moves
    # only when it fires, which tells our own ticks apart.
    _own_ticks: int = 0
    _timer_clock: float = 0.0

    @classmethod
    def description(cls, _context: bpy.types.Context, properties: Any) -> str:
        text = str(cls.bl_description)
        if properties.only_remaining:
            text = "Render the ticked shots that the last run did not finish (after a cancel or failure)"
        if properties.all_scenes:
            text += ". Every scene's ticked shots, scene by scene in the file's order"
        return text

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if session.active() is not None:
            cls.poll_message_set("A shot queue is already running")
            return False
        if flamenco_follow.following() is not None:
            cls.poll_message_set("The shot list follows a Flamenco job: stop it, or wait until it ends")
            return False
        if context.scene is None:
            return False
        if session.render_job_running() and not _in_background(context):
            cls.poll_message_set("A render is running: wait for it to finish")
            return False
        return True

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        return self._start(context)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        if bpy.app.background:
            return self._run_blocking(context)
        if context.window is None:
            # Called from a timer or another context without a window: the
            # modal queue needs one to receive its timer events.
            window = context.window_manager.windows[0]
            with context.temp_override(window=window):
                return bpy.ops.multi_render.render_shots(  # type: ignore[attr-defined,no-any-return]
                    "INVOKE_DEFAULT",
                    only_remaining=self.only_remaining,
                    all_scenes=self.all_scenes,
                    resume_file=self.resume_file,
                )
        return self._start(context)

    # -- the non-blocking queue ---------------------------------------------------------
    def _start(self, context: bpy.types.Context) -> OperatorResult:
        if not self.resume_file:
            return self._start_queue(context, None)
        # A resume: the left-behind queue is claimed (locked) until the new
        # run keeps its own file, and let go on every other way out.
        places, why_not = queue_keeping.resume_places(self.resume_file)
        if why_not:
            self.report({"ERROR"}, "Cannot resume the queue: " + "; ".join(why_not))
            return {"CANCELLED"}
        try:
            result = self._start_queue(context, places)
        except BaseException:
            queue_keeping.unclaim(self.resume_file)
            raise
        queue = self._session
        if "RUNNING_MODAL" not in result or queue is None:
            queue_keeping.unclaim(self.resume_file)
        elif queue.is_kept:
            queue_keeping.unclaim(self.resume_file, remove=True)  # the new run's file says the rest
        else:
            queue.resumes = self.resume_file  # not kept: the old one stays claimed until the run ends
        queue_keeping.refresh_offers()
        return result

    def _start_queue(self, context: bpy.types.Context, places: dict[str, list[int]] | None) -> OperatorResult:
        scene: bpy.types.Scene = context.scene  # type: ignore[assignment]
        all_scenes = self.all_scenes or (places is not None and set(places) != {scene.name})
        queue: session.QueueSession | None
        if _in_background(context):
            queue, problems = background.BackgroundSession.launch(
                scene, self.only_remaining, all_scenes, retries=prefs.preferences().retries, only_places=places
            )
        else:
            queue, problems = session.QueueSession.prepare(
                scene, self.only_remaining, sees_stop_keys=True, all_scenes=all_scenes, only_places=places
            )
        if queue is None:
            self.report({"ERROR"}, validation.summary(problems))
            return {"CANCELLED"}
        for warning in queue.warnings[:3]:
            self.report({"WARNING"}, warning)
        window_manager = context.window_manager
        self._session = queue
        self._tick = TICK_SECONDS
        self._home_window = context.window.as_pointer()  # type: ignore[union-attr]
        self._timer = window_manager.event_timer_add(self._tick, window=context.window)
        queue.on_end = self._remove_timer
        queue.begin(guard_layout=True)
        window_manager.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, context: bpy.types.Context, event: bpy.types.Event) -> OperatorResult:
        queue = self._session
        if queue is None or queue.ended:
            # Ended elsewhere: a file load or the add-on being disabled.
            return {"CANCELLED"}
        try:
            if event.type == "LEFTMOUSE" and event.value == "PRESS" and _in_status_bar(self._home(context), event):
                queue.status_bar_clicked()
            if event.type == "ESC" and event.value == "PRESS" and (queue.renders_here or _over_panel(context, event)):
                # Esc between renders (during one, Blender's render job takes
                # it). A background queue: only Esc over the panel, since the
                # person works on meanwhile and Esc means much else.
                queue.request_stop("cancelled")
            if event.type == "TIMER":
                own_tick = self._count_own_ticks()
                action = queue.tick()
                if action == Action.START:
                    queue.start_current(blocking=False, tick=own_tick)
                if queue.rendering and queue.renders_here:
                    stop_keys.watch(context, queue)
                elif action == Action.FINISH:
                    return self._finish(queue)
                self._set_tick(context, FAST_TICK_SECONDS if queue.wants_fast_ticks else TICK_SECONDS)
        except Exception as error:
            # An exception would make Blender drop this operator and leave the
            # scene changed: end the queue here, restored and reported.
            queue.internal_error(error)
            return self._finish(queue)
        return {"PASS_THROUGH"}

    def cancel(self, _context: bpy.types.Context) -> None:
        # Blender ends the modal itself (window closed, file loaded).
        if self._session is not None:
            self._session.abort("Blender ended the queue", keep_queue_file=True)

    def _finish(self, queue: session.QueueSession) -> OperatorResult:
        stop_keys.forget()
        text = queue.end()
        self.report({"ERROR" if queue.has_failures else "INFO"}, text)
        return {"FINISHED"}

    def _count_own_ticks(self) -> int:
        clock = self._timer.time_duration if self._timer is not None else 0.0
        if clock != self._timer_clock:
            self._timer_clock = clock
            self._own_ticks += 1
        return self._own_ticks

    def _set_tick(self, context: bpy.types.Context, seconds: float) -> None:
        home = self._home(context)
        if seconds != self._tick and self._timer is not None and home is not None:
            window_manager = context.window_manager
            window_manager.event_timer_remove(self._timer)
            self._tick = seconds
            self._timer = window_manager.event_timer_add(seconds, window=home)
            self._timer_clock = 0.0  # a new timer's clock starts at 0 and moves when it fires

    def _home(self, context: bpy.types.Context) -> bpy.types.Window | None:
        """The window this modal lives in (not `context.window`, see _home_window)."""
        return next(
            (window for window in context.window_manager.windows if window.as_pointer() == self._home_window), None
        )

    def _remove_timer(self) -> None:
        if self._timer is not None:
            bpy.context.window_manager.event_timer_remove(self._timer)
            self._timer = None

    # -- background mode ----------------------------------------------------------------
    def _run_blocking(self, context: bpy.types.Context) -> OperatorResult:
        queue, problems = blocking.run_blocking(
            context.scene,  # type: ignore[arg-type]
            self.only_remaining,
            all_scenes=self.all_scenes,
        )
        if queue is None:
            self.report({"ERROR"}, validation.summary(problems))
            return {"CANCELLED"}
        self.report({"ERROR" if queue.has_failures else "INFO"}, queue.report_text)
        return {"FINISHED"}


class _RunningQueueOperator(bpy.types.Operator):
    """An operator that acts on the running queue."""

    @classmethod
    def poll(cls, _context: bpy.types.Context) -> bool:
        if session.active() is None:
            cls.poll_message_set("No shot queue is running")
            return False
        return True

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        queue = session.active()
        if queue is None:
            return {"CANCELLED"}
        self.act(queue)
        return {"FINISHED"}

    def act(self, queue: session.QueueSession) -> None:
        raise NotImplementedError


class MULTIRENDER_OT_pause_toggle(_RunningQueueOperator):
    bl_idname = "multi_render.pause_toggle"
    bl_label = "Pause / Resume"
    bl_description = "Pause: let the current render finish, then hold the queue. Resume: go on with the next shot"

    def act(self, queue: session.QueueSession) -> None:
        queue.set_paused(not queue.paused)


class MULTIRENDER_OT_stop(_RunningQueueOperator):
    bl_idname = "multi_render.stop"
    bl_label = "Stop Queue"
    bl_description = (
        "Stop the queue once the current render has ended (Esc stops the render too). "
        "A background process is ended at once"
    )

    def act(self, queue: session.QueueSession) -> None:
        queue.request_stop("stopped")


def _in_background(context: bpy.types.Context) -> bool:
    """The scene asks for Render In: Background Process."""
    return context.scene is not None and scene_shots(context.scene).run_in == "BACKGROUND"


def _over_panel(context: bpy.types.Context, event: bpy.types.Event) -> bool:
    """Whether the pointer is over a 3D Viewport sidebar showing this add-on's tab."""
    window = context.window
    if window is None:
        return False
    for area in window.screen.areas:
        if area.type != "VIEW_3D":
            continue
        for region in area.regions:
            inside = (
                region.x <= event.mouse_x < region.x + region.width
                and region.y <= event.mouse_y < region.y + region.height
            )
            if region.type == "UI" and inside and _shows_our_tab(region):
                return True
    return False


def _shows_our_tab(region: bpy.types.Region) -> bool:
    try:
        return str(region.active_panel_category) == CATEGORY
    except (AttributeError, TypeError):
        return True  # cannot tell: the sidebar is ours enough


def _in_status_bar(window: bpy.types.Window | None, event: bpy.types.Event) -> bool:
    """Whether the pointer is below every area of the window: the status bar."""
    if window is None or not window.screen.areas:
        return False
    return event.mouse_y < min(area.y for area in window.screen.areas)


CLASSES = (
    MULTIRENDER_OT_render_shots,
    MULTIRENDER_OT_pause_toggle,
    MULTIRENDER_OT_stop,
)
