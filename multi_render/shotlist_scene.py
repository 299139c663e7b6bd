# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's shot list to and from JSON files (the format is in
core/shotlist.py). Reading checks the whole file against this .blend before
the list is touched, so a bad file changes nothing."""

from __future__ import annotations

from typing import Any

import bpy

from . import scene_reader
from .core.shotlist import Names, PropertyData, ShotData, ShotList, ShotListError, dumps, loads
from .props import scene_shots

# Override key in the file -> (toggle, {field in the file: shot property}).
_GROUPS = {
    "frame_range": ("use_frame_range", {"start": "frame_start", "end": "frame_end", "step": "frame_step"}),
    "resolution": ("use_resolution", {"x": "resolution_x", "y": "resolution_y", "percentage": "resolution_percentage"}),
    "file_format": ("use_file_format", {"format": "file_format", "color_depth": "color_depth"}),
}
_SIMPLE = {"frame": "use_frame", "engine": "use_engine", "samples": "use_samples", "view_layer": "use_view_layer"}


def names_in(scene: bpy.types.Scene) -> Names:
    return Names(
        cameras=frozenset(obj.name for obj in scene.objects if obj.type == "CAMERA"),
        worlds=frozenset(world.name for world in bpy.data.worlds),
        collections=frozenset(collection.name for collection in bpy.data.collections),
        view_layers=frozenset(layer.name for layer in scene.view_layers),
    )


def shot_list_of(scene: bpy.types.Scene) -> ShotList:
    data = scene_shots(scene)
    return ShotList(tuple(_shot_data(shot) for shot in data.shots), skip_existing=data.skip_existing)


def _shot_data(shot: Any) -> ShotData:
    overrides: dict[str, Any] = {}
    for key, toggle in _SIMPLE.items():
        if getattr(shot, toggle):
            overrides[key] = getattr(shot, key)
    if shot.use_world and shot.world is not None:
        overrides["world"] = shot.world.name
    for key, (toggle, fields) in _GROUPS.items():
        if getattr(shot, toggle):
            overrides[key] = {name: getattr(shot, prop) for name, prop in fields.items()}
    collections = tuple((entry.collection.name, entry.hidden) for entry in shot.collections if entry.collection)
    camera = shot.camera.name if shot.camera else ""
    properties = tuple(PropertyData(item.data_path, item.value, item.enabled) for item in shot.property_overrides)
    return ShotData(shot.name, shot.enabled, camera, shot.filepath, overrides, collections, properties)


def export_text(scene: bpy.types.Scene) -> str:
    return dumps(shot_list_of(scene))


def import_text(scene: bpy.types.Scene, text: str) -> int:
    """Replace the scene's shots with those of a JSON text; return how many.
    Raises ShotListError, and then nothing has changed."""
    shot_list = loads(text, names_in(scene))
    data = scene_shots(scene)
    data.shots.clear()
    for shot_data in shot_list.shots:
        _fill(data.shots.add(), shot_data)
    data.skip_existing = shot_list.skip_existing
    data.active_shot_index = 0
    return len(shot_list.shots)


def _fill(shot: Any, data: ShotData) -> None:
    shot.name = data.name
    shot.enabled = data.enabled
    shot.camera = bpy.data.objects.get(data.camera) if data.camera else None
    shot.filepath = data.filepath
    for key, toggle in _SIMPLE.items():
        if key in data.overrides:
            setattr(shot, toggle, True)
            setattr(shot, key, data.overrides[key])
    if "world" in data.overrides:
        shot.use_world = True
        shot.world = bpy.data.worlds[data.overrides["world"]]
    for key, (toggle, fields) in _GROUPS.items():
        if key in data.overrides:
            setattr(shot, toggle, True)
            for name, prop in fields.items():
                setattr(shot, prop, data.overrides[key][name])
    for name, hidden in data.collections:
        entry = shot.collections.add()
        entry.collection = bpy.data.collections[name]
        entry.hidden = hidden
    for item in data.properties:
        override = shot.property_overrides.add()
        override.data_path, override.value, override.enabled = item.path, item.value, item.enabled


def read_file(path: str) -> str:
    """The text of a shot list file, or ShotListError saying why not."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ShotListError([f"cannot read '{path}': {error}"]) from None


def write_farm_bundle(scene: bpy.types.Scene, folder: str) -> tuple[str, int]:
    """An Open Job Description bundle for the saved .blend's ticked shots:
    (template path, number of tasks). Raises OSError or ValueError."""
    from .core import farm  # noqa: PLC0415 (the farm code stays out of the import path until used)

    if not bpy.data.filepath:
        raise ValueError("save the .blend first: a farm renders the saved file")
    names = [shot.name for shot in scene_shots(scene).shots if shot.enabled]
    template = farm.write_bundle(folder, bpy.data.filepath, scene_reader.scene_output_folder(scene), names)
    return template, len(names)
