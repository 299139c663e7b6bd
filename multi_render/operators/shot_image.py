# SPDX-License-Identifier: GPL-3.0-or-later
"""Open a shot's last image in an Image Editor (the thumbnail's button)."""

from __future__ import annotations

import os

import bpy
from bpy.props import IntProperty

from ..bl_types import OperatorResult
from ..props import scene_shots


class MULTIRENDER_OT_shot_image_open(bpy.types.Operator):
    bl_idname = "multi_render.shot_image_open"
    bl_label = "Open Image"
    bl_description = "Show the shot's last image in an Image Editor (a new window if this one has none)"
    bl_options = {"INTERNAL"}

    index: IntProperty(name="Shot", min=0)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        shots = scene_shots(context.scene).shots  # type: ignore[arg-type]
        path = shots[self.index].output if self.index < len(shots) else ""
        if not path or not os.path.isfile(path):
            self.report({"ERROR"}, f"No image on disk for this shot ({path or 'never rendered'})")
            return {"CANCELLED"}
        image = bpy.data.images.load(path, check_existing=True)
        image.reload()  # the file may have been written again since
        area = _image_editor(context.screen) if context.screen is not None else None
        if area is None:
            bpy.ops.wm.window_new()
            window = context.window_manager.windows[-1]  # type: ignore[union-attr]
            area = max(window.screen.areas, key=lambda each: each.width * each.height)
            area.type = "IMAGE_EDITOR"
        area.spaces.active.image = image  # type: ignore[union-attr]
        return {"FINISHED"}


def _image_editor(screen: bpy.types.Screen) -> bpy.types.Area | None:
    return next((area for area in screen.areas if area.type == "IMAGE_EDITOR"), None)


CLASSES = (MULTIRENDER_OT_shot_image_open,)
