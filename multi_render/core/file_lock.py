# SPDX-License-Identifier: GPL-3.0-or-later
"""A lock a process holds on a file for as long as it lives: the operating
system drops it when the process ends, however it ends (a crash, a kill),
so a lock nobody holds means its owner is gone, with no process id that a
new process may have taken over."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import IO

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


# What taking a lock says when someone holds it (Windows: EACCES or EDEADLOCK).
_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


class LockHeldError(OSError):
    """Another process (or another lock of this one) holds the lock."""


class FileLock:
    def __init__(self, path: str) -> None:
        """Take the lock on `path` (created if need be) without waiting;
        LockHeldError if someone holds it."""
        self.path = path
        self._stream: IO[bytes] | None = open(path, "a+b")  # noqa: SIM115 - held until release()
        try:
            _lock(self._stream)
        except OSError as error:
            self._stream.close()
            self._stream = None
            if error.errno in _HELD:
                raise LockHeldError(f"{path} is locked by another process") from None
            raise

    def release(self, remove: bool = False) -> None:
        """Let the lock go (and remove its file, while still holding it)."""
        if self._stream is None:
            return
        if remove and sys.platform != "win32":
            with contextlib.suppress(OSError):
                os.remove(self.path)  # while held: nobody takes a lock on a file about to go
        self._stream.close()  # closing drops the lock
        self._stream = None
        if remove and sys.platform == "win32":
            with contextlib.suppress(OSError):
                os.remove(self.path)  # Windows removes no file that is open


def is_held(path: str) -> bool:
    """Whether a living process holds the lock on `path` (a missing file: no)."""
    if not os.path.exists(path):
        return False
    try:
        FileLock(path).release()
    except LockHeldError:
        return True
    except OSError:
        return False  # cannot be opened: nobody can hold it
    return False


def _lock(stream: IO[bytes]) -> None:
    if sys.platform == "win32":
        stream.seek(0)
        msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
