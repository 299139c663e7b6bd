from multi_render.core.shots import ShotSpec
from multi_render.core.validation import SceneShots, long_path_warnings, summary, validate, validate_scenes


def shot(index: int, name: str = "", camera: str = "Cam", **changes: object) -> ShotSpec:
    values: dict[str, object] = {
        "index": index,
        "name": name or f"Shot {index + 1}",
        "enabled": True,
        "camera": camera,
        "camera_in_scene": True,
        "camera_is_camera": True,
        "output_path": f"/out/{name or index}.png",
    }
    values.update(changes)
    return ShotSpec(**values)  # type: ignore[arg-type]


def no_folder_problem(_path: str) -> None:
    return None


def test_valid_list_has_no_problem() -> None:
    assert validate([shot(0, "a"), shot(1, "b")], "Scene", no_folder_problem) == []


def test_no_enabled_shot() -> None:
    problems = validate([shot(0, enabled=False)], "Scene", no_folder_problem)
    assert [p.field for p in problems] == ["enabled"]
    assert validate([], "Scene", no_folder_problem)[0].message.startswith("No enabled shot")


def test_disabled_shots_are_not_checked() -> None:
    shots = [shot(0, "a"), shot(1, "b", camera="", enabled=False)]
    assert validate(shots, "Scene", no_folder_problem) == []


def test_every_bad_camera_is_named() -> None:
    shots = [
        shot(0, "no cam", camera=""),
        shot(1, "mesh", camera="Cube", camera_is_camera=False),
        shot(2, "gone", camera="Old", camera_in_scene=False),
        shot(3, "fine"),
    ]
    problems = validate(shots, "Studio", no_folder_problem)
    assert [(p.shot_index, p.field) for p in problems] == [(0, "camera"), (1, "camera"), (2, "camera")]
    text = summary(problems)
    assert "Shot 1 'no cam' has no camera" in text
    assert "Shot 2 'mesh': 'Cube' is not a camera" in text
    assert "camera 'Old' is not in scene 'Studio'" in text
    assert "3 problems" in text


def test_two_shots_writing_one_file() -> None:
    shots = [shot(0, "a", output_path="/o/x.png"), shot(1, "b", output_path="/o/./x.png"), shot(2, "c")]
    problems = validate(shots, "Scene", no_folder_problem)
    assert len(problems) == 1
    assert problems[0].field == "filepath"
    assert "Shot 1 'a' and shot 2 'b' would write" in problems[0].message
    assert "/o/x.png" in problems[0].message


def test_unwritable_folder_is_reported_per_shot() -> None:
    def refuse(path: str) -> str | None:
        return "the folder '/ro' is not writable" if path.startswith("/ro/") else None

    shots = [shot(0, "a", output_path="/ro/a.png"), shot(1, "b"), shot(2, "c", output_path="/ro/c.png")]
    problems = validate(shots, "Scene", refuse)
    assert [p.shot_index for p in problems] == [0, 2]
    assert all("not writable" in p.message for p in problems)


def test_messages_keep_the_names_as_written() -> None:
    problems = validate(
        [
            shot(0, "Cam_Green", camera=""),
            shot(1, "CloseUp", output_path="/o/x.png"),
            shot(2, "WIDE", output_path="/o/x.png"),
        ],
        "Scene",
        no_folder_problem,
    )
    text = summary(problems)
    assert "Shot 1 'Cam_Green' has no camera" in text
    assert "Shot 2 'CloseUp' and shot 3 'WIDE' would write the same file" in text


def test_override_problems_are_named() -> None:
    from multi_render.core.overrides import Names

    bad = {
        "frame": {"frame": 3},  # does nothing: the frame range wins, so it is not checked
        "frame_range": {"frame_start": 10, "frame_end": 5, "frame_step": 1},
        "engine": {"engine": "FANCY"},
        "view_layer": {"view_layer": "Gone"},
        "world": {"world": ""},
        "file_format": {"file_format": "JPEG", "color_depth": "16"},
    }
    names = Names(view_layers=frozenset({"ViewLayer"}), engines=frozenset({"CYCLES"}))
    problems = validate(
        [shot(0, "a", overrides=bad, hidden_collections=(("", True),))], "Studio", no_folder_problem, names
    )
    assert [p.field for p in problems] == [
        "frame_range",
        "engine",
        "view_layer",
        "world",
        "color_depth",
        "collections",
    ]
    text = summary(problems)
    assert "Shot 1 'a': frame range 10-5 step 1 has no frame" in text
    assert "render engine 'FANCY' is not available" in text
    assert "view layer 'Gone' does not exist in scene 'Studio'" in text
    assert "JPEG has no 16-bit colour depth (use 8)" in text


def test_template_errors_and_shared_frames() -> None:
    shots = [
        shot(0, "a", template_error="unknown token {shto}"),
        shot(1, "b", output_path="/o/x0001.png", output_paths=("/o/x0001.png", "/o/x0002.png")),
        shot(2, "c", output_path="/o/x0002.png"),
    ]
    text = summary(validate(shots, "Scene", no_folder_problem))
    assert "Shot 1 'a': output path: unknown token {shto}" in text
    assert "Shot 2 'b' and shot 3 'c' would write the same file '/o/x0002.png'" in text


def test_ten_thousand_shots_give_a_short_message() -> None:
    same_file = [shot(i, f"s{i}", output_path="/out/x.png") for i in range(10_000)]
    text = summary(validate(same_file, "Scene", no_folder_problem))
    assert "Shot 1 's0', shot 2 's1', shot 3 's2', shot 4 's3', shot 5 's4' and 9995 more" in text
    no_cameras = [shot(i, f"s{i}", camera="") for i in range(10_000)]
    text = summary(validate(no_cameras, "Scene", no_folder_problem))
    assert text.startswith("Cannot render shots (10000 problems): Shot 1 's0'")
    assert text.endswith("; and 9990 more") and len(text) < 1500


def test_a_file_name_longer_than_file_systems_allow_is_refused() -> None:
    problems = validate([shot(0, "a", output_path="/out/" + "é" * 200 + ".png")], "Scene", no_folder_problem)
    assert [(p.field, p.message) for p in problems] == [
        ("filepath", "Shot 1 'a': output path: a name is 404 bytes long (at most 255)")
    ]


def test_shots_differing_only_in_case_or_unicode_form_write_the_same_file() -> None:
    first = ShotSpec(0, "a", True, "Cam", True, True, "/out/Caf\u00e9.png")
    second = ShotSpec(1, "b", True, "Cam", True, True, "/out/CAFE\u0301.png")
    problems = validate([first, second], "Scene", no_folder_problem)
    assert [problem.field for problem in problems] == ["filepath"]
    assert "would write the same file" in problems[0].message


def test_a_path_too_long_for_windows_is_a_warning_not_a_problem() -> None:
    long_shot = ShotSpec(0, "long", True, "Cam", True, True, "/out/" + "d" * 120 + "/" + "f" * 140 + ".png")
    short_shot = ShotSpec(1, "short", True, "Cam", True, True, "/out/short.png")
    assert validate([long_shot, short_shot], "Scene", no_folder_problem) == []
    warnings = long_path_warnings([long_shot, short_shot])
    assert len(warnings) == 1 and warnings[0].startswith("Shot 1 'long': the output path is 270 characters long")


def test_each_folder_is_checked_once(tmp_path: object) -> None:
    calls: list[str] = []

    def counting(path: str) -> None:
        calls.append(path)

    shots = [ShotSpec(i, f"s{i}", True, "Cam", True, True, f"/out/s{i}.png") for i in range(50)]
    assert validate(shots, "Scene", counting) == []
    assert calls == ["/out/s0.png"]


def test_a_queue_over_scenes_checks_each_against_its_own_scene() -> None:
    day = [shot(0, "a", output_path="/out/day_a.png", in_scene="Day")]
    night = [
        shot(0, "a", output_path="/out/night_a.png", in_scene="Night"),
        shot(1, "b", camera_in_scene=False, output_path="/out/night_b.png", in_scene="Night"),
    ]
    problems = validate_scenes([SceneShots("Day", day), SceneShots("Night", night)], no_folder_problem)
    assert [p.message for p in problems] == [
        "Shot 2 'b' of scene 'Night': camera 'Cam' is not in scene 'Night' (deleted?)"
    ]


def test_shots_of_two_scenes_writing_one_file_are_refused() -> None:
    # The same list index and name in each scene: still two shots.
    day = [shot(0, "a", output_path="/out/a.png", in_scene="Day")]
    night = [shot(0, "a", output_path="/out/a.png", in_scene="Night")]
    problems = validate_scenes([SceneShots("Day", day), SceneShots("Night", night)], no_folder_problem)
    assert [p.message for p in problems] == [
        "Shot 1 'a' of scene 'Day' and shot 1 'a' of scene 'Night' would write the same file '/out/a.png'"
    ]


def test_no_ticked_shot_in_any_scene() -> None:
    scenes = [SceneShots("Day", [shot(0, enabled=False)]), SceneShots("Night", [])]
    assert [p.field for p in validate_scenes(scenes, no_folder_problem)] == ["enabled"]
