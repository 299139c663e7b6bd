# SPDX-License-Identifier: GPL-3.0-or-later
"""Which render engines this Blender has, for the engine override."""

from __future__ import annotations

import bpy


def available_engines() -> list[str]:
    """Blender's own engines (the `engine` property's static list) and every
    registered Python engine, such as Cycles; abstract bases are skipped."""
    items = bpy.types.RenderSettings.bl_rna.properties["engine"].enum_items  # type: ignore[attr-defined]
    engines = [item.identifier for item in items]
    pending = list(bpy.types.RenderEngine.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        idname = getattr(cls, "bl_idname", "")
        if idname and getattr(cls, "is_registered", False) and idname not in engines:
            engines.append(idname)
    return engines
