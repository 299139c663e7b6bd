import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from multi_render.core.templates import TOKENS, TemplateError, TemplateValues, expand, node_output_folder, parse

VALUES = TemplateValues(
    scene="Scene",
    shot="Close Up",
    camera="cam/01",
    index=3,
    view_layer="ViewLayer",
    blend="project",
    date="2026-11-25",
    time="093000",
)


def test_every_token() -> None:
    template = "//out/{scene}/{blend}_{view_layer}/{index}-{shot}-{camera}-{frame}-{date}-{time}"
    assert expand(template, VALUES, 7) == ("//out/Scene/project_ViewLayer/3-Close Up-cam_01-0007-2026-11-25-093000")


def test_frame_in_an_animation_is_left_to_blender() -> None:
    assert expand("/o/{shot}_{frame}", VALUES, None) == "/o/Close Up_####"


def test_negative_and_large_frames() -> None:
    assert expand("{frame}", VALUES, -5) == "-005"
    assert expand("{frame}", VALUES, 12345) == "12345"


def test_literal_braces() -> None:
    assert expand("/o/{{x}}_{shot}", VALUES, 1) == "/o/{x}_Close Up"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("/o/{shto}", "unknown token {shto}"),
        ("/o/{}", "unknown token {}"),
        ("/o/{shot", "an opening brace at character 4 is never closed"),
        ("/o/shot}", "a closing brace at character 8 has no opening brace"),
        ("/o/{sh{ot}", "an opening brace at character 4 is never closed"),
    ],
)
def test_bad_templates_name_the_problem(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as error:
        parse(template)
    assert message in str(error.value)


NAMES = st.text(min_size=0, max_size=40)


@given(scene=NAMES, shot=NAMES, camera=NAMES, layer=NAMES, blend=NAMES)
def test_names_never_create_folders_or_leave_the_folder(
    scene: str, shot: str, camera: str, layer: str, blend: str
) -> None:
    values = TemplateValues(scene, shot, camera, 1, layer, blend, "2026-01-01", "000000")
    path = expand("/out/{scene}_{shot}_{camera}_{view_layer}_{blend}", values, 1)
    assert os.path.dirname(path) == "/out"
    assert os.path.normpath(path).startswith("/out/")


@given(st.text(alphabet="{}abc_/", max_size=30))
def test_parse_raises_only_its_own_error(template: str) -> None:
    try:
        parts = parse(template)
    except TemplateError:
        return
    for kind, value in parts:
        assert kind in {"text", "token"}
        if kind == "token":
            assert value in TOKENS


def test_a_file_output_node_gets_a_folder_per_shot_or_its_tokens() -> None:
    assert node_output_folder("//passes/", VALUES, 5) == "//passes/Close Up/"
    assert node_output_folder("/tmp/passes", VALUES, 5) == "/tmp/passes/Close Up/"
    assert node_output_folder("", VALUES, 5) == "Close Up/"
    assert node_output_folder("//aov/{camera}_{frame}/", VALUES, 5).startswith("//aov/")
    assert node_output_folder("//aov/{shot}/", VALUES, None) == "//aov/Close Up/"
    assert node_output_folder("//", VALUES, 5) == "//Close Up/"  # the .blend's folder, not the working one
    assert node_output_folder("//aov/{blend_name}", VALUES, 5) == "//aov/{blend_name}/Close Up/"  # Blender's own
    braced = TemplateValues(**{**VALUES.__dict__, "shot": "a{b}"})
    assert node_output_folder("/p/", braced, 5) == "/p/a(b)/"
