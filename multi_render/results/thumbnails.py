# SPDX-License-Identifier: GPL-3.0-or-later
"""Small pictures of each shot's last image, through Blender's preview
system (bpy.utils.previews): loaded lazily, only for rows being drawn; no
image datablock enters the .blend. Freed when a file loads and when the
add-on is disabled."""

from __future__ import annotations

import os
from typing import Any

import bpy
import bpy.utils.previews

_collection: Any = None  # bpy.utils.previews.ImagePreviewCollection, made on first use


def icon(path: str) -> int:
    """The icon of an image file's thumbnail, or 0 when there is none (no
    file, or one Blender cannot read): draw the status icon then."""
    global _collection
    if not path:
        return 0
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return 0
    if _collection is None:
        _collection = bpy.utils.previews.new()
    key = f"{path}\n{stamp}"  # a file written again gets a fresh thumbnail
    preview = _collection.get(key)
    if preview is None:
        stale = [name for name in _collection if name.startswith(f"{path}\n")]
        for name in stale:
            del _collection[name]
        try:
            preview = _collection.load(key, path, "IMAGE")
        except (RuntimeError, KeyError):
            return 0
    return int(preview.icon_id)


def keys() -> list[str]:
    """The image files that have a thumbnail now (for tests)."""
    return [] if _collection is None else [name.partition("\n")[0] for name in _collection]


def clear() -> None:
    """Free every thumbnail (a file load, the add-on disabled)."""
    global _collection
    if _collection is not None:
        bpy.utils.previews.remove(_collection)
        _collection = None
