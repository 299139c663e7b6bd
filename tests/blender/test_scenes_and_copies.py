"""Queues over every scene, and a copy of a file rendering where the
person's file would (what the background process does), in background mode
on every Blender."""

from __future__ import annotations

import sys
from pathlib import Path

import bpy
import pytest
from conftest import MODULE

from testkit import scenes


def add_night(day: bpy.types.Scene, filepath: str) -> bpy.types.Scene:
    """A second scene with the same objects and two shots of its own."""
    night = bpy.data.scenes.new("Night")
    for obj in day.collection.all_objects:
        night.collection.objects.link(obj)
    night.render.resolution_x = night.render.resolution_y = 32
    night.render.engine = day.render.engine
    night.render.filepath = day.render.filepath
    for camera in ("Cam_Green", "Cam_Red"):
        shot = night.multi_render.shots.add()
        shot.name, shot.camera, shot.filepath = camera, bpy.data.objects[camera], filepath
    return night


def test_every_scene_renders_from_its_own_scene(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    for shot in scene.multi_render.shots:
        shot.filepath = "{scene}_{shot}"
    night = add_night(scene, "{scene}_{shot}")
    night.multi_render.shots[1].enabled = False
    # Blender fills a new scene's view layer in when something first uses it:
    # before the queue, so that only the queue could change it.
    night.view_layers[0].update()
    before = [scenes.dump_scene(scene), scenes.dump_scene(night)]
    assert bpy.ops.multi_render.render_shots(all_scenes=True) == {"FINISHED"}
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "Night_Cam_Green.png",
        "Scene_Cam_Green.png",
        "Scene_Cam_Red.png",
    ]
    assert [shot.status for shot in night.multi_render.shots] == ["DONE", "PENDING"]
    assert [shot.name for shot in night.multi_render.history[0].shots] == ["Cam_Green"]
    assert [shot.name for shot in scene.multi_render.history[0].shots] == ["Cam_Green", "Cam_Red"]
    assert [scenes.dump_scene(scene), scenes.dump_scene(night)] == before


def test_two_scenes_writing_one_file_are_refused_by_name(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    add_night(scene, "")  # empty output: the shot's name in the output folder, as Scene's shots
    with pytest.raises(RuntimeError, match="of scene 'Night' and shot 1 'Cam_Green' of scene 'Scene' would write"):
        bpy.ops.multi_render.render_shots(all_scenes=True)
    assert list(tmp_path.iterdir()) == []
    # One scene alone is fine.
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}


def test_a_copy_renders_where_the_persons_file_would(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    shots = scene.multi_render.shots
    shots[0].filepath = "//renders/{blend}_{shot}"
    scenes.add_file_output("//passes/")
    person = tmp_path / "person" / "scene.blend"
    copy = tmp_path / "copy" / "scene_copy.blend"
    person.parent.mkdir()
    copy.parent.mkdir()
    bpy.ops.wm.save_as_mainfile(filepath=str(person))
    bpy.ops.wm.save_as_mainfile(filepath=str(copy), copy=True)
    bpy.ops.wm.open_mainfile(filepath=str(copy))
    reader = sys.modules[f"{MODULE}.shot.scene_reader"]
    reader.read_as_copy_of(str(person))
    try:
        assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    finally:
        reader.read_as_copy_of(None)
    shots = bpy.context.scene.multi_render.shots
    assert [shot.output for shot in shots] == [
        str(person.parent / "renders" / "scene_Cam_Green.png"),  # {blend}: the person's file's name
        str(tmp_path / "Cam_Red.png"),  # the scene's output folder, absolute
    ]
    assert sorted(path.name for path in (person.parent / "passes").iterdir()) == ["Cam_Green", "Cam_Red"]
    assert sorted(path.name for path in copy.parent.iterdir()) == ["scene_copy.blend"]  # nothing beside the copy
    outputs = sys.modules[f"{MODULE}.shot.compositor_outputs"].file_output_nodes(bpy.context.scene)
    assert [output.folder for output in outputs] == ["//passes/"]  # the copy's node as it was
