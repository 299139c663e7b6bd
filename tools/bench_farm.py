"""make bench-farm: the same 12 shots of a .blend that takes a few seconds to
open (a large hidden mesh) on each farm engine, as their workers run them:
`openjd run` with 1, 4 and 12 shots per task, a Slurm array (the one-node
cluster of tools/slurm-cluster.sh) and a Flamenco job (the test farm of
../shared/flamenco) with 1 and 4; and the time to submit a 1,000-shot queue
to Flamenco (the checks, the Manager's job check and the post). Prints the
tables (also artifacts/bench-farm.json). Not part of make test.

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
sys.path[:0] = [str(REPO), str(REPO / "tests" / "farm")]
from slurm_cluster import SlurmCluster  # noqa: E402  (the farm tests' cluster helper)

from testkit.flamenco_farm import started_farm  # noqa: E402

BLENDER = os.environ.get("MULTI_RENDER_FARM_BLENDER") or str(REPO / "tools" / "blender.sh")
OPENJD = str(Path(sys.executable).parent / "openjd")
SHOTS = 12
PER_TASK = (1, 4, 12)
MANY_SHOTS = 1000

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


def install(workdir: Path) -> dict[str, str]:
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(workdir / "profile")}
    zip_path = os.environ["MULTI_RENDER_ZIP"]
    run(BLENDER, "-c", "extension", "install-file", "-r", "user_default", "-e", zip_path, env=env)
    return env


def make_blend(path: Path, shots: int, env: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    code = MAKE_BLEND.format(shots=shots, path=str(path))
    run(BLENDER, "--python-use-system-env", "-b", "--python-expr", code, env={**env, "PYTHONPATH": str(REPO)})
    return path


def check_written(renders: Path, what: str) -> None:
    written = len(list(renders.glob("*.png")))
    if written != SHOTS:
        raise RuntimeError(f"{what} wrote {written} images, not {SHOTS}")


def bench_openjd(blend: Path, env: dict[str, str]) -> dict[int, float]:
    totals: dict[int, float] = {}
    for per_task in PER_TASK:
        folder = blend.parent / f"bundle_{per_task}"
        run(
            BLENDER, "-c", "multi_render", "bundle", str(blend), str(folder), "--shots-per-task", str(per_task), env=env
        )
        renders = blend.parent / "renders"
        shutil.rmtree(renders, ignore_errors=True)
        arguments = [OPENJD, "run", str(folder / "template.json"), "--step", "RenderShots"]
        for name, value in (("BlendFile", blend), ("OutputDir", renders), ("BlenderExecutable", BLENDER)):
            arguments += ["--job-param", f"{name}={value}"]
        began = time.perf_counter()
        run(*arguments, env=env)
        totals[per_task] = time.perf_counter() - began
        check_written(renders, f"openjd, {per_task} shots per task,")
    return totals


def bench_slurm(blend: Path, env: dict[str, str]) -> dict[int, float]:
    """Submit (./submit.sh) to every task ended; the node runs as many tasks
    at once as it has cores."""
    totals: dict[int, float] = {}
    with SlurmCluster(blend.parent / "slurm") as cluster:
        for per_task in PER_TASK[:2]:
            folder = blend.parent / f"slurm_{per_task}"
            run(
                BLENDER, "-c", "multi_render", "bundle", str(blend), str(folder), "--engine", "slurm",
                "--shots-per-task", str(per_task), env=env,
            )  # fmt: skip
            renders = blend.parent / "renders"
            shutil.rmtree(renders, ignore_errors=True)
            began = time.perf_counter()
            submitted = run(str(folder / "submit.sh"), env=cluster.environment(env)).stdout
            job = submitted.split("submitted array job ")[1].split()[0]
            tasks = cluster.wait_ended(job, timeout=3600)
            totals[per_task] = time.perf_counter() - began
            if {task["JobState"] for task in tasks.values()} != {"COMPLETED"}:
                raise RuntimeError(f"Slurm, {per_task} shots per task: {tasks}")
            check_written(renders, f"Slurm, {per_task} shots per task,")
    return totals


def bench_flamenco(workdir: Path, env: dict[str, str]) -> tuple[dict[int, float], float]:
    """Submit to the job completed (`flamenco --wait`), with 1 and 4 shots
    per task; then a 1,000-shot queue's submission alone, timed in Blender."""
    job_types = workdir / "job-types"
    run(BLENDER, "-c", "multi_render", "flamenco-job-type", str(job_types), env=env)
    totals: dict[int, float] = {}
    with started_farm(workdir / "flamenco", BLENDER, job_types, env) as farm:
        url = farm.url
        blend = make_blend(farm.shared / "bench" / "heavy.blend", SHOTS, env)
        for per_task in PER_TASK[:2]:
            renders = blend.parent / "renders"
            shutil.rmtree(renders, ignore_errors=True)
            began = time.perf_counter()
            run(
                BLENDER, "--online-mode", "-c", "multi_render", "flamenco", str(blend), "--manager", url,
                "--shots-per-task", str(per_task), "--wait", env=env,
            )  # fmt: skip
            totals[per_task] = time.perf_counter() - began
            check_written(renders, f"Flamenco, {per_task} shots per task,")
        many = make_blend(farm.shared / "many" / "many.blend", MANY_SHOTS, env)
        timed = (
            "import sys, time, bpy\n"
            "flamenco = sys.modules[next(m for m in sys.modules if m.endswith('farm.flamenco'))]\n"
            "farm = sys.modules[next(m for m in sys.modules if m.endswith('core.farm'))]\n"
            f"manager = flamenco.Manager({url!r})\n"
            "began = time.perf_counter()\n"
            "job = flamenco.submit(bpy.context.scene, manager, farm.BundleOptions(shots_per_task=4))\n"
            "print('SUBMITTED', job.tasks, time.perf_counter() - began)\n"
            "flamenco.cancel(manager, job.job_id)\n"
        )
        answer = run(BLENDER, "--online-mode", "-b", str(many), "--python-expr", timed, env=env).stdout
        submit_seconds = float(answer.split("SUBMITTED ")[1].split()[1])
    return totals, submit_seconds


def table(title: str, totals: dict[int, float]) -> list[str]:
    lines = [title, "", "| shots per task | tasks | total s | vs 1 per task |", "| --- | --- | --- | --- |"]
    for per_task, seconds in totals.items():
        lines.append(f"| {per_task} | {-(-SHOTS // per_task)} | {seconds:.1f} | {seconds / totals[1]:.2f} |")
    return [*lines, ""]


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="multi-render-bench-farm-"))
    try:
        env = install(workdir)
        blend = make_blend(workdir / "heavy.blend", SHOTS, env)
        began = time.perf_counter()
        run(BLENDER, "-b", str(blend), "--python-expr", "pass", env=env)
        open_seconds = time.perf_counter() - began
        engines = {"openjd": bench_openjd(blend, env), "slurm": bench_slurm(blend, env)}
        engines["flamenco"], submit_seconds = bench_flamenco(workdir, env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results = {
        "shots": SHOTS,
        "blend_open_s": open_seconds,
        "engines": {
            name: {
                "total_s": {str(n): seconds for n, seconds in totals.items()},
                "ratio_to_one_per_task": {str(n): seconds / totals[1] for n, seconds in totals.items()},
            }
            for name, totals in engines.items()
        },
        "flamenco_submit_1000_shots_s": submit_seconds,
    }
    out = REPO / "artifacts" / "bench-farm.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"{SHOTS} shots; opening the .blend takes {open_seconds:.1f} s (Blender start included)\n")
    print("\n".join(table("openjd run (one task at a time)", engines["openjd"])))
    print("\n".join(table("Slurm array, one node (tasks side by side, one per core)", engines["slurm"])))
    print("\n".join(table("Flamenco, one Worker (submit to completed)", engines["flamenco"])))
    print(f"Submitting {MANY_SHOTS} shots to Flamenco (checks, job check, post): {submit_seconds:.2f} s")
    print(f"\n(also written to {out.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
