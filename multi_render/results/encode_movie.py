# SPDX-License-Identifier: GPL-3.0-or-later
"""Run by a background Blender, never imported by the add-on:

    blender -b --factory-startup --python encode_movie.py -- JOB.json

Encodes a shot's frames (core/movie.py's job, read as data) into a movie
with Blender's own FFmpeg: a scene of its own whose sequencer holds the
frames, rendered as an animation to a hidden name, then moved to the
movie's name once whole. Prints the reason and exits 1 on failure."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import bpy

JOB_FORMAT = "multi_render.movie"  # core/movie.py's; this file runs without the add-on


def _job() -> dict[str, Any]:
    path = sys.argv[sys.argv.index("--") + 1]
    with open(path, encoding="utf-8") as handle:
        job: dict[str, Any] = json.load(handle)
    if job.get("format") != JOB_FORMAT:
        raise ValueError(f"{path} is not a movie job")
    return job


def _runs_by_folder(frames: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive frames in the same folder: one image strip each (a
    strip's images share a folder; "take_##/seq_" puts each in its own)."""
    runs: list[tuple[str, list[str]]] = []
    for frame in frames:
        folder, name = os.path.split(frame)
        if runs and runs[-1][0] == folder:
            runs[-1][1].append(name)
        else:
            runs.append((folder, [name]))
    return runs


def _image_size(path: str) -> tuple[int, int]:
    image = bpy.data.images.load(path, check_existing=False)
    try:
        width, height = image.size
    finally:
        bpy.data.images.remove(image)
    if not width or not height:
        raise ValueError(f"cannot read the image '{path}'")
    # H.264 needs even sizes: an odd one gets one more row or column.
    return width + width % 2, height + height % 2


def _scene(job: dict[str, Any]) -> bpy.types.Scene:
    frames: list[str] = job["frames"]
    scene = bpy.data.scenes.new("multi_render movie")
    editor = scene.sequence_editor_create()
    strips = editor.strips if hasattr(editor, "strips") else editor.sequences  # 5.0 renamed it
    at = 1
    for number, (folder, names) in enumerate(_runs_by_folder(frames), start=1):
        strip = strips.new_image(
            name=f"frames {number}", filepath=os.path.join(folder, names[0]), channel=1, frame_start=at
        )
        for name in names[1:]:
            strip.elements.append(name)
        at += len(names)
    scene.frame_start, scene.frame_end = 1, len(frames)
    render = scene.render
    render.resolution_x, render.resolution_y = _image_size(frames[0])
    render.resolution_percentage = 100
    render.fps, render.fps_base = job["fps"], job["fps_base"]
    render.use_sequencer, render.use_compositing = True, False
    scene.view_settings.view_transform = "Standard"  # the frames are display images already
    settings = render.image_settings
    if hasattr(settings, "media_type"):  # Blender 5.0+: before the format
        settings.media_type = "VIDEO"
    settings.file_format = "FFMPEG"
    render.ffmpeg.format = job["container"]
    render.ffmpeg.codec = job["codec"]
    return scene


def main() -> int:
    try:
        job = _job()
        output: str = job["output"]
        scene = _scene(job)
        folder, name = os.path.split(output)
        os.makedirs(folder, exist_ok=True)
        scene.render.filepath = os.path.join(folder, f".{name}.partial")
        bpy.ops.render.render(animation=True, scene=scene.name)
        written = scene.render.frame_path(frame=scene.frame_start)
        if not os.path.isfile(written) or os.path.getsize(written) == 0:
            raise RuntimeError("Blender wrote no movie")
        os.replace(written, output)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError) as error:
        print(f"multi_render movie: {str(error).strip() or type(error).__name__}", file=sys.stderr)
        return 1
    print(f"multi_render movie written: {output}")
    return 0


sys.exit(main())
