# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the person's windows and screen layout as they were, whatever the
Render display type preference (Preferences > Interface > Temporary Editors
> Render In) makes Blender do on each render:
- Maximized Area: each render maximizes an area into a temporary screen, and
  a render started from that screen nests another one;
- Image Editor: the largest area becomes an Image Editor;
- New Window: a render window opens.
The queue lets Blender show each render as the person chose, leaves the
maximized screen before the next shot, and at the end puts back area types
and closes only the windows it opened. Windows and areas are remembered by
address, not kept as Python objects."""

from __future__ import annotations

from dataclasses import dataclass

import bpy

# A maximized render screen is left with screen.back_to_previous; a few
# levels at most even if something nested them.
_MAX_BACK_STEPS = 8


@dataclass(frozen=True)
class _WindowLayout:
    window: int  # window.as_pointer()
    screen: str
    areas: tuple[tuple[int, str], ...]  # (area.as_pointer(), area.ui_type)


class LayoutGuard:
    def __init__(self) -> None:
        self._windows = {
            window.as_pointer(): _WindowLayout(
                window.as_pointer(),
                window.screen.name,
                tuple((area.as_pointer(), area.ui_type) for area in window.screen.areas),
            )
            for window in bpy.context.window_manager.windows
        }

    def in_render_screen(self) -> bool:
        """Whether a window shows another screen than it did (Blender's
        maximized render view)."""
        return any(self._shows_render_screen(window) for window in bpy.context.window_manager.windows)

    def _shows_render_screen(self, window: bpy.types.Window) -> bool:
        # Not just another screen: the person may switch workspaces mid-queue.
        saved = self._windows.get(window.as_pointer())
        screen = window.screen
        return (
            saved is not None
            and screen.name != saved.screen
            and screen.show_fullscreen
            and any(area.type == "IMAGE_EDITOR" for area in screen.areas)
        )

    def leave_render_screens(self, keep: int = 0) -> None:
        """Back from Blender's maximized render view to the person's screen.
        Call it from a bpy.app.timers callback, never from inside an operator:
        it frees the screen that operator's context points at (or leave that
        operator's window alone: `keep`, its as_pointer())."""
        for window in bpy.context.window_manager.windows:
            if keep and window.as_pointer() == keep:
                continue
            for _ in range(_MAX_BACK_STEPS):
                if not self._shows_render_screen(window):
                    break
                # Only the window: the operator frees the temporary screen and
                # its areas, which must not stay in an overridden context.
                with bpy.context.temp_override(window=window):
                    if bpy.ops.screen.back_to_previous.poll():  # type: ignore[call-arg]
                        bpy.ops.screen.back_to_previous()
                    else:
                        break

    def restore(self, keep: int = 0) -> None:
        """Put every window back as it was; close windows the queue opened.
        Like leave_render_screens, only from a timer callback, or with `keep`
        naming the window an operator runs in."""
        self.leave_render_screens(keep)
        window_manager = bpy.context.window_manager
        for window in list(window_manager.windows):
            if keep and window.as_pointer() == keep:
                continue
            saved = self._windows.get(window.as_pointer())
            if saved is None:
                _close(window)
            else:
                _restore_areas(window, saved)


def _restore_areas(window: bpy.types.Window, saved: _WindowLayout) -> None:
    types = dict(saved.areas)
    for area in window.screen.areas:
        original = types.get(area.as_pointer())
        if original is not None and area.ui_type != original:
            # The area's earlier editor is still in area.spaces: switching
            # back shows it with its view as the person left it.
            area.ui_type = original


def _close(window: bpy.types.Window) -> None:
    # Render windows show a temporary screen, which temp_override refuses.
    with bpy.context.temp_override(window=window):
        if bpy.ops.wm.window_close.poll():  # type: ignore[call-arg]
            bpy.ops.wm.window_close()
