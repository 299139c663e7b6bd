# SPDX-License-Identifier: GPL-3.0-or-later
"""Blender-wide events that end a running queue: loading another file."""

from __future__ import annotations

from typing import Any

import bpy

from . import session


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def on_load_pre(*_args: Any) -> None:
    session.abort_active("another file was loaded", restore_layout=False)


def register() -> None:
    if on_load_pre not in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.append(on_load_pre)


def unregister() -> None:
    while on_load_pre in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.remove(on_load_pre)
