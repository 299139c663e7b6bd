#!/usr/bin/env bash
# GUI layer: pytest drives real Blender windows on its own Xvfb display.
# Runs where Blender, Xvfb, xdotool and ImageMagick are (the provisioned
# root, or the host with BLENDER set).
set -euo pipefail
: "${MULTI_RENDER_ZIP:?set MULTI_RENDER_ZIP to the built extension zip}"
exec "${MULTI_RENDER_PYTHON:-python3}" -m pytest -p no:cacheprovider tests/e2e "$@"
