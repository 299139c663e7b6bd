"""Whether several background processes fit in memory (core/memory.py)."""

from __future__ import annotations

import os
import sys

import pytest

from multi_render.core import memory

GB = 1024**3


def test_processes_that_do_not_fit_are_warned_about() -> None:
    assert memory.too_many(3, 2 * GB, 5 * GB) == (
        "3 processes may need about 6.0 GB of memory (2.0 GB each) and 5.0 GB is free: 2 would fit, more swap or fail"
    )
    assert memory.too_many(2, 300 * 1024**2, 400 * 1024**2).startswith("2 processes may need about 600 MB")
    assert memory.too_many(4, 3 * GB, 2 * GB).endswith(": 1 would fit, more swap or fail")


@pytest.mark.parametrize(
    ("processes", "each", "free"), [(1, 9 * GB, 1 * GB), (3, 2 * GB, 6 * GB), (2, None, GB), (2, GB, None), (2, 0, GB)]
)
def test_nothing_is_said_when_they_fit_or_nothing_is_known(processes: int, each: int | None, free: int | None) -> None:
    assert memory.too_many(processes, each, free) == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_linux_tells_what_a_process_holds_and_what_is_free() -> None:
    held, most, free = memory.resident(), memory.peak(os.getpid()), memory.available()
    assert held is not None and most is not None and free is not None
    assert 1024**2 < held <= most and free > 0
    assert memory.resident(999_999_999) is None
