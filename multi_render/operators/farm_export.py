# SPDX-License-Identifier: GPL-3.0-or-later
"""Export Render-Farm Job: the saved .blend's ticked shots as an Open Job
Description bundle (Deadline Cloud, `openjd run`) or a Slurm job folder
(farm/openjd.py, farm/slurm.py do the work)."""

from __future__ import annotations

import bpy
from bpy.props import BoolProperty, EnumProperty, IntProperty, StringProperty

from ..bl_types import OperatorResult
from ..core import farm, slurm
from ..farm import openjd
from ..farm import slurm as farm_slurm
from ..props import scene_shots


class MULTIRENDER_OT_farm_bundle_export(bpy.types.Operator):
    bl_idname = "multi_render.farm_bundle_export"
    bl_label = "Export Render-Farm Job"
    bl_description = (
        "Write a render-farm job for the saved .blend's ticked shots: an Open Job Description bundle "
        "(AWS Deadline Cloud, `openjd run`) or a Slurm job folder (./submit.sh)"
    )

    directory: StringProperty(subtype="DIR_PATH")  # type: ignore[valid-type]
    engine: EnumProperty(  # type: ignore[valid-type]
        name="Farm",
        items=(
            ("OPENJD", "Open Job Description", "A job bundle for AWS Deadline Cloud or `openjd run`"),
            ("SLURM", "Slurm", "tasks.json, an sbatch array script and submit.sh"),
        ),
    )
    shots_per_task: IntProperty(  # type: ignore[valid-type]
        name="Shots per Task", default=1, min=1, description="Consecutive shots one task renders (one file load)"
    )
    frames_per_task: IntProperty(  # type: ignore[valid-type]
        name="Frames per Task",
        default=0,
        min=0,
        description="Split each frame-range shot into chunks of so many frames (0: a whole range per task)",
    )
    skip_existing: BoolProperty(  # type: ignore[valid-type]
        name="Skip Existing Files", description="The job renders only the shots whose files are missing"
    )
    partition: StringProperty(name="Partition", description="Empty: the cluster's default")  # type: ignore[valid-type]
    time_limit: StringProperty(  # type: ignore[valid-type]
        name="Time Limit", description="Each task's limit, e.g. 2:00:00 (empty: the cluster's default)"
    )
    cpus_per_task: IntProperty(  # type: ignore[valid-type]
        name="CPUs per Task", default=0, min=0, description="0: the cluster's default"
    )
    gres: StringProperty(  # type: ignore[valid-type]
        name="GPUs per Task", description="A Slurm resource such as gpu:1 (empty: none asked for)"
    )
    blender: StringProperty(  # type: ignore[valid-type]
        name="Blender on the Nodes", default="blender", description="Blender's command on the cluster's nodes"
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

    def draw(self, _context: bpy.types.Context) -> None:
        layout = self.layout
        layout.use_property_split = True
        layout.prop(self, "engine")
        for name in ("shots_per_task", "frames_per_task", "skip_existing"):
            layout.prop(self, name)
        if self.engine == "SLURM":
            for name in ("partition", "time_limit", "cpus_per_task", "gres", "blender"):
                layout.prop(self, name)

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        scene = context.scene
        assert scene is not None  # a file is open
        options = farm.BundleOptions(self.shots_per_task, self.frames_per_task, self.skip_existing)
        try:
            if self.engine == "SLURM":
                cluster = slurm.SlurmOptions(
                    self.partition.strip(),
                    self.time_limit.strip(),
                    self.cpus_per_task,
                    self.gres.strip(),
                    self.blender.strip(),
                    contact_sheet=scene_shots(scene).contact_sheet,
                )
                job = farm_slurm.write_slurm_folder(scene, self.directory, options, cluster)
                written, tasks, missing = job.submit, job.tasks, job.missing
            else:
                bundle = openjd.write_farm_bundle(scene, self.directory, options)
                written, tasks, missing = bundle.template, bundle.tasks, bundle.missing
        except (OSError, ValueError) as error:
            self.report({"ERROR"}, f"Cannot write the farm job: {error}")
            return {"CANCELLED"}
        notes = []
        if bpy.data.is_dirty:
            notes.append("the .blend has unsaved changes: the farm renders the saved file")
        if missing:
            notes.append(f"{len(missing)} file(s) the .blend uses do not exist, e.g. {missing[0]}")
        text = f"Wrote {written} with {tasks} tasks" + (f" ({'; '.join(notes)})" if notes else "")
        self.report({"WARNING" if notes else "INFO"}, text)
        return {"FINISHED"}


CLASSES = (MULTIRENDER_OT_farm_bundle_export,)
