#!/usr/bin/env bash
# make demo: install the built zip into a throwaway profile, open Blender's
# window (on a private Xvfb display when there is no screen) and run
# tools/demo.py in it. Runs where Blender is (see tools/dev.sh).
set -euo pipefail
BLENDER_BIN="${MULTI_RENDER_BLENDER:-blender}"
: "${MULTI_RENDER_ZIP:?set MULTI_RENDER_ZIP to the built extension zip}"
OUTPUT="${MULTI_RENDER_DEMO_OUTPUT:-$(pwd)/demo-output}"
PROFILE="$(mktemp -d /tmp/multi-render-demo-profile.XXXXXX)"
trap 'rm -rf "$PROFILE"' EXIT
export BLENDER_USER_RESOURCES="$PROFILE"

"$BLENDER_BIN" --command extension install-file -r user_default -e "$MULTI_RENDER_ZIP" >/dev/null
"$BLENDER_BIN" -b --python-expr \
    "import bpy; p = bpy.context.preferences; p.view.show_splash = False; bpy.ops.wm.save_userpref()" >/dev/null

rm -rf "$OUTPUT"
export PYTHONPATH="$(pwd)"  # testkit, with --python-use-system-env
COMMAND=("$BLENDER_BIN" --window-geometry 0 0 1280 800 --python-use-system-env --python tools/demo.py -- "$OUTPUT")
if [ -n "${DISPLAY:-}" ]; then
    "${COMMAND[@]}"
else
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "${COMMAND[@]}"
fi 2>&1 | grep -E "^multi_render|^  " || true
ls "$OUTPUT"/renders/*.png >/dev/null 2>&1 || { echo "demo: no images were rendered" >&2; exit 1; }
