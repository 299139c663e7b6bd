# SPDX-License-Identifier: GPL-3.0-or-later
"""make demo, inside a Blender window:
    blender --python tools/demo.py -- OUTPUT_FOLDER

Builds the demo scene (six cameras around a subject, each facing a wall of
its own colour), saves it as OUTPUT_FOLDER/demo.blend, adds one shot per
camera and renders them with Render Shots, as a person pressing the button
would, then prints where the images are and quits (exit code 1 if any shot
did not render)."""

import os
import sys

import bpy

from testkit import scenes  # found through PYTHONPATH (demo.sh)

OUTPUT = os.path.abspath(sys.argv[sys.argv.index("--") + 1] if "--" in sys.argv else "demo-output")
TIMEOUT_SECONDS = 300


def start() -> None:
    os.makedirs(OUTPUT, exist_ok=True)
    scenes.build_color_cameras(6, size=256)
    scene = bpy.context.scene
    scene.render.filepath = "//renders/"
    bpy.ops.wm.save_as_mainfile(filepath=os.path.join(OUTPUT, "demo.blend"))
    bpy.ops.multi_render.shots_from_cameras()
    window = bpy.context.window_manager.windows[0]
    area = max(window.screen.areas, key=lambda a: a.width * a.height)
    with bpy.context.temp_override(window=window, area=area):
        bpy.ops.multi_render.render_shots("INVOKE_DEFAULT")
    print(f"multi_render demo: rendering {len(scene.multi_render.shots)} shots...", flush=True)
    bpy.app.timers.register(wait_for_queue, first_interval=1.0)


def wait_for_queue(waited: list[float] = [0.0]) -> float | None:  # noqa: B006 (a counter kept between calls)
    runtime = bpy.context.window_manager.multi_render
    waited[0] += 0.5
    if runtime.is_running and waited[0] < TIMEOUT_SECONDS:
        return 0.5
    shots = bpy.context.scene.multi_render.shots
    print(f"multi_render demo: {runtime.last_report}")
    for shot in shots:
        print(f"  {shot.status:9} {shot.name:12} {shot.output or '(no file)'}")
    failed = runtime.is_running or any(shot.status != "DONE" for shot in shots)
    print(f"multi_render demo: images in {os.path.join(OUTPUT, 'renders')}", flush=True)
    bpy.ops.wm.quit_blender()
    if failed:
        os._exit(1)
    return None


bpy.app.timers.register(start, first_interval=1.0)
