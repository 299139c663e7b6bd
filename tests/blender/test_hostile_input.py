"""Hostile input: names and templates with separators, "..", NUL, 1,000
characters, emoji and right-to-left text; 10,000 shots; a .blend saved by a
newer version of the add-on. Each works or is refused with a message that
names it; nothing is ever written outside the output folder."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import bpy
import pytest

from testkit import scenes

# Cameras of each wall colour get hostile names; shots too.
HOSTILE_CAMERAS = {
    "Cam_Red": "../../escape",
    "Cam_Green": "a/b\\c:d",
    "Cam_Blue": "\U0001f3ac Kamera",
    "Cam_Yellow": "\u202eevil",
    "Cam_Magenta": "\u00e9" * 300,  # Blender keeps 255 bytes of it
    "Cam_Cyan": "..",
}
HOSTILE_SHOTS = [
    "..",
    "/etc/passwd",
    "\u540d\u524d \U0001f3a5",
    "\u05e9\u05dc\u05d5\u05dd",
    "x" * 1000,
    "a\u202egnp.exe",
]
TEMPLATES = ["", "{shot}", "{camera}_{shot}", "{scene}/{shot}", "sub/../{camera}", "{index}_{view_layer}_{blend}"]


def _files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_hostile_names_render_inside_the_output_folder(scene: bpy.types.Scene, tmp_path: Path) -> None:
    output = tmp_path / "out"
    scene.render.filepath = str(output) + os.sep
    colors = {}
    for camera_name in scenes.build_color_cameras(6, size=32):
        camera = bpy.data.objects[camera_name]
        colors[camera] = camera_name.removeprefix("Cam_")
        camera.name = HOSTILE_CAMERAS[camera_name]
    scene.name = "../../up"
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    shots = scene.multi_render.shots
    for shot, name, template in zip(shots, HOSTILE_SHOTS, TEMPLATES, strict=True):
        shot.name = name
        shot.filepath = template

    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}

    assert [shot.status for shot in shots] == ["DONE"] * 6
    for shot in shots:
        assert os.path.commonpath([shot.output, str(output)]) == str(output), shot.output
        assert scenes.wall_color(shot.output) == colors[shot.camera], shot.name
        assert not any(char in shot.output for char in "\u202e\x00")
    written = _files_under(tmp_path)
    assert sorted(str(path) for path in written) == sorted(shot.output for shot in shots)
    # Only the template's own "{scene}/" made a folder: "_.._up" inside the output folder.
    assert sorted(path.name for path in output.iterdir() if path.is_dir()) == ["_.._up"]


def test_a_name_too_long_for_the_file_system_is_refused_before_rendering(
    scene: bpy.types.Scene, tmp_path: Path
) -> None:
    scenes.build_color_cameras(2, size=32)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    scene.multi_render.shots[1].filepath = "renders/" + "n" * 1000
    with pytest.raises(RuntimeError, match=r"Shot 2 'Cam_Red': output path: a name is 1004 bytes long \(at most 255\)"):
        bpy.ops.multi_render.render_shots()
    assert _files_under(tmp_path) == []
    assert [shot.status for shot in scene.multi_render.shots] == ["PENDING", "PENDING"]


def test_nul_characters_cannot_reach_a_path(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(1, size=32)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    # Blender's strings end at a NUL: what is typed or set stops there.
    scene.multi_render.shots[0].name = "before\x00after"
    assert scene.multi_render.shots[0].name == "before"
    # A shot list file is refused, by shot and field, and the list is kept.
    document = {"format": "multi_render.shots", "version": 1, "shots": [{"name": "a\x00b", "camera": "Cam_Red"}]}
    path = tmp_path / "shots.json"
    path.write_text(json.dumps(document))
    with pytest.raises(RuntimeError, match="shot 1: 'name' holds a NUL character, which Blender cannot store"):
        bpy.ops.multi_render.shots_import(filepath=str(path))
    assert [shot.name for shot in scene.multi_render.shots] == ["before"]


def test_ten_thousand_shots(scene: bpy.types.Scene, tmp_path: Path) -> None:
    cameras = [bpy.data.objects[name] for name in scenes.build_color_cameras(4, size=16)]
    shots = scene.multi_render.shots
    for number in range(10_000):
        shot = shots.add()
        shot.name = f"shot {number}"
        shot.camera = cameras[number % 4]
        shot.enabled = number < 3 or number == 9_999
    # Every shot on the same file: refused in a message a person can read.
    shots[9_999].filepath = shots[0].filepath = "same"
    started = time.perf_counter()
    with pytest.raises(RuntimeError) as refused:
        bpy.ops.multi_render.render_shots()
    assert "Shot 1 'shot 0' and shot 10000 'shot 9999' would write the same file" in str(refused.value)
    shots[9_999].filepath = ""
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    seconds = time.perf_counter() - started
    statuses = [shot.status for shot in shots]
    assert statuses[:3] == ["DONE"] * 3 and statuses[9_999] == "DONE"
    assert set(statuses[3:9_999]) == {"PENDING"}
    assert len(_files_under(tmp_path)) == 4
    # The list survives a round trip through a shot list file.
    path = tmp_path / "shots.json"
    assert bpy.ops.multi_render.shots_export(filepath=str(path)) == {"FINISHED"}
    shots.clear()
    assert bpy.ops.multi_render.shots_import(filepath=str(path)) == {"FINISHED"}
    assert len(shots) == 10_000 and shots[9_999].name == "shot 9999"
    print(f"10,000 shots: refuse + render 4 in {seconds:.2f} s")


def test_a_blend_from_a_newer_version_with_unknown_fields(scene: bpy.types.Scene, tmp_path: Path) -> None:
    scenes.build_color_cameras(2, size=32)
    assert bpy.ops.multi_render.shots_from_cameras() == {"FINISHED"}
    data = scene.multi_render
    # What a later version might store: settings and overrides this one does
    # not know, and a status value beyond its list.
    data["denoise_all"] = True
    data.shots[0]["lens_override"] = {"use": 1, "value": 85.0}
    data.shots[1]["status"] = 42
    assert data.shots[1].status == ""
    blend = tmp_path / "newer.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    bpy.ops.wm.open_mainfile(filepath=str(blend))
    scene = bpy.context.scene
    scene.render.filepath = str(tmp_path / "out") + os.sep

    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in scene.multi_render.shots] == ["DONE", "DONE"]
    # Saved again by this version, the newer fields are still there.
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    bpy.ops.wm.open_mainfile(filepath=str(blend))
    data = bpy.context.scene.multi_render
    assert data["denoise_all"] == 1
    assert data.shots[0]["lens_override"].to_dict() == {"use": 1, "value": 85.0}
