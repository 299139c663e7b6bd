# SPDX-License-Identifier: GPL-3.0-or-later
"""Slurm job folders of a shot queue: the task list (core/task_list.py), an
`sbatch` array script with one array task per list entry, and submit.sh,
which submits the array and, when there is one, the final job (the contact
sheet, the movies of shots rendered in chunks) that runs once every task
succeeded (--dependency=afterok). Plain text: what the cluster
does not need to be told (partition, time limit, CPUs, GPUs) is left out, so
its defaults apply."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

ARRAY_SCRIPT = "job.sbatch"
FINAL_SCRIPT = "final.sbatch"
SUBMIT_SCRIPT = "submit.sh"
TASK_LIST = "tasks.json"
LOGS = "logs"
# The final job: every shot of the list found on disk, none rendered again
# (a shot's missing movie is made), and the contact sheet when asked.
FINAL_OPTIONS = ("--all-tasks", "--skip-existing-value=true")

# What #SBATCH lines may hold: sbatch reads them without a shell (it splits
# on blanks, honours quotes, and stops at "#"), so option values are checked
# to plain forms and the job folder is written in double quotes.
_PARTITION = re.compile(r"^[A-Za-z0-9_.,-]+$")
_TIME = re.compile(r"^(\d+-)?\d+(:\d+){0,2}$")  # minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]
_GRES = re.compile(r"^[A-Za-z0-9_.:,-]+$")  # e.g. gpu:1, gpu:a100:2


@dataclass(frozen=True)
class SlurmOptions:
    partition: str = ""
    time_limit: str = ""  # per task, in Slurm's forms
    cpus_per_task: int = 0  # 0: the cluster's default
    gres: str = ""  # generic resources per task, e.g. "gpu:1"
    blender: str = "blender"  # Blender's command on the nodes
    contact_sheet: bool = False


def check(options: SlurmOptions) -> None:
    """ValueError naming the option that Slurm would not take."""
    if options.partition and not _PARTITION.fullmatch(options.partition):
        raise ValueError(f"partition {options.partition!r}: letters, digits, '_', '.', '-' and ',' only")
    if options.time_limit and not _TIME.fullmatch(options.time_limit):
        raise ValueError(f"time limit {options.time_limit!r}: minutes, HH:MM:SS or D-HH:MM:SS")
    if options.cpus_per_task < 0:
        raise ValueError("CPUs per task must be 0 (the cluster's default) or more")
    if options.gres and not _GRES.fullmatch(options.gres):
        raise ValueError(f"GPUs per task {options.gres!r}: a Slurm resource such as gpu:1")
    if not options.blender.strip():
        raise ValueError("the Blender command on the nodes is empty")


_UNQUOTABLE = set('"\\#\n\r')


def check_folder(folder: str) -> None:
    """ValueError when the job folder's path cannot be written in an
    #SBATCH line (sbatch has no escape for these characters)."""
    if found := sorted(_UNQUOTABLE & set(folder)):
        shown = ", ".join(repr(char) for char in found)
        raise ValueError(f"the job folder's path holds {shown}, which an #SBATCH line cannot: choose another folder")


def _quoted(value: str) -> str:
    return f'"{value}"'


def _directives(name: str, folder: str, options: SlurmOptions) -> list[str]:
    lines = [f"#SBATCH --job-name={name}", f"#SBATCH --chdir={_quoted(folder)}"]
    if options.partition:
        lines.append(f"#SBATCH --partition={options.partition}")
    if options.time_limit:
        lines.append(f"#SBATCH --time={options.time_limit}")
    if options.cpus_per_task:
        lines.append(f"#SBATCH --cpus-per-task={options.cpus_per_task}")
    if options.gres:
        lines.append(f"#SBATCH --gres={options.gres}")
    return lines


def _literal(path: str) -> str:
    """A path in --output, where "%" starts a pattern (%A, %a, %j)."""
    return path.replace("%", "%%")


def job_name(blend_stem: str) -> str:
    """A job name Slurm shows as it is: the file's name, plain characters."""
    kept = re.sub(r"[^A-Za-z0-9_.-]+", "_", blend_stem).strip("_")
    return f"multi-render-{kept[:60] or 'untitled'}"


def _render(blend: str, folder: str, options: SlurmOptions) -> list[str]:
    """The command every task runs, before it says which entry."""
    return [options.blender, "-b", "-c", "multi_render", "render", blend, "--task-file", f"{folder}/{TASK_LIST}"]


def array_script(blend: str, folder: str, tasks: int, options: SlurmOptions, name: str) -> str:
    """job.sbatch: array task N renders entry N of the task list."""
    if tasks < 1:
        raise ValueError("a Slurm array needs at least one task")
    return "\n".join(
        [
            "#!/bin/bash",
            "# Written by Multi Render: one array task per entry of tasks.json.",
            "# Submit with ./submit.sh (or: sbatch job.sbatch).",
            *_directives(name, folder, options),
            f"#SBATCH --array=0-{tasks - 1}",
            f"#SBATCH --output={_quoted(_literal(folder) + f'/{LOGS}/%A_%a.log')}",
            "set -euo pipefail",
            f'exec {shlex.join(_render(blend, folder, options))} --task "$SLURM_ARRAY_TASK_ID"',
            "",
        ]
    )


def final_script(blend: str, folder: str, options: SlurmOptions, name: str) -> str:
    """final.sbatch: after the array, every shot is on disk; a run that
    skips what exists renders nothing, makes the movies of shots rendered in
    chunks and writes the contact sheet (when asked)."""
    sheet = ("--contact-sheet",) if options.contact_sheet else ()
    return "\n".join(
        [
            "#!/bin/bash",
            "# Written by Multi Render: movies and contact sheet, once the array succeeded (see submit.sh).",
            *_directives(f"{name}-final", folder, options),
            f"#SBATCH --output={_quoted(_literal(folder) + f'/{LOGS}/%j-final.log')}",
            "set -euo pipefail",
            f"exec {shlex.join([*_render(blend, folder, options), *FINAL_OPTIONS, *sheet])}",
            "",
        ]
    )


def submit_script(final: bool) -> str:
    """submit.sh: submits the array (and the final job after it); prints
    the job ids."""
    lines = [
        "#!/bin/sh",
        "# Written by Multi Render: submits the shots' array job"
        + (" and the final job that waits for it." if final else "."),
        "set -eu",
        'cd "$(dirname "$0")"',
        "array=$(sbatch --parsable " + ARRAY_SCRIPT + ")",
        'array="${array%%;*}"  # "id;cluster" on a federation',
        'echo "multi_render: submitted array job $array"',
    ]
    if final:
        lines += [
            f'final=$(sbatch --parsable --dependency="afterok:$array" {FINAL_SCRIPT})',
            'echo "multi_render: submitted final job ${final%%;*} (after $array)"',
        ]
    return "\n".join([*lines, ""])
