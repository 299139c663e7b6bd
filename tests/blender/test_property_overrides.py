"""Property overrides (any Blender property per shot), rendered in background
mode: each kind of property is set while its shot renders (seen in the image,
or read by a render handler) and is the person's value again afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import bpy
import pytest

from testkit import scenes


@pytest.fixture
def shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    return scene.multi_render.shots


class RenderWatch:
    """What render_pre sees of some properties, one dict per render."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}  # label -> full data path
        self.seen: list[dict[str, object]] = []

    def now(self) -> dict[str, object]:
        return {label: _read(path) for label, path in self.paths.items()}

    def record(self, _scene: bpy.types.Scene, _depsgraph: object = None) -> None:
        self.seen.append(self.now())


@pytest.fixture
def watch() -> Iterator[RenderWatch]:
    watcher = RenderWatch()
    bpy.app.handlers.render_pre.append(watcher.record)
    yield watcher
    bpy.app.handlers.render_pre.remove(watcher.record)


def _read(path: str) -> object:
    """A watched property's value, without evaluating the path."""
    root, _, attribute = path.rpartition(".")
    collection, name, inner = _split_root(root)
    block = getattr(bpy.data, collection)[name]
    owner = block.path_resolve(inner) if inner else block
    value = getattr(owner, attribute)
    if isinstance(value, bpy.types.ID):
        return value.name
    return tuple(round(v, 3) for v in value) if hasattr(value, "__len__") and not isinstance(value, str) else value


def _split_root(root: str) -> tuple[str, str, str]:
    collection, rest = root.removeprefix("bpy.data.").split("[", 1)
    name, _, inner = rest[1:].partition('"]')
    return collection, name, inner.lstrip(".")


def override(shot: object, path: str, value: str) -> None:
    item = shot.property_overrides.add()  # type: ignore[attr-defined]
    item.data_path, item.value = path, value


def test_every_kind_of_property_is_set_for_its_shot_and_restored(
    scene: bpy.types.Scene, shots: object, watch: RenderWatch
) -> None:
    grey = bpy.data.materials.new("Grey")
    grey.diffuse_color = (0.5, 0.5, 0.5, 1.0)
    red = bpy.data.materials.new("Red")
    red.diffuse_color = (1.0, 0.0, 0.0, 1.0)
    subject = bpy.data.objects["Subject"]
    subject.data.materials.append(grey)
    paint = bpy.data.materials.new("Paint")
    if paint.node_tree is None:  # Blender 4.x; 5.x gives every material its nodes
        paint.use_nodes = True
    s = f'bpy.data.scenes["{scene.name}"]'
    socket = 'bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"].inputs[0].default_value'
    watch.paths.update(
        {
            "float": f"{s}.render.resolution_percentage",
            "bool": f"{s}.render.film_transparent",
            "enum": f"{s}.view_settings.view_transform",
            "string": f"{s}.render.stamp_note_text",
            "colour": 'bpy.data.objects["Wall_Green"].color',
            "socket": socket,
            "pointer": 'bpy.data.objects["Subject"].active_material',
            "item": 'bpy.data.objects["Subject"].location',
        }
    )
    first = shots[0]  # type: ignore[index]
    assert first.name == "Cam_Green"
    override(first, f"{s}.render.resolution_percentage", "50")
    override(first, f"{s}.render.film_transparent", "True")
    override(first, f"{s}.view_settings.view_transform", "'Raw'")
    override(first, f"{s}.render.stamp_note_text", "'variant \"A\"'")
    override(first, 'bpy.data.objects["Wall_Green"].color', "(1.0, 0.0, 1.0, 1.0)")
    override(first, socket, "(0.8, 0.1, 0.1, 1.0)")
    override(first, 'bpy.data.objects["Subject"].active_material', 'bpy.data.materials["Red"]')
    override(first, 'bpy.data.objects["Subject"].location[2]', "0.25")
    before = scenes.dump_scene(scene)
    person = watch.now()

    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}

    during_first, during_second = watch.seen
    assert during_first == {
        "float": 50,
        "bool": True,
        "enum": "Raw",
        "string": 'variant "A"',
        "colour": (1.0, 0.0, 1.0, 1.0),
        "socket": (0.8, 0.1, 0.1, 1.0),
        "pointer": "Red",
        "item": (0.0, 0.0, 0.25),
    }
    assert during_second == person  # the next shot sees the person's values
    assert watch.now() == person
    assert scenes.dump_scene(scene) == before
    images = [shot.output for shot in shots]  # type: ignore[attr-defined]
    assert scenes.image_size(images[0]) == (16, 16)
    assert scenes.wall_color(images[0]) == "Magenta"  # the wall's colour override
    assert scenes.wall_color(images[1]) == "Red"


def test_a_property_that_a_built_in_override_and_two_shots_touch_gets_the_persons_value(
    scene: bpy.types.Scene, shots: object
) -> None:
    s = f'bpy.data.scenes["{scene.name}"]'
    scene.render.resolution_x = 32
    shots[0].use_resolution = True  # type: ignore[index]
    shots[0].resolution_x, shots[0].resolution_y = 20, 20  # type: ignore[index]
    override(shots[0], f"{s}.render.resolution_x", "24")  # type: ignore[index]
    override(shots[1], f"{s}.render.resolution_x", "40")  # type: ignore[index]
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    sizes = [scenes.image_size(shot.output) for shot in shots]  # type: ignore[attr-defined]
    assert sizes == [(24, 20), (40, 32)]  # the property override wins over the built-in one
    assert scene.render.resolution_x == 32


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ('bpy.data.objects["Gone"].location', "(0, 0, 0)", "object 'Gone' does not exist"),
        ('bpy.data.objects["Subject"].nonsense', "1", "has no property 'nonsense'"),
        ('bpy.data.objects["Subject"].name', "'x'", "a datablock's name cannot be overridden"),
        ('bpy.data.objects["Subject"].type', "'LIGHT'", "read-only"),
        ('bpy.data.objects["Subject"].location', "(1, 2)", "expects 3 values"),
        ('bpy.data.objects["Subject"].hide_render', "'yes'", "expects True or False"),
        ('bpy.data.objects["Subject"].pass_index', "1.5", "expects a whole number"),
        ('bpy.data.objects["Subject"].pass_index', "-3", "outside 0 to"),
        ('bpy.data.objects["Subject"].display_type', "'GLASS'", "expects one of"),
        (  # an item of the enum that PNG does not offer: said so, not "expects one of ..., 'MULTIVIEW'"
            'bpy.data.scenes["Scene"].render.image_settings.views_format',
            "'MULTIVIEW'",
            "'MULTIVIEW' is not offered with the current settings (one of 'INDIVIDUAL', 'STEREO_3D')",
        ),
        ('bpy.data.objects["Subject"].active_material', 'bpy.data.worlds["W"]', "world 'W' does not exist"),
        ('bpy.data.objects["Subject"].active_material', "3", "expects a datablock"),
        ('bpy.data.objects["Subject"].modifiers', "1", "cannot be overridden"),
        ("__import__('os').system('touch /tmp/multi_render_pwned')", "1", "must start with bpy.data"),
        ('bpy.data.objects["Subject"].__class__', "1", "starting with '_'"),
        ("bpy.ops.render.render()", "1", "must start with bpy.data"),
        ('bpy.data.objects["Subject"].location', "__import__('os').getcwd()", "not a literal value"),
        ('bpy.data.objects["Subject"].' + ".".join(["a"] * 200), "1", "more than 32 steps"),
        ("x" * 10_000, "1", "characters long"),
        (
            'bpy.data.objects["Subject"].animation_data.drivers[0].driver.expression',
            "'__import__(\"os\").getcwd()'",
            "can run code",
        ),
        ("bpy.data.texts['t'].filepath", "'/tmp/x.py'", "not a collection of datablocks"),
        ('bpy.data.scenes["Scene"].render.filepath', "'/tmp/elsewhere'", "the queue sets 'render.filepath' itself"),
        ('bpy.data.scenes["Scene"].camera', 'bpy.data.objects["Cam_Green"]', "use the shot's camera"),
        ('bpy.data.scenes["Scene"].view_layers["ViewLayer"].name', "'Other'", "names the"),
    ],
)
def test_bad_property_overrides_are_named_and_nothing_renders(
    scene: bpy.types.Scene, shots: object, tmp_path: Path, path: str, value: str, expected: str
) -> None:
    override(shots[1], path, value)  # type: ignore[index]
    before = scenes.dump_scene(scene)
    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.render_shots()
    message = str(error.value)
    assert "Shot 2 'Cam_Red': property override 1" in message
    assert expected in message
    assert list(tmp_path.glob("*.png")) == []
    assert scenes.dump_scene(scene) == before
    assert not Path("/tmp/multi_render_pwned").exists()


def test_the_same_property_twice_in_one_shot_is_refused(scene: bpy.types.Scene, shots: object) -> None:
    override(shots[0], 'bpy.data.objects["Subject"].hide_render', "True")  # type: ignore[index]
    override(shots[0], "bpy.data.objects['Subject'].hide_render", "False")  # type: ignore[index]
    with pytest.raises(RuntimeError, match=r"property override 2 .*the same property as override 1"):
        bpy.ops.multi_render.render_shots()


def test_an_unticked_override_is_neither_checked_nor_applied(scene: bpy.types.Scene, shots: object) -> None:
    override(shots[0], 'bpy.data.objects["Gone"].location', "(0, 0, 0)")  # type: ignore[index]
    override(shots[0], 'bpy.data.objects["Wall_Green"].color', "(1.0, 0.0, 1.0, 1.0)")  # type: ignore[index]
    for item in shots[0].property_overrides:  # type: ignore[index]
        item.enabled = False
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert scenes.wall_color(shots[0].output) == "Green"  # type: ignore[index]


def test_an_animated_property_or_a_file_output_folder_is_refused(scene: bpy.types.Scene, shots: object) -> None:
    subject = bpy.data.objects["Subject"]
    subject.keyframe_insert("location", frame=1)
    override(shots[0], 'bpy.data.objects["Subject"].location', "(0, 0, 1)")  # type: ignore[index]
    with pytest.raises(RuntimeError, match="is animated or driven"):
        bpy.ops.multi_render.render_shots()
    shots[0].property_overrides.clear()  # type: ignore[index]
    node = scenes.add_file_output("//passes/")
    tree = node.id_data
    owner = (
        f'bpy.data.node_groups["{tree.name}"]'
        if tree.name in bpy.data.node_groups
        else f'bpy.data.scenes["{scene.name}"].node_tree'
    )
    attribute = "directory" if hasattr(node, "directory") else "base_path"
    override(shots[0], f'{owner}.nodes["{node.name}"].{attribute}', "'/tmp/x/'")  # type: ignore[index]
    with pytest.raises(RuntimeError, match="the queue sets File Output nodes' folders itself"):
        bpy.ops.multi_render.render_shots()


def test_custom_properties_are_set_for_their_shot_and_restored(scene: bpy.types.Scene, shots: object) -> None:
    """A custom property (Object Properties > Custom Properties, what drivers
    and shader Attribute nodes read) is overridden as ["key"], keeps its
    kind (a float stays a float) and gets the person's value back."""
    subject = bpy.data.objects["Subject"]
    subject["variant"] = 1.0
    subject.id_properties_ui("variant").update(min=0.0, max=10.0, subtype="FACTOR", description="Which trim")
    subject["tint"] = [0.1, 0.2, 0.3]
    subject.id_properties_ui("tint").update(subtype="COLOR")
    scene["label"] = "person"
    settings_before = {key: subject.id_properties_ui(key).as_dict() for key in ("variant", "tint")}
    seen: list[tuple[object, ...]] = []

    def record(_scene: bpy.types.Scene, _depsgraph: object = None) -> None:
        seen.append((subject["variant"], tuple(round(v, 3) for v in subject["tint"]), scene["label"]))

    override(shots[0], 'bpy.data.objects["Subject"]["variant"]', "5")  # type: ignore[index]
    override(shots[0], 'bpy.data.objects["Subject"]["tint"][1]', "0.9")  # type: ignore[index]
    override(shots[1], f'bpy.data.scenes["{scene.name}"]["label"]', "'shot'")  # type: ignore[index]
    bpy.app.handlers.render_pre.append(record)
    try:
        assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    finally:
        bpy.app.handlers.render_pre.remove(record)
    assert seen == [(5.0, (0.1, 0.9, 0.3), "person"), (1.0, (0.1, 0.2, 0.3), "shot")]
    assert isinstance(seen[0][0], float)
    assert subject["variant"] == 1.0 and isinstance(subject["variant"], float)
    assert tuple(round(v, 3) for v in subject["tint"]) == (0.1, 0.2, 0.3)
    # Their Edit Property settings (subtype, limits, description) are kept.
    assert {key: subject.id_properties_ui(key).as_dict() for key in ("variant", "tint")} == settings_before
    assert scene["label"] == "person"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ('bpy.data.objects["Subject"]["nope"]', "1", "has no custom property 'nope'"),
        ('bpy.data.objects["Subject"]["variant"]', "11", "11 is outside 0 to 10"),
        ('bpy.data.objects["Subject"]["variant"]', "'big'", "expects a number"),
        ('bpy.data.objects["Subject"]["count"]', "2.5", "expects a whole number"),
        ('bpy.data.objects["Subject"]["settings"]', "1", "holds a group of properties"),
        ('bpy.data.objects["Subject"]["tint"]', "(1, 2)", "expects 3 values"),
        ('bpy.data.objects["Subject"]["keyed"]', "2.0", "is animated or driven"),
        ('bpy.data.scenes["Scene"].multi_render["skip_existing"]', "True", "is a property, not a custom property"),
        ('bpy.data.scenes["Scene"].render["x"]', "1", "has no custom property 'x'"),
    ],
)
def test_bad_custom_property_overrides_are_refused(
    scene: bpy.types.Scene, shots: object, path: str, value: str, expected: str
) -> None:
    subject = bpy.data.objects["Subject"]
    subject["variant"] = 1.0
    subject.id_properties_ui("variant").update(min=0.0, max=10.0)
    subject["count"] = 3
    subject["settings"] = {"a": 1}
    subject["tint"] = [0.1, 0.2, 0.3]
    subject["keyed"] = 1.0
    subject.keyframe_insert('["keyed"]', frame=1)
    override(shots[1], path, value)  # type: ignore[index]
    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.render_shots()
    assert "Shot 2 'Cam_Red': property override 1" in str(error.value)
    assert expected in str(error.value)
    assert subject["variant"] == 1.0 and subject["count"] == 3


def test_the_panel_edits_a_value_with_the_propertys_own_widget(scene: bpy.types.Scene, shots: object) -> None:
    """A colour gets a colour swatch, a number a number field, a tick box a
    tick box; each edits the override's text, which stays what is stored."""
    import sys

    overrides_module = next(
        m for name, m in sys.modules.items() if name.endswith("multi_render.shot.property_overrides")
    )
    from multi_render.core.property_paths import parse_path

    cases = {
        'bpy.data.objects["Wall_Red"].color': "color4",
        'bpy.data.objects["Subject"].hide_render': "flag",
        'bpy.data.cameras["Cam_Red"].lens': "number",
        f'bpy.data.scenes["{scene.name}"].render.resolution_x': "whole",
        f'bpy.data.scenes["{scene.name}"].render.engine': "value",
    }
    for path, view in cases.items():
        assert overrides_module.widget(overrides_module.resolve(parse_path(path))) == view, path
    item = shots[0].property_overrides.add()  # type: ignore[index]
    item.data_path, item.value = 'bpy.data.objects["Wall_Red"].color', "(1.0, 0.0, 0.0, 1.0)"
    assert tuple(item.color4) == (1.0, 0.0, 0.0, 1.0)
    item.color4 = (0.25, 0.5, 0.75, 1.0)
    assert item.value == "(0.25, 0.5, 0.75, 1.0)"
    item.value = "not a colour"
    assert tuple(item.color4) == (0.0, 0.0, 0.0, 0.0)  # shown empty; the text keeps what was typed
    assert item.value == "not a colour"
    item.flag = True
    assert item.value == "True"
    item.whole = 640
    assert item.value == "640"
