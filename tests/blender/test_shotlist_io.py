"""Shot lists as JSON files in real Blender: a round trip gives the same
list, and a file with problems changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import pytest

from testkit import scenes


def shot_list_dump(scene: bpy.types.Scene) -> list[dict[str, object]]:
    return [
        scenes.dump_settings(shot, depth=1, skip=frozenset({"status", "output"})) for shot in scene.multi_render.shots
    ]


@pytest.fixture
def rich_list(scene: bpy.types.Scene) -> bpy.types.Scene:
    scenes.build_color_cameras(3, size=32)
    walls = scenes.walls_into_collection()
    bpy.data.worlds.new("Night")
    bpy.ops.multi_render.shots_from_cameras()
    shots = scene.multi_render.shots
    shots[0].filepath = "//renders/{shot}_{frame}"
    shots[0].use_frame_range, shots[0].frame_start, shots[0].frame_end, shots[0].frame_step = True, 2, 9, 3
    shots[1].enabled = False
    shots[1].use_resolution, shots[1].resolution_x, shots[1].resolution_y = True, 320, 240
    shots[1].use_world, shots[1].world = True, bpy.data.worlds["Night"]
    shots[2].use_engine, shots[2].engine, shots[2].use_samples, shots[2].samples = True, "CYCLES", True, 8
    shots[2].use_file_format, shots[2].file_format, shots[2].color_depth = True, "OPEN_EXR", "32"
    entry = shots[2].collections.add()
    entry.collection, entry.hidden = walls, True
    scene.multi_render.skip_existing = True
    return scene


def test_export_clear_import_gives_the_same_list(rich_list: bpy.types.Scene, tmp_path: Path) -> None:
    before = shot_list_dump(rich_list)
    path = str(tmp_path / "shots.json")
    assert bpy.ops.multi_render.shots_export(filepath=path) == {"FINISHED"}
    document = json.loads(Path(path).read_text())
    assert document["format"] == "multi_render.shots" and document["version"] == 3
    assert document["shots"][2]["collections"] == [{"collection": "Walls", "hidden": True}]
    rich_list.multi_render.shots.clear()
    rich_list.multi_render.skip_existing = False
    assert bpy.ops.multi_render.shots_import(filepath=path) == {"FINISHED"}
    assert shot_list_dump(rich_list) == before
    assert rich_list.multi_render.skip_existing


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(version=7), "written by a newer multi_render (format version 7)"),
        (lambda d: d["shots"][0].update(camera="Gone"), "camera 'Gone' is not a camera in this file"),
        (lambda d: d["shots"][1].update(world="Day"), "world 'Day' does not exist in this file"),
        (lambda d: d["shots"][2].update(samples="many"), "'samples' must be a whole number"),
        (lambda d: d["shots"][2].update(shutter=1), "unknown key 'shutter'"),
        (lambda d: d["shots"][2]["file_format"].update(color_depth="8"), "OPEN_EXR has no 8-bit colour depth"),
        (lambda d: d["shots"][2]["collections"].append({"collection": "Nope", "hidden": False}), "'Nope' does not"),
    ],
)
def test_a_bad_file_changes_nothing(rich_list: bpy.types.Scene, tmp_path: Path, change: object, expected: str) -> None:
    path = tmp_path / "shots.json"
    bpy.ops.multi_render.shots_export(filepath=str(path))
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document))
    before = shot_list_dump(rich_list)
    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.shots_import(filepath=str(path))
    assert expected in str(error.value)
    assert shot_list_dump(rich_list) == before


def test_broken_json_and_missing_files(rich_list: bpy.types.Scene, tmp_path: Path) -> None:
    before = shot_list_dump(rich_list)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "multi_render.shots", "version": 1, "shots": [')
    with pytest.raises(RuntimeError, match="not valid JSON"):
        bpy.ops.multi_render.shots_import(filepath=str(broken))
    with pytest.raises(RuntimeError, match="cannot read"):
        bpy.ops.multi_render.shots_import(filepath=str(tmp_path / "missing.json"))
    assert shot_list_dump(rich_list) == before


def test_a_world_override_whose_world_was_deleted_exports_as_unticked(
    rich_list: bpy.types.Scene, tmp_path: Path
) -> None:
    bpy.data.worlds.remove(bpy.data.worlds["Night"])
    path = str(tmp_path / "shots.json")
    assert bpy.ops.multi_render.shots_export(filepath=path) == {"FINISHED"}
    assert "world" not in json.loads(Path(path).read_text())["shots"][1]
    assert bpy.ops.multi_render.shots_import(filepath=path) == {"FINISHED"}  # the file reads back
    assert not rich_list.multi_render.shots[1].use_world
