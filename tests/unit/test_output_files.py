import os
import time
from pathlib import Path

from multi_render.core.output_files import LateFiles, remove_broken, remove_if_written_since, remove_written_since_in

PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _file(path: Path, content: bytes, age_seconds: float = 0.0) -> str:
    path.write_bytes(content)
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(path, (then, then))
    return str(path)


def test_only_a_file_written_since_the_start_is_removed(tmp_path: Path) -> None:
    started = time.time()
    new = _file(tmp_path / "new.png", b"x")
    old = _file(tmp_path / "old.png", b"x", age_seconds=60)
    assert remove_if_written_since(new, started)
    assert not remove_if_written_since(old, started)
    assert not remove_if_written_since(str(tmp_path / "missing.png"), started)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.png"]


def test_broken_files_of_this_run_are_removed_whole_and_older_ones_stay(tmp_path: Path) -> None:
    started = time.time()
    whole = _file(tmp_path / "whole.png", b"\x89PNG" + PNG_END)
    empty = _file(tmp_path / "empty.png", b"")
    cut = _file(tmp_path / "cut.png", b"\x89PNG\x00\x01")
    older_empty = _file(tmp_path / "older.png", b"", age_seconds=60)
    removed = remove_broken([whole, empty, cut, older_empty, str(tmp_path / "never.png")], started)
    assert removed == [empty, cut]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["older.png", "whole.png"]


def test_late_files_are_looked_for_again_then_forgotten(tmp_path: Path) -> None:
    late = LateFiles()
    started = time.time()
    path = tmp_path / "late.png"
    late.expect(str(path), started)
    _file(path, b"unfinished")  # written after the queue ended
    late.remove_all()
    assert not path.exists()
    _file(path, b"the next run's file")
    late.remove_all()  # forgotten after the first look
    assert path.exists()


def test_a_stopped_shots_pass_folder_loses_only_what_it_wrote(tmp_path: Path) -> None:
    started = time.time()
    old = _file(tmp_path / "old_pass.png", b"x", age_seconds=60)
    new = _file(tmp_path / "new_pass.png", b"x")
    (tmp_path / "sub").mkdir()
    _file(tmp_path / "sub" / "nested.png", b"x")
    assert remove_written_since_in(str(tmp_path), started) == [new]
    assert os.path.exists(old) and (tmp_path / "sub" / "nested.png").exists()
    assert remove_written_since_in(str(tmp_path / "missing"), started) == []
    late = LateFiles()
    late.expect_folder(str(tmp_path), started)
    written_late = _file(tmp_path / "late_pass.png", b"x")
    late.remove_all()
    assert not os.path.exists(written_late) and os.path.exists(old)
