"""How a person starts Render Shots, with real input: the sidebar panel, the
keyboard shortcut, F3 menu search; and the shortcut's registration."""

from __future__ import annotations

import time

from testkit.blender_app import BlenderApp

SETUP = """
import os
from testkit import scenes
scenes.build_color_cameras(3, size=32)
scene = bpy.context.scene
scene.render.filepath = {output!r} + os.sep
bpy.context.preferences.view.render_display_type = "NONE"
bpy.ops.multi_render.shots_from_cameras()
"""
DONE = "bpy.context.window_manager.multi_render.last_report.startswith('Rendered 3 shots')"
STATUSES = "[shot.status for shot in bpy.context.scene.multi_render.shots]"
MODULE = "bl_ext.user_default.multi_render"


def test_sidebar_panel_is_drawn(blender: BlenderApp, tmp_path: object) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    # Two overrides ticked, so the screenshot shows both kinds of row.
    blender.exec(
        "shot = scene.multi_render.shots[scene.multi_render.active_shot_index]\n"
        "shot.use_frame_range = True\nshot.use_engine = True"
    )
    blender.exec(
        """
drawn = []
def counting(panel):
    original_draw = panel.draw
    def counting_draw(self, context):
        drawn.append(panel.__name__)
        original_draw(self, context)
    panel.draw = counting_draw
for panel in (bpy.types.MULTIRENDER_PT_shots, bpy.types.MULTIRENDER_PT_shot,
              bpy.types.MULTIRENDER_PT_shot_overrides, bpy.types.MULTIRENDER_PT_shot_properties):
    counting(panel)
item = shot.property_overrides.add()
item.data_path = 'bpy.data.objects["Cam_Red"].data.lens'
item.value = '35.0'
item = shot.property_overrides.add()
item.data_path = 'bpy.data.objects["Wall_Red"].color'
item.value = '(0.2, 0.4, 0.9, 1.0)'
"""
    )
    blender.open_render_shots_tab()
    # The list and the button first; then each part of the selected shot's details.
    blender.wait_until("len(set(drawn)) == 4", timeout=10)
    assert blender.eval("drawn[:4]") == [
        "MULTIRENDER_PT_shots",
        "MULTIRENDER_PT_shot",
        "MULTIRENDER_PT_shot_overrides",
        "MULTIRENDER_PT_shot_properties",
    ]
    time.sleep(0.5)
    path = blender.screenshot("panel")
    assert path.stat().st_size > 10_000
    assert blender.eval("sidebar.active_panel_category") == "Render Shots"


def test_shortcut_is_in_the_addon_keyconfig_and_clashes_with_nothing(blender: BlenderApp) -> None:
    items = blender.eval(
        "[(km.name, i.type, i.ctrl, i.shift, i.alt) for km in bpy.context.window_manager.keyconfigs.addon.keymaps"
        " for i in km.keymap_items if i.idname == 'multi_render.render_shots']"
    )
    assert items == [["Screen", "F12", True, True, False]]
    clashes = blender.eval(
        "[(km.name, i.idname) for km in bpy.context.window_manager.keyconfigs.default.keymaps"
        " for i in km.keymap_items if i.type == 'F12' and i.ctrl and i.shift and not i.alt]"
    )
    assert clashes == []
    # Disabling removes it; enabling adds it once.
    blender.exec(f"import addon_utils; addon_utils.disable({MODULE!r}, default_set=True)")
    count = (
        "len([i for km in bpy.context.window_manager.keyconfigs.addon.keymaps"
        " for i in km.keymap_items if i.idname == 'multi_render.render_shots'])"
    )
    assert blender.eval(count) == 0
    blender.exec(f"addon_utils.enable({MODULE!r}, default_set=True)")
    assert blender.eval(count) == 1


def test_keyboard_shortcut_starts_the_queue(blender: BlenderApp, tmp_path: object) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    blender.key("ctrl+shift+F12")
    blender.wait_until(DONE, timeout=30)
    assert blender.eval(STATUSES) == ["DONE"] * 3


def test_f3_search_finds_render_shots(blender: BlenderApp, tmp_path: object) -> None:
    blender.exec(SETUP.format(output=str(tmp_path)))
    blender.key("F3")
    time.sleep(0.8)
    blender.type_text("Render Shots")
    time.sleep(1.0)
    blender.screenshot("f3-search")
    blender.xdotool("key", "Return")
    blender.wait_until(DONE, timeout=30)
    assert blender.eval(STATUSES) == ["DONE"] * 3
