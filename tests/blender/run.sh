#!/usr/bin/env bash
# Background layer on Blender 5.x. Runs where that Blender is (the provisioned
# root, or the host with BLENDER set): installs the built zip into a fresh
# profile with Blender's own command line, then runs pytest inside Blender.
# Workbench needs an OpenGL context even with -b, hence the X display.
set -euo pipefail
BLENDER_BIN="${MULTI_RENDER_BLENDER:-blender}"
: "${MULTI_RENDER_ZIP:?set MULTI_RENDER_ZIP to the built extension zip}"
PROFILE="$(mktemp -d /tmp/multi-render-profile.XXXXXX)"
trap 'rm -rf "$PROFILE"' EXIT
export BLENDER_USER_RESOURCES="$PROFILE"

"$BLENDER_BIN" --command extension install-file -r user_default -e "$MULTI_RENDER_ZIP" >"$PROFILE/install.log" 2>&1 \
    || { cat "$PROFILE/install.log" >&2; exit 1; }

COMMAND=("$BLENDER_BIN" -b --python-exit-code 1 --python tests/blender/run_in_blender.py -- tests/blender "$@")
if [ -n "${DISPLAY:-}" ]; then
    "${COMMAND[@]}"
else
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "${COMMAND[@]}"
fi
