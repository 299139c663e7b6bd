"""The person keeps working while the queue runs: presses F12 or Ctrl+F12,
pauses and renders their own image, switches scene or workspace, picks
another camera, presses Ctrl+Z, moves the output folder away. The queue
renders each shot from its own camera into its own file, keeps what the
person chose for the window, and leaves the scene as it was."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from setups import PERMANENT_HANDLERS, THREE_SHOTS

from testkit.blender_app import BlenderApp, BlenderError

RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
NAMES = ["Cam_Blue.png", "Cam_Green.png", "Cam_Red.png"]
# The test counts every render Blender starts, the person's and the queue's.
COUNT_RENDERS = """
renders = []
bpy.app.handlers.render_init.append(lambda scene, _d=None: renders.append(scene.camera.name))
"""


def start(blender: BlenderApp, output: Path, seconds: float = 1.5, extra: str = "") -> None:
    blender.exec(
        THREE_SHOTS.format(output=str(output))
        + f"scenes.make_timed(scene, {seconds})\n"
        + COUNT_RENDERS
        + extra
        + "\nbefore = scenes.dump_scene(scene)"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")


def wait_for_shot(blender: BlenderApp, number: int) -> None:
    blender.wait_until(f"shots[{number - 1}].status == 'RENDERING' and bpy.app.is_job_running('RENDER')", timeout=30)


def assert_all_done_and_restored(blender: BlenderApp, output: Path, files: list[str] = NAMES) -> None:
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE"] * 3
    assert sorted(path.name for path in output.iterdir()) == files
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS


def test_f12_and_ctrl_f12_during_a_shot_start_nothing(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path)
    wait_for_shot(blender, 2)
    blender.key("F12")
    blender.key("ctrl+F12")
    assert_all_done_and_restored(blender, tmp_path)
    # Blender refused both while the shot rendered: three renders, one per shot.
    assert blender.eval("renders") == ["Cam_Blue", "Cam_Green", "Cam_Red"]
    # After the queue, F12 renders without saving, as before the queue (Blender
    # would otherwise remember the queue's write_still for it).
    blender.key("F12")
    blender.wait_until("len(renders) == 4 and not bpy.app.is_job_running('RENDER')", timeout=30)
    assert sorted(path.name for path in tmp_path.iterdir()) == NAMES


def test_while_paused_the_scene_is_the_persons_own_and_f12_renders_it(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path, extra="scene.camera = bpy.data.objects['Cam_Green']")
    wait_for_shot(blender, 1)
    blender.exec("bpy.ops.multi_render.pause_toggle()")
    blender.wait_until("bpy.context.window_manager.multi_render.progress_text.startswith('Paused before shot 2/3')")
    # Between shots nothing of a shot is applied: the person's camera and path.
    assert blender.eval("scenes.dump_scene(scene) == before")
    blender.key("F12")  # the person's own render of their own camera, not written
    blender.wait_until("bpy.app.is_job_running('RENDER')")
    blender.exec("bpy.ops.multi_render.pause_toggle()")  # resume while it renders: the queue waits for it
    assert_all_done_and_restored(blender, tmp_path)
    assert blender.eval("renders") == ["Cam_Blue", "Cam_Green", "Cam_Green", "Cam_Red"]


def test_switching_the_window_to_another_scene(
    blender: BlenderApp, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if blender.eval("bpy.app.version[:2] == (4, 3)"):
        # Debian trixie's 4.3.2 under Xvfb and llvmpipe died here with an X
        # error (GLXBadContext in X_GLXMakeCurrent) in some full runs, never
        # when run alone; only a crash counts as expected, any other failure
        # still fails.
        request.applymarker(
            pytest.mark.xfail(reason="Blender 4.3 GLXBadContext on a scene switch mid-render", raises=BlenderError)
        )
    # Blender sets up a scene's view layer the first time a window shows it:
    # show it once before the queue, so that only the queue could change it.
    blender.exec("other = bpy.data.scenes.new('Other'); bpy.context.window_manager.windows[0].scene = other")
    blender.wait_until("bpy.context.window_manager.windows[0].scene.name == 'Other'")
    blender.exec("bpy.context.window_manager.windows[0].scene = bpy.data.scenes['Scene']")
    start(blender, tmp_path, extra="other_before = scenes.dump_scene(other)")
    wait_for_shot(blender, 1)
    blender.exec("bpy.context.window_manager.windows[0].scene = other")
    assert_all_done_and_restored(blender, tmp_path)
    assert blender.eval("renders") == ["Cam_Blue", "Cam_Green", "Cam_Red"]  # all of the queue's scene
    assert blender.eval("bpy.context.window_manager.windows[0].scene.name") == "Other"  # the person's choice stays
    assert blender.eval("scenes.dump_scene(other) == other_before")


@pytest.mark.parametrize("display", ["NONE", "SCREEN"])
def test_switching_workspace(blender: BlenderApp, tmp_path: Path, display: str) -> None:
    start(blender, tmp_path, extra=f"bpy.context.preferences.view.render_display_type = {display!r}")
    wait_for_shot(blender, 1)
    blender.exec("bpy.context.window_manager.windows[0].workspace = bpy.data.workspaces['Shading']")
    assert_all_done_and_restored(blender, tmp_path)
    blender.wait_until("bpy.context.window_manager.windows[0].workspace.name == 'Shading'")
    assert blender.eval("len(bpy.context.window_manager.windows)") == 1


def test_picking_another_active_camera_mid_queue(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path)
    wait_for_shot(blender, 2)
    blender.exec("scene.camera = bpy.data.objects['Cam_Blue']")
    # Each shot still renders from its own camera, and the camera the scene
    # had before the queue is back at the end: the queue owns the camera
    # while it runs.
    assert_all_done_and_restored(blender, tmp_path)
    assert blender.eval("renders") == ["Cam_Blue", "Cam_Green", "Cam_Red"]


def test_ctrl_z_mid_queue(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path)
    wait_for_shot(blender, 2)
    blender.key("ctrl+z")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    # Nothing of the person's data changed, and the queue went on.
    assert blender.eval("[shot.status for shot in bpy.context.scene.multi_render.shots]") == ["DONE"] * 3
    assert sorted(path.name for path in tmp_path.iterdir()) == NAMES
    assert blender.eval("scenes.dump_scene(bpy.context.scene) == before")


def test_output_folder_renamed_away_mid_queue(blender: BlenderApp, tmp_path: Path) -> None:
    output = tmp_path / "out"
    start(blender, output)
    blender.wait_until("shots[0].status == 'DONE'", timeout=30)
    os.rename(output, tmp_path / "moved")
    # Blender makes the folder again for the next shots' files.
    assert_all_done_and_restored(blender, output, files=NAMES[1:])
    assert sorted(path.name for path in (tmp_path / "moved").iterdir()) == NAMES[:1]


def test_saving_during_a_shot_saves_the_persons_settings(blender: BlenderApp, tmp_path: Path) -> None:
    output = tmp_path / "out"
    # Shot 1 renders for 6 s (a property override), the others 1.5 s.
    longer = (
        "scene.camera = bpy.data.objects['Cam_Green']\n"
        "item = shots[0].property_overrides.add()\n"
        "item.data_path, item.value = f'bpy.data.scenes[{scene.name!r}].cycles.time_limit', '6'"
    )
    start(blender, output, extra=longer)
    wait_for_shot(blender, 1)  # Cam_Blue's shot is applied and rendering
    blend = tmp_path / "saved.blend"
    # In one step on Blender's main thread, where the queue cannot settle
    # the shot meanwhile: the save comes while the shot is on the scene.
    during, camera = blender.exec(
        "during = shots[0].status\n"
        f"bpy.ops.wm.save_as_mainfile(filepath={str(blend)!r})\n"
        "result = (during, scene.camera.name)"
    )
    assert during == "RENDERING", "shot 1 ended before the save could be made"
    assert camera == "Cam_Blue"  # the shot goes on as it was
    assert_all_done_and_restored(blender, output)
    assert blender.eval("renders") == ["Cam_Blue", "Cam_Green", "Cam_Red"]
    # The file holds the person's scene: their camera and output path.
    blender.exec(f"bpy.ops.wm.open_mainfile(filepath={str(blend)!r})")
    assert blender.eval("scenes.dump_scene(bpy.context.scene) == before")
    assert blender.eval("bpy.context.scene.camera.name") == "Cam_Green"


@pytest.mark.parametrize("display", ["WINDOW", "SCREEN", "AREA"])
def test_f12_after_a_queue_saves_nothing_in_every_display_mode(
    blender: BlenderApp, tmp_path: Path, display: str
) -> None:
    # Blender's own default is New Window: the render's modal then ends with
    # another window in front, and must still not keep the queue's write_still.
    start(blender, tmp_path, seconds=0.5, extra=f"bpy.context.preferences.view.render_display_type = {display!r}")
    assert_all_done_and_restored(blender, tmp_path)
    blender.key("F12")
    blender.wait_until("len(renders) == 4 and not bpy.app.is_job_running('RENDER')", timeout=30)
    assert sorted(path.name for path in tmp_path.iterdir()) == NAMES


def test_esc_that_closes_a_menu_mid_render_stops_the_queue(blender: BlenderApp, tmp_path: Path) -> None:
    # Blender cancels a render on any Esc, even one that closes a menu; the
    # menu takes the key before other handlers, and the queue must still
    # know it was the person (else it takes the cancel for an engine error).
    start(blender, tmp_path, seconds=0)  # no time limit: shot 1 renders until stopped
    wait_for_shot(blender, 1)
    blender.key("shift+a")  # the 3D Viewport's Add menu
    time.sleep(1.0)
    blender.key("Escape")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert blender.eval(STATUSES) == ["CANCELLED", "PENDING", "PENDING"]
    assert blender.eval("bpy.context.window_manager.multi_render.last_report").startswith(
        "Rendered 0 shots, 1 cancelled, 2 not started: cancelled"
    )
    assert list(tmp_path.iterdir()) == []


AUTOSAVE_MODULE = "__import__('sys').modules['bl_ext.user_default.multi_render.run.autosave']"
# What the test compares between the open scene and the autosave file.
SCENE_FACTS = (
    "{'objects': sorted(o.name for o in bpy.data.objects), 'camera': scene.camera.name, "
    "'filepath': scene.render.filepath, 'time_limit': round(scene.cycles.time_limit, 3), "
    "'file': bpy.data.filepath}"
)


def facts_of_file(path: str) -> dict[str, object]:
    """SCENE_FACTS of a .blend, read by a background Blender of its own."""
    code = f"import bpy, json; scene = bpy.data.scenes['Scene']; print('FACTS', json.dumps({SCENE_FACTS}))"
    blender_bin = os.environ.get("MULTI_RENDER_BLENDER", "blender")
    result = subprocess.run(
        [blender_bin, "-b", "--factory-startup", path, "--python-expr", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("FACTS "))
    return json.loads(line.removeprefix("FACTS "))  # type: ignore[no-any-return]


def test_the_queue_autosaves_between_shots(blender: BlenderApp, tmp_path: Path) -> None:
    """Blender never autosaves while a modal operator runs. With Auto Save
    every minute, a queue longer than that writes Blender's autosave file
    itself between shots: the person's change made during shot 1 is in it,
    no shot's settings are, and the open file stays the person's, unsaved."""
    output = tmp_path / "out"
    blend = tmp_path / "person.blend"
    # Shots 1 and 2 take 31 s each: the minute is over between shot 2 and shot 3.
    start_code = (
        THREE_SHOTS.format(output=str(output))
        + "scenes.make_timed(scene, 31)\n"
        + "scene.camera = bpy.data.objects['Cam_Green']\n"
        + "item = shots[2].property_overrides.add()\n"
        + "item.data_path, item.value = 'bpy.data.scenes[\"Scene\"].cycles.time_limit', '3.0'\n"
        + "prefs = bpy.context.preferences.filepaths\n"
        + "prefs.use_auto_save_temporary_files, prefs.auto_save_time = True, 1\n"
        + f"bpy.ops.wm.save_as_mainfile(filepath={str(blend)!r})\n"
    )
    blender.exec(start_code)
    autosave = Path(blender.eval(f"{AUTOSAVE_MODULE}.location()"))
    assert autosave.name == f"person_{blender.eval('os.getpid()')}_autosave.blend"
    autosave.unlink(missing_ok=True)
    recent = blender.profile / "config" / "recent-files.txt"
    recent_before = recent.read_text() if recent.exists() else None
    person = blender.eval(SCENE_FACTS)
    blender.exec("import time\nbpy.ops.multi_render.render_shots('INVOKE_DEFAULT')\nqueue_started = time.time()")
    wait_for_shot(blender, 1)
    # The person goes on working during shot 1 (an undo step, as an edit
    # in the editor makes: the file is now changed, as Blender counts it).
    blender.exec(
        "scene.collection.objects.link(bpy.data.objects.new('PersonsEdit', None))\n"
        "bpy.ops.ed.undo_push(message='Add PersonsEdit')"
    )
    assert blender.eval("bpy.data.is_dirty")
    try:
        blender.wait_until(f"os.path.exists({str(autosave)!r})", timeout=120)
        # Written between shots 2 and 3: shot 3 is what renders now.
        assert blender.eval("[shot.status for shot in shots]")[:2] == ["DONE", "DONE"]
        assert blender.eval(RUNNING)
        assert autosave.stat().st_mtime > blender.eval("queue_started")
        person["objects"] = sorted([*person["objects"], "PersonsEdit"])
        saved = facts_of_file(str(autosave))
        # The person's scene: their camera, output path and time limit; their
        # new object; no shot's camera, file path or property override.
        assert {key: value for key, value in saved.items() if key != "file"} == {
            key: value for key, value in person.items() if key != "file"
        }
        assert blender.wait_until(f"not {RUNNING}", timeout=60) is not None
        assert blender.eval(STATUSES) == ["DONE"] * 3
        # The open file is still the person's, with their change unsaved, and
        # the copy left no backup beside it and nothing in Recent Files.
        assert blender.eval("bpy.data.filepath") == str(blend)
        assert blender.eval("bpy.data.is_dirty")
        assert not autosave.with_suffix(".blend1").exists()
        assert not list(autosave.parent.glob(f"{blender.eval('os.getpid()')}_multi_render_autosave_partial*"))
        assert (recent.read_text() if recent.exists() else None) == recent_before
    finally:
        autosave.unlink(missing_ok=True)
