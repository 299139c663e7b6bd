"""A throwaway Flamenco farm (Manager and Worker on 127.0.0.1) from
../shared/flamenco, or $FLAMENCO_DIR: what the farm tests, the GUI test and
the farm benchmark start the same way. Plain Python, no Blender."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FLAMENCO = Path(os.environ.get("FLAMENCO_DIR") or REPO.parent / "shared" / "flamenco")
MISSING = f"no Flamenco test farm at {FLAMENCO} (set FLAMENCO_DIR to the folder with start-farm.sh)"


def available() -> bool:
    return (FLAMENCO / "start-farm.sh").is_file()


class Farm:
    def __init__(self, folder: Path, url: str, env: dict[str, str]) -> None:
        self.folder = folder
        self.url = url
        self.env = env
        self.shared = folder / "shared"  # the Manager's shared storage
        self.job_type = folder / "manager" / "scripts" / "multi_render.js"

    def get(self, path: str) -> Any:
        """The Manager's JSON answer to GET `path`."""
        with urllib.request.urlopen(self.url + path, timeout=10) as answer:
            return json.loads(answer.read() or b"null")

    def start_worker(self) -> None:
        """Start the Worker of a farm started with --no-worker."""
        _script("start-farm.sh", "worker", str(self.folder), env=self.env)


def _script(name: str, *arguments: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(FLAMENCO / name), *arguments], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name} {' '.join(arguments[:1])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def started_farm(folder: Path, blender: str, job_types: Path, env: dict[str, str], *options: str) -> Iterator[Farm]:
    """A farm in `folder` whose Worker runs `blender` (with `env`, e.g. its
    profile), the job types of `job_types` in its Manager; stopped after,
    nothing of it left running. `options`: start-farm.sh's, e.g. --no-worker."""
    printed = _script(
        "start-farm.sh", str(folder), "--blender", blender, "--job-types", str(job_types), *options, env=env
    )
    values = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    try:
        yield Farm(folder, values["MANAGER_URL"], env)
    finally:
        _script("stop-farm.sh", str(folder), env=env)
