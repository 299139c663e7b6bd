# SPDX-License-Identifier: GPL-3.0-or-later
"""A guard against a Blender crash. With Render In = Maximized Area, a render
started while a popup is open in a window (Blender's splash screen, an open
menu) makes Blender 4.3 and 5.2 crash: the render swaps the window's screen
and the popup's handler then reads a freed UI block. Python cannot see
popups, but assigning a window its own workspace makes Blender close that
window's popups in its next notifier pass, which runs between two event
loops. So before each such render the queue does that, and starts the render
on a later tick of its own timer."""

from __future__ import annotations

import bpy

from ..core.logs import logger

log = logger(__name__)


def _renders_maximized() -> bool:
    return bool(bpy.context.preferences.view.render_display_type == "SCREEN")


def close_popups() -> None:
    """Ask Blender to close every window's popups (menus, the splash)."""
    for window in bpy.context.window_manager.windows:
        try:
            window.workspace = window.workspace  # Blender ignores this on temporary windows
        except (AttributeError, TypeError, RuntimeError) as error:
            log.debug("cannot close popups in a window: %s", error)


class PopupGuard:
    """`ready(tick)` is False once before each render that needs the guard
    (popups are being closed), then True from a later tick on. `tick` counts
    the caller's own timer ticks (other timers' events reach a modal operator
    too, within the same event loop)."""

    def __init__(self) -> None:
        self._closed_at: int | None = None

    def ready(self, tick: int) -> bool:
        if not _renders_maximized():
            return True
        if self._closed_at == tick:
            return False  # the same tick: Blender has not closed them yet
        if self._closed_at == tick - 1:
            self._closed_at = None
            return True
        # First try, or the start was put off since (pause, a render of the
        # person's): a popup may have opened meanwhile, close again.
        close_popups()
        self._closed_at = tick
        return False
