# SPDX-License-Identifier: GPL-3.0-or-later
"""What the person sees of a run while it goes: the progress text (position,
the render's own progress, the time left) in the sidebar and status bar, and
each shot's status, file and time on its list item."""

from __future__ import annotations

import time
from typing import Any

import bpy

from ..core import estimate
from ..core.run import QueueRun, ShotRun
from ..core.status import ShotStatus
from ..props import runtime_state, scene_shots

# How often the progress text (with the time left) is brought up to date.
PROGRESS_SECONDS = 1.0


class ProgressText:
    def __init__(self, run: QueueRun, earlier_seconds: dict[int, float]) -> None:
        self._run = run
        self._earlier_seconds = earlier_seconds  # each shot's time in an earlier run (by place in the run)
        self.render_progress = ""  # the current render's own progress, when Blender does not show it
        self._shown_at = 0.0
        self.parallel = 1  # processes rendering side by side

    @property
    def due(self) -> bool:
        """The text is older than PROGRESS_SECONDS (the time left moves on)."""
        return time.monotonic() - self._shown_at >= PROGRESS_SECONDS

    def show(self) -> None:
        run = self._run
        text = run.position_text
        if text and self.render_progress and run.rendering:
            text += f" - {self.render_progress}"
        if text and not run.paused:
            text += estimate.left_text(estimate.seconds_left(run, self._earlier_seconds, run.now(), self.parallel))
        self._shown_at = time.monotonic()
        _show_text(text)


def show_encoding(count: int) -> None:
    """The queue's shots are done; their movies are being made."""
    _show_text(f"Making {count} movie{'s' if count != 1 else ''} (a background Blender each)")


def show_lines(lines: list[str]) -> None:
    """The background processes' lines under the progress text ([] clears them)."""
    runtime = runtime_state()
    text = "\n".join(lines)
    if runtime.process_lines != text:
        runtime.process_lines = text
        redraw()


def _show_text(text: str) -> None:
    """The progress text in the sidebar and status bar (redrawn on change only)."""
    runtime = runtime_state()
    if runtime.progress_text != text:
        runtime.progress_text = text
        redraw()


def sync_shot(shot: ShotRun, force: bool = False) -> None:
    """Copy a shot's status and output to its list item (only on change, so
    an idle queue does not touch the .blend's data)."""
    item = shot_item(bpy.data.scenes.get(shot.scene), shot)
    if item is None:
        return
    output = shot.output_path if shot.status == ShotStatus.DONE else ""
    if force or item.status != shot.status.value:
        item.status = shot.status.value
    if force or item.output != output:
        item.output = output
    if force or item.movie != shot.movie_written:
        item.movie = shot.movie_written
    if shot.status == ShotStatus.DONE and item.last_seconds != round(shot.seconds, 3):
        item.last_seconds = round(shot.seconds, 3)  # the next run's estimate starts from it


def shot_item(scene: bpy.types.Scene | None, shot: ShotRun) -> Any:
    """The list item of a shot, found by position and checked by name, so a
    list edited during the queue never gets another shot's status."""
    if scene is None:
        return None
    items = scene_shots(scene).shots
    if shot.index < len(items) and items[shot.index].name == shot.name:
        return items[shot.index]
    return next((item for item in items if item.name == shot.name), None)


def mark_stopped() -> None:
    runtime = getattr(bpy.context.window_manager, "multi_render", None)
    if runtime is not None:  # None once the add-on is disabled
        runtime.is_running = False
    redraw()


def redraw() -> None:
    """Redraw what shows the queue's progress: the 3D Viewports' sidebars.
    Not whole areas: a viewport redraw costs far more, and the queue asks
    for this on every shot."""
    for window in bpy.context.window_manager.windows:
        for area in window.screen.areas:
            if area.type == "VIEW_3D":
                for region in area.regions:
                    if region.type == "UI":
                        region.tag_redraw()
