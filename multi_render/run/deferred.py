# SPDX-License-Identifier: GPL-3.0-or-later
"""Layout steps that must run outside any operator's context (they free the
screen an operator's context may point at): one pending step at a time, on a
timer that is removed whenever the run ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import bpy

from ..core.logs import logger
from ..guards.layout import LayoutGuard
from .progress import mark_stopped

log = logger(__name__)

# What the end of a run does with the person's windows: put them back from a
# timer (the usual way: outside the operator's context), at once (the add-on
# is being disabled: no timer may outlive it), or leave them (a file is
# loading: its own screens replace ours).
LayoutEnd = Literal["later", "now", "leave"]

# The one pending step, kept so that it can be unregistered.
_pending: list[Callable[[], None]] = []


def run_soon(function: Callable[[], None]) -> None:
    """Call `function` once from a timer, outside any operator's context."""
    cancel()

    def once() -> None:
        _pending.clear()
        function()

    _pending.append(once)
    bpy.app.timers.register(once, first_interval=0.0)


def cancel() -> None:
    for function in _pending:
        if bpy.app.timers.is_registered(function):
            bpy.app.timers.unregister(function)
    _pending.clear()


def pending() -> bool:
    return bool(_pending)


def restore_layout(layout: LayoutGuard, keep: int = 0) -> None:
    """The person's windows back (but the window `keep`); the queue counts as
    running until they are."""
    try:
        layout.restore(keep)
    finally:
        mark_stopped()


def end_layout(guard: LayoutGuard | None, how: LayoutEnd) -> None:
    """The run is over: its windows back as `how` says; the queue counts as
    running until they are."""
    if guard is None or how == "leave":
        mark_stopped()
    elif how == "now":
        # The add-on is being disabled, maybe from an operator in a window
        # (Preferences): that window is left alone, and nothing may escape
        # into unregister().
        window = bpy.context.window
        try:
            restore_layout(guard, keep=window.as_pointer() if window is not None else 0)
        except Exception:
            log.exception("could not put the windows back")
    else:
        run_soon(lambda: restore_layout(guard))
