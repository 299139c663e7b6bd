# SPDX-License-Identifier: GPL-3.0-or-later
# fake-bpy-module does not model the ExportHelper/ImportHelper mixins (their
# `filepath` property, their invoke/check signatures):
# mypy: disable-error-code="misc,attr-defined"
"""Export and import the shot list as JSON."""

from __future__ import annotations

import bpy
from bpy.props import BoolProperty, IntProperty, StringProperty
from bpy_extras.io_utils import ExportHelper, ImportHelper

from ..bl_types import OperatorResult
from ..core import farm
from ..core.shotlist import ShotListError
from ..farm import openjd
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


class MULTIRENDER_OT_farm_bundle_export(bpy.types.Operator):
    bl_idname = "multi_render.farm_bundle_export"
    bl_label = "Export Render-Farm Bundle"
    bl_description = (
        "Write an Open Job Description job bundle for the saved .blend: one task per ticked shot "
        "(AWS Deadline Cloud and `openjd run` take it)"
    )

    directory: StringProperty(subtype="DIR_PATH")
    shots_per_task: IntProperty(
        name="Shots per Task", default=1, min=1, description="Consecutive shots one task renders (one file load)"
    )
    frames_per_task: IntProperty(
        name="Frames per Task",
        default=0,
        min=0,
        description="Split each frame-range shot into chunks of so many frames (0: a whole range per task)",
    )
    skip_existing: BoolProperty(
        name="Skip Existing Files", description="The job renders only the shots whose files are missing"
    )

    @classmethod
    def poll(cls, _context: bpy.types.Context) -> bool:
        if not bpy.data.filepath:
            cls.poll_message_set("Save the .blend first: a farm renders the saved file")
            return False
        return True

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        context.window_manager.fileselect_add(self)
        return {"RUNNING_MODAL"}

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        options = farm.BundleOptions(self.shots_per_task, self.frames_per_task, self.skip_existing)
        try:
            bundle = openjd.write_farm_bundle(context.scene, self.directory, options)  # type: ignore[arg-type]
        except (OSError, ValueError) as error:
            self.report({"ERROR"}, f"Cannot write the bundle: {error}")
            return {"CANCELLED"}
        notes = []
        if bpy.data.is_dirty:
            notes.append("the .blend has unsaved changes: the farm renders the saved file")
        if bundle.missing:
            notes.append(f"{len(bundle.missing)} file(s) the .blend uses do not exist, e.g. {bundle.missing[0]}")
        text = f"Wrote {bundle.template} with {bundle.tasks} tasks" + (f" ({'; '.join(notes)})" if notes else "")
        self.report({"WARNING" if notes else "INFO"}, text)
        return {"FINISHED"}


CLASSES = (MULTIRENDER_OT_shots_export, MULTIRENDER_OT_shots_import, MULTIRENDER_OT_farm_bundle_export)
