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


def test_every_registry_field_is_a_shot_property() -> None:
    """core/overrides.py declares each override once; the shot's RNA has it."""
    from multi_render.core.overrides import OVERRIDES, Kind

    rna = bpy.types.Scene.bl_rna.properties["multi_render"].fixed_type.properties["shots"].fixed_type.properties
    for override in OVERRIDES:
        assert rna[override.toggle].type == "BOOLEAN"
        assert rna[override.toggle].name == override.label
        for field in override.fields:
            prop = rna[field.prop]
            assert (
                prop.type
                == {Kind.INT: "INT", Kind.TEXT: "STRING", Kind.CHOICE: "ENUM", Kind.WORLD: "POINTER"}[field.kind]
            )
            if field.kind is Kind.INT:
                assert prop.default == field.default
                assert prop.hard_min == (field.minimum if field.minimum is not None else -(2**31))
            if field.kind is Kind.CHOICE:
                assert [item.identifier for item in prop.enum_items] == list(field.choices)


def test_a_new_shot_starts_from_the_scenes_values(scene: bpy.types.Scene) -> None:
    """Ticking an override shows what the scene renders now, not 1920 x 1080."""
    scenes.build_color_cameras(1, size=64)
    scene.frame_current = 7
    scene.render.resolution_percentage = 50
    scene.render.image_settings.file_format = "JPEG"
    bpy.ops.multi_render.shot_add()
    shot = scene.multi_render.shots[-1]
    assert (shot.resolution_x, shot.resolution_y, shot.resolution_percentage) == (64, 64, 50)
    assert shot.frame == 7 and shot.engine == scene.render.engine
    assert shot.file_format == "JPEG" and shot.world == scene.world
    assert not shot.use_resolution and not shot.use_frame  # values only: nothing is ticked
    bpy.ops.multi_render.shots_from_cameras()  # the same for shots made from cameras
    assert all(s.resolution_x == 64 for s in scene.multi_render.shots)


def test_a_property_override_of_a_builtin_setting_restores_the_persons_value(
    scene: bpy.types.Scene, shots: object
) -> None:
    """The built-in Resolution and a property override both write
    render.resolution_x: the property override wins for the shot, and the
    person's value comes back."""
    first = shots[0]  # type: ignore[index]
    first.use_resolution, first.resolution_x, first.resolution_y = True, 24, 24
    item = first.property_overrides.add()
    item.data_path, item.value = f'bpy.data.scenes["{scene.name}"].render.resolution_x', "16"
    render_and_check_restored(scene)
    assert scenes.image_size(first.output) == (16, 24)
    assert scene.render.resolution_x == 32
