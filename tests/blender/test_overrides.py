"""Per-shot overrides and output templates, rendered in background mode.
Each override is checked on the image it writes, and the scene is compared
with a dump of every scene, render and view-layer setting afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import pytest

from testkit import scenes


@pytest.fixture
def shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    return scene.multi_render.shots


def render_and_check_restored(scene: bpy.types.Scene) -> None:
    before = scenes.dump_scene(scene)
    walls = bpy.data.collections.get("Walls")
    walls_hidden = walls.hide_render if walls else None
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert scenes.dump_scene(scene) == before
    if walls is not None:
        assert walls.hide_render == walls_hidden


def test_frame_override_renders_another_frame(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    scenes.move_subject_away_at(5)
    shots[0].use_frame, shots[0].frame = True, 5  # type: ignore[index]
    shots[0].filepath = str(tmp_path / "{shot}_{frame}")  # type: ignore[index]
    render_and_check_restored(scene)
    moved = str(tmp_path / "Cam_Green_0005.png")
    assert shots[0].output == moved  # type: ignore[index]
    assert scenes.wall_color(moved) == "Green"
    assert scenes.pixel(moved, 0.5, 0.5) != scenes.pixel(shots[1].output, 0.5, 0.5)  # type: ignore[index]
    assert scene.frame_current == 1


def test_resolution_engine_and_format(scene: bpy.types.Scene, shots: object) -> None:
    first, second = shots[0], shots[1]  # type: ignore[index]
    first.use_resolution = True
    first.resolution_x, first.resolution_y, first.resolution_percentage = 40, 20, 50
    first.use_file_format, first.file_format, first.color_depth = True, "JPEG", "8"
    second.use_engine, second.engine = True, "CYCLES"
    second.use_samples, second.samples = True, 1
    render_and_check_restored(scene)
    assert first.output.endswith(".jpg")
    assert scenes.image_size(first.output) == (20, 10)
    assert scenes.image_size(second.output) == (32, 32)
    # Cycles does not draw Workbench's flat object colours: the wall is not pure red.
    assert scenes.wall_color(second.output) == "?"
    assert scene.render.engine == "BLENDER_WORKBENCH"
    assert scene.render.image_settings.file_format == "PNG"


def test_hidden_collection_and_world(scene: bpy.types.Scene, shots: object) -> None:
    walls = scenes.walls_into_collection()
    world = bpy.data.worlds.new("Magenta")
    world.color = (1.0, 0.0, 1.0)
    entry = shots[0].collections.add()  # type: ignore[index]
    entry.collection, entry.hidden = walls, True
    shots[0].use_world, shots[0].world = True, world  # type: ignore[index]
    scene.display.shading.background_type = "WORLD"
    render_and_check_restored(scene)
    assert scenes.wall_color(shots[0].output) == "Magenta"  # type: ignore[index]
    assert scenes.wall_color(shots[1].output) == "Red"  # type: ignore[index]
    assert not walls.hide_render


def test_view_layer_override_renders_only_that_layer(scene: bpy.types.Scene, shots: object) -> None:
    scene.view_layers.new("Second")
    shots[0].use_view_layer, shots[0].view_layer = True, "Second"  # type: ignore[index]
    shots[0].filepath = "{view_layer}/{shot}"  # type: ignore[index]
    render_and_check_restored(scene)
    assert shots[0].output.endswith(os.path.join("Second", "Cam_Green.png"))  # type: ignore[index]
    assert [layer.use for layer in scene.view_layers] == [True, True]


def test_frame_range_writes_every_frame(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    shot = shots[0]  # type: ignore[index]
    shot.use_frame_range, shot.frame_start, shot.frame_end = True, 3, 5
    shots[1].enabled = False  # type: ignore[index]
    render_and_check_restored(scene)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "Cam_Green_0003.png",
        "Cam_Green_0004.png",
        "Cam_Green_0005.png",
    ]
    assert shot.status == "DONE"
    assert (scene.frame_start, scene.frame_end) == (1, 250)


def test_templates_and_unsafe_names(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    bpy.data.objects["Cam_Red"].name = "../cam/01"
    shots[1].name = "a/b"  # type: ignore[index]
    shots[1].filepath = str(tmp_path / "{scene}" / "{index}_{shot}_{camera}")  # type: ignore[index]
    render_and_check_restored(scene)
    # "a/b" -> "a_b"; "../cam/01" -> "_cam_01": no folder, no way out of the output folder.
    assert shots[1].output == str(tmp_path / "Scene" / "2_a_b__cam_01.png")  # type: ignore[index]


def test_bad_template_and_missing_names_are_refused(scene: bpy.types.Scene, shots: object) -> None:
    shots[0].filepath = "//{shto}"  # type: ignore[index]
    shots[1].use_view_layer, shots[1].view_layer = True, "Nope"  # type: ignore[index]
    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.render_shots()
    message = str(error.value)
    assert "Shot 1 'Cam_Green': output path: unknown token {shto}" in message
    assert "Shot 2 'Cam_Red': view layer 'Nope' does not exist in scene 'Scene'" in message


def test_skip_existing_and_render_remaining(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    earlier = b"an earlier image, whole: it ends as a PNG does IEND\xaeB`\x82"
    (tmp_path / "Cam_Green.png").write_bytes(earlier)
    (tmp_path / "Cam_Red.png").write_bytes(b"")  # left empty by a full disk: rendered again
    scene.multi_render.skip_existing = True
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [s.status for s in shots] == ["SKIPPED", "DONE"]  # type: ignore[attr-defined]
    assert (tmp_path / "Cam_Green.png").read_bytes() == earlier
    scene.multi_render.skip_existing = False
    # Only the shots not done last time: the skipped one.
    os.remove(shots[1].output)  # type: ignore[index]
    assert bpy.ops.multi_render.render_shots(only_remaining=True) == {"FINISHED"}
    assert [s.status for s in shots] == ["DONE", "DONE"]  # type: ignore[attr-defined]
    assert not os.path.exists(str(tmp_path / "Cam_Red.png"))
    with pytest.raises(RuntimeError, match="nothing remains to render"):
        bpy.ops.multi_render.render_shots(only_remaining=True)


def test_unsaved_file_relative_paths_use_the_working_directory(
    scene: bpy.types.Scene, shots: object, tmp_path: Path
) -> None:
    assert bpy.data.filepath == ""
    shots[0].filepath = "//relative/{shot}"  # type: ignore[index]
    shots[1].enabled = False  # type: ignore[index]
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        render_and_check_restored(scene)
    finally:
        os.chdir(old)
    assert shots[0].output == str(tmp_path / "relative" / "Cam_Green.png")  # type: ignore[index]
    assert os.path.isfile(shots[0].output)  # type: ignore[index]
