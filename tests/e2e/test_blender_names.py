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
