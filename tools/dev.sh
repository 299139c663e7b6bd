#!/usr/bin/env bash
# The steps behind the Makefile's targets, one function each:
#   tools/dev.sh provision|lint|unit|build|blender|blender42|e2e|farm|bench|demo
# BLENDER=/path/to/blender runs the Blender 5.x layers with that Blender on
# this machine instead of the provisioned Debian one (then Xvfb, xauth,
# xdotool and ImageMagick must be installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' blender_manifest.toml)"
export MULTI_RENDER_ZIP="$REPO/dist/multi_render-$VERSION.zip"

dev_venv() { tools/provision-python.sh requirements/dev.txt; }
bpy42_venv() { tools/provision-python.sh requirements/bpy42.txt; }

# Run a command beside the test Blender: inside the provisioned root, or here
# when BLENDER is set.
beside_blender() {
    if [ -n "${BLENDER:-}" ]; then
        local venv; venv="$(dev_venv)"
        MULTI_RENDER_BLENDER="$BLENDER" MULTI_RENDER_PYTHON="$venv/bin/python" \
            MULTI_RENDER_PYTEST_PATH="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
            "$@"
    else
        tools/in-root.sh env MULTI_RENDER_BLENDER=blender "$@"
    fi
}

# pytest exits 5 when it collected nothing: a failure here, never a pass.
require_tests_ran() {
    local code=0
    "$@" || code=$?
    if [ "$code" = 5 ]; then echo "no test ran: $*" >&2; return 1; fi
    return "$code"
}

step_provision() {
    [ -n "${BLENDER:-}" ] || tools/provision-blender.sh
    dev_venv >/dev/null
    bpy42_venv >/dev/null
    tools/provision-python.sh requirements/farm.txt >/dev/null
}

step_lint() {
    local venv; venv="$(dev_venv)"
    "$venv/bin/ruff" check multi_render tests tools
    "$venv/bin/ruff" format --check multi_render tests tools
    "$venv/bin/mypy"
}

step_unit() {
    require_tests_ran "$(dev_venv)/bin/pytest" -p no:cacheprovider tests/unit "$@"
}

step_build() {
    tools/build.sh
}

step_blender() {
    require_tests_ran beside_blender tests/blender/run.sh "$@"
}

step_blender42() {
    # The oldest supported Blender, as the PyPI bpy module: background only.
    local profile; profile="$(mktemp -d /tmp/multi-render-profile42.XXXXXX)"
    require_tests_ran env BLENDER_USER_RESOURCES="$profile" \
        "$(bpy42_venv)/bin/python" -m pytest -p no:cacheprovider tests/blender "$@"
    rm -rf "$profile"
}

step_e2e() {
    require_tests_ran beside_blender tests/e2e/run.sh "$@"
}

step_farm() {
    # The render-farm bundle under openjd-model and openjd-cli on this
    # machine's Python; each task runs the test Blender (tools/blender.sh).
    require_tests_ran env MULTI_RENDER_FARM_BLENDER="${BLENDER:-}" \
        "$(tools/provision-python.sh requirements/farm.txt)/bin/python" -m pytest -p no:cacheprovider tests/farm "$@"
}

step_bench() {
    beside_blender tools/bench.sh "$@"
}

step_demo() {
    beside_blender tools/demo.sh "$@"
}

step="${1:?usage: tools/dev.sh STEP [ARGS]}"
shift
"step_$step" "$@"
