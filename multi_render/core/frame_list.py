# SPDX-License-Identifier: GPL-3.0-or-later
"""Frame lists: a shot's frames as a text such as "1-10, 15, 20-30:2, !5".
Items are separated by commas; each is a frame `N`, a range `A-B` or a
stepped range `A-B:S`, and `!` before one takes its frames out. Order does
not matter, duplicates collapse, frames come out ascending. Parsed by hand,
never evaluated; a wrong part is named in the message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .shots import MAX_FRAME, FrameRange

# The longest list text taken: far beyond any list a person types, short
# enough that no text can make the parser work for long.
MAX_TEXT = 10_000
# The most frames a list may name (a panel reads it on every redraw): 100
# minutes at 24 fps; a longer shot is better split.
MAX_FRAMES = 150_000
_ITEM = re.compile(r"(!?)\s*(\d+)\s*(?:-\s*(\d+)\s*(?::\s*(\d+))?)?")


class FrameListError(ValueError):
    """What is wrong with a frame list, naming the part."""


def parse(text: str) -> list[int]:
    """The frames of a list, ascending; FrameListError when any part is
    wrong or nothing is left."""
    if len(text) > MAX_TEXT:
        raise FrameListError(f"a frame list of {len(text)} characters is longer than {MAX_TEXT}")
    included: set[int] = set()
    excluded: set[int] = set()
    named = 0  # frames its parts name, counted before any is made
    parts = text.split(",")
    for number, part in enumerate(parts, start=1):
        item = part.strip()
        if not item:
            if len(parts) > 1:
                raise FrameListError(f"part {number} is empty (two commas in a row, or one at an end)")
            continue
        exclude, frames = _item(item, number)
        named += len(frames)
        if named > MAX_FRAMES:
            raise FrameListError(f"the frame list names more than {MAX_FRAMES} frames: split the shot")
        (excluded if exclude else included).update(frames)
    left = sorted(included - excluded)
    if not left:
        raise FrameListError("the frame list leaves no frame" if included else "the frame list names no frame")
    return left


def _item(item: str, number: int) -> tuple[bool, range]:
    match = _ITEM.fullmatch(item)
    where = f"part {number} '{item[:40]}'"
    if match is None:
        if item.lstrip("!").lstrip().startswith("-"):
            raise FrameListError(f"{where}: frames start at 0 (Blender renders a range from frame 0 on)")
        raise FrameListError(f"{where}: not a frame N, a range A-B or a stepped range A-B:S (! before one excludes it)")
    start = int(match.group(2))
    end = int(match.group(3)) if match.group(3) is not None else start
    step = int(match.group(4)) if match.group(4) is not None else 1
    if max(start, end) > MAX_FRAME:
        raise FrameListError(f"{where}: goes past {MAX_FRAME}, the last frame Blender renders")
    if end < start:
        raise FrameListError(f"{where}: the range ends before it starts")
    if step < 1:
        raise FrameListError(f"{where}: a step must be 1 or more")
    return match.group(1) == "!", range(start, end + 1, step)


def runs(frames: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending frames as runs of consecutive ones: [(first, last), ...]."""
    found: list[tuple[int, int]] = []
    for frame in sorted(set(frames)):
        if found and frame == found[-1][1] + 1:
            found[-1] = (found[-1][0], frame)
        else:
            found.append((frame, frame))
    return found


def as_text(frames: Sequence[int]) -> str:
    """A list text that parses back to exactly these frames: consecutive
    frames as ranges, three or more evenly spaced single frames as a stepped
    range ("1-4, 6-10, 15, 20-30:2")."""
    return ", ".join(_parts(frames))


def _parts(frames: Sequence[int]) -> list[str]:
    found = runs(frames)
    parts: list[str] = []
    at = 0
    while at < len(found):
        first, last = found[at]
        if first != last:
            parts.append(f"{first}-{last}")
            at += 1
            continue
        end = at  # single frames that follow with the same gap
        while (
            end + 1 < len(found)
            and found[end + 1][0] == found[end + 1][1]
            and (end == at or found[end + 1][0] - found[end][0] == found[at + 1][0] - first)
        ):
            end += 1
        if end - at >= 2:
            parts.append(f"{first}-{found[end][0]}:{found[at + 1][0] - first}")
            at = end + 1
        else:
            parts.append(str(first))
            at += 1
    return parts


def shot_segments(start: int, end: int, step: int, text: str) -> list[FrameRange]:
    """The animation renders of a frame-range shot: its range, or one per
    stepped range of its list (raises FrameListError when it is wrong)."""
    return segments(parse(text)) if text.strip() else [FrameRange(start, end, step)]


def frames_of(start: int, end: int, step: int, text: str) -> list[int]:
    """A frame-range shot's frames: its list when one is written (raises
    FrameListError when it is wrong), else start to end by step."""
    return parse(text) if text.strip() else FrameRange(start, end, step).frames


def summary(frames: Sequence[int], shown: int = 5) -> str:
    """For the shot details: "14 frames: 1-4, 6-10, 15, 20, ..."."""
    parts = _parts(frames)
    more = ", ..." if len(parts) > shown else ""
    count = len(set(frames))
    return f"{count} frame{'s' if count != 1 else ''}: {', '.join(parts[:shown])}{more}"


def segments(frames: Sequence[int]) -> list[FrameRange]:
    """Ascending frames as stepped ranges, each one animation render: a run
    goes on while the step between frames stays the same ("1-3, 5-9:2")."""
    ordered = sorted(set(frames))
    found: list[FrameRange] = []
    at = 0
    while at < len(ordered):
        start = ordered[at]
        if at + 1 == len(ordered):
            found.append(FrameRange(start, start, 1))
            break
        step = ordered[at + 1] - start
        end_at = at + 1
        while end_at + 1 < len(ordered) and ordered[end_at + 1] - ordered[end_at] == step:
            end_at += 1
        found.append(FrameRange(start, ordered[end_at], step))
        at = end_at + 1
    return found
