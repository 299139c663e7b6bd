# SPDX-License-Identifier: GPL-3.0-or-later
"""Write Blender's autosave file during a queue (why: core/autosave.py), as
a copy: the person's file path and unsaved state stay as they are."""

from __future__ import annotations

import os
import time

import bpy

from ..core.autosave import AutosaveClock, autosave_name
from ..core.logs import logger

log = logger(__name__)


def interval_seconds() -> float:
    """Blender's Auto Save interval (Preferences > Save & Load); 0 when off."""
    paths = bpy.context.preferences.filepaths
    return float(paths.auto_save_time) * 60.0 if paths.use_auto_save_temporary_files else 0.0


def location() -> str:
    """Where Blender's own autosave goes: its base temporary folder (the
    session folder bpy.app.tempdir lives in it)."""
    base = os.path.dirname(os.path.normpath(bpy.app.tempdir))
    return os.path.join(base, autosave_name(bpy.data.filepath, os.getpid()))


def write() -> str | None:
    """Write the autosave now; its path, or None when there was nothing to
    save (no change since the last save: Blender skips it too) or it failed."""
    if not bpy.data.is_dirty:
        return None
    path = location()
    # Written under another name first and then moved: saving over the file
    # itself would leave a .blend1 backup beside it, as a person's save does.
    partial = os.path.join(os.path.dirname(path), f"{os.getpid()}_multi_render_autosave_partial.blend")
    try:
        if os.path.exists(partial):
            os.remove(partial)
        # copy: the person's file stays the open one, still unsaved;
        # relative paths are remapped to the new folder, so a recovered
        # file finds its textures.
        bpy.ops.wm.save_as_mainfile(filepath=partial, copy=True, check_existing=False, compress=False)
        os.replace(partial, path)
    except (OSError, RuntimeError) as error:
        log.warning("could not write the autosave '%s': %s", path, error)
        return None
    log.info("autosaved to %s", path)
    return path


class BetweenShots:
    """Blender's autosave, written by the queue when due, and only while no
    shot's settings are on the scene: between shots and while paused."""

    def __init__(self) -> None:
        self._clock = AutosaveClock(interval_seconds(), time.monotonic())

    def write_if_due(self, scene_is_persons: bool) -> None:
        if scene_is_persons and self._clock.due(time.monotonic()):
            write()
            self._clock.written(time.monotonic())
