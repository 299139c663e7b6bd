# SPDX-License-Identifier: GPL-3.0-or-later
"""The queue state machine: which shot to start, when, and what became of it.

The Blender side feeds it render events recorded by the handlers and asks
`next_action()` on every timer tick (or after each blocking render in
background mode). A shot is only settled once Blender's render job has
really ended, because a new INVOKE render is silently refused while the
previous job still exists."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from . import outcome, paths
from .movie import EncodeJob
from .output_files import PassFolders
from .status import RenderEvent, ShotStatus


class Action(Enum):
    WAIT = "wait"  # a render job exists: look again on the next tick
    START = "start"  # start rendering `QueueRun.current`
    FINISH = "finish"  # nothing more to do: restore and report


@dataclass
class ShotRun:
    index: int  # position in the scene's shot list
    name: str
    output_paths: tuple[str, ...]  # one file for a still, one per frame for a range
    status: ShotStatus = ShotStatus.PENDING
    reason: str = ""
    seconds: float = 0.0
    events: list[RenderEvent] = field(default_factory=list)
    started_at: float = 0.0
    ended_at: float | None = None  # when render_complete or render_cancel fired
    stop_clicks: list[float] = field(default_factory=list)  # clicks on the status bar during the render
    stop_key_pressed: bool = False  # Esc reached Blender during the render
    pass_folders: tuple[str, ...] = ()  # the shot's own compositor File Output folders
    pass_files: tuple[str, ...] = ()  # the pass files it wrote (or found, when skipped)
    started_wall: float = 0.0  # time.time() at the start: which files this run wrote
    scene: str = ""  # the scene whose shot this is (a queue may span every scene of a file)
    skip_if_written: bool = False  # Skip Existing, as the shot's scene says
    # A range of images: each frame's file is finished once written. A still
    # (each of its views) or a movie is unfinished until the render ends.
    frames_are_files: bool = False
    # A frame list renders in several animation renders, one per stepped
    # range (core/frame_list.segments): the files each one writes, in order.
    # Empty: one render writes every output path.
    segment_paths: tuple[tuple[str, ...], ...] = ()
    segment: int = 0  # the render of the list under way, from 0
    movie: EncodeJob | None = None  # the movie to make of its frames, if it asks for one
    movie_written: str = ""  # that movie, once made (or found by Skip Existing)
    movie_note: str = ""  # why it was not made

    @property
    def output_path(self) -> str:
        return self.output_paths[0]

    @property
    def rendering_paths(self) -> tuple[str, ...]:
        """The files the render under way writes."""
        return self.segment_paths[self.segment] if self.segment_paths else self.output_paths

    @property
    def more_segments(self) -> bool:
        return self.segment + 1 < len(self.segment_paths)


_DISK = PassFolders()


def _parts_done(shot: ShotRun, done: int) -> str:
    """Why a frame list stopped before its last render is not done."""
    return f"stopped after part {done}/{len(shot.segment_paths)} of its frame list"


class QueueRun:
    def __init__(
        self,
        shots: Sequence[tuple[int, str, str | Sequence[str]] | tuple[int, str, str | Sequence[str], Sequence[str]]],
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        pass_check: PassFolders = _DISK,
        is_written: Callable[[str], bool] = paths.looks_whole,
        why_not_written: Callable[[str], str | None] = paths.why_not_written,
        skip_existing: bool = False,
        sees_stop_keys: bool = False,
    ) -> None:
        """`shots`: (list index, name, output file or files[, pass folders])
        of each shot to render, in order. With `skip_existing`, a shot whose
        files all exist (and its pass folders hold whole files) is skipped.
        `sees_stop_keys`: the Blender side reports every Esc that reaches a
        render (`stop_key_pressed`), so a render cancelled without one failed
        by itself (an engine error) and the queue goes on."""
        self.shots = [
            ShotRun(
                shot[0],
                shot[1],
                (shot[2],) if isinstance(shot[2], str) else tuple(shot[2]),
                pass_folders=tuple(shot[3]) if len(shot) > 3 else (),  # type: ignore[misc]
                skip_if_written=skip_existing,
            )
            for shot in shots
        ]
        self._wall = wall
        self._passes = pass_check
        self.sees_stop_keys = sees_stop_keys
        self.paused = False
        self._clock = clock
        self._files = outcome.FileCheck(is_written, why_not_written)
        self._position = 0
        self._rendering = False
        self.stop_reason = ""
        self.started_at = clock()
        self.ended_at: float | None = None

    # -- what the Blender side asks -------------------------------------------------
    @property
    def current(self) -> ShotRun | None:
        """The shot being rendered, or the next one to start."""
        return self.shots[self._position] if self._position < len(self.shots) else None

    @property
    def position(self) -> int:
        """How many shots of the run are settled (the current shot's place)."""
        return self._position

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def position_text(self) -> str:
        """'Shot i/N: name' for the progress display."""
        shot = self.current
        if shot is None:
            return ""
        if self.paused and not self._rendering:
            return f"Paused before shot {self._position + 1}/{len(self.shots)}: {shot.name}"
        part = f" (part {shot.segment + 1}/{len(shot.segment_paths)})" if shot.segment_paths else ""
        return f"Shot {self._position + 1}/{len(self.shots)}: {shot.name}{part}"

    @property
    def rendering(self) -> bool:
        """A render of the current shot was started and not yet settled."""
        return self._rendering

    @property
    def render_ended(self) -> bool:
        """The current render reported its end; Blender's job may linger."""
        shot = self.current
        return (
            self._rendering
            and shot is not None
            and (RenderEvent.COMPLETE in shot.events or RenderEvent.CANCEL in shot.events)
        )

    def next_action(self, job_running: bool) -> Action:
        if self.finished:
            return Action.FINISH
        if job_running:
            return Action.WAIT
        if self._rendering:
            self._settle_current()
        self._skip_existing_files()
        if self.stop_reason or self.current is None:
            self._finish()
            return Action.FINISH
        if self.paused:
            return Action.WAIT
        return Action.START

    def pause(self) -> None:
        """Hold the queue once the render in progress has ended."""
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    # -- what the Blender side tells ------------------------------------------------
    def started(self) -> None:
        """The render of the current shot was started (or, in background mode, ran)."""
        shot = self._require_current()
        if shot.status is not ShotStatus.RENDERING:  # a frame list's later renders go on with the shot's time
            shot.started_at = self._clock()
            shot.started_wall = self._wall()
        shot.status = ShotStatus.RENDERING
        shot.events.clear()
        shot.ended_at = None
        shot.stop_clicks.clear()
        shot.stop_key_pressed = False
        self._rendering = True

    def start_failed(self, reason: str) -> None:
        """The render could not be started: the shot failed, the queue goes on."""
        shot = self._require_current()
        shot.status = ShotStatus.FAILED
        shot.reason = reason
        self._rendering = False
        self._position += 1

    def request_stop(self, reason: str) -> None:
        """Stop after the render in progress has ended (e.g. Esc between shots)."""
        self.stop_reason = self.stop_reason or reason

    def record(self, event: RenderEvent, at: float | None = None) -> None:
        """A render handler fired (at `at`, on this run's clock)."""
        if self._rendering and self.current is not None:
            self.current.events.append(event)
            if event in {RenderEvent.COMPLETE, RenderEvent.CANCEL}:
                self.current.ended_at = self._clock() if at is None else at

    def status_bar_clicked(self, at: float | None = None) -> None:
        """The person clicked the status bar, where the render's X is."""
        if self._rendering and self.current is not None:
            self.current.stop_clicks.append(self._clock() if at is None else at)

    def stop_key_pressed(self) -> None:
        """The person pressed Esc while the current shot rendered."""
        if self._rendering and self.current is not None:
            self.current.stop_key_pressed = True

    def abort(self, reason: str) -> None:
        """End the queue now (file load, add-on disabled, an error). A shot that
        is rendering counts as cancelled; later shots stay pending."""
        if self.finished:
            return
        self.stop_reason = self.stop_reason or reason
        if self._rendering:
            self._settle_current(forced=True)
        self._finish()

    # -- internals ------------------------------------------------------------------
    def _require_current(self) -> ShotRun:
        shot = self.current
        if shot is None:
            raise RuntimeError("the queue has no shot left")
        return shot

    def _skip_existing_files(self) -> None:
        while (shot := self.current) is not None and shot.skip_if_written and not self.stop_reason:
            if shot.status is not ShotStatus.PENDING:
                return  # a frame list between its renders
            if not all(self._files.is_written(path) for path in shot.output_paths):
                self._skip_written_segments(shot)
                return
            if not all(self._passes.complete(folder) for folder in shot.pass_folders):
                return  # a pass file missing or cut off: render it all again
            shot.pass_files = tuple(path for folder in shot.pass_folders for path in self._passes.present(folder))
            shot.status = ShotStatus.SKIPPED
            shot.reason = "its file exists" if len(shot.output_paths) == 1 else "its files exist"
            self._position += 1

    def _skip_written_segments(self, shot: ShotRun) -> None:
        """A frame list starts at its first render with a file missing."""
        while shot.more_segments and all(self._files.is_written(path) for path in shot.rendering_paths):
            shot.segment += 1

    def _settle_current(self, forced: bool = False) -> None:
        shot = self._require_current()
        shot.seconds = self._clock() - shot.started_at
        self._rendering = False
        # What the shot's passes wrote, known whatever the outcome: a full disk
        # may leave the main image and the pass files broken alike.
        shot.pass_files = tuple(
            path for folder in shot.pass_folders for path in self._passes.written_since(folder, shot.started_wall)
        )
        result = outcome.judge(shot, forced=forced, sees_stop_keys=self.sees_stop_keys, files=self._files)
        if result.status == ShotStatus.DONE and shot.more_segments:
            if not (result.stops_queue or forced or self.stop_reason):
                shot.segment += 1  # a frame list: its next render, the same shot
                return
            # Stopped with renders of its list left: not done, whatever this one did.
            result = outcome.Outcome(ShotStatus.CANCELLED, _parts_done(shot, shot.segment + 1), stops_queue=True)
        self._position += 1
        shot.status, shot.reason = result.status, result.reason or shot.reason
        if result.stops_queue:
            self.stop_reason = self.stop_reason or "cancelled"

    def _finish(self) -> None:
        shot = self.current
        if shot is not None and shot.status == ShotStatus.RENDERING and not self._rendering:
            # A frame list stopped between two of its renders (e.g. paused there).
            shot.status, shot.reason = ShotStatus.CANCELLED, _parts_done(shot, shot.segment)
            self._position += 1
        self.ended_at = self._clock()

    @property
    def seconds(self) -> float:
        end = self.ended_at if self.ended_at is not None else self._clock()
        return end - self.started_at

    def now(self) -> float:
        """The time on this run's clock."""
        return self._clock()
