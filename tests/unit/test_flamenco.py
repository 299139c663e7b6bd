"""Flamenco jobs as plain data: the job body for the multi-render job type
(tasks grouped and chunked as the OpenJD bundle's), the job type's version
check, and the shots a failed task's log names."""

import json

import pytest

from multi_render.core import flamenco
from multi_render.core.farm import BundleOptions, FarmShot, farm_tasks, names_value
from multi_render.core.status import ShotStatus

SETTINGS = flamenco.JobSettings("/shared/job/farm.blend", "/work/farm.blend", "Scene", "farm shots", type_etag="e1")
SHOTS = [FarmShot("A"), FarmShot("B, with {braces}"), FarmShot("C"), FarmShot("Spin", (1, 2, 3, 4, 5))]


def test_tasks_group_shots_and_chunk_ranges_like_the_bundle() -> None:
    tasks = farm_tasks(SHOTS, BundleOptions(shots_per_task=2, frames_per_task=2))
    assert [(json.loads(task.shots), task.frames) for task in tasks] == [
        (["A", "B, with {braces}"], ""),
        (["C"], ""),
        (["Spin"], "1-2"),
        (["Spin"], "3-4"),
        (["Spin"], "5"),
    ]
    assert "{" not in tasks[0].shots  # no name can look like a {variable} to the Manager
    stepped = farm_tasks([FarmShot("S", (1, 3, 5, 7, 9))], BundleOptions(frames_per_task=2))
    assert [task.frames for task in stepped] == ["1, 3", "5, 7", "9"]


def test_the_job_body_carries_every_task_and_setting() -> None:
    options = BundleOptions(started="2026-11-29T10:00:00", skip_existing=True)
    body = flamenco.job(SETTINGS, farm_tasks(SHOTS, options), options)
    assert body["type"] == "multi-render" and body["type_etag"] == "e1" and body["priority"] == 50
    settings = body["settings"]
    assert settings["job_type_version"] == flamenco.JOB_TYPE_VERSION
    assert settings["blendfile"] == "/shared/job/farm.blend" and settings["as_file"] == "/work/farm.blend"
    assert settings["started"] == "2026-11-29T10:00:00" and settings["skip_existing"] is True
    assert json.loads(settings["tasks"]) == [
        [names_value(["A"]), ""],
        [names_value(["B, with {braces}"]), ""],
        [names_value(["C"]), ""],
        [names_value(["Spin"]), ""],
    ]
    assert all(isinstance(value, str) for value in body["metadata"].values())


def test_no_shot_or_bad_options_send_nothing() -> None:
    with pytest.raises(ValueError, match="no ticked shot"):
        flamenco.job(SETTINGS, farm_tasks([], BundleOptions()), BundleOptions())
    with pytest.raises(ValueError, match="shots per task"):
        farm_tasks(SHOTS, BundleOptions(shots_per_task=0))


def test_the_managers_job_type_must_be_this_version() -> None:
    current = {"name": "multi-render", "settings": [{"key": "job_type_version", "default": flamenco.JOB_TYPE_VERSION}]}
    assert flamenco.job_type_problem(current) == ""
    assert "has no 'multi-render' job type" in flamenco.job_type_problem(None)
    older = {"settings": [{"key": "job_type_version", "default": flamenco.JOB_TYPE_VERSION - 1}]}
    assert f"is version {flamenco.JOB_TYPE_VERSION - 1}" in flamenco.job_type_problem(older)
    assert "is version None" in flamenco.job_type_problem({"settings": [{"key": "blendfile"}]})


def test_the_shipped_job_type_file_has_this_version() -> None:
    from pathlib import Path

    script = (Path(flamenco.__file__).parents[1] / "farm" / flamenco.JOB_TYPE_FILE).read_text()
    assert f'key: "job_type_version", type: "int32", default: {flamenco.JOB_TYPE_VERSION},' in script


def test_failed_shots_are_read_from_a_task_log() -> None:
    log = (
        "2026-11-29T10:00:00Z task changed status queued -> active\n"
        "pid=4321 > DONE      A  /shared/out/A.png  0.52 s\n"
        "pid=4321 > FAILED    B, with {braces}  no whole image was written at '/x'  0.10 s\n"
        "pid=4321 > CANCELLED C    0.00 s\n"
    )
    assert flamenco.shot_failures(log) == ["B, with {braces}: no whole image was written at '/x'", "C"]
    checked = "pid=9 > multi_render: Cannot render shots: Shot 1 'A': the folder '/s/r' cannot be created\n"
    assert flamenco.shot_failures(checked) == ["Shot 1 'A': the folder '/s/r' cannot be created"]
    several = "pid=9 > multi_render: Cannot render shots (2 problems): Shot 1 'A': x; Shot 2 'B': y\n"
    assert flamenco.shot_failures(several) == ["Shot 1 'A': x; Shot 2 'B': y"]


def test_the_submitters_platform_as_flamenco_names_it() -> None:
    assert [flamenco.platform_name(name) for name in ("linux", "win32", "darwin", "freebsd14")] == [
        "linux",
        "windows",
        "darwin",
        "linux",
    ]
    assert (
        flamenco.job(flamenco.JobSettings("/b", "", "S", "n", platform="windows"), farm_tasks(SHOTS), BundleOptions())[
            "submitter_platform"
        ]
        == "windows"
    )


def test_the_tasks_that_did_not_complete_keep_their_id_and_reason() -> None:
    tasks = [
        {"id": "t1", "name": "001 shot A", "status": "completed", "activity": ""},
        {"id": "t2", "name": "002 shot B", "status": "failed", "activity": "command exited abnormally with code 1"},
    ]
    assert flamenco.failed_tasks(tasks) == [
        flamenco.TaskState("t2", "002 shot B", "failed", "command exited abnormally with code 1")
    ]


def _tasks(*statuses: str) -> list[dict[str, object]]:
    # The Manager lists tasks in any order: index_in_job says which is which.
    found = [{"id": f"t{at}", "index_in_job": at, "status": status} for at, status in enumerate(statuses)]
    return list(reversed(found))


def test_each_shot_follows_its_tasks() -> None:
    planned = farm_tasks(SHOTS, BundleOptions(shots_per_task=2, frames_per_task=2))
    # [A, B], [C], Spin 1-2, 3-4, 5
    assert flamenco.shot_statuses(planned, _tasks("queued", "queued", "queued", "queued", "queued")) == {
        "A": ShotStatus.PENDING,
        "B, with {braces}": ShotStatus.PENDING,
        "C": ShotStatus.PENDING,
        "Spin": ShotStatus.PENDING,
    }
    statuses = flamenco.shot_statuses(planned, _tasks("completed", "active", "completed", "queued", "queued"))
    assert statuses["A"] == statuses["B, with {braces}"] == ShotStatus.DONE
    assert statuses["C"] == ShotStatus.RENDERING
    assert statuses["Spin"] == ShotStatus.RENDERING  # a chunk done, others waiting: under way
    statuses = flamenco.shot_statuses(planned, _tasks("completed", "soft-failed", "completed", "failed", "canceled"))
    assert statuses["C"] == ShotStatus.PENDING  # soft-failed: Flamenco tries it again
    assert statuses["Spin"] == ShotStatus.FAILED  # one failed chunk fails the shot
    statuses = flamenco.shot_statuses(planned, _tasks("completed", "canceled", *["completed"] * 3))
    assert statuses["C"] == ShotStatus.CANCELLED and statuses["Spin"] == ShotStatus.DONE


def test_a_job_in_a_few_words() -> None:
    job = {"status": "active", "steps_completed": 3, "steps_total": 7, "activity": "Rendering 002 shot C"}
    assert flamenco.job_line(job) == "active, 3/7 steps: Rendering 002 shot C"
    assert flamenco.job_line({"status": "queued"}) == "queued, 0/0 steps"


def test_a_movie_task_is_marked_to_wait_for_the_rendering_ones() -> None:
    options = BundleOptions(frames_per_task=2)
    body = flamenco.job(SETTINGS, farm_tasks([FarmShot("Spin", (1, 2, 3), movie=True)], options), options)
    tasks = json.loads(body["settings"]["tasks"])
    assert [task[1:] for task in tasks] == [["1-2"], ["3"], ["", "after"]]
    assert body["settings"]["job_type_version"] == 2
