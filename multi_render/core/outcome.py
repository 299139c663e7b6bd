# SPDX-License-Identifier: GPL-3.0-or-later
"""What became of a render once Blender's job has ended, judged from the
handlers' events, the person's stops and the files on disk: done, cancelled
by the person (which stops the queue), or failed by itself with the reason
(an engine error, no result, a file not written whole)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .status import RenderEvent, ShotStatus

if TYPE_CHECKING:
    from .run import ShotRun

# Blender's progress-bar X stops a render, reported as complete (5.x) or
# cancelled (4.x). Cycles says so in its stats (RenderEvent.STOPPED); for the
# other engines a click in the status bar followed this closely by a complete
# render is that X (stopping takes over a second on a busy 2-core machine:
# measured) ...
STOP_CLICK_WINDOW = 2.0
# ... and a cancel this closely: an engine error right after a click there is
# far rarer than a stop slowed down by a loaded machine (seen at over 2 s).
CANCEL_CLICK_WINDOW = 10.0

ENGINE_ERROR = (
    "the render was cancelled, not by Esc or the progress bar: most likely the render engine"
    " reported an error (its message is in Blender's status bar and Info log)"
)


@dataclass(frozen=True)
class FileCheck:
    is_written: Callable[[str], bool]  # a whole file is there
    why_not_written: Callable[[str], str | None]  # e.g. "the disk is full"


@dataclass(frozen=True)
class Outcome:
    status: ShotStatus
    reason: str = ""  # "" keeps the shot's reason as it is
    stops_queue: bool = False  # the person stopped it: the queue ends


def judge(shot: ShotRun, *, forced: bool, sees_stop_keys: bool, files: FileCheck) -> Outcome:
    """The outcome of the shot's render. `forced`: the queue itself ended it
    (a file load, the add-on disabled). `sees_stop_keys`: every Esc is
    reported, so a cancel without one was not the person's."""
    # Esc as the render was ending (Blender had already finished or cancelled
    # it): the person still wants the queue stopped.
    esc = shot.stop_key_pressed
    cancelled = RenderEvent.CANCEL in shot.events
    engine_stopped = RenderEvent.STOPPED in shot.events
    asked = esc or engine_stopped or stopped_by_click(shot, CANCEL_CLICK_WINDOW)
    if cancelled and not forced and sees_stop_keys and not asked:
        return Outcome(ShotStatus.FAILED, ENGINE_ERROR)
    if cancelled or forced:
        return Outcome(ShotStatus.CANCELLED, stops_queue=True)
    if engine_stopped or stopped_by_click(shot, STOP_CLICK_WINDOW):
        return Outcome(ShotStatus.CANCELLED, "stopped from the progress bar", stops_queue=True)
    if RenderEvent.COMPLETE not in shot.events:
        return Outcome(ShotStatus.FAILED, "the render ended without a result", stops_queue=esc)
    return _judge_files(shot, files, esc)


def stopped_by_click(shot: ShotRun, window: float) -> bool:
    """A click on the status bar at most `window` seconds before the render
    ended. Every click counts: a person clicks again when a stop is slow."""
    ended = shot.ended_at
    return ended is not None and any(0.0 <= ended - click <= window for click in shot.stop_clicks)


def _judge_files(shot: ShotRun, files: FileCheck, esc: bool) -> Outcome:
    """A complete render: done if its image and passes were written whole."""
    if missing := [path for path in shot.rendering_paths if not files.is_written(path)]:
        return _not_written(missing, "no whole image was written", files, esc)
    if broken := [path for path in shot.pass_files if not files.is_written(path)]:
        return _not_written(broken, "a render pass was not written whole", files, esc)
    return Outcome(ShotStatus.DONE, stops_queue=esc)


def _not_written(paths: list[str], what: str, files: FileCheck, esc: bool) -> Outcome:
    """A full disk: Blender says "Saved" and leaves empty or cut-off files."""
    reason = f"{what} at '{paths[0]}'" + (f" (and {len(paths) - 1} more)" if len(paths) > 1 else "")
    if (why := files.why_not_written(paths[0])) is not None:
        reason += f": {why}"
    return Outcome(ShotStatus.FAILED, reason, stops_queue=esc)
