"""A run you can look at, in the GUI: thumbnails of each shot's image in
the list (Blender's preview system, nothing saved in the .blend), a
contact sheet with labels, and the history."""

from __future__ import annotations

from pathlib import Path

from setups import SHOT_PER_CAMERA

from testkit.blender_app import BlenderApp

THUMBNAILS = "__import__('sys').modules['bl_ext.user_default.multi_render.results.thumbnails']"
FOUR_SHOTS = (
    """
import os
from testkit import scenes
cameras = scenes.build_color_cameras(4, size=32)
"""
    + SHOT_PER_CAMERA
)
RUNNING = "bpy.context.window_manager.multi_render.is_running"


def run_queue(blender: BlenderApp) -> None:
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(RUNNING, timeout=10)
    blender.wait_until(f"not {RUNNING}", timeout=60)


def test_thumbnails_contact_sheet_and_history(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(FOUR_SHOTS.format(output=str(tmp_path)) + "scene.multi_render.contact_sheet = True")
    blender.open_render_shots_tab()
    run_queue(blender)
    outputs = blender.eval("[shot.output for shot in shots]")
    assert all(Path(path).is_file() for path in outputs)
    # The list draws a thumbnail for each shot's image once the sidebar redraws.
    blender.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
    blender.wait_until(f"sorted({THUMBNAILS}.keys()) == {sorted(outputs)!r}", timeout=10)
    # Blender's own Render Result and Viewer Node are the only images: none from a file.
    assert blender.eval("[image.name for image in bpy.data.images if image.source == 'FILE']") == []

    sheet = blender.eval("bpy.context.window_manager.multi_render.last_contact_sheet")
    assert Path(sheet).is_file() and Path(sheet).parent == tmp_path
    assert f"Contact sheet: {sheet}" in blender.eval("bpy.context.window_manager.multi_render.last_report")
    assert blender.eval(f"scenes.image_size({sheet!r})") == [76, 116]
    fx, fy = blender.eval("scenes.WALL_SAMPLE")
    samples = [((4 + 36 * c + fx * 32) / 76, 1 - (4 + 56 * r + (1 - fy) * 32) / 116) for r in (0, 1) for c in (0, 1)]
    walls = [blender.eval(f"scenes.wall_color({sheet!r}, {at!r})") for at in samples]
    assert walls == [blender.eval(f"scenes.wall_color({path!r})") for path in outputs]
    assert len(set(walls)) == 4
    if blender.eval("hasattr(__import__('blf'), 'bind_imbuf')"):  # Blender 4.4+ draws the names
        strip = [blender.eval(f"max(scenes.pixel({sheet!r}, {x / 76}, {1 - 48 / 116}))") for x in range(6, 36, 2)]
        assert max(strip) > 0.6, strip  # light text on the dark strip under tile 1

    # A second run: the history holds both, newest first.
    blender.exec("shots[3].enabled = False")
    run_queue(blender)
    history = blender.eval("[(len(run.shots), run.report[:17]) for run in scene.multi_render.history]")
    assert history == [[3, "Rendered 3 shots "], [4, "Rendered 4 shots "]]
    blender.screenshot("after-two-runs")
