"""The task list array schedulers run (core/task_list.py): written from the
shots as every farm groups them, read back exactly, and any other text
refused with a message, never run."""

import json
import random

import pytest

from multi_render.core.farm import BundleOptions, FarmShot
from multi_render.core.task_list import ListedTask, read_tasks, task_at, task_list

SHOTS = [
    FarmShot("A"),
    FarmShot("B, with a comma"),
    FarmShot('{braces} and "quotes"'),
    FarmShot("Spin", (1, 2, 3, 4, 5)),
]
OPTIONS = BundleOptions(shots_per_task=2, frames_per_task=2, skip_existing=True, started="2026-11-29T10:00:00")


def test_written_tasks_read_back_exactly() -> None:
    text = json.dumps(task_list("Scene", SHOTS, OPTIONS))
    tasks = read_tasks(text)
    shared = {"scene": "Scene", "started": "2026-11-29T10:00:00", "skip_existing": True}
    assert tasks == [
        ListedTask(**shared, shots=("A", "B, with a comma")),
        ListedTask(**shared, shots=('{braces} and "quotes"',)),
        ListedTask(**shared, shots=("Spin",), frames="1-2"),
        ListedTask(**shared, shots=("Spin",), frames="3-4"),
        ListedTask(**shared, shots=("Spin",), frames="5"),
    ]
    assert task_at(tasks, 4).frames == "5"


def test_one_task_per_shot_by_default() -> None:
    document = task_list("Scene", SHOTS, BundleOptions())
    assert [task["shots"] for task in document["tasks"]] == [[shot.name] for shot in SHOTS]
    assert all("frames" not in task for task in document["tasks"])


def test_no_shots_is_refused() -> None:
    with pytest.raises(ValueError, match="no ticked shot"):
        task_list("Scene", [], BundleOptions())


def test_an_index_outside_the_list_says_how_many_there_are() -> None:
    tasks = read_tasks(json.dumps(task_list("Scene", SHOTS, BundleOptions())))
    with pytest.raises(ValueError, match=r"no task 4: the list has 4 \(0 to 3\)"):
        task_at(tasks, 4)
    with pytest.raises(ValueError, match="no task -1"):
        task_at(tasks, -1)


def _document(**changes: object) -> str:
    document = {"format": "multi_render.tasks", "version": 1, "scene": "S", "started": "", "tasks": [{"shots": ["A"]}]}
    document.update(changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", 'its "format"'),
        (json.dumps({"format": "multi_render.run"}), 'its "format"'),
        (_document(version=2), "task list version 2"),
        (_document(tasks=[]), "no tasks"),
        (_document(tasks="A"), "no tasks"),
        (_document(scene=3), '"scene" and "started" must be texts'),
        (_document(skip_existing="yes"), "true or false"),
        (_document(tasks=[["A"]]), "task 0: must be an object"),
        (_document(tasks=[{"shots": []}]), 'task 0: "shots" must be a list'),
        (_document(tasks=[{"shots": ["A"]}, {"shots": ["A", 3]}]), 'task 1: "shots" must be a list'),
        (_document(tasks=[{"shots": ["A"], "frames": 5}]), 'task 0: "frames" must be a text'),
        (_document(tasks=[{"shots": ["A"], "frames": "1-x"}]), "task 0: frames '1-x': part 1 '1-x': not a frame N"),
        (
            _document(tasks=[{"shots": ["A"], "frames": "5-1"}]),
            "task 0: frames '5-1': part 1 '5-1': the range ends before it starts",
        ),
        (_document(tasks=[{"shots": ["A"], "frames": "0-2000000000"}]), "goes past 1048574"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_a_wrong_list_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        read_tasks(text)


def test_random_text_only_ever_gives_a_message() -> None:
    """Fuzzed: bytes, mangled lists and hostile values raise ValueError or
    read as data; nothing else (nothing is evaluated)."""
    good = _document(tasks=[{"shots": ["__import__('os').system('touch /tmp/owned')"], "frames": "1-3"}])
    generator = random.Random(20261129)
    alphabet = '{}[]",:0123456789-truefalsnl \\abc'
    for _ in range(3000):
        if generator.random() < 0.5:
            text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 80)))
        else:
            chars = list(good)
            for _ in range(generator.randint(1, 4)):
                chars[generator.randrange(len(chars))] = generator.choice(alphabet)
            text = "".join(chars)
        try:
            tasks = read_tasks(text)
        except ValueError:
            continue
        assert all(isinstance(name, str) for task in tasks for name in task.shots)
    assert read_tasks(good)[0].shots == ("__import__('os').system('touch /tmp/owned')",)


def test_the_movie_tasks_are_left_to_the_final_job() -> None:
    shots = [FarmShot("Spin", (1, 2, 3), movie=True)]
    document = task_list("Scene", shots, BundleOptions(frames_per_task=2))
    assert [entry.get("frames") for entry in document["tasks"]] == ["1-2", "3"]
