"""A range shot's movie (core/movie.py): where it goes, its job as data
the encoding Blender reads back (never run), and the report's words."""

import json

import pytest

from multi_render.core import movie, report
from multi_render.core.run import QueueRun
from multi_render.core.status import RenderEvent


@pytest.mark.parametrize(
    ("expanded", "expected"),
    [
        ("{shot}", "/renders/spin/{shot}.mp4"),
        ("Spin", "/renders/spin/Spin.mp4"),
        ("../movies/Spin.mp4", "/renders/movies/Spin.mp4"),
        ("//movies/Spin", "/project/movies/Spin.mp4"),
        ("/elsewhere/Spin.MP4", "/elsewhere/Spin.MP4"),
    ],
)
def test_the_movie_goes_beside_the_frames_unless_told(expanded: str, expected: str) -> None:
    assert movie.movie_path(expanded, "/renders/spin/Spin_0001.png", "/project", "H264") == expected


def test_prores_is_a_mov_and_frame_tokens_are_refused() -> None:
    assert movie.movie_path("Spin", "/r/Spin_0001.png", "/p", "PRORES") == "/r/Spin.mov"
    assert "leave {frame} out" in movie.template_problem("{shot}_{frame}")
    assert movie.template_problem("  ") == "movie path: it is empty"
    assert movie.template_problem("{shot}") == ""


def test_a_job_carries_blender_s_names_for_the_format_and_the_rate() -> None:
    job = movie.encode_job(["/r/a_0001.png", "/r/a_0002.png"], "/r/a.mov", "PRORES", (25, 1.001))
    document = json.loads(job.as_json())
    assert document["format"] == movie.JOB_FORMAT
    assert (document["container"], document["codec"], document["fps"], document["fps_base"]) == (
        "QUICKTIME",
        "PRORES",
        25,
        1.001,
    )
    assert document["frames"] == ["/r/a_0001.png", "/r/a_0002.png"]


def test_the_report_counts_movies_and_names_the_ones_not_made() -> None:
    run = QueueRun([(0, "Spin", "/r/a.png"), (1, "Turn", "/r/b.png")], is_written=lambda _path: True)
    for _shot in run.shots:
        run.next_action(False)
        run.started()
        run.record(RenderEvent.COMPLETE)
    run.next_action(False)
    run.shots[0].movie_written = "/r/Spin.mp4"
    run.shots[1].movie_note = "Blender wrote no movie"
    text = report.summary(run)
    assert text.endswith(". 1 movie made. No movie of Turn: Blender wrote no movie")
