"""OpenEXR files as Blender writes them are whole, and every cut-off copy
of them is not (the check a full disk or a killed Blender needs): single
layer with each compression, multilayer, and stereo in one multi-view file.
Then the queue: Skip Existing renders again a shot whose EXR is cut off."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import bpy
import pytest
from conftest import MODULE

from testkit import scenes

CODECS = ("NONE", "RLE", "ZIPS", "ZIP", "PIZ", "PXR24", "B44", "DWAA", "DWAB")


def override(shot: object, path: str, value: str) -> None:
    item = shot.property_overrides.add()  # type: ignore[attr-defined]
    item.data_path, item.value = path, value


def looks_whole(path: Path) -> bool:
    return bool(sys.modules[f"{MODULE}.core.paths"].looks_whole(str(path)))


def exr_shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(1, size=24)
    shots = scene.multi_render.shots
    for codec in CODECS:
        shot = shots.add()
        shot.name, shot.camera = f"single_{codec}", scene.camera
        shot.use_file_format, shot.file_format, shot.color_depth = True, "OPEN_EXR", "16"
        override(shot, f'bpy.data.scenes["{scene.name}"].render.image_settings.exr_codec', f"'{codec}'")
    shot = shots.add()
    shot.name, shot.camera = "multilayer", scene.camera
    shot.use_file_format, shot.file_format, shot.color_depth = True, "OPEN_EXR_MULTILAYER", "32"
    return shots


def test_blenders_exr_files_are_whole_and_every_cut_is_not(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = exr_shots(scene)
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in shots] == ["DONE"] * len(shots), bpy.context.window_manager.multi_render.last_report
    cut = tmp_path / "cut"
    cut.mkdir()
    for shot in shots:
        image = Path(shot.output)
        assert looks_whole(image), image.name
        data = image.read_bytes()
        for size in sorted({1, 8, 40, len(data) // 3, len(data) // 2, len(data) - 100, len(data) - 1}):
            (cut / image.name).write_bytes(data[:size])
            assert not looks_whole(cut / image.name), f"{image.name} cut at {size} of {len(data)}"


def test_skip_existing_renders_a_cut_off_exr_again(scene: bpy.types.Scene, tmp_path: Path) -> None:
    shots = exr_shots(scene)
    for shot in list(shots)[1:]:
        shot.enabled = False
    scene.multi_render.skip_existing = True
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    image = Path(shots[0].output)
    whole = image.read_bytes()
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shots[0].status == "SKIPPED"
    image.write_bytes(whole[: len(whole) // 2])  # as a full disk leaves it
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shots[0].status == "DONE"
    assert looks_whole(image) and image.stat().st_size == len(whole)


@pytest.mark.parametrize("views_format", ["MULTIVIEW", "INDIVIDUAL"])
def test_stereo_exr_files(scene: bpy.types.Scene, tmp_path: Path, views_format: str) -> None:
    scenes.build_color_cameras(1, size=24)
    scene.render.use_multiview = True
    shot = scene.multi_render.shots.add()
    shot.name, shot.camera = "stereo", scene.camera
    settings = scene.render.image_settings
    if hasattr(settings, "media_type"):
        settings.media_type = "MULTI_LAYER_IMAGE"
    settings.file_format = "OPEN_EXR_MULTILAYER"
    settings.views_format = views_format
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert shot.status == "DONE", bpy.context.window_manager.multi_render.last_report
    written = sorted(path.name for path in tmp_path.iterdir() if path.is_file())
    assert written == (["stereo.exr"] if views_format == "MULTIVIEW" else ["stereo_L.exr", "stereo_R.exr"])
    for name in written:
        assert looks_whole(tmp_path / name)
        shutil.copy(tmp_path / name, tmp_path / "copy.exr")
        with open(tmp_path / "copy.exr", "r+b") as cut:
            cut.truncate((tmp_path / name).stat().st_size - 1)
        assert not looks_whole(tmp_path / "copy.exr")
