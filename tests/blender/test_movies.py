"""A movie of a frame-range shot, made by a background Blender with its
FFmpeg once the frames are written (blocking here: background mode waits
for it): frame count, size and frame rate read back by Blender; Skip
Existing knows it; a failed encode never fails the frames."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import bpy
import pytest
from conftest import MODULE, range_shot

from testkit import scenes

pytestmark = pytest.mark.skipif(
    not bpy.app.binary_path, reason="the bpy module has no Blender program to encode with (Blender itself has)"
)


@pytest.fixture
def shot(scene: bpy.types.Scene, tmp_path: Path) -> bpy.types.PropertyGroup:
    first = range_shot(scene, str(tmp_path / "frames" / "{shot}_"))
    first.make_movie = True
    return first


def addon(name: str) -> Any:
    return sys.modules[f"{MODULE}.{name}"]


def settled_shots(folder: Path, names: str, frames: int) -> list[Any]:
    """Done shots (core ShotRun) asking for a movie in `folder` of `frames`
    copies of one 32 x 32 image written there."""
    image = bpy.data.images.new("frame", 32, 32)
    image.filepath_raw, image.file_format = str(folder / "f.png"), "PNG"
    image.save()
    paths = [str(folder / "f.png")] * frames
    shots = []
    for number, name in enumerate(names):
        shot = addon("core.run").ShotRun(number, name, tuple(paths), status=addon("core.status").ShotStatus.DONE)
        shot.movie = addon("core.movie").encode_job(paths, str(folder / f"{name}.mp4"), "H264", (24, 1.0))
        shots.append(shot)
    return shots


def read_back(path: Path) -> tuple[int, list[int], float]:
    clip = bpy.data.movieclips.load(str(path))
    try:
        return clip.frame_duration, list(clip.size), clip.fps
    finally:
        bpy.data.movieclips.remove(clip)


def test_a_movie_is_made_beside_the_frames(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    scene.render.fps = 12
    before = scenes.dump_scene(scene)
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    movie = tmp_path / "frames" / "Cam_Green.mp4"
    assert read_back(movie) == (3, [32, 32], 12.0)
    assert shot.movie == str(movie)  # type: ignore[attr-defined]
    assert sorted(path.name for path in (tmp_path / "frames").iterdir()) == [
        "Cam_Green.mp4",
        "Cam_Green_0001.png",
        "Cam_Green_0002.png",
        "Cam_Green_0003.png",
    ]
    assert scenes.dump_scene(scene) == before
    report = bpy.context.window_manager.multi_render.last_report
    assert report.startswith("Rendered 1 shot (") and report.endswith(". 1 movie made")
    history = json.loads(json.dumps([shot_.files for shot_ in scene.multi_render.history[0].shots]))
    assert str(movie) in history[0]


def test_prores_from_a_frame_list_with_its_own_path(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    shot.frame_list = "1, 4-5"  # type: ignore[attr-defined]
    shot.movie_format, shot.movie_path = "PRORES", "//movies/{scene}_{shot}"  # type: ignore[attr-defined]
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "shots.blend"))
    if "PRORES" not in addon("shot.blender_names").movie_codecs():  # before 4.4
        with pytest.raises(RuntimeError, match="Movie: this Blender's FFmpeg has no ProRes MOV"):
            bpy.ops.multi_render.render_shots()
        return
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    report = bpy.context.window_manager.multi_render.last_report
    assert report.endswith("1 movie made"), report
    assert read_back(tmp_path / "movies" / "Scene_Cam_Green.mov")[:2] == (3, [32, 32])


def test_skip_existing_makes_only_a_missing_movie(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    movie = tmp_path / "frames" / "Cam_Green.mp4"
    made = movie.stat().st_mtime_ns
    scene.multi_render.skip_existing = True
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "SKIPPED" and movie.stat().st_mtime_ns == made  # type: ignore[attr-defined]
    movie.unlink()
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "SKIPPED" and read_back(movie)[0] == 3  # type: ignore[attr-defined]


def test_a_movie_that_cannot_be_made_leaves_the_frames_done(
    scene: bpy.types.Scene, shot: object, tmp_path: Path
) -> None:
    (tmp_path / "blocker").write_text("a file where the movie's folder would be")
    shot.movie_path = str(tmp_path / "blocker" / "{shot}")  # type: ignore[attr-defined]
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "DONE" and shot.movie == ""  # type: ignore[attr-defined]
    report = bpy.context.window_manager.multi_render.last_report
    assert "No movie of Cam_Green: " in report and "blocker" in report
    assert len(list((tmp_path / "frames").glob("*.png"))) == 3
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("shot.movie_path = '{shot}_{frame}'", "movie path: a movie has no single frame: leave {frame} out"),
        ("shot.movie_path = '{shto}'", "movie path: unknown token {shto}"),
        (
            "scene.render.image_settings.media_type = 'VIDEO'\nscene.render.image_settings.file_format = 'FFMPEG'",
            "Movie: the shot's file format writes a movie already (choose an image format)",
        ),
    ],
)
def test_a_movie_that_cannot_be_asked_for_is_named_before_rendering(
    scene: bpy.types.Scene, shot: object, tmp_path: Path, setup: str, message: str
) -> None:
    if "media_type" in setup and not hasattr(scene.render.image_settings, "media_type"):
        setup = setup.split("\n")[1]
    exec(setup, {"shot": shot, "scene": scene})  # the test's own line, not data
    with pytest.raises(RuntimeError) as raised:
        bpy.ops.multi_render.render_shots()
    assert f"Shot 1 'Cam_Green': {message}" in str(raised.value)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_stop_ends_the_encoding_blender_and_leaves_no_movie(tmp_path: Path) -> None:
    # 600 frames: seconds of encoding, after a second of starting.
    shot, waiting = settled_shots(tmp_path, "ST", 600)
    encodes = addon("results.movies").MovieEncodes(at_once=1)
    encodes.start_if_asked(shot)
    encodes.start_if_asked(waiting)  # one encoding Blender at a time: this one waits
    (running,) = encodes._running
    process = running.process
    assert encodes.busy == 2
    encodes.stop("stopped before it was made")
    assert process.exit_code is not None and encodes.busy == 0
    assert shot.movie_note == waiting.movie_note == "stopped before it was made"
    assert shot.movie_written == waiting.movie_written == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["f.png"]


def test_two_shots_making_the_same_movie_are_refused(scene: bpy.types.Scene, shot: object, tmp_path: Path) -> None:
    other = scene.multi_render.shots[1]
    other.enabled = True
    other.use_frame_range, other.frame_start, other.frame_end = True, 1, 2
    other.make_movie = True
    shot.movie_path = other.movie_path = str(tmp_path / "final")  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match=r"would write the same file '.*final\.mp4'"):
        bpy.ops.multi_render.render_shots()


def test_movies_waiting_for_an_encoding_blender_are_made_in_turn(tmp_path: Path) -> None:
    shots = settled_shots(tmp_path, "AB", 2)
    encodes = addon("results.movies").MovieEncodes(at_once=1)
    for shot in shots:
        encodes.start_if_asked(shot)
    assert len(encodes._running) == 1
    encodes.wait()
    assert [shot.movie_written for shot in shots] == [str(tmp_path / "A.mp4"), str(tmp_path / "B.mp4")]
    assert [read_back(tmp_path / f"{name}.mp4")[0] for name in "AB"] == [2, 2]
