"""The built-in override registry: one declaration per override drives the
shot's properties, applying, shot lists, validation and the panel."""

import pytest

from multi_render.core.overrides import BY_KEY, OVERRIDES, SCENE_SETTING_OWNERS, Kind, Names, effective, problems_of

# Scripts rely on these names; they must never change.
PYTHON_NAMES = {
    "use_frame": ["frame"],
    "use_frame_range": ["frame_start", "frame_end", "frame_step", "frame_list"],
    "use_resolution": ["resolution_x", "resolution_y", "resolution_percentage"],
    "use_engine": ["engine"],
    "use_samples": ["samples"],
    "use_view_layer": ["view_layer"],
    "use_world": ["world"],
    "use_file_format": ["file_format", "color_depth"],
}


def test_every_python_name_is_kept() -> None:
    assert {o.toggle: [f.prop for f in o.fields] for o in OVERRIDES} == PYTHON_NAMES


def test_keys_fields_and_json_names_are_unique() -> None:
    props = [field.prop for o in OVERRIDES for field in o.fields]
    assert len(props) == len(set(props))
    for override in OVERRIDES:
        assert len({field.json for field in override.fields}) == len(override.fields)
        assert not override.yields_to or override.yields_to in BY_KEY
        for field in override.fields:
            assert field.kind is not Kind.CHOICE or field.default in field.choices


def test_scene_settings_name_their_override() -> None:
    assert SCENE_SETTING_OWNERS["render.resolution_x"].key == "resolution"
    assert SCENE_SETTING_OWNERS["frame_current"].key == "frame"
    assert SCENE_SETTING_OWNERS["cycles.samples"].key == "samples"
    assert SCENE_SETTING_OWNERS["render.image_settings.media_type"].key == "file_format"


def test_a_frame_range_outdoes_a_frame() -> None:
    on = {"frame": {"frame": 4}, "frame_range": {"frame_start": 1, "frame_end": 3, "frame_step": 1}}
    assert list(effective(on)) == ["frame_range"]
    assert list(effective({"frame": {"frame": 4}})) == ["frame"]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ({"frame_range": {"frame_start": 1, "frame_end": 1, "frame_step": 1}}, []),
        (
            {"frame_range": {"frame_start": 1, "frame_end": 9, "frame_step": 0}},
            [("frame_range", "frame range 1-9 step 0 has no frame")],
        ),
        (
            {"frame_range": {"frame_start": -3, "frame_end": 2, "frame_step": 1}},
            [("frame_range", "frame range -3-2 starts below 0: Blender renders a range from frame 0 on")],
        ),
        (
            {"frame_range": {"frame_start": 1, "frame_end": 1048575, "frame_step": 1}},
            [("frame_range", "frame range 1-1048575 ends after 1048574, the last frame Blender renders")],
        ),
        ({"frame_range": {"frame_start": 0, "frame_end": 1048574, "frame_step": 1}}, []),
        (
            {"resolution": {"resolution_x": 0, "resolution_y": 9, "resolution_percentage": 100}},
            [("resolution", "resolution must be at least 1 x 1 at 1%")],
        ),
        ({"samples": {"samples": 0}}, [("samples", "samples must be at least 1")]),
        (
            {"file_format": {"file_format": "TIFF", "color_depth": "32"}},
            [("color_depth", "TIFF has no 32-bit colour depth (use 8 or 16)")],
        ),
        (
            {"file_format": {"file_format": "GIF", "color_depth": "8"}},
            [("file_format", "file format 'GIF' is not supported")],
        ),
        ({"world": {"world": ""}}, [("world", "the world override is on but has no world (deleted?)")]),
        ({"world": {"world": "Night"}}, [("world", "world 'Night' does not exist in this file")]),
        ({"engine": {"engine": "X"}}, [("engine", "render engine 'X' is not available in this Blender")]),
        ({"view_layer": {"view_layer": "Nope"}}, [("view_layer", "view layer 'Nope' does not exist in scene 'S'")]),
        ({"view_layer": {"view_layer": "ViewLayer"}}, []),
    ],
)
def test_rules(on: dict, expected: list) -> None:
    names = Names(worlds=frozenset({"Day"}), view_layers=frozenset({"ViewLayer"}), engines=frozenset({"CYCLES"}))
    assert problems_of(on, names, "S") == expected


def test_unknown_names_are_left_for_later() -> None:
    """Without the .blend's names (None), only what can be known is checked."""
    assert problems_of({"engine": {"engine": "X"}}) == []
    assert problems_of({"world": {"world": ""}}) != []
    assert problems_of({"engine": {"engine": "X"}}, Names()) == []  # engines not known: Blender checks them


def test_an_override_whose_datablock_is_gone_is_not_stored() -> None:
    from multi_render.core.overrides import storable

    on = {"world": {"world": ""}, "samples": {"samples": 8}}
    assert storable(on) == {"samples": {"samples": 8}}
