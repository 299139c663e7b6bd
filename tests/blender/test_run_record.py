"""What a run leaves behind: the scene's history (at most 20 runs) and a
contact sheet of every shot's image, in background mode."""

from __future__ import annotations

from pathlib import Path

import bpy
import pytest

from testkit import scenes


@pytest.fixture
def four_shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(4, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    return scene.multi_render.shots


def test_a_contact_sheet_holds_every_shot_in_list_order(scene: bpy.types.Scene, four_shots: object) -> None:
    data = scene.multi_render
    data.contact_sheet = True
    data.contact_sheet_path = "sheets/{scene}_sheet"
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    sheet = bpy.context.window_manager.multi_render.last_contact_sheet
    assert sheet == str(Path(bpy.path.abspath(scene.render.filepath)) / "sheets" / f"{scene.name}_sheet.png")
    assert f"Contact sheet: {sheet}" in bpy.context.window_manager.multi_render.last_report
    # 2 x 2 tiles of 32 px, 4 px apart, each with a 20 px label strip.
    assert scenes.image_size(sheet) == (4 + 2 * 36, 4 + 2 * (32 + 20 + 4))
    width, height = 76, 116
    fx, fy = scenes.WALL_SAMPLE  # where a shot's image shows its wall, from the bottom left
    samples = [
        ((4 + 36 * column + fx * 32) / width, 1 - (4 + 56 * row + (1 - fy) * 32) / height)
        for row in (0, 1)
        for column in (0, 1)
    ]
    walls = [scenes.wall_color(sheet, at) for at in samples]
    assert walls == [scenes.wall_color(shot.output) for shot in four_shots]  # type: ignore[attr-defined]
    assert len(set(walls)) == 4 and "?" not in walls
    assert [image.name for image in bpy.data.images] == ["Render Result"]  # nothing left in the .blend
    import blf

    if hasattr(blf, "bind_imbuf"):  # Blender 4.4+ writes each shot's name under its tile
        strip = [max(scenes.pixel(sheet, x / width, 1 - 48 / height)) for x in range(6, 36)]
        assert max(strip) > 0.6, strip


def test_no_contact_sheet_unless_asked_and_a_bad_template_is_refused(
    scene: bpy.types.Scene, four_shots: object
) -> None:
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert bpy.context.window_manager.multi_render.last_contact_sheet == ""
    scene.multi_render.contact_sheet = True
    scene.multi_render.contact_sheet_path = "sheet_{shto}"
    with pytest.raises(RuntimeError, match=r"Contact sheet: file: .*shto"):
        bpy.ops.multi_render.render_shots()


def test_the_history_keeps_the_last_20_runs_newest_first(scene: bpy.types.Scene, four_shots: object) -> None:
    four_shots[3].camera = None  # type: ignore[index]
    four_shots[3].enabled = False  # type: ignore[index]
    for _run in range(21):
        assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    history = scene.multi_render.history
    assert len(history) == 20
    newest = history[0]
    assert newest.blender == bpy.app.version_string
    assert newest.started <= history[19].started or newest.started[:10] == history[19].started[:10]
    assert [shot.name for shot in newest.shots] == [shot.name for shot in four_shots][:3]  # type: ignore[attr-defined]
    assert all(shot.status == "DONE" and Path(shot.files).is_file() for shot in newest.shots)
    assert newest.report.startswith("Rendered 3 shots")
