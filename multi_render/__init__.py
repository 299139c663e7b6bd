# SPDX-License-Identifier: GPL-3.0-or-later
"""Multi Render: render a queue of shots of one scene without freezing Blender.

register() adds the pieces in order and unregister() removes them in reverse;
nothing is discovered by reflection."""

from __future__ import annotations

import bpy

from . import cli, file_events, keymap, log_output, prefs, props, session
from .operators import import_export, render_shots, shot_image, shot_overrides, shots, stop_keys
from .ui import menus, panel, thumbnails

_CLASSES = (
    *prefs.CLASSES,
    *render_shots.CLASSES,
    *stop_keys.CLASSES,
    *shots.CLASSES,
    *shot_overrides.CLASSES,
    *shot_image.CLASSES,
    *import_export.CLASSES,
    *panel.CLASSES,
)


def register() -> None:
    log_output.register()
    props.register()
    for cls in _CLASSES:
        bpy.utils.register_class(cls)
    menus.register()
    shot_overrides.register()
    keymap.register()
    file_events.register()
    cli.register()


def unregister() -> None:
    session.abort_active("the add-on was disabled")
    cli.unregister()
    file_events.unregister()
    keymap.unregister()
    shot_overrides.unregister()
    menus.unregister()
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
    props.unregister()
    thumbnails.clear()
    log_output.unregister()
