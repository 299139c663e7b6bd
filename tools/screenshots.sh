#!/usr/bin/env bash
# make screenshots: runs tools/screenshots.py beside Blender (see tools/dev.sh).
set -euo pipefail
PYTHONPATH="$(pwd)" exec "${MULTI_RENDER_PYTHON:-python3}" tools/screenshots.py "$@"
