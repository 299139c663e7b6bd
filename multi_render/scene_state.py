# SPDX-License-Identifier: GPL-3.0-or-later
"""The bridge between Blender data and core: read the shots as plain specs,
apply a shot to the scene, and put back exactly what was changed.

No bpy object is kept across a render: settings are remembered by the
scene's name and an RNA path, datablocks by their collection and name."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import bpy

from .core import paths
from .core.shots import ShotSpec
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


def _split(path: str) -> tuple[str, str]:
    owner, _, attribute = path.rpartition(".")
    return owner, attribute


class SettingsGuard:
    """Changes scene settings and remembers each one's first original value,
    so that `restore()` puts the scene back exactly as it was."""

    def __init__(self, scene_name: str) -> None:
        self.scene_name = scene_name
        self._originals: dict[str, Any] = {}

    def _owner(self, scene: bpy.types.Scene, owner_path: str) -> Any:
        return scene.path_resolve(owner_path) if owner_path else scene

    def set(self, scene: bpy.types.Scene, path: str, value: Any) -> None:
        owner_path, attribute = _split(path)
        owner = self._owner(scene, owner_path)
        if path not in self._originals:
            self._originals[path] = _freeze(getattr(owner, attribute))
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)

    def restore(self) -> None:
        scene = bpy.data.scenes.get(self.scene_name)
        if scene is None:
            self._originals.clear()
            return
        for path, original in reversed(list(self._originals.items())):
            owner_path, attribute = _split(path)
            try:
                owner = self._owner(scene, owner_path)
                value = _thaw(original)
                if getattr(owner, attribute) != value:
                    setattr(owner, attribute, value)
            except (ValueError, AttributeError, TypeError, ReferenceError) as error:
                # The owner vanished meanwhile (e.g. a marker deleted by the person).
                print(f"multi_render: could not restore {path}: {error}")
        self._originals.clear()


def _absolute(path: str) -> str:
    """An absolute path; a trailing separator (a folder) is kept."""
    absolute = os.path.abspath(bpy.path.abspath(path)) if path else os.path.abspath("")
    if path.endswith(("/", os.sep)) and not absolute.endswith(os.sep):
        absolute += os.sep
    return absolute


def output_path(scene: bpy.types.Scene, shot: Any) -> str:
    """The absolute path of the file a shot's render writes."""
    render = scene.render
    base = paths.output_base(_absolute(shot.filepath) if shot.filepath else "", _absolute(render.filepath), shot.name)
    return paths.with_extension(base, render.file_extension, render.use_file_extension)


def read_shots(scene: bpy.types.Scene) -> list[ShotSpec]:
    specs = []
    for index, shot in enumerate(scene_shots(scene).shots):
        camera = shot.camera
        specs.append(
            ShotSpec(
                index=index,
                name=shot.name,
                enabled=shot.enabled,
                camera=camera.name if camera else "",
                camera_in_scene=bool(camera) and scene.objects.get(camera.name) == camera,
                camera_is_camera=bool(camera) and camera.type == "CAMERA",
                output_path=output_path(scene, shot),
            )
        )
    return specs


def apply_shot(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any, path: str) -> None:
    """Point the scene at the shot's camera and output. Markers bound to
    cameras would switch the camera back when the render starts, so their
    binding is lifted for the shot and put back by `guard.restore()`."""
    guard.set(scene, "camera", shot.camera)
    guard.set(scene, "render.filepath", path)
    for number, marker in enumerate(scene.timeline_markers):
        if marker.camera is not None:
            guard.set(scene, f"timeline_markers[{number}].camera", None)
