# SPDX-License-Identifier: GPL-3.0-or-later
"""A child process whose output is read without ever waiting: one helper
thread a stream puts lines in a queue (the threads touch nothing else), and
the caller drains it from its timer. Standard error's last lines are kept
to say why a process ended early."""

from __future__ import annotations

import atexit
import collections
import contextlib
import queue
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from typing import IO, Any

from .logs import logger

log = logger(__name__)

LOG_LINES = 40  # lines of standard error kept
# Once the process has ended, its output is read to the end within this
# long: something it started may hold its pipes open for ever.
READ_AFTER_EXIT_SECONDS = 2.0


def _own_group() -> dict[str, Any]:
    """Start it apart: Ctrl+C in the terminal that started Blender is not
    for it, and on Windows it opens no console window."""
    if sys.platform == "win32":
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        return {"creationflags": flags}
    return {"start_new_session": True}


class ChildProcess:
    def __init__(self, argv: Sequence[str], cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        self._process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            **_own_group(),
        )
        self._exited_at: float | None = None
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._log: collections.deque[str] = collections.deque(maxlen=LOG_LINES)
        self._readers = [
            _reader(self._process.stdout, self._lines.put),
            _reader(self._process.stderr, self._log.append),
        ]
        _living.add(self)
        log.info("started process %d: %s", self._process.pid, " ".join(argv[:2]))

    @property
    def pid(self) -> int:
        return self._process.pid

    def lines(self) -> list[str]:
        """The lines printed on standard output since the last call."""
        found = []
        with contextlib.suppress(queue.Empty):
            while True:
                found.append(self._lines.get_nowait())
        return found

    @property
    def done(self) -> bool:
        """The process has ended and everything it printed has been read
        (call lines() once more after seeing this)."""
        if self._process.poll() is None:
            return False
        if self._exited_at is None:
            self._exited_at = time.monotonic()
        reading = any(reader.is_alive() for reader in self._readers)
        return not reading or time.monotonic() - self._exited_at > READ_AFTER_EXIT_SECONDS

    @property
    def exit_code(self) -> int | None:
        return self._process.poll()

    def log_tail(self, count: int = 5) -> str:
        """The last lines of its standard error, non-empty ones."""
        lines = [line.rstrip() for line in self._log if line.strip()]
        return "\n".join(lines[-count:])

    def send(self, command: str) -> None:
        """One line on its standard input (ignored once it has ended)."""
        stdin = self._process.stdin
        if stdin is None or self._process.poll() is not None:
            return
        with contextlib.suppress(OSError, ValueError):
            stdin.write(command + "\n")
            stdin.flush()

    def kill(self) -> None:
        """End it now and reap it: no process is left behind; what it printed
        before is read to the end (see lines())."""
        if self._process.poll() is None:
            log.info("ending process %d", self._process.pid)
            with contextlib.suppress(OSError):
                self._process.kill()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.error("process %d did not end within 10 s of being killed", self._process.pid)
        if self._process.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                self._process.stdin.close()
        for reader in self._readers:
            reader.join(timeout=READ_AFTER_EXIT_SECONDS)
        _living.discard(self)


def _reader(stream: IO[str] | None, put: Callable[[str], object]) -> threading.Thread:
    def read() -> None:
        if stream is None:
            return
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                put(line)

    thread = threading.Thread(target=read, name="multi_render child output", daemon=True)
    thread.start()
    return thread


# Processes still running, ended when Python ends (Blender quits) if nothing
# ended them before. Each one also ends itself when its standard input closes.
_living: weakref.WeakSet[ChildProcess] = weakref.WeakSet()


def end_all_at_exit(watch: bool = True) -> None:
    """End every living process when Python ends (Blender quits). The add-on
    watches from register() and stops watching in unregister(), so nothing
    of it stays in Python's exit hooks once it is disabled."""
    atexit.unregister(_end_all)
    if watch:
        atexit.register(_end_all)


def _end_all() -> None:
    for child in list(_living):
        child.kill()
