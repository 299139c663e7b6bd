"""The queue kept for a resume, on Blender's side (run/queue_keeping.py):
where it lives, what it records as shots settle, which queues are offered,
and what a resume of one renders in the open file."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import bpy
import pytest
from conftest import MODULE

from testkit import scenes

keeping = importlib.import_module(f"{MODULE}.run.queue_keeping")
queue_file = importlib.import_module(f"{MODULE}.core.queue_file")
core_run = importlib.import_module(f"{MODULE}.core.run")
ShotStatus = importlib.import_module(f"{MODULE}.core.status").ShotStatus


@pytest.fixture
def folder() -> Path:
    """The add-on's queue folder, emptied."""
    path = Path(keeping.folder())
    for each in path.iterdir():
        each.unlink()
    return path


def saved_shots(scene: bpy.types.Scene, tmp_path: Path, count: int = 3) -> str:
    scenes.build_color_cameras(count, size=32)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    blend = str(tmp_path / "kept.blend")
    bpy.ops.wm.save_as_mainfile(filepath=blend)
    return blend


def test_the_queue_lives_in_the_extension_s_user_folder(folder: Path) -> None:
    profile = Path(os.environ["BLENDER_USER_RESOURCES"])
    assert folder.is_dir() and profile in folder.parents
    assert folder.parts[-4:] == (".user", "user_default", "multi_render", "queues")


def test_the_keeper_writes_on_each_change_and_discards_at_the_end(
    scene: bpy.types.Scene, tmp_path: Path, folder: Path
) -> None:
    blend = saved_shots(scene, tmp_path)
    run = core_run.QueueRun([(i, s.name, f"/r/{s.name}.png") for i, s in enumerate(scene.multi_render.shots)])
    for shot in run.shots:
        shot.scene = scene.name
    keeper = keeping.QueueKeeper.start(run.shots, "2026-11-29T13:02:11")
    path = Path(keeper.path)
    assert path.parent == folder and path.name == f"{os.getpid()}-20261129130211.queue.jsonl"
    kept = json.loads(path.read_text())
    assert kept["blend"] == blend and kept["owner"] == os.getpid()
    assert [shot["status"] for shot in kept["shots"]] == ["PENDING"] * 3
    before = path.read_text()
    keeper.note()  # nothing changed: nothing written
    assert path.read_text() == before
    run.shots[0].status = ShotStatus.DONE
    keeper.note(run.shots[0])
    # One line more, for that shot.
    assert path.read_text().startswith(before) and len(path.read_text().splitlines()) == 2
    first = queue_file.read(str(path)).shots[0]
    assert (first.status, first.output) == (ShotStatus.DONE, f"/r/{run.shots[0].name}.png")
    # Its own Blender runs: not offered.
    assert keeping.left_behind() == []
    keeper.discard()
    assert list(folder.iterdir()) == []


def test_an_unsaved_file_s_queue_is_not_kept(scene: bpy.types.Scene, folder: Path) -> None:
    run = core_run.QueueRun([(0, "a", "/r/a.png")])
    assert keeping.QueueKeeper.start(run.shots, "2026-11-29T13:02:11") is None
    assert list(folder.iterdir()) == []


def left_queue(folder: Path, blend: str, statuses: list[str], names: list[str]) -> str:
    path = folder / "999999999-1.queue.jsonl"  # no such process
    shots = [
        {"scene": "Scene", "index": index, "name": name, "status": status, "output": ""}
        for index, (name, status) in enumerate(zip(names, statuses, strict=True))
    ]
    path.write_text(
        json.dumps(
            {
                "format": "multi_render.queue",
                "version": 1,
                "blend": blend,
                "owner": 999999999,
                "started": "2026-11-29T13:02:11",
                "updated": 1796560931.5,
                "shots": shots,
            }
        )
    )
    return str(path)


def test_a_queue_left_behind_is_offered_and_a_resume_takes_its_unfinished_shots(
    scene: bpy.types.Scene, tmp_path: Path, folder: Path
) -> None:
    blend = saved_shots(scene, tmp_path)
    names = [shot.name for shot in scene.multi_render.shots]
    path = left_queue(folder, blend, ["DONE", "CANCELLED", "PENDING"], names)
    assert keeping.refresh_offers() == 1
    offer = bpy.context.window_manager.multi_render.queue_offers[0]
    assert (offer.path, offer.blend, offer.problem) == (path, blend, "")
    assert offer.text.startswith("A queue of 3 shots stopped at ") and offer.text.endswith("(1 done)")
    places, problems = keeping.resume_places(path)
    assert (places, problems) == ({"Scene": [1, 2]}, [])
    assert scene.multi_render.shots[0].status == "DONE"  # shown as the queue left it


def test_a_resume_of_another_file_or_a_changed_list_is_refused(
    scene: bpy.types.Scene, tmp_path: Path, folder: Path
) -> None:
    blend = saved_shots(scene, tmp_path)
    names = [shot.name for shot in scene.multi_render.shots]
    other = left_queue(folder, str(tmp_path / "other.blend"), ["DONE", "PENDING", "PENDING"], names)
    assert keeping.resume_places(other) == ({}, [f"The queue renders {tmp_path / 'other.blend'}, not the open file"])
    renamed = left_queue(folder, blend, ["DONE", "PENDING", "PENDING"], [names[0], "Gone", names[2]])
    assert keeping.resume_places(renamed)[1] == ["Shot 'Gone' of scene 'Scene' is no longer at place 2"]
    # Refused before anything renders: no status changed.
    assert [shot.status for shot in scene.multi_render.shots] == ["PENDING"] * 3
