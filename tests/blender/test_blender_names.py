"""Every file as Blender names it (background mode, every Blender): stereo
views, movies, # in folders and names, path variables, literal braces,
frames Blender cannot render, every format the format override offers and a
linked camera sharing a local camera's name. Each test compares the queue's
list of files with the files Blender really wrote."""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import pytest

from testkit import scenes

PATH_VARIABLES = bpy.app.version >= (4, 5, 0)


def two_shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(2, size=16)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    return scene.multi_render.shots


def written(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def render_ok(scene: bpy.types.Scene) -> None:
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in scene.multi_render.shots if shot.enabled] == ["DONE"] * sum(
        1 for shot in scene.multi_render.shots if shot.enabled
    ), bpy.context.window_manager.multi_render.last_report


def record_files(scene: bpy.types.Scene) -> list[list[str]]:
    """Each shot's files in the run's record (what History and --json list)."""
    return [shot.files.split("\n") for shot in scene.multi_render.history[0].shots]


def stereo(scene: bpy.types.Scene, views_format: str) -> None:
    scene.render.use_multiview = True
    scene.render.views_format = "STEREO_3D"
    scene.render.image_settings.views_format = views_format


def test_stereo_individual_stills_are_one_file_per_view(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    stereo(scene, "INDIVIDUAL")
    render_ok(scene)
    names = [shot.name for shot in shots]
    assert written(tmp_path) == {f"{name}{view}.png" for name in names for view in ("_L", "_R")}
    assert [shot.output for shot in shots] == [str(tmp_path / f"{name}_L.png") for name in names]
    assert "_R.png" in record_files(scene)[0][-1]


def test_skip_existing_counts_every_view(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    scene.multi_render.skip_existing = True
    render_ok(scene)  # mono first: whole images named as a mono render names them
    # Those older mono images do not make the stereo shots done.
    stereo(scene, "INDIVIDUAL")
    render_ok(scene)
    assert [shot.status for shot in shots] == ["DONE", "DONE"]
    # Every view of each shot on disk and whole: both are skipped.
    mtimes = {name: (tmp_path / name).stat().st_mtime_ns for name in written(tmp_path)}
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in shots] == ["SKIPPED", "SKIPPED"]
    assert {name: (tmp_path / name).stat().st_mtime_ns for name in written(tmp_path)} == mtimes
    # One view missing: that shot renders again.
    (tmp_path / f"{shots[1].name}_R.png").unlink()
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in shots] == ["SKIPPED", "DONE"]


def test_stereo_3d_is_one_combined_file(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    stereo(scene, "STEREO_3D")
    render_ok(scene)
    assert written(tmp_path) == {f"{shot.name}.png" for shot in shots}


def test_a_stereo_range_is_every_frame_of_every_view(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shot = two_shots(scene)[0]
    scene.multi_render.shots[1].enabled = False
    stereo(scene, "INDIVIDUAL")
    shot.use_frame_range, shot.frame_start, shot.frame_end = True, 1, 2
    render_ok(scene)
    expected = [f"{shot.name}_{frame:04d}{view}.png" for frame in (1, 2) for view in ("_L", "_R")]
    assert written(tmp_path) == set(expected)
    assert record_files(scene)[0] == [str(tmp_path / name) for name in expected]


def test_a_movie_range_shot_is_one_movie(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shot = two_shots(scene)[0]
    scene.multi_render.shots[1].enabled = False
    if hasattr(scene.render.image_settings, "media_type"):
        scene.render.image_settings.media_type = "VIDEO"
    scene.render.image_settings.file_format = "FFMPEG"
    scene.render.ffmpeg.format = "MPEG4"
    scene.render.ffmpeg.codec = "H264"
    shot.use_frame_range, shot.frame_start, shot.frame_end = True, 1, 3
    render_ok(scene)
    movie = tmp_path / f"{shot.name}_0001-0003.mp4"
    assert written(tmp_path) == {movie.name}
    assert shot.output == str(movie)
    clip = bpy.data.movieclips.load(str(movie))
    try:
        assert clip.frame_duration == 3
    finally:
        bpy.data.movieclips.remove(clip)


def test_a_still_with_a_movie_format_is_refused_before_rendering(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    if hasattr(scene.render.image_settings, "media_type"):
        scene.render.image_settings.media_type = "VIDEO"
    scene.render.image_settings.file_format = "FFMPEG"
    with pytest.raises(RuntimeError, match=rf"Shot 1 '{shots[0].name}': the file format FFMPEG writes a movie"):
        bpy.ops.multi_render.render_shots()
    assert written(tmp_path) == set()
    assert scene.render.image_settings.file_format == "FFMPEG"


def test_hashes_in_folders_and_names(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    shots[0].filepath = "take_##/still_##"  # a still keeps every # as typed
    shots[1].filepath = "take_##/seq_##"  # a range: the file name's last # run is the frame
    shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, 4, 5
    render_ok(scene)
    assert written(tmp_path) == {"take_##/still_##.png", "take_##/seq_04.png", "take_##/seq_05.png"}
    assert shots[0].output == str(tmp_path / "take_##" / "still_##.png")


@pytest.mark.skipif(not PATH_VARIABLES, reason="path variables are Blender 4.5+")
def test_path_variables_in_the_scene_output(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    scene.render.filepath = str(tmp_path / "{resolution_x}px") + "/"
    shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, 1, 1
    render_ok(scene)
    folder = "16px"
    assert written(tmp_path) == {f"{folder}/{shots[0].name}.png", f"{folder}/{shots[1].name}_0001.png"}
    assert scene.render.filepath == str(tmp_path / "{resolution_x}px") + "/"


@pytest.mark.skipif(not PATH_VARIABLES, reason="path variables are Blender 4.5+")
def test_an_unknown_path_variable_is_refused_with_blenders_reason(scene: bpy.types.Scene, tmp_path: Path) -> None:
    two_shots(scene)
    scene.render.filepath = str(tmp_path / "{nope}") + "/"
    with pytest.raises(RuntimeError, match=r"Shot 1 .*output path: the scene's output path: .*nope"):
        bpy.ops.multi_render.render_shots()
    assert written(tmp_path) == set()


def test_braces_in_shot_names_are_literal(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    shots[0].name = "Wide {A}"
    shots[1].filepath = "{shot}_{{x}}"
    shots[1].name = "Close {fps}"
    render_ok(scene)
    assert written(tmp_path) == {"Wide {A}.png", "Close {fps}_{x}.png"}


def test_a_range_below_frame_0_is_refused(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = two_shots(scene)
    shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, -2, 1
    with pytest.raises(RuntimeError, match=rf"Shot 2 '{shots[1].name}': frame range -2-1 starts below 0"):
        bpy.ops.multi_render.render_shots()
    assert written(tmp_path) == set()


FORMATS = {
    "PNG": ".png",
    "JPEG": ".jpg",
    "BMP": ".bmp",
    "TIFF": ".tif",
    "OPEN_EXR": ".exr",
    "OPEN_EXR_MULTILAYER": ".exr",
    "WEBP": ".webp",
    "TARGA": ".tga",
}


def test_every_format_the_override_offers_renders(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(1, size=16)
    shots = scene.multi_render.shots
    offered = [item.identifier for item in shots.add().bl_rna.properties["file_format"].enum_items]
    assert offered == list(FORMATS)
    shots.clear()
    for file_format in offered:
        shot = shots.add()
        shot.name, shot.camera = file_format, scene.camera
        shot.use_file_format, shot.file_format = True, file_format
        shot.color_depth = "16" if file_format.startswith("OPEN_EXR") else "8"
    render_ok(scene)
    assert written(tmp_path) == {f"{name}{extension}" for name, extension in FORMATS.items()}
    assert all(os.path.getsize(shot.output) > 0 for shot in shots)
    assert scene.render.image_settings.file_format == "PNG"


def test_a_linked_camera_sharing_a_local_cameras_name(scene: bpy.types.Scene, tmp_path: Path) -> None:
    library = tmp_path / "lib" / "cameras.blend"
    library.parent.mkdir()
    scenes.build_color_cameras(2, size=16)
    bpy.ops.wm.save_as_mainfile(filepath=str(library), copy=True)
    with bpy.data.libraries.load(str(library), link=True) as (_source, target):
        target.objects = ["Cam_Green"]
    linked = target.objects[0]
    assert linked.library is not None and linked.name == "Cam_Green"
    scene.collection.objects.link(linked)
    local = next(obj for obj in scene.objects if obj.name == "Cam_Green" and obj.library is None)
    shots = scene.multi_render.shots
    for name, camera in (("local", local), ("linked", linked)):
        shot = shots.add()
        shot.name, shot.camera = name, camera
    render_ok(scene)
    assert written(tmp_path).issuperset({"local.png", "linked.png"})
    # The same camera data: both images see the green wall.
    assert scenes.wall_color(shots[0].output) == scenes.wall_color(shots[1].output) == "Green"
