# SPDX-License-Identifier: GPL-3.0-or-later
"""Render > Submit Shots to Flamenco: the ticked shots as one job on the
Flamenco Manager set in the preferences (farm/flamenco.py does the work)."""

from __future__ import annotations

import bpy
from bpy.props import BoolProperty, IntProperty

from .. import prefs
from ..bl_types import OperatorResult
from ..core.farm import BundleOptions
from ..farm import flamenco, flamenco_follow
from ..run import session


class MULTIRENDER_OT_submit_flamenco(bpy.types.Operator):
    """Send the ticked shots to the Flamenco Manager set in Multi Render's preferences, as one job"""

    bl_idname = "multi_render.submit_flamenco"
    bl_label = "Submit Shots to Flamenco"

    shots_per_task: IntProperty(  # type: ignore[valid-type]
        name="Shots per Task", default=1, min=1, description="Consecutive shots one task renders"
    )
    frames_per_task: IntProperty(  # type: ignore[valid-type]
        name="Frames per Task", default=0, min=0, description="Split each frame-range shot into chunks (0: whole)"
    )
    priority: IntProperty(name="Priority", default=50, min=0, max=100)  # type: ignore[valid-type]
    skip_existing: BoolProperty(  # type: ignore[valid-type]
        name="Skip Existing Files", default=False, description="The job renders only the shots whose files are missing"
    )

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if flamenco_follow.following() is not None:
            cls.poll_message_set("The list follows a Flamenco job: stop it first, or wait until it ends")
            return False
        return context.scene is not None and session.active() is None

    def invoke(self, context: bpy.types.Context, _event: bpy.types.Event) -> OperatorResult:
        return context.window_manager.invoke_props_dialog(self)  # type: ignore[no-any-return]

    def execute(self, context: bpy.types.Context) -> OperatorResult:
        url = prefs.preferences().flamenco_manager_url
        if not url:
            self.report({"ERROR"}, "Set the Flamenco Manager's URL in Multi Render's preferences")
            return {"CANCELLED"}
        options = BundleOptions(self.shots_per_task, self.frames_per_task, self.skip_existing)
        scene = context.scene
        assert scene is not None  # poll()
        try:
            manager = flamenco.Manager(url)
            job = flamenco.submit(scene, manager, options, priority=self.priority)
        except (flamenco.FlamencoError, ValueError, OSError, RuntimeError) as error:
            self.report({"ERROR"}, f"Not submitted: {error}")
            return {"CANCELLED"}
        flamenco_follow.start(manager, job, scene)
        self.report({"INFO"}, f"Submitted Flamenco job {job.job_id} ({job.tasks} tasks)")
        return {"FINISHED"}


class MULTIRENDER_OT_stop_flamenco_job(bpy.types.Operator):
    """Cancel the followed Flamenco job on the Manager: its Workers stop its tasks"""

    bl_idname = "multi_render.stop_flamenco_job"
    bl_label = "Stop Flamenco Job"

    @classmethod
    def poll(cls, _context: bpy.types.Context) -> bool:
        return flamenco_follow.following() is not None

    def execute(self, _context: bpy.types.Context) -> OperatorResult:
        follower = flamenco_follow.following()
        if follower is None:
            return {"CANCELLED"}
        follower.request_cancel()  # sent by the follower's thread: Blender does not wait on the network
        self.report({"INFO"}, f"Asked the Flamenco Manager to cancel job {follower.job.job_id}")
        return {"FINISHED"}


CLASSES = (MULTIRENDER_OT_submit_flamenco, MULTIRENDER_OT_stop_flamenco_job)
