# SPDX-License-Identifier: GPL-3.0-or-later
"""A running queue kept on disk, so that the next Blender can offer to
finish it after a quit or a crash. JSON lines: the queue as it started,
then one line per change of a shot's status, appended as it happens (a
queue of thousands of shots costs a short line per change, not the whole
list again):

    {"format": "multi_render.queue", "version": 1, "blend": "/work/shop.blend", "owner": 4242,
     "started": "2026-11-29T13:02:11", "updated": 1796560931.5,
     "shots": [{"scene": "Scene", "index": 0, "name": "Front", "status": "PENDING", "output": ""}]}
    {"shot": 0, "status": "RENDERING", "output": "", "updated": 1796560932.0}
    {"shot": 0, "status": "DONE", "output": "/work/renders/Front.png", "updated": 1796560940.2}

(each document on one line). "shot" is a place in "shots", from 0; a shot's
"output" is its file once done ("" until then). `owner` is the process id
of the Blender that ran the queue (for people reading the file). That
Blender holds a lock on the queue's lock file (core/file_lock.py) while it
lives: a queue whose lock nobody holds was left behind. The first line is
written whole under a temporary name and renamed into place; a change line
cut short by a crash (the last line) is ignored. Reading checks every field
and refuses anything else with a message (QueueFileError); nothing in the
file is ever run."""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .status import ShotStatus

FORMAT = "multi_render.queue"
VERSION = 1
SUFFIX = ".queue.jsonl"
_TOP_KEYS = {"format", "version", "blend", "owner", "started", "updated", "shots"}
_CHANGE_KEYS = {"shot", "status", "output", "updated"}
_SHOT_KEYS = {"scene", "index", "name", "status", "output"}
_FINISHED = {ShotStatus.DONE, ShotStatus.SKIPPED}
# Larger files are not ours: a queue of 100 000 shots is about 10 MB.
_MAX_BYTES = 50_000_000


class QueueFileError(ValueError):
    """A queue file that cannot be used, and why."""


@dataclass(frozen=True)
class QueuedShot:
    scene: str
    index: int  # place in the scene's shot list
    name: str
    status: ShotStatus
    output: str = ""  # the shot's (first) file, once finished

    @property
    def finished(self) -> bool:
        return self.status in _FINISHED


@dataclass(frozen=True)
class QueueRecord:
    blend: str  # the .blend file the queue renders (absolute path)
    owner: int  # process id of the Blender running it
    started: str  # ISO time the run started
    updated: float  # time.time() of the last write
    shots: tuple[QueuedShot, ...]

    @property
    def finished_count(self) -> int:
        return sum(1 for shot in self.shots if shot.finished)

    @property
    def remaining(self) -> tuple[QueuedShot, ...]:
        """The shots a resume renders: every one not done or skipped."""
        return tuple(shot for shot in self.shots if not shot.finished)

    def offer_text(self) -> str:
        """'A queue of 12 shots stopped at 13:02 (5 done)'."""
        when = datetime.fromtimestamp(self.updated)
        at = when.strftime("%H:%M") if when.date() == datetime.now().date() else when.strftime("%Y-%m-%d %H:%M")
        count = len(self.shots)
        noun = "shot" if count == 1 else "shots"
        return f"A queue of {count} {noun} stopped at {at} ({self.finished_count} done)"


def dumps(record: QueueRecord) -> str:
    """The queue's first line."""
    return (
        json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "blend": record.blend,
                "owner": record.owner,
                "started": record.started,
                "updated": record.updated,
                "shots": [
                    {
                        "scene": shot.scene,
                        "index": shot.index,
                        "name": shot.name,
                        "status": shot.status.value,
                        "output": shot.output,
                    }
                    for shot in record.shots
                ],
            },
        )
        + "\n"  # ASCII only (\\u escapes): a line cut short never splits a character
    )


def change_line(place: int, shot: QueuedShot, updated: float) -> str:
    """The line that says the shot at `place` changed."""
    change = {"shot": place, "status": shot.status.value, "output": shot.output, "updated": updated}
    return json.dumps(change) + "\n"


def loads(text: str) -> QueueRecord:
    """The queue in `text` with every change applied, every field checked;
    QueueFileError otherwise."""
    first, _newline, rest = text.partition("\n")  # ASCII lines: only "\n" ends one
    record = _first_line(first)
    shots, updated = list(record.shots), record.updated
    lines = rest.rstrip("\n").split("\n") if rest.strip() else []
    for number, line in enumerate(lines, start=2):
        try:
            change = json.loads(line)
        except (ValueError, RecursionError) as error:
            if number == len(lines) + 1:
                break  # the last change, cut short by a crash: as if not made
            raise QueueFileError(f"line {number}: not JSON ({error})") from None
        place, status, output, updated = _change(change, number, len(shots))
        shots[place] = replace(shots[place], status=status, output=output)
    return replace(record, shots=tuple(shots), updated=updated)


def _change(change: Any, number: int, count: int) -> tuple[int, ShotStatus, str, float]:
    where = f"line {number}"
    if not isinstance(change, dict) or set(change) != _CHANGE_KEYS:
        raise QueueFileError(f"{where}: must have exactly the keys {sorted(_CHANGE_KEYS)}")
    place = _whole(change, "shot", where)
    if place >= count:
        raise QueueFileError(f"{where}: no shot {place} (the queue has {count})")
    status = _text(change, "status", where)
    if not ShotStatus.known(status):
        raise QueueFileError(f"{where}: unknown status {status!r}")
    return place, ShotStatus(status), _text(change, "output", where), _number(change, "updated", where)


def _first_line(text: str) -> QueueRecord:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise QueueFileError(f"not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise QueueFileError("not a multi_render queue")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION or version < 1:
        raise QueueFileError(f"version {version!r}: this multi_render reads version {VERSION}")
    if unknown := sorted(set(data) - _TOP_KEYS):
        raise QueueFileError(f"unknown keys {unknown}")
    blend = _text(data, "blend")
    if not os.path.isabs(blend):
        raise QueueFileError(f"'blend' must be an absolute path, not {blend!r}")
    shots = data.get("shots")
    if not isinstance(shots, list) or not shots:
        raise QueueFileError("'shots' must be a list of at least one shot")
    return QueueRecord(
        blend=blend,
        owner=_whole(data, "owner"),
        started=_text(data, "started"),
        updated=_number(data, "updated"),
        shots=tuple(_shot(entry, place) for place, entry in enumerate(shots, start=1)),
    )


def _shot(entry: Any, place: int) -> QueuedShot:
    if not isinstance(entry, dict) or set(entry) != _SHOT_KEYS:
        raise QueueFileError(f"shot {place}: must have exactly the keys {sorted(_SHOT_KEYS)}")
    status = _text(entry, "status", f"shot {place}")
    if not ShotStatus.known(status):
        raise QueueFileError(f"shot {place}: unknown status {status!r}")
    index = _whole(entry, "index", f"shot {place}")
    where = f"shot {place}"
    return QueuedShot(
        _text(entry, "scene", where),
        index,
        _text(entry, "name", where),
        ShotStatus(status),
        _text(entry, "output", where),
    )


def _text(data: dict[str, Any], key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise QueueFileError(f"{where + ': ' if where else ''}'{key}' must be text")
    return value


def _whole(data: dict[str, Any], key: str, where: str = "") -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise QueueFileError(f"{where + ': ' if where else ''}'{key}' must be a whole number of at least 0")
    return value


def _number(data: dict[str, Any], key: str, where: str = "") -> float:
    value = data.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise QueueFileError(f"{where + ': ' if where else ''}'{key}' must be a number")
    return float(value)


def resume_places(record: QueueRecord, lists: dict[str, list[str]]) -> tuple[dict[str, list[int]], list[str]]:
    """The list places a resume renders, by scene (the record's order), from
    the file's shot names by scene as they are now; or why it cannot resume:
    a shot that is no longer where the queue had it is named."""
    chosen: dict[str, list[int]] = {}
    problems = []
    for shot in record.remaining:
        names = lists.get(shot.scene)
        if names is None:
            problems.append(f"Shot '{shot.name}': its scene '{shot.scene}' is no longer in the file")
        elif shot.index >= len(names) or names[shot.index] != shot.name:
            problems.append(f"Shot '{shot.name}' of scene '{shot.scene}' is no longer at place {shot.index + 1}")
        else:
            chosen.setdefault(shot.scene, []).append(shot.index)
    if not record.remaining:
        problems.append("Every shot of the queue is done: nothing remains to render")
    return chosen, problems


# -- on disk -------------------------------------------------------------------------


def write(path: str, record: QueueRecord) -> None:
    """Write the queue's first line, then rename it over `path`: a reader (or
    the next Blender after a crash) sees the old file or the new, never half."""
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".writing-", suffix=SUFFIX, dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(dumps(record))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def append(path: str, lines: str) -> None:
    """Add change lines (change_line) at the end of the file."""
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(lines)


def read(path: str) -> QueueRecord:
    try:
        if os.path.getsize(path) > _MAX_BYTES:
            raise QueueFileError(f"larger than {_MAX_BYTES // 1_000_000} MB")
        with open(path, encoding="utf-8") as stream:
            return loads(stream.read())
    except (OSError, UnicodeDecodeError) as error:
        raise QueueFileError(f"cannot be read: {error}") from None


@dataclass(frozen=True)
class LeftBehind:
    """A queue whose Blender is gone: its record, or why it cannot be used."""

    path: str
    record: QueueRecord | None
    problem: str = ""


def lock_path(path: str) -> str:
    """The lock file of the queue file at `path`."""
    return path.removesuffix(SUFFIX) + ".queue.lock"


def left_behind(folder: str, held: Callable[[str], bool]) -> list[LeftBehind]:
    """The queue files in `folder` whose lock nobody holds (their Blender is
    gone), oldest first. `held(lock file)`: whether a living process holds it."""
    found = []
    for path in _queue_files(folder):
        if held(lock_path(path)):
            continue
        try:
            found.append(LeftBehind(path, read(path)))
        except QueueFileError as error:
            if os.path.exists(path):  # else its queue just ended
                found.append(LeftBehind(path, None, str(error)))
    return sorted(found, key=lambda each: each.record.updated if each.record else 0.0)


def _queue_files(folder: str) -> Iterable[str]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names if name.endswith(SUFFIX) and not name.startswith(".")]


def file_name(owner: int, started: str) -> str:
    """One file per run: the owner's process id and the run's start."""
    stamp = "".join(char for char in started if char.isdigit())
    return f"{owner}-{stamp}{SUFFIX}"
