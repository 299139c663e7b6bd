# SPDX-License-Identifier: GPL-3.0-or-later
"""Editing the shot list: add, remove, move, duplicate, one shot per camera."""

from __future__ import annotations

from typing import Any

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty

from ..bl_types import OperatorResult
from ..props import VALUE_VIEWS, scene_shots
from ..run import session
from ..shot import builtin_overrides


def shots_of(context: bpy.types.Context) -> Any:
    return scene_shots(context.scene)  # type: ignore[arg-type]


class ShotListOperator(bpy.types.Operator):
    """What every list-editing operator shares: undo, and no editing while a
    queue runs (its shots are found by position and name)."""

    bl_options = {"REGISTER", "UNDO"}
    needs_active_shot = False

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if context.scene is None:
            return False
        if session.active() is not None:
            cls.poll_message_set("The shot list cannot change while a queue runs")
            return False
        data = shots_of(context)
        if cls.needs_active_shot and not 0 <= data.active_shot_index < len(data.shots):
            cls.poll_message_set("No shot is selected")
            return False
        return True


def _unique_name(data: Any, base: str) -> str:
    names = {shot.name for shot in data.shots}
    if base not in names:
        return base
    number = 2
    while f"{base}.{number:03d}" in names:
        number += 1
    return f"{base}.{number:03d}"


def copy_shot(source: Any, target: Any) -> None:
    """Copy every property of one shot to another, lists of items included
    (collection visibility, property overrides)."""
    for prop in source.bl_rna.properties:
        if prop.identifier == "rna_type" or prop.identifier in VALUE_VIEWS:
            continue
        if prop.type == "COLLECTION":
            items = getattr(target, prop.identifier)
            items.clear()
            for item in getattr(source, prop.identifier):
                copy_shot(item, items.add())
        elif not prop.is_readonly:
            setattr(target, prop.identifier, getattr(source, prop.identifier))


class MULTIRENDER_OT_shot_add(ShotListOperator):
    bl_idname = "multi_render.shot_add"
    bl_label = "Add Shot"
    bl_description = "Add a shot that renders from the scene's active camera"

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = shots_of(context)
        shot = data.shots.add()
        builtin_overrides.start_from_scene(shot, context.scene)  # type: ignore[arg-type]
        shot.name = _unique_name(data, f"Shot {len(data.shots)}")
        if context.scene.camera is not None and context.scene.camera.type == "CAMERA":
            shot.camera = context.scene.camera
        data.active_shot_index = len(data.shots) - 1
        return {"FINISHED"}


class MULTIRENDER_OT_shot_remove(ShotListOperator):
    bl_idname = "multi_render.shot_remove"
    bl_label = "Remove Shot"
    bl_description = "Remove the selected shot"
    needs_active_shot = True

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = shots_of(context)
        data.shots.remove(data.active_shot_index)
        data.active_shot_index = max(0, min(data.active_shot_index, len(data.shots) - 1))
        return {"FINISHED"}


class MULTIRENDER_OT_shot_move(ShotListOperator):
    bl_idname = "multi_render.shot_move"
    bl_label = "Move Shot"
    bl_description = "Move the selected shot up or down the list"
    needs_active_shot = True

    direction: EnumProperty(items=(("UP", "Up", "Move up"), ("DOWN", "Down", "Move down")))

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = shots_of(context)
        index = data.active_shot_index
        target = index - 1 if self.direction == "UP" else index + 1
        if not 0 <= target < len(data.shots):
            return {"CANCELLED"}
        data.shots.move(index, target)
        data.active_shot_index = target
        return {"FINISHED"}


class MULTIRENDER_OT_shot_duplicate(ShotListOperator):
    bl_idname = "multi_render.shot_duplicate"
    bl_label = "Duplicate Shot"
    bl_description = "Add a copy of the selected shot below it"
    needs_active_shot = True

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = shots_of(context)
        source_index = data.active_shot_index
        copy = data.shots.add()
        copy_shot(data.shots[source_index], copy)
        copy.name = _unique_name(data, data.shots[source_index].name)
        copy.status = "PENDING"
        copy.output = ""
        data.shots.move(len(data.shots) - 1, source_index + 1)
        data.active_shot_index = source_index + 1
        return {"FINISHED"}


class MULTIRENDER_OT_shots_from_cameras(ShotListOperator):
    bl_idname = "multi_render.shots_from_cameras"
    bl_label = "Shots from Cameras"
    bl_description = "Add one shot for each camera of the scene that has none yet"

    selected_only: BoolProperty(name="Selected Cameras Only", default=False)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = shots_of(context)
        used = {shot.camera for shot in data.shots if shot.camera is not None}
        cameras = sorted(
            (obj for obj in context.scene.objects if obj.type == "CAMERA" and obj not in used),
            key=lambda obj: obj.name,
        )
        if self.selected_only:
            cameras = [obj for obj in cameras if obj.select_get()]
        for camera in cameras:
            shot = data.shots.add()
            builtin_overrides.start_from_scene(shot, context.scene)  # type: ignore[arg-type]
            shot.name = _unique_name(data, camera.name)
            shot.camera = camera
        if cameras:
            data.active_shot_index = len(data.shots) - 1
        self.report({"INFO"}, f"Added {len(cameras)} shot{'s' if len(cameras) != 1 else ''}")
        return {"FINISHED"}


def active_shot(context: bpy.types.Context) -> Any:
    data = shots_of(context)
    return data.shots[data.active_shot_index]


class ShotItemRemoveOperator(ShotListOperator):
    """Remove item `index` of one of the selected shot's lists (`list_name`).
    Subclasses declare `index: IntProperty(min=0)` themselves (Blender reads
    an operator's properties from its own class)."""

    needs_active_shot = True
    list_name = ""
    index: int

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        items = getattr(active_shot(context), self.list_name)
        if self.index >= len(items):
            return {"CANCELLED"}
        items.remove(self.index)
        return {"FINISHED"}


class MULTIRENDER_OT_shot_collection_add(ShotListOperator):
    bl_idname = "multi_render.shot_collection_add"
    bl_label = "Add Collection Override"
    bl_description = "Show or hide a collection in the selected shot's render"
    needs_active_shot = True

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        active_shot(context).collections.add().hidden = True
        return {"FINISHED"}


class MULTIRENDER_OT_shot_collection_remove(ShotItemRemoveOperator):
    bl_idname = "multi_render.shot_collection_remove"
    bl_label = "Remove Collection Override"
    bl_description = "The collection is rendered as the scene has it"
    list_name = "collections"

    index: IntProperty(name="Index", min=0)


CLASSES = (
    MULTIRENDER_OT_shot_add,
    MULTIRENDER_OT_shot_remove,
    MULTIRENDER_OT_shot_move,
    MULTIRENDER_OT_shot_duplicate,
    MULTIRENDER_OT_shots_from_cameras,
    MULTIRENDER_OT_shot_collection_add,
    MULTIRENDER_OT_shot_collection_remove,
)
