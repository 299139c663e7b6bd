# SPDX-License-Identifier: GPL-3.0-or-later
"""Entries in Blender's own UI: the top bar's Render menu (which also makes
the operator findable with F3) and the queue's progress in the status bar."""

from __future__ import annotations

import bpy

from ..props import runtime_state


def draw_render_menu(self: bpy.types.Menu, _context: bpy.types.Context) -> None:
    layout = self.layout
    layout.separator()
    layout.operator("multi_render.render_shots", icon="RENDER_STILL")
    layout.operator("multi_render.render_shots", text="Render All Scenes' Shots", icon="SCENE_DATA").all_scenes = True
    layout.operator("multi_render.submit_flamenco", icon="NETWORK_DRIVE")
    layout.operator("multi_render.stop_flamenco_job", icon="CANCEL")


def draw_status_bar(self: bpy.types.Header, context: bpy.types.Context) -> None:
    runtime = runtime_state(context.window_manager)
    if runtime.is_running and runtime.progress_text:
        self.layout.label(text=runtime.progress_text, icon="RENDER_STILL")
    elif runtime.farm_job:
        self.layout.label(text=f"Flamenco job '{runtime.farm_name}': {runtime.farm_text}", icon="NETWORK_DRIVE")


def register() -> None:
    bpy.types.TOPBAR_MT_render.append(draw_render_menu)
    bpy.types.STATUSBAR_HT_header.append(draw_status_bar)


def unregister() -> None:
    bpy.types.STATUSBAR_HT_header.remove(draw_status_bar)
    bpy.types.TOPBAR_MT_render.remove(draw_render_menu)
