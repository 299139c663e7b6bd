import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multi_render.core.shotlist import MovieData, Names, PropertyData, ShotData, ShotList, ShotListError, dumps, loads

NAMES = Names(
    cameras=frozenset({"Cam_A", "Cam_B"}),
    worlds=frozenset({"Night"}),
    collections=frozenset({"Props"}),
    view_layers=frozenset({"ViewLayer"}),
)

FULL = ShotList(
    (
        ShotData("Front", True, "Cam_A", "//renders/{shot}"),
        ShotData(
            "Spin",
            False,
            "Cam_B",
            "",
            {
                "frame_range": {"frame_start": 1, "frame_end": 24, "frame_step": 2, "frame_list": ""},
                "resolution": {"resolution_x": 640, "resolution_y": 480, "resolution_percentage": 50},
                "engine": {"engine": "CYCLES"},
                "samples": {"samples": 16},
                "view_layer": {"view_layer": "ViewLayer"},
                "world": {"world": "Night"},
                "file_format": {"file_format": "OPEN_EXR", "color_depth": "32"},
            },
            (("Props", True),),
        ),
        ShotData(
            "Picks",
            overrides={"frame_range": {"frame_start": 1, "frame_end": 1, "frame_step": 1, "frame_list": "1-4, 9, !2"}},
            movie=MovieData("PRORES", "//movies/{shot}"),
        ),
    ),
    skip_existing=True,
)


def test_a_frame_list_is_written_only_when_there_is_one_and_older_lists_still_read() -> None:
    shots = json.loads(dumps(FULL))["shots"]
    assert shots[1]["frame_range"] == {"start": 1, "end": 24, "step": 2}
    assert shots[2]["frame_range"]["list"] == "1-4, 9, !2"
    older = {
        "format": "multi_render.shots",
        "version": 2,
        "shots": [{"name": "S", "frame_range": shots[1]["frame_range"]}],
    }
    read = loads(json.dumps(older), NAMES)
    assert read.shots[0].overrides["frame_range"]["frame_list"] == ""


def test_a_wrong_frame_list_is_named() -> None:
    document = {
        "format": "multi_render.shots",
        "version": 3,
        "shots": [{"name": "S", "frame_range": {"start": 1, "end": 2, "step": 1, "list": "1-4, x"}}],
    }
    with pytest.raises(ShotListError) as raised:
        loads(json.dumps(document), NAMES)
    assert raised.value.problems == [
        "shot 1 'S': frame list '1-4, x': part 2 'x': not a frame N, a range A-B or a stepped range A-B:S"
        " (! before one excludes it)"
    ]


def test_round_trip() -> None:
    text = dumps(FULL)
    document = json.loads(text)
    assert document["format"] == "multi_render.shots" and document["version"] == 3
    # The file keeps its own short names, as version 1 files had them.
    spin = document["shots"][1]
    assert spin["resolution"] == {"x": 640, "y": 480, "percentage": 50}
    assert spin["samples"] == 16 and spin["world"] == "Night"
    assert spin["file_format"] == {"format": "OPEN_EXR", "color_depth": "32"}
    assert loads(text, NAMES) == FULL


def problems_of(document: object) -> list[str]:
    with pytest.raises(ShotListError) as error:
        loads(json.dumps(document), NAMES)
    return error.value.problems


def header(**shots: object) -> dict[str, object]:
    return {"format": "multi_render.shots", "version": 1, "shots": [*shots.values()]}


def test_every_problem_is_listed() -> None:
    problems = problems_of(
        header(
            a={"name": "A", "camera": "Nope", "color": 1},
            b={"name": "B", "enabled": "yes", "world": "Day"},
            c={"name": "C", "frame_range": {"start": 1}},
            d={"name": "D", "collections": [{"collection": "Gone", "hidden": True}]},
            e={"camera": "Cam_A"},
        )
    )
    assert problems == [
        "shot 1 'A': unknown key 'color'",
        "shot 1 'A': camera 'Nope' is not a camera in this file",
        "shot 2 'B': 'enabled' must be true or false (got 'yes')",
        "shot 2 'B': world 'Day' does not exist in this file",
        "shot 3 'C': 'frame_range' must be an object with start, end, step (and optionally list)",
        "shot 4 'D': collection 'Gone' does not exist in this file",
        "shot 5: 'name' must be a non-empty text",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "the file holds no JSON object"),
        ('{"format": "other", "version": 1, "shots": []}', "'format' must be \"multi_render.shots\""),
        ('{"format": "multi_render.shots", "version": 4, "shots": []}', "written by a newer multi_render"),
        ('{"format": "multi_render.shots", "version": 1, "shots": {}}', "'shots' must be a list"),
        ('{"format": "multi_render.shots", "version": 1, "shots": [], "x": 1}', "unknown key 'x'"),
    ],
)
def test_broken_files(text: str, expected: str) -> None:
    with pytest.raises(ShotListError) as error:
        loads(text, NAMES)
    assert expected in str(error.value)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(ShotListError):
        loads(text, NAMES)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "camera",
                "enabled",
                "frame",
                "frame_range",
                "collections",
                "world",
                "resolution",
                "file_format",
                "filepath",
                "other",
            ]
        ),
        JSON_VALUES,
        max_size=6,
    )
)
def test_any_shot_object_raises_only_its_own_error(shot: dict[str, object]) -> None:
    with contextlib.suppress(ShotListError):
        loads(json.dumps(header(a=shot)), NAMES)


def test_nul_characters_are_refused_by_name() -> None:
    problems = problems_of(header(a={"name": "a\x00b"}, b={"name": "b", "filepath": "//x\x00y"}))
    assert problems == [
        "shot 1: 'name' holds a NUL character, which Blender cannot store",
        "shot 2 'b': 'filepath' holds a NUL character, which Blender cannot store",
    ]


def test_property_overrides_round_trip_and_version_1_files_still_read() -> None:
    properties = (
        PropertyData('bpy.data.lights["Key"].energy', "1000.0"),
        PropertyData("bpy.data.objects['Car'].hide_render", "True", enabled=False),
    )
    shot_list = ShotList((ShotData("Front", camera="Cam", properties=properties),))
    text = dumps(shot_list)
    assert json.loads(text)["shots"][0]["properties"][1] == {
        "path": "bpy.data.objects['Car'].hide_render",
        "value": "True",
        "enabled": False,
    }
    assert loads(text, Names(cameras=frozenset({"Cam"}))) == shot_list
    old = '{"format": "multi_render.shots", "version": 1, "shots": [{"name": "A", "camera": "Cam"}]}'
    assert loads(old, Names(cameras=frozenset({"Cam"}))).shots[0].properties == ()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"path": "__import__('os').system('x')", "value": "1"}, "property 1: a path must start with bpy.data"),
        ({"path": 'bpy.data.objects["x"].__class__', "value": "1"}, "names starting with '_'"),
        ({"path": 'bpy.data.objects["x"].location', "value": "open('f')"}, "not a literal value"),
        ({"path": 'bpy.data.objects["x"].location', "value": 3}, 'must be {"path": text, "value": text}'),
        ({"path": 'bpy.data.objects["x"].location'}, 'must be {"path": text, "value": text}'),
        ({"path": "p", "value": "1", "eval": "x"}, 'must be {"path": text, "value": text}'),
    ],
)
def test_bad_property_overrides_in_a_file_are_named(entry: object, expected: str) -> None:
    document = {"format": "multi_render.shots", "version": 2, "shots": [{"name": "A", "properties": [entry]}]}
    with pytest.raises(ShotListError) as error:
        loads(json.dumps(document), Names())
    assert "shot 1 'A': " in str(error.value)
    assert expected in str(error.value)


def test_whole_numbers_stay_in_blenders_range() -> None:
    problems = problems_of(header(a={"name": "A", "samples": 2**40, "frame": -(2**31)}))
    assert problems == [f"shot 1 'A': 'samples' must be 1 to {2**31 - 1} (got {2**40})"]


@pytest.mark.parametrize(
    ("movie", "problem"),
    [
        ({"format": "AVI", "path": "{shot}"}, "movie format must be one of H264, PRORES (got 'AVI')"),
        ({"format": "H264"}, '\'movie\' must be {"format": text, "path": text}'),
        ({"format": "H264", "path": "{shot}_{frame}"}, "movie path: a movie has no single frame: leave {frame} out"),
    ],
)
def test_a_wrong_movie_is_named(movie: dict, problem: str) -> None:
    document = {"format": "multi_render.shots", "version": 3, "shots": [{"name": "S", "movie": movie}]}
    with pytest.raises(ShotListError) as raised:
        loads(json.dumps(document), NAMES)
    assert raised.value.problems == [f"shot 1 'S': {problem}"]
