"""Every file as Blender names it, in the real GUI: stereo views, a movie,
# in a folder and (4.5+) a path variable in the scene's output, in This
Blender and in a Background Process, and the command line on a saved file.
The queue's statuses and listed files are compared with what Blender wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from setups import THREE_SHOTS
from test_cli import cli

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"

# Stereo (Individual files) on; shot 1 a still, shot 2 a range into a #
# folder, shot 3 off; on 4.5+ the scene's output holds a path variable.
STEREO_SHOTS = (
    THREE_SHOTS
    + """
scene.render.use_multiview = True
scene.render.views_format = "STEREO_3D"
scene.render.image_settings.views_format = "INDIVIDUAL"
if bpy.app.version >= (4, 5, 0):
    scene.render.filepath = {output!r} + "/{{resolution_x}}px/"
shots[1].filepath = "take_##/seq_"
shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, 1, 2
shots[2].enabled = False
scene.multi_render.run_in = {mode!r}
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
before = scenes.dump_scene(scene)
"""
)


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def expected_stereo(blender: BlenderApp) -> list[str]:
    folder = "32px/" if blender.eval("bpy.app.version >= (4, 5, 0)") else ""
    return sorted(
        [f"{folder}Cam_Blue_L.png", f"{folder}Cam_Blue_R.png"]
        + [f"{folder}take_##/seq_{frame:04d}{view}.png" for frame in (1, 2) for view in ("_L", "_R")]
    )


@pytest.mark.parametrize("mode", ["THIS_BLENDER", "BACKGROUND"])
def test_stereo_hashes_variables_and_a_movie(blender: BlenderApp, tmp_path: Path, mode: str) -> None:
    output = tmp_path / "out"
    blender.exec(STEREO_SHOTS.format(output=str(output), mode=mode, blend=str(tmp_path / "names.blend")))
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(RUNNING, timeout=30)
    blender.wait_until(f"not {RUNNING}", timeout=120)
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert blender.eval(STATUSES) == ["DONE", "DONE", "PENDING"], report
    assert files_under(output) == expected_stereo(blender)
    listed = blender.eval("[run.shots[0].files.split(chr(10)) for run in scene.multi_render.history][0]")
    assert [str(Path(path).relative_to(output)) for path in listed] == expected_stereo(blender)[:2]
    assert blender.eval("scenes.dump_scene(scene) == before")
    # The shot details preview the range's path, numbered by Blender (looked at).
    blender.exec("scene.multi_render.active_shot_index = 1")
    blender.open_render_shots_tab()
    blender.screenshot("range-shot-details")

    # Again: every view of each shot is there, so Skip Existing skips both.
    blender.exec("scene.multi_render.skip_existing = True")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING} and shots[1].status == 'SKIPPED'", timeout=120)
    assert blender.eval(STATUSES) == ["SKIPPED", "SKIPPED", "PENDING"]

    # A movie: the range shot writes one, the still is refused before anything renders.
    blender.exec(
        "scene.render.use_multiview = False\n"
        "if hasattr(scene.render.image_settings, 'media_type'): scene.render.image_settings.media_type = 'VIDEO'\n"
        "scene.render.image_settings.file_format = 'FFMPEG'\n"
        "scene.render.ffmpeg.format = 'MPEG4'; scene.render.ffmpeg.codec = 'H264'\n"
        "try:\n    bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')\n"
        "except RuntimeError as error:\n    refused = str(error)"
    )
    assert "Shot 1 'Cam_Blue': the file format FFMPEG writes a movie" in blender.eval("refused")
    assert not blender.eval(RUNNING)
    blender.exec("shots[0].enabled = False; bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING} and shots[1].status != 'SKIPPED'", timeout=120)
    assert blender.eval(STATUSES)[1] == "DONE"
    movie = Path(blender.eval("shots[1].output"))
    assert movie.name == "seq_0001-0002.mp4" and movie.parent.name == "take_##"
    assert blender.eval(f"bpy.data.movieclips.load({str(movie)!r}).frame_duration") == 2


MAKE_STEREO_BLEND = """
import bpy, os
from testkit import scenes
scenes.build_color_cameras(2, size=32)
scene = bpy.context.scene
scene.render.filepath = "//renders/"
scene.render.use_multiview = True
scene.render.image_settings.views_format = "INDIVIDUAL"
bpy.ops.multi_render.shots_from_cameras()
shots = scene.multi_render.shots
shots[1].filepath = "take_##/seq_"
shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, 3, 3
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def test_the_command_line_lists_blenders_names(tmp_path: Path, profile: Path, x_display: str) -> None:
    import json

    from test_cli import blender as run_blender

    blend = tmp_path / "stereo.blend"
    made = run_blender(profile, x_display, "-b", "--python-expr", MAKE_STEREO_BLEND.format(path=str(blend)))
    assert blend.is_file(), made.stdout + made.stderr
    result = cli(profile, x_display, "render", str(blend), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    renders = tmp_path / "renders"
    expected = ["Cam_Green_L.png", "Cam_Green_R.png", "take_##/seq_0003_L.png", "take_##/seq_0003_R.png"]
    assert files_under(renders) == expected
    document = json.loads("{" + result.stdout.partition("{")[2])  # after Blender's own log lines
    listed = [path for shot in document["shots"] for path in shot["files"]]
    assert sorted(str(Path(path).relative_to(renders)) for path in listed) == expected


# One range shot written as a movie, slow enough (Cycles, about a second a
# frame) to be stopped after its first frame reached the file.
MOVIE_SHOT = (
    THREE_SHOTS
    + """
scenes.make_timed(scene, 1.0)
if hasattr(scene.render.image_settings, "media_type"):
    scene.render.image_settings.media_type = "VIDEO"
scene.render.image_settings.file_format = "FFMPEG"
scene.render.ffmpeg.format = "MPEG4"; scene.render.ffmpeg.codec = "H264"
shots[0].use_frame_range, shots[0].frame_start, shots[0].frame_end = True, 1, 30
shots[1].enabled = shots[2].enabled = False
scene.multi_render.run_in = {mode!r}
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
"""
)


@pytest.mark.parametrize("mode", ["THIS_BLENDER", "BACKGROUND"])
def test_a_stopped_movie_is_removed(blender: BlenderApp, tmp_path: Path, mode: str) -> None:
    output = tmp_path / "out"
    blender.exec(MOVIE_SHOT.format(output=str(output), mode=mode, blend=str(tmp_path / "movie.blend")))
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    movie = output / "Cam_Blue_0001-0030.mp4"
    # Stopped once the movie holds a frame or more: it is cut short, not whole.
    blender.wait_until(f"os.path.getsize({str(movie)!r}) > 0 if os.path.exists({str(movie)!r}) else False", timeout=120)
    if mode == "THIS_BLENDER":
        blender.key("Escape")
    else:
        blender.exec("bpy.ops.multi_render.stop()")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES)[0] == "CANCELLED"
    blender.wait_until(f"not os.path.exists({str(movie)!r})", timeout=10)
    assert files_under(output) == []


def test_a_stereo_still_stopped_with_the_x_leaves_no_view(blender: BlenderApp, tmp_path: Path) -> None:
    """The progress bar's X writes the unfinished image, here one file per
    view: each is removed, not only the first."""
    output = tmp_path / "out"
    blender.exec(
        # No time limit: the shot renders until the X stops it.
        THREE_SHOTS.format(output=str(output)) + "scenes.make_timed(scene, 0)\n"
        "scene.render.use_multiview = True\n"
        "scene.render.image_settings.views_format = 'INDIVIDUAL'\n"
        "shots[1].enabled = shots[2].enabled = False\n"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("shots[0].status == 'RENDERING' and bpy.app.is_job_running('RENDER')", timeout=30)
    blender.click_render_x("shots[0].status != 'RENDERING'")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert blender.eval(STATUSES)[0] == "CANCELLED"
    blender.screenshot("stereo-still-stopped")
    assert files_under(output) == []


@pytest.mark.parametrize("mode", ["THIS_BLENDER", "BACKGROUND"])
def test_blend_variables_mean_the_persons_file(blender: BlenderApp, tmp_path: Path, mode: str) -> None:
    """{blend_dir} and {blend_name} (Blender 4.5+) name the person's .blend,
    also in a background process, which renders a copy saved elsewhere."""
    if not blender.eval("bpy.app.version >= (4, 5, 0)"):
        pytest.skip("path variables are Blender 4.5+; this GUI Blender is older")
    work = tmp_path / "work"
    work.mkdir()
    blender.exec(
        THREE_SHOTS.format(output=str(tmp_path / "unused"))
        + "scene.render.filepath = '{blend_dir}/renders_{blend_name}/'\n"
        + f"scene.multi_render.run_in = {mode!r}\n"
        + f"bpy.ops.wm.save_as_mainfile(filepath={str(work / 'product.blend')!r})\n"
        + "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')"
    )
    blender.wait_until(f"not {RUNNING} and shots[2].status != 'PENDING'", timeout=120)
    assert blender.eval(STATUSES) == ["DONE"] * 3
    assert files_under(work / "renders_product") == ["Cam_Blue.png", "Cam_Green.png", "Cam_Red.png"]
    assert blender.eval("[shot.output for shot in shots]") == [
        str(work / "renders_product" / name) for name in ("Cam_Blue.png", "Cam_Green.png", "Cam_Red.png")
    ]
