# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's shot list to and from JSON files (the format is in
core/shotlist.py). Reading checks the whole file against this .blend before
the list is touched, so a bad file changes nothing."""

from __future__ import annotations

import dataclasses
from typing import Any

import bpy

from ..core.overrides import storable
from ..core.shotlist import MovieData, PropertyData, ShotData, ShotList, ShotListError, dumps, loads
from ..props import scene_shots
from . import builtin_overrides, scene_reader


def shot_list_of(scene: bpy.types.Scene) -> ShotList:
    data = scene_shots(scene)
    return ShotList(tuple(_shot_data(shot) for shot in data.shots), skip_existing=data.skip_existing)


def _shot_data(shot: Any) -> ShotData:
    overrides = storable(builtin_overrides.ticked(shot))
    collections = tuple((entry.collection.name, entry.hidden) for entry in shot.collections if entry.collection)
    camera = shot.camera.name if shot.camera else ""
    properties = tuple(PropertyData(item.data_path, item.value, item.enabled) for item in shot.property_overrides)
    movie = MovieData(shot.movie_format, shot.movie_path) if shot.make_movie else None
    return ShotData(shot.name, shot.enabled, camera, shot.filepath, overrides, collections, properties, movie)


def export_text(scene: bpy.types.Scene) -> str:
    return dumps(shot_list_of(scene))


def import_text(scene: bpy.types.Scene, text: str) -> int:
    """Replace the scene's shots with those of a JSON text; return how many.
    Raises ShotListError, and then nothing has changed."""
    # Engines are checked when a shot renders, not here: a list written with
    # 4.x's BLENDER_EEVEE_NEXT still reads in 5.x, to be fixed in the panel.
    shot_list = loads(text, dataclasses.replace(scene_reader.names_in(scene), engines=None))
    data = scene_shots(scene)
    data.shots.clear()
    for shot_data in shot_list.shots:
        _fill(scene, data.shots.add(), shot_data)
    data.skip_existing = shot_list.skip_existing
    data.active_shot_index = 0
    return len(shot_list.shots)


def _fill(scene: bpy.types.Scene, shot: Any, data: ShotData) -> None:
    shot.name = data.name
    shot.enabled = data.enabled
    shot.camera = bpy.data.objects.get(data.camera) if data.camera else None
    shot.filepath = data.filepath
    builtin_overrides.start_from_scene(shot, scene)
    builtin_overrides.set_values(shot, data.overrides)
    for name, hidden in data.collections:
        entry = shot.collections.add()
        entry.collection = bpy.data.collections[name]
        entry.hidden = hidden
    for item in data.properties:
        override = shot.property_overrides.add()
        override.data_path, override.value, override.enabled = item.path, item.value, item.enabled
    if data.movie is not None:
        shot.make_movie, shot.movie_format, shot.movie_path = True, data.movie.format, data.movie.path


def read_file(path: str) -> str:
    """The text of a shot list file, or ShotListError saying why not."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ShotListError([f"cannot read '{path}': {error}"]) from None
