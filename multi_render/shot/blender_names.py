# SPDX-License-Identifier: GPL-3.0-or-later
"""The names of the files a shot's render writes, asked of Blender with the
shot's settings on the scene: `RenderSettings.frame_path` numbers each frame
of a range (# in the file name only), adds the extension, each view's suffix
(stereoscopy with Individual files) and names a movie by its range; a
folder's path variables (Blender 4.5+: {blend_name}, {camera_name}, ...) and
"//" are resolved through it too. Blender is the authority on its names: the
queue's list of files is this one."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import bpy

from ..core import paths
from ..core.logs import logger

log = logger(__name__)

# Blender 4.5+ reads braces in output paths as path variables.
HAS_PATH_TEMPLATES = bpy.app.version >= (4, 5, 0)
# A file name for asking Blender about a folder (frame_path numbers and
# extends only the file name, never the folder).
_PROBE = "multi_render_probe"


class BlenderPathError(ValueError):
    """Blender cannot read an output path; the message is Blender's."""


def literal(path: str) -> str:
    """A literal path as Blender must be given it: braces escaped where
    Blender reads path variables."""
    return paths.escape_braces(path) if HAS_PATH_TEMPLATES else path


def resolved_folder(scene: bpy.types.Scene, folder: str) -> str:
    """`folder` as Blender reads an output folder of this scene: its path
    variables expanded, "//" the .blend's folder, made absolute. Raises
    BlenderPathError with Blender's reason (e.g. an unknown variable)."""
    render = scene.render
    typed = render.filepath
    try:
        render.filepath = os.path.join(folder, _PROBE) if folder else _PROBE
        probe = _frame_path(render, frame=0)
    finally:
        render.filepath = typed
    resolved = os.path.dirname(os.path.abspath(probe))
    return resolved if resolved.endswith(os.sep) else resolved + os.sep


def blend_name(scene: bpy.types.Scene) -> str:
    """What Blender's {blend_name} is in this Blender now (for an unsaved
    file Blender's own word, which it may translate); "" before 4.5."""
    if not HAS_PATH_TEMPLATES:
        return ""
    return os.path.basename(os.path.dirname(resolved_folder(scene, "{blend_name}/")))


def as_if_open(folder: str, person_file: str) -> str:
    """An output folder read in a copy of the person's file saved elsewhere
    (the background process): {blend_dir} is the person's folder, as in
    their Blender (the copy has their file's name, so {blend_name} is
    theirs already)."""
    if not HAS_PATH_TEMPLATES:
        return folder
    folder_of_file = os.path.dirname(person_file)
    for name in ("blend_dir", "blend_dir_lib"):  # a scene is never linked: both are its own file's
        folder = paths.with_variable(folder, name, folder_of_file)
    return folder


def view_suffixes(render: bpy.types.RenderSettings) -> tuple[str, ...]:
    """The suffix of each file a still is written as ("" for one file)."""
    return tuple(render.views[view].file_suffix if view else "" for view in file_views(render))


def range_files(scene: bpy.types.Scene, frames: Sequence[int]) -> tuple[str, ...]:
    """Every file a range renders, first frame's first view first: with the
    shot's settings on the scene and its base path in render.filepath."""
    render = scene.render
    views = file_views(render)
    if render.is_movie_format:  # one movie per view, named with the scene's range (the shot's, applied)
        return tuple(_frame_path(render, view=view) for view in views)
    return tuple(_frame_path(render, frame=frame, view=view) for frame in frames for view in views)


def file_views(render: bpy.types.RenderSettings) -> tuple[str, ...]:
    """The views written as files of their own ("" for one file): with
    stereoscopy or multi-view and Views Format Individual, each view that
    renders; one view alone is written without a suffix, as Blender does."""
    if not render.use_multiview or render.image_settings.views_format != "INDIVIDUAL":
        return ("",)
    stereo = render.views_format == "STEREO_3D"
    active = [view.name for view in render.views if view.use and (not stereo or view.name in ("left", "right"))]
    return tuple(active) if len(active) > 1 else ("",)


def _frame_path(render: bpy.types.RenderSettings, frame: int = -(2**31), view: str = "") -> str:
    """Blender's name for one frame and view (the default frame: the scene's current one)."""
    try:
        return str(render.frame_path(frame=frame, view=view))
    except RuntimeError as error:  # Blender's own report, e.g. "Unknown variable"
        raise BlenderPathError(_reason(error)) from None


def _reason(error: RuntimeError) -> str:
    lines = [line.strip().removeprefix("Error: ").removeprefix("- ") for line in str(error).strip().splitlines()]
    return " ".join(line for line in lines if line)


def movie_codecs() -> list[str]:
    """The video codecs this Blender's FFmpeg offers (ProRes from 4.4 on)."""
    codec: Any = bpy.types.FFmpegSettings.bl_rna.properties["codec"]
    return [item.identifier for item in codec.enum_items]
