# SPDX-License-Identifier: GPL-3.0-or-later
"""What a farm job needs and makes, for Deadline Cloud's asset_references:
the .blend and every file it uses (images, linked libraries, caches, fonts,
sounds: Blender's own list of external paths, packed files excluded) as
inputs, and each ticked shot's output folders as outputs."""

from __future__ import annotations

import os
from datetime import datetime

import bpy

from ..core.farm import AssetReferences
from ..props import scene_shots
from ..shot import scene_reader

# The tokens of a tiled image's path: every tile file is one.
TILE_TOKENS = ("<UDIM>", "<UVTILE>")


def used_files() -> tuple[list[str], list[str], list[str]]:
    """What the .blend reads: (files, the .blend first; folders; files it
    names that do not exist)."""
    files, folders, missing = [os.path.normpath(bpy.data.filepath)], [], []
    for used in bpy.utils.blend_paths(absolute=True, packed=False, local=False):
        path = os.path.normpath(used)
        if any(token in os.path.basename(path) for token in TILE_TOKENS):
            folders.append(os.path.dirname(path))  # UDIM tiles: every file of the folder may be one
        elif os.path.isdir(path):
            folders.append(path)
        elif os.path.isfile(path):
            files.append(path)
        else:
            missing.append(path)
    # An image sequence names only its first file: its folder holds the rest.
    folders += [
        os.path.dirname(os.path.normpath(bpy.path.abspath(image.filepath, library=image.library)))
        for image in bpy.data.images
        if image.source == "SEQUENCE" and image.packed_file is None and image.filepath
    ]
    return files, folders, missing


def asset_references(scene: bpy.types.Scene, now: datetime) -> tuple[AssetReferences, list[str]]:
    """The bundle's asset references, and the files the .blend names that do
    not exist (reported when the bundle is written; listed as referenced
    paths, which a farm does not upload). `now`: the time the job's
    {date} and {time} stand for."""
    files, folders, missing = used_files()
    outputs = []
    for index, shot in enumerate(scene_shots(scene).shots):
        if not shot.enabled:
            continue
        spec = scene_reader.read_shot(scene, shot, index, now)
        outputs += [os.path.dirname(path) for path in spec.files if path]
        outputs += [node.absolute_folder.rstrip("/\\") for node in spec.node_outputs if node.absolute_folder]
    references = AssetReferences(tuple(files), tuple(folders), tuple(outputs), tuple(missing))
    return references, sorted(set(missing))
