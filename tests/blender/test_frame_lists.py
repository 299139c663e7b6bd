"""Frame lists ("2, 7, 300-302:2"), rendered in background mode: exactly
the listed frames in several animation renders, named by Blender, the scene
as it was afterwards; wrong lists and movies refused before any render."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import pytest
from conftest import range_shot

from testkit import scenes


@pytest.fixture
def shot(scene: bpy.types.Scene, tmp_path: Path) -> bpy.types.PropertyGroup:
    return range_shot(scene, str(tmp_path / "{shot}_"))


def pngs(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.png"))


def render_restored(scene: bpy.types.Scene) -> None:
    before = scenes.dump_scene(scene)
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert scenes.dump_scene(scene) == before


def test_a_frame_list_renders_exactly_its_frames(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    scenes.move_subject_away_at(5)
    # Two renders (2-7 by 5, then 300-302 by 2), the second past the scene's
    # end (250): Blender moves the scene's end when the start passes it.
    shot.frame_list = "2-3, 7, 300-302:2, !3"  # type: ignore[attr-defined]
    render_restored(scene)
    assert pngs(tmp_path) == ["Cam_Green_0002.png", "Cam_Green_0007.png", "Cam_Green_0300.png", "Cam_Green_0302.png"]
    assert shot.status == "DONE"  # type: ignore[attr-defined]
    assert shot.output == str(tmp_path / "Cam_Green_0002.png")  # type: ignore[attr-defined]
    # Each file shows its own frame: the subject left the view from frame 5 on.
    centre = [scenes.pixel(str(tmp_path / name), 0.5, 0.5) for name in pngs(tmp_path)]
    assert centre[0] != centre[1] and centre[1] == centre[2] == centre[3]
    assert (scene.frame_start, scene.frame_end, scene.frame_step) == (1, 250, 1)


def test_a_range_past_the_scene_s_end_leaves_the_scene_as_it_was(
    scene: bpy.types.Scene, shot: object, tmp_path: Path
) -> None:
    shot.frame_start, shot.frame_end = 300, 301  # type: ignore[attr-defined]
    render_restored(scene)
    assert pngs(tmp_path) == ["Cam_Green_0300.png", "Cam_Green_0301.png"]
    assert (scene.frame_start, scene.frame_end) == (1, 250)


def test_skip_existing_knows_the_listed_frames(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    shot.frame_list = "4, 9"  # type: ignore[attr-defined]
    render_restored(scene)
    scene.multi_render.skip_existing = True
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "SKIPPED"  # type: ignore[attr-defined]
    (tmp_path / "Cam_Green_0009.png").unlink()
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "DONE"  # type: ignore[attr-defined]
    assert pngs(tmp_path) == ["Cam_Green_0004.png", "Cam_Green_0009.png"]


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ("1-4, x", "frame list '1-4, x': part 2 'x': not a frame N, a range A-B or a stepped range A-B:S"),
        ("1-4, !1-4", "frame list '1-4, !1-4': the frame list leaves no frame"),
        ("1048575", "frame list '1048575': part 1 '1048575': goes past 1048574, the last frame Blender renders"),
    ],
)
def test_a_wrong_frame_list_is_named_before_anything_renders(
    scene: bpy.types.Scene, shot: object, tmp_path: Path, frames: str, message: str
) -> None:
    shot.frame_list = frames  # type: ignore[attr-defined]
    before = scenes.dump_scene(scene)
    with pytest.raises(RuntimeError) as raised:
        bpy.ops.multi_render.render_shots()
    assert f"Shot 1 'Cam_Green': {message}" in str(raised.value)
    assert pngs(tmp_path) == []
    assert scenes.dump_scene(scene) == before


def test_a_movie_of_a_list_in_several_renders_is_refused(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    if hasattr(scene.render.image_settings, "media_type"):
        scene.render.image_settings.media_type = "VIDEO"
    scene.render.image_settings.file_format = "FFMPEG"
    shot.frame_list = "1-3, 8"  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="Shot 1 'Cam_Green': the file format FFMPEG writes a movie per render"):
        bpy.ops.multi_render.render_shots()
    assert list(tmp_path.iterdir()) == []


def test_a_shot_list_keeps_the_frame_list(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    shot.frame_list = "1-3, 8"  # type: ignore[attr-defined]
    path = tmp_path / "shots.json"
    assert bpy.ops.multi_render.shots_export(filepath=str(path)) == {"FINISHED"}
    document = json.loads(path.read_text())
    assert document["version"] == 3
    assert document["shots"][0]["frame_range"] == {"start": 1, "end": 3, "step": 1, "list": "1-3, 8"}
    shot.frame_list = ""  # type: ignore[attr-defined]
    assert bpy.ops.multi_render.shots_import(filepath=str(path)) == {"FINISHED"}
    assert scene.multi_render.shots[0].frame_list == "1-3, 8"
