# SPDX-License-Identifier: GPL-3.0-or-later
"""The farm commands: `bundle` (an Open Job Description bundle or a Slurm
job folder), `flamenco` (submit, and follow with --wait) and
`flamenco-job-type`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import bpy

from .. import prefs
from ..core import farm, slurm
from ..farm import flamenco, openjd
from ..farm import slurm as farm_slurm
from ..props import scene_shots
from .usage import UsageError, positive, priority


def add_parsers(commands: Any) -> None:
    bundle = commands.add_parser(
        "bundle", help="write a render-farm job: an Open Job Description bundle or a Slurm job"
    )
    bundle.add_argument("file", help="the saved .blend file")
    bundle.add_argument(
        "folder",
        help="the job's folder (openjd: template.json, parameter_values.json, asset_references.json; "
        "slurm: tasks.json, job.sbatch, submit.sh)",
    )
    bundle.add_argument(
        "--engine",
        choices=("openjd", "slurm"),
        default="openjd",
        help="openjd: Deadline Cloud and `openjd run`; slurm: an sbatch array (./submit.sh)",
    )
    bundle.add_argument("--shots-per-task", type=positive, default=1, help="consecutive shots one task renders")
    bundle.add_argument(
        "--frames-per-task",
        type=positive,
        default=0,
        help="split each frame-range shot into chunks of this many frames",
    )
    bundle.add_argument("--skip-existing", action="store_true", help="the job renders only what is missing")
    cluster = bundle.add_argument_group("Slurm (each written only when given: the cluster's defaults apply)")
    cluster.add_argument("--partition", default="", help="the partition the tasks run in")
    cluster.add_argument("--time", default="", dest="time_limit", help="each task's time limit, e.g. 2:00:00")
    cluster.add_argument("--cpus-per-task", type=positive, default=0, help="CPUs for each task")
    cluster.add_argument("--gres", default="", help="generic resources for each task, e.g. gpu:1")
    cluster.add_argument("--blender", default="blender", help="Blender's command on the nodes (default: blender)")
    cluster.add_argument(
        "--contact-sheet",
        action="store_true",
        help="also a contact-sheet job that runs after every task succeeded (default: the scene's setting)",
    )
    submit = commands.add_parser("flamenco", help="submit the ticked shots to a Flamenco Manager as one job")
    submit.add_argument("file", help="the .blend file")
    submit.add_argument("--manager", help="the Manager's URL (default: Multi Render's preferences)")
    submit.add_argument("--shots-per-task", type=positive, default=1, help="consecutive shots one task renders")
    submit.add_argument(
        "--frames-per-task", type=positive, default=0, help="split each frame-range shot into chunks of this many"
    )
    submit.add_argument(
        "--priority", type=priority, default=50, help="the job's priority (0-100, Flamenco's default 50)"
    )
    submit.add_argument("--job-name", default="", help="the job's name (default: the file's name and 'shots')")
    submit.add_argument("--skip-existing", action="store_true", help="the job renders only what is missing")
    submit.add_argument(
        "--wait", action="store_true", help="follow the job; exit 0 only when every task completed, 1 otherwise"
    )
    job_type = commands.add_parser(
        "flamenco-job-type", help="save the Flamenco job type file: put it in your Manager's scripts folder"
    )
    job_type.add_argument("folder", help="where to save multi_render.js (e.g. the Manager's scripts folder)")


def bundle(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    settings = farm.BundleOptions(options.shots_per_task, options.frames_per_task, options.skip_existing)
    try:
        if options.engine == "slurm":
            written, tasks, missing = _slurm_folder(scene, options, settings)
        else:
            job = openjd.write_farm_bundle(scene, options.folder, settings)
            written, tasks, missing = job.template, job.tasks, job.missing
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot write the {options.engine} job: {error}") from None
    for path in missing:
        print(f"multi_render: warning: the .blend uses a file that does not exist: {path}", file=sys.stderr)
    print(f"multi_render: wrote {written} ({tasks} tasks)")
    return 0


def _slurm_folder(
    scene: bpy.types.Scene, options: argparse.Namespace, settings: farm.BundleOptions
) -> tuple[str, int, list[str]]:
    cluster = slurm.SlurmOptions(
        partition=options.partition,
        time_limit=options.time_limit,
        cpus_per_task=options.cpus_per_task,
        gres=options.gres,
        blender=options.blender,
        contact_sheet=options.contact_sheet or scene_shots(scene).contact_sheet,
    )
    job = farm_slurm.write_slurm_folder(scene, options.folder, settings, cluster)
    return job.submit, job.tasks, job.missing


def save_job_type(folder: str) -> int:
    try:
        path = flamenco.save_job_type(folder)
    except OSError as error:
        print(f"multi_render: cannot save the job type: {error}", file=sys.stderr)
        return 1
    print(f"multi_render: saved {path}: put it in your Flamenco Manager's scripts folder")
    return 0


def submit_flamenco(scene: bpy.types.Scene, options: argparse.Namespace) -> int:
    url = options.manager or prefs.preferences().flamenco_manager_url
    if not url:
        raise UsageError("no Flamenco Manager: give --manager URL or set it in Multi Render's preferences")
    settings = farm.BundleOptions(options.shots_per_task, options.frames_per_task, options.skip_existing)
    try:
        manager = flamenco.Manager(url)
        job = flamenco.submit(scene, manager, settings, name=options.job_name, priority=options.priority)
        print(f"multi_render: submitted Flamenco job {job.job_id} ({job.tasks} tasks), rendering {job.blend_path}")
        print(job.job_id, flush=True)
        if not options.wait:
            return 0
        end = flamenco.follow(manager, job.job_id, lambda line: print(f"multi_render: job {line}", flush=True))
    except (flamenco.FlamencoError, ValueError, OSError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    for task in end.failed:
        print(f"multi_render: task '{task.name}' {task.status}: {task.reason}")
    print(f"multi_render: Flamenco job {job.job_id} {end.status}")
    return 0 if end.status == "completed" else 1
