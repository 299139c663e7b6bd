"""Other Files: .blend files rendered by background Blenders from the Render
Shots tab, without being opened here; one with shots renders its ticked
shots, one without what Ctrl+F12 would; a file that is not a .blend fails
before anything renders and the others go on; Stop ends the processes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from test_background_process import ADDON, alive

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.files_running"
ROWS = "[(r.status, r.result) for r in bpy.context.scene.multi_render.other_files]"
FILES_RUN = f"__import__('sys').modules['{ADDON}.run.other_files'].active()"

# Made in the test's Blender, then the file is emptied again: the list's
# files are never the open one.
MAKE_FILES = """
import bpy
from testkit import scenes
scenes.build_color_cameras(2, size=32)
scene = bpy.context.scene
scene.render.filepath = "//shots/"
bpy.ops.multi_render.shots_from_cameras()
{extra}
bpy.ops.wm.save_as_mainfile(filepath={with_shots!r}, copy=True)
scene.multi_render.shots.clear()
scene.camera = bpy.data.objects["Cam_Red"]
scene.frame_start, scene.frame_end = 1, 2
scene.render.filepath = "//frames/f_"
bpy.ops.wm.save_as_mainfile(filepath={without_shots!r}, copy=True)
bpy.ops.wm.read_homefile(use_empty=True)
bpy.context.preferences.view.render_display_type = "NONE"
"""


def add_files(blender: BlenderApp, folder: Path, names: list[str]) -> None:
    files = [{"name": name} for name in names]
    blender.exec(f"bpy.ops.multi_render.other_files_add(directory={str(folder) + os.sep!r}, files={files!r})")


def test_two_files_render_in_background_processes_and_a_bad_one_fails_first(
    blender: BlenderApp, tmp_path: Path
) -> None:
    with_shots, without_shots = tmp_path / "with_shots.blend", tmp_path / "without_shots.blend"
    blender.exec(MAKE_FILES.format(with_shots=str(with_shots), without_shots=str(without_shots), extra=""))
    (tmp_path / "notes.blend").write_text("not a .blend file")
    add_files(blender, tmp_path, ["with_shots.blend", "notes.blend", "without_shots.blend"])
    assert blender.eval("len(bpy.context.scene.multi_render.other_files)") == 3
    blender.exec("bpy.context.scene.multi_render.other_files[2].without_shots = 'ANIMATION'")
    blender.exec("bpy.context.scene.multi_render.processes = 2")
    blender.exec("bpy.ops.multi_render.render_other_files('INVOKE_DEFAULT')")
    # The file that is no .blend fails at once, before anything renders.
    assert blender.eval(ROWS)[1] == ["FAILED", f"{tmp_path / 'notes.blend'}: not a .blend file"]
    seen: set[int] = set()
    deadline = time.monotonic() + 180
    while blender.eval(RUNNING):
        assert time.monotonic() < deadline, "the files did not finish"
        seen.update(blender.eval(f"{FILES_RUN}.process_ids if {FILES_RUN} else []"))
        time.sleep(0.1)
    rows = blender.eval(ROWS)
    assert rows[0][0] == "DONE" and rows[0][1] == "2 shots done, 2 files", rows
    assert rows[2] == ["DONE", "1 shot done, 2 files"], rows
    assert sorted(p.name for p in (tmp_path / "shots").iterdir()) == ["Cam_Green.png", "Cam_Red.png"]
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == ["f_0001.png", "f_0002.png"]
    assert (
        blender.eval("scenes.wall_color(bpy.path.abspath(" + repr(str(tmp_path / "shots" / "Cam_Red.png")) + "))")
        == "Red"
    )
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert report == "Rendered 2 of 3 files, 1 failed", report
    # Never opened here; each was its own process, and none is left.
    assert blender.eval("bpy.data.filepath") == ""
    assert len(seen) >= 2 and not any(alive(pid) for pid in seen)


def test_stop_ends_the_processes_and_leaves_the_rest_pending(blender: BlenderApp, tmp_path: Path) -> None:
    with_shots, without_shots = tmp_path / "with_shots.blend", tmp_path / "without_shots.blend"
    slow = "scenes.make_timed(scene, 0)"  # Cycles without a time limit: renders until stopped
    blender.exec(MAKE_FILES.format(with_shots=str(with_shots), without_shots=str(without_shots), extra=slow))
    add_files(blender, tmp_path, ["with_shots.blend", "without_shots.blend"])
    blender.exec("bpy.ops.multi_render.render_other_files('INVOKE_DEFAULT')")
    blender.wait_until(f"{ROWS}[0][0] == 'RENDERING' and {FILES_RUN}.process_ids", timeout=60)
    pid = blender.eval(f"{FILES_RUN}.process_ids[0]")
    # The render's own progress shows on its row.
    progress = blender.wait_until(f"'Sample' in {ROWS}[0][1] and {ROWS}[0][1]", timeout=60)
    assert progress.startswith(("Sample ", "Frame 1: Sample ")), progress  # 5.x says no frame
    blender.exec("bpy.ops.multi_render.stop_other_files()")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert not alive(pid)
    assert blender.eval(ROWS) == [["CANCELLED", "stopped"], ["PENDING", ""]]
    assert blender.eval("bpy.context.window_manager.multi_render.last_report") == "Rendered 0 of 2 files, stopped"
