"""Facts about Blender's own render job that the queue stands on, proven in
the real GUI: INVOKE returns at once, handlers fire, a real Esc cancels."""

from __future__ import annotations

import time

from testkit.blender_app import BlenderApp

RECORDER = """
from testkit import scenes
events = []
def record(name):
    def handler(scene, depsgraph=None):
        events.append(name)
    return handler
for name in ("init", "pre", "post", "cancel", "complete"):
    getattr(bpy.app.handlers, "render_" + name).append(record(name))
scenes.build_color_cameras(1)
bpy.context.preferences.view.render_display_type = "NONE"
"""


def test_invoke_render_returns_at_once_and_finishes_in_the_background(blender: BlenderApp) -> None:
    blender.exec(RECORDER)
    result = blender.exec("result = sorted(bpy.ops.render.render('INVOKE_DEFAULT'))")
    assert result == ["RUNNING_MODAL"]
    blender.wait_until("'complete' in events", timeout=30)
    assert blender.eval("events") == ["init", "pre", "post", "complete"]
    blender.wait_until("not bpy.app.is_job_running('RENDER')", timeout=5)


def test_escape_key_cancels_a_slow_render(blender: BlenderApp) -> None:
    blender.exec(RECORDER + "scenes.make_slow(bpy.context.scene)")
    blender.exec("bpy.ops.render.render('INVOKE_DEFAULT')")
    blender.wait_until("'pre' in events", timeout=30)
    time.sleep(1.0)
    assert blender.eval("bpy.app.is_job_running('RENDER')")
    blender.screenshot("rendering")

    blender.key("Escape")

    blender.wait_until("'cancel' in events", timeout=20)
    assert "complete" not in blender.eval("events")
    blender.wait_until("not bpy.app.is_job_running('RENDER')", timeout=5)
