# SPDX-License-Identifier: GPL-3.0-or-later
"""The add-on's shortcut: Ctrl+Shift+F12 (next to Ctrl+F12, Render Animation)
in the Screen keymap, which Blender's default keymap leaves free. People can
change it in the add-on's preferences."""

from __future__ import annotations

from dataclasses import dataclass

import bpy


@dataclass(frozen=True)
class Shortcut:
    keymap: str  # Blender keymap name; "Screen" works in every editor
    operator: str
    key: str
    ctrl: bool = False
    shift: bool = False
    alt: bool = False


SHORTCUTS = (Shortcut("Screen", "multi_render.render_shots", "F12", ctrl=True, shift=True),)

_added: list[tuple[bpy.types.KeyMap, bpy.types.KeyMapItem]] = []


def register() -> None:
    keyconfig = bpy.context.window_manager.keyconfigs.addon
    if keyconfig is None:  # background mode has no add-on keyconfig
        return
    for shortcut in SHORTCUTS:
        keymap = keyconfig.keymaps.new(name=shortcut.keymap, space_type="EMPTY")
        item = keymap.keymap_items.new(
            shortcut.operator,
            shortcut.key,  # type: ignore[arg-type]
            "PRESS",
            ctrl=shortcut.ctrl,
            shift=shortcut.shift,
            alt=shortcut.alt,
        )
        _added.append((keymap, item))


def unregister() -> None:
    for keymap, item in _added:
        keymap.keymap_items.remove(item)
    _added.clear()


def items() -> list[tuple[bpy.types.KeyMap, bpy.types.KeyMapItem]]:
    return list(_added)
