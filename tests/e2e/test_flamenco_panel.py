"""Flamenco from Blender's window, on a real farm: a Manager and a Worker
from ../shared/flamenco (or $FLAMENCO_DIR; tools/dev.sh shows it inside the
Blender root) on 127.0.0.1, the Worker rendering with this session's
Blender and profile. Submitted through F3 and the dialog, the shot list
follows the job while Blender stays free; Stop cancels the job on the
Manager."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit import flamenco_farm
from testkit.blender_app import BlenderApp, BlenderError
from testkit.flamenco_farm import Farm, started_farm

BLENDER = os.environ.get("MULTI_RENDER_BLENDER", "blender")
pytestmark = pytest.mark.skipif(not flamenco_farm.available(), reason=flamenco_farm.MISSING)

# Three stills on shared storage, the Manager in the preferences, and a
# record of every change the list and the panel show (kept by a timer).
SETUP = """
import os
import sys
from testkit import scenes
follow = sys.modules[next(name for name in sys.modules if name.endswith("farm.flamenco_follow"))]
shots = scenes.build_farm_scene(3)
for shot in shots:
    shot.status = "DONE"  # an earlier run's: the job's own statuses replace it
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
bpy.context.preferences.system.use_online_access = True  # Blender's rule: off in a new profile
addon = next(name for name in bpy.context.preferences.addons.keys() if name.endswith("multi_render"))
bpy.context.preferences.addons[addon].preferences.flamenco_manager_url = {url!r}
seen = []
def record():
    runtime = bpy.context.window_manager.multi_render
    now = [[shot.status for shot in bpy.context.scene.multi_render.shots], runtime.farm_name + ": " + runtime.farm_text,
           runtime.last_report]
    if not seen or seen[-1] != now:
        seen.append(now)
    return 0.05
bpy.app.timers.register(record)
"""
FOLLOWING = "bpy.context.window_manager.multi_render.farm_job != ''"
ENDED = "bpy.context.window_manager.multi_render.last_report.startswith('Flamenco job')"


def _run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory, profile: Path) -> Iterator[Farm]:
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(profile)}
    job_types = tmp_path_factory.mktemp("job-types")
    saved = _run(BLENDER, "-c", "multi_render", "flamenco-job-type", str(job_types), env=env)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    with started_farm(tmp_path_factory.mktemp("flamenco") / "farm", BLENDER, job_types, env) as running:
        yield running


def _f3(blender: BlenderApp, name: str, screenshot: str, effect: str = "") -> None:
    """F3, the name, Return; with `effect`, wait for it, and on a busy
    machine whose search popup came late, close what is open and try once
    more, as a person would."""
    for attempt in range(2):
        blender.key("F3")
        time.sleep(0.8)
        blender.type_text(name)
        time.sleep(1.0)
        blender.screenshot(screenshot)
        blender.xdotool("key", "Return")
        if not effect:
            return
        try:
            blender.wait_until(effect, timeout=10)
            return
        except BlenderError:
            if attempt == 1:
                raise
            blender.xdotool("key", "Escape")
            time.sleep(0.5)


def test_submitted_from_blender_the_list_follows_the_job(blender: BlenderApp, farm: Farm) -> None:
    project = farm.shared / "gui"
    project.mkdir()
    blender.exec(SETUP.format(blend=str(project / "product.blend"), url=farm.url))
    _f3(blender, "Submit Shots to Flamenco", "f3-submit")
    time.sleep(1.0)
    blender.screenshot("submit-dialog")
    blender.xdotool("key", "Return")  # the dialog's OK
    blender.wait_until(FOLLOWING, timeout=30)
    blender.open_render_shots_tab()
    blender.screenshot("following")
    blender.wait_until(ENDED, timeout=300)
    seen = blender.eval("seen")
    assert blender.eval("bpy.context.window_manager.multi_render.last_report") == (
        "Flamenco job 'product shots' completed"
    )
    assert blender.eval("[shot.status for shot in bpy.context.scene.multi_render.shots]") == ["DONE"] * 3
    assert blender.eval("bpy.context.window_manager.multi_render.farm_job") == ""
    # The earlier run's DONE became PENDING at submission, then the job's statuses.
    submitted = next(at for at, (statuses, _text, _report) in enumerate(seen) if statuses == ["PENDING"] * 3)
    assert seen[submitted][1] == "product shots: submitted (3 tasks)"
    assert any(text.startswith("product shots: ") and " steps" in text for _s, text, _r in seen)
    assert sorted(path.name for path in (project / "renders").iterdir()) == [
        "Cam_Blue.png",
        "Cam_Green.png",
        "Cam_Red.png",
    ]
    assert blender.eval("follow.following() is None and not bpy.app.timers.is_registered(follow._show)")


def test_stop_cancels_the_job_on_the_manager(blender: BlenderApp, farm: Farm) -> None:
    project = farm.shared / "stop"
    project.mkdir()
    blender.exec(SETUP.format(blend=str(project / "slow.blend"), url=farm.url))
    # A render that cannot end on its own: only the cancel ends it.
    blender.exec(
        "scenes.make_slow(bpy.context.scene)\nbpy.ops.wm.save_mainfile()\n"
        "bpy.ops.multi_render.submit_flamenco('EXEC_DEFAULT')"
    )
    blender.wait_until(FOLLOWING, timeout=30)
    job = blender.eval("follow.following().job.job_id")
    blender.wait_until("'RENDERING' in [shot.status for shot in bpy.context.scene.multi_render.shots]", timeout=120)
    _f3(
        blender,
        "Stop Flamenco Job",
        "f3-stop",
        effect="follow.following() is None or follow.following()._cancel_asked",
    )
    blender.wait_until(ENDED, timeout=120)
    assert blender.eval("bpy.context.window_manager.multi_render.last_report") == "Flamenco job 'slow shots' canceled"
    assert farm.get(f"/api/v3/jobs/{job}")["status"] == "canceled"
    # The rendering task and the queued ones: all cancelled with the job.
    assert blender.eval("[shot.status for shot in bpy.context.scene.multi_render.shots]") == ["CANCELLED"] * 3
    assert not (project / "renders").exists()
