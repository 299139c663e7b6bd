#!/usr/bin/env bash
# Run a command inside a cached Debian root that holds Blender, in a private
# mount namespace: /proc, /dev, /tmp's test folders and the repo are
# bind-mounted for this command only and vanish with it.
#   tools/in-root.sh [--no-repo] COMMAND ARGS...
#   tools/in-root.sh --print-root SUITE      (where that suite's root lives)
# MULTI_RENDER_SUITE picks the root (sid, the default, or trixie);
# MULTI_RENDER_ROOT overrides the folder; MULTI_RENDER_MOUNT names one more
# host folder to show at the same path inside, read-only (e.g. the Flamenco
# test farm's binaries for the GUI layer).
set -euo pipefail

# Every cache the project makes sits under MULTI_RENDER_CACHE (default
# /var/cache/multi-render): the Blender roots here, the venvs (provision-python.sh).
root_of() { echo "${MULTI_RENDER_ROOT:-${MULTI_RENDER_CACHE:-/var/cache/multi-render}/blender-$1}"; }
if [ "${1:-}" = "--print-root" ]; then root_of "${2:?suite}"; exit 0; fi

ROOT="$(root_of "${MULTI_RENDER_SUITE:-sid}")"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
MOUNT_REPO=1
if [ "${1:-}" = "--no-repo" ]; then MOUNT_REPO=0; shift; fi

exec unshare -m --propagation private -- /bin/sh -c '
    set -e
    root="$1"; repo="$2"; mount_repo="$3"; extra="$4"; shift 4
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --bind /tmp "$root/tmp"
    if [ "$mount_repo" = 1 ]; then
        mkdir -p "$root$repo"
        mount --bind "$repo" "$root$repo"
    fi
    if [ -n "$extra" ]; then
        mkdir -p "$root$extra"
        mount --bind "$extra" "$root$extra"
        mount -o remount,bind,ro "$root$extra"
    fi
    cd "$( [ "$mount_repo" = 1 ] && echo "$repo" || echo / )"
    exec chroot "$root" /usr/bin/env -C "$PWD" "$@"
' in-root "$ROOT" "$REPO" "$MOUNT_REPO" "${MULTI_RENDER_MOUNT:-}" "$@"
