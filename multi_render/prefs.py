# SPDX-License-Identifier: GPL-3.0-or-later
"""Add-on preferences: where the shortcut can be changed."""

from __future__ import annotations

import bpy
import rna_keymap_ui

from . import keymap


class MULTIRENDER_AP_preferences(bpy.types.AddonPreferences):
    bl_idname = __package__ or "multi_render"

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        layout.label(text="Shortcut:")
        user_keyconfig = context.window_manager.keyconfigs.user
        for addon_keymap, addon_item in keymap.items():
            user_keymap = user_keyconfig.keymaps.get(addon_keymap.name)
            if user_keymap is None:
                continue
            for item in user_keymap.keymap_items:
                if item.idname == addon_item.idname:
                    rna_keymap_ui.draw_kmi([], user_keyconfig, user_keymap, item, layout, 0)


CLASSES = (MULTIRENDER_AP_preferences,)
