# SPDX-License-Identifier: GPL-3.0-or-later
"""Multi Render: render a queue of shots of one scene without freezing Blender.

register() adds the pieces in order and unregister() removes them in reverse;
nothing is discovered by reflection."""

from __future__ import annotations

import bpy

from . import cli, keymap, log_output, notify, prefs, props
from .core import child_process
from .farm import flamenco_follow
from .operators import (
    farm_export,
    flamenco,
    import_export,
    other_files,
    queue_offers,
    render_shots,
    shot_image,
    shot_overrides,
    shots,
    stop_keys,
)
from .results import thumbnails
from .run import file_events, queue_keeping, session
from .run import other_files as other_files_run
from .ui import menus, panel
from .ui import other_files as other_files_ui

_CLASSES = (
    *prefs.CLASSES,
    *render_shots.CLASSES,
    *stop_keys.CLASSES,
    *shots.CLASSES,
    *shot_overrides.CLASSES,
    *shot_image.CLASSES,
    *import_export.CLASSES,
    *farm_export.CLASSES,
    *flamenco.CLASSES,
    *queue_offers.CLASSES,
    *other_files.CLASSES,
    *panel.CLASSES,
    *other_files_ui.CLASSES,
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
    flamenco_follow.register()
    notify.register()
    cli.register()
    child_process.end_all_at_exit()
    queue_offers.register()


def unregister() -> None:
    session.abort_active("the add-on was disabled", layout="now")
    other_files_run.abort_active("the add-on was disabled")
    queue_offers.unregister()
    queue_keeping.release_all()
    child_process.end_all_at_exit(watch=False)
    cli.unregister()
    notify.unregister()
    flamenco_follow.unregister()
    file_events.unregister()
    keymap.unregister()
    shot_overrides.unregister()
    menus.unregister()
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
    props.unregister()
    thumbnails.clear()
    log_output.unregister()
