"""Run pytest inside Blender's own Python:
blender -b --python-exit-code 1 --python tests/blender/run_in_blender.py -- PYTEST_ARGS"""

import sys

import pytest

arguments = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else ["tests/blender"]
code = pytest.main(["-p", "no:cacheprovider", *arguments])
sys.exit(int(code))
