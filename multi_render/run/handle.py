# SPDX-License-Identifier: GPL-3.0-or-later
"""What the operators, the Esc watcher and the command line may ask of a
running queue and tell it: its only way in (session.py's QueueSession is
one, background.py's BackgroundSession another)."""

from __future__ import annotations

import time

from ..core import report
from ..core.logs import logger
from ..core.run import QueueRun, ShotRun

log = logger(__name__)


class QueueHandle:
    def __init__(self, run: QueueRun) -> None:
        self.run = run
        # Asked to stop (Stop, Esc, a file load, an error): once the last shot
        # is done the run has no stop reason, but its movies still end now.
        self.stopping = False

    def status_bar_clicked(self) -> None:
        self.run.status_bar_clicked(time.monotonic())

    def request_stop(self, reason: str) -> None:
        self.stopping = True
        self.run.request_stop(reason)

    def stop_key_pressed(self) -> None:
        """The person pressed Esc while a render ran (see stop_keys)."""
        self.run.stop_key_pressed()

    def stop_keys_unseen(self, why: str) -> None:
        """Esc cannot be watched in some window: from now on every cancelled
        render counts as the person's stop, never as a failed shot."""
        log.warning("cannot watch Esc in a window (%s); a cancel will stop the queue", why)
        self.run.sees_stop_keys = False

    @property
    def rendering(self) -> bool:
        """A shot's render was started and has not settled yet."""
        return self.run.rendering

    @property
    def wants_fast_ticks(self) -> bool:
        """Something is due within milliseconds: the next shot, as soon as
        the render that ended lets go of Blender's render job."""
        return self.run.render_ended

    @property
    def paused(self) -> bool:
        return self.run.paused

    @property
    def stop_reason(self) -> str:
        """Why the run stopped before its last shot ("" if it did not)."""
        return self.run.stop_reason

    @property
    def current_shot(self) -> ShotRun | None:
        return self.run.current

    @property
    def has_failures(self) -> bool:
        return report.is_error(self.run)

    @property
    def shots(self) -> list[ShotRun]:
        """Every shot of the run, with its status, files, time and reason."""
        return self.run.shots
