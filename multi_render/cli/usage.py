# SPDX-License-Identifier: GPL-3.0-or-later
"""What the commands share: the error for bad input and the argument types."""

from __future__ import annotations

import argparse
import json
from datetime import datetime


class UsageError(Exception):
    """Bad input: the message is printed, the exit code is 1."""


def started_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--started must be a time such as 2026-11-25T14:30:00 (got {text!r})") from None


def priority(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 100, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 100, got {value}")
    return value


def positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def names_from_json(text: str) -> list[str]:
    try:
        names = json.loads(text)
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise UsageError(f"--shot-list must be a JSON list of shot names (got {text!r})")
    return names
