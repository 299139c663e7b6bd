"""The command line in real Blender 5.2 (`blender -c multi_render ...`), on
a .blend made for the test; files, printed lines and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import BLENDER

from testkit.blender_app import REPO

MAKE_BLEND = """
import bpy, os
from testkit import scenes
scenes.build_color_cameras(3, size=32)
scene = bpy.context.scene
scene.render.filepath = "//renders/"
bpy.ops.multi_render.shots_from_cameras()
scene.multi_render.shots[2].enabled = False
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def blender(profile: Path, display: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(profile), "DISPLAY": display, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [BLENDER, "--python-use-system-env", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def blend(tmp_path: Path, profile: Path, x_display: str) -> Path:
    path = tmp_path / "shots.blend"
    made = blender(profile, x_display, "-b", "--python-expr", MAKE_BLEND.format(path=str(path)))
    assert path.is_file(), made.stdout + made.stderr
    return path


def cli(profile: Path, display: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return blender(profile, display, "-c", "multi_render", *arguments)


def lines(result: subprocess.CompletedProcess[str], prefix: tuple[str, ...]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(prefix)]


def test_render_prints_a_line_per_shot(blend: Path, profile: Path, x_display: str) -> None:
    result = cli(profile, x_display, "render", str(blend))
    assert result.returncode == 0, result.stdout + result.stderr
    done = lines(result, ("DONE",))
    renders = blend.parent / "renders"
    assert [line.split()[1] for line in done] == ["Cam_Blue", "Cam_Green"]
    assert f"{renders}/Cam_Blue.png" in done[0]
    assert sorted(p.name for p in renders.iterdir()) == ["Cam_Blue.png", "Cam_Green.png"]
    assert "Traceback" not in result.stderr


# Blender's own log lines, printed before the command runs (e.g. a warning
# about mounted file systems in a container): "00:00.079  system.path | ...".
BLENDER_LOG_LINE = re.compile(r"^\d\d:\d\d\.\d{3}  ")


def test_json_is_the_only_output_and_matches_the_files(blend: Path, profile: Path, x_display: str) -> None:
    result = cli(profile, x_display, "render", str(blend), "--json", "--contact-sheet")
    assert result.returncode == 0, result.stdout + result.stderr
    head, brace, body = result.stdout.partition("{")
    assert brace and all(BLENDER_LOG_LINE.match(line) for line in head.splitlines()), result.stdout
    document = json.loads(brace + body)
    assert document["format"] == "multi_render.run" and document["blender"]
    renders = blend.parent / "renders"
    shots = document["shots"]
    assert [(shot["name"], shot["status"]) for shot in shots] == [("Cam_Blue", "DONE"), ("Cam_Green", "DONE")]
    assert sorted(file for shot in shots for file in shot["files"]) == sorted(
        str(path) for path in renders.iterdir() if not path.name.startswith("contact_sheet_")
    )
    assert all(shot["seconds"] > 0 and shot["reason"] == "" for shot in shots)
    # The lines for people went to standard error, with the contact sheet.
    assert "DONE      Cam_Blue" in result.stderr
    sheets = list(renders.glob("contact_sheet_*.png"))
    assert len(sheets) == 1 and f"Contact sheet: {sheets[0]}" in document["report"] + result.stderr


def test_named_shots_skip_existing_and_output_dir(blend: Path, profile: Path, x_display: str, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = cli(profile, x_display, "render", str(blend), "--shots", "Cam_Red", "--output-dir", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Cam_Red.png"]
    again = cli(
        profile, x_display, "render", str(blend), "--shots", "Cam_Red", "--output-dir", str(out), "--skip-existing"
    )
    assert again.returncode == 0
    assert lines(again, ("SKIPPED",))[0].split()[1] == "Cam_Red"


def test_list_prints_resolved_paths(blend: Path, profile: Path, x_display: str) -> None:
    result = cli(profile, x_display, "list", str(blend))
    assert result.returncode == 0
    listed = [line for line in result.stdout.splitlines() if "camera=" in line]
    assert len(listed) == 3
    assert listed[2].split()[1] == "[" and "Cam_Red" in listed[2]
    assert f"{blend.parent}/renders/Cam_Green.png" in listed[1]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("render", "/nonexistent/file.blend"), "no such file: /nonexistent/file.blend"),
        (("render", "BLEND", "--shots", "Nope"), "no shot named 'Nope' (shots: Cam_Blue, Cam_Green, Cam_Red)"),
        (("render", "EMPTY"), "has no shots"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_exits_non_zero_without_traceback(
    blend: Path, profile: Path, x_display: str, tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    empty = tmp_path / "empty.blend"
    blender(
        profile, x_display, "-b", "--python-expr", f"import bpy; bpy.ops.wm.save_as_mainfile(filepath={str(empty)!r})"
    )
    resolved = [str(blend) if a == "BLEND" else str(empty) if a == "EMPTY" else a for a in arguments]
    result = cli(profile, x_display, *resolved)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_failing_shot_gives_a_non_zero_exit(blend: Path, profile: Path, x_display: str) -> None:
    # A camera deleted after the list was made: refused before anything renders.
    broken = blend.parent / "broken.blend"
    blender(
        profile,
        x_display,
        "-b",
        str(blend),
        "--python-expr",
        f"import bpy; bpy.data.objects.remove(bpy.data.objects['Cam_Green']); "
        f"bpy.ops.wm.save_as_mainfile(filepath={str(broken)!r})",
    )
    result = cli(profile, x_display, "render", str(broken))
    assert result.returncode == 1
    assert "Shot 2 'Cam_Green' has no camera" in result.stderr
    assert not (blend.parent / "renders").exists()


def test_help(profile: Path, x_display: str) -> None:
    result = cli(profile, x_display, "--help")
    assert result.returncode == 0
    assert "usage: blender -c multi_render" in result.stdout


def test_background_python_expression_blocks_and_renders(blend: Path, profile: Path, x_display: str) -> None:
    result = blender(
        profile,
        x_display,
        "-b",
        str(blend),
        "--python-expr",
        "import bpy; bpy.ops.multi_render.render_shots(); "
        "print('STATUSES', [s.status for s in bpy.context.scene.multi_render.shots])",
    )
    assert "STATUSES ['DONE', 'DONE', 'PENDING']" in result.stdout, result.stdout + result.stderr


# A second scene "Night" with the same cameras and two shots of its own.
ADD_NIGHT = """
import bpy
day = bpy.context.scene
night = bpy.data.scenes.new("Night")
for obj in day.collection.all_objects:
    night.collection.objects.link(obj)
night.render.resolution_x = night.render.resolution_y = 32
night.render.filepath = day.render.filepath
for camera in ("Cam_Red", "Cam_Blue"):
    shot = night.multi_render.shots.add()
    shot.name, shot.camera, shot.filepath = "N_" + camera, bpy.data.objects[camera], "{{scene}}_{{shot}}"
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def test_all_scenes_from_the_command_line(blend: Path, profile: Path, x_display: str) -> None:
    made = blender(profile, x_display, "-b", str(blend), "--python-expr", ADD_NIGHT.format(path=str(blend)))
    assert made.returncode == 0, made.stderr
    listing = cli(profile, x_display, "list", str(blend), "--all-scenes")
    assert listing.returncode == 0, listing.stderr
    headers = [line for line in listing.stdout.splitlines() if line.startswith("Scene ")]
    assert headers == ["Scene 'Night':", "Scene 'Scene':"]
    result = cli(profile, x_display, "render", str(blend), "--all-scenes")
    assert result.returncode == 0, result.stdout + result.stderr
    renders = blend.parent / "renders"
    # Night's shots first (the file's scene order), each from its own scene.
    assert [line.split()[1] for line in lines(result, ("DONE",))] == [
        "N_Cam_Red",
        "N_Cam_Blue",
        "Cam_Blue",
        "Cam_Green",
    ]
    assert sorted(p.name for p in renders.iterdir()) == [
        "Cam_Blue.png",
        "Cam_Green.png",
        "Night_N_Cam_Blue.png",
        "Night_N_Cam_Red.png",
    ]
    only_night = cli(profile, x_display, "render", str(blend), "--scene", "Night", "--json")
    assert only_night.returncode == 0, only_night.stderr
    document = json.loads(only_night.stdout[only_night.stdout.index("{") :])
    assert [(shot["scene"], shot["name"]) for shot in document["shots"]] == [
        ("Night", "N_Cam_Red"),
        ("Night", "N_Cam_Blue"),
    ]


def test_a_task_list_entry_renders_its_shots(blend: Path, profile: Path, x_display: str, tmp_path: Path) -> None:
    """`bundle --engine slurm` writes the list; `render --task-file --task N`
    renders entry N, and what the command line says wins over the list's
    Skip Existing; a scene other than the list's, or every scene, is refused."""
    folder = tmp_path / "job"
    written = cli(profile, x_display, "bundle", str(blend), str(folder), "--engine", "slurm")
    assert written.returncode == 0, written.stdout + written.stderr
    tasks = json.loads((folder / "tasks.json").read_text())
    assert [task["shots"] for task in tasks["tasks"]] == [["Cam_Blue"], ["Cam_Green"]]  # the ticked shots
    task_file = ("--task-file", str(folder / "tasks.json"))
    second = cli(profile, x_display, "render", str(blend), *task_file, "--task", "1")
    assert second.returncode == 0, second.stdout + second.stderr
    assert [line.split()[1] for line in lines(second, ("DONE",))] == ["Cam_Green"]
    again = cli(profile, x_display, "render", str(blend), *task_file, "--task", "1", "--skip-existing")
    assert [line.split()[1] for line in lines(again, ("SKIPPED",))] == ["Cam_Green"], again.stdout
    for wrong, message in (
        (("--task", "2"), "no task 2: the list has 2 (0 to 1)"),
        (("--task", "0", "--scene", "Other"), "--scene 'Other': the task list's shots are scene 'Scene''s"),
        (("--task", "0", "--all-scenes"), "not with --shots, --shot, --shot-list, --frames or --all-scenes"),
        ((), "--task-file needs --task N"),
    ):
        refused = cli(profile, x_display, "render", str(blend), *task_file, *wrong)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr


def test_frame_lists_from_the_command_line(profile: Path, x_display: str, tmp_path: Path) -> None:
    path = tmp_path / "listed.blend"
    listed = "shot = scene.multi_render.shots[0]\nshot.use_frame_range, shot.frame_list = True, '1-3, 8, !2'\n"
    make = MAKE_BLEND.replace("bpy.ops.wm.save_as_mainfile", listed + "bpy.ops.wm.save_as_mainfile")
    made = blender(profile, x_display, "-b", "--python-expr", make.format(path=str(path)))
    assert path.is_file(), made.stdout + made.stderr
    shown = cli(profile, x_display, "list", str(path))
    assert "      3 frames: 1, 3, 8" in shown.stdout.splitlines(), shown.stdout
    out = tmp_path / "out"
    whole = cli(profile, x_display, "render", str(path), "--shots", "Cam_Blue", "--output-dir", str(out))
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Cam_Blue_0001.png", "Cam_Blue_0003.png", "Cam_Blue_0008.png"]
    # A farm task's chunk: only these frames, into the files the whole list writes.
    chunk = tmp_path / "chunk"
    options = ("--shots", "Cam_Blue", "--output-dir", str(chunk))
    part = cli(profile, x_display, "render", str(path), *options, "--frames", "3, 8")
    assert part.returncode == 0, part.stdout + part.stderr
    assert sorted(p.name for p in chunk.iterdir()) == ["Cam_Blue_0003.png", "Cam_Blue_0008.png"]
    wrong = cli(profile, x_display, "render", str(path), *options, "--frames", "3, x")
    assert wrong.returncode != 0 and "--frames: part 2 'x': not a frame N" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# A file without shots: the default cube scene's camera, two frames, its own output path.
MAKE_PLAIN = """
import bpy
scene = bpy.context.scene
scene.render.engine = "BLENDER_WORKBENCH"
scene.render.resolution_x = scene.render.resolution_y = 32
scene.frame_start, scene.frame_end, scene.frame_current = 3, 4, 7
scene.render.filepath = "//plain/frame_"
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def test_several_files_each_with_its_shots_or_as_f12_and_ctrl_f12(
    blend: Path, profile: Path, x_display: str, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.blend"
    blender(profile, x_display, "--factory-startup", "-b", "--python-expr", MAKE_PLAIN.format(path=str(plain)))
    assert plain.is_file()
    not_blend = tmp_path / "notes.blend"
    not_blend.write_text("not a blend file")
    # Without --no-shots a file with no shots is an error, named; the others go on.
    result = cli(profile, x_display, "render", str(plain), str(blend))
    assert result.returncode == 1
    assert f"{plain} has no shots" in result.stderr
    assert [line.split()[1] for line in lines(result, ("DONE",))] == ["Cam_Blue", "Cam_Green"]
    assert f"multi_render: 1 of 2 files rendered; failed: {plain}" in result.stdout
    # As Ctrl+F12: the animation, to the file's own output path, as Blender names it.
    result = cli(profile, x_display, "render", str(plain), str(not_blend), str(blend), "--no-shots", "animation")
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "plain").iterdir()) == ["frame_0003.png", "frame_0004.png"]
    assert f"cannot open {not_blend}" in result.stderr
    assert "multi_render: 2 of 3 files rendered" in result.stdout
    # As F12: the still of its current frame.
    result = cli(profile, x_display, "render", str(plain), "--no-shots", "still", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(result.stdout[result.stdout.index("{") :])
    assert record["shots"][0]["files"] == [str(tmp_path / "plain" / "frame_0007.png")]
    assert (tmp_path / "plain" / "frame_0007.png").is_file()
    # Options of one file's shots are refused with several.
    result = cli(profile, x_display, "render", str(plain), str(blend), "--json")
    assert result.returncode == 1 and "--json: only with one file" in result.stderr
