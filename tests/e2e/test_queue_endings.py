"""A queue that Blender ends for other reasons ends cleanly: no traceback
(the fixture checks Blender's output), no handler or timer left, no crash."""

from __future__ import annotations

from setups import PERMANENT_HANDLERS

from testkit.blender_app import BlenderApp

SLOW_QUEUE = """
import os
from testkit import scenes
scenes.build_color_cameras(3, size=64)
scene = bpy.context.scene
scenes.make_slow(scene, size=64)
scene.render.filepath = {output!r} + os.sep
camera_before = scene.camera.name
bpy.context.preferences.view.render_display_type = {display!r}
bpy.ops.multi_render.shots_from_cameras()
bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')
"""
RENDERING = "bpy.app.is_job_running('RENDER') and bpy.context.window_manager.multi_render.is_running"
MODULE = "bl_ext.user_default.multi_render"


def start_slow_queue(blender: BlenderApp, tmp_path: object, display: str = "NONE") -> str:
    """Start a queue whose first render never ends by itself; return the
    scene's camera from before the queue."""
    blender.exec(SLOW_QUEUE.format(output=str(tmp_path), display=display))
    blender.wait_until(RENDERING, timeout=20)
    return blender.eval("camera_before")  # type: ignore[no-any-return]


def test_loading_another_file_ends_the_queue(blender: BlenderApp, tmp_path: object) -> None:
    start_slow_queue(blender, tmp_path)
    blender.exec("bpy.ops.wm.read_homefile()")
    blender.wait_until("not bpy.app.is_job_running('RENDER')", timeout=20)
    assert not blender.eval("bpy.context.window_manager.multi_render.is_running")
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS
    assert "cancelled, 2 not started: another file was loaded" in blender.log_text()
    # Loading stops the render, which Blender then writes unfinished: removed.
    assert list(tmp_path.iterdir()) == []  # type: ignore[attr-defined]
    # The add-on still works in the new file.
    assert blender.eval("len(bpy.context.scene.multi_render.shots)") == 0


def test_disabling_the_addon_ends_the_queue(blender: BlenderApp, tmp_path: object) -> None:
    # New Window: the render window the queue opened must close with it.
    camera_before = start_slow_queue(blender, tmp_path, display="WINDOW")
    assert blender.eval("len(bpy.context.window_manager.windows)") == 2
    blender.exec(
        f"import sys; deferred = sys.modules[{MODULE!r} + '.run.deferred']\n"
        # Python's exit hooks hold one reference to the add-on's, dropped when it is unregistered.
        f"exit_hook = sys.modules[{MODULE!r} + '.core.child_process']._end_all; references = sys.getrefcount(exit_hook)"
    )
    blender.exec(f"import addon_utils; addon_utils.disable({MODULE!r}, default_set=True)")
    # Put back at once, not from a timer that would outlive the add-on.
    assert blender.eval("len(bpy.context.window_manager.windows)") == 1
    assert blender.eval("deferred.pending()") is False
    assert blender.eval("sys.getrefcount(exit_hook) - references") == -1
    assert blender.eval("scenes.handlers_from('multi_render')") == []
    assert not blender.eval("hasattr(bpy.context.window_manager, 'multi_render')")
    assert blender.eval("bpy.context.scene.camera.name") == camera_before
    blender.exec(f"addon_utils.enable({MODULE!r}, default_set=True)")
    assert blender.eval("[s.status for s in bpy.context.scene.multi_render.shots]")[1:] == ["PENDING", "PENDING"]


def test_quitting_blender_during_the_queue(blender: BlenderApp, tmp_path: object) -> None:
    start_slow_queue(blender, tmp_path)
    assert blender.quit() == 0
