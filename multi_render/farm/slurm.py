# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's ticked shots as a Slurm job folder (the format is in
core/slurm.py and core/task_list.py): the saved .blend rendered where it is,
on storage the cluster's nodes share."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from datetime import datetime

import bpy

from ..core import farm, slurm, task_list
from ..core.logs import logger
from . import assets as farm_assets
from . import shots as farm_shots

log = logger(__name__)


@dataclasses.dataclass(frozen=True)
class SlurmFolder:
    submit: str  # submit.sh's path
    tasks: int
    missing: list[str]  # files the .blend names that do not exist


def write_slurm_folder(
    scene: bpy.types.Scene, folder: str, options: farm.BundleOptions, cluster: slurm.SlurmOptions
) -> SlurmFolder:
    """Write tasks.json, job.sbatch, submit.sh (and final.sbatch)
    into `folder`. ValueError, before anything is written, when the shots,
    the options or the folder are wrong; OSError when writing fails."""
    blend = bpy.data.filepath
    if not blend:
        raise ValueError("save the .blend first: a farm renders the saved file")
    slurm.check(cluster)
    folder = os.path.abspath(folder)
    slurm.check_folder(folder)
    now = datetime.now()
    farm_shots.checked(scene, now)
    options = dataclasses.replace(options, started=now.isoformat(timespec="seconds"))
    shots = farm_shots.ticked(scene)
    document = task_list.task_list(scene.name, shots, options)
    final = cluster.contact_sheet or bool(farm.movies_after_chunks(shots, options))
    missing = sorted(set(farm_assets.used_files()[2]))  # warned of, as the bundle does
    name = slurm.job_name(os.path.splitext(os.path.basename(blend))[0])
    tasks = len(document["tasks"])
    os.makedirs(os.path.join(folder, slurm.LOGS), exist_ok=True)  # sbatch does not make its --output folder
    with open(os.path.join(folder, slurm.TASK_LIST), "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
    _write_script(folder, slurm.ARRAY_SCRIPT, slurm.array_script(blend, folder, tasks, cluster, name))
    if final:
        _write_script(folder, slurm.FINAL_SCRIPT, slurm.final_script(blend, folder, cluster, name))
    submit = _write_script(folder, slurm.SUBMIT_SCRIPT, slurm.submit_script(final))
    log.debug("wrote a Slurm job of %d tasks in %s", tasks, folder)
    return SlurmFolder(submit, tasks, missing)


def _write_script(folder: str, name: str, text: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path
