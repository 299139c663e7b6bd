"""Other Files (core/file_queue.py): which paths may be .blend files, the
command a file's process runs, and what its exit code, JSON record and
last lines say became of it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from multi_render.core import file_queue
from multi_render.core.child_protocol import STATS_PREFIX
from multi_render.core.status import ShotStatus


def test_only_what_begins_like_a_blend_file_may_render(tmp_path: Path) -> None:
    plain, zstd, old = tmp_path / "a.blend", tmp_path / "b.blend", tmp_path / "c.blend"
    plain.write_bytes(b"BLENDER-v500RENDH...")
    zstd.write_bytes(b"\x28\xb5\x2f\xfd\x00\x00")
    old.write_bytes(gzip.compress(b"BLENDER-v293"))
    assert [file_queue.blend_problem(str(path)) for path in (plain, zstd, old)] == ["", "", ""]
    text = tmp_path / "notes.blend"
    text.write_text("hello")
    assert file_queue.blend_problem(str(text)) == f"{text}: not a .blend file"
    assert file_queue.blend_problem(str(tmp_path / "gone.blend")) == f"{tmp_path / 'gone.blend'}: no such file"
    assert file_queue.blend_problem(str(tmp_path)) == f"{tmp_path}: a folder, not a .blend file"
    assert file_queue.blend_problem("shots.blend") == "shots.blend: not an absolute path"
    assert file_queue.blend_problem("") == "no file chosen: not an absolute path"


def test_the_process_renders_one_file_and_reports_in_json() -> None:
    assert file_queue.render_arguments("/w/a.blend", "ANIMATION") == [
        "render",
        "/w/a.blend",
        "--json",
        "--no-shots=animation",
        "--followed",
    ]
    with pytest.raises(ValueError, match="unknown choice"):
        file_queue.render_arguments("/w/a.blend", "MOVIE")


def record(*shots: tuple[str, str, list[str], str]) -> str:
    document = {
        "format": "multi_render.run",
        "version": 1,
        "report": "Rendered ...",
        "shots": [{"name": n, "status": s, "files": f, "reason": r} for n, s, f, r in shots],
    }
    return "Blender's own line\n" + json.dumps(document, indent=2)


def test_a_file_whose_shots_are_all_done_is_done() -> None:
    output = record(("A", "DONE", ["/r/A.png"], ""), ("B", "SKIPPED", ["/r/B.png"], "its file exists"))
    result = file_queue.result_of(0, output, "")
    assert result == file_queue.FileResult(ShotStatus.DONE, "2 shots done, 2 files", ("/r/A.png", "/r/B.png"))


def test_the_record_is_found_among_other_lines() -> None:
    output = 'Read blend: "/w/{odd}.blend"\n' + record(("A", "DONE", ["/r/A.png"], "")) + "\nAn add-on says bye {}\n"
    assert file_queue.result_of(0, output, "").status == ShotStatus.DONE


def test_a_failed_shot_fails_the_file_with_its_reason() -> None:
    output = record(("A", "DONE", ["/r/A.png"], ""), ("B", "FAILED", [], "the engine reported an error"))
    result = file_queue.result_of(1, output, "")
    assert (result.status, result.text) == (ShotStatus.FAILED, "B: the engine reported an error")


def test_without_a_record_the_command_s_own_message_says_why() -> None:
    tail = "Read blend ...\nmulti_render: /w/a.blend: scene 'Scene' has no camera\n"
    assert file_queue.result_of(1, "", tail) == file_queue.FileResult(
        ShotStatus.FAILED, "/w/a.blend: scene 'Scene' has no camera"
    )
    killed = file_queue.result_of(-9, '{"broken', "Fra:1 ...")
    assert killed.text == "the background Blender ended with code -9"


def test_the_render_s_progress_is_its_last_statistics() -> None:
    tail = "\n".join(
        [
            f"{STATS_PREFIX}Mem: 1M | Synchronizing object",
            "some other line | Sample 9/9",
            f"{STATS_PREFIX}Remaining: 00:03.1 | Mem: 1M | Sample 5/16",
            "Saved: '/r/A.png'",
        ]
    )
    assert file_queue.render_progress(tail) == "Sample 5/16"
    older = f"{STATS_PREFIX}Fra:12 Mem:27.43M (Peak 27.80M) | Time:00:00.46 | Scene, ViewLayer | Sample 3/16"
    assert file_queue.render_progress(older) == "Frame 12: Sample 3/16"
    assert file_queue.render_progress("nothing yet") == ""
