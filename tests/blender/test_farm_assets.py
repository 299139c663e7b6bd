"""The farm bundle's asset references in background mode: the .blend and
every file it uses are inputs (packed files are not), each ticked shot's
output folders are outputs, and a missing file is reported."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import bpy

from testkit import scenes


def _save_png(path: Path) -> None:
    image = bpy.data.images.new("made", 4, 4)
    image.filepath_raw, image.file_format = str(path), "PNG"
    image.save()
    bpy.data.images.remove(image)


def test_asset_references_are_exact(scene: bpy.types.Scene, tmp_path: Path) -> None:
    library = tmp_path / "library.blend"
    bpy.data.objects.new("FromLibrary", None)
    bpy.data.libraries.write(str(library), {bpy.data.objects["FromLibrary"]})
    bpy.data.objects.remove(bpy.data.objects["FromLibrary"])

    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    scene.multi_render.shots[1].filepath = "//stills/{shot}"
    texture = tmp_path / "textures" / "wood.png"
    texture.parent.mkdir()
    _save_png(texture)
    bpy.data.images.load(str(texture))
    packed_source = tmp_path / "packed.png"
    _save_png(packed_source)
    packed = bpy.data.images.load(str(packed_source))
    packed.pack()
    packed_source.unlink()  # only the packed copy remains: not an input
    missing = bpy.data.images.load(str(texture))
    missing.filepath = str(tmp_path / "gone.png")
    with bpy.data.libraries.load(str(library), link=True) as (_source, target):
        target.objects = ["FromLibrary"]
    blend = tmp_path / "shot.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))

    openjd = sys.modules[next(m for m in sys.modules if m.endswith("multi_render.farm.openjd"))]
    bundle = openjd.write_farm_bundle(bpy.context.scene, str(tmp_path / "bundle"))
    assert bundle.missing == [str(tmp_path / "gone.png")]
    assets = json.loads((tmp_path / "bundle" / "asset_references.json").read_text())["assetReferences"]
    assert assets["inputs"]["filenames"] == sorted([str(blend), str(texture), str(library)])
    assert assets["outputs"]["directories"] == sorted([str(tmp_path), str(tmp_path / "stills")])
    assert assets["referencedPaths"] == [str(tmp_path / "gone.png")]
