# SPDX-License-Identifier: GPL-3.0-or-later
"""Render handlers. Under INVOKE they run on the render job's worker thread,
so they only append to an inbox; the queue drains it on the main thread.
Only our own functions are ever added to or removed from Blender's lists."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

import bpy

from ..core.status import RenderEvent, says_stopped

# deque.append and popleft are atomic, so the render thread and the main
# thread can share it without a lock.
_inbox: deque[tuple[RenderEvent, float]] = deque()


def _record(event: RenderEvent) -> None:
    _inbox.append((event, time.monotonic()))


def on_render_cancel(_scene: Any, _depsgraph: Any = None) -> None:
    _record(RenderEvent.CANCEL)


def on_render_complete(_scene: Any, _depsgraph: Any = None) -> None:
    _record(RenderEvent.COMPLETE)


def on_render_stats(stats: Any, *_args: Any) -> None:
    # Called many times a second: record only the engine's word that it stopped.
    if isinstance(stats, str) and says_stopped(stats):
        _record(RenderEvent.STOPPED)


def _handler_lists() -> tuple[tuple[list[Callable[..., None]], Callable[..., None]], ...]:
    h = bpy.app.handlers
    return (
        (h.render_cancel, on_render_cancel),
        (h.render_complete, on_render_complete),
        (h.render_stats, on_render_stats),
    )


def add() -> None:
    _inbox.clear()
    for handlers, function in _handler_lists():
        if function not in handlers:
            handlers.append(function)


def remove() -> None:
    for handlers, function in _handler_lists():
        while function in handlers:
            handlers.remove(function)
    _inbox.clear()


def drain() -> list[tuple[RenderEvent, float]]:
    events = []
    while _inbox:
        events.append(_inbox.popleft())
    return events
