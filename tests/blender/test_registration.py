"""The installed extension registers everything and a disable/enable round
trip leaves nothing behind."""

from __future__ import annotations

import sys

import bpy
import pytest
from conftest import disable, enable

OPERATORS = (
    "render_shots",
    "shot_add",
    "shot_remove",
    "shot_move",
    "shot_duplicate",
    "shots_from_cameras",
    "submit_flamenco",
    "save_flamenco_job_type",
    "queue_resume",
    "queue_discard",
    "other_files_add",
    "other_file_remove",
    "render_other_files",
    "stop_other_files",
)
CLASS_NAMES = (
    "MULTIRENDER_PT_shots",
    "MULTIRENDER_UL_shots",
    "MULTIRENDER_PT_other_files",
    "MULTIRENDER_UL_other_files",
)


def _ours(functions: object, module: str) -> list[object]:
    return [f for f in functions if getattr(f, "__module__", "").startswith(module)]  # type: ignore[attr-defined]


def _handlers_of(module: str) -> list[object]:
    found = []
    for name in dir(bpy.app.handlers):
        handlers = getattr(bpy.app.handlers, name)
        if isinstance(handlers, list):
            found += _ours(handlers, module)
    return found


def _menu_functions(module: str) -> list[object]:
    found = []
    for menu in (bpy.types.TOPBAR_MT_render, bpy.types.STATUSBAR_HT_header):
        found += _ours(getattr(menu.draw, "_draw_funcs", []), module)
    return found


def operator_exists(name: str) -> bool:
    try:
        getattr(bpy.ops.multi_render, name).get_rna_type()
    except (KeyError, AttributeError):
        return False
    return True


def property_groups(module: str) -> list[type]:
    """The add-on's PropertyGroup classes, taken while it is enabled."""
    groups = list(sys.modules[module].props.CLASSES)
    # collection visibility, property override, shot, history shot and run,
    # other file, scene, queue offer, runtime
    assert len(groups) == 9
    return groups


def assert_registered(module: str) -> None:
    for name in OPERATORS:
        assert operator_exists(name), name
    for name in CLASS_NAMES:
        assert hasattr(bpy.types, name), name
    assert "multi_render" in bpy.types.Scene.bl_rna.properties
    assert "multi_render" in bpy.types.WindowManager.bl_rna.properties
    assert len(_menu_functions(module)) == 2
    # Load (pre, post, and the Flamenco follow-up's pre) and save (pre, post,
    # failed); render handlers only while a queue runs.
    assert len(_handlers_of(module)) == 6


def assert_unregistered(module: str) -> None:
    for name in OPERATORS:
        assert not operator_exists(name), name
    for name in CLASS_NAMES:
        assert not hasattr(bpy.types, name), name
    assert "multi_render" not in bpy.types.Scene.bl_rna.properties
    assert "multi_render" not in bpy.types.WindowManager.bl_rna.properties
    assert _menu_functions(module) == []
    assert _handlers_of(module) == []


def test_installed_from_the_zip_into_the_user_repository(addon_module: str) -> None:
    path = sys.modules[addon_module].__file__ or ""
    assert "/extensions/user_default/multi_render/" in path.replace("\\", "/")
    assert_registered(addon_module)


def test_disable_and_enable_twice_leaves_nothing_behind(addon_module: str) -> None:
    for _ in range(2):
        groups = property_groups(addon_module)
        assert all(group.is_registered for group in groups)
        # The hook that ends the add-on's processes when Blender quits: Python's
        # exit hooks hold one reference to it, dropped when it is unregistered.
        exit_hook = sys.modules[f"{addon_module}.core.child_process"]._end_all
        references = sys.getrefcount(exit_hook)
        disable()
        assert_unregistered(addon_module)
        assert not any(group.is_registered for group in groups)
        assert sys.getrefcount(exit_hook) == references - 1
        enable()
        assert_registered(addon_module)


def test_other_handlers_are_left_alone(addon_module: str) -> None:
    def someone_elses_handler(_scene: object, _depsgraph: object = None) -> None:
        pass

    bpy.app.handlers.load_post.append(someone_elses_handler)
    try:
        disable()
        enable()
        assert someone_elses_handler in bpy.app.handlers.load_post
    finally:
        bpy.app.handlers.load_post.remove(someone_elses_handler)


def test_debians_blender_runs_it_without_numpy(addon_module: str) -> None:
    """Debian's blender package does not depend on python3-numpy, and the
    project's Debian roots are provisioned as a Debian user has them: the
    add-on is enabled here with no numpy to import (its contact sheet too,
    tested in test_run_record.py)."""
    import importlib.util

    if not bpy.app.binary_path.startswith("/usr/bin/"):
        pytest.skip("an official build or the bpy wheel: they bring their own numpy")
    assert importlib.util.find_spec("numpy") is None, "the Debian root must not have python3-numpy"
    assert_registered(addon_module)
    assert not any(name == "numpy" or name.startswith("numpy.") for name in sys.modules)
