# SPDX-License-Identifier: GPL-3.0-or-later
"""Render-farm job bundles in Open Job Description (the job-template standard
that AWS Deadline Cloud runs), written as plain JSON so the extension needs no
third-party package for it. Each task runs

    blender -c multi_render render FILE --shot-list '["A", "B"]' [--frames 1-10]

in background. Consecutive ticked shots are grouped `shots_per_task` to a
task (one Blender start and file load for several shots); a frame-range shot
is split into chunks of `frames_per_task` frames with the spec's
TASK_CHUNKING extension (`CHUNK[INT]`, contiguous), so the farm may size
chunks itself. A job environment checks the worker's Blender once, before
any task, and fails the job with one clear message."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import frame_list

SPECIFICATION = "jobtemplate-2023-09"
STEP = "RenderShots"
CYCLES_DEVICES = ("", "CPU", "CUDA", "OPTIX", "HIP", "ONEAPI", "METAL")
MINIMUM_BLENDER = (4, 2, 0)
# Open Job Description's limits: a task parameter's range and each value.
MAX_TASKS_IN_RANGE = 1024
MAX_VALUE_CHARS = 1024

# The worker check, run by the worker's own Blender: its version, and the
# extension enabled in its profile (whatever repository it came from).
_CHECK_WORKER = (
    "import bpy\n"
    f"need = {MINIMUM_BLENDER!r}\n"
    "if bpy.app.version < need:\n"
    "    raise SystemExit('multi_render: this worker has Blender %s; the job needs Blender 4.2 or later'"
    " % bpy.app.version_string)\n"
    "if not any(name.rpartition('.')[2] == 'multi_render' for name in bpy.context.preferences.addons.keys()):\n"
    "    raise SystemExit('multi_render: the Multi Render extension is not enabled in this worker\\'s Blender"
    " profile (install it with: blender --command extension install-file -r user_default -e ZIP)')\n"
    "print('multi_render: worker Blender %s with Multi Render' % bpy.app.version_string)\n"
)


@dataclass(frozen=True)
class FarmShot:
    name: str
    frames: tuple[int, ...] | None = None  # a frame-range shot's frames, ascending; None for a still
    movie: bool = False  # a range shot that asks for a movie of its frames


@dataclass(frozen=True)
class BundleOptions:
    shots_per_task: int = 1
    frames_per_task: int = 0  # 0: a range shot is one task
    skip_existing: bool = False
    started: str = ""  # ISO time {date} and {time} stand for in every task (default: the bundle's)


@dataclass(frozen=True)
class AssetReferences:
    """Deadline Cloud's asset_references.json: what workers need and make."""

    input_files: tuple[str, ...] = ()
    input_directories: tuple[str, ...] = ()  # e.g. a disk cache
    output_directories: tuple[str, ...] = ()
    referenced_paths: tuple[str, ...] = ()  # named by the file but missing: not uploaded

    def as_dict(self) -> dict[str, Any]:
        return {
            "assetReferences": {
                "inputs": {
                    "directories": sorted(set(self.input_directories)),
                    "filenames": sorted(set(self.input_files)),
                },
                "outputs": {"directories": sorted(set(self.output_directories))},
                "referencedPaths": sorted(set(self.referenced_paths)),
            }
        }


def parse_frames(text: str) -> list[int]:
    """A task's frames: a frame list (core/frame_list.py), which a range
    expression `START`, `START-END` or `START-END:STEP` is too; ValueError
    (FrameListError) naming the wrong part otherwise."""
    return frame_list.parse(text)


def names_value(names: Sequence[str]) -> str:
    """Shot names as one task-parameter value: JSON, ASCII only, with braces
    escaped too, so that no name can look like the template's {{ }} format
    strings (json.loads gives the names back exactly)."""
    return json.dumps(list(names)).replace("{", "\\u007b").replace("}", "\\u007d")


def _groups(shots: Sequence[FarmShot], size: int) -> list[str]:
    """Consecutive shots, `size` to a task or fewer when their names would
    not fit in one task-parameter value."""
    groups: list[list[str]] = []
    for shot in shots:
        if len(names_value([shot.name])) > MAX_VALUE_CHARS:
            raise ValueError(f"shot '{shot.name[:60]}...': its name is too long for a farm task")
        if groups and len(groups[-1]) < size and len(names_value([*groups[-1], shot.name])) <= MAX_VALUE_CHARS:
            groups[-1].append(shot.name)
        else:
            groups.append([shot.name])
    if len(groups) > MAX_TASKS_IN_RANGE:
        raise ValueError(
            f"{len(groups)} tasks in one step; Open Job Description allows {MAX_TASKS_IN_RANGE}: more shots per task"
        )
    return [names_value(group) for group in groups]


def _chunks(frames: Sequence[int], size: int) -> list[str]:
    """Frames in chunks of `size`, each written as a frame list ("1-7:2",
    "3, 9-12"; a CONTIGUOUS chunk cannot hold a step or a gap: it would split
    at every one)."""
    parts = [frames[at : at + size] for at in range(0, len(frames), size)]
    return [frame_list.as_text(part) for part in parts]


def _is_contiguous(frames: Sequence[int]) -> bool:
    return frames[-1] - frames[0] == len(frames) - 1


def _render_args(task_shots: str, frames: str | None = None, skip: str = "{{Param.SkipExisting}}") -> list[str]:
    """A task's command line (the frames of a chunk, if it is one)."""
    args = ["-c", "multi_render", "render", "{{Param.BlendFile}}", "--shot-list", task_shots]
    if frames is not None:
        args += ["--frames", frames]
    return [
        *args,
        "--output-dir",
        "{{Param.OutputDir}}",
        "--cycles-device={{Param.CyclesDevice}}",
        f"--skip-existing-value={skip}",
        "--started={{Param.Started}}",
    ]


def _step(name: str, parameter: dict[str, Any], args: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "parameterSpace": {"taskParameterDefinitions": [parameter]},
        "script": {"actions": {"onRun": {"command": "{{Param.BlenderExecutable}}", "args": args}}},
    }


_DEFAULTS = BundleOptions()


def _split(
    shots: Sequence[FarmShot], options: BundleOptions
) -> tuple[list[FarmShot], list[tuple[FarmShot, tuple[int, ...]]]]:
    """The shots rendered whole (grouped `shots_per_task` to a task) and the
    range shots split in chunks of `frames_per_task`; ValueError for options
    or ranges no farm can run."""
    if options.shots_per_task < 1:
        raise ValueError("shots per task must be at least 1")
    if options.frames_per_task < 0:
        raise ValueError("frames per task must be 0 (a whole range) or more")
    for shot in shots:
        if shot.frames is not None and not shot.frames:
            raise ValueError(f"shot '{shot.name}': its frame range holds no frame")
    chunked = [(shot, shot.frames) for shot in shots if shot.frames is not None and options.frames_per_task > 0]
    whole = [shot for shot in shots if shot.frames is None or options.frames_per_task == 0]
    return whole, chunked


@dataclass(frozen=True)
class FarmTask:
    shots: str  # the shot names as one value (names_value: JSON, braces escaped)
    frames: str = ""  # a range shot's chunk as a frame list ("1-4", "1-7:2", "3, 9"); "" for whole shots
    # Runs once every other task ended well, rendering nothing again: the
    # movie of a shot rendered in chunks (no chunk is the whole shot).
    after: bool = False

    @property
    def names(self) -> list[str]:
        """The shots' names (json.loads undoes names_value exactly)."""
        names: list[str] = json.loads(self.shots)
        return names


def farm_tasks(shots: Sequence[FarmShot], options: BundleOptions = _DEFAULTS) -> list[FarmTask]:
    """Every task of a job, in order, for engines that take a list of tasks
    (Flamenco): the bundle's grouping, with each range's chunks spelled out."""
    whole, chunked = _split(shots, options)
    tasks = [FarmTask(group) for group in _groups(whole, options.shots_per_task)] if whole else []
    for shot, frames in chunked:
        tasks += [FarmTask(names_value([shot.name]), chunk) for chunk in _chunks(frames, options.frames_per_task)]
    return tasks + [FarmTask(names_value([shot.name]), after=True) for shot in movies_after_chunks(shots, options)]


def movies_after_chunks(shots: Sequence[FarmShot], options: BundleOptions) -> list[FarmShot]:
    """The shots whose movie is made once their chunks are done."""
    return [shot for shot in shots if shot.movie and shot.frames is not None and options.frames_per_task > 0]


def job_template(blend_name: str, shots: Sequence[FarmShot], options: BundleOptions = _DEFAULTS) -> dict[str, Any]:
    whole, chunked = _split(shots, options)
    steps = []
    if whole:
        shots_parameter = {"name": "Shots", "type": "STRING", "range": _groups(whole, options.shots_per_task)}
        steps.append(_step(STEP, shots_parameter, _render_args("{{Task.Param.Shots}}")))
    uses_chunking = False
    chunk_steps: dict[str, str] = {}
    for number, (shot, shot_frames) in enumerate(chunked, start=1):
        chunk_steps[shot.name] = f"RenderRange{number}"
        frames: dict[str, Any] = {"name": "Frames"}
        if _is_contiguous(shot_frames):
            uses_chunking = True
            frames["type"] = "CHUNK[INT]"
            frames["range"] = frame_list.as_text(shot_frames)
            frames["chunks"] = {"defaultTaskCount": options.frames_per_task, "rangeConstraint": "CONTIGUOUS"}
        else:
            frames["type"] = "STRING"
            frames["range"] = _chunks(shot_frames, options.frames_per_task)
        args = _render_args(names_value([shot.name]), "{{Task.Param.Frames}}")
        steps.append(_step(f"RenderRange{number}", frames, args))
    if movies := movies_after_chunks(shots, options):
        steps.append(_movies_step(movies, chunk_steps))
    template: dict[str, Any] = {"specificationVersion": SPECIFICATION}
    if uses_chunking:
        template["extensions"] = ["TASK_CHUNKING"]
    template.update(
        {
            "name": f"Multi Render: {_plain_name(blend_name)}",
            "parameterDefinitions": _parameters(options),
            "jobEnvironments": [
                {
                    "name": "CheckWorkerBlender",
                    "description": "Fails the job at once on a worker without Blender 4.2+ and Multi Render",
                    "script": {
                        "actions": {
                            "onEnter": {
                                "command": "{{Param.BlenderExecutable}}",
                                "args": ["-b", "--python-exit-code", "3", "--python-expr", _CHECK_WORKER],
                            }
                        }
                    },
                }
            ],
            "steps": steps,
        }
    )
    return template


def _movies_step(movies: Sequence[FarmShot], chunk_steps: dict[str, str]) -> dict[str, Any]:
    """Once a shot's chunks are done, its movie: the whole shot with Skip
    Existing, so its frames are found and only the movie is made."""
    shots_parameter = {"name": "Shots", "type": "STRING", "range": [names_value([shot.name]) for shot in movies]}
    step = _step("MakeMovies", shots_parameter, _render_args("{{Task.Param.Shots}}", skip="true"))
    step["dependencies"] = [{"dependsOn": chunk_steps[shot.name]} for shot in movies]
    return step


def _plain_name(name: str) -> str:
    """A file name as a job's name: no {{ }}, no control characters, not too long."""
    kept = "".join(char for char in name if char.isprintable()).replace("{", "(").replace("}", ")")
    return kept[:200] or "untitled"


def _parameters(options: BundleOptions) -> list[dict[str, Any]]:
    return [
        {
            "name": "BlendFile",
            "type": "PATH",
            "objectType": "FILE",
            "dataFlow": "IN",
            "description": "The .blend file whose shots are rendered",
        },
        {
            "name": "OutputDir",
            "type": "PATH",
            "objectType": "DIRECTORY",
            "dataFlow": "OUT",
            "description": "Output folder for shots whose output is empty or relative",
        },
        {
            "name": "BlenderExecutable",
            "type": "STRING",
            "default": "blender",
            "description": "Blender 4.2+ with the Multi Render extension enabled",
        },
        {
            "name": "CyclesDevice",
            "type": "STRING",
            "default": "",
            "allowedValues": list(CYCLES_DEVICES),
            "description": "Cycles' device on the workers; empty: the file's own setting",
        },
        {
            "name": "SkipExisting",
            "type": "STRING",
            "default": "true" if options.skip_existing else "false",
            "allowedValues": ["false", "true"],
            "description": "Render only the shots whose files are missing (a job submitted again)",
        },
        {
            "name": "Started",
            "type": "STRING",
            "default": options.started,
            "description": "The time {date} and {time} stand for in output paths, the same in every task",
        },
    ]


def write_bundle(
    folder: str,
    blend_path: str,
    output_dir: str,
    shots: Sequence[FarmShot],
    *,
    options: BundleOptions = _DEFAULTS,
    assets: AssetReferences | None = None,
) -> str:
    """Write template.json, parameter_values.json and (with `assets`)
    asset_references.json; return the template's path."""
    if not shots:
        raise ValueError("no ticked shot to put in the bundle")
    template = job_template(os.path.splitext(os.path.basename(blend_path))[0], shots, options)
    os.makedirs(folder, exist_ok=True)
    template_path = os.path.join(folder, "template.json")
    _write_json(template_path, template)
    values = {
        "parameterValues": [
            {"name": "BlendFile", "value": os.path.abspath(blend_path)},
            {"name": "OutputDir", "value": os.path.abspath(output_dir)},
        ]
    }
    _write_json(os.path.join(folder, "parameter_values.json"), values)
    if assets is not None:
        _write_json(os.path.join(folder, "asset_references.json"), assets.as_dict())
    return template_path


def task_count(template: dict[str, Any]) -> int:
    """Tasks in a template as written (a chunked range counts its default chunks)."""
    total = 0
    for step in template["steps"]:
        (parameter,) = step["parameterSpace"]["taskParameterDefinitions"]
        if parameter["type"] == "CHUNK[INT]":
            frames = parse_frames(parameter["range"])
            total += -(-len(frames) // parameter["chunks"]["defaultTaskCount"])
        else:
            total += len(parameter["range"])
    return total


def _write_json(path: str, document: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
