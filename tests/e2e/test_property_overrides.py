"""Property overrides in the real GUI: "Add to Shot Overrides" from the
right-click menu of a property in the Properties editor, a product-variant
queue whose images show each variant, Esc mid-queue, and hostile paths."""

from __future__ import annotations

import time
from pathlib import Path

from setups import PERMANENT_HANDLERS, SHOT_PER_CAMERA, THREE_SHOTS

from testkit.blender_app import BlenderApp

RUNNING = "bpy.context.window_manager.multi_render.is_running"
REPORT = "bpy.context.window_manager.multi_render.last_report"
STATUSES = "[shot.status for shot in shots]"
SOCKET = 'bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"].inputs[0].default_value'
ENERGY = 'bpy.data.lights["Key"].energy'

PRODUCT = (
    """
import os
from testkit import scenes
scenes.build_product(size=32)
"""
    + SHOT_PER_CAMERA
    + """
for shot in shots:
    shot.camera = bpy.data.objects["Cam_Red"]
variants = [("Red", "(0.8, 0.02, 0.02, 1.0)", "500.0", False),
            ("Green", "(0.02, 0.8, 0.02, 1.0)", "4000.0", False),
            ("Blue", "(0.02, 0.02, 0.8, 1.0)", "2000.0", True)]
for shot, (name, colour, energy, transparent) in zip(shots, variants):
    shot.name = name
    for path, value in (({socket!r}, colour), ({energy!r}, energy),
                        (f'bpy.data.scenes["{{scene.name}}"].render.film_transparent', str(transparent))):
        item = shot.property_overrides.add()
        item.data_path, item.value = path, value
seen = []
def watch(scene, _depsgraph=None):
    node = bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"]
    seen.append((tuple(round(v, 2) for v in node.inputs[0].default_value),
                 bpy.data.lights["Key"].energy, scene.render.film_transparent))
bpy.app.handlers.render_pre.append(watch)
person = seen_now = None
def values():
    node = bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"]
    return (tuple(round(v, 3) for v in node.inputs[0].default_value),
            bpy.data.lights["Key"].energy, scene.render.film_transparent)
person = values()
before = scenes.dump_scene(scene)
"""
)


def run(blender: BlenderApp, timeout: float = 60) -> str:
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until(f"not {RUNNING}", timeout=timeout)
    return blender.eval(REPORT)  # type: ignore[no-any-return]


def test_a_product_variant_queue_renders_each_variant(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(PRODUCT.format(output=str(tmp_path), socket=SOCKET, energy=ENERGY))
    report = run(blender)
    assert report.startswith("Rendered 3 shots"), report
    assert blender.eval("seen") == [
        [[0.8, 0.02, 0.02, 1.0], 500.0, False],
        [[0.02, 0.8, 0.02, 1.0], 4000.0, False],
        [[0.02, 0.02, 0.8, 1.0], 2000.0, True],
    ]
    assert blender.eval("values() == person")
    assert blender.eval("scenes.dump_scene(scene) == before")
    centre = {
        name: blender.eval(f"scenes.rgba({str(tmp_path / (name + '.png'))!r}, 0.5, 0.5)")
        for name in ("Red", "Green", "Blue")
    }
    for channel, name in enumerate(("Red", "Green", "Blue")):
        pixel = centre[name]
        assert pixel[channel] > 2 * max(pixel[c] for c in range(3) if c != channel), (name, pixel)
    corner = {name: blender.eval(f"scenes.rgba({str(tmp_path / (name + '.png'))!r}, 0.02, 0.02)") for name in centre}
    assert corner["Red"][3] > 0.99 and corner["Blue"][3] < 0.01  # film transparent on the third shot only
    assert blender.eval("scenes.handlers_from('multi_render')") == PERMANENT_HANDLERS


def test_esc_mid_queue_gives_every_property_back(blender: BlenderApp, tmp_path: Path) -> None:
    blender.exec(PRODUCT.format(output=str(tmp_path), socket=SOCKET, energy=ENERGY))
    # Shot 1 ends on its own (one sample); shot 2 renders until stopped, so
    # Esc can never come after its end on a busy machine.
    blender.exec(
        "scenes.make_slow(scene, size=32)\n"
        "shots[0].use_samples, shots[0].samples = True, 1\n"
        "before = scenes.dump_scene(scene)"
    )
    blender.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    blender.wait_until("shots[1].status == 'RENDERING' and bpy.app.is_job_running('RENDER')", timeout=60)
    assert blender.eval("values()") != blender.eval("person")  # shot 2's variant is on now
    blender.key("Escape")
    blender.wait_until(f"not {RUNNING}", timeout=30)
    assert blender.eval(STATUSES) == ["DONE", "CANCELLED", "PENDING"]
    assert blender.eval("values() == person")
    assert blender.eval("scenes.dump_scene(scene) == before")


def test_hostile_paths_are_refused_and_nothing_happens(blender: BlenderApp, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    blender.exec(THREE_SHOTS.format(output=str(tmp_path)))
    hostile = [
        f"__import__('os').system('touch {marker}')",
        "bpy.ops.wm.quit_blender()",
        'bpy.data.objects["Cam_Red"].__class__',
        'bpy.data.objects["Cam_Red"]' + "[0]" * 40,
        "bpy.data.objects" + "x" * 10_000,
    ]
    for position, path in enumerate(hostile):
        blender.exec(
            f"item = shots[{position % 3}].property_overrides.add()\n"
            f"item.data_path, item.value = {path!r}, \"__import__('os').system('touch {marker}')\"\n"
        )
    blender.exec("before = scenes.dump_scene(scene)")
    message = blender.exec(
        "try:\n    bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')\n    result = 'started'\n"
        "except RuntimeError as error:\n    result = str(error)"
    )
    assert message != "started"
    for shot in ("Shot 1 'Cam_Blue': property override 1", "Shot 2 'Cam_Green': property override 1"):
        assert shot in message, message
    assert not marker.exists()
    assert list(tmp_path.glob("*.png")) == []
    assert blender.alive
    assert blender.eval("scenes.dump_scene(scene) == before")
    assert not blender.eval(RUNNING)


def test_add_to_shot_overrides_from_the_right_click_menu(blender: BlenderApp, tmp_path: Path) -> None:
    """Right-click a property in the Properties editor > Add to Shot Overrides,
    with a real right click and the menu chosen by keyboard, then render it."""
    blender.exec(PRODUCT.format(output=str(tmp_path), socket=SOCKET, energy=ENERGY))
    blender.exec(
        "for shot in shots: shot.property_overrides.clear()\n"
        "scene.multi_render.active_shot_index = 1\n"
        "bpy.context.view_layer.objects.active = bpy.data.objects['Key']\n"
        "area = main_window_context()['area']\n"
        "area.ui_type = 'PROPERTIES'"
    )
    time.sleep(1.0)  # the editor lists its tabs once drawn
    blender.exec("area.spaces.active.context = 'DATA'")
    time.sleep(1.0)
    # The light type row (Point / Sun / Spot / Area) of the Light panel.
    blender.xdotool("mousemove", "180", "202")
    time.sleep(0.4)
    blender.xdotool("click", "3")
    time.sleep(0.8)
    blender.screenshot("context-menu")
    blender.key("Up", at=(180, 202))  # our entry is the menu's last
    blender.key("Return", at=(180, 202))
    overrides = "[(o.data_path, o.value, o.enabled) for o in shots[1].property_overrides]"
    blender.wait_until(overrides, timeout=5)
    assert blender.eval(overrides) == [['bpy.data.lights["Key"].type', "'POINT'", True]]
    assert blender.eval("[len(shot.property_overrides) for shot in shots]") == [0, 1, 0]
    blender.exec("shots[1].property_overrides[0].value = \"'SUN'\"\narea.ui_type = 'VIEW_3D'")
    assert run(blender).startswith("Rendered 3 shots")
    assert blender.eval("bpy.data.lights['Key'].type") == "POINT"
