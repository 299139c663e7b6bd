"""Tests that run inside a real Blender in background mode: Debian's Blender
5.2 LTS (run_in_blender.py) or the bpy 4.2 LTS wheel (plain pytest).

The extension is installed from the built zip into a throwaway user profile
(BLENDER_USER_RESOURCES), exactly as a user installs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bpy
import pytest

from testkit import scenes

MODULE = "bl_ext.user_default.multi_render"


def _zip() -> str:
    path = os.environ.get("MULTI_RENDER_ZIP", "")
    if not path or not os.path.isfile(path):
        raise RuntimeError(f"MULTI_RENDER_ZIP must name the built extension zip (got {path!r}): run `make build`")
    return path


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("BLENDER_USER_RESOURCES"):
        raise RuntimeError("BLENDER_USER_RESOURCES must point at a throwaway profile")
    if MODULE not in bpy.context.preferences.addons:
        # The bpy wheel has no command line: install through the same operator
        # that Get Extensions > Install from Disk uses.
        result = bpy.ops.extensions.package_install_files(repo="user_default", filepath=_zip(), enable_on_install=True)
        assert result == {"FINISHED"}, result
    assert MODULE in bpy.context.preferences.addons, "the extension is not enabled"


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[bpy.types.Scene]:
    """An empty scene whose output folder is the test's temp folder."""
    bpy.ops.wm.read_homefile(use_empty=True)
    current = bpy.context.scene
    current.render.filepath = str(tmp_path) + os.sep
    yield current


def range_shot(scene: bpy.types.Scene, filepath: str) -> Any:
    """Two colour cameras with a shot each, the second unticked; the first a
    frame range 1-3 written to `filepath`. Returns that first shot."""
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    shots = scene.multi_render.shots
    shots[1].enabled = False
    first = shots[0]
    first.use_frame_range, first.frame_start, first.frame_end = True, 1, 3
    first.filepath = filepath
    return first


@pytest.fixture
def addon_module() -> str:
    return MODULE


def enable(module: str = MODULE) -> None:
    import addon_utils  # the bpy wheel puts it on sys.path only once bpy is imported

    addon_utils.enable(module, default_set=True, handle_error=_raise)


def disable(module: str = MODULE) -> None:
    import addon_utils

    addon_utils.disable(module, default_set=True, handle_error=_raise)


def _raise(error: BaseException) -> None:
    raise error
