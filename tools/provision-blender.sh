#!/usr/bin/env bash
# Provision a Blender the project runs, from Debian's packages, in a minbase
# root cached outside the repo (under $MULTI_RENDER_CACHE, see in-root.sh)
# and reused when present:
#   tools/provision-blender.sh [SUITE] [demo|test|farm]
#   sid    -> Blender 5.2 LTS (Python 3.14), the default
#   trixie -> Blender 4.3 (Python 3.13), the second GUI Blender
#   demo   -> only Blender and a private X server (what `make demo` needs)
#   test   -> everything the test layers use (the default); a demo root
#             gets the rest added
#   farm   -> test, plus Slurm's daemons and munge for a throwaway cluster
#             (tools/slurm-cluster.sh) whose jobs run this root's Blender
# Everything that runs inside goes through tools/in-root.sh (unshare -m), so no
# mount outlives the command that made it.
set -euo pipefail

SUITE="${1:-sid}"
NEEDS="${2:-test}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$("$HERE/in-root.sh" --print-root "$SUITE")"
READY="$ROOT/.multi-render-ready"
# Blender's own extension platform (bl_pkg) imports cattrs and requests on
# start: without them every Blender prints a traceback.
DEMO_PACKAGES="blender python3-cattr python3-requests xvfb xauth"
# dbus-daemon and dbus-monitor: the desktop notification's test has a session bus of its own.
TEST_PACKAGES="$DEMO_PACKAGES xdotool imagemagick python3-pytest dbus-daemon dbus-bin dunst"
FARM_PACKAGES="$TEST_PACKAGES slurmctld slurmd slurm-client munge"
case "$NEEDS" in
    demo) PACKAGES="$DEMO_PACKAGES" ;;
    test) PACKAGES="$TEST_PACKAGES" ;;
    farm) PACKAGES="$FARM_PACKAGES" ;;
    *) echo "provision-blender: demo, test or farm, not '$NEEDS'" >&2; exit 2 ;;
esac
# The stamp lists the packages installed; a root that has them all is reused.
STAMP_VERSION="v2 $SUITE"
APT_OPTIONS=(-o Acquire::Check-Valid-Until=false -o Dpkg::Options::=--force-unsafe-io)

missing_packages() {
    local stamp=""
    [ -f "$READY" ] && stamp="$(cat "$READY")"
    case "$stamp" in "$STAMP_VERSION "*) ;; *) echo "$PACKAGES"; return ;; esac
    local package
    for package in $PACKAGES; do
        case " $stamp " in *" $package "*) ;; *) printf '%s ' "$package" ;; esac
    done
}

MISSING="$(missing_packages)"
if [ -z "$MISSING" ]; then
    echo "provision-blender: reusing $ROOT"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "provision-blender: needs root (mmdebstrap, unshare -m); or set BLENDER=/path/to/blender" >&2
    exit 1
fi

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
    if ! command -v mmdebstrap >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
    fi
    # One pass, the packages included: mmdebstrap downloads with apt, in
    # parallel, and unpacks without syncing every file (a throwaway root)
    # and without documentation nobody reads there.
    echo "provision-blender: $SUITE root with $PACKAGES into $ROOT"
    rm -rf "$ROOT.partial"
    mkdir -p "$(dirname "$ROOT")"
    log="$(dirname "$ROOT")/mmdebstrap-$SUITE.log"
    mmdebstrap --variant=minbase --mode=root --include="${PACKAGES// /,}" \
        --aptopt='Acquire::Check-Valid-Until "false"' --dpkgopt=force-unsafe-io \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        "$SUITE" "$ROOT.partial" >"$log" 2>&1 \
        || { tail -30 "$log" >&2; exit 1; }
    rm -rf "$ROOT"
    mv "$ROOT.partial" "$ROOT"
    INSTALLED="$PACKAGES"
else
    # sid's Release file on this mirror can be stale: do not reject it for its age.
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # This root never boots: no package may start its service here (munge,
    # slurmd...), as mmdebstrap ensures only while it builds the root.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 755 "$ROOT/usr/sbin/policy-rc.d"
    MULTI_RENDER_SUITE="$SUITE" "$HERE/in-root.sh" --no-repo sh -c "
        set -e
        export DEBIAN_FRONTEND=noninteractive
        apt-get -qq ${APT_OPTIONS[*]} update
        apt-get -qq -y ${APT_OPTIONS[*]} install --no-install-recommends $MISSING >/dev/null
        apt-get clean
    "
    INSTALLED="$(sed "s/^$STAMP_VERSION //" "$READY" 2>/dev/null || true) $MISSING"
fi
echo "$STAMP_VERSION $(echo $INSTALLED | tr ' ' '\n' | sort -u | tr '\n' ' ')" >"$READY"
echo "provision-blender: ready: $(MULTI_RENDER_SUITE="$SUITE" "$HERE/in-root.sh" --no-repo blender --version 2>/dev/null | head -1)"
