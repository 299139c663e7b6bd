# SPDX-License-Identifier: GPL-3.0-or-later
"""The command's entry: reads the arguments, opens the file and hands it to
the command asked for; `list`."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from typing import Any

import bpy

from ..props import scene_shots
from ..run import preparing
from ..shot import builtin_overrides, scene_reader
from . import farm as farm_commands
from . import files
from . import render as render_command
from .usage import UsageError

COMMAND = "multi_render"
_handle: Any = None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"blender -c {COMMAND}", description="Render or list the shots of a .blend file (Multi Render)."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="{render,list,bundle,flamenco,flamenco-job-type}"
    )
    render_command.add_parser(commands)
    listing = commands.add_parser("list", help="print the shots and the files they write")
    listing.add_argument("file", help="the .blend file")
    listing.add_argument("--all-scenes", action="store_true", help="every scene's shots, scene by scene")
    farm_commands.add_parsers(commands)
    return parser


def execute(argv: list[str]) -> int:
    try:
        options = _parser().parse_args(argv)
    except SystemExit as exit_request:  # --help (0) or a usage error (2), already printed
        return int(exit_request.code or 0)
    if options.command == "flamenco-job-type":
        return farm_commands.save_job_type(options.folder)
    if getattr(options, "serve", False):
        options.all_scenes = True  # the background process is given shots of any scene
    try:
        if options.command == "render":
            render_command.take_task_file(options)
            return files.render_files(options, _open_for_render)
        scene = _open(options.file, getattr(options, "scene", None), getattr(options, "all_scenes", False))
        commands = {
            "list": _list_scenes,
            "bundle": farm_commands.bundle,
            "flamenco": farm_commands.submit_flamenco,
        }
        return commands[options.command](scene, options)
    except UsageError as problem:
        print(f"multi_render: {problem}", file=sys.stderr)
        return 1


def _open_for_render(path: str, options: argparse.Namespace) -> bpy.types.Scene | None:
    """Open one file of `render`; its scene, or None when it has no shots
    and --no-shots says what to render of it instead."""
    try:
        return _open(path, options.scene, options.all_scenes)
    except NoShotsError:
        if options.no_shots:
            return None
        raise


class NoShotsError(UsageError):
    """The file opened has no shots."""


def _open(path: str, scene_name: str | None, all_scenes: bool) -> bpy.types.Scene:
    """Open the file; its scene (the one named, else the one it opens with)."""
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    try:
        bpy.ops.wm.open_mainfile(filepath=os.path.abspath(path))
    except RuntimeError as error:
        raise UsageError(f"cannot open {path}: {str(error).strip()}") from None
    scene = bpy.context.scene
    if scene_name is not None:
        scene = bpy.data.scenes.get(scene_name)
        if scene is None:
            raise UsageError(f"no scene named {scene_name!r} (scenes: {', '.join(s.name for s in bpy.data.scenes)})")
    scenes = preparing.queue_scenes(scene, all_scenes) if scene is not None else []
    if not any(len(scene_shots(each).shots) for each in scenes):
        where = f"{path}: no scene of it has" if all_scenes else f"{path} has"
        raise NoShotsError(f"{where} no shots (add them in the 3D Viewport's sidebar, Render Shots tab)")
    assert scene is not None
    return scene


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
        if shot.use_frame_range:
            print(f"      {scene_reader.frames_summary(shot)[0]}")
        for node in scene_reader.read_node_outputs(scene, shot, index, datetime.now()):
            print(f"      passes: {node.node} -> {node.error or node.absolute_folder}")
        for key, values in builtin_overrides.ticked(shot).items():
            print(f"      {key}: {', '.join(f'{name}={value}' for name, value in values.items())}")
        for item in shot.property_overrides:
            print(f"      [{'x' if item.enabled else ' '}] {item.data_path.strip()} = {item.value.strip()}")
    return 0


def register() -> None:
    global _handle
    _handle = bpy.utils.register_cli_command(COMMAND, execute)  # type: ignore[func-returns-value]


def unregister() -> None:
    global _handle
    if _handle is not None:
        bpy.utils.unregister_cli_command(_handle)
        _handle = None
