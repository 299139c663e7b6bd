# SPDX-License-Identifier: GPL-3.0-or-later
"""Put one shot's settings on the scene (camera, output path, overrides)
through a SettingsGuard, which takes all of them off again."""

from __future__ import annotations

from typing import Any

import bpy

from ..core.property_paths import PathError
from ..core.shots import NodeOutput
from ..guards.settings import SettingsGuard
from . import builtin_overrides, compositor_outputs, property_overrides

# What putting a shot on the scene may raise: a setting Blender refuses only
# when set (linked data, an enum item another override took away).
SETUP_ERRORS = (PathError, ValueError, TypeError, AttributeError, KeyError, RuntimeError)


def apply_shot(
    guard: SettingsGuard,
    scene: bpy.types.Scene,
    shot: Any,
    blender_path: str,
    *,
    node_outputs: tuple[NodeOutput, ...] = (),
    checked: list[property_overrides.Checked] | None = None,
    segment: int = 0,
) -> None:
    """Set up the scene for one shot (for a frame list, the render `segment` of
    it: builtin_overrides.segments); `guard.restore()` undoes all of it.
    `checked`: the shot's property overrides as checked a moment before
    (else they are checked here). Markers bound to cameras would switch the
    camera back when the render starts, so their binding is lifted for the
    shot."""
    guard.set(scene, "camera", shot.camera)
    guard.set(scene, "render.filepath", blender_path)
    for number, marker in enumerate(scene.timeline_markers):
        if marker.camera is not None:
            guard.set(scene, f"timeline_markers[{number}].camera", None)
    builtin_overrides.apply(guard, scene, shot, segment)
    for entry in shot.collections:
        if entry.collection is not None:
            guard.set_on(entry.collection, "hide_render", entry.hidden)
    # Each File Output node writes into a folder of this shot's own.
    folders = {output.node: output.folder for output in node_outputs}
    for node in compositor_outputs.file_output_nodes(scene):
        if node.name in folders:
            guard.set_at(node.owner, node.node_path, node.attribute, folders[node.name])
    # Last, so that a property override wins over a built-in one.
    for item in property_overrides.check_shot(shot) if checked is None else checked:
        if item.target is None:
            raise PathError(item.problem)
        property_overrides.apply(guard, item.target, item.value)
