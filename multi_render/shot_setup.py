# SPDX-License-Identifier: GPL-3.0-or-later
"""Put one shot's settings on the scene (camera, output path, overrides)
through a SettingsGuard, which takes all of them off again."""

from __future__ import annotations

from typing import Any

import bpy

from . import compositor_outputs, property_overrides
from .core.property_paths import PathError
from .core.shots import NodeOutput
from .guards.settings import SettingsGuard


def apply_shot(
    guard: SettingsGuard,
    scene: bpy.types.Scene,
    shot: Any,
    blender_path: str,
    *,
    node_outputs: tuple[NodeOutput, ...] = (),
    checked: list[property_overrides.Checked] | None = None,
) -> None:
    """Set up the scene for one shot; `guard.restore()` undoes all of it.
    `checked`: the shot's property overrides as checked a moment before
    (else they are checked here). Markers bound to cameras would switch the
    camera back when the render starts, so their binding is lifted for the
    shot."""
    guard.set(scene, "camera", shot.camera)
    guard.set(scene, "render.filepath", blender_path)
    for number, marker in enumerate(scene.timeline_markers):
        if marker.camera is not None:
            guard.set(scene, f"timeline_markers[{number}].camera", None)
    _apply_frames(guard, scene, shot)
    _apply_render_settings(guard, scene, shot)
    _apply_contents(guard, scene, shot)
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


def _apply_frames(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    if shot.use_frame_range:
        guard.set(scene, "frame_start", shot.frame_start)
        guard.set(scene, "frame_end", shot.frame_end)
        guard.set(scene, "frame_step", shot.frame_step)
    elif shot.use_frame:
        guard.set(scene, "frame_current", shot.frame)


def _apply_render_settings(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    if shot.use_resolution:
        guard.set(scene, "render.resolution_x", shot.resolution_x)
        guard.set(scene, "render.resolution_y", shot.resolution_y)
        guard.set(scene, "render.resolution_percentage", shot.resolution_percentage)
    if shot.use_engine:
        guard.set(scene, "render.engine", shot.engine)
    if shot.use_samples:
        _apply_samples(guard, scene, shot.samples)
    if shot.use_file_format:
        if hasattr(scene.render.image_settings, "media_type"):  # Blender 5.0+: before the format
            guard.set(scene, "render.image_settings.media_type", "IMAGE")
        # A format without alpha (JPEG) turns RGBA into RGB; put it back later.
        guard.remember(scene, "render.image_settings.color_mode")
        guard.set(scene, "render.image_settings.file_format", shot.file_format)
        guard.set(scene, "render.image_settings.color_depth", shot.color_depth)


def _apply_contents(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    """What is rendered: view layers, world, collections."""
    if shot.use_view_layer:
        for number, layer in enumerate(scene.view_layers):
            guard.set(scene, f"view_layers[{number}].use", layer.name == shot.view_layer)
    if shot.use_world:
        guard.set(scene, "world", shot.world)
    for entry in shot.collections:
        if entry.collection is not None:
            guard.set_on(entry.collection, "hide_render", entry.hidden)


def _apply_samples(guard: SettingsGuard, scene: bpy.types.Scene, samples: int) -> None:
    engine: str = scene.render.engine
    if engine == "CYCLES":
        guard.set(scene, "cycles.samples", samples)
    elif engine.startswith("BLENDER_EEVEE"):  # BLENDER_EEVEE_NEXT in 4.2 to 4.5
        guard.set(scene, "eevee.taa_render_samples", samples)
