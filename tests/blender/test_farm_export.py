"""Export Render-Farm Job in background mode: the Slurm folder's files, its
options checked before anything is written, and shots checked as a local
run checks them (the real cluster runs the folder in tests/farm)."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import pytest

from testkit import scenes


def _saved_scene(tmp_path: Path) -> bpy.types.Scene:
    """The `scene` fixture's empty scene (a test asks for it first) with two shots, saved."""
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "shots.blend"))
    return bpy.context.scene


def test_slurm_folder_from_the_export_dialog(scene: bpy.types.Scene, tmp_path: Path) -> None:
    _saved_scene(tmp_path)
    scene.multi_render.contact_sheet = True
    folder = tmp_path / "job"
    result = bpy.ops.multi_render.farm_bundle_export(
        directory=str(folder), engine="SLURM", time_limit="30", gres="gpu:1", blender="/opt/blender/blender"
    )
    assert result == {"FINISHED"}
    tasks = json.loads((folder / "tasks.json").read_text())
    assert [task["shots"] for task in tasks["tasks"]] == [[shot.name] for shot in scene.multi_render.shots]
    assert tasks["scene"] == scene.name and tasks["started"]
    array = (folder / "job.sbatch").read_text()
    assert "#SBATCH --array=0-1" in array and "#SBATCH --time=30" in array and "#SBATCH --gres=gpu:1" in array
    assert "--partition" not in array and "--cpus-per-task" not in array
    assert f"exec /opt/blender/blender -b -c multi_render render {tmp_path / 'shots.blend'}" in array
    assert "afterok" in (folder / "submit.sh").read_text()  # the scene asks for a contact sheet
    assert (folder / "final.sbatch").is_file() and (folder / "logs").is_dir()
    assert (folder / "submit.sh").stat().st_mode & 0o111


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"partition": "gpu\n#SBATCH --uid=0"}, "partition"),
        ({"time_limit": "two hours"}, "time limit"),
    ],
)
def test_options_slurm_would_refuse_write_nothing(
    scene: bpy.types.Scene, tmp_path: Path, settings: dict[str, str], message: str
) -> None:
    _saved_scene(tmp_path)
    folder = tmp_path / "job"
    with pytest.raises(RuntimeError, match=message):
        bpy.ops.multi_render.farm_bundle_export(directory=str(folder), engine="SLURM", **settings)
    assert not folder.exists()


def test_a_shot_problem_is_named_before_anything_is_written(scene: bpy.types.Scene, tmp_path: Path) -> None:
    _saved_scene(tmp_path)
    scene.multi_render.shots[1].camera = None
    folder = tmp_path / "job"
    with pytest.raises(RuntimeError, match=r"Shot 2 '.*'.*camera"):
        bpy.ops.multi_render.farm_bundle_export(directory=str(folder), engine="SLURM")
    assert not folder.exists()
