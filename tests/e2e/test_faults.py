"""The queue under things going wrong while it runs (a start on the
reliability suite): the person changes the scene mid-queue, other add-ons'
handlers misbehave. Each time the scene ends as it was and nothing is left
behind."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from setups import PERMANENT_HANDLERS, THREE_SHOTS

from testkit.blender_app import BlenderApp

SETUP = THREE_SHOTS
RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
LEFT_BEHIND = "scenes.handlers_from('multi_render')"


def test_a_later_shots_camera_deleted_mid_queue_fails_that_shot_only(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(
        SETUP.format(output=str(tmp_path)) + "scenes.make_timed(scene, 2.0)\nbefore = scenes.dump_scene(scene)"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("bpy.app.is_job_running('RENDER') and shots[0].status == 'RENDERING'", timeout=20)
    # While shot 1 renders, the person deletes shot 2's camera (Cam_Green).
    blender.exec("bpy.data.objects.remove(bpy.data.objects['Cam_Green'])")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE", "FAILED", "DONE"]
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert "1 failed" in report and "has no camera" in report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Cam_Blue.png", "Cam_Red.png"]
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS


@pytest.mark.expect_traceback  # the other add-on's handler raises, and Blender prints it
def test_other_addons_handlers_that_raise_or_switch_the_camera(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(
        SETUP.format(output=str(tmp_path))
        + """
def other_addon_raises(scene, depsgraph=None):
    raise RuntimeError("another add-on's bug")
def other_addon_switches_camera(scene, depsgraph=None):
    scene.camera = bpy.data.objects["Cam_Red"]
bpy.app.handlers.render_pre.append(other_addon_raises)
bpy.app.handlers.render_post.append(other_addon_switches_camera)
before = scenes.dump_scene(scene)
"""
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE", "DONE", "DONE"]
    colors = blender.eval("[scenes.wall_color(shot.output) for shot in shots]")
    assert colors == ["Blue", "Green", "Red"]  # each shot with its own camera
    assert blender.eval("other_addon_raises in bpy.app.handlers.render_pre")
    assert blender.eval("other_addon_switches_camera in bpy.app.handlers.render_post")
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS


# A render engine of the test's own that reports an error, as a real engine
# does when it cannot render (out of memory, a missing device).
FAILING_ENGINE = """
class FailingEngine(bpy.types.RenderEngine):
    bl_idname = "TEST_FAILING"
    bl_label = "Failing"
    def render(self, depsgraph):
        self.report({"ERROR"}, "out of memory (a test engine)")
bpy.utils.register_class(FailingEngine)
"""


def test_an_engine_error_fails_that_shot_and_the_queue_goes_on(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(
        SETUP.format(output=str(tmp_path))
        + FAILING_ENGINE
        + "shots[1].use_engine = True; shots[1].engine = 'TEST_FAILING'\nbefore = scenes.dump_scene(scene)"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    # Blender cancels a render whose engine reported an error just as it does
    # for Esc; nobody pressed Esc, so the shot failed and the queue went on.
    # When the error comes before Blender's render operator has returned
    # (a busy machine), Blender hands it over at once, with the engine's words.
    assert blender.eval(STATUSES) == ["DONE", "FAILED", "DONE"]
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert report.startswith("Rendered 2 shots, 1 failed (")
    assert (
        "Cam_Green: the render was cancelled, not by Esc or the progress bar" in report
        or "Cam_Green: out of memory (a test engine)" in report
    ), report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Cam_Blue.png", "Cam_Red.png"]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS
    blender.wait_until("not bpy.context.window.modal_operators", timeout=5)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB disk of its own (the tests run as root in a private mount
    namespace, where a folder cannot be made unwritable with chmod)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> None:
    with contextlib.suppress(OSError), (disk / "filler").open("wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)


def _queue_on_disk(blender: BlenderApp, disk: Path) -> None:
    blender.exec(SETUP.format(output=str(disk)) + "scenes.make_timed(scene, 1.5)\nbefore = scenes.dump_scene(scene)")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("shots[0].status == 'DONE' and shots[1].status == 'RENDERING'", timeout=30)


def test_the_disk_filling_up_mid_queue_fails_the_shots_with_the_reason(blender: BlenderApp, small_disk: Path) -> None:
    _queue_on_disk(blender, small_disk)
    _fill(small_disk)
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE", "FAILED", "FAILED"]
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert "Cam_Green: no whole image was written at" in report and "the disk is full" in report
    # No empty or cut-off image is left where a shot's file should be.
    assert sorted(path.name for path in small_disk.iterdir()) == ["Cam_Blue.png", "filler"]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS


def test_the_folder_becoming_read_only_mid_queue_fails_the_shots_with_the_reason(
    blender: BlenderApp, small_disk: Path
) -> None:
    _queue_on_disk(blender, small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE", "FAILED", "FAILED"]
    reasons = blender.eval("[shot.name + ': ' + shot.status for shot in shots]")
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert f"the folder '{small_disk}' is not writable" in report, reasons
    assert sorted(path.name for path in small_disk.iterdir()) == ["Cam_Blue.png"]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS


def test_ten_thousand_shots_in_the_sidebar_start_and_stop(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(
        SETUP.format(output=str(tmp_path))
        + """
cameras = [shot.camera for shot in shots]
for number in range(10_000 - 3):
    shot = shots.add()
    shot.name = f"extra {number}"
    shot.camera = cameras[number % 3]
before = scenes.dump_scene(scene)
"""
    )
    blender.open_render_shots_tab()  # the list draws with 10,000 items
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("shots[2].status == 'DONE'", timeout=60)
    blender.key("Escape")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    statuses = blender.eval(STATUSES)
    done = statuses.count("DONE")
    assert 3 <= done < 10_000 and statuses[:done] == ["DONE"] * done
    assert set(statuses[done + 1 :]) == {"PENDING"}
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval(LEFT_BEHIND) == PERMANENT_HANDLERS
