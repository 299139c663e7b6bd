# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line, Blender's own way (4.2+):

    blender -c multi_render render FILE.blend [--shots NAME,...] [--skip-existing] [--output-dir DIR]
                                              [--contact-sheet] [--json] [--scene NAME | --all-scenes]
    blender -c multi_render list FILE.blend [--all-scenes]
    blender -c multi_render render FILE.blend --shot-list '["A", "B"]' [--frames 1-10]
                                              [--cycles-device CUDA] [--skip-existing=true]   (farm tasks)
    blender -c multi_render bundle FILE.blend FOLDER [--shots-per-task N] [--frames-per-task M] [--skip-existing]
    blender -c multi_render flamenco FILE.blend [--manager URL] [--shots-per-task N] [--frames-per-task M]
                                                [--priority P] [--skip-existing] [--wait]
    blender -c multi_render flamenco-job-type FOLDER

It runs after add-ons are enabled, in background mode: shots render one after
another (the same code as bpy.ops.multi_render.render_shots() in -b), one
line per shot is printed, and the exit code is 1 if any shot failed or the
input was bad. The .blend is never saved."""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import bpy

from . import prefs
from .core import farm, run_record, validation
from .core.child_protocol import EndEvent
from .core.status import ShotStatus
from .farm import flamenco, openjd
from .props import runtime_state, scene_shots
from .run import blocking, child_link, preparing
from .run.session import QueueSession
from .shot import builtin_overrides, scene_reader

COMMAND = "multi_render"
_handle: Any = None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"blender -c {COMMAND}", description="Render or list the shots of a .blend file (Multi Render)."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{render,list,bundle,flamenco,flamenco-job-type}"
    )
    render = commands.add_parser("render", help="render the ticked shots (or the named ones)")
    render.add_argument("file", help="the .blend file")
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
    render.add_argument("--frames", help="render only these frames of the (frame-range) shots: START-END[:STEP]")
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
    which = render.add_mutually_exclusive_group()
    which.add_argument("--scene", help="render this scene's shots (default: the scene the file opens with)")
    which.add_argument(
        "--all-scenes",
        action="store_true",
        help="render the ticked shots of every scene, in the file's scene order (--shots names shots in any scene)",
    )
    # For the background process (background.py): not for people.
    render.add_argument("--events", action="store_true", help=argparse.SUPPRESS)
    render.add_argument("--as-file", help=argparse.SUPPRESS)
    render.add_argument("--plan", help=argparse.SUPPRESS)
    render.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document (per shot: name, status, files, seconds, reason) and nothing else on stdout",
    )
    listing = commands.add_parser("list", help="print the shots and the files they write")
    listing.add_argument("file", help="the .blend file")
    listing.add_argument("--all-scenes", action="store_true", help="every scene's shots, scene by scene")
    bundle = commands.add_parser("bundle", help="write an Open Job Description job bundle for a render farm")
    bundle.add_argument("file", help="the saved .blend file")
    bundle.add_argument(
        "folder", help="the bundle's folder (template.json, parameter_values.json, asset_references.json)"
    )
    bundle.add_argument("--shots-per-task", type=_positive, default=1, help="consecutive shots one task renders")
    bundle.add_argument(
        "--frames-per-task",
        type=_positive,
        default=0,
        help="split each frame-range shot into chunks of this many frames",
    )
    bundle.add_argument("--skip-existing", action="store_true", help="the job renders only what is missing")
    _add_flamenco_commands(commands)
    return parser


def _add_flamenco_commands(commands: Any) -> None:
    submit = commands.add_parser("flamenco", help="submit the ticked shots to a Flamenco Manager as one job")
    submit.add_argument("file", help="the .blend file")
    submit.add_argument("--manager", help="the Manager's URL (default: Multi Render's preferences)")
    submit.add_argument("--shots-per-task", type=_positive, default=1, help="consecutive shots one task renders")
    submit.add_argument(
        "--frames-per-task", type=_positive, default=0, help="split each frame-range shot into chunks of this many"
    )
    submit.add_argument(
        "--priority", type=_priority, default=50, help="the job's priority (0-100, Flamenco's default 50)"
    )
    submit.add_argument("--job-name", default="", help="the job's name (default: the file's name and 'shots')")
    submit.add_argument("--skip-existing", action="store_true", help="the job renders only what is missing")
    submit.add_argument(
        "--wait", action="store_true", help="follow the job; exit 0 only when every task completed, 1 otherwise"
    )
    job_type = commands.add_parser(
        "flamenco-job-type", help="save the Flamenco job type file: put it in your Manager's scripts folder"
    )
    job_type.add_argument("folder", help="where to save multi_render.js (e.g. the Manager's scripts folder)")


class _UsageError(Exception):
    """Bad input: the message is printed, the exit code is 1."""


def execute(argv: list[str]) -> int:
    try:
        options = _parser().parse_args(argv)
    except SystemExit as exit_request:  # --help (0) or a usage error (2), already printed
        return int(exit_request.code or 0)
    if options.command == "flamenco-job-type":
        return _save_job_type(options.folder)
    if getattr(options, "plan", None) is not None:
        options.all_scenes = True  # the background process's plan names shots of any scene
    try:
        scene = _open(options.file, getattr(options, "scene", None), getattr(options, "all_scenes", False))
        commands = {"list": _list_scenes, "bundle": _bundle, "flamenco": _flamenco, "render": _render}
        return commands[options.command](scene, options)
    except _UsageError as problem:
        print(f"multi_render: {problem}", file=sys.stderr)
        return 1


def _open(path: str, scene_name: str | None, all_scenes: bool) -> bpy.types.Scene:
    """Open the file; its scene (the one named, else the one it opens with)."""
    if not os.path.isfile(path):
        raise _UsageError(f"no such file: {path}")
    try:
        bpy.ops.wm.open_mainfile(filepath=os.path.abspath(path))
    except RuntimeError as error:
        raise _UsageError(f"cannot open {path}: {str(error).strip()}") from None
    scene = bpy.context.scene
    if scene_name is not None:
        scene = bpy.data.scenes.get(scene_name)
        if scene is None:
            raise _UsageError(f"no scene named {scene_name!r} (scenes: {', '.join(s.name for s in bpy.data.scenes)})")
    scenes = preparing.queue_scenes(scene, all_scenes) if scene is not None else []
    if not any(len(scene_shots(each).shots) for each in scenes):
        where = f"{path}: no scene of it has" if all_scenes else f"{path} has"
        raise _UsageError(f"{where} no shots (add them in the 3D Viewport's sidebar, Render Shots tab)")
    assert scene is not None
    return scene


def _bundle(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    settings = farm.BundleOptions(options.shots_per_task, options.frames_per_task, options.skip_existing)
    try:
        bundle = openjd.write_farm_bundle(scene, options.folder, settings)
    except (OSError, ValueError) as error:
        raise _UsageError(f"cannot write the bundle: {error}") from None
    for path in bundle.missing:
        print(f"multi_render: warning: the .blend uses a file that does not exist: {path}", file=sys.stderr)
    print(f"multi_render: wrote {bundle.template} ({bundle.tasks} tasks)")
    return 0


def _save_job_type(folder: str) -> int:
    try:
        path = flamenco.save_job_type(folder)
    except OSError as error:
        print(f"multi_render: cannot save the job type: {error}", file=sys.stderr)
        return 1
    print(f"multi_render: saved {path}: put it in your Flamenco Manager's scripts folder")
    return 0


def _flamenco(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    url = options.manager or prefs.preferences().flamenco_manager_url
    if not url:
        raise _UsageError("no Flamenco Manager: give --manager URL or set it in Multi Render's preferences")
    settings = farm.BundleOptions(options.shots_per_task, options.frames_per_task, options.skip_existing)
    try:
        manager = flamenco.Manager(url)
        job = flamenco.submit(scene, manager, settings, name=options.job_name, priority=options.priority)
        print(f"multi_render: submitted Flamenco job {job.job_id} ({job.tasks} tasks), rendering {job.blend_path}")
        print(job.job_id, flush=True)
        if not options.wait:
            return 0
        end = flamenco.follow(manager, job.job_id, lambda line: print(f"multi_render: job {line}", flush=True))
    except (flamenco.FlamencoError, ValueError, OSError, RuntimeError) as error:
        raise _UsageError(str(error)) from None
    for task in end.failed:
        print(f"multi_render: task '{task.name}' {task.status}: {task.reason}")
    print(f"multi_render: Flamenco job {job.job_id} {end.status}")
    return 0 if end.status == "completed" else 1


def _list_scenes(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    if not options.all_scenes:
        return _list(scene)
    for each in preparing.queue_scenes(scene, all_scenes=True):
        print(f"Scene '{each.name}':")
        _list(each)
    return 0


def _list(scene: bpy.types.Scene) -> int:
    for index, shot in enumerate(scene_shots(scene).shots):
        output = scene_reader.shot_output(scene, shot, index)
        files = output.error or (output.files[0] + (f" ... {output.files[-1]}" if len(output.files) > 1 else ""))
        camera = shot.camera.name if shot.camera else "(no camera)"
        print(f"{index + 1:3} [{'x' if shot.enabled else ' '}] {shot.name}  camera={camera}  {files}")
        for node in scene_reader.read_node_outputs(scene, shot, index, datetime.now()):
            print(f"      passes: {node.node} -> {node.error or node.absolute_folder}")
        for key, values in builtin_overrides.ticked(shot).items():
            print(f"      {key}: {', '.join(f'{name}={value}' for name, value in values.items())}")
        for item in shot.property_overrides:
            print(f"      [{'x' if item.enabled else ' '}] {item.data_path.strip()} = {item.value.strip()}")
    return 0


def _render(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    scenes = preparing.queue_scenes(scene, options.all_scenes)
    _choose_shots(scenes, options)
    for each in scenes:
        _apply_task_options(each, scene_shots(each), options)
        if options.output_dir:
            each.render.filepath = os.path.abspath(options.output_dir) + os.sep
    if options.cycles_device not in ("", "CPU"):
        _use_gpu(options.cycles_device)  # a preference: once, whatever the number of scenes
    if options.contact_sheet:
        scene_shots(scene).contact_sheet = True
    scene_reader.read_as_copy_of(options.as_file)
    # With --json and --events, standard output carries the document or the
    # events alone: what Blender and the queue print meanwhile goes to
    # standard error.
    with _stdout_to_stderr() if options.json or options.events else contextlib.nullcontext() as out:
        link = child_link.ParentLink(out) if options.events and out is not None else None
        if link is not None:
            link.start()
        saved_lines = _SavedLines() if not (options.json or options.events) else None
        try:
            queue, problems = blocking.run_blocking(
                scene,
                started=_started(options.started),
                all_scenes=options.all_scenes,
                follow=link.follow if link else saved_lines,
            )
        finally:
            scene_reader.read_as_copy_of(None)
            if link is not None:
                link.stop()
        if queue is None:
            raise _UsageError(validation.summary(problems))
        if saved_lines is not None:
            saved_lines(queue)  # the last shot settled after the last call between shots
        if link is not None:
            sheet = runtime_state().last_contact_sheet if scene_shots(scene).contact_sheet else ""
            link.finish(EndEvent(queue.stop_reason, sheet, queue.contact_sheet_note))
        for shot in queue.shots:
            where = shot.output_path if shot.status in (ShotStatus.DONE, ShotStatus.SKIPPED) else shot.reason
            print(f"{shot.status.value:9} {shot.name}  {where}  {shot.seconds:.2f} s")
        print(f"multi_render: {queue.report_text}")
    if options.json and queue.record is not None:
        print(run_record.as_json(queue.record), flush=True)
    failed = any(shot.status not in (ShotStatus.DONE, ShotStatus.SKIPPED) for shot in queue.shots)
    return 1 if failed else 0


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
    """Tick the shots named on the command line (in any of the scenes), or
    exactly the plan's (scene, list index) shots."""
    if options.plan is not None:
        plan = _plan_from_json(options.plan)
        missing = [name for name in plan if name not in {each.name for each in scenes}]
        if missing:
            # E.g. a scene made in Python with no user: Blender does not save it.
            raise _UsageError(
                f"the saved copy has no scene {missing[0]!r} with shots (a scene without users is not saved)"
            )
        for each in scenes:
            for index, shot in enumerate(scene_shots(each).shots):
                shot.enabled = index in plan.get(each.name, ())
        return
    wanted = list(options.shot)
    if options.shots:
        wanted += [name.strip() for name in options.shots.split(",") if name.strip()]
    if options.shot_list:
        wanted += _names_from_json(options.shot_list)
    if not wanted:
        return
    names = [shot.name for each in scenes for shot in scene_shots(each).shots]
    unknown = [name for name in wanted if name not in names]
    if unknown:
        raise _UsageError(f"no shot named {', '.join(repr(n) for n in unknown)} (shots: {', '.join(names)})")
    for each in scenes:
        for shot in scene_shots(each).shots:
            shot.enabled = shot.name in wanted


def _plan_from_json(text: str) -> dict[str, set[int]]:
    """--plan: [[scene name, [list index, ...]], ...] (background.py writes it)."""
    try:
        plan = {str(name): {int(index) for index in indexes} for name, indexes in json.loads(text)}
    except (ValueError, TypeError) as error:
        raise _UsageError(f"--plan: not a plan ({error})") from None
    return plan


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[int]:
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
            raise _UsageError("--cycles-device: this Blender has no Cycles")
        scene.cycles.device = "CPU" if options.cycles_device == "CPU" else "GPU"


def _started(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _UsageError(f"--started must be a time such as 2026-11-25T14:30:00 (got {text!r})") from None


def _priority(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 100, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 100, got {value}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _names_from_json(text: str) -> list[str]:
    try:
        names = json.loads(text)
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise _UsageError(f"--shot-list must be a JSON list of shot names (got {text!r})")
    return names


def _only_frames(data: Any, text: str) -> None:
    """A farm task's chunk: the ticked range shots render only these frames,
    into the same files the whole range would write."""
    try:
        frames = farm.parse_frames(text)
    except ValueError as error:
        raise _UsageError(f"--frames: {error}") from None
    chosen = [shot for shot in data.shots if shot.enabled]
    stills = [shot.name for shot in chosen if not shot.use_frame_range]
    if stills:
        raise _UsageError(f"--frames is for frame-range shots; {', '.join(stills)} renders a still")
    for shot in chosen:
        shot.frame_start, shot.frame_end, shot.frame_step = frames.start, frames.end, frames.step


def _use_gpu(device: str) -> None:
    """Cycles on the given compute device type, every device of that type on."""
    addon = bpy.context.preferences.addons.get("cycles")
    if addon is None:
        raise _UsageError("--cycles-device: the Cycles add-on is not enabled")
    preferences = addon.preferences
    try:
        preferences.compute_device_type = device
    except TypeError:
        raise _UsageError(f"--cycles-device: this Blender has no {device} support") from None
    preferences.get_devices()
    devices = [entry for entry in preferences.devices if entry.type == device]
    if not devices:
        raise _UsageError(f"--cycles-device: no {device} device on this machine")
    for entry in devices:
        entry.use = True


def register() -> None:
    global _handle
    _handle = bpy.utils.register_cli_command(COMMAND, execute)  # type: ignore[func-returns-value]


def unregister() -> None:
    global _handle
    if _handle is not None:
        bpy.utils.unregister_cli_command(_handle)
        _handle = None
