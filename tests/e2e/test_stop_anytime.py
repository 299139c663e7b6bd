"""Esc and the progress bar's X at random moments (before the first render,
during one, between shots, during the last): each time the queue stops, the
scene is as it was, only whole images are left, and a new queue for the
remaining shots runs to the end. The moments come from a seeded generator:
MULTI_RENDER_FAULT_SEED picks another set, and a failure names its seed."""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from pathlib import Path

from setups import PERMANENT_HANDLERS, THREE_SHOTS

from testkit.blender_app import BlenderApp

SEED = int(os.environ.get("MULTI_RENDER_FAULT_SEED", "20261125"))
MOMENTS = 10  # per way of stopping: 20 in all
RUNNING = "bpy.context.window_manager.multi_render.is_running"
STATUSES = "[shot.status for shot in shots]"
# Status letters a stopped queue may show: shots done, then at most one
# cancelled (the render that was stopped), then shots not started.
STOPPED = re.compile(r"D*C?P*")


def _prepare(blender: BlenderApp, output: Path, seconds: float) -> None:
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir()
    blender.exec(
        f"scenes.make_timed(scene, {seconds})\n"
        "for shot in shots: shot.status = 'PENDING'\n"
        "before = scenes.dump_scene(scene)"
    )


def _check_stopped(blender: BlenderApp, output: Path, moment: str) -> None:
    blender.wait_until(f"not {RUNNING}", timeout=30)
    statuses = blender.eval(STATUSES)
    letters = "".join(status[0] for status in statuses)
    assert STOPPED.fullmatch(letters), f"{moment}: {statuses}"
    done = blender.eval("[os.path.basename(shot.output) for shot in shots if shot.status == 'DONE']")
    # Only whole images: a stopped render's unfinished file is gone.
    assert sorted(path.name for path in output.iterdir()) == sorted(done), moment
    assert blender.eval("scenes.dump_scene(scene) == before"), moment
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS, moment
    # Nothing of the queue is left listening in any window.
    blender.wait_until("not [op for w in bpy.context.window_manager.windows for op in w.modal_operators]", timeout=5)


def _finish_remaining(blender: BlenderApp, output: Path, moment: str) -> None:
    blender.exec(
        "scenes.make_timed(scene, 0.3); before = scenes.dump_scene(scene)\n"
        "for shot in shots: shot.property_overrides.clear()"
    )
    # Render Remaining, or (when Esc came after the last shot) everything again.
    blender.exec(
        "remaining = any(shot.status != 'DONE' for shot in shots)\n"
        "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT', only_remaining=remaining)"
    )
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert blender.eval(STATUSES) == ["DONE"] * 3, moment
    names = ["Cam_Blue.png", "Cam_Green.png", "Cam_Red.png"]
    assert blender.eval("[os.path.basename(shot.output) for shot in shots]") == names, moment
    assert sorted(path.name for path in output.iterdir()) == names, moment
    assert blender.eval("scenes.dump_scene(scene) == before"), moment


def test_esc_at_random_moments(blender: BlenderApp, tmp_path: Path) -> None:
    output = tmp_path / "out"
    blender.exec(THREE_SHOTS.format(output=str(output)))
    chance = random.Random(SEED)
    for number in range(MOMENTS):
        _prepare(blender, output, 1.0)
        # Three ~1-second renders with short gaps: anywhere from before the
        # first render starts to the end of the last one.
        delay = chance.uniform(0.0, 4.0)
        moment = f"Esc {number + 1} at {delay:.2f} s (seed {SEED})"
        blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        time.sleep(delay)
        blender.key("Escape")
        _check_stopped(blender, output, moment)
        # Three renders of about a second cannot all be done this early: an
        # Esc this soon must have stopped something.
        if delay < 2.5:
            assert blender.eval(STATUSES) != ["DONE"] * 3, moment
        _finish_remaining(blender, output, moment)


def test_progress_bar_x_at_random_moments(blender: BlenderApp, tmp_path: Path) -> None:
    output = tmp_path / "out"
    blender.exec(THREE_SHOTS.format(output=str(output)))
    chance = random.Random(SEED + 1)
    for number in range(MOMENTS):
        # The X only shows during a render: the shot it stops renders until
        # stopped (no time limit), so finding the X never races its end.
        _prepare(blender, output, 1.0)
        shot = chance.randrange(3)
        blender.exec(
            f"item = shots[{shot}].property_overrides.add()\n"
            "item.data_path, item.value = f'bpy.data.scenes[\"{scene.name}\"].cycles.time_limit', '0.0'"
        )
        delay = chance.uniform(0.0, 0.5)
        moment = f"X {number + 1} in shot {shot + 1} after {delay:.2f} s (seed {SEED})"
        blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        blender.wait_until(f"shots[{shot}].status == 'RENDERING' and bpy.app.is_job_running('RENDER')", timeout=30)
        time.sleep(delay)
        blender.click_render_x(f"shots[{shot}].status != 'RENDERING'")
        _check_stopped(blender, output, moment)
        expected = ["DONE"] * shot + ["CANCELLED"] + ["PENDING"] * (2 - shot)
        assert blender.eval(STATUSES) == expected, moment
        _finish_remaining(blender, output, moment)
