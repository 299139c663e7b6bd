# SPDX-License-Identifier: GPL-3.0-or-later
"""Other Files: the ticked .blend files of the scene's Other Files list,
each rendered by a background Blender running the command line
(`render FILE --json --no-shots=... --followed`), as many at once as the
scene's Processes. The files are never opened in this Blender. A row whose
file cannot be a .blend fails before anything renders and the others go on;
each row shows its render's progress, then what it rendered or why not
(core/file_queue.py reads the process's record). Stop, a file load,
disabling the add-on and quitting end every process."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import bpy

from ..core import file_queue
from ..core.child_process import ChildProcess
from ..core.logs import logger
from ..core.pool import threads_each
from ..core.status import ShotStatus
from ..props import runtime_state, scene_shots
from .background import command_line, usable_cores

log = logger(__name__)

_active: FilesRun | None = None


def active() -> FilesRun | None:
    return _active


def abort_active(reason: str) -> None:
    """End a running Other Files run at once (file load, add-on disabled)."""
    if _active is not None:
        _active.stop(reason)
        _active.end()


@dataclass
class _Rendering:
    row: int
    path: str
    child: ChildProcess
    output: list[str] = field(default_factory=list)  # its standard output: the JSON record


class FilesRun:
    def __init__(self, scene: bpy.types.Scene, rows: list[int], processes: int) -> None:
        self.scene_name = scene.name
        self._waiting = rows  # rows still to render, in list order
        self._processes = processes
        self._rendering: list[_Rendering] = []
        self._threads = threads_each(processes, usable_cores())
        self._stopped = ""
        self.counts = dict.fromkeys((ShotStatus.DONE, ShotStatus.FAILED, ShotStatus.CANCELLED), 0)
        self.report_text = ""
        self.ended = False
        # Called once when the run ends, e.g. to remove the operator's timer
        # (disabling the add-on frees the operator without telling it).
        self.on_end: Callable[[], None] | None = None

    @classmethod
    def start(cls, scene: bpy.types.Scene) -> tuple[FilesRun | None, str]:
        """Check every ticked row, then start rendering those that may be
        .blend files; or why nothing can start."""
        global _active
        data = scene_shots(scene)
        ticked = [index for index, row in enumerate(data.other_files) if row.enabled]
        if not ticked:
            return None, "No ticked file in Other Files: add .blend files with +"
        renderable = []
        for index in ticked:
            row = data.other_files[index]
            problem = file_queue.blend_problem(bpy.path.abspath(row.filepath))
            row.status = ShotStatus.FAILED.value if problem else ShotStatus.PENDING.value
            row.result = problem
            if not problem:
                renderable.append(index)
        run = cls(scene, renderable, max(1, data.processes))
        run.counts[ShotStatus.FAILED] = len(ticked) - len(renderable)
        _active = run
        runtime_state().files_running = True
        return run, ""

    # -- each tick of the operator's timer ------------------------------------------------
    def tick(self) -> bool:
        """Follow the processes and start the next; whether the run goes on."""
        for each in list(self._rendering):
            ended = each.child.done  # before reading: nothing printed after this goes unread
            each.output.extend(each.child.lines())
            if ended:
                self._ended(each)
            else:
                progress = file_queue.render_progress(each.child.log_tail(3))
                self._set_row(each, ShotStatus.RENDERING, progress or "Starting...")
        while not self._stopped and self._waiting and len(self._rendering) < self._processes:
            self._start_next()
        return bool(self._rendering or (self._waiting and not self._stopped))

    def _start_next(self) -> None:
        index = self._waiting.pop(0)
        row = self._row(index, None)
        if row is None:
            return  # removed from the list meanwhile
        path = bpy.path.abspath(row.filepath)
        arguments = file_queue.render_arguments(path, row.without_shots)
        try:
            child = ChildProcess(command_line(arguments, self._threads), cwd=os.path.dirname(path))
        except OSError as error:
            row.status, row.result = ShotStatus.FAILED.value, f"cannot start a background Blender: {error}"
            self.counts[ShotStatus.FAILED] += 1
            return
        each = _Rendering(index, row.filepath, child)
        self._rendering.append(each)
        self._set_row(each, ShotStatus.RENDERING, "Starting...")

    def _ended(self, each: _Rendering) -> None:
        self._rendering.remove(each)
        if self._stopped:
            result = file_queue.FileResult(ShotStatus.CANCELLED, self._stopped)
        else:
            result = file_queue.result_of(each.child.exit_code, "".join(each.output), each.child.log_tail(10))
        self.counts[result.status] += 1
        self._set_row(each, result.status, result.text)
        log.info("%s: %s", each.path, result.text)

    # -- what the person does --------------------------------------------------------------
    def stop(self, reason: str = "stopped") -> None:
        """End every process now; files not started stay pending."""
        self._stopped = self._stopped or reason
        for each in list(self._rendering):
            each.child.kill()
            each.output.extend(each.child.lines())
            self._ended(each)

    def end(self) -> str:
        global _active
        if self.ended:
            return self.report_text
        self.ended = True
        self.stop("stopped")
        if _active is self:
            _active = None
        done, failed = self.counts[ShotStatus.DONE], self.counts[ShotStatus.FAILED]
        parts = [f"Rendered {done} of {done + failed + self.counts[ShotStatus.CANCELLED] + len(self._waiting)} files"]
        if failed:
            parts.append(f"{failed} failed")
        if self._stopped and (self.counts[ShotStatus.CANCELLED] or self._waiting):
            parts.append(self._stopped)
        self.report_text = ", ".join(parts)
        runtime = runtime_state()
        runtime.files_running = False
        runtime.last_report = self.report_text
        if self.on_end is not None:
            self.on_end()
        return self.report_text

    @property
    def process_ids(self) -> list[int]:
        """The ids of the processes rendering now, in the order they started."""
        return [each.child.pid for each in self._rendering]

    @property
    def has_failures(self) -> bool:
        return self.counts[ShotStatus.FAILED] > 0

    # -- the list's rows -------------------------------------------------------------------
    def _set_row(self, each: _Rendering, status: ShotStatus, text: str) -> None:
        row = self._row(each.row, each.path)
        if row is None:
            return
        if row.status != status.value:
            row.status = status.value
        if row.result != text:
            row.result = text

    def _row(self, index: int, path: str | None) -> Any:
        """The row at `index` (checked by its file, so that a list edited
        meanwhile never shows another file's result), else by its file."""
        scene = bpy.data.scenes.get(self.scene_name)
        if scene is None:
            return None
        rows = scene_shots(scene).other_files
        if index < len(rows) and (path is None or rows[index].filepath == path):
            return rows[index]
        return next((row for row in rows if row.filepath == path), None)
