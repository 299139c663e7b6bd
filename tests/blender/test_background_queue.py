"""Render Shots in background mode (no event loop): the same shot list and
statuses as in the UI, rendered one after another with EXEC."""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import pytest

from testkit import scenes


def add_shots(scene: bpy.types.Scene, count: int = 4) -> list[str]:
    cameras = scenes.build_color_cameras(count, size=32)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    assert [shot.camera.name for shot in scene.multi_render.shots] == sorted(cameras)
    return cameras


def statuses(scene: bpy.types.Scene) -> list[str]:
    return [shot.status for shot in scene.multi_render.shots]


def test_every_shot_is_rendered_from_its_own_camera(scene: bpy.types.Scene, tmp_path: Path) -> None:
    add_shots(scene)
    scene.camera = bpy.data.objects["Cam_Blue"]
    original_output = scene.render.filepath

    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}

    assert statuses(scene) == ["DONE"] * 4
    for shot in scene.multi_render.shots:
        assert shot.output == str(tmp_path / f"{shot.name}.png")
        assert os.path.isfile(shot.output)
        assert scenes.wall_color(shot.output) == shot.camera.name.removeprefix("Cam_")
    # Exactly as before: camera and output path, and no render handler left.
    assert scene.camera.name == "Cam_Blue"
    assert scene.render.filepath == original_output
    assert not bpy.context.window_manager.multi_render.is_running
    assert bpy.context.window_manager.multi_render.last_report.startswith("Rendered 4 shots")


def test_disabled_shots_and_explicit_paths(scene: bpy.types.Scene, tmp_path: Path) -> None:
    add_shots(scene, count=3)
    shots = scene.multi_render.shots
    shots[0].enabled = False
    shots[1].filepath = str(tmp_path / "custom" / "second")
    shots[2].filepath = str(tmp_path / "folder") + os.sep
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert statuses(scene) == ["PENDING", "DONE", "DONE"]
    assert shots[1].output == str(tmp_path / "custom" / "second.png")
    assert shots[2].output == str(tmp_path / "folder" / f"{shots[2].name}.png")
    assert not (tmp_path / f"{shots[0].name}.png").exists()


def test_cameras_bound_to_markers_do_not_take_over(scene: bpy.types.Scene) -> None:
    add_shots(scene, count=3)
    marker = scene.timeline_markers.new("F_01", frame=scene.frame_current)
    marker.camera = bpy.data.objects["Cam_Red"]
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    colors = [scenes.wall_color(shot.output) for shot in scene.multi_render.shots]
    assert colors == ["Blue", "Green", "Red"]
    assert scene.timeline_markers["F_01"].camera.name == "Cam_Red"


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("no_camera", "Shot 2 'Cam_Green' has no camera"),
        ("not_in_scene", "Shot 1 'Cam_Blue': camera 'Cam_Blue' is not in scene"),
        ("same_file", "would write the same file"),
        ("folder_is_a_file", "cannot be created"),
        ("nothing_enabled", "No enabled shot to render"),
    ],
)
def test_bad_input_is_refused_before_anything_renders(
    scene: bpy.types.Scene, tmp_path: Path, breakage: str, expected: str
) -> None:
    add_shots(scene, count=3)
    shots = scene.multi_render.shots
    if breakage == "no_camera":
        shots[1].camera = None
    elif breakage == "not_in_scene":
        scene.collection.objects.unlink(bpy.data.objects["Cam_Blue"])
    elif breakage == "same_file":
        shots[0].filepath = shots[2].filepath = str(tmp_path / "same.png")
    elif breakage == "folder_is_a_file":
        (tmp_path / "blocker").write_text("x")
        shots[2].filepath = str(tmp_path / "blocker" / "inside.png")
    elif breakage == "nothing_enabled":
        for shot in shots:
            shot.enabled = False
    camera_before = scene.camera

    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.render_shots()

    assert expected in str(error.value)
    assert statuses(scene) == ["PENDING"] * 3
    assert list(tmp_path.glob("*.png")) == []
    assert scene.camera == camera_before
    assert not bpy.context.window_manager.multi_render.is_running


def test_list_editing_operators(scene: bpy.types.Scene) -> None:
    scenes.build_color_cameras(3, size=32)
    data = scene.multi_render
    bpy.ops.multi_render.shot_add()
    assert [s.name for s in data.shots] == ["Shot 1"]
    assert data.shots[0].camera == scene.camera
    bpy.ops.multi_render.shot_duplicate()
    assert [s.name for s in data.shots] == ["Shot 1", "Shot 1.002"]
    assert data.shots[1].camera == scene.camera and data.active_shot_index == 1
    bpy.ops.multi_render.shot_move(direction="UP")
    assert [s.name for s in data.shots] == ["Shot 1.002", "Shot 1"]
    bpy.ops.multi_render.shot_remove()
    assert [s.name for s in data.shots] == ["Shot 1"]
    # The active camera already has a shot: only the two others are added.
    bpy.ops.multi_render.shots_from_cameras()
    assert len(data.shots) == 3
    for obj in scene.objects:
        obj.select_set(obj.name == "Cam_Green")
    bpy.ops.multi_render.shots_from_cameras(selected_only=True)
    assert len(data.shots) == 3


def test_duplicating_a_shot_copies_its_lists(scene: bpy.types.Scene) -> None:
    scenes.build_color_cameras(1, size=32)
    data = scene.multi_render
    bpy.ops.multi_render.shot_add()
    original = data.shots[0]
    original.use_resolution = True
    entry = original.collections.add()
    entry.collection, entry.hidden = bpy.data.collections.new("Props"), False
    item = original.property_overrides.add()
    item.data_path, item.value, item.enabled = 'bpy.data.objects["Subject"].hide_render', "True", False
    bpy.ops.multi_render.shot_duplicate()
    copy = data.shots[1]
    assert copy.use_resolution
    assert [(e.collection, e.hidden) for e in copy.collections] == [(entry.collection, False)]
    assert [(o.data_path, o.value, o.enabled) for o in copy.property_overrides] == [
        ('bpy.data.objects["Subject"].hide_render', "True", False)
    ]
    copy.property_overrides[0].value = "False"  # a copy, not the same list
    assert original.property_overrides[0].value == "True"
