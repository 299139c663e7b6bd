# SPDX-License-Identifier: GPL-3.0-or-later
"""Shot statuses and the render events the handlers record."""

from __future__ import annotations

from enum import Enum


class ShotStatus(str, Enum):
    PENDING = "PENDING"
    RENDERING = "RENDERING"
    DONE = "DONE"
    SKIPPED = "SKIPPED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class RenderEvent(str, Enum):
    """One call of a render handler, named after bpy.app.handlers.render_*."""

    INIT = "init"
    PRE = "pre"
    POST = "post"
    WRITE = "write"
    CANCEL = "cancel"
    COMPLETE = "complete"
