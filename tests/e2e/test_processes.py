"""Render In: Background Process with several processes: each takes the
next shot when it is free; Stop ends every one; a process killed mid-shot
has its shot tried again on a new process while the others go on."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from setups import color_shots
from test_background_process import ADDON, SESSION, alive

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
ACTIVE = f"{SESSION}.active()"

SIX_SHOTS = (
    color_shots(6)
    + """
scenes.make_timed(scene, {seconds})
scenes.emit_object_colors(scene)
scene.multi_render.run_in = "BACKGROUND"
scene.multi_render.processes = 2
"""
)


def start(blender: BlenderApp, output: Path, seconds: float) -> None:
    blender.exec(SIX_SHOTS.format(output=str(output), seconds=seconds))
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")


def two_rendering(blender: BlenderApp) -> list[int]:
    """Wait until two shots render side by side; the two processes' ids."""
    blender.wait_until(f"sum(s.status == 'RENDERING' for s in shots) == 2 and len({ACTIVE}.process_ids) == 2", 90)
    pids: list[int] = blender.eval(f"{ACTIVE}.process_ids")
    assert len(set(pids)) == 2 and all(alive(pid) for pid in pids)
    return pids


def test_two_processes_render_six_shots_side_by_side(blender: BlenderApp, tmp_path: Path) -> None:
    output = tmp_path / "out"
    blender.exec("bpy.context.scene.multi_render.contact_sheet = True")
    start(blender, output, seconds=1.0)
    seen: set[int] = set()
    deadline = time.monotonic() + 180
    # Which process renders which shot, looked at until the run ends.
    while blender.eval(RUNNING):
        assert time.monotonic() < deadline, "the run did not end"
        rendering = blender.eval(
            f"[{ACTIVE}.process_id_of(i) for i, s in enumerate(shots) if s.status == 'RENDERING'] if {ACTIVE} else []"
        )
        seen.update(pid for pid in rendering if pid)
        time.sleep(0.2)
    assert len(seen) == 2, f"shots were rendered by processes {seen}"
    assert blender.eval(STATUSES) == ["DONE"] * 6
    cameras = blender.eval("[s.camera.name for s in shots]")
    for camera, path in zip(cameras, blender.eval("[s.output for s in shots]"), strict=True):
        assert blender.eval(f"scenes.wall_color({path!r})") == camera.removeprefix("Cam_")
    report = blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert report.startswith("Rendered 6 shots"), report
    # This Blender makes the contact sheet of both processes' shots.
    sheet = blender.eval("bpy.context.window_manager.multi_render.last_contact_sheet")
    assert "Contact sheet" in report and os.path.isfile(sheet)
    assert blender.eval("len(scene.multi_render.history)") == 1  # one run, one record
    assert not any(alive(pid) for pid in seen)
    # Each process's peak memory was measured: the next run's estimate of one.
    assert 30 < blender.eval("scene.multi_render.process_peak_mb") < 100_000


def test_processes_that_may_not_fit_in_memory_are_warned_about(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(SIX_SHOTS.format(output=str(tmp_path / "out"), seconds=0.2))
    blender.exec("scene.multi_render.process_peak_mb = 50_000_000  # as if a process had needed 50 TB")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=120)
    warning = "2 processes may need about 97656.2 GB of memory (48828.1 GB each)"
    assert warning in blender.log_text()  # the operator's report
    assert blender.eval(STATUSES) == ["DONE"] * 6  # a warning, not a refusal


def test_stop_ends_every_process(blender: BlenderApp, tmp_path: Path) -> None:
    start(blender, tmp_path / "out", seconds=0)  # no time limit: rendering until stopped
    pids = two_rendering(blender)
    # The panel's progress names both shots.
    blender.wait_until("bpy.context.window_manager.multi_render.progress_text.startswith('Shots 1, 2/6')", 20)
    # And a line for each process, with its id.
    lines = blender.eval("bpy.context.window_manager.multi_render.process_lines").splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Process 1 (pid {pids[0]})", f"Process 2 (pid {pids[1]})"]
    blender.exec("bpy.ops.multi_render.stop()")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert not any(alive(pid) for pid in pids)
    assert blender.eval(STATUSES) == ["CANCELLED"] * 2 + ["PENDING"] * 4
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_killed_process_has_its_shot_retried_and_the_other_never_stops(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(f"bpy.context.preferences.addons[{ADDON!r}].preferences.retries = 1")
    output = tmp_path / "out"
    start(blender, output, seconds=3.0)
    first, second = two_rendering(blender)
    killed = blender.eval(f"{ACTIVE}.process_id_of(1)")
    other = first if killed == second else second
    os.kill(killed, signal.SIGKILL)
    # A new process takes the shot again while the other one goes on.
    blender.wait_until(f"len({ACTIVE}.process_ids) == 2 and {killed} not in {ACTIVE}.process_ids", timeout=30)
    going_on = f"(a := {ACTIVE}) is None or a.run.finished or a.pool.all_given_out() or {other} in a.process_ids"
    while blender.eval(RUNNING):
        assert blender.eval(going_on), "the other process was stopped"
        time.sleep(0.3)
    assert blender.eval(STATUSES) == ["DONE"] * 6
    reason = blender.eval("scene.multi_render.history[0].shots[1].reason")
    assert "try 1: the background Blender was killed (signal 9)" in reason
    assert blender.eval("scenes.wall_color(shots[1].output)") == blender.eval("shots[1].camera.name")[4:]
