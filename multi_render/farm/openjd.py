# SPDX-License-Identifier: GPL-3.0-or-later
"""A scene's ticked shots as an Open Job Description job bundle (the
format is in core/farm.py): the saved .blend, its assets, one {date} and
{time} for every task."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import bpy

from ..core import farm
from ..shot import scene_reader
from . import assets as farm_assets
from . import shots as farm_shots


def write_farm_bundle(scene: bpy.types.Scene, folder: str, options: farm.BundleOptions | None = None) -> FarmBundle:
    """An Open Job Description bundle for the saved .blend's ticked shots.
    Raises OSError or ValueError."""
    if not bpy.data.filepath:
        raise ValueError("save the .blend first: a farm renders the saved file")
    now = datetime.now()
    # Every task renders with this time, so {date} and {time} mean the same in all of them.
    options = dataclasses.replace(options or farm.BundleOptions(), started=now.isoformat(timespec="seconds"))
    shots = farm_shots.ticked(scene)
    assets, missing = farm_assets.asset_references(scene, now)
    output = scene_reader.scene_output_folder(scene)
    template = farm.write_bundle(folder, bpy.data.filepath, output, shots, options=options, assets=assets)
    tasks = farm.task_count(farm.job_template("", shots, options))
    return FarmBundle(template, tasks, missing)


@dataclasses.dataclass(frozen=True)
class FarmBundle:
    template: str  # the template's path
    tasks: int
    missing: list[str]  # files the .blend names that do not exist
