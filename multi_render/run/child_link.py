# SPDX-License-Identifier: GPL-3.0-or-later
"""The background process's side of background.py (`render --serve`):
take the shots to render from the Blender that started it, one "shots"
command at a time, report each shot's start and end and the render's own
progress, and end at once when that Blender is gone or done with us (its
pipe to our standard input closes)."""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from typing import Any, NoReturn

import bpy

from ..core import child_protocol
from ..core.child_protocol import EndEvent, ShotEvent
from ..core.logs import logger
from ..core.run import ShotRun
from ..core.status import ShotStatus
from .session import QueueSession

log = logger(__name__)

STATS_SECONDS = 0.25  # the render's progress is sent at most this often


class ParentLink:
    def __init__(self, out: int) -> None:
        """`out`: the file descriptor of the real standard output (everything
        else printed meanwhile goes to standard error)."""
        self._out = out
        self._plans: queue.SimpleQueue[list[tuple[str, list[int]]]] = queue.SimpleQueue()
        self._paused = threading.Event()
        self._positions: dict[int, int] = {}  # id(ShotRun) -> its place in the run
        self._sent: dict[int, ShotStatus] = {}  # place -> the status last sent
        self._stats_sent_at = 0.0
        self._session: QueueSession | None = None
        # Render statistics may come from a render thread: one writer at a time.
        self._writing = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._read_commands, name="multi_render parent commands", daemon=True).start()
        bpy.app.handlers.render_stats.append(_on_stats)
        _links.append(self)

    def stop(self) -> None:
        if _on_stats in bpy.app.handlers.render_stats:
            bpy.app.handlers.render_stats.remove(_on_stats)
        if self in _links:
            _links.remove(self)

    # -- called by the run (session.run_blocking) -------------------------------------
    def next_plan(self) -> list[tuple[str, list[int]]]:
        """Wait for the next shots to render, and hold while paused (the
        process ends when its standard input closes)."""
        plan = self._plans.get()
        while self._paused.is_set():
            time.sleep(0.05)
        return plan

    def follow(self, session: QueueSession) -> None:
        """Before a run and between its shots: report what changed."""
        if self._session is not session:
            self._session = session
            self._positions = {id(shot): position for position, shot in enumerate(session.shots)}
            self._sent.clear()
            session.on_shot_change = self.shot_changed

    def shot_changed(self, shot: ShotRun) -> None:
        position = self._positions.get(id(shot))
        if position is None or shot.status == ShotStatus.PENDING or self._sent.get(position) == shot.status:
            return
        self._sent[position] = shot.status
        settled = shot.status != ShotStatus.RENDERING
        self._write(
            child_protocol.shot_line(
                ShotEvent(
                    position,
                    shot.scene,
                    shot.name,
                    shot.status,
                    shot.reason,
                    shot.seconds if settled else 0.0,
                    shot.started_wall,
                    shot.pass_files if settled else (),
                )
            )
        )

    def stats(self, text: str) -> None:
        now = time.monotonic()
        progress = child_protocol.render_progress(text)
        if progress and now - self._stats_sent_at >= STATS_SECONDS:
            self._stats_sent_at = now
            self._write(child_protocol.stats_line(progress))

    def finish(self, event: EndEvent) -> None:
        self._write(child_protocol.end_line(event))

    # -- internals --------------------------------------------------------------------
    def _write(self, line: str) -> None:
        data = line.encode("utf-8")
        with self._writing:
            try:
                while data:  # a long line may take more than one write
                    data = data[os.write(self._out, data) :]
            except OSError:
                os._exit(child_protocol.PARENT_GONE_EXIT)  # nobody reads us any more

    def _read_commands(self) -> None:
        """On a helper thread: only hands plans over, flips the pause, or ends the process."""
        try:
            for line in sys.stdin:
                command = line.strip()
                if command == child_protocol.PAUSE:
                    self._paused.set()
                elif command == child_protocol.RESUME:
                    self._paused.clear()
                elif (plan := child_protocol.read_plan(line)) is not None:
                    self._plans.put(plan)
        finally:
            _parent_gone()


def follow_without_commands() -> None:
    """A process a Blender follows without sending it commands (Other Files):
    end when that Blender is gone, and print the render's statistics on
    standard error at once (Blender's own lines wait in its output buffer
    while standard output is a pipe)."""
    bpy.app.handlers.render_stats.append(_print_stats)

    def watch() -> None:
        try:
            for _line in sys.stdin:
                pass
        finally:
            _parent_gone()

    threading.Thread(target=watch, name="multi_render parent watch", daemon=True).start()


_stats_printed_at = [0.0]


@bpy.app.handlers.persistent  # type: ignore[untyped-decorator]
def _print_stats(text: Any, *_args: Any) -> None:  # registered before the file loads: kept by loads
    now = time.monotonic()
    if now - _stats_printed_at[0] >= STATS_SECONDS:
        _stats_printed_at[0] = now
        print(child_protocol.STATS_PREFIX + str(text), file=sys.stderr, flush=True)


def _parent_gone() -> NoReturn:
    # Standard input closed (or broke): the Blender that started us is gone.
    # Stop rendering for nobody.
    os._exit(child_protocol.PARENT_GONE_EXIT)


_links: list[ParentLink] = []


def _on_stats(text: Any, *_args: Any) -> None:
    for link in _links:
        link.stats(str(text))
