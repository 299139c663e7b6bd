"""Run pytest inside Blender's own Python:
blender -b --python-exit-code 1 --python tests/blender/run_in_blender.py -- PYTEST_ARGS"""

import os
import sys

# A Blender whose Python has no pytest (an official build) can borrow the dev
# venv's: tools/dev.sh passes its site-packages here.
if os.environ.get("MULTI_RENDER_PYTEST_PATH"):
    sys.path.append(os.environ["MULTI_RENDER_PYTEST_PATH"])

import pytest

arguments = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else ["tests/blender"]
code = pytest.main(["-p", "no:cacheprovider", *arguments])
sys.exit(int(code))
