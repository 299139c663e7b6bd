import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_exr import scanline_file

from multi_render.core import paths


def test_safe_filename_removes_separators_and_dots() -> None:
    assert paths.safe_filename("cam/01") == "cam_01"
    assert paths.safe_filename("../x") == "_x"
    assert paths.safe_filename("..") == "shot"
    assert paths.safe_filename("  ") == "shot"
    assert paths.safe_filename('a:b*c?"<>|\\') == "a_b_c______"
    assert paths.safe_filename("Front") == "Front"


@given(st.text())
def test_safe_filename_is_always_one_plain_name(name: str) -> None:
    safe = paths.safe_filename(name)
    assert safe
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert safe not in {".", ".."}
    assert os.path.basename(safe) == safe
    assert len(safe.encode()) <= paths.NAME_BYTES
    assert not safe.endswith((".", " "))
    assert not any(char in safe for char in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_with_extension_adds_it_once() -> None:
    assert paths.with_extension("/o/a", ".png", True) == "/o/a.png"
    assert paths.with_extension("/o/a.png", ".png", True) == "/o/a.png"
    assert paths.with_extension("/o/a.PNG", ".png", True) == "/o/a.PNG"
    assert paths.with_extension("/o/a", ".png", False) == "/o/a"


def test_default_output_uses_the_scene_folder_and_shot_name() -> None:
    assert paths.output_base("", "/tmp/", "Front") == "/tmp/Front"
    assert paths.output_base("", "/renders/", "cam/1") == "/renders/cam_1"
    assert paths.scene_output_folder("//renders/frame_") == "//renders/"
    assert paths.scene_output_folder("{blend_dir}/r/") == "{blend_dir}/r/"
    assert paths.scene_output_folder("") == ""
    assert paths.output_base("/out/", "/tmp/", "Side") == "/out/Side"
    assert paths.output_base("/out/side_view", "/tmp/", "Side") == "/out/side_view"


def test_folder_problem(tmp_path: os.PathLike[str]) -> None:
    folder = str(tmp_path)
    assert paths.folder_problem(os.path.join(folder, "new", "deeper", "a.png")) is None
    blocker = os.path.join(folder, "a_file")
    with open(blocker, "w") as handle:
        handle.write("x")
    problem = paths.folder_problem(os.path.join(blocker, "sub", "a.png"))
    assert problem is not None and "is a file" in problem and "a_file" in problem


def test_literal_braces_and_view_suffixes() -> None:
    assert paths.escape_braces("/o/Wide {A}}") == "/o/Wide {{A}}}}"
    assert paths.with_view_suffix("/o/shot.png", "_L") == "/o/shot_L.png"
    assert paths.with_view_suffix("/o.d/shot", "_R") == "/o.d/shot_R"
    assert paths.with_view_suffix("/o/shot.v2.exr", "_L") == "/o/shot.v2_L.exr"


def test_relative_shot_paths_are_in_the_scene_output_folder() -> None:
    assert paths.output_base("{x}", "/renders/", "s") == "/renders/{x}"
    assert paths.output_base("sub/name", "/renders/", "s") == "/renders/sub/name"
    assert paths.output_base("../up", "/renders/a/", "s") == "/renders/up"


def test_why_not_written_names_a_missing_or_unwritable_folder(tmp_path: Path) -> None:
    assert paths.why_not_written(str(tmp_path / "a.png")) is None  # plenty of room, writable
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert "is a file" in (paths.why_not_written(str(blocker / "sub" / "a.png")) or "")


def test_an_empty_or_cut_off_image_is_not_whole(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    assert not paths.looks_whole(str(png))  # missing
    png.write_bytes(b"")
    assert not paths.looks_whole(str(png))
    png.write_bytes(b"\x89PNG\r\n\x1a\n...IDAT")  # cut off before its end
    assert not paths.looks_whole(str(png))
    png.write_bytes(b"\x89PNG\r\n\x1a\n...IEND\xaeB`\x82")
    assert paths.looks_whole(str(png))
    tga = tmp_path / "a.tga"
    tga.write_bytes(b"\0\0\2")  # no end marker to check: not empty is enough
    assert paths.looks_whole(str(tga))
    exr = tmp_path / "a.exr"
    exr.write_bytes(b"v/1\x01")  # its offset table tells: a header cut off is not whole
    assert not paths.looks_whole(str(exr))
    exr.write_bytes(scanline_file())
    assert paths.looks_whole(str(exr))


def test_safe_filename_drops_bidi_controls_and_fits_in_bytes() -> None:
    assert paths.safe_filename("evil\u202egnp.exe") == "evilgnp.exe"
    emoji = paths.safe_filename("\U0001f3ac" * 1000)
    assert emoji == "\U0001f3ac" * (paths.NAME_BYTES // 4)
    arabic = "\u0644\u0642\u0637\u0629"  # right-to-left letters stay
    assert paths.safe_filename(arabic) == arabic


def test_a_name_longer_than_file_systems_allow_is_found() -> None:
    assert paths.name_too_long("/out/" + "a" * 255 + ".png") == "a" * 255 + ".png"
    assert paths.name_too_long("/out/" + "a" * 251 + ".png") is None


def _request(**changes: object) -> paths.OutputRequest:
    values: dict[str, object] = {
        "shot_name": "Cam/Front",
        "expanded_filepath": "",
        "scene_folder": "/renders/",
        "blend_folder": "/projects/car",
        "extension": ".png",
        "use_extension": True,
        "is_range": False,
    }
    values.update(changes)
    return paths.OutputRequest(**values)  # type: ignore[arg-type]


def test_absolute_reads_double_slash_as_the_blend_folder_and_keeps_a_folder() -> None:
    assert paths.absolute("//out/", "/projects/car") == "/projects/car/out/"
    assert paths.absolute("//a/../b.png", "/projects/car") == "/projects/car/b.png"
    assert paths.absolute("/abs/x", "/projects/car") == "/abs/x"
    assert paths.absolute("", "/projects/car") == os.path.abspath("")
    assert paths.absolute("rel/", "/projects/car") == os.path.abspath("rel") + os.sep


def test_the_path_a_still_is_given() -> None:
    assert paths.shot_path(_request()) == "/renders/Cam_Front.png"
    assert paths.shot_path(_request(expanded_filepath="//shots/{x}")) == "/projects/car/shots/{x}.png"
    assert paths.shot_path(_request(expanded_filepath="sub/a")) == "/renders/sub/a.png"
    assert paths.shot_path(_request(expanded_filepath="/abs/a.png")) == "/abs/a.png"
    assert paths.shot_path(_request(use_extension=False)) == "/renders/Cam_Front"


def test_the_base_a_range_is_given_for_blender_to_number() -> None:
    assert paths.shot_path(_request(is_range=True)) == "/renders/Cam_Front_"
    assert paths.shot_path(_request(expanded_filepath="t/##_a", is_range=True)) == "/renders/t/##_a"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("CON", "CON_"),
        ("con", "con_"),
        ("Nul.backup", "Nul_.backup"),
        ("LPT9", "LPT9_"),
        ("COM1 ", "COM1_"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("shot. ", "shot"),
        ("a.", "a"),
    ],
)
def test_safe_filename_avoids_windows_device_names_and_trailing_dots(name: str, safe: str) -> None:
    assert paths.safe_filename(name) == safe


def test_portable_key_folds_case_and_unicode_form_on_every_system() -> None:
    assert paths.portable_key("/out/Cam.png") == paths.portable_key("/out/cam.PNG")
    decomposed, composed = "/out/Cafe\u0301.png", "/out/Caf\u00e9.png"  # macOS stores the first
    assert paths.portable_key(decomposed) == paths.portable_key(composed)
    assert paths.portable_key("/out/a/../b.png") == paths.portable_key("/out/b.png")
    assert paths.portable_key("/out/a.png") != paths.portable_key("/out/b.png")


def test_the_write_check_makes_a_file_and_names_the_reason(tmp_path: Path) -> None:
    assert paths.folder_problem(str(tmp_path / "new" / "deeper" / "x.png")) is None
    assert not (tmp_path / "new").exists()  # nothing is left behind
    assert list(tmp_path.iterdir()) == []
    # Root may write anywhere by os.access's word; /proc takes no new files.
    problem = paths.folder_problem("/proc/multi_render_test/x.png")
    assert problem is not None and problem.startswith("the folder '/proc' is not writable (")


def test_one_blender_variable_replaced_by_a_literal() -> None:
    assert paths.with_variable("{blend_dir}/r_{fps}", "blend_dir", "/p/{x}") == "/p/{{x}}/r_{fps}"
    assert paths.with_variable("{{blend_dir}}/{blend_dir}", "blend_dir", "/p") == "{{blend_dir}}//p"
    assert paths.with_variable("{blend_dir_lib}", "blend_dir", "/p") == "{blend_dir_lib}"
