"""Shots that differ in more than the camera, in the real GUI: overrides,
skip existing, Render Remaining, Pause and Resume."""

from __future__ import annotations

import os
import time
from pathlib import Path

from setups import PERMANENT_HANDLERS, THREE_SHOTS

from testkit.blender_app import BlenderApp

SETUP = THREE_SHOTS
START = "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')"
RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
REPORT = "bpy.context.window_manager.multi_render.last_report"


def run_queue(blender: BlenderApp, start: str = START, timeout: float = 60) -> str:
    blender.exec(start)
    blender.wait_until(f"not {RUNNING}", timeout=timeout)
    return blender.eval(REPORT)  # type: ignore[no-any-return]


def test_five_kinds_of_override_write_the_right_files(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    blender.exec(
        """
scenes.move_subject_away_at(5)
walls = scenes.walls_into_collection()
shots.add().name = "Range"
shots.add().name = "Hidden"
s = {shot.name: shot for shot in shots}
s["Cam_Blue"].use_frame, s["Cam_Blue"].frame = True, 5
s["Cam_Blue"].filepath = "{shot}_f{frame}"
s["Cam_Green"].use_resolution = True
s["Cam_Green"].resolution_x, s["Cam_Green"].resolution_y = 48, 24
s["Cam_Red"].use_engine, s["Cam_Red"].engine = True, "CYCLES"
s["Cam_Red"].use_samples, s["Cam_Red"].samples = True, 1
s["Range"].camera = bpy.data.objects["Cam_Blue"]
s["Range"].use_frame_range, s["Range"].frame_start, s["Range"].frame_end = True, 4, 6
s["Hidden"].camera = bpy.data.objects["Cam_Green"]
entry = s["Hidden"].collections.add()
entry.collection, entry.hidden = walls, True
before = scenes.dump_scene(scene)
"""
    )
    report = run_queue(blender)
    assert report.startswith("Rendered 5 shots"), report
    assert blender.eval(STATUSES) == ["DONE"] * 5
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert not blender.eval("walls.hide_render")
    files = sorted(p.name for p in tmp_path.glob("*.png"))
    assert files == [
        "Cam_Blue_f0005.png",
        "Cam_Green.png",
        "Cam_Red.png",
        "Hidden.png",
        "Range_0004.png",
        "Range_0005.png",
        "Range_0006.png",
    ]

    def check(expression: str) -> object:
        return blender.eval(expression.replace("FILE", repr(str(tmp_path) + os.sep)))

    # Frame 5: the subject has left, so the centre shows the wall.
    assert check("scenes.wall_color(FILE + 'Cam_Blue_f0005.png')") == "Blue"
    assert check("scenes.wall_color(FILE + 'Cam_Blue_f0005.png', at=(0.5, 0.5))") == "Blue"
    assert check("scenes.image_size(FILE + 'Cam_Green.png')") == [48, 24]
    assert check("scenes.wall_color(FILE + 'Cam_Red.png')") == "?"  # Cycles, not flat Workbench colour
    assert check("scenes.wall_color(FILE + 'Hidden.png')") == "?"  # no wall behind the subject
    # The range: frame 4 still shows the subject, frames 5 and 6 do not.
    centre = [check(f"scenes.wall_color(FILE + 'Range_000{n}.png', at=(0.5, 0.5))") for n in (4, 5, 6)]
    assert centre == ["?", "Blue", "Blue"]


def test_skip_existing_files(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    earlier = b"keep me: a whole PNG ends so IEND\xaeB`\x82"
    (tmp_path / "Cam_Green.png").write_bytes(earlier)
    blender.exec("scene.multi_render.skip_existing = True")
    report = run_queue(blender)
    assert report.startswith("Rendered 2 shots, 1 skipped")
    assert blender.eval(STATUSES) == ["DONE", "SKIPPED", "DONE"]
    assert (tmp_path / "Cam_Green.png").read_bytes() == earlier


TIMED_CYCLES = "\nscenes.make_timed(scene, 1.5)\n"


def escape_during(blender: BlenderApp, progress: str) -> None:
    """Start the queue and press Esc while the render whose progress text
    starts so runs (a timed Cycles render: it cannot end first)."""
    blender.exec(START)
    blender.wait_until(
        f"bpy.context.window_manager.multi_render.progress_text.startswith({progress!r})"
        " and bpy.app.is_job_running('RENDER')",
        timeout=60,
    )
    time.sleep(0.3)
    blender.key("Escape")
    blender.wait_until(f"not {RUNNING}", timeout=20)


def test_render_remaining_after_a_cancel(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)) + TIMED_CYCLES)
    escape_during(blender, "Shot 2/3")
    assert blender.eval(STATUSES) == ["DONE", "CANCELLED", "PENDING"]
    first = tmp_path / "Cam_Blue.png"
    first_written = first.stat().st_mtime_ns

    blender.exec("scene.render.engine = 'BLENDER_WORKBENCH'")
    report = run_queue(blender, "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', only_remaining=True)")
    assert report.startswith("Rendered 2 shots")
    assert blender.eval(STATUSES) == ["DONE", "DONE", "DONE"]
    assert first.stat().st_mtime_ns == first_written  # not rendered again


def test_a_frame_list_stopped_in_its_second_render_goes_on_from_there(blender: BlenderApp, tmp_path: Path) -> None:
    # Frames 2, 4, 5 and 9: two animation renders (2-4 by 2, then 5-9 by 4).
    blender.exec(SETUP.format(output=str(tmp_path)) + TIMED_CYCLES)
    blender.exec("shots[1].use_frame_range, shots[1].frame_list = True, '2, 4-5, 9'")
    blender.exec("scene.multi_render.skip_existing = True")
    escape_during(blender, "Shot 2/3: Cam_Green (part 2/2)")
    assert blender.eval(STATUSES) == ["DONE", "CANCELLED", "PENDING"]
    first_part = [tmp_path / "Cam_Green_0002.png", tmp_path / "Cam_Green_0004.png"]
    written = [path.stat().st_mtime_ns for path in first_part]
    assert not (tmp_path / "Cam_Green_0009.png").exists()

    blender.exec("scene.render.engine = 'BLENDER_WORKBENCH'\nbefore = scenes.dump_scene(scene)")
    report = run_queue(blender, "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', only_remaining=True)")
    assert report.startswith("Rendered 2 shots"), report
    assert blender.eval(STATUSES) == ["DONE", "DONE", "DONE"]
    # Skip Existing started the list at its second render: the first one's files were kept.
    assert [path.stat().st_mtime_ns for path in first_part] == written
    names = sorted(path.name for path in tmp_path.glob("Cam_Green_*.png"))
    assert names == ["Cam_Green_0002.png", "Cam_Green_0004.png", "Cam_Green_0005.png", "Cam_Green_0009.png"]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval("(scene.frame_start, scene.frame_end, scene.frame_step)") == [1, 250, 1]


def test_a_movie_is_made_while_the_queue_goes_on(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    blender.exec(
        "shots[0].use_frame_range, shots[0].frame_start, shots[0].frame_end = True, 1, 4\n"
        "shots[0].make_movie = True\nscene.render.fps = 30\nbefore = scenes.dump_scene(scene)"
    )
    report = run_queue(blender)
    assert report.startswith("Rendered 3 shots") and report.endswith(". 1 movie made"), report
    movie = tmp_path / "Cam_Blue.mp4"
    assert blender.eval("shots[0].movie") == str(movie)
    read_back = (
        f"clip = bpy.data.movieclips.load({str(movie)!r})\n"
        "result = [clip.frame_duration, list(clip.size), clip.fps]\nbpy.data.movieclips.remove(clip)"
    )
    assert blender.exec(read_back) == [4, [32, 32], 30.0]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS


def test_pause_holds_the_queue_and_resume_goes_on(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)) + TIMED_CYCLES)
    blender.exec(START)
    blender.wait_until("bpy.app.is_job_running('RENDER')", timeout=20)
    blender.exec("bpy.ops.multi_render.pause_toggle()")
    blender.wait_until("shots[0].status == 'DONE'", timeout=20)
    time.sleep(2.0)  # four ticks: nothing starts while paused
    assert blender.eval(STATUSES) == ["DONE", "PENDING", "PENDING"]
    assert not blender.eval("bpy.app.is_job_running('RENDER')")
    assert blender.eval("bpy.context.window_manager.multi_render.progress_text") == "Paused before shot 2/3: Cam_Green"
    blender.screenshot("paused")
    blender.exec("scene.render.engine = 'BLENDER_WORKBENCH'")
    blender.exec("bpy.ops.multi_render.pause_toggle()")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert blender.eval(STATUSES) == ["DONE", "DONE", "DONE"]


def test_stop_while_paused_ends_cleanly(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)) + "before = scenes.dump_scene(scene)")
    blender.exec(START + "\nbpy.ops.multi_render.pause_toggle()")
    blender.wait_until("'Paused' in bpy.context.window_manager.multi_render.progress_text", timeout=20)
    blender.key("Escape")
    blender.wait_until(f"not {RUNNING}", timeout=10)
    statuses = blender.eval(STATUSES)
    assert statuses[-1] == "PENDING" and "RENDERING" not in statuses
    assert blender.eval(REPORT).endswith(")") and "cancelled" in blender.eval(REPORT)
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS
