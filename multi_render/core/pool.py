# SPDX-License-Identifier: GPL-3.0-or-later
"""A run that background processes render (run/background.py follows them),
one or several at once. Each process takes the next shot when it is free,
so long and short shots balance; the shots start and settle as the
processes report them. A process lost mid-shot (crashed, killed) has that
shot tried again on a new one while retries are left."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from .run import Action, QueueRun, ShotRun
from .status import ShotStatus

LOST_EARLY = "the background Blender ended early"


def threads_each(processes: int, cores: int | None) -> int:
    """Render threads for each of `processes` processes: the cores shared
    out, at least one each; 0 (Blender's own choice) for a single process."""
    if processes <= 1:
        return 0
    return max(1, (cores or 1) // processes)


class PoolRun(QueueRun):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.retries = 0  # new tries of a shot whose process was lost mid-shot
        self._holder: dict[int, int] = {}  # position -> the process (slot) it was given to
        self._lost_tries: dict[int, list[str]] = {}  # position -> why each earlier try's process was lost
        self.given_to: dict[int, int] = {}  # position -> the process (slot) it was last given to, kept

    # -- what the processes ask and tell ----------------------------------------------
    def take_next(self, slot: int) -> int | None:
        """The place of the next shot for the free process `slot`, or None
        (none left, stopped, or paused: the process waits)."""
        if self.finished or self.stop_reason or self.paused:
            return None
        position = next(self._waiting(), None)
        if position is not None:
            self._holder[position] = self.given_to[position] = slot
        return position

    def held_by(self, slot: int) -> int | None:
        """The place of the shot the process `slot` renders or renders next
        (the oldest it was given and has not settled), if any."""
        return next((position for position, holder in self._holder.items() if holder == slot), None)

    def plenty_left(self, processes: int) -> bool:
        """More shots wait than there are processes: a process may be given
        its next shot while it renders (it never waits for this Blender
        between shots), and the last shots still go to whichever is free."""
        if self.paused or self.stop_reason:
            return False
        return len(list(itertools.islice(self._waiting(), processes + 1))) > processes

    def child_started(self, position: int, started_wall: float) -> None:
        shot = self.shots[position]
        shot.status = ShotStatus.RENDERING
        shot.started_at = self._clock()
        shot.started_wall = started_wall

    def child_ended(
        self, position: int, status: ShotStatus, reason: str, seconds: float, pass_files: Sequence[str]
    ) -> None:
        """The process settled the shot (rendered, skipped, failed, cancelled)."""
        shot = self.shots[position]
        shot.status, shot.reason, shot.seconds, shot.pass_files = status, reason, seconds, tuple(pass_files)
        if tries := self._lost_tries.get(position):
            shot.reason = (reason + "; " if reason else "") + _earlier_tries(tries)
        self._holder.pop(position, None)
        if status == ShotStatus.CANCELLED:
            self.stop_reason = self.stop_reason or "cancelled"
        self._finish_if_settled()

    def process_lost(self, slot: int, reason: str, *, proven: bool = False) -> ShotRun | None:
        """The process `slot` ended with a shot still its own. The shot goes
        back to the queue for a new process while retries are left, if its
        render had started or the process had rendered before (`proven`): a
        process that never got as far as rendering will not do better on
        the next try, and the run stops. Returns the shot when it failed for
        good (its unfinished files are removed)."""
        position = self.held_by(slot)
        if position is None:
            return None
        for given in [given for given, holder in self._holder.items() if holder == slot]:
            del self._holder[given]  # a shot given ahead, never started: simply waits again
        shot = self.shots[position]
        started = shot.status == ShotStatus.RENDERING
        if started:
            shot.seconds = self._clock() - shot.started_at
        tries = self._lost_tries.setdefault(position, [])
        tries.append(reason)
        if (started or proven) and len(tries) <= self.retries and not self.stop_reason:
            shot.status = ShotStatus.PENDING  # taken again by the next free process
            return None
        shot.status, shot.reason = (
            ShotStatus.FAILED,
            reason + (f" ({_earlier_tries(tries[:-1])})" if len(tries) > 1 else ""),
        )
        self.stop_reason = self.stop_reason or LOST_EARLY  # the shots not given out yet stay pending
        self._finish_if_settled()
        return shot

    def child_stopped(self, reason: str) -> None:
        """A process's run stopped early for `reason` (it cancelled its shot,
        which stopped the pool as "cancelled"): the report says why."""
        if reason and self.stop_reason == "cancelled":
            self.stop_reason = reason

    def tries_of(self, position: int) -> int:
        """How many processes were lost on the shot so far."""
        return len(self._lost_tries.get(position, ()))

    # -- the run as the Blender side reads it ----------------------------------------
    @property
    def in_flight(self) -> list[int]:
        """The places of the shots being rendered, in order."""
        return [position for position, shot in enumerate(self.shots) if shot.status == ShotStatus.RENDERING]

    @property
    def current(self) -> ShotRun | None:
        """The first shot being rendered, or the next one to start."""
        for wanted in (ShotStatus.RENDERING, ShotStatus.PENDING):
            if shot := next((shot for shot in self.shots if shot.status == wanted), None):
                return shot
        return None

    @property
    def position(self) -> int:
        return sum(1 for shot in self.shots if shot.status not in (ShotStatus.PENDING, ShotStatus.RENDERING))

    @property
    def rendering(self) -> bool:
        return bool(self.in_flight)

    @property
    def position_text(self) -> str:
        """'Shot 3/6: name', 'Shots 3, 4/6: a, b' with several in flight."""
        count = len(self.shots)
        flying = self.in_flight
        if not flying:
            shot = self.current
            if shot is None or not self.paused:
                return "" if shot is None else f"Shot {self.shots.index(shot) + 1}/{count}: {shot.name}"
            return f"Paused before shot {self.shots.index(shot) + 1}/{count}: {shot.name}"
        places = ", ".join(str(position + 1) for position in flying)
        names = ", ".join(self.shots[position].name for position in flying)
        return f"Shot{'s' if len(flying) > 1 else ''} {places}/{count}: {names}"

    def next_action(self, job_running: bool) -> Action:
        return Action.FINISH if self.finished else Action.WAIT

    def abort(self, reason: str) -> None:
        """End now: every process is gone, the shots they rendered cancelled."""
        if self.finished:
            return
        self.stop_reason = self.stop_reason or reason
        for position in self.in_flight:
            shot = self.shots[position]
            shot.status = ShotStatus.CANCELLED
            shot.seconds = self._clock() - shot.started_at
        self._holder.clear()
        self.ended_at = self._clock()

    def all_given_out(self) -> bool:
        """No shot waits for a process (so a free process may end)."""
        return self.stop_reason != "" or next(self._waiting(), None) is None

    def _waiting(self) -> Iterator[int]:
        """The places of the pending shots no process was given, in order."""
        return (
            position
            for position, shot in enumerate(self.shots)
            if shot.status == ShotStatus.PENDING and position not in self._holder
        )

    def _finish_if_settled(self) -> None:
        if self._holder:
            return
        if self.stop_reason or all(shot.status != ShotStatus.PENDING for shot in self.shots):
            self.ended_at = self._clock()


def _earlier_tries(reasons: list[str]) -> str:
    """What History keeps of the tries a lost process ended."""
    return "; ".join(f"try {number}: {reason}" for number, reason in enumerate(reasons, start=1))
