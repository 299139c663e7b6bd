# One entry point. `make test` is what CI runs (.ci/run).
# BLENDER=/path/to/blender uses your own Blender 5.x instead of provisioning one
# (the second GUI Blender, 4.3, then does not run).
.PHONY: test provision lint unit build test-blender test-wheels test-e2e test-e2e43 test-farm soak bench bench-smoke bench-farm screenshots demo clean

test: provision lint unit build test-blender test-wheels test-e2e test-e2e43 test-farm soak bench-smoke

provision:
	tools/dev.sh provision

lint: provision
	tools/dev.sh lint

unit: provision
	tools/dev.sh unit

build: provision
	tools/dev.sh build

test-blender: build
	tools/dev.sh blender

# The background layer on the PyPI bpy modules 4.2 LTS, 4.5 LTS and 5.0.
test-wheels: build
	tools/dev.sh wheels

test-e2e: build
	tools/dev.sh e2e -m "not soak"

# The GUI layer again on a second Blender: Debian trixie's 4.3.
test-e2e43: build
	tools/dev.sh e2e43 -m "not soak"

# 200 shots in the GUI, every file checked, memory watched (about a minute).
soak: build
	tools/dev.sh e2e -m soak -s

test-farm: build
	tools/dev.sh farm

# The full benchmark (a few minutes); the table goes into the README by hand.
bench: build
	tools/dev.sh bench

# Not part of make test: the farm bundle's shots per task, timed through openjd run.
bench-farm: build
	tools/dev.sh bench_farm

# The README's pictures (docs/images/), from a scripted GUI session; look at them before committing.
screenshots: build
	tools/dev.sh screenshots

# CI runs the benchmark small, only to prove it still works: not a timed test.
bench-smoke: build
	tools/dev.sh bench --smoke --json artifacts/bench-smoke.json

# Provisions only what the demo needs (one Blender), not the test layers' tools.
demo:
	tools/dev.sh demo

clean:
	rm -rf build dist artifacts demo-output
