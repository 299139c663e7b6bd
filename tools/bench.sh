#!/usr/bin/env bash
# make bench: runs tools/bench.py beside Blender (see tools/dev.sh).
set -euo pipefail
# testkit (the Blender driver the tests use too) is found from the repo root.
PYTHONPATH="$(pwd)" exec "${MULTI_RENDER_PYTHON:-python3}" tools/bench.py "$@"
