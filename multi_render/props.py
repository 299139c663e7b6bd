# SPDX-License-Identifier: GPL-3.0-or-later
"""Data: the shot list on each Scene (saved in the .blend) and the queue's
runtime state on the WindowManager (never saved)."""

from __future__ import annotations

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

from .core.status import ShotStatus

STATUS_ICONS = {
    ShotStatus.PENDING: "RADIOBUT_OFF",
    ShotStatus.RENDERING: "RENDER_STILL",
    ShotStatus.DONE: "CHECKMARK",
    ShotStatus.SKIPPED: "FORWARD",
    ShotStatus.FAILED: "ERROR",
    ShotStatus.CANCELLED: "CANCEL",
}

_STATUS_ITEMS = [
    (status.value, status.value.title(), f"The shot's last run: {status.value.lower()}", STATUS_ICONS[status], number)
    for number, status in enumerate(ShotStatus)
]


def _is_camera(_shot: bpy.types.PropertyGroup, obj: bpy.types.Object) -> bool:
    return obj.type == "CAMERA"


class MULTIRENDER_PG_shot(bpy.types.PropertyGroup):
    name: StringProperty(name="Name", default="Shot", description="The shot's name, used in reports and file names")  # type: ignore[valid-type]
    enabled: BoolProperty(name="Enabled", default=True, description="Render this shot with Render Shots")  # type: ignore[valid-type]
    camera: PointerProperty(  # type: ignore[valid-type]
        name="Camera", type=bpy.types.Object, poll=_is_camera, description="The camera this shot renders from"
    )
    filepath: StringProperty(  # type: ignore[valid-type]
        name="Output",
        subtype="FILE_PATH",
        description=(
            "File to write (// is relative to the .blend). Empty: the scene's output folder and the shot's name"
        ),
    )
    status: EnumProperty(name="Status", items=_STATUS_ITEMS, default=ShotStatus.PENDING.value)  # type: ignore[valid-type]
    output: StringProperty(  # type: ignore[valid-type]
        name="Last Output", subtype="FILE_PATH", description="The file the last run wrote (empty if none)"
    )


class MULTIRENDER_PG_scene(bpy.types.PropertyGroup):
    shots: CollectionProperty(type=MULTIRENDER_PG_shot)  # type: ignore[valid-type]
    active_shot_index: IntProperty(name="Active Shot", min=0)  # type: ignore[valid-type]


class MULTIRENDER_PG_runtime(bpy.types.PropertyGroup):
    is_running: BoolProperty(name="Running", description="A shot queue is running")  # type: ignore[valid-type]
    progress_text: StringProperty(name="Progress")  # type: ignore[valid-type]
    last_report: StringProperty(name="Last Report")  # type: ignore[valid-type]


def scene_shots(scene: bpy.types.Scene) -> MULTIRENDER_PG_scene:
    """The shot list of a scene (typed access to the dynamic property)."""
    return scene.multi_render  # type: ignore[attr-defined,no-any-return]


def runtime_state(window_manager: bpy.types.WindowManager | None = None) -> MULTIRENDER_PG_runtime:
    """The queue's runtime state on the window manager."""
    return (window_manager or bpy.context.window_manager).multi_render  # type: ignore[union-attr,no-any-return]


CLASSES = (MULTIRENDER_PG_shot, MULTIRENDER_PG_scene, MULTIRENDER_PG_runtime)


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
