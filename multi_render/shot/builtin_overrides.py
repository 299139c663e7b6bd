# SPDX-License-Identifier: GPL-3.0-or-later
"""The built-in overrides (declared in core/overrides.py) on the Blender
side: the shot's properties for each, a shot's ticked values, the scene's
current values, and setting them on the scene through a SettingsGuard."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty, PointerProperty, StringProperty

from ..core import frame_list
from ..core.overrides import BY_KEY, INT_MAX, INT_MIN, OVERRIDES, Field, Kind, effective
from ..core.shots import FrameRange
from ..guards.settings import SettingsGuard
from .engines import available_engines


def _engine_ids(_shot: Any, _context: Any, _text: str) -> list[str]:
    """Search list for the engine override: every render engine of this Blender."""
    return available_engines()


def _field_property(field: Field) -> Any:
    if field.kind is Kind.INT:
        return IntProperty(
            name=field.label,
            description=field.description,
            default=field.default,
            subtype=field.subtype,
            min=INT_MIN if field.minimum is None else field.minimum,
            max=INT_MAX if field.maximum is None else field.maximum,
        )
    if field.kind is Kind.CHOICE:
        items = [(choice, choice.replace("_", " ").title(), f"{field.label}: {choice}") for choice in field.choices]
        return EnumProperty(name=field.label, description=field.description, items=items, default=field.default)
    if field.kind is Kind.WORLD:
        return PointerProperty(name=field.label, description=field.description, type=bpy.types.World)
    if field.names == "engines":
        return StringProperty(
            name=field.label, description=field.description, default=field.default, search=_engine_ids
        )
    return StringProperty(name=field.label, description=field.description, default=field.default)


def shot_properties() -> dict[str, Any]:
    """The shot's annotations for every override: its tick box, then its fields."""
    found: dict[str, Any] = {}
    for override in OVERRIDES:
        toggle = BoolProperty(name=override.label, description=override.description)  # type: ignore[func-returns-value]
        found[override.toggle] = toggle
        for field in override.fields:
            found[field.prop] = _field_property(field)
    return found


def _plain(value: Any) -> Any:
    """A datablock by its name (a world), so the value is plain data."""
    if isinstance(value, bpy.types.ID):
        return value.name
    return "" if value is None else value


def ticked(shot: Any) -> dict[str, dict[str, Any]]:
    """{key: {field: value}} of the shot's ticked overrides, datablocks by name."""
    return {
        override.key: {field.prop: _plain(getattr(shot, field.prop)) for field in override.fields}
        for override in OVERRIDES
        if getattr(shot, override.toggle)
    }


def set_values(shot: Any, on: Mapping[str, Mapping[str, Any]]) -> None:
    """Tick these overrides and set their fields (datablocks given by name)."""
    for key, values in on.items():
        setattr(shot, BY_KEY[key].toggle, True)
        for field in BY_KEY[key].fields:
            value = values[field.prop]
            setattr(shot, field.prop, bpy.data.worlds.get(value) if field.kind is Kind.WORLD else value)


def _current_samples(scene: bpy.types.Scene) -> int | None:
    engine: str = scene.render.engine
    if engine == "CYCLES" and hasattr(scene, "cycles"):
        return int(scene.cycles.samples)
    if engine.startswith("BLENDER_EEVEE"):
        return int(scene.eevee.taa_render_samples)
    return None


def _scene_value(scene: bpy.types.Scene, field: Field) -> Any:
    if field.scene:
        owner_path, _, attribute = field.scene.rpartition(".")
        owner: Any = scene.path_resolve(owner_path) if owner_path else scene  # type: ignore[func-returns-value]
        return getattr(owner, attribute)
    if field.prop == "samples":
        return _current_samples(scene)
    if field.prop == "view_layer":
        return next((layer.name for layer in scene.view_layers if layer.use), None)
    return None


def start_from_scene(shot: Any, scene: bpy.types.Scene) -> None:
    """Every override's fields take the scene's current values, so that ticking
    one starts from what the scene renders now (a new shot)."""
    for override in OVERRIDES:
        for field in override.fields:
            value = _scene_value(scene, field)
            if value is None or (field.choices and value not in field.choices):
                continue
            try:
                setattr(shot, field.prop, value)
            except (TypeError, ValueError):  # outside the field's limits
                continue


def _apply_samples(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    engine: str = scene.render.engine
    if engine == "CYCLES":
        guard.set(scene, "cycles.samples", shot.samples)
    elif engine.startswith("BLENDER_EEVEE"):  # BLENDER_EEVEE_NEXT in 4.2 to 4.5
        guard.set(scene, "eevee.taa_render_samples", shot.samples)


def _apply_view_layer(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    for number, layer in enumerate(scene.view_layers):
        guard.set(scene, f"view_layers[{number}].use", layer.name == shot.view_layer)


def _prepare_file_format(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any) -> None:
    if hasattr(scene.render.image_settings, "media_type"):  # Blender 5.0+: before the format
        # Each media type offers only its own formats: MultiLayer EXR is not an IMAGE one.
        media = "MULTI_LAYER_IMAGE" if shot.file_format == "OPEN_EXR_MULTILAYER" else "IMAGE"
        guard.set(scene, "render.image_settings.media_type", media)
    # A format without alpha (JPEG) turns RGBA into RGB; put it back later.
    guard.remember(scene, "render.image_settings.color_mode")


def _prepare_frame_range(guard: SettingsGuard, scene: bpy.types.Scene, _shot: Any) -> None:
    # Blender moves the end when a start passes it (and the start when an
    # end does): both remembered before either changes.
    guard.remember(scene, "frame_start")
    guard.remember(scene, "frame_end")


# What an override writes besides its fields' own scene settings; run before them.
_SPECIAL: dict[str, Callable[[SettingsGuard, bpy.types.Scene, Any], None]] = {
    "frame_range": _prepare_frame_range,
    "samples": _apply_samples,
    "view_layer": _apply_view_layer,
    "file_format": _prepare_file_format,
}


def apply(guard: SettingsGuard, scene: bpy.types.Scene, shot: Any, segment: int = 0) -> None:
    """Set the shot's ticked overrides on the scene, in the registry's order
    (the engine before the samples, which depend on it). `segment`: which
    render of a frame list (segments) the scene's frame range is for."""
    on: dict[str, Mapping[str, Any]] = {override.key: {} for override in OVERRIDES if getattr(shot, override.toggle)}
    for key in effective(on):
        if key in _SPECIAL:
            _SPECIAL[key](guard, scene, shot)
        for field in BY_KEY[key].fields:
            if field.scene:
                guard.set(scene, field.scene, getattr(shot, field.prop))
    if "frame_range" in effective(on) and shot.frame_list.strip():
        parts = segments(shot)
        if segment >= len(parts):
            raise ValueError("its Frames changed during the run: render it again")
        frames = parts[segment]
        guard.set(scene, "frame_start", frames.start)
        guard.set(scene, "frame_end", frames.end)
        guard.set(scene, "frame_step", frames.step)


def segments(shot: Any) -> list[FrameRange]:
    """The animation renders of a frame-range shot (core/frame_list.py);
    raises FrameListError when its list is wrong."""
    return frame_list.shot_segments(shot.frame_start, shot.frame_end, shot.frame_step, shot.frame_list)


def shot_frames(shot: Any) -> list[int]:
    """The frames a frame-range shot renders; raises FrameListError when its list is wrong."""
    return frame_list.frames_of(shot.frame_start, shot.frame_end, shot.frame_step, shot.frame_list)
