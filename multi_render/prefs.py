# SPDX-License-Identifier: GPL-3.0-or-later
"""Add-on preferences: the shortcut, the Flamenco Manager shots are
submitted to (with the button that saves its job type file), and what is
sent when a run ends (notify.py)."""

from __future__ import annotations

from typing import Any

import bpy
import rna_keymap_ui
from bpy.props import BoolProperty, IntProperty, StringProperty

from . import keymap
from .bl_types import OperatorResult
from .core.flamenco import JOB_TYPE_FILE
from .farm import flamenco

ADDON_ID = __package__ or "multi_render"


class MULTIRENDER_AP_preferences(bpy.types.AddonPreferences):
    bl_idname = ADDON_ID

    flamenco_manager_url: StringProperty(  # type: ignore[valid-type]
        name="Flamenco Manager",
        description="The URL of the Flamenco Manager that Submit Shots to Flamenco sends jobs to",
        default="",
    )
    notify_webhook_url: StringProperty(  # type: ignore[valid-type]
        name="Webhook",
        description="When a run ends, POST it here: the run's record as JSON (what render --json prints), "
        "or a chat text. Empty: nothing is sent",
        default="",
    )
    notify_webhook_chat: BoolProperty(  # type: ignore[valid-type]
        name="Chat Text",
        description="Send a text Discord and Slack webhooks show, instead of the run's record",
        default=False,
    )
    notify_desktop: BoolProperty(  # type: ignore[valid-type]
        name="Desktop Notification",
        description="Show a notification on the desktop when a run ends",
        default=False,
    )
    notify_sound: BoolProperty(  # type: ignore[valid-type]
        name="Sound", description="Play a short chime when a run ends", default=False
    )

    retries: IntProperty(  # type: ignore[valid-type]
        name="Retries",
        description="How many times a shot is tried again on a new background process when its process "
        "crashed or was killed (an error of the render itself is not retried)",
        default=1,
        min=0,
        max=10,
    )

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
        layout.separator()
        layout.prop(self, "flamenco_manager_url")
        if not bpy.app.online_access:
            layout.label(
                text="Allow Online Access is off (System > Network): nothing is sent to Flamenco", icon="ERROR"
            )
        row = layout.row()
        row.label(text=f"Put {JOB_TYPE_FILE} in your Manager's scripts folder:")
        row.operator(MULTIRENDER_OT_save_flamenco_job_type.bl_idname, icon="FILE_SCRIPT")
        layout.separator()
        layout.prop(self, "retries")
        layout.separator()
        layout.label(text="When a run ends:")
        row = layout.row()
        row.prop(self, "notify_webhook_url")
        row.prop(self, "notify_webhook_chat")
        if self.notify_webhook_url and not bpy.app.online_access:
            layout.label(text="Allow Online Access is off (System > Network): the webhook is not sent", icon="ERROR")
        row = layout.row()
        row.prop(self, "notify_desktop")
        row.prop(self, "notify_sound")


class MULTIRENDER_OT_save_flamenco_job_type(bpy.types.Operator):
    """Save Multi Render's Flamenco job type (multi_render.js); put it in your Flamenco Manager's scripts folder"""

    bl_idname = "multi_render.save_flamenco_job_type"
    bl_label = "Save Flamenco Job Type"

    directory: StringProperty(subtype="DIR_PATH")  # type: ignore[valid-type]

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        try:
            path = flamenco.save_job_type(bpy.path.abspath(self.directory))
        except OSError as error:
            self.report({"ERROR"}, f"Cannot save the job type: {error}")
            return {"CANCELLED"}
        self.report({"INFO"}, f"Saved {path}: put it in your Flamenco Manager's scripts folder")
        return {"FINISHED"}


def preferences() -> Any:
    """This add-on's preferences."""
    return bpy.context.preferences.addons[ADDON_ID].preferences


CLASSES = (MULTIRENDER_AP_preferences, MULTIRENDER_OT_save_flamenco_job_type)
