"""Render-farm bundles: the Open Job Description bundle of a .blend with
three stills and a frame-range shot validates with openjd-model and
`openjd check`, and really renders with `openjd run` (one, two and four shots
per task; the range in chunks), each task running Blender 5.2 in
background: the files equal those of the in-Blender queue, by name and
pixel. A worker Blender without the extension fails the job at once.

Runs on the host Python with openjd-model and openjd-cli (requirements/farm.txt);
Blender is tools/blender.sh (the provisioned one) or $BLENDER."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BLENDER, MOVIE, SPIN, STILLS, blend_from, make_blend, movie_facts, pixels_in, run
from openjd.model import ParameterValue, ParameterValueType, create_job, decode_job_template

OPENJD = str(Path(sys.executable).parent / "openjd")


def write_bundle(blend: Path, env: dict[str, str], *options: str) -> Path:
    folder = blend.parent / "bundle"
    written = run(BLENDER, "-c", "multi_render", "bundle", str(blend), str(folder), *options, env=env)
    assert written.returncode == 0, written.stdout + written.stderr
    return folder


@pytest.fixture
def bundle(tmp_path: Path, env: dict[str, str]) -> Path:
    return write_bundle(make_blend(tmp_path, env), env)


def test_the_bundle_validates(bundle: Path) -> None:
    template = decode_job_template(
        template=json.loads((bundle / "template.json").read_text()), supported_extensions=["TASK_CHUNKING"]
    )
    values = json.loads((bundle / "parameter_values.json").read_text())["parameterValues"]
    typed = {v["name"]: ParameterValue(type=ParameterValueType.PATH, value=v["value"]) for v in values}
    for name, value in (("BlenderExecutable", "blender"), ("CyclesDevice", ""), ("SkipExisting", "false")):
        typed[name] = ParameterValue(type=ParameterValueType.STRING, value=value)
    job = create_job(job_template=template, job_parameter_values=typed)
    (step,) = job.steps
    assert step.name == "RenderShots"
    shots = step.parameterSpace.taskParameterDefinitions["Shots"].range  # type: ignore[union-attr,index]
    assert [json.loads(value) for value in shots] == [["Cam_Blue"], ["Green, with a comma"], ["Cam_Red"], ["Spin"]]
    assets = json.loads((bundle / "asset_references.json").read_text())["assetReferences"]
    assert assets["inputs"]["filenames"] == [str(bundle.parent / "farm.blend")]
    assert assets["outputs"]["directories"] == [str(bundle.parent / "renders")]


def openjd_run(bundle: Path, env: dict[str, str], blender: str = BLENDER) -> list[subprocess.CompletedProcess[str]]:
    """Run every step of the bundle with openjd, as a farm would."""
    template = json.loads((bundle / "template.json").read_text())
    values = {
        v["name"]: v["value"] for v in json.loads((bundle / "parameter_values.json").read_text())["parameterValues"]
    }
    results = []
    for step in template["steps"]:
        arguments = ["run", str(bundle / "template.json"), "--step", step["name"]]
        arguments += ["--extensions", "TASK_CHUNKING"] if "extensions" in template else []
        for name, value in (*values.items(), ("BlenderExecutable", blender)):
            arguments += ["--job-param", f"{name}={value}"]
        results.append(run(OPENJD, *arguments, env=env))
    return results


def test_openjd_check_accepts_it(tmp_path: Path, env: dict[str, str]) -> None:
    folder = write_bundle(make_blend(tmp_path, env), env, "--shots-per-task", "2", "--frames-per-task", "2")
    checked = run(OPENJD, "check", str(folder / "template.json"), "--extensions", "TASK_CHUNKING", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("shots_per_task", [1, 2, 4])
def test_openjd_run_renders_what_the_queue_renders(
    tmp_path: Path, env: dict[str, str], reference: dict[str, bytes], shots_per_task: int
) -> None:
    blend = make_blend(tmp_path, env)
    options = ["--shots-per-task", str(shots_per_task), "--frames-per-task", "2"]
    folder = write_bundle(blend, env, *options)
    template = json.loads((folder / "template.json").read_text())
    # Stills grouped N to a task; the 5-frame range in chunks of 2 frames.
    stills = template["steps"][0]["parameterSpace"]["taskParameterDefinitions"][0]["range"]
    assert len(stills) == -(-3 // shots_per_task)
    assert template["steps"][1]["parameterSpace"]["taskParameterDefinitions"][0]["range"] == "1-5"
    for result in openjd_run(folder, env):
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    written = pixels_in(tmp_path / "renders")
    assert sorted(written) == sorted(STILLS + SPIN) == sorted(reference)
    # The MakeMovies step, after the chunks: the five frames at the scene's rate.
    assert movie_facts(tmp_path / "renders" / MOVIE, env) == [5, [32, 32], 24.0]
    assert written == reference  # the same pixels


def test_a_worker_without_the_extension_fails_the_job_at_once(
    bundle: Path, env: dict[str, str], tmp_path: Path
) -> None:
    bare = {**env, "BLENDER_USER_RESOURCES": str(tmp_path / "bare-profile")}
    (first, *_rest) = openjd_run(bundle, bare)
    assert first.returncode != 0
    output = first.stdout + first.stderr
    assert "the Multi Render extension is not enabled in this worker's Blender profile" in output
    assert not (bundle.parent / "renders").exists()  # no task ran


MAKE_STEREO_BLEND = """
import bpy
from testkit import scenes
shots = scenes.build_farm_scene(2)
scene = bpy.context.scene
scene.render.use_multiview = True
scene.render.image_settings.views_format = "INDIVIDUAL"
shots[1].filepath = "take_##/seq_"
shots[1].use_frame_range, shots[1].frame_start, shots[1].frame_end = True, 1, 3
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def test_a_farm_renders_blenders_names(tmp_path: Path, env: dict[str, str]) -> None:
    """Stereo views and a # folder on the farm: the files and the bundle's
    output folders are Blender's own names, as in the queue."""
    blend = blend_from(MAKE_STEREO_BLEND, tmp_path / "stereo.blend", env)
    folder = write_bundle(blend, env, "--frames-per-task", "2")
    assets = json.loads((folder / "asset_references.json").read_text())["assetReferences"]
    renders = tmp_path / "renders"
    assert sorted(assets["outputs"]["directories"]) == [str(renders), str(renders / "take_##")]
    for result in openjd_run(folder, env):
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    written = sorted(str(path.relative_to(renders)) for path in renders.rglob("*") if path.is_file())
    assert written == sorted(
        ["Cam_Green_L.png", "Cam_Green_R.png"]
        + [f"take_##/seq_{frame:04d}{view}.png" for frame in (1, 2, 3) for view in ("_L", "_R")]
    )


MAKE_LISTED_BLEND = """
import bpy
from testkit import scenes
shots = scenes.build_farm_scene(2)
shots[1].filepath = "seq_"
shots[1].use_frame_range, shots[1].frame_list = True, "1-2, 4, 7-9:2"
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def test_a_frame_list_is_chunked_and_rendered_by_its_frames(tmp_path: Path, env: dict[str, str]) -> None:
    folder = write_bundle(blend_from(MAKE_LISTED_BLEND, tmp_path / "listed.blend", env), env, "--frames-per-task", "2")
    template = json.loads((folder / "template.json").read_text())
    (frames,) = template["steps"][1]["parameterSpace"]["taskParameterDefinitions"]
    assert frames == {"name": "Frames", "type": "STRING", "range": ["1-2", "4, 7", "9"]}
    for result in openjd_run(folder, env):
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    written = sorted(path.name for path in (tmp_path / "renders").iterdir())
    assert written == ["Cam_Green.png"] + [f"seq_{frame:04d}.png" for frame in (1, 2, 4, 7, 9)]
