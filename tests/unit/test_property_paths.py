import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multi_render.core.property_paths import (
    ID_COLLECTIONS,
    MAX_PATH_CHARS,
    DatablockValue,
    DataPath,
    PathError,
    Step,
    parse_path,
    parse_value,
    value_text,
)


def test_copy_full_data_path_examples() -> None:
    assert parse_path('bpy.data.lights["Key"].energy') == DataPath("lights", "Key", (Step("attr", "energy"),))
    socket = parse_path('bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"].inputs[0].default_value')
    assert socket.collection == "materials" and socket.name == "Paint"
    assert socket.rna_path() == 'node_tree.nodes["Principled BSDF"].inputs[0].default_value'
    assert [step.kind for step in socket.steps] == ["attr", "attr", "key", "attr", "index", "attr"]
    exposure = parse_path("bpy.data.scenes['Scene'].view_settings.exposure")
    assert str(exposure) == 'bpy.data.scenes["Scene"].view_settings.exposure'
    assert parse_path('bpy.data.objects["Car"]["my prop"]').steps == (Step("key", "my prop"),)


def test_names_with_quotes_dots_and_backslashes_round_trip() -> None:
    path = parse_path(r'bpy.data.objects["a \"b\".c\\d"].location[2]')
    assert path.name == 'a "b".c\\d'
    assert parse_path(str(path)) == path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("__import__('os').system('x')", "must start with bpy.data"),
        ("bpy.ops.render.render()", "must start with bpy.data"),
        ('bpy.data.objects["x"].__class__', "starting with '_'"),
        ('bpy.data.objects["x"]._private', "starting with '_'"),
        ('bpy.data.objects["x"].select_set(True)', "unexpected '('"),
        ('bpy.data.objects["x"].location[-1]', "a quoted name or a number"),
        ('bpy.data.objects["x"] .location', "unexpected ' '"),
        ("bpy.data.window_managers['WinMan'].windows", "not a collection of datablocks"),
        ("bpy.data.filepath", "not a collection of datablocks"),
        ("bpy.data.objects.new", 'expected ["name"]'),
        ('bpy.data.objects["x', "not closed"),
        ("bpy.data.objects[0].location", "a quoted name"),
        ("bpy.context.scene.render.fps", "must start with bpy.data"),
        ('bpy.data.objects["x"]' + ".a" * 40, "more than 32 steps"),
        ('bpy.data.objects["x"].' + "a" * MAX_PATH_CHARS, "characters long"),
        ("", "empty"),
    ],
)
def test_hostile_or_broken_paths_are_refused(text: str, reason: str) -> None:
    with pytest.raises(PathError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        parse_path(text)


def test_values_are_literals_or_datablocks() -> None:
    assert parse_value("1000.0") == 1000.0
    assert parse_value("True") is True
    assert parse_value("'AgX'") == "AgX"
    assert parse_value("(0.8, 0.1, 0.1, 1.0)") == (0.8, 0.1, 0.1, 1.0)
    assert parse_value("[1, 2]") == (1, 2)
    assert parse_value("None") is None
    assert parse_value('bpy.data.materials["Red"]') == DatablockValue("materials", "Red")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hacked')",
        "open('/etc/passwd')",
        "(lambda: 1)()",
        "{'a': 1}",
        "{1, 2}",
        "b'bytes'",
        "1j",
        "((((1,),),),)",
        'bpy.data.materials["Red"].node_tree',
        "bpy.ops.wm.quit_blender()",
        "",
        "9" * 5000,
    ],
)
def test_hostile_or_unusable_values_are_refused(text: str) -> None:
    with pytest.raises(PathError):
        parse_value(text)


@pytest.mark.parametrize(
    "value",
    [
        1000.0,
        0.8,
        1e-7,
        3,
        True,
        "AgX",
        'it\'s "quoted"',
        (0.8, 0.1, 0.1, 1.0),
        None,
        DatablockValue("materials", 'R"ed'),
    ],
)
def test_value_text_reads_back(value: object) -> None:
    read = parse_value(value_text(value))  # type: ignore[arg-type]
    if isinstance(value, float):
        assert read == pytest.approx(value, rel=1e-6)
    else:
        assert read == value


@settings(max_examples=400)
@given(st.text(max_size=200))
def test_any_text_gives_a_path_or_path_error(text: str) -> None:
    try:
        path = parse_path(text)
    except PathError:
        return
    assert path.collection in ID_COLLECTIONS
    assert all(not str(step.value).startswith("_") for step in path.steps if step.kind == "attr")


_names = st.text(min_size=1, max_size=20)
_steps = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True).map(lambda name: Step("attr", name)),
        _names.map(lambda key: Step("key", key)),
        st.integers(0, 999).map(lambda index: Step("index", index)),
    ),
    max_size=8,
)


@settings(max_examples=300)
@given(st.sampled_from(sorted(ID_COLLECTIONS)), _names, _steps)
def test_every_well_formed_path_round_trips(collection: str, name: str, steps: list[Step]) -> None:
    path = DataPath(collection, name, tuple(steps))
    assert parse_path(str(path)) == path


@settings(max_examples=300)
@given(st.text(max_size=100))
def test_any_text_gives_a_value_or_path_error(text: str) -> None:
    try:
        value = parse_value(text)
    except PathError:
        return
    assert value is None or isinstance(value, bool | int | float | str | tuple | DatablockValue)


def test_custom_property_steps() -> None:
    from multi_render.core.property_paths import custom_key_of, custom_key_text

    path = parse_path('bpy.data.objects["Car"]["trim \\"B\\""][1]')
    assert [step.kind for step in path.steps] == ["key", "index"]
    assert custom_key_text('trim "B"') == '["trim \\"B\\""]'
    assert custom_key_of(custom_key_text('trim "B"')) == 'trim "B"'
    assert custom_key_of("energy") is None
    with pytest.raises(PathError):
        custom_key_of("[0]")
