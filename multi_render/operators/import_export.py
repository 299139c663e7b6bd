# SPDX-License-Identifier: GPL-3.0-or-later
# fake-bpy-module does not model the ExportHelper/ImportHelper mixins (their
# `filepath` property, their invoke/check signatures):
# mypy: disable-error-code="misc,attr-defined"
"""Export and import the shot list as JSON."""

from __future__ import annotations

import bpy
from bpy.props import StringProperty
from bpy_extras.io_utils import ExportHelper, ImportHelper

from ..bl_types import OperatorResult
from ..core.shotlist import ShotListError
from ..run import session
from ..shot import shot_lists


class MULTIRENDER_OT_shots_export(bpy.types.Operator, ExportHelper):
    bl_idname = "multi_render.shots_export"
    bl_label = "Export Shot List"
    bl_description = "Save the shot list as a JSON file (cameras and other data by name)"

    filename_ext = ".json"
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        try:
            with open(self.filepath, "w", encoding="utf-8") as handle:
                handle.write(shot_lists.export_text(context.scene))  # type: ignore[arg-type]
        except OSError as error:
            self.report({"ERROR"}, f"Cannot write '{self.filepath}': {error}")
            return {"CANCELLED"}
        self.report({"INFO"}, f"Saved the shot list to {self.filepath}")
        return {"FINISHED"}


class MULTIRENDER_OT_shots_import(bpy.types.Operator, ImportHelper):
    bl_idname = "multi_render.shots_import"
    bl_label = "Import Shot List"
    bl_description = "Replace the shot list with one from a JSON file; a file with problems changes nothing"
    bl_options = {"REGISTER", "UNDO"}

    filename_ext = ".json"
    filter_glob: StringProperty(default="*.json", options={"HIDDEN"})

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if session.active() is not None:
            cls.poll_message_set("The shot list cannot change while a queue runs")
            return False
        return context.scene is not None

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        try:
            count = shot_lists.import_text(context.scene, shot_lists.read_file(self.filepath))  # type: ignore[arg-type]
        except ShotListError as error:
            self.report({"ERROR"}, str(error))
            return {"CANCELLED"}
        self.report({"INFO"}, f"Imported {count} shot{'s' if count != 1 else ''} from {self.filepath}")
        return {"FINISHED"}


CLASSES = (MULTIRENDER_OT_shots_export, MULTIRENDER_OT_shots_import)
