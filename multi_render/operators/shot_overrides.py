# SPDX-License-Identifier: GPL-3.0-or-later
"""Property overrides of the selected shot: "Add to Shot Overrides" in the
right-click menu of any property button (beside Blender's own Copy Data
Path), an empty override to type in, and removing one."""

from __future__ import annotations

import bpy
from bpy.props import IntProperty, StringProperty

from ..bl_types import OperatorResult
from ..core.property_paths import PathError, parse_path
from ..shot import property_overrides
from .shots import ShotItemRemoveOperator, ShotListOperator, active_shot, shots_of


class MULTIRENDER_OT_property_override_add(ShotListOperator):
    bl_idname = "multi_render.property_override_add"
    bl_label = "Add to Shot Overrides"
    bl_description = "Override this property in the shot selected in Render Shots, starting from its current value"
    needs_active_shot = True

    data_path: StringProperty(
        name="Data Path",
        description="The property's full data path; empty: the property under the mouse",
        options={"SKIP_SAVE"},
    )

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        try:
            if self.data_path:
                path = parse_path(self.data_path)
            else:
                found = property_overrides.path_of_button(
                    getattr(context, "button_pointer", None), getattr(context, "button_prop", None)
                )
                if found is None:
                    raise PathError("this property is not inside a datablock of the file")
                path = found
            target = property_overrides.resolve(path)
        except PathError as error:
            self.report({"ERROR"}, f"Cannot override: {error}")
            return {"CANCELLED"}
        shot = active_shot(context)
        item = shot.property_overrides.add()
        item.data_path = str(path)
        item.value = property_overrides.current_value_text(target)
        self.report({"INFO"}, f"Shot '{shot.name}' overrides {property_overrides.label(target)}")
        return {"FINISHED"}


class MULTIRENDER_OT_property_override_new(ShotListOperator):
    bl_idname = "multi_render.property_override_new"
    bl_label = "Add Property Override"
    bl_description = "Add an empty property override to fill in (or right-click any property > Add to Shot Overrides)"
    needs_active_shot = True

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        active_shot(context).property_overrides.add()
        return {"FINISHED"}


class MULTIRENDER_OT_property_override_remove(ShotItemRemoveOperator):
    bl_idname = "multi_render.property_override_remove"
    bl_label = "Remove Property Override"
    bl_description = "The property keeps the scene's value in this shot"
    list_name = "property_overrides"

    index: IntProperty(name="Index", min=0)


def draw_button_menu(self: bpy.types.Menu, context: bpy.types.Context) -> None:
    """The entry in every property button's right-click menu."""
    if getattr(context, "button_prop", None) is None or getattr(context, "button_pointer", None) is None:
        return
    data = shots_of(context) if context.scene is not None else None
    if data is None or not 0 <= data.active_shot_index < len(data.shots):
        return
    self.layout.separator()
    self.layout.operator(MULTIRENDER_OT_property_override_add.bl_idname, icon="RENDERLAYERS")


CLASSES = (
    MULTIRENDER_OT_property_override_add,
    MULTIRENDER_OT_property_override_new,
    MULTIRENDER_OT_property_override_remove,
)


def register() -> None:
    bpy.types.UI_MT_button_context_menu.append(draw_button_menu)


def unregister() -> None:
    bpy.types.UI_MT_button_context_menu.remove(draw_button_menu)
