# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: how much time the queue adds between shots, measured in one
real Blender window (Xvfb when there is no display).

The same N tiny shots are rendered four ways (the add-on's queue; the plain
technique, kept here as a reference; a blocking EXEC loop, the floor; and
Blender's own INVOKE animation render), on a Workbench scene and a Cycles
scene, RUNS times each. Gaps are taken between one shot's render_post and
the next shot's render_pre, from handlers that record time.perf_counter().
Also measured: memory over a long queue, the cost of one modal tick, and
with 1,000 shots the time to validate, draw the panel and register.

    python3 tools/bench.py [--smoke] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from testkit.blender_app import BlenderApp, launch

REPO = Path(__file__).resolve().parents[1]

MODULE = "bl_ext.user_default.multi_render"
# How often the benchmark asks Blender whether a run is over. Every question
# runs on Blender's main thread, so asking often would slow what is measured;
# the times themselves come from Blender's clock.
POLL = 0.2

# Inside Blender: a scene of N shots and handlers that time every render.
SETUP = """
import os, sys, time, statistics, tempfile
from testkit import scenes
times = {"pre": [], "post": [], "complete": [], "cancel": []}
def _recorder(name):
    def record(scene, depsgraph=None):
        times[name].append(time.perf_counter())
    record.__name__ = "bench_" + name
    return record
for _name in times:
    getattr(bpy.app.handlers, "render_" + _name).append(_recorder(_name))
bpy.context.preferences.view.render_display_type = "NONE"

def build(engine, count, size=64):
    scenes.build_color_cameras(1, size=size)
    scene = bpy.context.scene
    if engine == "CYCLES":
        scene.render.engine = "CYCLES"
        scene.cycles.samples = 1
        scene.cycles.use_adaptive_sampling = False
        scene.cycles.device = "CPU"
        scene.cycles.use_denoising = False
    shots = scene.multi_render.shots
    shots.clear()
    for number in range(count):
        shot = shots.add()
        shot.name = f"shot_{number:04d}"
        shot.camera = scene.camera
    return scene

# QueueSession.<name> through wrapper(original, self); wrapping again replaces the wrapper.
def wrap_session_method(name, wrapper):
    cls = sys.modules[ADDON + ".run.session"].QueueSession
    original = cls.__dict__.get("_bench_original_" + name) or getattr(cls, name)
    setattr(cls, "_bench_original_" + name, original)
    setattr(cls, name, lambda self, *args, **kwargs: wrapper(original, self, *args, **kwargs))

def reset():
    for value in times.values():
        value.clear()

def gaps():
    pre, post = times["pre"], times["post"]
    return [pre[i + 1] - post[i] for i in range(min(len(pre) - 1, len(post)))]
"""

# Inside Blender: the plain technique, as other add-ons do it: one 0.5 s
# window-manager timer; on each tick, when the last render_post has fired,
# start the next render with INVOKE (Blender refuses while its job lingers,
# so such a tick simply tries again on the next one).
PLAIN = """
class BENCH_OT_plain_queue(bpy.types.Operator):
    bl_idname = "bench.plain_queue"
    bl_label = "Plain queue (reference)"
    count: bpy.props.IntProperty()
    folder: bpy.props.StringProperty()
    def invoke(self, context, event):
        self.started = 0
        self.timer = context.window_manager.event_timer_add(0.5, window=context.window)
        context.window_manager.modal_handler_add(self)
        return {"RUNNING_MODAL"}
    def modal(self, context, event):
        if event.type != "TIMER":
            return {"PASS_THROUGH"}
        if len(times["complete"]) >= self.count:
            context.window_manager.event_timer_remove(self.timer)
            return {"FINISHED"}
        if self.started == len(times["post"]):
            context.scene.render.filepath = os.path.join(self.folder, f"plain_{self.started:04d}")
            if "RUNNING_MODAL" in bpy.ops.render.render("INVOKE_DEFAULT", write_still=True):
                self.started += 1
        return {"PASS_THROUGH"}
if not hasattr(bpy.types, "BENCH_OT_plain_queue"):
    bpy.utils.register_class(BENCH_OT_plain_queue)
"""


def way_addon(app: BlenderApp, folder: str, count: int, engine: str) -> dict[str, Any]:
    app.exec(f"scene = build({engine!r}, {count}); scene.render.filepath = {folder!r} + os.sep; reset()")
    app.exec(_TICK_TIMER)
    app.exec("t_start = time.perf_counter(); bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    app.wait_until("not bpy.context.window_manager.multi_render.is_running", timeout=600, interval=POLL)
    result = _timings(app, count)
    result["tick_ms"] = app.eval("_tick_stats()")
    return result


# Times every modal tick of the add-on's queue (QueueSession.tick).
_TICK_TIMER = """
tick_times = []
def _timed_tick(original, self, *args, **kwargs):
    begin = time.perf_counter()
    try:
        return original(self, *args, **kwargs)
    finally:
        tick_times.append(time.perf_counter() - begin)
wrap_session_method("tick", _timed_tick)
def _tick_stats():
    ordered = sorted(tick_times)
    return {"median": 1000 * statistics.median(ordered), "p99": 1000 * ordered[int(0.99 * (len(ordered) - 1))],
            "max": 1000 * ordered[-1], "count": len(ordered)}
"""


def way_plain(app: BlenderApp, folder: str, count: int, engine: str) -> dict[str, Any]:
    app.exec(f"scene = build({engine!r}, {count}); reset()")
    app.exec(
        f"t_start = time.perf_counter(); bpy.ops.bench.plain_queue('INVOKE_DEFAULT', count={count}, folder={folder!r})"
    )
    app.wait_until(
        f"len(times['complete']) >= {count} and not bpy.app.is_job_running('RENDER')", timeout=600, interval=POLL
    )
    return _timings(app, count)


def exec_loop(app: BlenderApp, folder: str, count: int, prefix: str, timeout: float = 600) -> float:
    """The floor: `count` blocking EXEC renders of `scene`, into folder/prefix_NNNN;
    the seconds from the loop's start to the last render_complete."""
    app.exec(
        f"t_start = time.perf_counter()\nfor number in range({count}):\n"
        f"    scene.render.filepath = os.path.join({folder!r}, f'{prefix}_{{number:04d}}')\n"
        "    bpy.ops.render.render('EXEC_DEFAULT', write_still=True)",
        timeout=timeout,
    )
    return float(app.eval("times['complete'][-1] - t_start"))


def way_exec(app: BlenderApp, folder: str, count: int, engine: str) -> dict[str, Any]:
    app.exec(f"scene = build({engine!r}, {count}); reset()")
    exec_loop(app, folder, count, "exec")
    return _timings(app, count)


def way_animation(app: BlenderApp, folder: str, count: int, engine: str) -> dict[str, Any]:
    app.exec(
        f"scene = build({engine!r}, {count}); reset()\n"
        f"scene.frame_start, scene.frame_end = 1, {count}\n"
        f"scene.render.filepath = os.path.join({folder!r}, 'anim_')"
    )
    app.exec("t_start = time.perf_counter(); bpy.ops.render.render('INVOKE_DEFAULT', animation=True)")
    app.wait_until("times['complete'] and not bpy.app.is_job_running('RENDER')", timeout=600, interval=POLL)
    return _timings(app, count)


def _timings(app: BlenderApp, count: int) -> dict[str, Any]:
    """From Blender's own clock: the start call to the last render_complete."""
    total = app.eval("times['complete'][-1] - t_start")
    gaps = app.eval("gaps()")
    rendered = app.eval("len(times['post'])")
    if rendered != count:
        raise RuntimeError(f"expected {count} renders, saw {rendered}")
    return {
        "total_s": total,
        "per_shot_s": total / count,
        "gap_median_s": statistics.median(gaps) if gaps else 0.0,
        "gap_max_s": max(gaps) if gaps else 0.0,
    }


WAYS = {
    "queue": way_addon,
    "plain": way_plain,
    "exec": way_exec,
    "animation": way_animation,
}


def rss_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            fields[key] = int(value.split()[0])
    return fields


def memory(app: BlenderApp, folder: str, small: int, large: int) -> dict[str, float]:
    """RSS after a queue of `small` shots and after one of `large` shots."""
    assert app.process is not None
    figures = {}
    for count in (small, large):
        app.exec(f"scene = build('BLENDER_WORKBENCH', {count}, size=32); scene.render.filepath = {folder!r} + os.sep")
        app.exec("bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
        app.wait_until("not bpy.context.window_manager.multi_render.is_running", timeout=1200, interval=POLL)
        status = rss_kib(app.process.pid)
        figures[f"rss_after_{count}_mb"] = status["VmRSS"] / 1024
        figures["peak_rss_mb"] = status["VmHWM"] / 1024
    figures["growth_mb"] = figures[f"rss_after_{large}_mb"] - figures[f"rss_after_{small}_mb"]
    return figures


def thousand_shots(app: BlenderApp, count: int) -> dict[str, float]:
    """Validation, panel draw and registration with a long shot list."""
    app.exec(f"scene = build('BLENDER_WORKBENCH', {count}, size=32)")
    validate_ms = app.exec(
        f"_session_module = sys.modules['{MODULE}.run.session']\n"
        "samples = []\n"
        "for _ in range(5):\n"
        "    begin = time.perf_counter()\n"
        "    session, problems = _session_module.QueueSession.prepare(scene)\n"
        "    samples.append(time.perf_counter() - begin)\n"
        "assert not problems, problems\n"
        "result = 1000 * statistics.median(samples)"
    )
    # Every shot done, with an image: the list and the details draw thumbnails.
    app.exec(
        "folder = tempfile.mkdtemp(prefix='bench-thumbs-')\n"
        "pictures = []\n"
        "for number in range(20):\n"
        "    image = bpy.data.images.new(f'thumb_{number}', 64, 64)\n"
        "    image.generated_color = (number / 20, 0.5, 1 - number / 20, 1.0)\n"
        "    image.filepath_raw = os.path.join(folder, f'thumb_{number}.png')\n"
        "    image.file_format = 'PNG'\n"
        "    image.save()\n"
        "    bpy.data.images.remove(image)\n"
        "    pictures.append(os.path.join(folder, f'thumb_{number}.png'))\n"
        "for number, shot in enumerate(scene.multi_render.shots):\n"
        "    shot.status, shot.output = 'DONE', pictures[number % 20]"
    )
    draw_ms = _panel_draw_ms(app)
    register_ms = app.exec(
        "import addon_utils\n"
        "samples = []\n"
        "for _ in range(5):\n"
        f"    addon_utils.disable({MODULE!r}, default_set=False)\n"
        "    begin = time.perf_counter()\n"
        f"    sys.modules[{MODULE!r}].register()\n"
        "    samples.append(time.perf_counter() - begin)\n"
        f"    sys.modules[{MODULE!r}].unregister()\n"
        f"    addon_utils.enable({MODULE!r}, default_set=False)\n"
        "result = 1000 * statistics.median(samples)"
    )
    return {"validate_ms": validate_ms, "panel_draw_ms": draw_ms, "register_ms": register_ms}


def property_overrides(app: BlenderApp, count: int) -> dict[str, float]:
    """Checking, applying and restoring `count` property overrides of one shot."""
    return app.exec(  # type: ignore[no-any-return]
        f"""
_overrides = sys.modules['{MODULE}.shot.property_overrides']
_setup = sys.modules['{MODULE}.shot.apply']
_settings = sys.modules['{MODULE}.guards.settings']
scene = build('BLENDER_WORKBENCH', 1, size=32)
shot = scene.multi_render.shots[0]
for number in range({count}):
    holder = bpy.data.objects.new(f"Prop_{{number}}", None)
    scene.collection.objects.link(holder)
    item = shot.property_overrides.add()
    item.data_path = f'bpy.data.objects["Prop_{{number}}"].location'
    item.value = f"({{number}}.5, 1.0, 2.0)"
check, apply_restore = [], []
for _ in range(7):
    begin = time.perf_counter()
    checked = _overrides.check_shot(shot)
    check.append(time.perf_counter() - begin)
    assert all(not item.problem for item in checked)
    guard = _settings.SettingsGuard()
    begin = time.perf_counter()
    _setup.apply_shot(guard, scene, shot, scene.render.filepath, checked=checked)  # as a queue does
    guard.restore()
    apply_restore.append(time.perf_counter() - begin)
assert bpy.data.objects["Prop_3"].location[0] == 0.0
result = {{"count": {count}, "check_ms": 1000 * statistics.median(check),
          "apply_restore_ms": 1000 * statistics.median(apply_restore)}}
"""
    )


def _panel_draw_ms(app: BlenderApp) -> float:
    """Open the sidebar on the Render Shots tab and time its draws: the main
    panel and each sub-panel (the sum of their medians)."""
    app.exec(
        """
draw_times = {}
def timed(panel):
    original_draw = getattr(panel, "_bench_original_draw", panel.draw)
    panel._bench_original_draw = original_draw
    times = draw_times.setdefault(panel.__name__, [])
    def timed_draw(self, context):
        begin = time.perf_counter()
        original_draw(self, context)
        times.append(time.perf_counter() - begin)
    panel.draw = timed_draw
for name in dir(bpy.types):
    if name.startswith("MULTIRENDER_PT_"):
        timed(getattr(bpy.types, name))
"""
    )
    app.open_render_shots_tab()
    for _ in range(10):
        app.exec("area.tag_redraw()")
        time.sleep(0.2)
    app.wait_until("len(draw_times['MULTIRENDER_PT_shots']) >= 5", timeout=10)
    return float(app.eval("1000 * sum(statistics.median(times) for times in draw_times.values() if times)"))


def contact_sheet(app: BlenderApp, folder: str, count: int, size: int) -> dict[str, float]:
    """Writing a contact sheet of `count` images of size x size."""
    return app.exec(  # type: ignore[no-any-return]
        f"""
os.makedirs({folder!r}, exist_ok=True)
images = []
for number in range({count}):
    image = bpy.data.images.new(f"sheet_{{number}}", {size}, {size})
    image.generated_color = (number / {count}, 0.3, 0.6, 1.0)
    image.filepath_raw = os.path.join({folder!r}, f"shot_{{number}}.png")
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)
    images.append((f"Shot {{number}}", os.path.join({folder!r}, f"shot_{{number}}.png")))
_sheet = sys.modules['{MODULE}.results.contact_sheet']
samples = []
for _ in range(3):
    begin = time.perf_counter()
    _sheet.write(images, os.path.join({folder!r}, "sheet.png"))
    samples.append(time.perf_counter() - begin)
result = {{"count": {count}, "size": {size}, "seconds": statistics.median(samples)}}
"""
    )


def long_renders(app: BlenderApp, folder: str, count: int, seconds: float) -> dict[str, float]:
    """Shots that take `seconds` each: the queue against the blocking floor."""
    limit = f"scene.render.engine = 'CYCLES'; scene.cycles.samples = 1000000; scene.cycles.time_limit = {seconds}"
    app.exec(f"scene = build('CYCLES', {count}); {limit}; scene.render.filepath = {folder!r} + os.sep; reset()")
    app.exec("t_start = time.perf_counter(); bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')")
    app.wait_until("not bpy.context.window_manager.multi_render.is_running", timeout=600, interval=POLL)
    queue = app.eval("times['complete'][-1] - t_start")
    queue_render = app.eval("statistics.mean(b - a for a, b in zip(times['pre'], times['post']))")
    queue_gap = app.eval("statistics.mean(gaps())")
    app.exec(f"scene = build('CYCLES', {count}); {limit}; reset()")
    floor = exec_loop(app, folder, count, "long")
    exec_render = app.eval("statistics.mean(b - a for a, b in zip(times['pre'], times['post']))")
    # Where the difference goes: the render itself under INVOKE (Blender's
    # interactive job shares the cores with its UI) and the gaps between shots.
    return {
        "queue_s": queue,
        "exec_s": floor,
        "ratio": queue / floor,
        "queue_render_s": queue_render,
        "exec_render_s": exec_render,
        "queue_gap_s": queue_gap,
    }


# Records when each queue session ends (either mode), on Blender's clock.
# When each run ended; and a background run's pool of processes, kept.
_END_TIMER = """
ended, pools = [], []
def _timed_end(original, self, *args, **kwargs):  # end(layout) from abort() and the subclass
    if hasattr(self, "pool"):
        pools.append(self.pool)
    try:
        return original(self, *args, **kwargs)
    finally:
        ended.append(time.perf_counter())
wrap_session_method("end", _timed_end)
"""


def _queue_seconds(app: BlenderApp, run_in: str, count: int) -> float:
    """One run of the scene's shots in either mode: the start call to the session's end."""
    app.exec(
        f"scene.multi_render.run_in = {run_in!r}; ended.clear(); reset(); t_start = time.perf_counter(); "
        "bpy.ops.multi_render.render_shots('INVOKE_DEFAULT')"
    )
    app.wait_until("not bpy.context.window_manager.multi_render.is_running", timeout=900, interval=POLL)
    done = app.eval("sum(shot.status == 'DONE' for shot in scene.multi_render.shots)")
    if done != count:
        raise RuntimeError(f"{run_in}: expected {count} shots done, saw {done}")
    return float(app.eval("ended[-1] - t_start"))


def background_process(app: BlenderApp, folder: str, count: int, engine: str) -> dict[str, float]:
    """The same short shots in this Blender and in a background process
    (its start, the copy's save and load included)."""
    app.exec(_END_TIMER)
    app.exec(f"scene = build({engine!r}, {count}); scene.render.filepath = {folder!r} + os.sep")
    here = _queue_seconds(app, "THIS_BLENDER", count)
    shutil.rmtree(folder, ignore_errors=True)
    background = _queue_seconds(app, "BACKGROUND", count)
    app.exec("scene.multi_render.run_in = 'THIS_BLENDER'")
    return {"count": count, "this_blender_s": here, "background_s": background, "ratio": background / here}


def long_background(app: BlenderApp, folder: str, count: int, seconds: float) -> dict[str, float]:
    """Shots of `seconds` each in a background process against the blocking EXEC loop."""
    app.exec(_END_TIMER)
    limit = f"scene.render.engine = 'CYCLES'; scene.cycles.samples = 1000000; scene.cycles.time_limit = {seconds}"
    app.exec(f"scene = build('CYCLES', {count}); {limit}; scene.render.filepath = {folder!r} + os.sep")
    background = _queue_seconds(app, "BACKGROUND", count)
    app.exec("scene.multi_render.run_in = 'THIS_BLENDER'; reset()")
    floor = exec_loop(app, folder, count, "exec", timeout=900)
    return {"count": count, "background_s": background, "exec_s": floor, "ratio": background / floor}


# Each shot's process and, in that process, the time from the end of one
# render to the start of the next (the child's clock): what dispatch costs.
_DISPATCH_GAPS = """
def dispatch_gaps(pool):
    by_process = {}
    for position, shot in enumerate(pool.shots):
        by_process.setdefault(pool.given_to[position], []).append((shot.started_wall, shot.seconds))
    gaps = []
    for renders in by_process.values():
        renders.sort()
        gaps += [b[0] - (a[0] + a[1]) for a, b in zip(renders, renders[1:])]
    return gaps
"""


def processes(app: BlenderApp, folder: str, count: int) -> dict[str, Any]:
    """The farm benchmark's file (short Cycles shots of a file slow to open: a
    big hidden mesh): one background process with every core against two
    with one core each (each process opens the file); and the time a
    process waits between shots."""
    app.exec(_END_TIMER + _DISPATCH_GAPS)
    app.exec(
        f"scene = build('CYCLES', {count}, size=32); scene.render.filepath = {folder!r} + os.sep\n"
        "bpy.ops.mesh.primitive_grid_add(x_subdivisions=2400, y_subdivisions=2400)\n"
        "bpy.context.active_object.hide_render = True\n"
        # Not drawn either: this Blender's software OpenGL would spend seconds a redraw on it.
        "bpy.context.active_object.hide_set(True)\n"
        "scene.multi_render.processes = 1"
    )
    one = _queue_seconds(app, "BACKGROUND", count)
    shutil.rmtree(folder, ignore_errors=True)
    app.exec("scene.multi_render.processes = 2")
    two = _queue_seconds(app, "BACKGROUND", count)
    gaps = app.eval("dispatch_gaps(pools[-1])")
    app.exec("scene.multi_render.processes = 1; scene.multi_render.run_in = 'THIS_BLENDER'")
    app.exec("[bpy.data.objects.remove(obj) for obj in list(bpy.data.objects) if obj.name.startswith('Grid')]")
    return {
        "count": count,
        "one_process_s": one,
        "two_processes_s": two,
        "ratio": two / one,
        "dispatch_median_ms": 1000 * statistics.median(gaps),
        "dispatch_max_ms": 1000 * max(gaps),
    }


def median_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0] if not isinstance(runs[0][key], dict)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a quick run that only proves the benchmark works")
    parser.add_argument("--json", default=str(REPO / "artifacts" / "bench.json"))
    options = parser.parse_args()
    count, runs = (3, 1) if options.smoke else (20, 3)
    workdir = Path(tempfile.mkdtemp(prefix="multi-render-bench-"))
    app, xvfb = launch(workdir, REPO / "artifacts" / "bench", f"ADDON = {MODULE!r}", SETUP, PLAIN)
    results: dict[str, Any] = {
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}, Xvfb + Mesa llvmpipe",
        "blender": app.eval("bpy.app.version_string"),
        "shots": count,
        "runs": runs,
        "scenes": {},
    }
    try:
        for engine in ("BLENDER_WORKBENCH", "CYCLES"):
            per_way: dict[str, list[dict[str, Any]]] = {way: [] for way in WAYS}
            for _run in range(runs):
                for way, function in WAYS.items():
                    folder = str(workdir / "out" / f"{engine}_{way}")
                    shutil.rmtree(folder, ignore_errors=True)
                    per_way[way].append(function(app, folder, count, engine))
            summary = {way: median_runs(values) for way, values in per_way.items()}
            summary["queue"]["tick_ms"] = per_way["queue"][-1]["tick_ms"]
            for way in WAYS:
                for reference in ("plain", "exec", "animation"):
                    summary[way][f"vs_{reference}"] = summary[way]["total_s"] / summary[reference]["total_s"]
            results["scenes"][engine] = summary
        results["long_renders"] = long_renders(app, str(workdir / "out" / "long"), 2 if options.smoke else 5, 1.0)
        results["memory"] = memory(
            app, str(workdir / "out" / "memory"), 3 if options.smoke else 10, 10 if options.smoke else 200
        )
        results["thousand_shots"] = thousand_shots(app, 100 if options.smoke else 1000)
        results["property_overrides"] = property_overrides(app, 100)
        results["contact_sheet"] = contact_sheet(app, str(workdir / "out" / "sheet"), 10 if options.smoke else 100, 256)
        results["background"] = {
            engine: background_process(app, str(workdir / "out" / f"bg_{engine}"), 3 if options.smoke else 100, engine)
            for engine in ("BLENDER_WORKBENCH", "CYCLES")
        }
        results["background_long"] = long_background(
            app, str(workdir / "out" / "bg_long"), 2 if options.smoke else 20, 1.0
        )
        results["processes"] = processes(app, str(workdir / "out" / "processes"), 4 if options.smoke else 20)
    finally:
        app.quit()
        if xvfb is not None:
            xvfb.terminate()
        shutil.rmtree(workdir, ignore_errors=True)
    Path(options.json).parent.mkdir(parents=True, exist_ok=True)
    Path(options.json).write_text(json.dumps(results, indent=2))
    print(render_table(results))
    print(f"\n(also written to {options.json})")
    return 0


def render_table(results: dict[str, Any]) -> str:
    lines = [
        f"Blender {results['blender']}, {results['machine']}; {results['shots']} shots of 64x64, "
        f"median of {results['runs']} run(s)",
        "",
        "| scene | way | total s | per shot s | gap median s | gap max s | vs plain | vs exec | vs animation |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    names = {
        "queue": "multi_render queue",
        "plain": "plain 0.5 s timer",
        "exec": "blocking EXEC loop",
        "animation": "Blender INVOKE animation",
    }
    for engine, summary in results["scenes"].items():
        for way, figures in summary.items():
            lines.append(
                f"| {engine} | {names[way]} | {figures['total_s']:.2f} | {figures['per_shot_s']:.3f} | "
                f"{figures['gap_median_s']:.3f} | {figures['gap_max_s']:.3f} | {figures['vs_plain']:.2f} | "
                f"{figures['vs_exec']:.2f} | {figures['vs_animation']:.2f} |"
            )
    tick = results["scenes"]["BLENDER_WORKBENCH"]["queue"]["tick_ms"]
    long = results["long_renders"]
    memory_figures = results["memory"]
    thousand = results["thousand_shots"]
    lines += [
        "",
        f"- modal tick: median {tick['median']:.3f} ms, 99th percentile {tick['p99']:.3f} ms, "
        f"max {tick['max']:.3f} ms ({tick['count']} ticks)",
        f"- 1-second renders: queue {long['queue_s']:.2f} s, EXEC loop {long['exec_s']:.2f} s, "
        f"ratio {long['ratio']:.3f}; one render (pre to post) takes {long['queue_render_s']:.3f} s under "
        f"INVOKE and {long['exec_render_s']:.3f} s under EXEC; mean gap between shots {long['queue_gap_s']:.3f} s",
        "- memory: " + ", ".join(f"{key} {value:.1f}" for key, value in memory_figures.items()),
        f"- long list: validate {thousand['validate_ms']:.1f} ms, panel draw with thumbnails (all sub-panels) "
        f"{thousand['panel_draw_ms']:.2f} ms, register {thousand['register_ms']:.2f} ms",
        f"- {results['property_overrides']['count']} property overrides on one shot: check "
        f"{results['property_overrides']['check_ms']:.2f} ms, apply and restore "
        f"{results['property_overrides']['apply_restore_ms']:.2f} ms",
        f"- contact sheet of {results['contact_sheet']['count']} images of {results['contact_sheet']['size']} px: "
        f"{results['contact_sheet']['seconds']:.2f} s",
    ]
    for engine, figures in results["background"].items():
        lines.append(
            f"- background process, {figures['count']} shots of 64x64 {engine}: {figures['background_s']:.2f} s "
            f"(start and file load included) against {figures['this_blender_s']:.2f} s in this Blender: "
            f"ratio {figures['ratio']:.2f}"
        )
    long_bg = results["background_long"]
    lines.append(
        f"- background process, {long_bg['count']} 1-second renders: {long_bg['background_s']:.2f} s against the "
        f"EXEC loop's {long_bg['exec_s']:.2f} s: ratio {long_bg['ratio']:.3f}"
    )
    pool = results["processes"]
    lines.append(
        f"- {pool['count']} Cycles shots of a file slow to open: 2 processes of 1 thread "
        f"{pool['two_processes_s']:.2f} s against 1 process of every thread {pool['one_process_s']:.2f} s: "
        f"ratio {pool['ratio']:.2f}; a process waits {pool['dispatch_median_ms']:.0f} ms between shots "
        f"(median; max {pool['dispatch_max_ms']:.0f} ms)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
