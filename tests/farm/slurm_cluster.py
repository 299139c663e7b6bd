"""A throwaway single-node Slurm cluster for the farm tests
(tools/slurm-cluster.sh: Debian sid's slurmctld, slurmd and munge in the
provisioned root, whose Blender the jobs run):

    with SlurmCluster(tmp_path / "slurm") as cluster:
        environment = cluster.environment(env)  # sbatch, scontrol... first on PATH
        job = cluster.sbatch("job.sbatch", cwd=folder, env=environment)
        tasks = cluster.wait_ended(job, timeout=300)
        assert {task["JobState"] for task in tasks.values()} == {"COMPLETED"}

The folder must be under /tmp (the root sees the host's /tmp, and the repo);
jobs inherit the submitter's environment (sbatch's --export=ALL)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "slurm-cluster.sh"
ENDED = {
    "COMPLETED",
    "FAILED",
    "CANCELLED",
    "TIMEOUT",
    "OUT_OF_MEMORY",
    "NODE_FAIL",
    "BOOT_FAIL",
    "DEADLINE",
    "PREEMPTED",
}
# `scontrol show job -o` puts a job on one line as Key=Value pairs; values may
# hold spaces (JobName, SubmitLine), keys never do, and keys start with a letter
# (SubmitLine's --options do not).
_KEY = re.compile(r" (?=[A-Za-z][\w:/]*=)")


class SlurmUnavailableError(RuntimeError):
    """The cluster did not start (no Slurm provisioned, or a daemon failed)."""


def parse_jobs(text: str) -> dict[str, dict[str, str]]:
    """`scontrol show job -o` output, one record per line, keyed by the
    array task id (an array's pending remainder is a range such as "2-5")
    or, outside an array, the job id."""
    records: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if "=" not in line:
            continue
        fields = dict(pair.split("=", 1) for pair in _KEY.split(line.strip()) if "=" in pair)
        records[fields.get("ArrayTaskId") or fields["JobId"]] = fields
    return records


class SlurmCluster:
    """Starts the cluster in `state_dir` on enter, stops it (every daemon and
    job process) on exit."""

    def __init__(self, state_dir: Path | str) -> None:
        self.state_dir = Path(state_dir).resolve()
        if not str(self.state_dir).startswith("/tmp/"):
            raise ValueError(f"the Slurm state folder must be under /tmp (the root sees only that): {self.state_dir}")
        self.settings: dict[str, str] = {}
        self.env: dict[str, str] = {}

    def start(self) -> None:
        started = subprocess.run(
            [str(SCRIPT), "start", str(self.state_dir)], capture_output=True, text=True, timeout=180, check=False
        )
        if started.returncode != 0:
            raise SlurmUnavailableError(f"tools/slurm-cluster.sh start failed:\n{started.stdout}{started.stderr}")
        self.settings = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
        self.env = {
            "PATH": f"{self.settings['BIN']}{os.pathsep}{os.environ.get('PATH', '')}",
            "SLURM_CONF": self.settings["SLURM_CONF"],
        }

    def stop(self) -> None:
        stopped = subprocess.run(
            [str(SCRIPT), "stop", str(self.state_dir)], capture_output=True, text=True, timeout=120, check=False
        )
        if stopped.returncode != 0:
            raise RuntimeError(f"tools/slurm-cluster.sh stop failed:\n{stopped.stdout}{stopped.stderr}")

    def environment(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """`base` (default: this process's environment) with the cluster's
        commands first on its PATH and SLURM_CONF set."""
        base = dict(os.environ if base is None else base)
        path = base.get("PATH", "")
        return {**base, "PATH": f"{self.settings['BIN']}{os.pathsep}{path}", "SLURM_CONF": self.settings["SLURM_CONF"]}

    def __enter__(self) -> SlurmCluster:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def run(
        self, command: str, *args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """One of sbatch, scontrol, squeue, sinfo, scancel, sacct, in the root."""
        return subprocess.run(
            [str(Path(self.settings["BIN"]) / command), *args],
            cwd=cwd,
            env=self.environment(env),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def sbatch(self, *args: str, cwd: Path | str, env: dict[str, str] | None = None) -> str:
        """Submit; the job id."""
        submitted = self.run("sbatch", "--parsable", *args, cwd=cwd, env=env)
        if submitted.returncode != 0:
            raise RuntimeError(f"sbatch {' '.join(args)} failed:\n{submitted.stdout}{submitted.stderr}")
        return submitted.stdout.strip().split(";")[0]

    def job_state(self, job_id: str) -> dict[str, dict[str, str]]:
        """scontrol's fields of every task of the job (see parse_jobs)."""
        shown = self.run("scontrol", "show", "job", "-o", job_id)
        if shown.returncode != 0:
            raise RuntimeError(f"scontrol show job {job_id} failed:\n{shown.stdout}{shown.stderr}")
        return parse_jobs(shown.stdout)

    def wait_ended(self, job_id: str, timeout: float = 300) -> dict[str, dict[str, str]]:
        """Poll until every task of the job has ended; its final fields.
        TimeoutError, with the states then, when it takes longer."""
        deadline = time.monotonic() + timeout
        while True:
            tasks = self.job_state(job_id)
            if tasks and all(task.get("JobState") in ENDED for task in tasks.values()):
                return tasks
            if time.monotonic() > deadline:
                states = {task_id: task.get("JobState") for task_id, task in tasks.items()}
                raise TimeoutError(f"Slurm job {job_id} still running after {timeout} s: {states}")
            time.sleep(0.25)
