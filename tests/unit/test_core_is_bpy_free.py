"""core/ must run on plain Python: no bpy, and no reaching into the add-on."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "multi_render" / "core"
BLENDER_MODULES = {"bpy", "bmesh", "mathutils", "gpu", "blf", "addon_utils", "rna_keymap_ui", "bpy_extras"}


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_no_core_module_imports_blender_or_the_addon() -> None:
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 6
    for path in files:
        for module, level in _imports(path):
            assert module.split(".")[0] not in BLENDER_MODULES, f"{path.name} imports {module}"
            assert level <= 1, f"{path.name} imports from outside core/ ({'.' * level}{module})"


def test_every_core_module_imports_with_bpy_blocked() -> None:
    script = f"""
import importlib, sys, types
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {sorted(BLENDER_MODULES)!r}:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
package = types.ModuleType('multi_render'); package.__path__ = [{str(CORE.parent)!r}]
sys.modules['multi_render'] = package
for name in {sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")!r}:
    importlib.import_module('multi_render.core.' + name)
print('ok')
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
