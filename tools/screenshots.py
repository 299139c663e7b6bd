"""make screenshots: the README's pictures, from a scripted session in a
real Blender window (Xvfb), written to docs/images/. Look at each one
before committing it.

- sidebar.png: the Render Shots tab after a run: thumbnails, the selected
  shot's details with its image;
- overrides.png: the same, scrolled down: its overrides and property overrides;
- progress.png: a queue running: Shot i/N with the time left, Pause and Stop;
- background.png: a queue running in two background processes, with each render's
  own progress;
- contact_sheet.png: the contact sheet of that run;
- notification.png: the preferences of what happens when a run ends, and the
  desktop notification of a run (dunst, a notification service, on a session
  bus of this session's own);
- other_files.png: the Other Files list after a run: a file's shots, a file
  rendered as Ctrl+F12, and a file that is no .blend;
- resume.png: the offer of a queue a Blender left unfinished, Resume and Discard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.blender_app import BlenderApp, launch

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
WINDOW_HEIGHT = 800  # testkit's Xvfb screen is 1280x800
PROGRESS = "bpy.context.window_manager.multi_render.progress_text"
PROCESS_LINES = "bpy.context.window_manager.multi_render.process_lines"

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
"""
RUNNING = "bpy.context.window_manager.multi_render.is_running"

# Two files made of the shots' scene: one with its shots, one without (its
# shots cleared, as the open scene's are then); the panel lists them and a
# file that is no .blend, Other Files opened.
OTHER_FILES = """
import json, os, sys, time
folder = {folder!r}
area.type = "VIEW_3D"  # the preferences' picture borrowed it
scene.render.engine = "BLENDER_WORKBENCH"
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(folder, "product_shots.blend"), copy=True)
shots.clear()
scene.frame_start, scene.frame_end = 1, 3
scene.camera = bpy.data.objects["Cam_Blue"]
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(folder, "turntable.blend"), copy=True)
with open(os.path.join(folder, "notes.blend"), "w") as note:
    note.write("not a .blend file")
names = ["product_shots.blend", "turntable.blend", "notes.blend"]
bpy.ops.multi_render.other_files_add(directory=folder + os.sep, files=[{{"name": n}} for n in names])
data = bpy.context.scene.multi_render
data.other_files[1].without_shots = "ANIMATION"
data.active_other_file_index = 1
data.processes = 2
# Open, as a person opens it: a panel of a new name is drawn open the first time.
closed = bpy.types.MULTIRENDER_PT_other_files
bpy.utils.unregister_class(closed)
bpy.utils.register_class(
    type("MULTIRENDER_PT_other_files_open", (closed,), {{"bl_idname": closed.bl_idname + "_open", "bl_options": set()}})
)
"""
# A queue a Blender died in: its file beside the add-on's own queues.
LEFT_QUEUE = """
keeping = sys.modules[next(n for n in sys.modules if n.endswith("multi_render.run.queue_keeping"))]
blend = os.path.join(folder, "product_shots.blend")
shots = [type("Shot", (), {{"name": name}}) for name in ("Cam_Blue", "Cam_Green", "Cam_Red", "Cam_Yellow")]
queue = {{"format": "multi_render.queue", "version": 1, "blend": blend, "owner": 999999999,
         "started": "2026-11-29T13:02:11", "updated": time.time() - 600,
         "shots": [{{"scene": "Scene", "index": i, "name": s.name, "status": "DONE" if i < 2 else "PENDING",
                    "output": ""}} for i, s in enumerate(shots)]}}
with open(os.path.join(keeping.folder(), "999999999-1.queue.jsonl"), "w") as kept:
    json.dump(queue, kept)
keeping.refresh_offers()
"""

# The add-on's preferences in the 3D Viewport's place, filtered and expanded
# as a person opens them; a run is told when it ends.
NOTIFY_PREFERENCES = """
import addon_utils
module = next(name for name in bpy.context.preferences.addons.keys() if name.endswith("multi_render"))
settings = bpy.context.preferences.addons[module].preferences
bpy.context.preferences.system.use_online_access = True
settings.notify_webhook_url = "https://discord.com/api/webhooks/1234/abcd"
settings.notify_webhook_chat = True
settings.notify_desktop = True
area = next(area for area in bpy.context.screen.areas if area.type == "VIEW_3D")
area.type = "PREFERENCES"
bpy.context.preferences.active_section = "ADDONS"
bpy.context.window_manager.addon_search = "Multi Render"
if not addon_utils.module_bl_info(sys.modules[module])["show_expanded"]:
    bpy.ops.preferences.addon_expand(module=module)
scene.render.engine = "BLENDER_WORKBENCH"
"""


def sidebar_box(app: BlenderApp) -> str:
    """The sidebar region as a crop geometry (X counts from the top)."""
    left = app.eval("sidebar.x")
    top = WINDOW_HEIGHT - app.eval("sidebar.y + sidebar.height")
    return f"{app.eval('sidebar.width')}x{app.eval('sidebar.height')}+{left}+{top}"


def widen_sidebar(app: BlenderApp, pixels: int) -> None:
    """Drag the sidebar's left edge, as a person widens it."""
    edge = app.eval("sidebar.x")
    middle = WINDOW_HEIGHT - app.eval("sidebar.y + sidebar.height // 2")
    app.xdotool("mousemove", str(edge), str(middle))
    time.sleep(0.3)
    app.xdotool("mousedown", "1")
    for step in range(1, 11):
        time.sleep(0.05)
        app.xdotool("mousemove", str(edge - pixels * step // 10), str(middle))
    time.sleep(0.2)
    app.xdotool("mouseup", "1")
    time.sleep(0.5)


def crop(app: BlenderApp, name: str) -> Path:
    time.sleep(0.8)  # let the window draw
    shot = app.screenshot(name)
    target = IMAGES / f"{name}.png"
    subprocess.run(["convert", str(shot), "-crop", sidebar_box(app), "+repage", str(target)], env=app.env, check=True)
    return target


def notification_picture(app: BlenderApp) -> Path:
    """The preferences, and a run's desktop notification shown by dunst."""
    service = subprocess.Popen(["dunst"], env=app.env)
    try:
        app.exec("import sys\n" + NOTIFY_PREFERENCES + "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until(RUNNING, timeout=10)
        app.wait_until(f"not {RUNNING}", timeout=120)
        app.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
        time.sleep(1.5)  # dunst shows it
        shot = app.screenshot("notification")
    finally:
        service.terminate()
    target = IMAGES / "notification.png"
    subprocess.run(["convert", str(shot), "-resize", "75%", str(target)], env=app.env, check=True)
    return target


def other_files_pictures(app: BlenderApp, workdir: Path) -> list[Path]:
    """Other Files after a run, then a queue left unfinished offered in the panel."""
    app.exec(OTHER_FILES.format(folder=str(workdir)))
    app.open_render_shots_tab()
    widen_sidebar(app, 420 - app.eval("sidebar.width"))  # the editor was swapped: its sidebar is new
    app.exec("bpy.ops.multi_render.render_other_files('INVOKE_DEFAULT')")
    app.wait_until("bpy.context.window_manager.multi_render.files_running", timeout=10)
    app.wait_until("not bpy.context.window_manager.multi_render.files_running", timeout=180)
    app.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
    # The run's error report ("1 failed") pops up by the pointer: Esc over it closes it.
    app.key("Escape", at=(app.eval("sidebar.x") - 20, 300))
    app.xdotool("mousemove", "300", "400")
    time.sleep(1.0)
    pictures = [crop(app, "other_files")]
    app.exec(LEFT_QUEUE.format())  # doubled braces: the JSON's own
    app.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
    pictures.append(crop(app, "resume"))
    app.exec("bpy.ops.multi_render.queue_discard(path=os.path.join(keeping.folder(), '999999999-1.queue.jsonl'))")
    return pictures


def session_bus(folder: Path) -> subprocess.Popen[bytes]:
    """A session bus of this session's own (Blender and dunst find it in the environment)."""
    address = f"unix:path={folder / 'bus'}"
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", f"--address={address}", "--nofork", "--print-address"], stdout=subprocess.PIPE
    )
    assert bus.stdout is not None and bus.stdout.readline()  # listening once it prints its address
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    return bus


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="multi-render-screenshots-"))
    output = workdir / "renders"
    bus = session_bus(workdir)
    app, xvfb = launch(workdir, REPO / "artifacts" / "screenshots", own_display=True)  # it drags and scrolls
    written: list[Path] = []
    try:
        app.exec(SCENE.format(output=str(output)))
        app.open_render_shots_tab()
        widen_sidebar(app, 160)
        # Progress: Cycles for about 2 s a shot, stopped after the picture.
        app.exec("scenes.make_timed(scene, 2.0)\nbpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until("shots[1].status == 'RENDERING' and 'left' in " + PROGRESS, timeout=60)
        written.append(crop(app, "progress"))
        app.exec("bpy.ops.multi_render.stop()")
        app.wait_until(f"not {RUNNING}", timeout=60)
        # The same shots in two background processes: a line each, with the render's own progress.
        app.exec("data.run_in = 'BACKGROUND'\ndata.processes = 2\nbpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until(f"{PROCESS_LINES}.count(' - Sample ') == 2", timeout=60)
        written.append(crop(app, "background"))
        app.exec("bpy.ops.multi_render.stop()")
        app.wait_until(f"not {RUNNING}", timeout=60)
        app.exec("data.run_in = 'THIS_BLENDER'\ndata.processes = 1")
        # The whole run in Workbench's flat colours: thumbnails, details, contact sheet.
        app.exec("scene.render.engine = 'BLENDER_WORKBENCH'\nbpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until(RUNNING, timeout=10)
        app.wait_until(f"not {RUNNING}", timeout=120)
        app.exec("[region.tag_redraw() for area in bpy.context.screen.areas for region in area.regions]")
        written.append(crop(app, "sidebar"))
        # Scrolled down, as a person does: the shot's overrides and property overrides.
        app.xdotool("mousemove", str(app.eval("sidebar.x + 100")), "500")
        app.xdotool("click", "--repeat", "12", "--delay", "40", "5")
        written.append(crop(app, "overrides"))
        sheet = app.eval("bpy.context.window_manager.multi_render.last_contact_sheet")
        shutil.copyfile(sheet, IMAGES / "contact_sheet.png")
        written.append(IMAGES / "contact_sheet.png")
        written.append(notification_picture(app))
        written.extend(other_files_pictures(app, workdir))
    finally:
        app.quit()
        if xvfb is not None:
            xvfb.terminate()
        bus.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
    for path in written:
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
