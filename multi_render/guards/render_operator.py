# SPDX-License-Identifier: GPL-3.0-or-later
"""RenderOperatorMemory: what Blender remembers of the render operator's
options, kept and given back around each shot."""

from __future__ import annotations

from typing import Any

import bpy


class RenderOperatorMemory:
    """Blender remembers the last settings of the render operator when a
    render ends, and F12 uses them: after a queue's write_still render, the
    person's own F12 would save a file into their output folder. This keeps
    what Blender remembered before the queue and puts it back after each
    shot (Blender's render modal stores its settings on the event before
    the queue sees the job gone)."""

    def __init__(self) -> None:
        self._values: dict[str, Any] | None = None

    def remember(self) -> None:
        last = bpy.context.window_manager.operator_properties_last("render.render")
        if self._values is None and last is not None:
            self._values = {
                prop.identifier: getattr(last, prop.identifier)
                for prop in last.bl_rna.properties
                if prop.identifier != "rna_type" and not prop.is_readonly
            }

    def give_back(self) -> None:
        last = bpy.context.window_manager.operator_properties_last("render.render")
        if self._values is not None and last is not None:
            for name, value in self._values.items():
                setattr(last, name, value)
