# SPDX-License-Identifier: GPL-3.0-or-later
"""One shot on the scene: checked again and put on just before its render,
its render started, and taken off as soon as it settles, so that between
shots, while paused and in a save the scene is the person's own. Everything
it changes goes through a SettingsGuard and the render operator's memory,
which give the person's values back."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import bpy

from ..core import validation
from ..core.logs import logger
from ..core.run import ShotRun
from ..core.shots import NodeOutput
from ..guards.render_operator import RenderOperatorMemory
from ..guards.settings import SettingsGuard
from ..shot import property_overrides, scene_reader
from ..shot.apply import SETUP_ERRORS, apply_shot

log = logger(__name__)


class ShotStage:
    def __init__(self) -> None:
        self.guard = SettingsGuard()
        self.render_memory = RenderOperatorMemory()
        self._applied_path = ""  # render.filepath of the shot on the scene now
        self._applied_nodes: tuple[NodeOutput, ...] = ()  # its File Output nodes' folders
        self._saving: ShotRun | None = None  # the shot taken off the scene for a save

    @property
    def is_clean(self) -> bool:
        """No shot's settings are on the scene."""
        return self.guard.is_clean

    def set_up(self, shot: ShotRun, scene: bpy.types.Scene, item: Any, now: datetime) -> str:
        """Check the shot again and put its settings on the scene; the reason
        it cannot render, or "". The previous shot is already off the scene,
        so this one is read from the scene as the person left it. They may
        have changed things since the queue started (deleted this shot's
        camera, put a file where its folder was)."""
        output = scene_reader.shot_output(scene, item, shot.index, now)
        checked = property_overrides.check_shot(item)  # checked once, for validation and to apply
        spec = scene_reader.read_shot(scene, item, shot.index, now, output=output, checked=checked)
        problems = validation.validate(
            [dataclasses.replace(spec, enabled=True)], scene.name, names=scene_reader.names_in(scene)
        )
        if problems:
            return "; ".join(str(problem) for problem in problems)
        if spec.segment_files != shot.segment_paths:
            # Its renders and the files they are judged on were planned at the start.
            return "its Frames changed during the run: render it again"
        try:
            apply_shot(
                self.guard,
                scene,
                item,
                output.blender_path,
                node_outputs=spec.node_outputs,
                checked=checked,
                segment=shot.segment,
            )
        except SETUP_ERRORS as error:
            # E.g. a setting Blender refuses only when set (linked data, an
            # enum item another override took away): this shot fails alone.
            return f"cannot set up the shot: {error}"
        self._applied_path = output.blender_path
        self._applied_nodes = spec.node_outputs
        shot.pass_folders = tuple(node.absolute_folder for node in spec.node_outputs)  # as applied now
        return ""

    def start_render(self, scene: bpy.types.Scene, item: Any, blocking: bool) -> str:
        """Start the shot's render: INVOKE (the UI stays live, Blender shows
        progress and its cancel button) or, in background mode, EXEC, which
        returns when the image is written. The reason it did not start, or ""."""
        self.render_memory.remember()
        mode = "EXEC_DEFAULT" if blocking else "INVOKE_DEFAULT"
        result: Any  # the operator's {"FINISHED"} or {"CANCELLED"}
        try:
            # Named, so that the person switching the window to another
            # scene mid-queue does not make the next shot render that one.
            if item.use_frame_range:
                result = bpy.ops.render.render(mode, animation=True, scene=scene.name)
            else:
                result = bpy.ops.render.render(mode, write_still=True, scene=scene.name)
        except RuntimeError as error:
            # Blender's own report, e.g. an engine error that came before the
            # render operator returned: "Error: out of memory".
            return str(error).strip().splitlines()[-1].removeprefix("Error: ")
        if not blocking and "CANCELLED" in result:
            return "Blender refused to start the render (is another render running?)"
        return ""

    def take_off(self) -> None:
        """Give the person's settings and render options back."""
        self.guard.restore()
        self.render_memory.give_back()

    def before_save(self, rendering: ShotRun | None) -> None:
        """The person saves the .blend while a shot renders: the file gets
        their own settings, not the shot's (the render already read them)."""
        if rendering is not None:
            self._saving = rendering
            self.guard.restore()

    def after_save(self, rendering: ShotRun | None, item: Any) -> None:
        """Put the rendering shot's settings back (a frame range reads the
        camera again on each frame)."""
        shot, self._saving = self._saving, None
        if shot is None or shot is not rendering or item is None:
            return
        scene = bpy.data.scenes.get(shot.scene)
        if scene is None:
            return
        try:
            apply_shot(
                self.guard, scene, item, self._applied_path, node_outputs=self._applied_nodes, segment=shot.segment
            )
        except SETUP_ERRORS as error:
            log.warning("could not put the shot's settings back after the save: %s", error)
