# SPDX-License-Identifier: GPL-3.0-or-later
"""`render`: the ticked (or named) shots, one after another in this Blender,
one line per shot; a farm task's shots, frames and time."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

import bpy

from .. import notify
from ..core import farm, frame_list, run_record, task_list, validation
from ..core.child_protocol import EndEvent
from ..core.status import ShotStatus
from ..props import scene_shots
from ..run import blocking, child_link, preparing
from ..run.session import QueueSession
from ..shot import scene_reader
from .usage import UsageError, names_from_json, started_time


def add_parser(commands: Any) -> None:
    render = commands.add_parser("render", help="render the ticked shots (or the named ones)")
    render.add_argument(
        "file", nargs="+", help="the .blend file; several are rendered one after another, each on its own"
    )
    render.add_argument(
        "--no-shots",
        choices=("still", "animation"),
        help="for a file without shots: render what F12 (a still of its current frame) or Ctrl+F12 (its "
        "animation) would, to its own output path; without it such a file is an error",
    )
    render.add_argument("--shots", help="comma-separated shot names to render instead of the ticked ones")
    render.add_argument("--shot", action="append", default=[], help="a shot to render, by its exact name (repeatable)")
    render.add_argument("--skip-existing", action="store_true", help="do not render shots whose files exist")
    render.add_argument(
        "--skip-existing-value",
        choices=("true", "false"),
        help="Skip Existing on or off whatever the file says (for farm templates)",
    )
    render.add_argument(
        "--started", help="the time {date} and {time} stand for, ISO 8601 (a farm job's tasks share one)"
    )
    render.add_argument("--shot-list", help='the shots to render, as a JSON list of exact names: \'["A", "B, c"]\'')
    tasks = render.add_argument_group("array schedulers (Slurm, HTCondor, indexed jobs): one entry of a task list")
    tasks.add_argument("--task-file", help="a task list (tasks.json, written by `bundle --engine slurm`)")
    chosen = tasks.add_mutually_exclusive_group()
    chosen.add_argument("--task", type=int, help="the entry to render, from 0 (e.g. $SLURM_ARRAY_TASK_ID)")
    chosen.add_argument("--all-tasks", action="store_true", help="every shot of the list, whole (e.g. a contact sheet)")
    render.add_argument(
        "--frames", help='render only these frames of the (frame-range) shots: a frame list such as "1-10, 15, !5"'
    )
    render.add_argument(
        "--cycles-device",
        default="",
        choices=farm.CYCLES_DEVICES,
        help="Cycles' device (CPU, CUDA, OPTIX, HIP, ONEAPI, METAL); empty: the file's own",
    )
    render.add_argument(
        "--output-dir", help="the output folder for shots whose output is empty or relative (instead of the scene's)"
    )
    render.add_argument("--contact-sheet", action="store_true", help="also write a contact sheet of the run's images")
    render.add_argument(
        "--notify", action="store_true", help="send the webhook and sound set in the preferences when the run ends"
    )
    which = render.add_mutually_exclusive_group()
    which.add_argument("--scene", help="render this scene's shots (default: the scene the file opens with)")
    which.add_argument(
        "--all-scenes",
        action="store_true",
        help="render the ticked shots of every scene, in the file's scene order (--shots names shots in any scene)",
    )
    # For the background process (background.py): not for people.
    render.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    render.add_argument("--as-file", help=argparse.SUPPRESS)
    # Started by a Blender that follows it (Other Files): end when it is gone.
    render.add_argument("--followed", action="store_true", help=argparse.SUPPRESS)
    render.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document (per shot: name, status, files, seconds, reason) and nothing else on stdout",
    )


def take_task_file(options: argparse.Namespace) -> None:
    """--task-file with --task N (or --all-tasks): that entry's shots, frames,
    scene, time and Skip Existing become this run's (a time or Skip Existing
    given on the command line wins)."""
    if not options.task_file:
        if options.task is not None or options.all_tasks:
            raise UsageError("--task and --all-tasks need --task-file")
        return
    if options.task is None and not options.all_tasks:
        raise UsageError("--task-file needs --task N (the entry, from 0) or --all-tasks")
    if options.shots or options.shot or options.shot_list or options.frames or options.all_scenes:
        raise UsageError(
            "--task-file names the scene, shots and frames: not with --shots, --shot, --shot-list, --frames "
            "or --all-scenes"
        )
    try:
        with open(options.task_file, encoding="utf-8") as handle:
            tasks = task_list.read_tasks(handle.read())
        chosen = tasks if options.all_tasks else [task_list.task_at(tasks, options.task)]
    except OSError as error:
        raise UsageError(f"--task-file: cannot read {options.task_file}: {error.strerror}") from None
    except ValueError as error:
        raise UsageError(f"--task-file {options.task_file}: {error}") from None
    first = chosen[0]
    options.shot_list = json.dumps(list(dict.fromkeys(name for task in chosen for name in task.shots)))
    options.frames = "" if options.all_tasks else first.frames
    if options.started is None:
        options.started = first.started or None
    if options.skip_existing_value is None and not options.skip_existing:
        options.skip_existing_value = "true" if first.skip_existing else "false"
    if first.scene and options.scene not in (None, first.scene):
        raise UsageError(f"--scene {options.scene!r}: the task list's shots are scene {first.scene!r}'s")
    options.scene = first.scene or options.scene


def render(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    scenes = preparing.queue_scenes(scene, options.all_scenes)
    if not options.serve:
        _choose_shots(scenes, options)
    for each in scenes:
        _apply_task_options(each, scene_shots(each), options)
        if options.output_dir:
            each.render.filepath = os.path.abspath(options.output_dir) + os.sep
    if options.cycles_device not in ("", "CPU"):
        _use_gpu(options.cycles_device)  # a preference: once, whatever the number of scenes
    if options.contact_sheet:
        scene_shots(scene).contact_sheet = True
    notify.send_in_background(options.notify)
    scene_reader.read_as_copy_of(options.as_file)
    try:
        if options.serve:
            _serve(scene, scenes, options)
        return _render_once(scene, options)
    finally:
        scene_reader.read_as_copy_of(None)


def _render_once(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    # With --json, standard output carries the document alone: what Blender
    # and the queue print meanwhile goes to standard error.
    with stdout_to_stderr() if options.json else contextlib.nullcontext():
        saved_lines = _SavedLines() if not options.json else None
        queue, problems = blocking.run_blocking(
            scene,
            started=started_time(options.started),
            all_scenes=options.all_scenes,
            follow=saved_lines,
            make_movies=not options.frames,  # a farm task's chunk is not the whole shot: a later step makes it
        )
        if queue is None:
            raise UsageError(validation.summary(problems))
        if saved_lines is not None:
            saved_lines(queue)  # the last shot settled after the last call between shots
        for shot in queue.shots:
            where = shot.output_path if shot.status in (ShotStatus.DONE, ShotStatus.SKIPPED) else shot.reason
            print(f"{shot.status.value:9} {shot.name}  {where}  {shot.seconds:.2f} s")
        print(f"multi_render: {queue.report_text}")
    if options.json and queue.record is not None:
        print(run_record.as_json(queue.record), flush=True)
    failed = any(shot.status not in (ShotStatus.DONE, ShotStatus.SKIPPED) for shot in queue.shots)
    # A movie asked for and not made fails the command too (a farm's movie task).
    return 1 if failed or any(shot.movie_note for shot in queue.shots) else 0


def _serve(scene: bpy.types.Scene, scenes: list[bpy.types.Scene], options: argparse.Namespace) -> NoReturn:
    """--serve, the background process (run/background.py): render the shots
    the Blender that started it sends, one run a command, and report each
    shot on standard output (every other line goes to standard error). It
    ends when that Blender closes its standard input. That Blender makes the
    contact sheet of every process's shots, and the movies."""
    for each in scenes:
        scene_shots(each).contact_sheet = False
    with stdout_to_stderr() as out:
        link = child_link.ParentLink(out)
        link.start()
        while True:
            _tick_plan(scenes, link.next_plan())
            queue, problems = blocking.run_blocking(
                scene,
                started=started_time(options.started),
                all_scenes=options.all_scenes,
                follow=link.follow,
                make_movies=False,
            )
            link.finish(EndEvent(validation.summary(problems) if queue is None else queue.stop_reason))


class _SavedLines:
    """Blender's own lines for each file written ("Saved: '...'", then
    "Time: ..."), which a Flamenco Worker reads: the job's last image and a
    step of progress. Printed as each shot is done, between shots."""

    def __init__(self) -> None:
        self._said: set[int] = set()

    def __call__(self, queue: QueueSession) -> None:
        for position, shot in enumerate(queue.shots):
            if position in self._said or shot.status != ShotStatus.DONE:
                continue
            self._said.add(position)
            minutes, seconds = divmod(shot.seconds, 60)
            for path in shot.output_paths:
                print(f"Saved: '{path}'")
            print(f"Time: {int(minutes):02d}:{seconds:05.2f}", flush=True)


def _choose_shots(scenes: list[bpy.types.Scene], options: argparse.Namespace) -> None:
    """Tick the shots named on the command line (in any of the scenes)."""
    wanted = list(options.shot)
    if options.shots:
        wanted += [name.strip() for name in options.shots.split(",") if name.strip()]
    if options.shot_list:
        wanted += names_from_json(options.shot_list)
    if not wanted:
        return
    names = [shot.name for each in scenes for shot in scene_shots(each).shots]
    unknown = [name for name in wanted if name not in names]
    if unknown:
        raise UsageError(f"no shot named {', '.join(repr(n) for n in unknown)} (shots: {', '.join(names)})")
    for each in scenes:
        for shot in scene_shots(each).shots:
            shot.enabled = shot.name in wanted


def _tick_plan(scenes: list[bpy.types.Scene], plan: list[tuple[str, list[int]]]) -> None:
    """Tick exactly the plan's (scene, list index) shots."""
    wanted = dict(plan)
    for each in scenes:
        for index, shot in enumerate(scene_shots(each).shots):
            shot.enabled = index in wanted.get(each.name, ())


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[int]:
    """Send everything written to standard output, by Python or by Blender's
    own C code, to standard error for a while; yields the real standard
    output's file descriptor."""
    _flush_all()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield saved
    finally:
        _flush_all()
        os.dup2(saved, 1)
        os.close(saved)


def _flush_all() -> None:
    sys.stdout.flush()
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)  # C's stdio buffer (Blender's own printing); POSIX only


def _apply_task_options(scene: bpy.types.Scene, data: Any, options: argparse.Namespace) -> None:
    """What a farm task (or a person) asks of this run beyond its shots."""
    if options.skip_existing:
        data.skip_existing = True
    if options.skip_existing_value is not None:
        data.skip_existing = options.skip_existing_value == "true"
    if options.frames:
        _only_frames(data, options.frames)
    if options.cycles_device:
        if not hasattr(scene, "cycles"):
            raise UsageError("--cycles-device: this Blender has no Cycles")
        scene.cycles.device = "CPU" if options.cycles_device == "CPU" else "GPU"


def _only_frames(data: Any, text: str) -> None:
    """A farm task's chunk: the ticked range shots render only these frames,
    into the same files the whole range would write."""
    try:
        frames = farm.parse_frames(text)
    except ValueError as error:
        raise UsageError(f"--frames: {error}") from None
    chosen = [shot for shot in data.shots if shot.enabled]
    stills = [shot.name for shot in chosen if not shot.use_frame_range]
    if stills:
        raise UsageError(f"--frames is for frame-range shots; {', '.join(stills)} renders a still")
    for shot in chosen:
        shot.frame_list = frame_list.as_text(frames)


def _use_gpu(device: str) -> None:
    """Cycles on the given compute device type, every device of that type on."""
    addon = bpy.context.preferences.addons.get("cycles")
    if addon is None:
        raise UsageError("--cycles-device: the Cycles add-on is not enabled")
    preferences = addon.preferences
    try:
        preferences.compute_device_type = device
    except TypeError:
        raise UsageError(f"--cycles-device: this Blender has no {device} support") from None
    preferences.get_devices()
    devices = [entry for entry in preferences.devices if entry.type == device]
    if not devices:
        raise UsageError(f"--cycles-device: no {device} device on this machine")
    for entry in devices:
        entry.use = True
