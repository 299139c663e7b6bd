"""make screenshots: the README's pictures, from a scripted session in a
real Blender window (Xvfb), written to docs/images/. Look at each one
before committing it.

- sidebar.png: the Render Shots tab after a run: thumbnails, the selected
  shot's details with its image, overrides and property overrides;
- progress.png: a queue running: Shot i/N with the time left, Pause and Stop;
- contact_sheet.png: the contact sheet of that run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.blender_app import BlenderApp, launch

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
# The sidebar, with a margin (the window is 1280x800; the sidebar is widened first).
SIDEBAR = "470x720+600+80"

SCENE = """
import os
from testkit import scenes
scenes.build_color_cameras(4, size=160)
scene = bpy.context.scene
scene.render.filepath = {output!r} + os.sep
bpy.context.preferences.view.render_display_type = "NONE"
bpy.ops.multi_render.shots_from_cameras()
shots = scene.multi_render.shots
data = scene.multi_render
data.contact_sheet = True
red = shots[2]
red.use_resolution, red.resolution_x, red.resolution_y, red.resolution_percentage = True, 160, 120, 100
red.use_samples, red.samples = True, 16
item = red.property_overrides.add()
item.data_path, item.value = 'bpy.data.objects["Wall_Red"].color', '(0.9, 0.2, 0.1, 1.0)'
item = red.property_overrides.add()
item.data_path, item.value = 'bpy.data.cameras["Cam_Red"].lens', '35.0'
data.active_shot_index = 2
for area in bpy.context.screen.areas:
    if area.type == "VIEW_3D":
        for region in area.regions:
            if region.type == "UI":
                region.width = 440
"""
RUNNING = "bpy.context.window_manager.multi_render.is_running"


def crop(app: BlenderApp, name: str, geometry: str | None) -> Path:
    time.sleep(0.8)  # let the window draw
    shot = app.screenshot(name)
    target = IMAGES / f"{name}.png"
    command = ["convert", str(shot), *(["-crop", geometry, "+repage"] if geometry else []), str(target)]
    subprocess.run(command, env=app.env, check=True, timeout=30)
    return target


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="multi-render-screenshots-"))
    output = workdir / "renders"
    app, xvfb = launch(workdir, REPO / "artifacts" / "screenshots")
    try:
        app.exec(SCENE.format(output=str(output)))
        app.open_render_shots_tab()
        # A slower run for the progress picture: Cycles for about 2 s a shot.
        app.exec("scenes.make_timed(scene, 2.0)\nbpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until("shots[1].status == 'RENDERING'", timeout=60)
        time.sleep(1.0)
        written = [crop(app, "progress", SIDEBAR)]
        app.wait_until(f"not {RUNNING}", timeout=120)
        app.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
        written.append(crop(app, "sidebar", SIDEBAR))
        sheet = app.eval("bpy.context.window_manager.multi_render.last_contact_sheet")
        shutil.copyfile(sheet, IMAGES / "contact_sheet.png")
        written.append(IMAGES / "contact_sheet.png")
    finally:
        app.quit()
        if xvfb is not None:
            xvfb.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
    for path in written:
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
