"""Slurm, for real: Debian's slurmctld, slurmd and munge as a one-node
cluster in the Blender root (tools/slurm-cluster.sh), running the job folder
`bundle --engine slurm` writes, submitted with its own submit.sh. The array
renders what the in-Blender queue renders, pixel for pixel; the contact sheet
waits for it; a shot that fails only on the node fails its task in Slurm,
and the task's log says which shot and why."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BLENDER, MOVIE, SPIN, STILLS, make_blend, movie_facts, pixels_in, run
from slurm_cluster import SlurmCluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlurmCluster]:
    if os.environ.get("MULTI_RENDER_FARM_BLENDER"):
        pytest.skip("the Slurm cluster runs its jobs in the provisioned Blender root, not with BLENDER set")
    with SlurmCluster(tmp_path_factory.mktemp("slurm")) as started:
        yield started


def slurm_folder(blend: Path, env: dict[str, str], *options: str) -> Path:
    folder = blend.parent / "job"
    written = run(
        BLENDER, "-c", "multi_render", "bundle", str(blend), str(folder), "--engine", "slurm", *options, env=env
    )
    assert written.returncode == 0, written.stdout + written.stderr
    return folder


def submit(folder: Path, cluster: SlurmCluster, env: dict[str, str]) -> dict[str, str]:
    """./submit.sh as a person runs it; the job ids it printed by kind."""
    submitted = run(str(folder / "submit.sh"), env=cluster.environment(env))
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    return dict(re.findall(r"submitted (array|final) job (\d+)", submitted.stdout))


def test_the_array_renders_what_the_queue_renders(
    tmp_path: Path, env: dict[str, str], cluster: SlurmCluster, reference: dict[str, bytes]
) -> None:
    blend = make_blend(tmp_path, env)
    folder = slurm_folder(blend, env, "--shots-per-task", "2", "--frames-per-task", "2", "--contact-sheet")
    tasks = json.loads((folder / "tasks.json").read_text())["tasks"]
    assert len(tasks) == 5  # [Blue, Green with a comma], [Red], Spin 1-2, 3-4, 5
    jobs = submit(folder, cluster, env)
    array = cluster.wait_ended(jobs["array"], timeout=600)
    assert sorted(array) == ["0", "1", "2", "3", "4"]
    assert {task["JobState"] for task in array.values()} == {"COMPLETED"}, array
    (sheet,) = cluster.wait_ended(jobs["final"], timeout=300).values()
    assert sheet["JobState"] == "COMPLETED", sheet
    # The sheet started once the whole array had ended (afterok).
    assert sheet["StartTime"] >= max(task["EndTime"] for task in array.values())
    renders = tmp_path / "renders"
    (contact_sheet,) = renders.glob("contact_sheet_*.png")
    contact_sheet.unlink()
    written = pixels_in(renders)
    assert sorted(written) == sorted(STILLS + SPIN) == sorted(reference)
    # Made by the final job, from the array's chunks: the five frames at the scene's rate.
    assert movie_facts(renders / MOVIE, env) == [5, [32, 32], 24.0]
    assert written == reference  # the same pixels
    log = (folder / "logs" / f"{jobs['array']}_0.log").read_text()
    assert "DONE      Cam_Blue" in log and "DONE      Green, with a comma" in log


def test_a_shot_failing_on_the_node_fails_its_task_with_the_reason(
    tmp_path: Path, env: dict[str, str], cluster: SlurmCluster
) -> None:
    blend = make_blend(tmp_path, env)
    folder = slurm_folder(blend, env, "--contact-sheet")
    # After the checks: the outputs' folder becomes a file, so the node cannot write there.
    (tmp_path / "renders").write_text("not a folder")
    jobs = submit(folder, cluster, env)
    array = cluster.wait_ended(jobs["array"], timeout=600)
    assert {task["JobState"] for task in array.values()} == {"FAILED"}, array
    assert {task["ExitCode"] for task in array.values()} == {"1:0"}
    first = (folder / "logs" / f"{jobs['array']}_0.log").read_text()
    # The render's own check, before anything rendered: the shot, the field, why.
    renders = tmp_path / "renders"
    assert f"Shot 1 'Cam_Blue': the folder '{renders}' cannot be created: '{renders}' is a file" in first, first
    # The contact sheet never runs after a failed array.
    (sheet,) = cluster.wait_ended(jobs["final"], timeout=120).values()
    assert sheet["JobState"] == "CANCELLED" and "DependencyNeverSatisfied" in sheet["Reason"], sheet
