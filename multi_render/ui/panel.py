# SPDX-License-Identifier: GPL-3.0-or-later
"""The "Render Shots" tab of the 3D Viewport sidebar."""

from __future__ import annotations

from typing import Any

import bpy

from .. import scene_state
from ..core.status import ShotStatus
from ..props import STATUS_ICONS, runtime_state, scene_shots


class MULTIRENDER_UL_shots(bpy.types.UIList):
    bl_idname = "MULTIRENDER_UL_shots"

    def draw_item(
        self,
        _context: bpy.types.Context,
        layout: bpy.types.UILayout,
        _data: Any,
        item: Any,
        _icon: int | None,
        _active_data: Any,
        _active_propname: str | None,
        _index: int | None = 0,
        _flt_flag: int | None = 0,
    ) -> None:
        row = layout.row(align=True)
        row.prop(item, "enabled", text="")
        row.prop(item, "name", text="", emboss=False)
        camera = row.row()
        camera.active = item.camera is not None
        camera.label(text=item.camera.name if item.camera else "No camera", icon="OUTLINER_OB_CAMERA")
        row.label(text="", icon=STATUS_ICONS[ShotStatus(item.status)])  # type: ignore[arg-type]


class MULTIRENDER_PT_shots(bpy.types.Panel):
    bl_idname = "MULTIRENDER_PT_shots"
    bl_label = "Render Shots"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Render Shots"

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        scene = context.scene
        if layout is None or scene is None:
            return
        data = scene_shots(scene)
        runtime = runtime_state(context.window_manager)

        row = layout.row()
        row.template_list("MULTIRENDER_UL_shots", "", data, "shots", data, "active_shot_index", rows=4)
        buttons = row.column(align=True)
        buttons.operator("multi_render.shot_add", icon="ADD", text="")
        buttons.operator("multi_render.shot_remove", icon="REMOVE", text="")
        buttons.separator()
        buttons.operator("multi_render.shot_duplicate", icon="DUPLICATE", text="")
        buttons.operator("multi_render.shots_from_cameras", icon="OUTLINER_OB_CAMERA", text="")
        buttons.separator()
        buttons.operator("multi_render.shot_move", icon="TRIA_UP", text="").direction = "UP"
        buttons.operator("multi_render.shot_move", icon="TRIA_DOWN", text="").direction = "DOWN"

        if 0 <= data.active_shot_index < len(data.shots):
            self._draw_details(scene, layout, data.shots[data.active_shot_index])

        column = layout.column()
        column.scale_y = 1.6
        column.operator("multi_render.render_shots", icon="RENDER_STILL")
        if runtime.is_running:
            layout.label(text=runtime.progress_text or "Starting...", icon="TIME")
            layout.label(text="Esc or the progress bar's X stops the queue")
        elif runtime.last_report:
            layout.label(text=runtime.last_report, icon="INFO")

    @staticmethod
    def _draw_details(scene: bpy.types.Scene, layout: bpy.types.UILayout, shot: Any) -> None:
        box = layout.box()
        box.use_property_split = True
        box.use_property_decorate = False
        box.prop(shot, "name")
        box.prop(shot, "camera")
        box.prop(shot, "filepath")
        box.label(text=scene_state.output_path(scene, shot), icon="FILE_IMAGE")
        row = box.row()
        row.enabled = False
        row.prop(shot, "status")
        if shot.output:
            box.label(text=f"Wrote {shot.output}", icon="CHECKMARK")


CLASSES = (MULTIRENDER_UL_shots, MULTIRENDER_PT_shots)
