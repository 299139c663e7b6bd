# SPDX-License-Identifier: GPL-3.0-or-later
"""A run checked before anything renders: the scenes it covers, each shot's
facts read out of Blender and validated (core/validation.py), the contact
sheet's path. What comes back is a QueueRun ready to start, or the problems,
each naming its shot and field."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import datetime

import bpy

from ..core import paths, validation
from ..core.logs import logger
from ..core.pool import PoolRun
from ..core.run import QueueRun
from ..core.shots import ShotSpec
from ..core.status import ShotStatus
from ..props import scene_shots
from ..shot import scene_reader

log = logger(__name__)


@dataclasses.dataclass
class PreparedRun:
    scene_name: str  # the scene the run was started from (its contact sheet)
    run: QueueRun
    now: datetime  # when the run started: one {date} and {time} for every shot
    contact_sheet: str = ""  # where to write the run's contact sheet; "" for none
    earlier_seconds: dict[int, float] = dataclasses.field(default_factory=dict)  # by place in the run
    warnings: list[str] = dataclasses.field(default_factory=list)  # e.g. paths too long for Windows


def prepare_run(
    scene: bpy.types.Scene,
    *,
    only_remaining: bool = False,
    sees_stop_keys: bool = False,
    started: datetime | None = None,
    all_scenes: bool = False,
    renders_here: bool = True,
    only_places: Mapping[str, Collection[int]] | None = None,
) -> tuple[PreparedRun | None, list[validation.Problem]]:
    """The scene's ticked shots (with `only_remaining`, those not done by the
    last run), or the problems that stop the run. With `all_scenes`, the
    ticked shots of every scene of the file, scene by scene in the file's
    order, each from its own scene. `only_places`: instead, the shots at
    these list places by scene name, ticked or not (a resumed queue).
    `sees_stop_keys`: see QueueRun."""
    now = started or datetime.now()  # a farm task gives its job's time: one {date} for all tasks
    if only_places is None:
        scenes = queue_scenes(scene, all_scenes)
        specs = {each.name: _specs_of(each, now, only_remaining) for each in scenes}
    else:
        scenes = [bpy.data.scenes[name] for name in only_places]
        specs = {each.name: _specs_at(each, now, only_places[each.name]) for each in scenes}
    if sum(1 for found in specs.values() if any(spec.enabled for spec in found)) > 1:
        # Messages name the scene when shots of several scenes render.
        specs = {name: [dataclasses.replace(spec, in_scene=name) for spec in found] for name, found in specs.items()}
    per_scene = [validation.SceneShots(each.name, specs[each.name], scene_reader.names_in(each)) for each in scenes]
    problems = validation.validate_scenes(per_scene)
    if problems:
        if only_remaining and problems[0].field == "enabled":
            problems = [validation.Problem(None, "enabled", "Every ticked shot is done: nothing remains to render")]
        return None, problems
    chosen = [(each, spec) for each in per_scene for spec in each.shots if spec.enabled]
    if renders_here and all_scenes and not bpy.app.background and (problems := _windowless_scene_problems(chosen)):
        return None, problems
    run = (QueueRun if renders_here else PoolRun)(
        [
            (spec.index, spec.name, spec.files, [node.absolute_folder for node in spec.node_outputs])
            for _each, spec in chosen
        ],
        sees_stop_keys=sees_stop_keys,
    )
    shot_lists = {each.name: scene_shots(each) for each in scenes}
    for shot, (each, spec) in zip(run.shots, chosen, strict=True):
        shot.scene = each.scene_name
        shot.skip_if_written = shot_lists[each.scene_name].skip_existing
        shot.frames_are_files = spec.frames_are_files
        shot.segment_paths = spec.segment_files
        shot.movie = spec.movie
    sheet, sheet_problem = ("", "") if not scene_shots(scene).contact_sheet else _contact_sheet_target(scene, now)
    if sheet_problem:
        return None, [validation.Problem(None, "contact_sheet_path", f"Contact sheet: {sheet_problem}")]
    prepared = PreparedRun(scene.name, run, now, contact_sheet=sheet)
    prepared.earlier_seconds = {
        position: shot_lists[each.scene_name].shots[spec.index].last_seconds
        for position, (each, spec) in enumerate(chosen)
    }
    prepared.warnings = validation.long_path_warnings([spec for _each, spec in chosen])
    for warning in prepared.warnings:
        log.warning("%s", warning)
    return prepared, []


def queue_scenes(scene: bpy.types.Scene, all_scenes: bool) -> list[bpy.types.Scene]:
    """The scenes a run renders: the one given, or every scene of the file
    that has shots, in the file's order."""
    if not all_scenes:
        return [scene]
    return [each for each in bpy.data.scenes if len(scene_shots(each).shots) > 0] or [scene]


def _specs_of(scene: bpy.types.Scene, now: datetime, only_remaining: bool) -> list[ShotSpec]:
    """The scene's ticked shots as checked facts; with `only_remaining`, a
    shot the last run finished counts as unticked. Unticked shots are not
    read: nothing renders or checks them."""
    items = scene_shots(scene).shots
    wanted = {
        index
        for index, item in enumerate(items)
        if item.enabled and not (only_remaining and item.status == ShotStatus.DONE)
    }
    return scene_reader.read_shots(scene, now, only=wanted)


def _specs_at(scene: bpy.types.Scene, now: datetime, places: Collection[int]) -> list[ShotSpec]:
    """The shots at `places`, rendered whether ticked or not."""
    return [dataclasses.replace(spec, enabled=True) for spec in scene_reader.read_shots(scene, now, only=places)]


# Blender 4.3 (tested; older ones likely, 5.2 does not) dies with an X
# error (GLXBadContext) soon after its interface renders a scene that no
# window shows, whatever the engine; the plain render operator alike. Such a
# queue is refused there before anything renders, with the way out.
_WINDOWLESS_SAFE_FROM = (4, 4, 0)


def _windowless_scene_problems(chosen: list[tuple[validation.SceneShots, ShotSpec]]) -> list[validation.Problem]:
    if bpy.app.version >= _WINDOWLESS_SAFE_FROM:
        return []
    shown = {window.scene.name for window in bpy.context.window_manager.windows}
    for each, spec in chosen:
        if each.scene_name not in shown:
            message = (
                f"Scene '{each.scene_name}': Blender {bpy.app.version_string} crashes rendering a scene that no "
                "window shows from its interface; use Render In: Background Process"
            )
            return [validation.Problem(spec.index, "run_in", message)]
    return []


def _contact_sheet_target(scene: bpy.types.Scene, now: datetime) -> tuple[str, str]:
    """The contact sheet's path, checked as a shot's output is."""
    path, error = scene_reader.contact_sheet_file(scene, now)
    if error:
        return "", f"file: {error}"
    if (part := paths.name_too_long(path)) is not None:
        return "", f"a name is {len(part.encode())} bytes long (at most {paths.MAX_NAME_BYTES})"
    return path, paths.folder_problem(path) or ""
