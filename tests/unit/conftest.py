"""Make `multi_render.core` importable on the host Python without running
multi_render/__init__.py, which needs Blender's bpy."""

import sys
import types
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "multi_render"

if "multi_render" not in sys.modules:
    package = types.ModuleType("multi_render")
    package.__path__ = [str(PACKAGE_DIR)]
    sys.modules["multi_render"] = package
