# SPDX-License-Identifier: GPL-3.0-or-later
"""The built-in overrides, each declared once: its key (also its name in a
shot list), its tick box (`use_<key>`), its fields with their shot property
names, the scene settings it writes and its rule. The shot's properties
(props.py), applying and a new shot's starting values (builtin_overrides.py),
shot-list files (core/shotlist.py), validation, the queue's own settings that
property overrides may not touch (property_overrides.py) and the panel all
loop over OVERRIDES; adding an override is one entry here and its test.

Blender-free: the Blender side reads a shot's values into a plain mapping
{key: {field: value}} and hands it to `problems_of`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from . import frame_list
from .paths import FORMAT_DEPTHS, FORMAT_EXTENSIONS
from .shots import MAX_FRAME

# Blender's whole numbers are 32-bit: the limits of a field that sets none.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class Kind(Enum):
    INT = "int"
    TEXT = "text"
    CHOICE = "choice"  # one of Field.choices
    WORLD = "world"  # a World datablock, stored by name in a shot list


@dataclass(frozen=True)
class Names:
    """What exists in the .blend a shot is checked against; None: not known
    here (checked later, in Blender)."""

    cameras: frozenset[str] = frozenset()
    worlds: frozenset[str] = frozenset()
    collections: frozenset[str] = frozenset()
    view_layers: frozenset[str] = frozenset()
    engines: frozenset[str] | None = None


@dataclass(frozen=True)
class Field:
    prop: str  # the shot's property: "resolution_x" (scripts use these names)
    json: str  # its name inside the override's object in a shot list
    kind: Kind
    label: str
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    subtype: Literal["NONE", "PIXEL", "PERCENTAGE"] = "NONE"  # how Blender shows the number
    choices: tuple[str, ...] = ()
    names: str = ""  # the Names set its value must be in ("worlds", "view_layers", "engines")
    scene: str = ""  # the scene setting it writes, as an RNA path; "" = written by special code
    optional: bool = False  # a shot list may leave it out (added in a later version): the default
    description: str = ""  # the tooltip


@dataclass(frozen=True)
class BuiltinOverride:
    key: str
    label: str
    description: str
    fields: tuple[Field, ...]
    rule: Callable[[Mapping[str, Any]], tuple[str, str] | None] | None = None  # -> (field, message)
    yields_to: str = ""  # another override that, when on, makes this one do nothing
    extra_scene_settings: tuple[str, ...] = ()  # also written, by special code (builtin_overrides.py)

    @property
    def toggle(self) -> str:
        return f"use_{self.key}"

    @property
    def is_single(self) -> bool:
        """One value, stored in a shot list as the value itself."""
        return len(self.fields) == 1

    @property
    def scene_settings(self) -> tuple[str, ...]:
        return tuple(field.scene for field in self.fields if field.scene) + self.extra_scene_settings


def _frame_range_rule(values: Mapping[str, Any]) -> tuple[str, str] | None:
    text = values.get("frame_list", "")
    if text.strip():  # a list replaces start, end and step
        try:
            frame_list.parse(text)
        except frame_list.FrameListError as error:
            return "frame_list", f"frame list '{text[:60]}': {error}"
        return None
    start, end, step = values["frame_start"], values["frame_end"], values["frame_step"]
    if step < 1 or end < start:
        return "frame_range", f"frame range {start}-{end} step {step} has no frame"
    if start < 0:
        # Blender starts an animation at frame 0 at the earliest, even with
        # Allow Negative Frames on (measured): its files would not be these.
        return "frame_range", f"frame range {start}-{end} starts below 0: Blender renders a range from frame 0 on"
    if end > MAX_FRAME:
        return "frame_range", f"frame range {start}-{end} ends after {MAX_FRAME}, the last frame Blender renders"
    return None


def _resolution_rule(values: Mapping[str, Any]) -> tuple[str, str] | None:
    if min(values.values()) < 1:
        return "resolution", "resolution must be at least 1 x 1 at 1%"
    return None


def _samples_rule(values: Mapping[str, Any]) -> tuple[str, str] | None:
    return ("samples", "samples must be at least 1") if values["samples"] < 1 else None


def _file_format_rule(values: Mapping[str, Any]) -> tuple[str, str] | None:
    fmt, depth = values["file_format"], values["color_depth"]
    if fmt not in FORMAT_DEPTHS:
        return "file_format", f"file format '{fmt}' is not supported"
    if depth not in FORMAT_DEPTHS[fmt]:
        depths = " or ".join(FORMAT_DEPTHS[fmt])
        return "color_depth", f"{fmt} has no {depth}-bit colour depth (use {depths})"
    return None


OVERRIDES: tuple[BuiltinOverride, ...] = (
    BuiltinOverride(
        "frame",
        "Frame",
        "Render a still at another frame",
        (Field("frame", "frame", Kind.INT, "Frame", 1, scene="frame_current"),),
        yields_to="frame_range",
    ),
    BuiltinOverride(
        "frame_range",
        "Frame Range",
        "Render these frames as an animation",
        (
            Field("frame_start", "start", Kind.INT, "Start", 1, scene="frame_start"),
            Field("frame_end", "end", Kind.INT, "End", 10, scene="frame_end"),
            Field("frame_step", "step", Kind.INT, "Step", 1, minimum=1, scene="frame_step"),
            # "1-10, 15, 20-30:2, !5" (core/frame_list.py): when not empty, these frames instead
            Field(
                "frame_list",
                "list",
                Kind.TEXT,
                "Frames",
                "",
                optional=True,
                description="A frame list such as 1-10, 15, 20-30:2, !5 (! leaves frames out). "
                "When set, it replaces Start, End and Step",
            ),
        ),
        rule=_frame_range_rule,
    ),
    BuiltinOverride(
        "resolution",
        "Resolution",
        "Render at another resolution",
        (
            Field("resolution_x", "x", Kind.INT, "X", 1920, minimum=4, subtype="PIXEL", scene="render.resolution_x"),
            Field("resolution_y", "y", Kind.INT, "Y", 1080, minimum=4, subtype="PIXEL", scene="render.resolution_y"),
            Field(
                "resolution_percentage",
                "percentage",
                Kind.INT,
                "%",
                100,
                minimum=1,
                maximum=32767,
                subtype="PERCENTAGE",
                scene="render.resolution_percentage",
            ),
        ),
        rule=_resolution_rule,
    ),
    BuiltinOverride(
        "engine",
        "Engine",
        "Render with another engine",
        (Field("engine", "engine", Kind.TEXT, "Engine", "CYCLES", names="engines", scene="render.engine"),),
    ),
    BuiltinOverride(
        "samples",
        "Samples",
        "Other render samples (Cycles and EEVEE)",
        (Field("samples", "samples", Kind.INT, "Samples", 64, minimum=1),),
        rule=_samples_rule,
        extra_scene_settings=("cycles.samples", "eevee.taa_render_samples"),
    ),
    BuiltinOverride(
        "view_layer",
        "View Layer",
        "Render only this view layer",
        (Field("view_layer", "view_layer", Kind.TEXT, "View Layer", "", names="view_layers"),),
        extra_scene_settings=("view_layers[*].use",),
    ),
    BuiltinOverride(
        "world",
        "World",
        "Render with another world",
        (Field("world", "world", Kind.WORLD, "World", names="worlds", scene="world"),),
    ),
    BuiltinOverride(
        "file_format",
        "File Format",
        "Write another image format",
        (
            Field(
                "file_format",
                "format",
                Kind.CHOICE,
                "Format",
                "PNG",
                choices=tuple(FORMAT_EXTENSIONS),
                scene="render.image_settings.file_format",
            ),
            Field(
                "color_depth",
                "color_depth",
                Kind.CHOICE,
                "Color Depth",
                "8",
                choices=("8", "16", "32"),
                scene="render.image_settings.color_depth",
            ),
        ),
        rule=_file_format_rule,
        extra_scene_settings=("render.image_settings.media_type", "render.image_settings.color_mode"),
    ),
)
BY_KEY: dict[str, BuiltinOverride] = {override.key: override for override in OVERRIDES}

# What the queue writes on the scene for each override: a property override
# of one of these would fight the built-in one.
SCENE_SETTING_OWNERS: dict[str, BuiltinOverride] = {
    setting: override for override in OVERRIDES for setting in override.scene_settings
}

_NAME_WORDS = {"worlds": "world", "view_layers": "view layer", "engines": "render engine"}


def storable(on: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The ticked overrides a shot list can store: one whose datablock is
    gone (a World override with no world) has nothing to store, and is left
    out as if unticked."""
    return {
        key: dict(values)
        for key, values in on.items()
        if not any(field.kind is Kind.WORLD and values[field.prop] == "" for field in BY_KEY[key].fields)
    }


def effective(on: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The overrides that act: those that are on and not outdone by another."""
    return {key: values for key, values in on.items() if BY_KEY[key].yields_to not in on}


def problems_of(
    on: Mapping[str, Mapping[str, Any]], names: Names | None = None, scene_name: str = ""
) -> list[tuple[str, str]]:
    """(field, message) for each override that cannot be applied; `on` maps
    the key of each ticked override to its {field prop: value}."""
    found: list[tuple[str, str]] = []
    for key, values in effective(on).items():
        override = BY_KEY[key]
        for field in override.fields:
            problem = _name_problem(field, values.get(field.prop, field.default), names, scene_name)
            if problem:
                found.append((field.prop, problem))
        rule = override.rule(values) if override.rule else None
        if rule:
            found.append(rule)
    return found


def _name_problem(field: Field, value: Any, names: Names | None, scene_name: str) -> str:
    if not field.names:
        return ""
    word = _NAME_WORDS[field.names]
    if value == "" and field.kind is Kind.WORLD:
        return f"the {word} override is on but has no {word} (deleted?)"
    known = getattr(names, field.names) if names is not None else None
    if known is None or value in known:
        return ""
    if field.names == "engines":
        return f"{word} '{value}' is not available in this Blender"
    place = f"scene '{scene_name}'" if field.names == "view_layers" and scene_name else "this file"
    return f"{word} '{value}' does not exist in {place}"
