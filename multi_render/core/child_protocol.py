# SPDX-License-Identifier: GPL-3.0-or-later
"""What a background render process (`render --serve`, see child_link.py)
tells the Blender that started it (background.py), and what it is told.

One JSON object a line on standard output, after a marker, so that a stray
line that Blender or another add-on prints is never taken for an event.
Commands go the other way, one a line on standard input: the next shots."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .logs import logger
from .status import ShotStatus

log = logger(__name__)

MARKER = "@multi_render "

# Commands on the process's standard input: "shots" and a plan, the next
# shots to render ([[scene name, [list index, ...]], ...]), one run each in
# the order given; "pause" holds it before its next run, "resume" lets it go.
SHOTS = "shots"
PAUSE = "pause"
RESUME = "resume"

# The process's exit status when its standard input closed: the Blender
# that started it is gone (quit, crashed or killed), so nobody wants the rest.
PARENT_GONE_EXIT = 75


@dataclass(frozen=True)
class ShotEvent:
    """A shot of the run started (status RENDERING) or settled."""

    position: int  # its place in the run
    scene: str
    name: str
    status: ShotStatus
    reason: str = ""
    seconds: float = 0.0
    started_wall: float = 0.0  # time.time() when it started: which files the run wrote
    pass_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatsEvent:
    """The render's own progress, e.g. "Sample 5/16"."""

    text: str


@dataclass(frozen=True)
class EndEvent:
    """The run of a "shots" command is over: why it stopped early or was
    refused, if it was (the process then waits for the next command)."""

    stop_reason: str = ""


Event = ShotEvent | StatsEvent | EndEvent


def shot_line(event: ShotEvent) -> str:
    return _line("shot", {**asdict(event), "status": event.status.value, "seconds": round(event.seconds, 3)})


def stats_line(text: str) -> str:
    return _line("stats", {"text": text})


def end_line(event: EndEvent) -> str:
    return _line("end", asdict(event))


def shots_command(plan: Sequence[tuple[str, Sequence[int]]]) -> str:
    """The command that gives a process its next shots (one line, no newline)."""
    return f"{SHOTS} {json.dumps([[scene, list(indexes)] for scene, indexes in plan])}"


def read_plan(line: str) -> list[tuple[str, list[int]]] | None:
    """The plan a "shots" command carries; None for anything else. Read as
    data: scene names and list indexes, nothing more."""
    word, _space, rest = line.strip().partition(" ")
    if word != SHOTS:
        return None
    try:
        return [(str(scene), [int(index) for index in indexes]) for scene, indexes in json.loads(rest)]
    except (ValueError, TypeError) as error:
        log.warning("a damaged command from the Blender that started us: %s (%s)", line.strip()[:200], error)
        return None


def _line(kind: str, fields: dict[str, object]) -> str:
    """One line: the event's fields and its type."""
    return MARKER + json.dumps({"type": kind, **fields}, ensure_ascii=True) + "\n"


def read_line(line: str) -> Event | None:
    """The event a line carries; None for any other line (or a damaged one)."""
    if not line.startswith(MARKER):
        return None
    try:
        document = json.loads(line[len(MARKER) :])
        kind = document["type"]
        if kind == "shot":
            return ShotEvent(
                int(document["position"]),
                str(document["scene"]),
                str(document["name"]),
                ShotStatus(document["status"]),
                str(document.get("reason", "")),
                float(document.get("seconds", 0.0)),
                float(document.get("started_wall", 0.0)),
                tuple(str(path) for path in document.get("pass_files", ())),
            )
        if kind == "stats":
            return StatsEvent(str(document["text"]))
        if kind == "end":
            return EndEvent(str(document.get("stop_reason", "")))
    except (ValueError, KeyError, TypeError) as error:
        log.warning("a damaged line from the background process: %s (%s)", line.strip()[:200], error)
        return None
    log.warning("an unknown event from the background process: %s", line.strip()[:200])
    return None


# A step count in Blender's render statistics: Cycles' "Sample 5/16",
# "Rendered 3/12 Tiles", EEVEE's "Rendering 5 / 64 samples".
_COUNT = re.compile(r"\d+\s*/\s*\d+")


# A followed process's render statistics on standard error (Other Files).
STATS_PREFIX = "multi_render stats: "


def render_progress(stats: str) -> str:
    """The render's own progress in a line of Blender's render statistics
    ("Fra:1 Mem:... | Time:00:00.12 | ... | Scene, ViewLayer | Sample 5/16"):
    the last part that counts steps, or "" when none does."""
    parts: Sequence[str] = [part.strip() for part in stats.split("|")]
    return next((part for part in reversed(parts) if _COUNT.search(part)), "")
