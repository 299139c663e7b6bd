"""make bench-farm: the same 12-shot job bundle through `openjd run` with 1,
4 and 12 shots per task, on a .blend that takes a few seconds to open (a
large hidden mesh), as a farm worker runs it. Prints total times and their
ratios (also artifacts/bench-farm.json). Not part of make test.

Runs on the host Python with openjd-cli (requirements/farm.txt); Blender is
tools/blender.sh (the provisioned one) or $MULTI_RENDER_FARM_BLENDER."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BLENDER = os.environ.get("MULTI_RENDER_FARM_BLENDER") or str(REPO / "tools" / "blender.sh")
OPENJD = str(Path(sys.executable).parent / "openjd")
SHOTS = 12
PER_TASK = (1, 4, 12)

MAKE_BLEND = """
import bpy
from testkit import scenes
shots = scenes.build_farm_scene(4)
for number in range({shots} - len(shots)):
    shots.add().name, shots[-1].camera = f"Extra {{number + 1}}", shots[number % 4].camera
# What makes a production file slow to open: a big mesh, kept out of the render.
bpy.ops.mesh.primitive_grid_add(x_subdivisions=2400, y_subdivisions=2400)
bpy.context.active_object.hide_render = True
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}... failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="multi-render-bench-farm-"))
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(workdir / "profile")}
    try:
        run(
            BLENDER,
            "-c",
            "extension",
            "install-file",
            "-r",
            "user_default",
            "-e",
            os.environ["MULTI_RENDER_ZIP"],
            env=env,
        )
        blend = workdir / "heavy.blend"
        run(
            BLENDER,
            "--python-use-system-env",
            "-b",
            "--python-expr",
            MAKE_BLEND.format(shots=SHOTS, path=str(blend)),
            env={**env, "PYTHONPATH": str(REPO)},
        )
        began = time.perf_counter()
        run(BLENDER, "-b", str(blend), "--python-expr", "pass", env=env)
        open_seconds = time.perf_counter() - began
        totals: dict[int, float] = {}
        for per_task in PER_TASK:
            folder = workdir / f"bundle_{per_task}"
            run(
                BLENDER,
                "-c",
                "multi_render",
                "bundle",
                str(blend),
                str(folder),
                "--shots-per-task",
                str(per_task),
                env=env,
            )
            shutil.rmtree(workdir / "renders", ignore_errors=True)
            arguments = [OPENJD, "run", str(folder / "template.json"), "--step", "RenderShots"]
            for name, value in (
                ("BlendFile", blend),
                ("OutputDir", workdir / "renders"),
                ("BlenderExecutable", BLENDER),
            ):
                arguments += ["--job-param", f"{name}={value}"]
            began = time.perf_counter()
            run(*arguments, env=env)
            totals[per_task] = time.perf_counter() - began
            written = len(list((workdir / "renders").glob("*.png")))
            if written != SHOTS:
                raise RuntimeError(f"{per_task} shots per task wrote {written} images, not {SHOTS}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results = {
        "shots": SHOTS,
        "blend_open_s": open_seconds,
        "total_s": {str(n): seconds for n, seconds in totals.items()},
        "ratio_to_one_per_task": {str(n): seconds / totals[1] for n, seconds in totals.items()},
    }
    out = REPO / "artifacts" / "bench-farm.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"{SHOTS} shots through openjd run; opening the .blend takes {open_seconds:.1f} s (Blender start included)")
    print("| shots per task | tasks | total s | vs 1 per task |")
    print("| --- | --- | --- | --- |")
    for per_task, seconds in totals.items():
        print(f"| {per_task} | {-(-SHOTS // per_task)} | {seconds:.1f} | {seconds / totals[1]:.2f} |")
    print(f"\n(also written to {out.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
