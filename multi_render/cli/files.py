# SPDX-License-Identifier: GPL-3.0-or-later
"""`render FILE1 FILE2 ...` and `--no-shots`: several .blend files one after
another in this Blender, each with its own ticked shots; a file without
shots renders what F12 (a still of its current frame) or Ctrl+F12 (its
animation) would, to its own output path, when --no-shots says which. A
file that cannot be opened or rendered is reported by name and the others
go on; the exit code is 1 if any failed."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import bpy

from ..core import run_record
from ..core.run_record import RunRecord, ShotRecord
from ..core.status import ShotStatus
from ..run import child_link
from . import render as render_command
from .usage import UsageError

# Options that speak of one file's shots or output, not of several files.
_ONE_FILE_ONLY = ("json", "serve", "as_file", "task_file", "shots", "shot", "shot_list", "frames", "scene")

Opener = Callable[[str, argparse.Namespace], "bpy.types.Scene | None"]


def render_files(options: argparse.Namespace, open_file: Opener) -> int:
    """Render each file of `options.file` in turn. `open_file` opens one and
    returns its scene, or None when it has no shots."""
    if options.followed:
        child_link.follow_without_commands()
    files: list[str] = options.file
    if len(files) > 1 and (given := [name for name in _ONE_FILE_ONLY if getattr(options, name, None)]):
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise UsageError(f"{flags}: only with one file")
    failed = []
    for path in files:
        try:
            code = _render_file(path, options, open_file)
        except UsageError as problem:
            print(f"multi_render: {problem}", file=sys.stderr)
            code = 1
        if code:
            failed.append(path)
    if len(files) > 1:
        print(f"multi_render: {len(files) - len(failed)} of {len(files)} files rendered", end="")
        print(f"; failed: {', '.join(failed)}" if failed else "")
    return 1 if failed else 0


def _render_file(path: str, options: argparse.Namespace, open_file: Opener) -> int:
    scene = open_file(path, options)
    if scene is not None:
        return render_command.render(scene, options)
    scene = bpy.context.scene  # no shots: --no-shots says what to render of it
    assert scene is not None
    return render_without_shots(path, scene, options.no_shots == "animation", options.json)


def render_without_shots(path: str, scene: bpy.types.Scene, animation: bool, as_json: bool) -> int:
    """What Ctrl+F12 (`animation`) or F12 (its current frame) renders, written
    to the scene's own output path as Blender names each frame; one line per
    file it wrote."""
    if scene.camera is None:
        raise UsageError(f"{path}: scene '{scene.name}' has no camera")
    name = "Animation" if animation else "Still"
    written: list[str] = []

    def on_write(rendered: bpy.types.Scene, *_args: Any) -> None:
        written.append(bpy.path.abspath(rendered.render.frame_path(frame=rendered.frame_current)))

    started, clock = datetime.now(), time.monotonic()
    # With --json, standard output carries the document alone.
    with render_command.stdout_to_stderr() if as_json else contextlib.nullcontext():
        bpy.app.handlers.render_write.append(on_write)
        if not animation:
            # The current frame as an animation of one frame, as `blender -b
            # FILE -f N` writes it: numbered like the animation's frames (a
            # still written by F12's Save As would not be). The file is never saved.
            scene.frame_start = scene.frame_end = scene.frame_current
            scene.frame_step = 1
        try:
            bpy.ops.render.render(animation=True, scene=scene.name)
            reason = "" if written else "the render wrote no file"
        except RuntimeError as error:
            reason = str(error).strip() or "the render failed"
        finally:
            bpy.app.handlers.render_write.remove(on_write)
        for each in written:
            print(f"{ShotStatus.DONE.value:9} {name}  {each}")
        report = f"{path}: {name} " + (f"failed: {reason}" if reason else f"rendered, {len(written)} files")
        print(f"multi_render: {report}")
    seconds = round(time.monotonic() - clock, 3)
    status = ShotStatus.FAILED if reason else ShotStatus.DONE
    if as_json:
        shot = ShotRecord(name, status.value, seconds, tuple(written) if not reason else (), reason, scene.name)
        record = RunRecord(started.isoformat(timespec="seconds"), seconds, bpy.app.version_string, report, (shot,))
        print(run_record.as_json(record), flush=True)
    return 1 if reason else 0
