# SPDX-License-Identifier: GPL-3.0-or-later
"""The bridge between Blender data and core: read the shots as plain specs,
apply a shot to the scene, and put back exactly what was changed.

No bpy object is kept across a render: settings are remembered by the
scene's name and an RNA path, datablocks by their collection and name."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import bpy

from .core import paths, templates
from .core.shots import FrameRange, Overrides, ShotSpec
from .engines import available_engines
from .props import scene_shots


@dataclass(frozen=True)
class _IdRef:
    """A datablock remembered by name, fetched again when needed."""

    collection: str  # attribute of bpy.data, e.g. "objects"
    name: str

    def resolve(self) -> Any:
        return getattr(bpy.data, self.collection).get(self.name)


_ID_COLLECTIONS = {"OBJECT": "objects", "WORLD": "worlds", "COLLECTION": "collections", "SCENE": "scenes"}


def _freeze(value: Any) -> Any:
    if isinstance(value, bpy.types.ID):
        return _IdRef(_ID_COLLECTIONS[value.id_type], value.name)
    return value


def _thaw(value: Any) -> Any:
    return value.resolve() if isinstance(value, _IdRef) else value


def _resolve(root: Any, path: str) -> tuple[Any, str]:
    """The struct that owns the setting at `path` (from `root`), and its name."""
    owner_path, _, attribute = path.rpartition(".")
    return (root.path_resolve(owner_path) if owner_path else root), attribute


class SettingsGuard:
    """Changes settings and remembers each one's first original value, so
    that `restore()` puts everything back exactly as it was. A setting is
    named by its owner (the scene, or another datablock by collection and
    name) and an RNA path from there."""

    def __init__(self) -> None:
        self._originals: dict[tuple[_IdRef, str], Any] = {}

    def set(self, scene: bpy.types.Scene, path: str, value: Any) -> None:
        owner, attribute = self._record(_IdRef("scenes", scene.name), scene, path)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)

    def remember(self, scene: bpy.types.Scene, path: str) -> None:
        """Record a setting that Blender may change by itself as a consequence
        of another one (a file format changes the colour mode)."""
        self._record(_IdRef("scenes", scene.name), scene, path)

    def set_on(self, block: bpy.types.ID, path: str, value: Any) -> None:
        """Change a setting of another datablock (e.g. a collection)."""
        owner, attribute = self._record(_IdRef(_ID_COLLECTIONS[block.id_type], block.name), block, path)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)

    def _record(self, owner_ref: _IdRef, root: Any, path: str) -> tuple[Any, str]:
        owner, attribute = _resolve(root, path)
        self._originals.setdefault((owner_ref, path), _freeze(getattr(owner, attribute)))
        return owner, attribute

    def restore(self) -> None:
        # Some settings depend on others (a colour depth on the file format):
        # what fails in the first pass is tried again after the rest.
        pending = list(reversed(self._originals.items()))
        for _attempt in range(2):
            failed: list[tuple[tuple[_IdRef, str], Any, str]] = []
            for (owner_ref, path), original in pending:
                try:
                    self._restore_one(owner_ref, path, original)
                except (ValueError, AttributeError, TypeError, ReferenceError) as error:
                    failed.append(((owner_ref, path), original, str(error)))
            pending = [(key, original) for key, original, _reason in failed]
            if not pending:
                break
        for (_owner, path), _original, reason in failed:
            # The owner vanished meanwhile (e.g. a marker deleted by the person).
            print(f"multi_render: could not restore {path}: {reason}")
        self._originals.clear()

    @staticmethod
    def _restore_one(owner_ref: _IdRef, path: str, original: Any) -> None:
        root = owner_ref.resolve()
        if root is None:
            return
        owner, attribute = _resolve(root, path)
        value = _thaw(original)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)


def _absolute(path: str) -> str:
    """An absolute path; a trailing separator (a folder) is kept."""
    absolute = os.path.abspath(bpy.path.abspath(path)) if path else os.path.abspath("")
    if path.endswith(("/", os.sep)) and not absolute.endswith(os.sep):
        absolute += os.sep
    return absolute


@dataclass(frozen=True)
class ShotOutput:
    blender_path: str  # what render.filepath gets (a range: without frame and extension)
    files: tuple[str, ...]  # every file the render writes
    error: str = ""  # the template's problem, if it cannot be read


def _rendered_view_layer(scene: bpy.types.Scene, shot: Any) -> str:
    if shot.use_view_layer:
        return str(shot.view_layer)
    return next((layer.name for layer in scene.view_layers if layer.use), scene.view_layers[0].name)


def template_values(scene: bpy.types.Scene, shot: Any, index: int, now: datetime) -> templates.TemplateValues:
    blend = os.path.splitext(bpy.path.basename(bpy.data.filepath))[0] or "untitled"
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


def shot_output(scene: bpy.types.Scene, shot: Any, index: int, now: datetime | None = None) -> ShotOutput:
    """Where a shot's render writes. `filepath` is a template; empty means
    the folder of the scene's output path and the shot's name."""
    render = scene.render
    is_range = bool(shot.use_frame_range)
    frame = shot.frame if shot.use_frame else scene.frame_current
    try:
        values = template_values(scene, shot, index, now or datetime.now())
        expanded = templates.expand(shot.filepath, values, None if is_range else frame) if shot.filepath else ""
    except templates.TemplateError as error:
        return ShotOutput("", (), str(error))
    # "//" is the .blend's folder; any other relative path is relative to
    # the scene's output folder.
    shot_path = _absolute(expanded) if expanded.startswith("//") else expanded
    base = paths.output_base(shot_path, _absolute(render.filepath), shot.name)
    if shot.use_file_format:
        extension = paths.FORMAT_EXTENSIONS.get(shot.file_format, render.file_extension)
    else:
        extension = render.file_extension
    if not is_range:
        path = paths.with_extension(base, extension, render.use_file_extension)
        return ShotOutput(path, (path,))
    if not expanded:
        base += "_"  # Cam_0001.png rather than Cam0001.png
    frames = list(range(shot.frame_start, shot.frame_end + 1, max(1, shot.frame_step)))
    files = tuple(paths.with_extension(paths.frame_path(base, f), extension, render.use_file_extension) for f in frames)
    return ShotOutput(base, files)


def scene_output_folder(scene: bpy.types.Scene) -> str:
    """The absolute folder of the scene's output path."""
    return paths.scene_output_folder(_absolute(scene.render.filepath))


def _overrides(scene: bpy.types.Scene, shot: Any) -> Overrides:
    return Overrides(
        frame=shot.frame if shot.use_frame and not shot.use_frame_range else None,
        frame_range=FrameRange(shot.frame_start, shot.frame_end, shot.frame_step) if shot.use_frame_range else None,
        resolution=(shot.resolution_x, shot.resolution_y, shot.resolution_percentage) if shot.use_resolution else None,
        engine=shot.engine if shot.use_engine else None,
        engine_available=not shot.use_engine or shot.engine in available_engines(),
        samples=shot.samples if shot.use_samples else None,
        view_layer=shot.view_layer if shot.use_view_layer else None,
        view_layer_exists=not shot.use_view_layer or shot.view_layer in scene.view_layers,
        world=(shot.world.name if shot.world else "") if shot.use_world else None,
        hidden_collections=tuple(
            (entry.collection.name if entry.collection else "", entry.hidden) for entry in shot.collections
        ),
        file_format=shot.file_format if shot.use_file_format else None,
        color_depth=shot.color_depth if shot.use_file_format else None,
    )


def read_shot(
    scene: bpy.types.Scene, shot: Any, index: int, now: datetime, output: ShotOutput | None = None
) -> ShotSpec:
    """A shot as plain facts; `output` when the caller has resolved it already."""
    camera = shot.camera
    output = output or shot_output(scene, shot, index, now)
    return ShotSpec(
        index=index,
        name=shot.name,
        enabled=shot.enabled,
        camera=camera.name if camera else "",
        camera_in_scene=bool(camera) and scene.objects.get(camera.name) == camera,
        camera_is_camera=bool(camera) and camera.type == "CAMERA",
        output_path=output.files[0] if output.files else "",
        overrides=_overrides(scene, shot),
        output_paths=output.files,
        template_error=output.error,
    )


def read_shots(scene: bpy.types.Scene, now: datetime | None = None) -> list[ShotSpec]:
    now = now or datetime.now()
    return [read_shot(scene, shot, index, now) for index, shot in enumerate(scene_shots(scene).shots)]


def apply_shot(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any, blender_path: str) -> None:
    """Set up the scene for one shot; `guard.restore()` undoes all of it.
    Markers bound to cameras would switch the camera back when the render
    starts, so their binding is lifted for the shot."""
    guard.set(scene, "camera", shot.camera)
    guard.set(scene, "render.filepath", blender_path)
    for number, marker in enumerate(scene.timeline_markers):
        if marker.camera is not None:
            guard.set(scene, f"timeline_markers[{number}].camera", None)
    _apply_frames(guard, scene, shot)
    _apply_render_settings(guard, scene, shot)
    _apply_contents(guard, scene, shot)


def _apply_frames(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    if shot.use_frame_range:
        guard.set(scene, "frame_start", shot.frame_start)
        guard.set(scene, "frame_end", shot.frame_end)
        guard.set(scene, "frame_step", shot.frame_step)
    elif shot.use_frame:
        guard.set(scene, "frame_current", shot.frame)


def _apply_render_settings(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    if shot.use_resolution:
        guard.set(scene, "render.resolution_x", shot.resolution_x)
        guard.set(scene, "render.resolution_y", shot.resolution_y)
        guard.set(scene, "render.resolution_percentage", shot.resolution_percentage)
    if shot.use_engine:
        guard.set(scene, "render.engine", shot.engine)
    if shot.use_samples:
        _apply_samples(guard, scene, shot.samples)
    if shot.use_file_format:
        if hasattr(scene.render.image_settings, "media_type"):  # Blender 5.0+: before the format
            guard.set(scene, "render.image_settings.media_type", "IMAGE")
        # A format without alpha (JPEG) turns RGBA into RGB; put it back later.
        guard.remember(scene, "render.image_settings.color_mode")
        guard.set(scene, "render.image_settings.file_format", shot.file_format)
        guard.set(scene, "render.image_settings.color_depth", shot.color_depth)


def _apply_contents(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    """What is rendered: view layers, world, collections."""
    if shot.use_view_layer:
        for number, layer in enumerate(scene.view_layers):
            guard.set(scene, f"view_layers[{number}].use", layer.name == shot.view_layer)
    if shot.use_world:
        guard.set(scene, "world", shot.world)
    for entry in shot.collections:
        if entry.collection is not None:
            guard.set_on(entry.collection, "hide_render", entry.hidden)


def _apply_samples(guard: SettingsGuard, scene: bpy.types.Scene, samples: int) -> None:
    engine: str = scene.render.engine
    if engine == "CYCLES":
        guard.set(scene, "cycles.samples", samples)
    elif engine.startswith("BLENDER_EEVEE"):  # BLENDER_EEVEE_NEXT in 4.2 to 4.5
        guard.set(scene, "eevee.taa_render_samples", samples)
