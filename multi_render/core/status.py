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

    @classmethod
    def known(cls, value: str) -> bool:
        """Whether this version knows a stored status (a .blend from a newer one may not)."""
        return value in {status.value for status in cls}


class RenderEvent(str, Enum):
    """How a render ended: the render handler that fired
    (bpy.app.handlers.render_cancel or render_complete). Only these two tell
    how it ended; the others fire on a failed render too."""

    CANCEL = "cancel"
    COMPLETE = "complete"
    # The engine's own stats said it was stopped before its end (Cycles:
    # "... | Cancelled"), whichever of the two above then fires.
    STOPPED = "stopped"


def says_stopped(stats: str) -> bool:
    """Whether a render_stats text is the engine saying it was stopped. Blender
    5.x reports a render stopped with the progress bar's X as complete: this,
    not the timing of a click, tells it from a render that ended by itself."""
    return stats.rsplit("|", 1)[-1].strip() == "Cancelled"
