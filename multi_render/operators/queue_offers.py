# SPDX-License-Identifier: GPL-3.0-or-later
"""A queue left unfinished by a Blender that quit or crashed
(run/queue_keeping.py): Resume renders the shots it did not finish, opening
its file first if another one is open; Discard forgets it. Offered in a
popup when Blender starts and in the panel until answered."""

from __future__ import annotations

import functools
import os

import bpy
from bpy.props import StringProperty

from ..bl_types import OperatorResult
from ..core import queue_file
from ..core.logs import logger
from ..props import runtime_state
from ..run import queue_keeping
from ..ui import panel

log = logger(__name__)


class MULTIRENDER_OT_queue_resume(bpy.types.Operator):
    bl_idname = "multi_render.queue_resume"
    bl_label = "Resume"
    bl_description = (
        "Render the shots this queue did not finish, with the same Skip Existing rules; "
        "the shots it finished and their files are not touched. Opens the queue's file first if another is open"
    )
    bl_options = {"INTERNAL"}

    path: StringProperty(name="Queue File", subtype="FILE_PATH", options={"SKIP_SAVE"})

    @classmethod
    def poll(cls, _context: bpy.types.Context) -> bool:
        # Whatever keeps Render Shots from starting keeps a resume from it.
        return bool(bpy.ops.multi_render.render_shots.poll())  # type: ignore[attr-defined]

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        try:
            record = queue_file.read(self.path)
        except queue_file.QueueFileError as error:
            self.report({"ERROR"}, f"Cannot resume: the queue file {error}")
            return {"CANCELLED"}
        if queue_keeping.is_open_file(record.blend):
            problem = _render_rest(self.path)
            if problem:
                self.report({"ERROR"}, problem)
            return {"CANCELLED"} if problem else {"FINISHED"}
        if not os.path.isfile(record.blend):
            self.report({"ERROR"}, f"Cannot resume: the queue's file {record.blend} is gone")
            return {"CANCELLED"}
        if bpy.data.is_dirty:
            self.report({"ERROR"}, f"Save or revert the open file first: Resume opens {record.blend}")
            return {"CANCELLED"}
        bpy.ops.wm.open_mainfile(filepath=record.blend)
        # The loaded file's scene is ready once this operator has returned.
        bpy.app.timers.register(functools.partial(_render_rest_later, self.path), first_interval=0.05)
        return {"FINISHED"}


class MULTIRENDER_OT_queue_discard(bpy.types.Operator):
    bl_idname = "multi_render.queue_discard"
    bl_label = "Discard"
    bl_description = "Forget this unfinished queue (no file is removed but the queue's own record)"
    bl_options = {"INTERNAL"}

    path: StringProperty(name="Queue File", subtype="FILE_PATH", options={"SKIP_SAVE"})

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        if self.path not in {offer.path for offer in runtime_state().queue_offers}:
            self.report({"ERROR"}, "No such unfinished queue")
            return {"CANCELLED"}
        if problem := queue_keeping.claim(self.path):
            self.report({"ERROR"}, f"Cannot discard the queue: {problem}")
            return {"CANCELLED"}
        queue_keeping.unclaim(self.path, remove=True)
        queue_keeping.refresh_offers()
        return {"FINISHED"}


def _render_rest(path: str) -> str | None:
    """Start the queue's unfinished shots; why not, if they could not start
    (also the panel's report: after a file load nobody else would say it)."""
    try:
        bpy.ops.multi_render.render_shots("EXEC_DEFAULT", resume_file=path)  # type: ignore[attr-defined]
    except RuntimeError as error:  # the operator's own error report
        # Its last line is the report (called without a window, the message
        # carries the nested call's traceback first).
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        message = (lines[-1] if lines else "Cannot resume the queue").removeprefix("Error: ")
        log.error("%s", message)
        runtime_state().last_report = message
        return message
    return None


def _render_rest_later(path: str) -> None:
    _render_rest(path)  # a timer: its return value would be its next interval


def _offer_at_startup() -> None:
    """A popup when Blender starts with unfinished queues (once the window is up)."""
    window_manager = bpy.context.window_manager
    if window_manager is None or not window_manager.windows:
        return
    if not queue_keeping.refresh_offers():
        return

    def draw(menu: bpy.types.UIPopupMenu, _context: bpy.types.Context) -> None:
        if menu.layout is not None:
            panel.draw_queue_offers(menu.layout, runtime_state(window_manager), boxed=False)

    with bpy.context.temp_override(window=window_manager.windows[0]):
        window_manager.popup_menu(draw, title="Unfinished Render Queue", icon="RECOVER_LAST")


CLASSES = (MULTIRENDER_OT_queue_resume, MULTIRENDER_OT_queue_discard)


def register() -> None:
    # After registration, once Blender's window is up (at startup, a timer
    # runs after the first event loop; enabling the add-on later, at once).
    # Not without a window: the bpy module crashes at exit on a timer that
    # never ran (measured on the 4.2 wheel).
    if not bpy.app.background:
        # Persistent: a file given on the command line loads before the
        # first event loop, and a load drops the timers that are not.
        bpy.app.timers.register(_offer_at_startup, first_interval=0.5, persistent=True)


def unregister() -> None:
    if bpy.app.timers.is_registered(_offer_at_startup):
        bpy.app.timers.unregister(_offer_at_startup)
