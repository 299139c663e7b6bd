"""The shipped add-on imports only Python's standard library and modules
that every Blender has: Debian's Blender package has no numpy (nor any
other third-party module), and official builds bring their own Python."""

import ast
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parents[2] / "multi_render"
# Modules every Blender build ships, whatever its Python.
BLENDER_MODULES = {
    "aud",
    "bpy",
    "bpy_extras",
    "bl_ui",
    "blf",
    "imbuf",
    "gpu",
    "mathutils",
    "addon_utils",
    "rna_keymap_ui",
}


def _absolute_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def test_the_addon_needs_nothing_outside_blender_and_the_standard_library() -> None:
    files = sorted(ADDON.rglob("*.py"))
    assert len(files) > 40
    allowed = set(sys.stdlib_module_names) | BLENDER_MODULES
    outside = {
        f"{path.relative_to(ADDON)}: {module}"
        for path in files
        for module in _absolute_imports(path)
        if module.split(".")[0] not in allowed
    }
    assert not outside, sorted(outside)


def test_the_check_sees_a_third_party_import(tmp_path: Path) -> None:
    module = tmp_path / "sheet.py"
    module.write_text("import numpy as np\nfrom PIL import Image\nimport os\nfrom . import core\n")
    assert _absolute_imports(module) == ["numpy", "PIL", "os"]
