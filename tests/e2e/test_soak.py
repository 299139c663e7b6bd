"""The 200-shot soak (`make soak`, also part of `make test`): one queue of
200 shots over six cameras in the real GUI. Every file is checked (its
camera's wall colour and size), Blender's memory must not keep growing, and
the run's figures go to artifacts/soak.json for the README."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from setups import PERMANENT_HANDLERS

from testkit.blender_app import REPO, BlenderApp

SHOTS = int(os.environ.get("MULTI_RENDER_SOAK_SHOTS", "200"))
# Blender's resident memory grows by ~12 MB over the first ~100 shots while its
# caches fill, then by ~10 KiB a shot (measured up to 500 shots). From the
# 100th shot on it may grow this much: a leak of ~50 KiB a shot would exceed it.
GROWTH_LIMIT_MB = 5.0

SETUP = """
import os
from testkit import scenes
cameras = scenes.build_color_cameras(6, size=32)
scene = bpy.context.scene
scene.render.filepath = {output!r} + os.sep
bpy.context.preferences.view.render_display_type = "NONE"
shots = scene.multi_render.shots
shots.clear()
for number in range({count}):
    shot = shots.add()
    shot.name = f"shot_{{number:03d}}"
    shot.camera = bpy.data.objects[cameras[number % len(cameras)]]
before = scenes.dump_scene(scene)
"""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@pytest.mark.soak
def test_a_queue_of_200_shots(blender: BlenderApp, tmp_path: Path) -> None:
    assert SHOTS >= 40, "the soak measures memory from the 20th shot on: give it at least 40"
    blender.exec(SETUP.format(output=str(tmp_path), count=SHOTS))
    assert blender.process is not None
    pid = blender.process.pid
    started = time.monotonic()
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("shots[19].status == 'DONE'", timeout=120, interval=0.5)
    rss_at_20 = _rss_mb(pid)
    peak = rss_at_20
    series = []  # (shots done, resident MB)
    while blender.eval("bpy.context.window_manager.multi_render.is_running"):
        rss = _rss_mb(pid)
        peak = max(peak, rss)
        series.append((blender.eval("sum(shot.status == 'DONE' for shot in shots)"), round(rss, 1)))
        time.sleep(1.0)
        assert time.monotonic() - started < 600, "the soak took more than 10 minutes"
    seconds = time.monotonic() - started
    rss_at_end = _rss_mb(pid)

    assert blender.eval("[shot.status for shot in shots]") == ["DONE"] * SHOTS
    # Every file: the shot's own name, its camera's wall colour, the size.
    checked = blender.eval(
        "[(os.path.basename(shot.output), scenes.wall_color(shot.output), shot.camera.name[4:],"
        " tuple(scenes.image_size(shot.output))) for shot in shots]",
        timeout=300,
    )
    for number, (name, color, camera_color, size) in enumerate(checked):
        assert (name, color, size) == (f"shot_{number:03d}.png", camera_color, [32, 32]), number
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"shot_{n:03d}.png" for n in range(SHOTS)]
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS

    figures = {
        "shots": SHOTS,
        "seconds": round(seconds, 1),
        "seconds_per_shot": round(seconds / SHOTS, 3),
        "rss_mb_after_20": round(rss_at_20, 1),
        "rss_mb_peak": round(peak, 1),
        "rss_mb_end": round(rss_at_end, 1),
        "rss_mb_by_shots_done": series,
    }
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "soak.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("soak:", figures)
    rss_at_100 = next(rss for done, rss in series if done >= min(100, SHOTS // 2))
    assert rss_at_end - rss_at_100 < GROWTH_LIMIT_MB, figures
