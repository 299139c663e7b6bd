# SPDX-License-Identifier: GPL-3.0-or-later
# fake-bpy-module does not model the ImportHelper mixin (its `filepath`
# property, its invoke signature):
# mypy: disable-error-code="misc,attr-defined"
"""The Other Files list: add .blend files with Blender's file browser
(several at once), remove one, render the ticked ones in background
processes (run/other_files.py) and stop them."""

from __future__ import annotations

import os
from typing import Any

import bpy
from bpy.props import CollectionProperty, StringProperty
from bpy_extras.io_utils import ImportHelper

from ..bl_types import OperatorResult
from ..core.logs import logger
from ..core.status import ShotStatus
from ..props import scene_shots
from ..run import other_files

log = logger(__name__)


def _not_while_rendering(cls: Any) -> bool:
    if other_files.active() is not None:
        cls.poll_message_set("Other Files are rendering")
        return False
    return True


class MULTIRENDER_OT_other_files_add(bpy.types.Operator, ImportHelper):
    bl_idname = "multi_render.other_files_add"
    bl_label = "Add Other Files"
    bl_description = "Add .blend files to render in background processes (they are not opened here)"
    bl_options = {"REGISTER", "UNDO"}

    filename_ext = ".blend"
    filter_glob: StringProperty(default="*.blend", options={"HIDDEN"})
    files: CollectionProperty(type=bpy.types.OperatorFileListElement, options={"HIDDEN", "SKIP_SAVE"})
    directory: StringProperty(subtype="DIR_PATH", options={"HIDDEN", "SKIP_SAVE"})

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        return context.scene is not None and _not_while_rendering(cls)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        names = [each.name for each in self.files if each.name] or [os.path.basename(self.filepath)]
        folder = self.directory or os.path.dirname(self.filepath)
        data = scene_shots(context.scene)  # type: ignore[arg-type]
        listed = {row.filepath for row in data.other_files}
        added = 0
        for name in names:
            path = os.path.join(folder, name)
            if path in listed or not name:
                continue
            row = data.other_files.add()
            row.filepath = path
            row.status = ShotStatus.PENDING.value
            added += 1
        data.active_other_file_index = len(data.other_files) - 1
        self.report({"INFO"}, f"Added {added} file{'s' if added != 1 else ''}")
        return {"FINISHED"}


class MULTIRENDER_OT_other_file_remove(bpy.types.Operator):
    bl_idname = "multi_render.other_file_remove"
    bl_label = "Remove Other File"
    bl_description = "Remove the selected file from the list (the file itself is not touched)"
    bl_options = {"REGISTER", "UNDO"}

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if context.scene is None or not len(scene_shots(context.scene).other_files):
            return False
        return _not_while_rendering(cls)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        data = scene_shots(context.scene)  # type: ignore[arg-type]
        index = min(data.active_other_file_index, len(data.other_files) - 1)
        data.other_files.remove(index)
        data.active_other_file_index = max(0, min(index, len(data.other_files) - 1))
        return {"FINISHED"}


class MULTIRENDER_OT_render_other_files(bpy.types.Operator):
    bl_idname = "multi_render.render_other_files"
    bl_label = "Render Other Files"
    bl_description = (
        "Render each ticked file in a background Blender (as many at once as Processes): its own ticked shots, "
        "or what F12 or Ctrl+F12 would render of a file without shots"
    )

    _run: other_files.FilesRun | None = None
    _timer: Any = None

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        return context.scene is not None and _not_while_rendering(cls)

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        return self.execute(context)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        if context.window is None:
            # From a timer or a script without a window: the modal needs one
            # for its timer events.
            with context.temp_override(window=context.window_manager.windows[0]):
                return bpy.ops.multi_render.render_other_files("INVOKE_DEFAULT")  # type: ignore[no-any-return]
        run, problem = other_files.FilesRun.start(context.scene)  # type: ignore[arg-type]
        if run is None:
            self.report({"ERROR"}, problem)
            return {"CANCELLED"}
        self._run = run
        self._timer = context.window_manager.event_timer_add(0.1, window=context.window)
        run.on_end = self._remove_timer
        context.window_manager.modal_handler_add(self)
        return {"RUNNING_MODAL"}

    def modal(self, _context: bpy.types.Context, event: bpy.types.Event) -> OperatorResult:
        run = self._run
        if run is None or run.ended:
            return self._finish()
        if event.type == "TIMER":
            try:
                going_on = run.tick()
            except Exception:
                # Blender would drop this operator and leave the run and its
                # processes behind: end them here.
                log.exception("Other Files: internal error")
                run.stop("internal error")
                self._finish()
                return {"CANCELLED"}
            if not going_on:
                return self._finish()
        return {"PASS_THROUGH"}

    def cancel(self, _context: bpy.types.Context) -> None:
        self._finish()

    def _finish(self) -> OperatorResult:
        run, self._run = self._run, None
        if run is not None:
            text = run.end()  # removes the timer
            self.report({"ERROR" if run.has_failures else "INFO"}, text)
        self._remove_timer()
        return {"FINISHED"}

    def _remove_timer(self) -> None:
        if self._timer is not None:
            bpy.context.window_manager.event_timer_remove(self._timer)
            self._timer = None


class MULTIRENDER_OT_stop_other_files(bpy.types.Operator):
    bl_idname = "multi_render.stop_other_files"
    bl_label = "Stop Other Files"
    bl_description = "End the background Blenders rendering Other Files now; files not started stay pending"

    @classmethod
    def poll(cls, _context: bpy.types.Context) -> bool:
        return other_files.active() is not None

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        run = other_files.active()
        if run is not None:
            run.stop()
        return {"FINISHED"}


CLASSES = (
    MULTIRENDER_OT_other_files_add,
    MULTIRENDER_OT_other_file_remove,
    MULTIRENDER_OT_render_other_files,
    MULTIRENDER_OT_stop_other_files,
)
