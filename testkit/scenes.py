# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenes for the tests, the demo and the benchmark, built from scratch in a
running Blender. Each camera sees a wall of its own colour behind a grey
subject, so an image tells which camera rendered it."""

from __future__ import annotations

import math
import warnings

import bpy

COLORS: dict[str, tuple[float, float, float]] = {
    "Red": (1.0, 0.0, 0.0),
    "Green": (0.0, 1.0, 0.0),
    "Blue": (0.0, 0.0, 1.0),
    "Yellow": (1.0, 1.0, 0.0),
    "Magenta": (1.0, 0.0, 1.0),
    "Cyan": (0.0, 1.0, 1.0),
}
SUBJECT_COLOR = (0.5, 0.5, 0.5)
# Where in an image (fractions of width and height) the wall is always seen.
WALL_SAMPLE = (0.1, 0.5)


def _square(
    name: str, center: tuple[float, float, float], across: tuple[float, float], half: float
) -> bpy.types.Object:
    """A vertical square facing the origin: `across` is its horizontal axis."""
    cx, cy, cz = center
    ax, ay = across
    corners = [
        (cx + sx * half * ax, cy + sx * half * ay, cz + sz * half) for sx, sz in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(corners, [], [(0, 1, 2, 3)])
    return bpy.data.objects.new(name, mesh)


def build_color_cameras(count: int = 4, size: int = 64, engine: str = "BLENDER_WORKBENCH") -> list[str]:
    """Empty the current scene and add `count` cameras on a ring around a
    subject, each facing a wall of its own colour. Returns the camera names."""
    scene = bpy.context.scene
    # Every object and its data, linked or not, so names come out the same.
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj)
    for data in (bpy.data.meshes, bpy.data.cameras):
        for block in list(data):
            data.remove(block)

    subject = bpy.data.objects.new("Subject", bpy.data.meshes.new("Subject"))
    subject.data.from_pydata(  # type: ignore[union-attr]
        [(x, y, z) for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)],
        [],
        [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)],
    )
    subject.color = (*SUBJECT_COLOR, 1.0)
    scene.collection.objects.link(subject)

    names = []
    for number, (color_name, rgb) in enumerate(list(COLORS.items())[:count]):
        angle = 2 * math.pi * number / count
        outward = (math.cos(angle), math.sin(angle))
        camera = bpy.data.objects.new(f"Cam_{color_name}", bpy.data.cameras.new(f"Cam_{color_name}"))
        camera.location = (6 * outward[0], 6 * outward[1], 0.0)
        # A camera looks down its -Z axis; this turns it to look at the origin.
        camera.rotation_euler = (math.pi / 2, 0.0, angle + math.pi / 2)
        scene.collection.objects.link(camera)
        wall = _square(f"Wall_{color_name}", (-10 * outward[0], -10 * outward[1], 0.0), (-outward[1], outward[0]), 40)
        wall.color = (*rgb, 1.0)
        scene.collection.objects.link(wall)
        names.append(camera.name)
    scene.camera = bpy.data.objects[names[0]]

    without_denoising(scene)
    render = scene.render
    render.engine = engine
    render.resolution_x = render.resolution_y = size
    render.resolution_percentage = 100
    render.image_settings.file_format = "PNG"
    render.film_transparent = False
    scene.view_settings.view_transform = "Standard"
    shading = scene.display.shading
    shading.light = "FLAT"
    shading.color_type = "OBJECT"
    shading.show_cavity = False
    shading.show_shadows = False
    shading.show_object_outline = False
    shading.show_specular_highlight = False
    return names


def build_farm_scene(cameras: int) -> bpy.types.bpy_prop_collection:
    """Colour cameras with a shot each, rendered as a farm worker would:
    Cycles on the CPU with one sample, into "//renders/". Returns the shots."""
    build_color_cameras(cameras, size=32)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1  # type: ignore[attr-defined]
    scene.cycles.device = "CPU"  # type: ignore[attr-defined]
    scene.render.filepath = "//renders/"
    bpy.ops.multi_render.shots_from_cameras()
    return scene.multi_render.shots  # type: ignore[attr-defined,no-any-return]


def without_denoising(scene: bpy.types.Scene) -> None:
    """Debian trixie's Blender 4.3 has no OpenImageDenoise: a denoised Cycles
    render there is cancelled as an engine error."""
    scene.cycles.use_denoising = False  # type: ignore[attr-defined]


def make_slow(scene: bpy.types.Scene, size: int = 256) -> None:
    """Cycles with a huge sample count: a render that runs until cancelled."""
    scene.render.engine = "CYCLES"
    scene.render.resolution_x = scene.render.resolution_y = size
    scene.cycles.samples = 1_000_000  # type: ignore[attr-defined]
    scene.cycles.use_adaptive_sampling = False  # type: ignore[attr-defined]
    scene.cycles.time_limit = 0  # type: ignore[attr-defined]
    scene.cycles.device = "CPU"  # type: ignore[attr-defined]
    without_denoising(scene)


def make_timed(scene: bpy.types.Scene, seconds: float = 1.5) -> None:
    """Cycles for about `seconds` a shot: long enough to act during a render."""
    make_slow(scene, size=scene.render.resolution_x)
    scene.cycles.time_limit = seconds  # type: ignore[attr-defined]


def emit_object_colors(scene: bpy.types.Scene) -> None:
    """Every mesh glows in its object colour, as Workbench shows it, so that
    Cycles renders the walls' colours exactly (wall_color reads them)."""
    material = bpy.data.materials.new("Object Colour")
    material.use_nodes = True
    nodes = material.node_tree.nodes  # type: ignore[union-attr]
    nodes.clear()
    info = nodes.new("ShaderNodeObjectInfo")
    emission = nodes.new("ShaderNodeEmission")
    output = nodes.new("ShaderNodeOutputMaterial")
    links = material.node_tree.links  # type: ignore[union-attr]
    links.new(info.outputs["Color"], emission.inputs["Color"])
    links.new(emission.outputs["Emission"], output.inputs["Surface"])
    for obj in scene.objects:
        if obj.type == "MESH":
            obj.data.materials.clear()  # type: ignore[union-attr]
            obj.data.materials.append(material)  # type: ignore[union-attr]
    scene.view_settings.view_transform = "Standard"


def pixel(path: str, fx: float, fy: float) -> tuple[float, float, float]:
    """The RGB of one pixel of an image file, at fractions of its size."""
    image = bpy.data.images.load(path, check_existing=False)
    try:
        width, height = image.size
        x, y = min(int(fx * width), width - 1), min(int(fy * height), height - 1)
        start = (y * width + x) * image.channels
        values = image.pixels[start : start + 3]
        return (values[0], values[1], values[2])
    finally:
        bpy.data.images.remove(image)


def wall_color(path: str, at: tuple[float, float] = WALL_SAMPLE) -> str:
    """The name of the colour an image has where its wall shows ("Red",
    ...), or at another point; "?" for anything else (the grey subject)."""
    rgb = pixel(path, *at)
    for name, expected in COLORS.items():
        if all(abs(a - b) < 0.1 for a, b in zip(rgb, expected, strict=True)):
            return name
    return "?"


# Not compared: the shot list itself (its statuses change by design) and the
# editing tools' settings, which no render touches and whose
# tool_settings.uv_sculpt.palette crashes Blender 4.2 when read.
# session_uid is a runtime number, new on every file load.
DUMP_SKIP = frozenset({"multi_render", "tool_settings", "session_uid"})


def dump_settings(owner: object, depth: int = 3, skip: frozenset[str] = DUMP_SKIP) -> object:
    """Every readable setting of an RNA struct, nested structs included, as
    plain values: two dumps compare equal when nothing was changed. Datablocks
    are named, not followed."""
    if isinstance(owner, bpy.types.ID) and depth < 3:
        return f"<{type(owner).__name__} {owner.name}>"
    values: dict[str, object] = {}
    for prop in owner.bl_rna.properties:  # type: ignore[attr-defined]
        key = prop.identifier
        if key in {"rna_type", *skip} or prop.type == "COLLECTION":
            continue
        try:
            with warnings.catch_warnings():  # reading deprecated settings is fine here
                warnings.simplefilter("ignore", DeprecationWarning)
                value = getattr(owner, key)
        except (AttributeError, RuntimeError):
            continue
        if prop.type == "POINTER":
            if value is None:
                values[key] = None
            elif isinstance(value, bpy.types.ID):
                values[key] = f"<{type(value).__name__} {value.name}>"
            elif depth > 0:
                values[key] = dump_settings(value, depth - 1, skip)
        elif hasattr(value, "__len__") and not isinstance(value, str):
            values[key] = [round(v, 6) if isinstance(v, float) else v for v in value]
        else:
            values[key] = round(value, 6) if isinstance(value, float) else value
    return values


def dump_scene(scene: bpy.types.Scene) -> dict[str, object]:
    """What the queue must leave exactly as it found it."""
    return {
        "scene": dump_settings(scene),
        "render": dump_settings(scene.render),
        "view_layers": [dump_settings(layer, depth=1) for layer in scene.view_layers],
        "markers": [(m.name, m.frame, m.camera.name if m.camera else None) for m in scene.timeline_markers],
    }


def dump_layout() -> dict[str, object]:
    """The windows, their workspace and screen, and every area's type and box."""
    return {
        "windows": [
            {
                "workspace": window.workspace.name,
                "screen": window.screen.name,
                "areas": [(a.type, a.ui_type, a.x, a.y, a.width, a.height) for a in window.screen.areas],
            }
            for window in bpy.context.window_manager.windows
        ]
    }


def handlers_from(module_part: str) -> list[str]:
    """'list:function' for every app handler whose module name contains `module_part`."""
    found = []
    for name in dir(bpy.app.handlers):
        handlers = getattr(bpy.app.handlers, name)
        if not name.startswith("_") and isinstance(handlers, list):
            found += [f"{name}:{f.__name__}" for f in handlers if module_part in (getattr(f, "__module__", None) or "")]
    return found


def image_size(path: str) -> tuple[int, int]:
    image = bpy.data.images.load(path, check_existing=False)
    try:
        return (image.size[0], image.size[1])
    finally:
        bpy.data.images.remove(image)


def walls_into_collection(name: str = "Walls") -> bpy.types.Collection:
    """Move every wall into a collection of its own, so a shot can hide them."""
    scene = bpy.context.scene
    collection = bpy.data.collections.new(name)
    scene.collection.children.link(collection)
    for obj in list(scene.collection.objects):
        if obj.name.startswith("Wall_"):
            scene.collection.objects.unlink(obj)
            collection.objects.link(obj)
    return collection


def move_subject_away_at(frame: int) -> None:
    """Keyframe the subject out of every camera's view from `frame` on, so
    an image tells which frame it shows (grey centre or not)."""
    subject = bpy.data.objects["Subject"]
    subject.location = (0.0, 0.0, 0.0)
    subject.keyframe_insert("location", frame=frame - 1)
    subject.location = (0.0, 0.0, 50.0)
    subject.keyframe_insert("location", frame=frame)
    subject.location = (0.0, 0.0, 0.0)
    bpy.context.scene.frame_set(1)


def build_product(size: int = 32, samples: int = 4) -> list[str]:
    """A product shot for variants: three colour cameras, Cycles, the subject
    painted with a node material "Paint" and lit by a point light "Key", the
    walls hidden so the world is the background. Returns the camera names."""
    names = build_color_cameras(3, size=size, engine="CYCLES")
    scene = bpy.context.scene
    scene.cycles.samples = samples  # type: ignore[attr-defined]
    scene.cycles.device = "CPU"  # type: ignore[attr-defined]
    for obj in scene.objects:
        if obj.name.startswith("Wall_"):
            obj.hide_render = True
    paint = bpy.data.materials.new("Paint")
    if paint.node_tree is None:  # Blender 4.x; 5.x gives every material its nodes
        paint.use_nodes = True
    subject = bpy.data.objects["Subject"]
    subject.data.materials.append(paint)  # type: ignore[union-attr]
    light = bpy.data.objects.new("Key", bpy.data.lights.new("Key", "POINT"))
    light.location = (0.0, 0.0, 6.0)
    light.data.energy = 2000.0  # type: ignore[union-attr]
    scene.collection.objects.link(light)
    world = scene.world or bpy.data.worlds.new("World")
    scene.world = world
    return names


def rgba(path: str, fx: float, fy: float) -> tuple[float, float, float, float]:
    """The RGBA of one pixel of an image file, at fractions of its size."""
    image = bpy.data.images.load(path, check_existing=False)
    try:
        width, height = image.size
        x, y = min(int(fx * width), width - 1), min(int(fy * height), height - 1)
        start = (y * width + x) * image.channels
        values = list(image.pixels[start : start + image.channels]) + [1.0] * (4 - image.channels)
        return (values[0], values[1], values[2], values[3])
    finally:
        bpy.data.images.remove(image)


def add_file_output(folder: str, prefix: str = "pass_", group: bool = False) -> bpy.types.Node:
    """A compositor that writes the render's image as PNG through a File
    Output node into `folder` (with `prefix` where Blender 5.x has one), on
    Blender 5.x's or 4.x's compositor API. With `group`, the node sits inside
    a node group. Returns the node."""
    scene = bpy.context.scene
    if hasattr(scene, "compositing_node_group"):  # 5.0+
        tree = scene.compositing_node_group or bpy.data.node_groups.new("Compositor", "CompositorNodeTree")
        scene.compositing_node_group = tree
    else:
        scene.use_nodes = True
        tree = scene.node_tree
    layers = next((n for n in tree.nodes if n.bl_idname == "CompositorNodeRLayers"), None)
    layers = layers or tree.nodes.new("CompositorNodeRLayers")
    holder = tree
    if group:
        holder = bpy.data.node_groups.new("Passes", "CompositorNodeTree")
        holder.interface.new_socket("Image", in_out="INPUT", socket_type="NodeSocketColor")
        inputs = holder.nodes.new("NodeGroupInput")
        group_node = tree.nodes.new("CompositorNodeGroup")
        group_node.node_tree = holder
        tree.links.new(layers.outputs["Image"], group_node.inputs[0])
    node = holder.nodes.new("CompositorNodeOutputFile")
    if hasattr(node.format, "media_type"):
        node.format.media_type = "IMAGE"
    node.format.file_format = "PNG"
    source = inputs.outputs[0] if group else layers.outputs["Image"]
    if hasattr(node, "directory"):  # 5.0+
        node.directory, node.file_name = folder, prefix
        node.file_output_items.new("RGBA", "beauty")
        holder.links.new(source, node.inputs["beauty"])
    else:
        node.base_path = folder
        holder.links.new(source, node.inputs[0])
    return node


def node_folder(node: bpy.types.Node) -> str:
    """A File Output node's folder setting, on either API."""
    return str(node.directory if hasattr(node, "directory") else node.base_path)
