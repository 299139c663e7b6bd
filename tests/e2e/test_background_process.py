"""Render In: Background Process. The queue renders a saved copy in a
separate Blender while the person keeps working in this one: edits, their
own F12 render, a save. The files, statuses and times are those of the
in-Blender queue; Stop, quitting and a killed process leave no process
and no unfinished file behind. And one queue over every scene, both ways."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from setups import PERMANENT_HANDLERS, THREE_SHOTS

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
OUTPUTS = "[shot.output for shot in shots]"
ADDON = "bl_ext.user_default.multi_render"
SESSION = f"__import__('sys').modules['{ADDON}.run.session']"
CHILD_PID = f"{SESSION}.active().process_ids[0]"

# Three shots saved in a .blend: an absolute output, a "//" one and a
# templated one; `{mode}` is THIS_BLENDER or BACKGROUND.
SAVED_SHOTS = (
    THREE_SHOTS
    + """
scenes.make_timed(scene, {seconds})
shots[0].filepath = {absolute!r}
shots[1].filepath = "//renders/{{shot}}_rel"
shots[2].filepath = "{{scene}}_{{shot}}_{{index}}"
scene.multi_render.run_in = {mode!r}
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
before = scenes.dump_scene(scene)
"""
)


def start(blender: BlenderApp, tmp_path: Path, mode: str, seconds: float = 1.5) -> None:
    (tmp_path / "work").mkdir()
    blender.exec(
        SAVED_SHOTS.format(
            output=str(tmp_path / "out"),
            seconds=seconds,
            absolute=str(tmp_path / "absolute" / "{shot}"),
            blend=str(tmp_path / "work" / "shots.blend"),
            mode=mode,
        )
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def wait_for_child_shot(blender: BlenderApp, number: int) -> int:
    blender.wait_until(f"shots[{number - 1}].status == 'RENDERING'", timeout=60)
    pid = int(blender.eval(CHILD_PID))
    assert alive(pid)
    return pid


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_the_person_works_on_while_a_background_process_renders(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path, "BACKGROUND", seconds=2.5)
    pid = wait_for_child_shot(blender, 1)
    copy_folder = Path(blender.eval(f"{SESSION}.active()._folder"))
    assert copy_folder.is_dir()
    assert blender.eval("bpy.context.window_manager.multi_render.progress_text").startswith("Shot 1/3: Cam_Blue")
    # The person edits the scene, renders their own image and saves, while
    # the process renders: none of it reaches the queue's copy.
    # (A shorter render for the person's own, so that it ends before the queue.)
    blender.exec("bpy.ops.mesh.primitive_monkey_add(); scene.render.resolution_x = 48; scene.cycles.time_limit = 0.3")
    blender.key("F12")
    blender.wait_until("bpy.app.is_job_running('RENDER')", timeout=20)
    blender.wait_until("not bpy.app.is_job_running('RENDER')", timeout=60)
    assert blender.eval(RUNNING), "the person's render finished before the queue: make the shots longer"
    blender.exec("bpy.ops.wm.save_mainfile()")
    blender.wait_until(f"not {RUNNING}", timeout=120)
    assert not alive(pid)
    assert blender.eval(STATUSES) == ["DONE"] * 3
    background_outputs = blender.eval(OUTPUTS)
    assert background_outputs == [
        str(tmp_path / "absolute" / "Cam_Blue.png"),
        str(tmp_path / "work" / "renders" / "Cam_Green_rel.png"),  # "//": the person's .blend, not the copy
        str(tmp_path / "out" / "Scene_Cam_Red_3.png"),
    ]
    # 32 px wide: the copy's resolution, not the one the person set meanwhile.
    assert blender.eval(f"[bpy.data.images.load(p).size[0] for p in {background_outputs!r}]") == [32, 32, 32]
    assert blender.eval("all(s.last_seconds > 0 for s in shots)")
    assert blender.eval("bpy.context.window_manager.multi_render.last_report").startswith("Rendered 3 shots")
    # The person's file: their path, their object, their resolution.
    assert blender.eval("bpy.data.filepath") == str(tmp_path / "work" / "shots.blend")
    assert blender.eval("scene.render.resolution_x") == 48
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS
    assert not copy_folder.exists()  # the copy is gone

    # The in-Blender queue writes exactly the same files.
    for path in background_outputs:
        os.remove(path)
    blender.exec("scene.render.resolution_x = 32; scene.multi_render.run_in = 'THIS_BLENDER'")
    blender.exec("bpy.data.objects.remove(bpy.context.object)")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=120)
    assert blender.eval(STATUSES) == ["DONE"] * 3
    assert blender.eval(OUTPUTS) == background_outputs


def test_stop_ends_the_process_and_leaves_no_unfinished_file(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path, "BACKGROUND", seconds=30)
    pid = wait_for_child_shot(blender, 1)
    # The render's own progress, from the process's render statistics.
    blender.wait_until("' - Sample ' in bpy.context.window_manager.multi_render.progress_text", timeout=20)
    blender.exec("bpy.ops.multi_render.stop()")
    blender.wait_until(f"not {RUNNING}", timeout=20)
    assert not alive(pid)
    assert blender.eval(STATUSES) == ["CANCELLED", "PENDING", "PENDING"]
    assert not (tmp_path / "absolute").exists() or files_under(tmp_path / "absolute") == []
    assert "stopped" in blender.eval("bpy.context.window_manager.multi_render.last_report")


def test_a_killed_process_fails_its_shot_once_its_retries_ran_out(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(f"bpy.context.preferences.addons[{ADDON!r}].preferences.retries = 0")
    start(blender, tmp_path, "BACKGROUND", seconds=3)
    blender.wait_until("shots[0].status == 'DONE'", timeout=60)
    pid = wait_for_child_shot(blender, 2)
    os.kill(pid, signal.SIGKILL)
    blender.wait_until(f"not {RUNNING}", timeout=20)
    assert blender.eval(STATUSES) == ["DONE", "FAILED", "PENDING"]
    assert "was killed (signal 9)" in blender.eval("scene.multi_render.history[0].shots[1].reason")
    # Render Remaining picks up where the process died.
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', only_remaining=True)")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE", "DONE", "DONE"]


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("loading another file", "bpy.ops.wm.read_homefile()"),
        (
            "disabling the add-on",
            "import addon_utils; addon_utils.disable('bl_ext.user_default.multi_render', default_set=True)",
        ),
    ],
)
def test_file_load_and_disable_end_the_process(blender: BlenderApp, tmp_path: Path, how: str, code: str) -> None:
    start(blender, tmp_path, "BACKGROUND", seconds=30)
    pid = wait_for_child_shot(blender, 1)
    blender.exec(code)
    assert not alive(pid), how
    assert blender.eval("scenes.handlers_from('multi_render')") in (PERMANENT_HANDLERS, [])
    assert not (tmp_path / "absolute").exists() or files_under(tmp_path / "absolute") == []


def test_pause_holds_the_process_before_its_next_shot(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path, "BACKGROUND", seconds=3)
    wait_for_child_shot(blender, 1)
    blender.exec("bpy.ops.multi_render.pause_toggle()")
    blender.wait_until("shots[0].status == 'DONE'", timeout=30)
    blender.wait_until(
        "bpy.context.window_manager.multi_render.progress_text.startswith('Paused before shot 2/3')", timeout=10
    )
    blender.exec("import time; time.sleep(2)")
    assert blender.eval(STATUSES) == ["DONE", "PENDING", "PENDING"]  # held
    blender.exec("bpy.ops.multi_render.pause_toggle()")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE"] * 3


def test_quitting_blender_leaves_no_process(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path, "BACKGROUND", seconds=30)
    pid = wait_for_child_shot(blender, 1)
    assert blender.quit() == 0
    assert not alive(pid)


# Two scenes with two shots each: "-Night" (a name that reads like an
# option on a command line) is a linked copy of the first, made as a person
# makes one (a scene copied in Python has no user and would not be saved).
TWO_SCENES = """
import os
from testkit import scenes
scenes.build_color_cameras(2, size=32, engine={engine!r})
day = bpy.context.scene
day.render.filepath = {output!r} + os.sep
bpy.context.preferences.view.render_display_type = "NONE"
bpy.ops.multi_render.shots_from_cameras()
for shot in day.multi_render.shots:
    shot.filepath = "{{scene}}_{{shot}}"
bpy.ops.scene.new(type="LINK_COPY")
night = bpy.context.window.scene
night.name = "-Night"
bpy.context.window.scene = day
day.multi_render.run_in = night.multi_render.run_in = {mode!r}
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
before = [scenes.dump_scene(day), scenes.dump_scene(night)]
"""


def two_scenes(blender: BlenderApp, tmp_path: Path, mode: str, engine: str) -> None:
    blender.exec(
        TWO_SCENES.format(output=str(tmp_path / "out"), mode=mode, blend=str(tmp_path / "x.blend"), engine=engine)
    )


@pytest.mark.parametrize("mode", ["THIS_BLENDER", "BACKGROUND"])
def test_all_scenes_render_scene_by_scene(blender: BlenderApp, tmp_path: Path, mode: str) -> None:
    output = tmp_path / "out"
    two_scenes(blender, tmp_path, mode, "CYCLES")
    blender.exec("day.multi_render.contact_sheet = True; day.multi_render.contact_sheet_path = '//sheet.png'")
    assert blender.eval("[s.name for s in bpy.data.scenes]") == ["-Night", "Scene"]
    blender.exec(
        "try:\n    bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', all_scenes=True)\n"
        "except RuntimeError as error:\n    refused = str(error)"
    )
    statuses = "[[shot.status for shot in s.multi_render.shots] for s in bpy.data.scenes]"
    if mode == "THIS_BLENDER" and blender.eval("bpy.app.version < (4, 4, 0)"):
        # Blender 4.3 dies (GLXBadContext) soon after its interface renders
        # a scene that no window shows, the plain render operator too: refused
        # there before anything renders, with the way out.
        assert not blender.eval(RUNNING)
        assert blender.eval(statuses) == [["PENDING", "PENDING"], ["PENDING", "PENDING"]]
        assert "Scene '-Night': Blender 4.3" in blender.eval("refused")
        assert blender.eval("refused").strip().endswith("use Render In: Background Process")
        return
    blender.wait_until(f"not {RUNNING}", timeout=120)
    assert blender.eval(statuses) == [["DONE", "DONE"], ["DONE", "DONE"]]
    assert sorted(path.name for path in output.iterdir()) == [
        "-Night_Cam_Green.png",
        "-Night_Cam_Red.png",
        "Scene_Cam_Green.png",
        "Scene_Cam_Red.png",
    ]
    # One contact sheet of the whole run, as the starting scene asks.
    sheet = tmp_path / "sheet.png"
    assert blender.eval("bpy.context.window_manager.multi_render.last_contact_sheet") == str(sheet)
    assert blender.eval(f"tuple(bpy.data.images.load({str(sheet)!r}).size)")[0] > 2 * 32
    assert blender.eval("[scenes.dump_scene(day), scenes.dump_scene(night)] == before")
    # Each scene's history holds its own shots of the run.
    histories = "[[shot.name for shot in s.multi_render.history[0].shots] for s in bpy.data.scenes]"
    assert blender.eval(histories) == [["Cam_Green", "Cam_Red"], ["Cam_Green", "Cam_Red"]]
    assert blender.eval("bpy.context.window_manager.multi_render.last_report").startswith("Rendered 4 shots")


def test_esc_stops_it_over_the_panel_only(blender: BlenderApp, tmp_path: Path) -> None:
    blender.open_render_shots_tab()
    start(blender, tmp_path, "BACKGROUND", seconds=30)
    pid = wait_for_child_shot(blender, 1)
    height = blender.eval("bpy.context.window_manager.windows[0].height")
    # Esc over the viewport is the person's own (cancel a tool, close a menu).
    viewport = (blender.eval("area.x + 40"), height - blender.eval("area.y + area.height // 2"))
    blender.key("Escape", at=viewport)
    blender.key("Escape", at=viewport)
    assert blender.eval(RUNNING) and alive(pid)
    panel = (blender.eval("sidebar.x + sidebar.width // 2"), height - blender.eval("sidebar.y + sidebar.height // 2"))
    blender.key("Escape", at=panel)
    blender.wait_until(f"not {RUNNING}", timeout=20)
    assert not alive(pid)
    assert blender.eval(STATUSES) == ["CANCELLED", "PENDING", "PENDING"]


def test_all_scenes_from_a_scene_without_shots(blender: BlenderApp, tmp_path: Path) -> None:
    two_scenes(blender, tmp_path, "BACKGROUND", "CYCLES")
    blender.exec(
        "empty = bpy.data.scenes.new('Empty'); empty.multi_render.run_in = 'BACKGROUND'\n"
        "bpy.context.window.scene = empty"
    )
    blender.wait_until("bpy.context.window.scene.name == 'Empty'")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', all_scenes=True)")
    blender.wait_until(f"not {RUNNING}", timeout=120)
    statuses = "[[shot.status for shot in s.multi_render.shots] for s in bpy.data.scenes]"
    assert blender.eval(statuses) == [["DONE", "DONE"], [], ["DONE", "DONE"]]


def test_a_frame_list_and_its_movie_in_the_background_process(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(
        THREE_SHOTS.format(output=str(tmp_path / "out"))
        + "shots[1].use_frame_range, shots[1].frame_list = True, '1, 3-4, 9'\n"
        + "shots[1].make_movie = True\n"
        + "scene.multi_render.run_in = 'BACKGROUND'\n"
        + f"bpy.ops.wm.save_as_mainfile(filepath={str(tmp_path / 'shots.blend')!r})\n"
        + "before = scenes.dump_scene(scene)"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=120)
    assert blender.eval(STATUSES) == ["DONE"] * 3
    assert files_under(tmp_path / "out") == [
        "Cam_Blue.png",
        "Cam_Green.mp4",  # made by this Blender, from the frames the process wrote
        "Cam_Green_0001.png",
        "Cam_Green_0003.png",
        "Cam_Green_0004.png",
        "Cam_Green_0009.png",
        "Cam_Red.png",
    ]
    assert blender.eval("bpy.context.window_manager.multi_render.last_report").endswith(". 1 movie made")
    assert blender.eval("shots[1].movie") == str(tmp_path / "out" / "Cam_Green.mp4")
    assert blender.eval("scenes.dump_scene(scene) == before")
