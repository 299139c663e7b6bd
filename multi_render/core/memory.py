# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether several background processes fit in memory. Each one loads the
scene and renders it: it needs about what this Blender holds with the scene
open, and once it has rendered a shot its own peak says better. Linux tells
both (/proc); elsewhere nothing is estimated and nothing is said."""

from __future__ import annotations

import re

_KILOBYTES = re.compile(r"^(\w+):\s+(\d+) kB$", re.MULTILINE)


def _fields(path: str) -> dict[str, int]:
    """The "Name: N kB" fields of a /proc file, in bytes ({} where there is none)."""
    try:
        with open(path, encoding="ascii", errors="replace") as stream:
            text = stream.read()
    except OSError:
        return {}
    return {name: int(value) * 1024 for name, value in _KILOBYTES.findall(text)}


def available() -> int | None:
    """Memory the system can give without swapping, in bytes."""
    return _fields("/proc/meminfo").get("MemAvailable")


def resident(pid: int | str = "self") -> int | None:
    """What a process holds in memory now, in bytes."""
    return _fields(f"/proc/{pid}/status").get("VmRSS")


def peak(pid: int | str = "self") -> int | None:
    """The most a process has held in memory, in bytes."""
    return _fields(f"/proc/{pid}/status").get("VmHWM")


def too_many(processes: int, each: int | None, free: int | None) -> str:
    """A warning when `processes` of `each` bytes would not fit in `free`
    ("" when they fit or nothing is known)."""
    if processes < 2 or not each or free is None or processes * each <= free:
        return ""
    fit = max(1, free // each)
    return (
        f"{processes} processes may need about {_size(processes * each)} of memory ({_size(each)} each) "
        f"and {_size(free)} is free: {fit} would fit, more swap or fail"
    )


def _size(count: int) -> str:
    return f"{count / 1024**3:.1f} GB" if count >= 1024**3 else f"{count / 1024**2:.0f} MB"
