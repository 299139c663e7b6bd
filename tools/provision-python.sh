#!/usr/bin/env bash
# Create (or reuse) a cached venv for one requirements file.
#   tools/provision-python.sh requirements/dev.txt   -> prints the venv's path
# The cache key is the file's content, so editing the pins builds a new venv.
set -euo pipefail

REQS="$1"
PYTHON="${MULTI_RENDER_PYTHON:-python3.11}"
CACHE="${MULTI_RENDER_CACHE:-/var/cache/multi-render}"
KEY="$(basename "$REQS" .txt)-$(sha256sum "$REQS" | cut -c1-12)"
VENV="$CACHE/venv-$KEY"

if [ ! -f "$VENV/.ready" ]; then
    command -v "$PYTHON" >/dev/null || { echo "provision-python: $PYTHON not found" >&2; exit 1; }
    rm -rf "$VENV"
    mkdir -p "$CACHE"
    "$PYTHON" -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS" >&2
    touch "$VENV/.ready"
fi
echo "$VENV"
