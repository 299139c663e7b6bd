"""Compositor File Output nodes (render passes) under the queue, in
background mode on every Blender (5.x's and 4.x's compositor API): each shot
writes its passes into a folder of its own, with its own pixels, and the
node settings are the person's again afterwards."""

from __future__ import annotations

from pathlib import Path

import bpy
import pytest

from testkit import scenes


@pytest.fixture
def shots(scene: bpy.types.Scene) -> bpy.types.bpy_prop_collection:
    scenes.build_color_cameras(2, size=32)
    bpy.ops.multi_render.shots_from_cameras()
    return scene.multi_render.shots


def pass_files(folder: Path) -> dict[str, list[str]]:
    """The PNG files under each sub-folder of `folder`."""
    return {
        sub.name: sorted(path.name for path in sub.glob("*.png")) for sub in sorted(folder.iterdir()) if sub.is_dir()
    }


@pytest.mark.parametrize("group", [False, True], ids=["node", "node_in_a_group"])
def test_each_shot_writes_its_passes_into_a_folder_of_its_own(
    scene: bpy.types.Scene, shots: object, tmp_path: Path, group: bool
) -> None:
    passes = tmp_path / "passes"
    node = scenes.add_file_output(str(passes) + "/", group=group)
    before = scenes.dump_scene(scene)
    settings_before = (scenes.node_folder(node), node.mute)
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    files = pass_files(passes)
    assert sorted(files) == ["Cam_Green", "Cam_Red"]
    for shot_name, names in files.items():
        assert len(names) == 1, files
        assert scenes.wall_color(str(passes / shot_name / names[0])) == shot_name.removeprefix("Cam_")
    assert (scenes.node_folder(node), node.mute) == settings_before
    assert scenes.dump_scene(scene) == before


def test_a_node_folder_of_double_slash_is_the_blend_folder(
    scene: bpy.types.Scene, shots: object, tmp_path: Path
) -> None:
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "scene.blend"))
    node = scenes.add_file_output("//")
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert sorted(pass_files(tmp_path)) == ["Cam_Green", "Cam_Red"]
    assert scenes.node_folder(node) == "//"


def test_a_node_path_with_tokens_is_expanded_for_each_shot(
    scene: bpy.types.Scene, shots: object, tmp_path: Path
) -> None:
    node = scenes.add_file_output(str(tmp_path) + "/aov_{camera}_{index}/")
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert sorted(pass_files(tmp_path)) == ["aov_Cam_Green_1", "aov_Cam_Red_2"]
    assert scenes.node_folder(node) == str(tmp_path) + "/aov_{camera}_{index}/"


def test_muted_nodes_and_a_disabled_compositor_are_left_alone(
    scene: bpy.types.Scene, shots: object, tmp_path: Path
) -> None:
    node = scenes.add_file_output(str(tmp_path / "muted") + "/")
    node.mute = True
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert not (tmp_path / "muted").exists()
    node.mute = False
    scene.render.use_compositing = False
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert not (tmp_path / "muted").exists()
    assert scenes.node_folder(node) == str(tmp_path / "muted") + "/"


def test_two_shots_whose_passes_would_meet_are_refused(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    scenes.add_file_output(str(tmp_path) + "/aov_{camera}/")
    shots[1].camera = shots[0].camera  # type: ignore[index]
    shots[1].filepath = "second"  # type: ignore[index]
    with pytest.raises(RuntimeError) as error:
        bpy.ops.multi_render.render_shots()
    message = str(error.value)
    assert "Shot 1 'Cam_Green' and shot 2 'Cam_Red' would write the same files through compositor" in message
    assert not list(tmp_path.rglob("*.png"))


def test_skip_existing_counts_pass_files_and_a_broken_pass_fails_the_shot(
    scene: bpy.types.Scene, shots: object, tmp_path: Path
) -> None:
    """A shot is skipped only when its image and every pass file are there
    and whole; a pass file a full disk left empty fails its shot (Blender
    still says "Saved") and is removed; the run record lists pass files."""
    passes = tmp_path / "passes"
    scenes.add_file_output(str(passes) + "/")
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    green_pass = next((passes / "Cam_Green").iterdir())
    red_pass = next((passes / "Cam_Red").iterdir())
    newest = scene.multi_render.history[0]
    assert newest.shots[0].files.splitlines() == [shots[0].output, str(green_pass)]  # type: ignore[index]

    scene.multi_render.skip_existing = True
    green_pass.unlink()  # the green shot's pass is missing: that shot renders again
    red_pass.write_bytes(red_pass.read_bytes())  # whole, untouched content
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in shots] == ["DONE", "SKIPPED"]  # type: ignore[attr-defined]
    assert green_pass.is_file()

    red_pass.write_bytes(b"")  # cut off, as on a full disk: not counted as existing
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert [shot.status for shot in shots] == ["SKIPPED", "DONE"]  # type: ignore[attr-defined]
    assert red_pass.stat().st_size > 0


@pytest.mark.skipif(bpy.app.version < (4, 5, 0), reason="path variables are Blender 4.5+")
def test_a_node_path_with_blender_variables(scene: bpy.types.Scene, shots: object, tmp_path: Path) -> None:
    """Blender expands its own variables in a node's path; each shot still
    gets a folder of its own there, and the queue knows where its passes are."""
    node = scenes.add_file_output(str(tmp_path / "passes_{resolution_x}px") + "/")
    assert bpy.ops.multi_render.render_shots() == {"FINISHED"}
    assert sorted(pass_files(tmp_path / "passes_32px")) == ["Cam_Green", "Cam_Red"]
    assert scenes.node_folder(node) == str(tmp_path / "passes_{resolution_x}px") + "/"
    # The run's record lists each shot's pass files where Blender wrote them.
    record = scene.multi_render.history[0].shots  # type: ignore[attr-defined]
    for shot in record:
        listed = [Path(path) for path in shot.files.split("\n")]
        assert any(path.parent == tmp_path / "passes_32px" / shot.name and path.is_file() for path in listed), listed
