#!/usr/bin/env bash
# The steps behind the Makefile's targets, one function each:
#   tools/dev.sh provision|lint|unit|build|blender|wheel VERSION|e2e|e2e43|farm|bench|bench_farm|screenshots|demo
# BLENDER=/path/to/blender runs the Blender 5.x layers with that Blender on
# this machine instead of the provisioned Debian one (then Xvfb, xauth,
# xdotool and ImageMagick must be installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' blender_manifest.toml)"
export MULTI_RENDER_ZIP="$REPO/dist/multi_render-$VERSION.zip"

dev_venv() { tools/provision-python.sh requirements/dev.txt; }
# The PyPI bpy wheels the background layer runs on, beside Debian's Blender 5.2.
WHEELS="42 45 50"

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
    if [ -z "${BLENDER:-}" ]; then
        # sid also gets Slurm and munge: the farm layer's throwaway cluster.
        tools/provision-blender.sh sid farm
        tools/provision-blender.sh trixie test
    fi
    dev_venv >/dev/null
    local wheel
    for wheel in $WHEELS; do tools/provision-python.sh "requirements/bpy$wheel.txt" >/dev/null; done
    tools/provision-python.sh requirements/farm.txt >/dev/null
}

step_lint() {
    local venv; venv="$(dev_venv)"
    "$venv/bin/ruff" check multi_render testkit tests tools
    "$venv/bin/ruff" format --check multi_render testkit tests tools
    "$venv/bin/mypy"
}

step_unit() {
    require_tests_ran "$(dev_venv)/bin/pytest" -p no:cacheprovider tests/unit "$@"
}

step_build() {
    tools/build.sh
}

step_blender() {
    # The background layer in each provisioned Blender (5.2, then 4.3).
    require_tests_ran beside_blender tests/blender/run.sh "$@"
    if [ -z "${BLENDER:-}" ]; then
        require_tests_ran env MULTI_RENDER_SUITE=trixie tools/in-root.sh env MULTI_RENDER_BLENDER=blender \
            tests/blender/run.sh "$@"
    fi
}

step_wheel() {
    # The background layer on a PyPI bpy module (42 = Blender 4.2 LTS, the
    # oldest supported; 45 = 4.5 LTS; 50 = 5.0): no window manager.
    local wheel="${1:?usage: tools/dev.sh wheel 42|45|50}"; shift
    local venv; venv="$(tools/provision-python.sh "requirements/bpy$wheel.txt")"
    local profile; profile="$(mktemp -d "/tmp/multi-render-profile$wheel.XXXXXX")"
    local code=0
    require_tests_ran env BLENDER_USER_RESOURCES="$profile" \
        "$venv/bin/python" -m pytest -p no:cacheprovider tests/blender "$@" || code=$?
    rm -rf "$profile"
    return "$code"
}

step_wheels() {
    # Every wheel, one after another (each is a few seconds of tests).
    local wheel
    for wheel in $WHEELS; do echo "== bpy $wheel"; step_wheel "$wheel" "$@"; done
}

# The GUI layer's Flamenco test runs the test farm inside the Blender root:
# its folder is shown there at the same path (tools/in-root.sh).
FLAMENCO_DIR_HERE="${FLAMENCO_DIR:-$(cd "$REPO/.." && pwd)/shared/flamenco}"
[ -d "$FLAMENCO_DIR_HERE" ] && export MULTI_RENDER_MOUNT="$FLAMENCO_DIR_HERE" FLAMENCO_DIR="$FLAMENCO_DIR_HERE"

step_e2e() {
    require_tests_ran beside_blender tests/e2e/run.sh "$@"
}

step_e2e43() {
    # The GUI layer on a second Blender: Debian trixie's 4.3 (Python 3.13).
    [ -z "${BLENDER:-}" ] || { echo "e2e43: skipped with BLENDER set (it runs the provisioned 4.3)"; return 0; }
    require_tests_ran env MULTI_RENDER_SUITE=trixie tools/in-root.sh env MULTI_RENDER_BLENDER=blender \
        MULTI_RENDER_ARTIFACTS=artifacts/e2e43 tests/e2e/run.sh "$@"
}

step_farm() {
    # The render-farm bundle under openjd-model and openjd-cli on this
    # machine's Python; each task runs the test Blender (tools/blender.sh).
    require_tests_ran env MULTI_RENDER_FARM_BLENDER="${BLENDER:-}" \
        "$(tools/provision-python.sh requirements/farm.txt)/bin/python" -m pytest -p no:cacheprovider tests/farm "$@"
}

step_bench_farm() {
    # Not a test: times the farm bundle with 1, 4 and 12 shots per task.
    MULTI_RENDER_FARM_BLENDER="${BLENDER:-}" \
        "$(tools/provision-python.sh requirements/farm.txt)/bin/python" tools/bench_farm.py "$@"
}

step_bench() {
    beside_blender tools/bench.sh "$@"
}

step_screenshots() {
    beside_blender tools/screenshots.sh "$@"
}

step_demo() {
    # Only what the demo uses: one Blender and an X server, no venvs, no second
    # Blender, no farm tools (make test provisions those).
    if [ -n "${BLENDER:-}" ]; then
        tools/build.sh >/dev/null
        MULTI_RENDER_BLENDER="$BLENDER" tools/demo.sh "$@"
    else
        tools/provision-blender.sh sid demo
        tools/build.sh >/dev/null
        tools/in-root.sh env MULTI_RENDER_BLENDER=blender MULTI_RENDER_ZIP="$MULTI_RENDER_ZIP" tools/demo.sh "$@"
    fi
}

step="${1:?usage: tools/dev.sh STEP [ARGS]}"
shift
"step_$step" "$@"
