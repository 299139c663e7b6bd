# SPDX-License-Identifier: GPL-3.0-or-later
"""How long a running queue still needs: from this run's finished shots
(seconds per frame, so a range shot counts for its frames), else from each
shot's time in an earlier run. Never "0 s" while something still renders."""

from __future__ import annotations

from collections.abc import Mapping

from .run import QueueRun
from .status import ShotStatus

# The least a started render is said to need: it has not ended yet.
_AT_LEAST_SECONDS = 1.0


def seconds_left(run: QueueRun, earlier: Mapping[int, float], now: float, parallel: int = 1) -> float | None:
    """Seconds until the last shot ends, or None when nothing tells yet.
    `earlier`: each shot's (by its place in the run) seconds in an earlier run, 0 if none;
    `now` on the run's clock; `parallel`: processes rendering side by side
    (the work shared out, but never less than the longest render under way)."""
    done = [shot for shot in run.shots if shot.status == ShotStatus.DONE and shot.seconds > 0]
    frames_done = sum(len(shot.output_paths) for shot in done)
    per_frame = sum(shot.seconds for shot in done) / frames_done if frames_done else None
    total = 0.0
    longest = 0.0
    for position, shot in enumerate(run.shots):
        if shot.status not in (ShotStatus.PENDING, ShotStatus.RENDERING):
            continue
        if per_frame is not None:
            expected = per_frame * len(shot.output_paths)
        elif earlier.get(position, 0.0) > 0:
            expected = earlier[position]
        else:
            return None
        if shot.status == ShotStatus.RENDERING:
            expected = max(expected - (now - shot.started_at), _AT_LEAST_SECONDS)
            longest = max(longest, expected)
        total += expected
    total = max(total / max(1, parallel), longest)
    return total if total > 0 else None


def duration_text(seconds: float) -> str:
    """'40 s', '3 min', '1 h 5 min'."""
    if seconds < 59.5:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def left_text(seconds: float | None) -> str:
    """What the progress text adds: ' - about 3 min left', or nothing."""
    return "" if seconds is None else f" - about {duration_text(seconds)} left"
