"""Flamenco, for real: a Manager and a Worker from ../shared/flamenco (or
$FLAMENCO_DIR) on 127.0.0.1, the Worker running the test Blender with the
built extension. The job type file the command line saves is the one the
Manager loads; a job of stills and a range in chunks renders every file on
shared storage and the Manager shows the last image; a Manager without the
job type, or with an older one, and a shot writing outside shared storage
are refused before anything is sent."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BLENDER, MOVIE, SPIN, STILLS, make_blend, pixels_in, run

from testkit import flamenco_farm
from testkit.flamenco_farm import Farm, started_farm

pytestmark = pytest.mark.skipif(not flamenco_farm.available(), reason=flamenco_farm.MISSING)


@pytest.fixture(scope="module")
def job_types(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    folder = tmp_path_factory.mktemp("job-types")
    saved = run(BLENDER, "-c", "multi_render", "flamenco-job-type", str(folder), env=env)
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert "put it in your Flamenco Manager's scripts folder" in saved.stdout
    return folder


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory, job_types: Path, env: dict[str, str]) -> Iterator[Farm]:
    with started_farm(tmp_path_factory.mktemp("flamenco") / "farm", BLENDER, job_types, env) as running:
        yield running


def submit(blend: Path, farm: Farm, env: dict[str, str], *options: str) -> tuple[int, str]:
    done = run(
        BLENDER, "--online-mode", "-c", "multi_render", "flamenco", str(blend), "--manager", farm.url, *options, env=env
    )
    return done.returncode, done.stdout + done.stderr


def test_a_job_renders_every_shot_on_shared_storage(
    farm: Farm, env: dict[str, str], reference: dict[str, bytes]
) -> None:
    project = farm.shared / "project"
    project.mkdir()
    blend = make_blend(project, env)  # outputs: //renders/ beside it, on shared storage
    code, output = submit(blend, farm, env, "--shots-per-task", "2", "--frames-per-task", "2", "--wait")
    assert code == 0, output
    assert "(6 tasks)" in output  # [Blue, Green], [Red], Spin 1-2, 3-4, 5, then Spin's movie
    assert sorted(path.name for path in (project / "renders").iterdir()) == sorted([*STILLS, *SPIN, MOVIE])
    assert pixels_in(project / "renders") == reference  # what the in-Blender queue renders, pixel for pixel
    job_id = next(line for line in output.splitlines() if len(line) == 36 and line.count("-") == 4)
    tasks = farm.get(f"/api/v3/jobs/{job_id}/tasks")["tasks"]  # type: ignore[index]
    assert sorted(task["status"] for task in tasks) == ["completed"] * 6
    # The movie's task came after the chunks: it found Spin's frames and rendered none.
    (movie_task,) = (task for task in tasks if task["name"].endswith(" movie"))
    with urllib.request.urlopen(f"{farm.url}/api/v3/tasks/{movie_task['id']}/logtail", timeout=10) as answer:
        log = answer.read().decode()
    assert "SKIPPED   Spin" in log, log
    assert any("Green, with a comma" in task["name"] for task in tasks)
    # The Worker read Blender's "Saved:" lines: the Manager has the last image.
    assert farm.get(f"/api/v3/jobs/{job_id}/last-rendered") is not None
    # The saved file on shared storage is rendered as it is: no copy was made.
    assert not (farm.shared / "multi-render").exists()


def test_a_file_elsewhere_is_copied_and_outputs_outside_are_refused(
    farm: Farm, env: dict[str, str], tmp_path: Path
) -> None:
    blend = make_blend(tmp_path, env)  # //renders/: beside a file that is not on shared storage
    code, output = submit(blend, farm, env)
    assert code == 1
    assert "Shot 1 'Cam_Blue' writes" in output and "outside the Flamenco Manager's shared storage" in output
    assert not (farm.shared / "multi-render").exists()  # nothing was copied or sent

    # Outputs on shared storage: the Workers render a copy put there.
    outputs = farm.shared / "elsewhere"
    moved = run(
        BLENDER,
        "-b",
        str(blend),
        "--python-expr",
        f"import bpy; scene = bpy.context.scene; scene.render.filepath = {str(outputs) + '/'!r}\n"
        f"scene.multi_render.shots['Spin'].filepath = {str(outputs / 'spin_{frame}')!r}\n"
        "bpy.ops.wm.save_mainfile()",
        env=env,
    )
    assert moved.returncode == 0, moved.stdout + moved.stderr
    code, output = submit(blend, farm, env, "--wait")
    assert code == 0, output
    assert sorted(path.name for path in outputs.iterdir()) == sorted([*STILLS, *SPIN, MOVIE])
    (copy,) = (farm.shared / "multi-render").glob("farm-*/farm.blend")
    assert str(copy) in output


def test_a_missing_or_older_job_type_is_named(farm: Farm, env: dict[str, str], tmp_path: Path) -> None:
    blend = make_blend(tmp_path, env)
    script = farm.job_type.read_text()
    try:
        farm.job_type.write_text(
            script.replace(
                'key: "job_type_version", type: "int32", default: 2,',
                'key: "job_type_version", type: "int32", default: 0,',
            )
        )
        code, output = submit(blend, farm, env)
        assert code == 1 and "job type is version 0, this add-on sends version 2" in output, output
        farm.job_type.unlink()
        code, output = submit(blend, farm, env)
        assert code == 1 and "has no 'multi-render' job type" in output, output
        assert "put it in your Manager's scripts folder" in output
    finally:
        farm.job_type.write_text(script)  # the farm as it was, for the other tests


def test_submit_shots_to_flamenco_from_blender(farm: Farm, env: dict[str, str]) -> None:
    """The operator (Render > Submit Shots to Flamenco) with the Manager of
    the preferences; an unsaved change goes to the Workers in a copy."""
    project = farm.shared / "from_blender"
    project.mkdir()
    blend = make_blend(project, env)
    code = (
        "import bpy\n"
        "addon = next(name for name in bpy.context.preferences.addons.keys() if name.endswith('multi_render'))\n"
        f"bpy.context.preferences.addons[addon].preferences.flamenco_manager_url = {farm.url!r}\n"
        "bpy.context.scene.multi_render.shots['Spin'].enabled = False  # unsaved\n"
        "print('RESULT', sorted(bpy.ops.multi_render.submit_flamenco(shots_per_task=3)))\n"
    )
    done = run(BLENDER, "--online-mode", "-b", str(blend), "--python-expr", code, env=env)
    output = done.stdout + done.stderr
    assert "RESULT ['FINISHED']" in output, output
    found = re.search(r"Submitted Flamenco job ([0-9a-f-]{36}) \(1 tasks\)", output)
    assert found, output
    deadline = time.monotonic() + 300
    while (status := farm.get(f"/api/v3/jobs/{found.group(1)}")["status"]) not in ("completed", "failed"):  # type: ignore[index]
        assert time.monotonic() < deadline, status
        time.sleep(1)
    assert status == "completed"
    assert sorted(path.name for path in (project / "renders").iterdir()) == sorted(STILLS)  # not Spin: unticked


def test_a_shot_failing_on_the_worker_fails_with_the_renders_reason(
    tmp_path: Path, job_types: Path, env: dict[str, str]
) -> None:
    """`flamenco --wait` on a farm whose Worker starts only once the job is
    queued: the shots pass every check at submission, then their outputs'
    folder becomes a file. The command exits 1 with the render's own reason,
    read out of the task's log."""
    folder = tmp_path / "farm"
    with started_farm(folder, BLENDER, job_types, env, "--no-worker") as idle:
        project = idle.shared / "fails"
        project.mkdir()
        blend = make_blend(project, env)
        command = [BLENDER, "--online-mode", "-c", "multi_render", "flamenco", str(blend), "--manager", idle.url]
        with subprocess.Popen(
            [*command, "--wait"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as waiting:
            deadline = time.monotonic() + 300
            while not idle.get("/api/v3/jobs")["jobs"]:  # type: ignore[index]
                assert waiting.poll() is None, "the command ended before its job was queued"
                assert time.monotonic() < deadline, "no job queued after 300 s"
                time.sleep(0.5)
            renders = project / "renders"
            renders.write_text("not a folder")
            idle.start_worker()
            output, _ = waiting.communicate(timeout=600)
    assert waiting.returncode == 1, output
    assert re.search(r"multi_render: Flamenco job [0-9a-f-]{36} failed", output), output
    failed = [line for line in output.splitlines() if line.startswith("multi_render: task '") and " failed: " in line]
    reason = f"Shot 1 'Cam_Blue': the folder '{renders}' cannot be created: '{renders}' is a file"
    assert any(reason in line for line in failed), output


def test_an_unreachable_manager_is_named(tmp_path: Path, env: dict[str, str]) -> None:
    blend = make_blend(tmp_path, env)
    command = ("-c", "multi_render", "flamenco", str(blend), "--manager", "http://127.0.0.1:9")
    done = run(BLENDER, "--online-mode", *command, env=env)
    assert done.returncode == 1
    assert "cannot reach the Flamenco Manager at http://127.0.0.1:9" in done.stderr, done.stdout + done.stderr


def test_without_online_access_nothing_is_sent(farm: Farm, env: dict[str, str], tmp_path: Path) -> None:
    """Blender's Allow Online Access, off in a new profile, or --offline-mode."""
    project = farm.shared / "offline"
    project.mkdir()
    blend = make_blend(project, env)
    jobs_before = [job["id"] for job in farm.get("/api/v3/jobs")["jobs"]]  # type: ignore[index]
    command = ("-c", "multi_render", "flamenco", str(blend), "--manager", farm.url)
    done = run(BLENDER, *command, env=env)
    assert done.returncode == 1
    assert "Blender's online access is off (Preferences > System > Network > Allow Online Access" in done.stderr
    done = run(BLENDER, "--offline-mode", *command, env=env)
    assert done.returncode == 1
    assert "started with --offline-mode: nothing was sent to the Flamenco Manager" in done.stderr, done.stderr
    assert [job["id"] for job in farm.get("/api/v3/jobs")["jobs"]] == jobs_before  # type: ignore[index]


# The subject gets an orange texture from a folder beside the .blend's, used
# by a relative path ("//../textures/orange.png"); the outputs go to shared
# storage. A Worker that could not find the texture would render it pink.
TEXTURED = """
import bpy, os
scene = bpy.context.scene
texture = {texture!r}
os.makedirs(os.path.dirname(texture), exist_ok=True)
image = bpy.data.images.new("orange", 8, 8)
image.generated_color = (1.0, 0.45, 0.0, 1.0)
image.filepath_raw, image.file_format = texture, "PNG"
image.save()
image.filepath = {as_written!r}
material = bpy.data.materials.new("Textured")
if material.node_tree is None:
    material.use_nodes = True
nodes, links = material.node_tree.nodes, material.node_tree.links
nodes.clear()
emission, picture = nodes.new("ShaderNodeEmission"), nodes.new("ShaderNodeTexImage")
picture.image = image
links.new(picture.outputs["Color"], emission.inputs["Color"])
links.new(emission.outputs["Emission"], nodes.new("ShaderNodeOutputMaterial").inputs["Surface"])
bpy.data.objects["Subject"].data.materials.clear()
bpy.data.objects["Subject"].data.materials.append(material)
scene.render.filepath = {outputs!r} + "/"
scene.multi_render.shots["Spin"].enabled = False
bpy.ops.wm.save_mainfile()
"""


def textured_blend(tmp_path: Path, env: dict[str, str], outputs: Path, absolute: bool = False) -> Path:
    (tmp_path / "project").mkdir()
    blend = make_blend(tmp_path / "project", env)
    texture = tmp_path / "textures" / "orange.png"
    as_written = str(texture) if absolute else "//../textures/orange.png"
    code = TEXTURED.format(texture=str(texture), as_written=as_written, outputs=str(outputs))
    made = run(BLENDER, "-b", str(blend), "--python-expr", code, env=env)
    assert made.returncode == 0 and texture.is_file(), made.stdout + made.stderr
    return blend


def test_the_files_a_blend_uses_go_along_with_its_copy(farm: Farm, env: dict[str, str], tmp_path: Path) -> None:
    outputs = farm.shared / "textured"
    blend = textured_blend(tmp_path, env, outputs)
    here = run(BLENDER, "-c", "multi_render", "render", str(blend), env=env)
    assert here.returncode == 0, here.stdout + here.stderr
    reference = pixels_in(outputs)
    for path in outputs.iterdir():
        path.unlink()
    code, output = submit(blend, farm, env, "--wait")
    assert code == 0, output
    assert pixels_in(outputs) == reference  # the Worker found the texture: orange, not missing-texture pink
    (copy,) = (farm.shared / "multi-render").glob("farm-*/files/project/farm.blend")
    assert (copy.parent.parent / "textures" / "orange.png").read_bytes() == (
        tmp_path / "textures" / "orange.png"
    ).read_bytes()
    assert str(copy) in output


def test_a_file_used_by_an_absolute_path_elsewhere_is_refused(farm: Farm, env: dict[str, str], tmp_path: Path) -> None:
    blend = textured_blend(tmp_path, env, farm.shared / "absolute", absolute=True)
    before = sorted((farm.shared / "multi-render").glob("*")) if (farm.shared / "multi-render").exists() else []
    code, output = submit(blend, farm, env)
    assert code == 1
    texture = tmp_path / "textures" / "orange.png"
    assert f"the .blend uses '{texture}' by an absolute path outside the Flamenco Manager's shared storage" in output
    after = sorted((farm.shared / "multi-render").glob("*")) if (farm.shared / "multi-render").exists() else []
    assert after == before  # nothing copied


def test_missing_files_and_unreachable_storage_are_named(tmp_path: Path, job_types: Path, env: dict[str, str]) -> None:
    """Both before anything is sent: a .blend that uses a file that does not
    exist, and a Manager whose shared storage this computer cannot reach."""
    with started_farm(tmp_path / "farm", BLENDER, job_types, env, "--no-worker") as idle:
        project = idle.shared / "missing"
        project.mkdir()
        blend = make_blend(project, env)
        gone = project / "textures" / "gone.png"
        code = (
            "import bpy\nimage = bpy.data.images.new('gone', 4, 4)\n"
            f"image.filepath, image.source, image.use_fake_user = {str(gone)!r}, 'FILE', True\n"
            "bpy.ops.wm.save_mainfile()"
        )
        assert run(BLENDER, "-b", str(blend), "--python-expr", code, env=env).returncode == 0
        status, output = submit(blend, idle, env)
        assert status == 1 and f"the .blend uses files that do not exist: '{gone}'" in output, output
        (tmp_path / "here").mkdir()
        elsewhere = make_blend(tmp_path / "here", env)
        idle.shared.rename(tmp_path / "unmounted")
        try:
            status, output = submit(elsewhere, idle, env)
        finally:
            (tmp_path / "unmounted").rename(idle.shared)
        assert status == 1
        assert (
            f"the Flamenco Manager's shared storage '{idle.shared}' is not a folder this computer can reach" in output
        )
        assert idle.get("/api/v3/jobs")["jobs"] == []  # type: ignore[index]
