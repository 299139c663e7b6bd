"""Render-farm bundles: the Open Job Description bundle of a 3-shot .blend
validates with openjd-model and really renders the 3 images with
`openjd run`, each task running Blender 5.2 in background.

Runs on the host Python with openjd-model and openjd-cli (requirements/farm.txt);
Blender is tools/blender.sh (the provisioned one) or $BLENDER."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openjd.model import ParameterValue, ParameterValueType, create_job, decode_job_template

REPO = Path(__file__).resolve().parents[2]
BLENDER = os.environ.get("MULTI_RENDER_FARM_BLENDER") or str(REPO / "tools" / "blender.sh")
OPENJD = str(Path(sys.executable).parent / "openjd")

MAKE_BLEND = """
import bpy
from testkit import scenes
scenes.build_color_cameras(3, size=32)
scene = bpy.context.scene
scene.render.engine = "CYCLES"
scene.cycles.samples = 1
scene.cycles.device = "CPU"
scene.render.filepath = "//renders/"
bpy.ops.multi_render.shots_from_cameras()
bpy.context.scene.multi_render.shots[1].name = "Green, with a comma"
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""


def run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    zip_path = os.environ.get("MULTI_RENDER_ZIP", "")
    if not os.path.isfile(zip_path):
        pytest.fail(f"MULTI_RENDER_ZIP must name the built extension (got {zip_path!r})")
    profile = tmp_path_factory.mktemp("profile")
    environment = {**os.environ, "BLENDER_USER_RESOURCES": str(profile)}
    installed = run(BLENDER, "-c", "extension", "install-file", "-r", "user_default", "-e", zip_path, env=environment)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return environment


@pytest.fixture
def bundle(tmp_path: Path, env: dict[str, str]) -> Path:
    blend = tmp_path / "farm.blend"
    made = run(
        BLENDER,
        "--python-use-system-env",  # finds testkit through PYTHONPATH
        "-b",
        "--python-expr",
        MAKE_BLEND.format(path=str(blend)),
        env={**env, "PYTHONPATH": str(REPO)},
    )
    assert blend.is_file(), made.stdout + made.stderr
    folder = tmp_path / "bundle"
    written = run(BLENDER, "-c", "multi_render", "bundle", str(blend), str(folder), env=env)
    assert written.returncode == 0, written.stdout + written.stderr
    return folder


def test_the_bundle_validates(bundle: Path) -> None:
    template = decode_job_template(template=json.loads((bundle / "template.json").read_text()))
    values = json.loads((bundle / "parameter_values.json").read_text())["parameterValues"]
    typed = {v["name"]: ParameterValue(type=ParameterValueType.PATH, value=v["value"]) for v in values}
    typed["BlenderExecutable"] = ParameterValue(type=ParameterValueType.STRING, value="blender")
    job = create_job(job_template=template, job_parameter_values=typed)
    (step,) = job.steps
    assert step.name == "RenderShots"
    shots = step.parameterSpace.taskParameterDefinitions["Shot"].range  # type: ignore[union-attr,index]
    assert list(shots) == ["Cam_Blue", "Green, with a comma", "Cam_Red"]


def test_openjd_check_accepts_it(bundle: Path, env: dict[str, str]) -> None:
    checked = run(OPENJD, "check", str(bundle / "template.json"), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_openjd_run_renders_every_shot(bundle: Path, env: dict[str, str], tmp_path: Path) -> None:
    values = {
        v["name"]: v["value"] for v in json.loads((bundle / "parameter_values.json").read_text())["parameterValues"]
    }
    result = run(
        OPENJD,
        "run",
        str(bundle / "template.json"),
        "--step",
        "RenderShots",
        "--job-param",
        f"BlendFile={values['BlendFile']}",
        "--job-param",
        f"OutputDir={values['OutputDir']}",
        "--job-param",
        f"BlenderExecutable={BLENDER}",
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    renders = Path(values["OutputDir"])
    assert sorted(p.name for p in renders.glob("*.png")) == ["Cam_Blue.png", "Cam_Red.png", "Green, with a comma.png"]
