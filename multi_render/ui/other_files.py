# SPDX-License-Identifier: GPL-3.0-or-later
"""The Other Files sub-panel: .blend files rendered in background processes,
each row with its file, what it renders without shots, its status and result."""

from __future__ import annotations

from typing import Any

import bpy

from ..props import runtime_state, scene_shots, status_icon
from .panel import SubPanel


class MULTIRENDER_UL_other_files(bpy.types.UIList):
    bl_idname = "MULTIRENDER_UL_other_files"

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
        row.label(text=bpy.path.basename(item.filepath) or "(no file)", icon="FILE_BLEND")
        if item.result:
            result = row.row()
            result.active = False  # greyed: the row's detail
            result.label(text=item.result)
        row.label(text="", icon=status_icon(item.status))  # type: ignore[arg-type]


class MULTIRENDER_PT_other_files(SubPanel):
    """Other .blend files, rendered without opening them here."""

    bl_idname = "MULTIRENDER_PT_other_files"
    bl_label = "Other Files"
    bl_options = {"DEFAULT_CLOSED"}

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        if layout is None or context.scene is None:
            return
        data = scene_shots(context.scene)
        row = layout.row()
        row.template_list(
            "MULTIRENDER_UL_other_files", "", data, "other_files", data, "active_other_file_index", rows=3
        )
        buttons = row.column(align=True)
        buttons.operator("multi_render.other_files_add", icon="ADD", text="")
        buttons.operator("multi_render.other_file_remove", icon="REMOVE", text="")
        if 0 <= data.active_other_file_index < len(data.other_files):
            chosen = data.other_files[data.active_other_file_index]
            layout.prop(chosen, "filepath", text="")
            layout.prop(chosen, "without_shots")
        layout.prop(data, "processes")  # shared with Render In: Background Process
        column = layout.column()
        column.scale_y = 1.4
        if runtime_state(context.window_manager).files_running:
            column.operator("multi_render.stop_other_files", text="Stop", icon="CANCEL")
        else:
            column.operator("multi_render.render_other_files", icon="RENDER_ANIMATION")


CLASSES = (MULTIRENDER_UL_other_files, MULTIRENDER_PT_other_files)
