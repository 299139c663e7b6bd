#!/usr/bin/env bash
# Provision the Blender the GUI tests use: Debian sid's `blender` (5.2 LTS) in a
# minbase debootstrap root, cached outside the repo and reused when present.
# Everything that runs inside goes through tools/in-root.sh (unshare -m), so no
# mount outlives the command that made it.
set -euo pipefail

ROOT="${MULTI_RENDER_ROOT:-/var/cache/multi-render/blender-sid}"
READY="$ROOT/.multi-render-ready"
# Bump when the package list changes so old caches are rebuilt.
PACKAGES="blender python3-cattr python3-requests xvfb xauth xdotool imagemagick python3-pytest python3-numpy"
STAMP_TEXT="v1 $PACKAGES"

if [ -f "$READY" ] && [ "$(cat "$READY")" = "$STAMP_TEXT" ]; then
    echo "provision-blender: reusing $ROOT"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "provision-blender: needs root (debootstrap, unshare -m); or set BLENDER=/path/to/blender" >&2
    exit 1
fi

if ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
    echo "provision-blender: debootstrap sid into $ROOT (about a minute)"
    rm -rf "$ROOT.partial"
    mkdir -p "$(dirname "$ROOT")"
    debootstrap --variant=minbase sid "$ROOT.partial" >"$(dirname "$ROOT")/debootstrap.log" 2>&1 \
        || { tail -30 "$(dirname "$ROOT")/debootstrap.log" >&2; exit 1; }
    rm -rf "$ROOT"
    mv "$ROOT.partial" "$ROOT"
fi

cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
HERE="$(cd "$(dirname "$0")" && pwd)"
# sid's Release file on this mirror is stale: do not reject it for its age.
"$HERE/in-root.sh" --no-repo sh -c "
    set -e
    export DEBIAN_FRONTEND=noninteractive
    apt-get -qq -o Acquire::Check-Valid-Until=false update
    apt-get -qq -y -o Acquire::Check-Valid-Until=false install --no-install-recommends $PACKAGES >/dev/null
    apt-get clean
"
echo "$STAMP_TEXT" >"$READY"
echo "provision-blender: ready: $("$HERE/in-root.sh" --no-repo blender --version 2>/dev/null | head -1)"
