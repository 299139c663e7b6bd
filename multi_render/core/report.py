# SPDX-License-Identifier: GPL-3.0-or-later
"""The one-line report a finished queue gives."""

from __future__ import annotations

from collections import Counter

from .run import QueueRun
from .status import ShotStatus


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(run: QueueRun) -> str:
    """E.g. "Rendered 5 shots, 1 failed, 2 not started: cancelled (12.3 s)"."""
    counts = Counter(shot.status for shot in run.shots)
    parts = [f"Rendered {_plural(counts[ShotStatus.DONE], 'shot')}"]
    for status, words in (
        (ShotStatus.SKIPPED, "skipped"),
        (ShotStatus.FAILED, "failed"),
        (ShotStatus.CANCELLED, "cancelled"),
        (ShotStatus.PENDING, "not started"),
    ):
        if counts[status]:
            parts.append(f"{counts[status]} {words}")
    text = ", ".join(parts)
    if run.stop_reason:
        text += f": {run.stop_reason}"
    text += f" ({run.seconds:.1f} s)"
    failures = [f"{shot.name}: {shot.reason}" for shot in run.shots if shot.status == ShotStatus.FAILED]
    if failures:
        text += ". Failed: " + "; ".join(failures)
    if movies := sum(1 for shot in run.shots if shot.movie_written):
        text += f". {_plural(movies, 'movie')} made"
    if unmade := [f"{shot.name}: {shot.movie_note}" for shot in run.shots if shot.movie_note]:
        text += ". No movie of " + "; ".join(unmade)
    return text


def is_error(run: QueueRun) -> bool:
    """Whether the report should be shown as an error rather than info."""
    return any(shot.status == ShotStatus.FAILED for shot in run.shots)
