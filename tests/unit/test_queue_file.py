"""The queue kept on disk for a resume (core/queue_file.py): written whole,
read back with every field checked, anything else refused with a reason
and never run; which queues were left behind; what a resume renders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from multi_render.core import queue_file
from multi_render.core.file_lock import FileLock, LockHeldError, is_held
from multi_render.core.queue_file import QueuedShot, QueueFileError, QueueRecord
from multi_render.core.status import ShotStatus


def record(owner: int = 4242, statuses: str = "DD RP", updated: float | None = None) -> QueueRecord:
    codes = {"D": ShotStatus.DONE, "R": ShotStatus.RENDERING, "P": ShotStatus.PENDING, "S": ShotStatus.SKIPPED}
    scenes = statuses.split(" ")
    shots = tuple(
        QueuedShot(f"Scene{number}", index, f"shot{number}{index}", codes[code], "/r/a.png" if code == "D" else "")
        for number, letters in enumerate(scenes)
        for index, code in enumerate(letters)
    )
    return QueueRecord("/work/shop.blend", owner, "2026-11-29T13:02:11", updated or time.time(), shots)


def test_a_record_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / queue_file.file_name(4242, "2026-11-29T13:02:11")
    assert path.name == "4242-20261129130211.queue.jsonl"
    written = record()
    queue_file.write(str(path), written)
    assert queue_file.read(str(path)) == written
    assert [each.name for each in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_each_change_is_a_line_and_reads_back_applied(tmp_path: Path) -> None:
    path = str(tmp_path / "1-1.queue.jsonl")
    queue_file.write(path, record(statuses="PP", updated=100.0))
    first = os.path.getsize(path)
    done = QueuedShot("Scene0", 0, "shot00", ShotStatus.DONE, "/r/a.png")
    queue_file.append(path, queue_file.change_line(0, done, 150.0))
    queue_file.append(path, queue_file.change_line(1, QueuedShot("Scene0", 1, "shot01", ShotStatus.RENDERING), 160.0))
    assert os.path.getsize(path) - first < 200  # a short line per change, not the whole queue again
    kept = queue_file.read(path)
    assert [(shot.status, shot.output) for shot in kept.shots] == [
        (ShotStatus.DONE, "/r/a.png"),
        (ShotStatus.RENDERING, ""),
    ]
    assert kept.updated == 160.0


def test_a_change_cut_short_by_a_crash_is_as_if_not_made(tmp_path: Path) -> None:
    path = str(tmp_path / "1-1.queue.jsonl")
    queue_file.write(path, record(statuses="PP"))
    line = queue_file.change_line(0, QueuedShot("Scene0", 0, "shot00", ShotStatus.DONE, "/r/a.png"), 150.0)
    queue_file.append(path, line[: len(line) // 2])
    assert [shot.status for shot in queue_file.read(path).shots] == [ShotStatus.PENDING] * 2
    # The same line anywhere but last is damage: refused.
    queue_file.append(path, "\n" + line)
    with pytest.raises(QueueFileError, match="line 2: not JSON"):
        queue_file.read(path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ('{"shot": 5, "status": "DONE", "output": "", "updated": 1.0}', "line 2: no shot 5 \\(the queue has 2\\)"),
        ('{"shot": 0, "status": "GONE", "output": "", "updated": 1.0}', "line 2: unknown status 'GONE'"),
        ('{"shot": 0, "status": "DONE", "output": "", "updated": 1.0, "run": "x"}', "line 2: must have exactly"),
        ('{"shot": -1, "status": "DONE", "output": "", "updated": 1.0}', "line 2: 'shot' must be a whole number"),
    ],
)
def test_each_change_is_checked(tmp_path: Path, change: str, reason: str) -> None:
    path = tmp_path / "1-1.queue.jsonl"
    queue_file.write(str(path), record(statuses="PP"))
    path.write_text(path.read_text() + change + "\n" + change + "\n")
    with pytest.raises(QueueFileError, match=reason):
        queue_file.read(str(path))


def test_a_write_replaces_the_file_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "1-1.queue.jsonl")
    queue_file.write(path, record(statuses="DP"))

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        queue_file.write(path, record(statuses="DD"))
    # The old version stands, and the half-written one is gone.
    assert [shot.status for shot in queue_file.read(path).shots] == [ShotStatus.DONE, ShotStatus.PENDING]
    assert os.listdir(tmp_path) == ["1-1.queue.jsonl"]


def test_the_offer_says_how_many_shots_when_and_how_many_done() -> None:
    when = time.mktime((*time.localtime()[:3], 13, 2, 0, 0, 0, -1))
    assert record(statuses="DD RPS", updated=when).offer_text() == "A queue of 5 shots stopped at 13:02 (3 done)"
    old = time.mktime((2026, 1, 5, 9, 30, 0, 0, 0, -1))
    assert record(statuses="P", updated=old).offer_text() == "A queue of 1 shot stopped at 2026-01-05 09:30 (0 done)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"format": "multi_render.queue", "version": 1', "not JSON"),
        ("[1, 2]", "not a multi_render queue"),
        ('{"format": "multi_render.shots", "version": 3, "shots": []}', "not a multi_render queue"),
        ("[" * 100_000, "not JSON"),
    ],
)
def test_what_is_not_a_queue_is_refused(text: str, reason: str) -> None:
    with pytest.raises(QueueFileError, match=reason):
        queue_file.loads(text)


def good() -> dict:  # type: ignore[type-arg]
    return json.loads(queue_file.dumps(record()))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(version=2), "version 2: this multi_render reads version 1"),
        (lambda d: d.update(version=True), "version True"),
        (lambda d: d.update(run="__import__('os').system('x')"), "unknown keys \\['run'\\]"),
        (lambda d: d.update(blend="shop.blend"), "'blend' must be an absolute path"),
        (lambda d: d.update(owner=-1), "'owner' must be a whole number"),
        (lambda d: d.update(updated=float("nan")), "'updated' must be a number"),
        (lambda d: d.update(shots=[]), "'shots' must be a list of at least one shot"),
        (lambda d: d["shots"][1].update(status="EXPLODED"), "shot 2: unknown status 'EXPLODED'"),
        (lambda d: d["shots"][0].update(index="0"), "shot 1: 'index' must be a whole number"),
        (lambda d: d["shots"][0].pop("output"), "shot 1: must have exactly the keys"),
        (lambda d: d["shots"][2].update(name=None), "shot 3: 'name' must be text"),
    ],
)
def test_each_field_is_checked(change: object, reason: str) -> None:
    data = good()
    change(data)  # type: ignore[operator]
    with pytest.raises(QueueFileError, match=reason):
        queue_file.loads(json.dumps(data))


def test_an_oversized_or_unreadable_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "2-2.queue.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(QueueFileError, match="cannot be read"):
        queue_file.read(str(binary))
    with pytest.raises(QueueFileError, match="cannot be read"):
        queue_file.read(str(tmp_path / "missing.queue.jsonl"))


def test_left_behind_are_the_queues_whose_lock_nobody_holds(tmp_path: Path) -> None:
    queue_file.write(str(tmp_path / "1-1.queue.jsonl"), record(owner=1, updated=200.0))
    queue_file.write(str(tmp_path / "2-2.queue.jsonl"), record(owner=2, updated=100.0))
    (tmp_path / "3-3.queue.jsonl").write_text("{broken")
    (tmp_path / "notes.txt").write_text("not a queue")
    (tmp_path / ".writing-x.queue.jsonl").write_text("{half")  # a write under way
    running = FileLock(queue_file.lock_path(str(tmp_path / "1-1.queue.jsonl")))  # its Blender lives
    try:
        found = queue_file.left_behind(str(tmp_path), held=is_held)
    finally:
        running.release()
    assert [(os.path.basename(each.path), bool(each.problem)) for each in found] == [
        ("3-3.queue.jsonl", True),
        ("2-2.queue.jsonl", False),
    ]
    assert queue_file.left_behind(str(tmp_path / "nowhere"), held=is_held) == []


def test_a_lock_is_held_until_released_or_its_process_ends(tmp_path: Path) -> None:
    path = str(tmp_path / "a.queue.lock")
    assert not is_held(path)
    lock = FileLock(path)
    assert is_held(path)
    with pytest.raises(LockHeldError):
        FileLock(path)
    lock.release()
    assert not is_held(path) and os.path.exists(path)
    FileLock(path).release(remove=True)
    assert not os.path.exists(path)
    # Another process holds it while it lives; killed, the lock is gone with it.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import fcntl, sys, time; f = open({path!r}, 'a'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert is_held(path)
    finally:
        holder.kill()
        holder.wait()
    assert not is_held(path)


def test_a_resume_renders_every_shot_not_done_or_skipped_where_it_still_is() -> None:
    kept = record(statuses="DDRP SP")
    lists = {"Scene0": ["shot00", "shot01", "shot02", "shot03"], "Scene1": ["shot10", "shot11"]}
    assert queue_file.resume_places(kept, lists) == ({"Scene0": [2, 3], "Scene1": [1]}, [])
    moved = {"Scene0": ["shot00", "shot01", "shot03", "shot02"]}
    _places, problems = queue_file.resume_places(kept, moved)
    assert problems == [
        "Shot 'shot02' of scene 'Scene0' is no longer at place 3",
        "Shot 'shot03' of scene 'Scene0' is no longer at place 4",
        "Shot 'shot11': its scene 'Scene1' is no longer in the file",
    ]
    assert queue_file.resume_places(record(statuses="DS"), lists)[1] == [
        "Every shot of the queue is done: nothing remains to render"
    ]


def test_a_non_ascii_path_is_written_in_ascii_and_a_torn_line_of_it_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "1-1.queue.jsonl"
    queue_file.write(str(path), record(statuses="PP"))
    odd = QueuedShot("Scene0", 0, "shot00", ShotStatus.DONE, "/r/ünïcode\u2028line.png")
    line = queue_file.change_line(0, odd, 150.0)
    assert line.isascii()
    queue_file.append(str(path), line)
    assert queue_file.read(str(path)).shots[0].output == "/r/ünïcode\u2028line.png"
    queue_file.append(str(path), line[:20])
    assert queue_file.read(str(path)).shots[0].status == ShotStatus.DONE
