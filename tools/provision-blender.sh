#!/usr/bin/env bash
# Provision a Blender the tests use, from Debian's packages, in a minbase
# debootstrap root cached outside the repo and reused when present:
#   tools/provision-blender.sh [SUITE]
#   sid    -> Blender 5.2 LTS (Python 3.14), the default
#   trixie -> Blender 4.3 (Python 3.13), the second GUI Blender
# Everything that runs inside goes through tools/in-root.sh (unshare -m), so no
# mount outlives the command that made it.
set -euo pipefail

SUITE="${1:-sid}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$("$HERE/in-root.sh" --print-root "$SUITE")"
READY="$ROOT/.multi-render-ready"
# The stamp holds the package list, so changing it rebuilds old caches.
PACKAGES="blender python3-cattr python3-requests xvfb xauth xdotool imagemagick python3-pytest"
STAMP_TEXT="v1 $SUITE $PACKAGES"

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
    echo "provision-blender: debootstrap $SUITE into $ROOT (about a minute)"
    rm -rf "$ROOT.partial"
    mkdir -p "$(dirname "$ROOT")"
    log="$(dirname "$ROOT")/debootstrap-$SUITE.log"
    debootstrap --variant=minbase "$SUITE" "$ROOT.partial" >"$log" 2>&1 \
        || { tail -30 "$log" >&2; exit 1; }
    rm -rf "$ROOT"
    mv "$ROOT.partial" "$ROOT"
fi

cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# sid's Release file on this mirror can be stale: do not reject it for its age.
MULTI_RENDER_SUITE="$SUITE" "$HERE/in-root.sh" --no-repo sh -c "
    set -e
    export DEBIAN_FRONTEND=noninteractive
    apt-get -qq -o Acquire::Check-Valid-Until=false update
    apt-get -qq -y -o Acquire::Check-Valid-Until=false install --no-install-recommends $PACKAGES >/dev/null
    apt-get clean
"
echo "$STAMP_TEXT" >"$READY"
echo "provision-blender: ready: $(MULTI_RENDER_SUITE="$SUITE" "$HERE/in-root.sh" --no-repo blender --version 2>/dev/null | head -1)"
