"""Render-farm bundles: task grouping, frame chunks, parameters, the worker
check and asset references (core/farm.py, plain Python)."""

import json

import pytest

from multi_render.core.farm import (
    AssetReferences,
    BundleOptions,
    FarmShot,
    job_template,
    parse_frames,
    task_count,
)

SHOTS = [FarmShot("A"), FarmShot("B, with a comma"), FarmShot("Spin", tuple(range(1, 11))), FarmShot("D")]


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("7", [7]),
        ("1-10", list(range(1, 11))),
        ("1-9:2", [1, 3, 5, 7, 9]),
        ("1-4, 9, !2", [1, 3, 4, 9]),  # a task's frames are a frame list
    ],
)
def test_frames(text: str, frames: list[int]) -> None:
    assert parse_frames(text) == frames


@pytest.mark.parametrize("text", ["", "a-b", "1-2-3", "5-1", "1-5:0", "1,,2", "-5--1"])
def test_bad_frames(text: str) -> None:
    with pytest.raises(ValueError):
        parse_frames(text)


def test_one_shot_per_task_by_default() -> None:
    template = job_template("f", SHOTS)
    (step,) = template["steps"]
    (shots,) = step["parameterSpace"]["taskParameterDefinitions"]
    assert [json.loads(value) for value in shots["range"]] == [["A"], ["B, with a comma"], ["Spin"], ["D"]]
    assert "extensions" not in template
    assert task_count(template) == 4
    args = step["script"]["actions"]["onRun"]["args"]
    assert args[args.index("--shot-list") + 1] == "{{Task.Param.Shots}}"
    assert "--cycles-device={{Param.CyclesDevice}}" in args and "--skip-existing-value={{Param.SkipExisting}}" in args
    assert "--started={{Param.Started}}" in args


def test_shots_grouped_and_ranges_chunked() -> None:
    template = job_template("f", SHOTS, BundleOptions(shots_per_task=2, frames_per_task=4, skip_existing=True))
    assert template["extensions"] == ["TASK_CHUNKING"]
    stills, spin = template["steps"]
    assert [json.loads(v) for v in stills["parameterSpace"]["taskParameterDefinitions"][0]["range"]] == [
        ["A", "B, with a comma"],
        ["D"],
    ]
    (frames,) = spin["parameterSpace"]["taskParameterDefinitions"]
    assert frames == {
        "name": "Frames",
        "type": "CHUNK[INT]",
        "range": "1-10",
        "chunks": {"defaultTaskCount": 4, "rangeConstraint": "CONTIGUOUS"},
    }
    args = spin["script"]["actions"]["onRun"]["args"]
    assert args[args.index("--frames") + 1] == "{{Task.Param.Frames}}"
    assert json.loads(args[args.index("--shot-list") + 1]) == ["Spin"]
    assert task_count(template) == 2 + 3  # two groups of stills, 10 frames in chunks of 4
    skip = next(p for p in template["parameterDefinitions"] if p["name"] == "SkipExisting")
    assert skip["default"] == "true"


def test_the_worker_check_runs_once_before_the_tasks() -> None:
    (environment,) = job_template("f", SHOTS)["jobEnvironments"]
    action = environment["script"]["actions"]["onEnter"]
    assert action["command"] == "{{Param.BlenderExecutable}}"
    code = action["args"][action["args"].index("--python-expr") + 1]
    compile(code, "check", "exec")  # valid Python, and no {{ }} for the template engine
    assert "{{" not in code and "(4, 2, 0)" in code


def test_bad_options() -> None:
    with pytest.raises(ValueError):
        job_template("f", SHOTS, BundleOptions(shots_per_task=0))


def test_asset_references_format() -> None:
    refs = AssetReferences(("/p/b.blend", "/p/t.png", "/p/t.png"), ("/p/cache",), ("/out",), ("/gone.png",))
    assert refs.as_dict() == {
        "assetReferences": {
            "inputs": {"directories": ["/p/cache"], "filenames": ["/p/b.blend", "/p/t.png"]},
            "outputs": {"directories": ["/out"]},
            "referencedPaths": ["/gone.png"],
        }
    }


def test_a_stepped_range_is_chunked_by_its_own_expressions() -> None:
    """A CONTIGUOUS chunk cannot hold a step (it would split at every
    frame): a stepped range's chunks are written out, without the extension."""
    template = job_template("f", [FarmShot("Spin", tuple(range(1, 20, 2)))], BundleOptions(frames_per_task=4))
    assert "extensions" not in template
    (step,) = template["steps"]
    (frames,) = step["parameterSpace"]["taskParameterDefinitions"]
    assert frames == {"name": "Frames", "type": "STRING", "range": ["1-7:2", "9-15:2", "17, 19"]}
    assert [parse_frames(text) for text in frames["range"]] == [[1, 3, 5, 7], [9, 11, 13, 15], [17, 19]]


def test_a_frame_list_is_chunked_as_frame_lists_and_a_gapless_one_as_a_range() -> None:
    listed = (1, 2, 3, 4, 9, 15, 16)
    template = job_template("f", [FarmShot("L", listed), FarmShot("R", (5, 6, 7))], BundleOptions(frames_per_task=3))
    first, second = (step["parameterSpace"]["taskParameterDefinitions"][0] for step in template["steps"])
    assert first == {"name": "Frames", "type": "STRING", "range": ["1-3", "4, 9, 15", "16"]}
    assert [frame for text in first["range"] for frame in parse_frames(text)] == list(listed)
    assert second["type"] == "CHUNK[INT]" and second["range"] == "5-7"


def test_names_cannot_reach_the_template_engine_and_groups_fit_the_limits() -> None:
    from multi_render.core.farm import MAX_VALUE_CHARS, names_value

    tricky = ["{{Param.BlendFile}}", "Ünïcode \x85", "a, b"]
    value = names_value(tricky)
    assert "{" not in value and "}" not in value and value.isascii()
    assert json.loads(value) == tricky
    template = job_template("{{bad}}\x00", [FarmShot("x" * 300) for _ in range(10)], BundleOptions(shots_per_task=10))
    assert "{{" not in template["name"] and "\x00" not in template["name"]
    (step,) = template["steps"]
    groups = step["parameterSpace"]["taskParameterDefinitions"][0]["range"]
    assert all(len(group) <= MAX_VALUE_CHARS for group in groups) and len(groups) == 4  # 3 names fit in 1024
    with pytest.raises(ValueError, match="more shots per task"):
        job_template("f", [FarmShot(f"s{n}") for n in range(1025)])
    with pytest.raises(ValueError, match="holds no frame"):
        job_template("f", [FarmShot("Spin", ())])


def test_a_chunked_shot_s_movie_is_made_after_its_chunks() -> None:
    from multi_render.core.farm import farm_tasks

    shots = [FarmShot("A"), FarmShot("Spin", (1, 2, 3), movie=True), FarmShot("Turn", (1, 2), movie=True)]
    template = job_template("f", shots, BundleOptions(frames_per_task=2))
    movies = template["steps"][-1]
    assert movies["name"] == "MakeMovies"
    assert movies["dependencies"] == [{"dependsOn": "RenderRange1"}, {"dependsOn": "RenderRange2"}]
    (shots_parameter,) = movies["parameterSpace"]["taskParameterDefinitions"]
    assert [json.loads(value) for value in shots_parameter["range"]] == [["Spin"], ["Turn"]]
    args = movies["script"]["actions"]["onRun"]["args"]
    assert "--skip-existing-value=true" in args and "--frames" not in args  # finds the frames, renders none
    tasks = farm_tasks(shots, BundleOptions(frames_per_task=2))
    assert [(task.names, task.frames, task.after) for task in tasks[-2:]] == [
        (["Spin"], "", True),
        (["Turn"], "", True),
    ]
    # A shot rendered whole makes its own movie: no step after it.
    whole = job_template("f", shots, BundleOptions())
    assert [step["name"] for step in whole["steps"]] == ["RenderShots"]
    assert not any(task.after for task in farm_tasks(shots, BundleOptions()))
