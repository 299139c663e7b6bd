# SPDX-License-Identifier: GPL-3.0-or-later
"""Data: the shot list on each Scene (saved in the .blend) and the queue's
runtime state on the WindowManager (never saved)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    FloatVectorProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

from .core import movie
from .core.property_paths import PathError, parse_value, value_text
from .core.status import ShotStatus
from .shot import builtin_overrides

STATUS_ICONS = {
    ShotStatus.PENDING: "RADIOBUT_OFF",
    ShotStatus.RENDERING: "RENDER_STILL",
    ShotStatus.DONE: "CHECKMARK",
    ShotStatus.SKIPPED: "FORWARD",
    ShotStatus.FAILED: "ERROR",
    ShotStatus.CANCELLED: "CANCEL",
}


def status_icon(status: str) -> str:
    """A stored status's icon; one this version does not know (a .blend from
    a newer one) shows as a question mark."""
    return STATUS_ICONS[ShotStatus(status)] if ShotStatus.known(status) else "QUESTION"


_STATUS_ITEMS = [
    (status.value, status.value.title(), f"The shot's last run: {status.value.lower()}", STATUS_ICONS[status], number)
    for number, status in enumerate(ShotStatus)
]


def _is_camera(_shot: bpy.types.PropertyGroup, obj: bpy.types.Object) -> bool:
    return obj.type == "CAMERA"


# Blender 5 warns about "//" in a file path property unless it says it takes
# them; Blender 4.2 does not know that option yet.
_PATH_OPTIONS = (
    {"PATH_SUPPORTS_BLEND_RELATIVE"}
    if "is_path_supports_blend_relative" in bpy.types.Property.bl_rna.properties
    else set()
)


class MULTIRENDER_PG_collection_visibility(bpy.types.PropertyGroup):
    collection: PointerProperty(name="Collection", type=bpy.types.Collection)
    hidden: BoolProperty(name="Hidden", default=True, description="Hide the collection in this shot's render")


def _parsed(item: Any) -> Any:
    try:
        return parse_value(item.value)
    except PathError:
        return None


def _typed_view(kind: type, size: int = 0) -> tuple[Callable[[Any], Any], Callable[[Any, Any], None]]:
    """get/set of a typed view of an override's text value, so that the panel
    can draw the property's own kind of widget (a colour swatch, a tick box)
    while the text stays what is stored, checked and saved."""

    def get(item: Any) -> Any:
        value = _parsed(item)
        if size:
            fits = isinstance(value, tuple) and len(value) == size and all(isinstance(v, int | float) for v in value)
            return tuple(float(v) for v in value) if fits else (0.0,) * size
        if isinstance(value, bool) or not isinstance(value, int | float):
            return kind() if kind is not bool else bool(value is True)
        return kind(value)

    def put(item: Any, value: Any) -> None:
        item.value = value_text(tuple(value) if size else kind(value))

    return get, put


# The typed views of a property override's value: computed, never stored or copied.
VALUE_VIEWS = ("number", "whole", "flag", "color3", "color4")
_AS_FLOAT, _AS_INT, _AS_BOOL = _typed_view(float), _typed_view(int), _typed_view(bool)
_AS_RGB, _AS_RGBA = _typed_view(float, 3), _typed_view(float, 4)


class MULTIRENDER_PG_property_override(bpy.types.PropertyGroup):
    """Any Blender property, set for one shot. Both fields are text that is
    parsed, never run (core/property_paths.py); the typed views below show
    and edit that text with a widget of the property's kind."""

    enabled: BoolProperty(name="Enabled", default=True, description="Apply this override when the shot renders")
    data_path: StringProperty(
        name="Data Path",
        description='The property, as Copy Full Data Path gives it: bpy.data.lights["Key"].energy',
    )
    value: StringProperty(
        name="Value",
        description="A number, True/False, 'text', (r, g, b, a), or a datablock: bpy.data.materials[\"Red\"]",
    )
    number: FloatProperty(name="Value", get=_AS_FLOAT[0], set=_AS_FLOAT[1])
    whole: IntProperty(name="Value", get=_AS_INT[0], set=_AS_INT[1])
    flag: BoolProperty(name="Value", get=_AS_BOOL[0], set=_AS_BOOL[1])
    color3: FloatVectorProperty(name="Value", size=3, subtype="COLOR", get=_AS_RGB[0], set=_AS_RGB[1])
    color4: FloatVectorProperty(name="Value", size=4, subtype="COLOR", get=_AS_RGBA[0], set=_AS_RGBA[1])


class MULTIRENDER_PG_shot(bpy.types.PropertyGroup):
    name: StringProperty(name="Name", default="Shot", description="The shot's name, used in reports and file names")
    enabled: BoolProperty(name="Enabled", default=True, description="Render this shot with Render Shots")
    camera: PointerProperty(
        name="Camera", type=bpy.types.Object, poll=_is_camera, description="The camera this shot renders from"
    )
    filepath: StringProperty(
        name="Output",
        subtype="FILE_PATH",
        options=_PATH_OPTIONS,
        description=(
            "File to write (// is relative to the .blend). Empty: the scene's output folder and the shot's name"
        ),
    )
    status: EnumProperty(name="Status", items=_STATUS_ITEMS, default=ShotStatus.PENDING.value)
    # Then the built-in overrides (use_resolution, resolution_x, ...): see _with_overrides.
    collections: CollectionProperty(
        name="Collections", type=MULTIRENDER_PG_collection_visibility, description="Collections shown or hidden"
    )
    property_overrides: CollectionProperty(
        name="Property Overrides",
        type=MULTIRENDER_PG_property_override,
        description="Any Blender property, set for this shot only",
    )
    make_movie: BoolProperty(
        name="Movie",
        description=(
            "After a frame range's images are written, encode them into one movie with Blender's FFmpeg, "
            "in a background Blender (the images stay)"
        ),
    )
    movie_format: EnumProperty(
        name="Movie Format",
        items=[(key, chosen.label, f"Encode the movie as {chosen.label}") for key, chosen in movie.FORMATS.items()],
        default="H264",
    )
    movie_path: StringProperty(
        name="Movie Path",
        default=movie.DEFAULT_TEMPLATE,
        subtype="FILE_PATH",
        options=_PATH_OPTIONS,
        description=(
            "Where the movie goes: relative to the frames' folder (// to the .blend's), with the tokens "
            "of the output path; the extension is added"
        ),
    )
    movie: StringProperty(
        name="Last Movie", subtype="FILE_PATH", options=_PATH_OPTIONS, description="The movie the last run wrote"
    )
    last_seconds: FloatProperty(
        name="Last Render Time",
        description="Seconds the shot's last render took (a frame range: all of it); 0 if never rendered",
        min=0.0,
    )
    output: StringProperty(
        name="Last Output",
        subtype="FILE_PATH",
        options=_PATH_OPTIONS,
        description="The file the last run wrote (empty if none)",
    )


def _with_overrides(annotations: dict[str, Any], after: str) -> dict[str, Any]:
    """The shot's annotations with every built-in override's properties
    (core/overrides.py declares them) placed after `after`."""
    names = list(annotations)
    cut = names.index(after) + 1
    overrides = builtin_overrides.shot_properties()
    return {
        **{name: annotations[name] for name in names[:cut]},
        **overrides,
        **{name: annotations[name] for name in names[cut:]},
    }


MULTIRENDER_PG_shot.__annotations__ = _with_overrides(MULTIRENDER_PG_shot.__annotations__, "status")


class MULTIRENDER_PG_history_shot(bpy.types.PropertyGroup):
    """One shot of a past run (core/run_record.py)."""

    name: StringProperty(name="Name")
    status: StringProperty(name="Status")
    seconds: FloatProperty(name="Seconds", min=0.0)
    files: StringProperty(name="Files", description="The files the shot wrote, one a line")
    reason: StringProperty(name="Reason")


class MULTIRENDER_PG_history_run(bpy.types.PropertyGroup):
    """One past run of the queue, kept in the scene (newest first)."""

    started: StringProperty(name="Started")
    seconds: FloatProperty(name="Seconds", min=0.0)
    blender: StringProperty(name="Blender", description="The Blender version that rendered")
    report: StringProperty(name="Report")
    shots: CollectionProperty(type=MULTIRENDER_PG_history_shot)


class MULTIRENDER_PG_other_file(bpy.types.PropertyGroup):
    """A .blend file the Other Files list renders in a background process (never opened here)."""

    filepath: StringProperty(name="File", subtype="FILE_PATH", description="The .blend file to render")
    enabled: BoolProperty(name="Render", default=True, description="Render this file with Render Other Files")
    without_shots: EnumProperty(
        name="Without Shots",
        items=(
            ("STILL", "Still (F12)", "A file without shots renders its current frame, to its own output path"),
            ("ANIMATION", "Animation (Ctrl+F12)", "A file without shots renders its frame range, to its own output"),
        ),
        default="STILL",
        description="What a file without shots renders (a file with shots renders its ticked shots)",
    )
    status: StringProperty(name="Status", default=ShotStatus.PENDING.value)
    result: StringProperty(name="Result", description="What it rendered, its progress, or why it failed")


class MULTIRENDER_PG_scene(bpy.types.PropertyGroup):
    shots: CollectionProperty(type=MULTIRENDER_PG_shot)
    other_files: CollectionProperty(type=MULTIRENDER_PG_other_file, description="Other .blend files to render")
    active_other_file_index: IntProperty(name="Active Other File", min=0)
    active_shot_index: IntProperty(name="Active Shot", min=0)
    skip_existing: BoolProperty(
        name="Skip Existing Files", description="Do not render shots whose files are already on disk"
    )
    contact_sheet: BoolProperty(
        name="Contact Sheet",
        description="At the end of a run, write one image with every shot's image on a grid, each labelled",
    )
    contact_sheet_path: StringProperty(
        name="Contact Sheet File",
        default="contact_sheet_{date}_{time}.png",
        subtype="FILE_PATH",
        options=_PATH_OPTIONS,
        description="Where the contact sheet goes (a template; relative: in the scene's output folder)",
    )
    history: CollectionProperty(type=MULTIRENDER_PG_history_run, description="The last runs, newest first")
    run_in: EnumProperty(
        name="Render In",
        items=(
            (
                "THIS_BLENDER",
                "This Blender",
                "Render here, one shot after another, with Blender's own progress and image. Blender stays "
                "responsive, but its one render slot is the queue's",
            ),
            (
                "BACKGROUND",
                "Background Process",
                "Save a copy of the file and render it in a separate Blender process: keep working, make test "
                "renders and save while it renders (changes made now do not reach the queue)",
            ),
        ),
        default="THIS_BLENDER",
        description="Where the shots render",
    )
    processes: IntProperty(
        name="Processes",
        description="Background Blenders rendering at once, each taking the next shot when it is free. "
        "The processor's cores are shared out between them. Each one loads the scene: mind the memory",
        default=1,
        min=1,
        soft_max=8,
        max=64,
    )
    process_peak_mb: IntProperty(
        name="Process Memory",
        description="The most memory one background process used in the last runs (MB): what the next run "
        "expects each process to need",
        min=0,
        options={"HIDDEN"},
    )


class MULTIRENDER_PG_queue_offer(bpy.types.PropertyGroup):
    """A queue a Blender left unfinished (it quit or crashed), offered for a resume."""

    path: StringProperty(name="Queue File", subtype="FILE_PATH")
    text: StringProperty(name="Queue", description="How many shots, when it stopped, how many are done")
    blend: StringProperty(name="Blend File", subtype="FILE_PATH", description="The file the queue renders")
    problem: StringProperty(name="Problem", description="Why the queue file cannot be used, if it cannot")


class MULTIRENDER_PG_runtime(bpy.types.PropertyGroup):
    is_running: BoolProperty(name="Running", description="A shot queue is running")
    progress_text: StringProperty(name="Progress")
    last_report: StringProperty(name="Last Report")
    is_paused: BoolProperty(name="Paused", description="The queue holds after the current render")
    in_background: BoolProperty(
        name="In the Background", description="The running queue renders a copy in a separate Blender process"
    )
    process_lines: StringProperty(
        name="Processes", description="With several background processes: each one's shot and progress, a line each"
    )
    last_contact_sheet: StringProperty(
        name="Last Contact Sheet", subtype="FILE_PATH", description="The contact sheet the last run wrote"
    )
    farm_job: StringProperty(name="Farm Job", description="The Flamenco job whose shots the list follows")
    farm_name: StringProperty(name="Farm Job Name", description="The followed Flamenco job's name")
    farm_text: StringProperty(name="Farm Job State", description="The followed Flamenco job's state")
    queue_offers: CollectionProperty(type=MULTIRENDER_PG_queue_offer, name="Unfinished Queues")
    files_running: BoolProperty(name="Other Files Rendering", description="The Other Files list is rendering")


def scene_shots(scene: bpy.types.Scene) -> MULTIRENDER_PG_scene:
    """The shot list of a scene (typed access to the dynamic property)."""
    return scene.multi_render  # type: ignore[attr-defined,no-any-return]


def runtime_state(window_manager: bpy.types.WindowManager | None = None) -> MULTIRENDER_PG_runtime:
    """The queue's runtime state on the window manager."""
    return (window_manager or bpy.context.window_manager).multi_render  # type: ignore[union-attr,no-any-return]


CLASSES = (
    MULTIRENDER_PG_collection_visibility,
    MULTIRENDER_PG_property_override,
    MULTIRENDER_PG_shot,
    MULTIRENDER_PG_history_shot,
    MULTIRENDER_PG_history_run,
    MULTIRENDER_PG_other_file,
    MULTIRENDER_PG_scene,
    MULTIRENDER_PG_queue_offer,
    MULTIRENDER_PG_runtime,
)


def register() -> None:
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.multi_render = PointerProperty(type=MULTIRENDER_PG_scene)  # type: ignore[attr-defined,func-returns-value]
    bpy.types.WindowManager.multi_render = PointerProperty(type=MULTIRENDER_PG_runtime)  # type: ignore[attr-defined,func-returns-value]


def unregister() -> None:
    del bpy.types.WindowManager.multi_render  # type: ignore[attr-defined]
    del bpy.types.Scene.multi_render  # type: ignore[attr-defined]
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
