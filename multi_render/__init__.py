# SPDX-License-Identifier: GPL-3.0-or-later
"""Multi Render: render a queue of shots of one scene without freezing Blender.

register() adds the pieces in order and unregister() removes them in reverse;
nothing is discovered by reflection."""

from __future__ import annotations

import bpy

from . import app_handlers, cli, keymap, prefs, props, session
from .operators import io, queue, shots, stop_keys
from .ui import menus, panel

_CLASSES = (*prefs.CLASSES, *queue.CLASSES, *stop_keys.CLASSES, *shots.CLASSES, *io.CLASSES, *panel.CLASSES)


def register() -> None:
    props.register()
    for cls in _CLASSES:
        bpy.utils.register_class(cls)
    menus.register()
    keymap.register()
    app_handlers.register()
    cli.register()


def unregister() -> None:
    session.abort_active("the add-on was disabled")
    cli.unregister()
    app_handlers.unregister()
    keymap.unregister()
    menus.unregister()
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
    props.unregister()
