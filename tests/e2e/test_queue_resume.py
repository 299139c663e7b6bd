"""A queue survives its Blender: killed mid-queue (or quit), the next
Blender offers to finish it, and Resume renders only the shots that were
not finished, without touching the files of those that were."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from setups import color_shots
from test_background_process import ADDON, SESSION, alive

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.is_running"
OFFERS = "[(o.text, o.blend, o.problem, o.path) for o in bpy.context.window_manager.multi_render.queue_offers]"
STATUSES = "[s.status for s in bpy.context.scene.multi_render.shots]"
OUTPUTS = "[s.output for s in bpy.context.scene.multi_render.shots]"
KEEPING = f"__import__('sys').modules['{ADDON}.run.queue_keeping']"

FOUR_SHOTS = (
    color_shots(4)
    + """
scenes.make_timed(scene, {seconds})
scene.multi_render.run_in = {mode!r}
bpy.ops.wm.save_as_mainfile(filepath={blend!r})
"""
)


def queue_folder(profile: Path) -> Path:
    return profile / "extensions" / ".user" / "user_default" / "multi_render" / "queues"


def start_queue(blender: BlenderApp, tmp_path: Path, mode: str = "THIS_BLENDER") -> Path:
    blend = tmp_path / "work" / "four.blend"
    blend.parent.mkdir()
    blender.exec(FOUR_SHOTS.format(output=str(tmp_path / "out"), seconds=1.5, mode=mode, blend=str(blend)))
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    return blend


def kept_queue(profile: Path) -> dict:  # type: ignore[type-arg]
    """The kept queue, its change lines applied (JSON lines: the queue, then a line per change)."""
    files = list(queue_folder(profile).glob("*.queue.jsonl"))
    assert len(files) == 1, files
    first, *changes = files[0].read_text().splitlines()
    queue = json.loads(first)
    for line in changes:
        change = json.loads(line)
        queue["shots"][change["shot"]].update(status=change["status"], output=change["output"])
    return queue  # type: ignore[no-any-return]


def second_blender(blender: BlenderApp, *arguments: str) -> BlenderApp:
    """Another Blender of the same profile and display, as the person starts it again."""
    again = BlenderApp(blender.blender, blender.profile, blender.display, blender.workdir / "again")
    again.start(*arguments)
    return again


@pytest.mark.parametrize("mode", ["THIS_BLENDER", "BACKGROUND"])
def test_a_killed_blender_s_queue_is_offered_and_resume_renders_only_the_rest(
    blender: BlenderApp, tmp_path: Path, mode: str
) -> None:
    blend = start_queue(blender, tmp_path, mode)
    # Two shots done, the third rendering: Blender dies.
    blender.wait_until(f"{STATUSES}[:3] == ['DONE', 'DONE', 'RENDERING']", timeout=120)
    done = blender.eval(OUTPUTS)[:2]
    children = blender.eval(f"{SESSION}.active().process_ids") if mode == "BACKGROUND" else []
    kept = kept_queue(blender.profile)
    assert kept["blend"] == str(blend) and kept["owner"] == blender.process.pid  # type: ignore[union-attr]
    assert [shot["status"] for shot in kept["shots"]] == ["DONE", "DONE", "RENDERING", "PENDING"]
    os.kill(blender.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
    blender.process.wait(timeout=30)  # type: ignore[union-attr]
    # The processes of a background queue end when their Blender is gone.
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children):
        assert time.monotonic() < deadline, "a background process outlived its Blender"
        time.sleep(0.2)
    written = {path: os.stat(path).st_mtime_ns for path in done}

    again = second_blender(blender)  # no file: Resume opens the queue's
    try:
        again.wait_until(f"len({OFFERS}) == 1", timeout=30)
        text, offered_blend, problem, path = again.eval(OFFERS)[0]
        assert problem == "" and offered_blend == str(blend)
        assert text.startswith("A queue of 4 shots stopped at ") and text.endswith("(2 done)"), text
        time.sleep(1.0)  # the popup is drawn
        again.screenshot("offer")
        again.exec(f"bpy.ops.multi_render.queue_resume(path={path!r})")
        again.wait_until(f"bpy.data.filepath == {str(blend)!r}", timeout=30)
        again.wait_until(RUNNING, timeout=30)
        again.wait_until(f"not {RUNNING}", timeout=180)
        assert again.eval(STATUSES) == ["DONE"] * 4
        # The two resumed shots rendered; the two done ones were not touched.
        report = again.eval("bpy.context.window_manager.multi_render.last_report")
        assert report.startswith("Rendered 2 shots"), report
        assert {path: os.stat(path).st_mtime_ns for path in done} == written
        assert all(os.path.isfile(path) for path in again.eval(OUTPUTS))
        # Nothing is offered any more, and the resumed run's own file is gone.
        assert again.eval(f"len({OFFERS})") == 0
        assert not list(queue_folder(blender.profile).glob("*.queue.jsonl"))
    finally:
        again.quit()


def test_quitting_mid_queue_keeps_it_and_discard_forgets_it(blender: BlenderApp, tmp_path: Path) -> None:
    blend = start_queue(blender, tmp_path)
    blender.wait_until(f"{STATUSES}[0] == 'RENDERING'", timeout=120)
    blender.quit()
    assert [shot["status"] for shot in kept_queue(blender.profile)["shots"]][1:] == ["PENDING"] * 3
    again = second_blender(blender, str(blend))  # the queue's own file opened
    try:
        again.wait_until(f"len({OFFERS}) == 1", timeout=30)
        text, _blend, _problem, path = again.eval(OFFERS)[0]
        assert text.endswith("(0 done)"), text
        time.sleep(1.0)  # the popup, also when Blender opens with a file
        again.screenshot("offer-with-file")
        # Discard: the offer and the kept file are gone, nothing renders.
        again.exec(f"bpy.ops.multi_render.queue_discard(path={path!r})")
        assert again.eval(f"len({OFFERS})") == 0 and not again.eval(RUNNING)
        assert not os.path.exists(path)
    finally:
        again.quit()


def test_a_queue_that_ends_leaves_nothing_to_resume(blender: BlenderApp, tmp_path: Path) -> None:
    """Done, stopped, or ended by loading another file: no file is kept."""
    start_queue(blender, tmp_path)
    blender.wait_until(f"{STATUSES}[0] == 'RENDERING'", timeout=120)
    kept_queue(blender.profile)  # kept while it runs
    blender.exec("bpy.ops.multi_render.stop()")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert not list(queue_folder(blender.profile).glob("*.queue.jsonl"))
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"{STATUSES}[0] == 'RENDERING'", timeout=120)
    blender.exec("bpy.ops.wm.read_homefile()")
    blender.wait_until(f"not {RUNNING}", timeout=60)
    assert not list(queue_folder(blender.profile).glob("*.queue.jsonl"))


def test_a_damaged_or_foreign_queue_file_is_refused_with_a_message(blender: BlenderApp, tmp_path: Path) -> None:
    folder = queue_folder(blender.profile)
    folder.mkdir(parents=True, exist_ok=True)
    marker = tmp_path / "ran"
    (folder / "1-1.queue.jsonl").write_text('{"format": "multi_render.queue", "version": 1, "blend": "/x.blend"')
    (folder / "2-2.queue.jsonl").write_text(
        json.dumps({"format": "something.else", "code": f"open({str(marker)!r}, 'w')"})
    )
    blender.exec(f"{KEEPING}.refresh_offers()")
    offers = blender.eval(OFFERS)
    problems = sorted(problem for _text, _blend, problem, _path in offers)
    assert problems[0].startswith("not JSON (Expecting ','") and problems[1] == "not a multi_render queue", problems
    path = offers[0][3]
    resume = f"bpy.ops.multi_render.queue_resume(path={path!r})"
    blender.exec(f"try:\n    {resume}\nexcept RuntimeError as error:\n    said = str(error)")
    assert "Cannot resume: the queue file" in blender.eval("said")
    assert not blender.eval(RUNNING) and not marker.exists()
    for *_rest, path in offers:
        blender.exec(f"bpy.ops.multi_render.queue_discard(path={path!r})")
    assert blender.eval(f"len({OFFERS})") == 0
