# SPDX-License-Identifier: GPL-3.0-or-later
"""Blender data into core's plain facts: each shot as a ShotSpec, and the
files its render writes. Reads only; apply.py changes the scene."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import bpy

from ..core import frame_list, movie, paths, templates
from ..core.logs import logger
from ..core.overrides import Names
from ..core.shots import FrameRange, NodeOutput, PropertyOverride, ShotSpec
from ..guards.settings import SettingsGuard
from ..props import scene_shots
from . import blender_names, builtin_overrides, compositor_outputs, property_overrides
from .apply import SETUP_ERRORS, apply_shot
from .engines import available_engines

log = logger(__name__)

# The person's .blend, when the open file is a copy of it (the background
# process renders a copy saved elsewhere): "//" and {blend} then mean the
# person's file ("" for an unsaved one). None: the open file itself.
_copy_of: str | None = None


def read_as_copy_of(path: str | None) -> None:
    """Read every path as if the open file were `path` (see _copy_of)."""
    global _copy_of
    _copy_of = path


def _blend_path() -> str:
    return bpy.data.filepath if _copy_of is None else _copy_of


def _rendered_view_layer(scene: bpy.types.Scene, shot: Any) -> str:
    if shot.use_view_layer:
        return str(shot.view_layer)
    return next((layer.name for layer in scene.view_layers if layer.use), scene.view_layers[0].name)


def template_values(scene: bpy.types.Scene, shot: Any, index: int, now: datetime) -> templates.TemplateValues:
    blend = os.path.splitext(bpy.path.basename(_blend_path()))[0] or "untitled"
    return templates.TemplateValues(
        scene=scene.name,
        shot=shot.name,
        camera=shot.camera.name if shot.camera else "",
        index=index + 1,
        view_layer=_rendered_view_layer(scene, shot),
        blend=blend,
        date=now.strftime("%Y-%m-%d"),
        time=now.strftime("%H%M%S"),
    )


def _blend_folder() -> str:
    """Where "//" points: the .blend's folder, the working directory for an unsaved file."""
    return os.path.dirname(_blend_path()) or os.getcwd()


def _still_frame(scene: bpy.types.Scene, shot: Any) -> int | None:
    """The frame a still shot renders; None for a frame range (Blender numbers each frame)."""
    if shot.use_frame_range:
        return None
    return int(shot.frame if shot.use_frame else scene.frame_current)


def shot_frames(shot: Any) -> list[int]:
    """The frames a frame-range shot renders; with a wrong frame list (which
    validation names) its start to end, so its files can still be named."""
    try:
        return builtin_overrides.shot_frames(shot)
    except frame_list.FrameListError:
        return FrameRange(shot.frame_start, shot.frame_end, shot.frame_step).frames


def frames_summary(shot: Any) -> tuple[str, bool]:
    """What a frame-range shot renders, for people ("5 frames: 1-3, 8-9"),
    and whether its frames are right (else the text is why not)."""
    try:
        return frame_list.summary(builtin_overrides.shot_frames(shot)), True
    except frame_list.FrameListError as error:
        return f"frame list: {error}", False


def shot_segments(shot: Any) -> list[FrameRange]:
    """The animation renders of a frame-range shot (one, unless a frame list
    needs several); as shot_frames for a wrong list."""
    try:
        return builtin_overrides.segments(shot)
    except frame_list.FrameListError:
        return [FrameRange(shot.frame_start, shot.frame_end, shot.frame_step)]


@dataclass(frozen=True)
class NamingFacts:
    """What Blender says of the files of a shot with its settings on the
    scene, besides the shot's own path: the same for every still whose
    settings are the same (see naming_key), so a run asks once for each."""

    scene_folder: str  # the scene's output folder as Blender resolves it
    extension: str
    use_extension: bool
    file_format: str
    is_movie: bool
    view_suffixes: tuple[str, ...]  # one file per view of a still ("" for one file)
    error: str = ""  # why Blender cannot read the scene's output path


def naming_key(shot: Any, scene_output: str) -> tuple[Any, ...]:
    """Everything of a shot that may change Blender's naming facts: its
    ticked overrides (format, resolution, frames), property overrides (any
    setting) and, when the scene's output path has path variables, its
    camera ({camera_name}; a camera changes nothing else Blender names)."""
    ticked = builtin_overrides.ticked(shot)
    return (
        shot.camera.as_pointer() if shot.camera and "{" in scene_output else 0,
        tuple(sorted((key, tuple(sorted(values.items()))) for key, values in ticked.items())),
        tuple((item.data_path, item.value) for item in shot.property_overrides if item.enabled),
        bool(shot.use_frame_range),
    )


def shot_output(
    scene: bpy.types.Scene,
    shot: Any,
    index: int,
    now: datetime | None = None,
    known: dict[tuple[Any, ...], NamingFacts] | None = None,
) -> paths.ShotFiles:
    """Where a shot's render writes: the path it is given (core.paths.shot_path
    decides; `filepath` is a template) and the files Blender names from it,
    asked of Blender with the shot's settings on the scene for the moment
    (blender_names.py). The scene is as it was when this returns. `known`
    keeps what Blender said for stills of the same settings during one
    reading of the list. Not from a panel's draw, where Blender allows no
    change: see shot_preview."""
    try:
        expanded = _expanded_filepath(scene, shot, index, now)
    except templates.TemplateError as error:
        return paths.ShotFiles("", (), str(error))
    is_range = bool(shot.use_frame_range)
    scene_output = scene.render.filepath
    key = naming_key(shot, scene_output) if known is not None else ()
    if not is_range and known is not None and key in known:
        return _still_files(shot, expanded, known[key])
    guard = SettingsGuard()
    try:
        try:  # a shot that cannot be put on the scene is reported by validation
            apply_shot(guard, scene, shot, scene_output)
        except SETUP_ERRORS as error:
            log.info("shot %r: names read without all of its settings: %s", shot.name, error)
        facts = _naming_facts(scene, scene_output)
        if known is not None:
            known[key] = facts
        if not is_range:
            return _still_files(shot, expanded, facts)
        return _range_files(scene, shot, expanded, facts)
    finally:
        guard.restore()


def _naming_facts(scene: bpy.types.Scene, scene_output: str) -> NamingFacts:
    """Blender's naming facts, with a shot's settings on the scene."""
    render = scene.render
    try:
        folder, error = blender_folder(scene, paths.scene_output_folder(scene_output)), ""
    except blender_names.BlenderPathError as problem:
        folder, error = "", f"the scene's output path: {problem}"
    return NamingFacts(
        scene_folder=folder,
        extension=render.file_extension,
        use_extension=render.use_file_extension,
        file_format=render.image_settings.file_format,
        is_movie=bool(render.is_movie_format),
        view_suffixes=blender_names.view_suffixes(render),
        error=error,
    )


def _still_files(shot: Any, expanded: str, facts: NamingFacts) -> paths.ShotFiles:
    """A still's files: its literal path, one file per view."""
    if facts.is_movie:
        problem = (
            f"the file format {facts.file_format} writes a movie, and a still is one image: "
            "choose an image format, or render a frame range"
        )
        return paths.ShotFiles("", (), format_problem=problem)
    if facts.error:
        return paths.ShotFiles("", (), facts.error)
    path = _shot_path(shot, expanded, facts)
    files = tuple(paths.with_view_suffix(path, suffix) for suffix in facts.view_suffixes)
    return paths.ShotFiles(blender_names.literal(path), files)


def _range_files(scene: bpy.types.Scene, shot: Any, expanded: str, facts: NamingFacts) -> paths.ShotFiles:
    """A range's files as Blender numbers them, with the shot's settings on
    the scene (the caller's guard takes its path off again)."""
    if facts.error:
        return paths.ShotFiles("", (), facts.error)
    blender_path = blender_names.literal(_shot_path(shot, expanded, facts))
    scene.render.filepath = blender_path
    segments = shot_segments(shot) if shot.frame_list.strip() else []
    if facts.is_movie and len(segments) > 1:
        problem = (
            f"the file format {facts.file_format} writes a movie per render, and this frame list takes "
            f"{len(segments)} renders: choose an image format, or a range with start, end and step"
        )
        return paths.ShotFiles("", (), format_problem=problem)
    try:
        if len(segments) > 1:
            # Blender is asked once a frame: the list's files are its renders' in order.
            per_segment = tuple(blender_names.range_files(scene, part.frames) for part in segments)
            files = tuple(file for part in per_segment for file in part)
        else:
            per_segment, files = (), blender_names.range_files(scene, shot_frames(shot))
    except blender_names.BlenderPathError as error:
        return paths.ShotFiles("", (), str(error))
    rate = (int(scene.render.fps), float(scene.render.fps_base))
    return paths.ShotFiles(
        blender_path, files, frames_are_files=not facts.is_movie, segment_files=per_segment, frame_rate=rate
    )


def shot_preview(scene: bpy.types.Scene, shot: Any, index: int) -> paths.ShotFiles:
    """What a panel shows of a shot's output while it draws (Blender allows
    no change then, so Blender is not asked): the path the render is given,
    the scene's output folder as typed (path variables unexpanded) and, for
    a still, its file per view. A range's files are Blender's to number."""
    try:
        expanded = _expanded_filepath(scene, shot, index, None)
    except templates.TemplateError as error:
        return paths.ShotFiles("", (), str(error))
    render = scene.render
    extension = render.file_extension
    if shot.use_file_format:
        extension = paths.FORMAT_EXTENSIONS.get(shot.file_format, extension)
    facts = NamingFacts(
        scene_folder=paths.scene_output_folder(paths.absolute(render.filepath, _blend_folder())),
        extension=extension,
        use_extension=render.use_file_extension,
        file_format=render.image_settings.file_format,
        is_movie=False,
        view_suffixes=blender_names.view_suffixes(render),
    )
    if shot.use_frame_range:
        return paths.ShotFiles(_shot_path(shot, expanded, facts), ())
    return _still_files(shot, expanded, facts)


def _expanded_filepath(scene: bpy.types.Scene, shot: Any, index: int, now: datetime | None) -> str:
    """The shot's filepath template expanded ("" for none); raises TemplateError."""
    if not shot.filepath:
        return ""
    values = template_values(scene, shot, index, now or datetime.now())
    return templates.expand(shot.filepath, values, _still_frame(scene, shot))


def _shot_path(shot: Any, expanded: str, facts: NamingFacts) -> str:
    """core.paths.shot_path for this shot, with Blender's naming facts."""
    return paths.shot_path(
        paths.OutputRequest(
            shot_name=shot.name,
            expanded_filepath=expanded,
            scene_folder=facts.scene_folder,
            blend_folder=_blend_folder(),
            extension=facts.extension,
            use_extension=facts.use_extension,
            is_range=bool(shot.use_frame_range),
        )
    )


def blender_folder(scene: bpy.types.Scene, folder: str) -> str:
    """An output folder of this scene as Blender resolves it (absolute, path
    variables expanded). In a copy of the person's file, "//" still means
    their .blend's folder."""
    if _copy_of is not None:
        folder = blender_names.as_if_open(folder, _copy_of)
        if folder.startswith("//"):
            folder = os.path.join(blender_names.literal(_blend_folder()), folder[2:])
    return blender_names.resolved_folder(scene, folder)


def contact_sheet_file(scene: bpy.types.Scene, now: datetime) -> tuple[str, str]:
    """(absolute path, "") of the scene's contact sheet, or ("", why not).
    Its template knows the usual tokens; {shot} is "contact_sheet". A
    relative path is in the scene's output folder."""
    template = scene_shots(scene).contact_sheet_path.strip() or "contact_sheet_{date}_{time}.png"
    values = dataclasses.replace(template_values(scene, _NO_SHOT, 0, now), shot="contact_sheet", camera="", index=0)
    try:
        expanded = templates.expand(template, values, scene.frame_current)
    except templates.TemplateError as error:
        return "", str(error)
    if not expanded.startswith("//") and not os.path.isabs(expanded):
        expanded = os.path.join(scene_output_folder(scene), expanded)
    if not expanded.lower().endswith(".png"):
        expanded += ".png"
    return paths.absolute(expanded, _blend_folder()), ""


class _NoShot:
    """Stands in for a shot when a template belongs to the whole run."""

    name = "contact_sheet"
    camera = None
    use_view_layer = False


_NO_SHOT = _NoShot()


def scene_output_folder(scene: bpy.types.Scene) -> str:
    """The absolute folder of the scene's output path, as Blender resolves it."""
    try:
        return blender_folder(scene, paths.scene_output_folder(scene.render.filepath))
    except blender_names.BlenderPathError:  # said when a shot renders there; this is only a place
        return paths.scene_output_folder(paths.absolute(scene.render.filepath, _blend_folder()))


def names_in(scene: bpy.types.Scene) -> Names:
    """What the scene's overrides may name: cameras, worlds, collections,
    view layers and this Blender's engines."""
    return Names(
        cameras=frozenset(obj.name for obj in scene.objects if obj.type == "CAMERA"),
        worlds=frozenset(world.name for world in bpy.data.worlds),
        collections=frozenset(collection.name for collection in bpy.data.collections),
        view_layers=frozenset(layer.name for layer in scene.view_layers),
        engines=frozenset(available_engines()),
    )


def read_shot(
    scene: bpy.types.Scene,
    shot: Any,
    index: int,
    now: datetime,
    *,
    output: paths.ShotFiles | None = None,
    checked: list[property_overrides.Checked] | None = None,
    known: dict[tuple[Any, ...], NamingFacts] | None = None,
    scene_objects: frozenset[int] | None = None,
) -> ShotSpec:
    """A shot as plain facts; `output` and `checked` (its property overrides)
    when the caller has resolved them already."""
    camera = shot.camera
    output = output or shot_output(scene, shot, index, now, known)
    encode, movie_problem = _movie_of(scene, shot, index, now, output)
    return ShotSpec(
        index=index,
        name=shot.name,
        enabled=shot.enabled,
        camera=camera.name if camera else "",
        # The object itself: a linked camera may share a local one's name.
        camera_in_scene=bool(camera) and camera.as_pointer() in (scene_objects or _objects_of(scene)),
        camera_is_camera=bool(camera) and camera.type == "CAMERA",
        output_path=output.files[0] if output.files else "",
        overrides=builtin_overrides.ticked(shot),
        hidden_collections=tuple(
            (entry.collection.name if entry.collection else "", entry.hidden) for entry in shot.collections
        ),
        output_paths=output.files,
        template_error=output.error,
        format_problem=output.format_problem,
        frames_are_files=output.frames_are_files,
        segment_files=output.segment_files,
        movie=encode,
        movie_problem=movie_problem,
        property_overrides=read_property_overrides(shot, checked),
        node_outputs=read_node_outputs(scene, shot, index, now),
    )


def _movie_of(
    scene: bpy.types.Scene, shot: Any, index: int, now: datetime, output: paths.ShotFiles
) -> tuple[movie.EncodeJob | None, str]:
    """The movie a range shot asks for, or why it cannot be made."""
    if not (shot.use_frame_range and shot.make_movie) or not output.files:
        return None, ""
    if problem := _movie_problem(shot, output):
        return None, problem
    try:
        expanded = templates.expand(shot.movie_path, template_values(scene, shot, index, now), None)
    except templates.TemplateError as error:
        return None, f"movie path: {error}"
    path = movie.movie_path(expanded, output.files[0], _blend_folder(), shot.movie_format)
    return movie.encode_job(output.files, path, shot.movie_format, output.frame_rate), ""


def _movie_problem(shot: Any, output: paths.ShotFiles) -> str:
    """Why the movie a range shot asks for cannot be made from its frames, or ""."""
    if not output.frames_are_files:
        return "Movie: the shot's file format writes a movie already (choose an image format)"
    if len(output.files) != len(shot_frames(shot)):
        return "Movie: the shot writes several views a frame, and a movie is made of one view only"
    chosen = movie.FORMATS[shot.movie_format]
    if chosen.codec not in (codecs := blender_names.movie_codecs()):
        return f"Movie: this Blender's FFmpeg has no {chosen.label} (it has {', '.join(codecs)})"
    return movie.template_problem(shot.movie_path)


def read_node_outputs(
    scene: bpy.types.Scene, shot: Any, index: int, now: datetime, *, ask_blender: bool = True
) -> tuple[NodeOutput, ...]:
    """Where each compositor File Output node writes while this shot renders;
    without `ask_blender` (a panel's draw), folders are read as typed."""
    nodes = compositor_outputs.file_output_nodes(scene)
    if not nodes:
        return ()
    values = template_values(scene, shot, index, now)
    frame = _still_frame(scene, shot)
    found = []
    for node in nodes:
        try:
            folder = templates.node_output_folder(node.folder, values, frame)
        except templates.TemplateError as error:
            found.append(NodeOutput(node.name, "", error=f"output path: {error}"))
            continue
        absolute = paths.absolute(folder, _blend_folder())
        # A node's own variables ({node_name}) are not a render path's: then read as typed.
        if ask_blender:
            with contextlib.suppress(blender_names.BlenderPathError):
                absolute = blender_folder(scene, folder)
        # Blender reads a node's "//" against the open file: a copy gets the folder resolved.
        found.append(NodeOutput(node.name, folder if _copy_of is None else blender_names.literal(absolute), absolute))
    return tuple(found)


def read_property_overrides(
    shot: Any, checked: list[property_overrides.Checked] | None = None
) -> tuple[PropertyOverride, ...]:
    """The shot's enabled property overrides, each checked against this
    Blender's data (path, type, range), or `checked` when the caller has
    checked them already; a problem is kept, not raised."""
    return tuple(
        PropertyOverride(item.position, str(item.target.path) if item.target else "", item.text, item.problem)
        for item in (property_overrides.check_shot(shot) if checked is None else checked)
    )


def read_shots(
    scene: bpy.types.Scene, now: datetime | None = None, only: Collection[int] | None = None
) -> list[ShotSpec]:
    """The scene's shots as facts; `only`: just the shots at these list
    indexes (a run reads the shots it renders: a background process reads
    one shot of a long list at a time)."""
    now = now or datetime.now()
    known: dict[tuple[Any, ...], NamingFacts] = {}  # Blender is asked once for stills of the same settings
    objects = _objects_of(scene)
    return [
        read_shot(scene, shot, index, now, known=known, scene_objects=objects)
        for index, shot in enumerate(scene_shots(scene).shots)
        if only is None or index in only
    ]


def _objects_of(scene: bpy.types.Scene) -> frozenset[int]:
    """The scene's objects, as themselves (Object.users_scene walks every
    scene's objects for each call: too slow for a long list)."""
    return frozenset(obj.as_pointer() for obj in scene.objects)
