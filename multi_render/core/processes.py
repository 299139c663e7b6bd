# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether a process still runs, asked without touching it."""

from __future__ import annotations

import ctypes
import os
import sys


def running(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not reaped, does not).
    Never sends a signal: on Windows os.kill would end the process."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _running_on_windows(pid)
    if os.path.isdir("/proc/self"):
        return _running_in_proc(pid)
    try:  # no /proc (macOS): ask the kernel
        os.kill(pid, 0)  # signal 0 only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True


def _running_in_proc(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _running_on_windows(pid: int) -> bool:
    still_active = 259
    query_limited_information = 0x1000
    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        return bool(kernel.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == still_active
    finally:
        kernel.CloseHandle(handle)
