#!/usr/bin/env bash
# make bench: runs tools/bench.py beside Blender (see tools/dev.sh).
set -euo pipefail
exec "${MULTI_RENDER_PYTHON:-python3}" tools/bench.py "$@"
