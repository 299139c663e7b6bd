# SPDX-License-Identifier: GPL-3.0-or-later
"""The movies of one run: each range shot that asks for one (its frames
done or found) is encoded by a background Blender of its own (Blender's
FFmpeg, encode_movie.py), so this Blender never waits for it; the queue
goes on meanwhile, and the run ends once every movie is made or stopped.
A failed encode is reported and never touches the shot's frames."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time

import bpy

from ..core import movie
from ..core.child_process import ChildProcess
from ..core.logs import logger
from ..core.run import ShotRun
from ..core.status import ShotStatus

log = logger(__name__)

SCRIPT = os.path.join(os.path.dirname(__file__), "encode_movie.py")
REASON = "multi_render movie: "  # how encode_movie.py says why it failed
LOG_LINES = 20


class _Encode:
    def __init__(self, shot: ShotRun, job: movie.EncodeJob) -> None:
        self.shot = shot
        self.job = job
        self.folder = tempfile.mkdtemp(prefix="multi_render_movie_")
        job_file = os.path.join(self.folder, "job.json")
        with open(job_file, "w", encoding="utf-8") as handle:
            handle.write(job.as_json())
        # --factory-startup: no add-on or preference of the person's slows it or acts on the frames.
        argv = [bpy.app.binary_path, "-b", "--factory-startup", "--python-exit-code", "1"]
        try:
            self.process = ChildProcess([*argv, "--python", SCRIPT, "--", job_file])
        except OSError:
            self._remove_folder()
            raise

    def settle(self) -> None:
        """Its process ended: the shot's movie, or why there is none."""
        self.process.lines()
        shot = self.shot
        if self.process.exit_code == 0 and os.path.isfile(self.job.output):
            shot.movie_written = self.job.output
        else:
            shot.movie_note = self._why_not() or f"the encoding Blender ended with exit status {self.process.exit_code}"
            log.warning("movie of %r not made: %s", shot.name, shot.movie_note)
        self._remove_folder()

    def _why_not(self) -> str:
        """encode_movie.py's own reason, else the last words Blender printed."""
        lines = self.process.log_tail(LOG_LINES).splitlines()
        ours = [line.removeprefix(REASON) for line in lines if line.startswith(REASON)]
        return ours[-1] if ours else " ".join(lines[-2:])

    def stop(self, reason: str) -> None:
        self.process.kill()
        self.shot.movie_note = reason
        folder, hidden = os.path.split(movie.partial_path(self.job.output))
        # What Blender wrote so far carries the hidden name (encode_movie.py).
        with contextlib.suppress(OSError):
            for entry in os.listdir(folder):
                if entry.startswith(hidden):
                    os.remove(os.path.join(folder, entry))
        self._remove_folder()

    def _remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# Encoding Blenders at once: each loads its frames and FFmpeg; more would
# only fight over the cores (and the renders still running) for no gain.
AT_ONCE = max(1, (os.cpu_count() or 2) // 4)


class MovieEncodes:
    def __init__(self, at_once: int = AT_ONCE) -> None:
        self._running: list[_Encode] = []
        self._waiting: list[tuple[ShotRun, movie.EncodeJob]] = []  # in the order their shots settled
        self._at_once = at_once

    def start_if_asked(self, shot: ShotRun) -> None:
        """A settled shot: encode its movie if it asks for one and its frames
        are there (rendered, or found by Skip Existing without the movie)."""
        job = shot.movie
        if job is None or shot.status not in (ShotStatus.DONE, ShotStatus.SKIPPED):
            return
        if shot.status == ShotStatus.SKIPPED and os.path.isfile(job.output):
            shot.movie_written = job.output  # found, as its frames were
            return
        self._waiting.append((shot, job))
        self._start_waiting()

    def _start_waiting(self) -> None:
        while self._waiting and len(self._running) < self._at_once:
            shot, job = self._waiting.pop(0)
            try:
                self._running.append(_Encode(shot, job))
            except OSError as error:
                shot.movie_note = f"the encoding Blender could not start: {error}"

    @property
    def busy(self) -> int:
        """How many movies are still to be made (being encoded, or waiting
        for an encoding Blender)."""
        for encode in [each for each in self._running if each.process.done]:
            encode.settle()
            self._running.remove(encode)
        self._start_waiting()
        return len(self._running) + len(self._waiting)

    def wait(self) -> None:
        """Until every movie is made (the command line, a farm task)."""
        while self.busy:
            time.sleep(0.1)

    def stop(self, reason: str = "stopped before it was made") -> None:
        """End every encode now (those that ended already keep their movie);
        no half-written movie is left."""
        for encode in [each for each in self._running if each.process.done]:
            encode.settle()  # ended already: its movie is kept
            self._running.remove(encode)
        running, self._running = self._running, []
        for encode in running:
            encode.stop(reason)
        for shot, _job in self._waiting:
            shot.movie_note = reason
        self._waiting.clear()
