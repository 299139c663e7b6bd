# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeing the person's Esc during a render. Blender's render operator takes
Esc before any other modal handler sees it, and a render whose engine
reported an error is cancelled the same way, so the queue could not tell a
person's stop from a failed render. A small pass-through handler with modal
priority sits in front of the render's own (and of tools the person starts)
in every window and only notes each Esc. A menu opened mid-render goes in
front of everything, so the handler is put back in front every
REFRESH_SECONDS while the render runs; the ones it replaces end on their
next event."""

from __future__ import annotations

import time
from typing import Any

import bpy

from ..bl_types import OperatorResult
from ..run import session

REFRESH_SECONDS = 0.5

# Window (as_pointer) -> (shot watched, when its front handler was added).
_front: dict[int, tuple[Any, float]] = {}


class MULTIRENDER_OT_watch_stop_keys(bpy.types.Operator):
    bl_idname = "multi_render.watch_stop_keys"
    bl_label = "Watch Esc During a Shot"
    bl_options = {"INTERNAL", "MODAL_PRIORITY"}

    _shot: Any = None
    _window = 0
    _added_at = 0.0

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        queue = session.active()
        if queue is None or not queue.rendering or context.window is None:
            return {"CANCELLED"}
        self._shot = queue.current_shot
        self._window = context.window.as_pointer()
        self._added_at = time.monotonic()
        _front[self._window] = (self._shot, self._added_at)
        context.window_manager.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, _context: bpy.types.Context, event: bpy.types.Event) -> OperatorResult:
        queue = session.active()
        in_front = _front.get(self._window, (None, 0.0))[1] == self._added_at
        if queue is None or not queue.rendering or queue.current_shot is not self._shot:
            if in_front:
                del _front[self._window]
            return {"FINISHED", "PASS_THROUGH"}
        if event.type == "ESC" and event.value == "PRESS":
            queue.stop_key_pressed()
        if not in_front:
            return {"FINISHED", "PASS_THROUGH"}  # a newer one took its place
        return {"PASS_THROUGH"}


def watch(context: bpy.types.Context, queue: session.QueueSession) -> None:
    """Called on each tick while a shot renders: every window (a render may
    open its own) gets a handler in front for this shot, renewed now and then."""
    now = time.monotonic()
    for window in context.window_manager.windows:
        shot, added_at = _front.get(window.as_pointer(), (None, 0.0))
        if shot is queue.current_shot and now - added_at < REFRESH_SECONDS:
            continue
        try:
            with context.temp_override(window=window):
                bpy.ops.multi_render.watch_stop_keys("INVOKE_DEFAULT")  # type: ignore[attr-defined]
        except RuntimeError as error:
            # Without a handler an Esc could go unseen.
            queue.stop_keys_unseen(str(error))


def forget() -> None:
    """The queue ended: its handlers end on their next event."""
    _front.clear()


CLASSES = (MULTIRENDER_OT_watch_stop_keys,)
