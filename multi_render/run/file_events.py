# SPDX-License-Identifier: GPL-3.0-or-later
"""Blender-wide events a running queue must follow: loading another file
ends it; saving the .blend during a render saves the person's settings."""

from __future__ import annotations

from typing import Any

import bpy

from ..results import thumbnails
from . import other_files, output_keeping, queue_keeping, session


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def on_load_pre(*_args: Any) -> None:
    session.abort_active("another file was loaded", layout="leave")
    other_files.abort_active("another file was loaded")


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def on_load_post(*_args: Any) -> None:
    # Blender stops a running render during the load, after load_pre, and
    # writes its unfinished image then.
    output_keeping.late_files.remove_all()
    thumbnails.clear()
    if not bpy.app.background:
        queue_keeping.refresh_offers()


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def on_save_pre(*_args: Any) -> None:
    session.before_save()


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def on_save_post(*_args: Any) -> None:
    session.after_save()


_HANDLERS = (
    (bpy.app.handlers.load_pre, on_load_pre),
    (bpy.app.handlers.load_post, on_load_post),
    (bpy.app.handlers.save_pre, on_save_pre),
    (bpy.app.handlers.save_post, on_save_post),
    # A save that fails (full disk) must give the shot its settings back too.
    (bpy.app.handlers.save_post_fail, on_save_post),
)


def register() -> None:
    for handlers, function in _HANDLERS:
        if function not in handlers:
            handlers.append(function)


def unregister() -> None:
    for handlers, function in _HANDLERS:
        while function in handlers:
            handlers.remove(function)
