#!/usr/bin/env bash
# The Blender this project runs: $BLENDER when set (a user's own Blender),
# else Debian sid's Blender 5.2 LTS from the provisioned root.
set -euo pipefail
if [ -n "${BLENDER:-}" ]; then
    exec "$BLENDER" "$@"
fi
exec "$(dirname "$0")/in-root.sh" blender "$@"
