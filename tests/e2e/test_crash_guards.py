"""Blender crashes the queue guards against. With Render In = Maximized Area,
a render started while a popup is open (the splash screen Blender shows when
started without a file, or a menu) makes Blender 4.3 and 5.2 crash; the queue
closes popups first and starts the render on a later tick."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from setups import THREE_SHOTS

from testkit.blender_app import BlenderApp

OPEN_POPUP = {
    "splash": "bpy.ops.wm.splash('INVOKE_DEFAULT')",
    "file_menu": "bpy.ops.wm.call_menu('INVOKE_DEFAULT', name='TOPBAR_MT_file')",
}


@pytest.mark.parametrize("popup", sorted(OPEN_POPUP))
def test_maximized_area_with_a_popup_open_renders_every_shot(blender: BlenderApp, tmp_path: Path, popup: str) -> None:
    blender.exec(THREE_SHOTS.format(output=str(tmp_path)))
    blender.exec(
        "bpy.context.preferences.view.render_display_type = 'SCREEN'\n"
        "layout_before = scenes.dump_layout()\nbefore = scenes.dump_scene(scene)"
    )
    blender.exec(OPEN_POPUP[popup])
    time.sleep(1.0)
    blender.screenshot(f"{popup}-open")
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("not bpy.context.window_manager.multi_render.is_running", timeout=60)
    assert blender.alive
    assert blender.eval("[shot.status for shot in shots]") == ["DONE"] * 3
    assert sorted(path.name for path in tmp_path.glob("*.png")) == ["Cam_Blue.png", "Cam_Green.png", "Cam_Red.png"]
    time.sleep(0.5)
    assert blender.eval("scenes.dump_layout() == layout_before")
    assert blender.eval("scenes.dump_scene(scene) == before")
