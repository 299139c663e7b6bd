#!/usr/bin/env bash
# Build dist/multi_render-<version>.zip with Blender's own extension builder and
# validate it. The stage holds only what users get: the package, the manifest
# and the licence.
set -euo pipefail
cd "$(dirname "$0")/.."
BLENDER_RUN="tools/blender.sh"

VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' blender_manifest.toml)"
STAGE="build/stage"
rm -rf "$STAGE"
mkdir -p "$STAGE" dist
cp -r multi_render/. "$STAGE/"
cp blender_manifest.toml LICENSE "$STAGE/"
find "$STAGE" -name '__pycache__' -prune -exec rm -rf {} +

ZIP="dist/multi_render-$VERSION.zip"
rm -f "$ZIP"
"$BLENDER_RUN" --command extension build --source-dir "$STAGE" --output-dir dist >build/build.log 2>&1 \
    || { cat build/build.log >&2; exit 1; }
"$BLENDER_RUN" --command extension validate "$ZIP" >build/validate.log 2>&1 \
    || { cat build/validate.log >&2; exit 1; }
echo "$ZIP"
