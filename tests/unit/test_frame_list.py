"""Frame lists (core/frame_list.py): "1-10, 15, 20-30:2, !5" into frames,
every wrong part named, never evaluated, and back into text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from multi_render.core.frame_list import (
    MAX_TEXT,
    FrameListError,
    as_text,
    frames_of,
    parse,
    runs,
    segments,
    summary,
)
from multi_render.core.shots import MAX_FRAME, FrameRange


@pytest.mark.parametrize(
    ("text", "frames"),
    [
        ("7", [7]),
        ("1-4", [1, 2, 3, 4]),
        ("1-9:3", [1, 4, 7]),
        ("1-10, 15, 20-30:2, !5", [1, 2, 3, 4, 6, 7, 8, 9, 10, 15, 20, 22, 24, 26, 28, 30]),
        ("15, 1-3, 2", [1, 2, 3, 15]),  # any order, duplicates collapse
        ("!2, 1-3", [1, 3]),  # an exclusion anywhere in the list
        (" 0 - 2 : 2 ,4", [0, 2, 4]),  # blanks around anything
        ("1-5, !2-4", [1, 5]),
        (f"{MAX_FRAME}", [MAX_FRAME]),
    ],
)
def test_lists_give_their_frames(text: str, frames: list[int]) -> None:
    assert parse(text) == frames


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "names no frame"),
        ("1-3, !1-3", "leaves no frame"),
        ("1-3,,5", "part 2 is empty"),
        ("1-3,", "part 2 is empty"),
        ("1-x", "part 1 '1-x': not a frame N, a range A-B or a stepped range A-B:S"),
        ("2, 3.5", "part 2 '3.5': not a frame"),
        ("1, -5", "part 2 '-5': frames start at 0"),
        ("!-5", "frames start at 0"),
        ("5-1", "part 1 '5-1': the range ends before it starts"),
        ("1-9:0", "a step must be 1 or more"),
        (f"1-{MAX_FRAME + 1}", f"goes past {MAX_FRAME}"),
        ("__import__('os')", "part 1 '__import__('os')': not a frame"),
        ("1" * (MAX_TEXT + 1), "longer than"),
    ],
)
def test_a_wrong_part_is_named(text: str, message: str) -> None:
    with pytest.raises(FrameListError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_the_text_of_frames_reads_back_as_the_same_frames() -> None:
    frames = parse("1-10, 15, 20-30:2, !5")
    assert as_text(frames) == "1-4, 6-10, 15, 20-30:2"
    assert as_text([1, 3, 4, 10, 16, 22]) == "1, 3-4, 10-22:6"
    assert parse(as_text(frames)) == frames
    assert runs([3, 1, 2, 7]) == [(1, 3), (7, 7)]


def test_the_summary_the_shot_details_show() -> None:
    assert summary(parse("1-10, 15, 20-30:2, !5")) == "16 frames: 1-4, 6-10, 15, 20-30:2"
    assert summary(parse("1, 3-4, 7-8, 11-12, 15-16, 19-20")) == "11 frames: 1, 3-4, 7-8, 11-12, 15-16, ..."
    assert summary([12]) == "1 frame: 12"


@given(st.text(alphabet="0123456789-:!, x", max_size=40))
def test_any_text_gives_frames_or_a_message(text: str) -> None:
    try:
        frames = parse(text)
    except FrameListError:
        return
    assert frames == sorted(set(frames)) and all(0 <= frame <= MAX_FRAME for frame in frames)
    assert parse(as_text(frames)) == frames


@given(st.sets(st.integers(min_value=0, max_value=5000), min_size=1, max_size=60))
def test_any_frames_round_trip(frames: set[int]) -> None:
    assert parse(as_text(sorted(frames))) == sorted(frames)


def test_a_list_renders_in_stepped_ranges() -> None:
    assert segments(parse("1-3, 5-9:2, 20")) == [FrameRange(1, 3, 1), FrameRange(5, 9, 2), FrameRange(20, 20, 1)]
    assert segments([4]) == [FrameRange(4, 4, 1)]


@given(st.sets(st.integers(min_value=0, max_value=500), min_size=1, max_size=80))
def test_segments_cover_exactly_the_frames(frames: set[int]) -> None:
    found = segments(sorted(frames))
    covered = [frame for segment in found for frame in segment.frames]
    assert covered == sorted(frames)  # each frame once, in order
    assert all(segment.step >= 1 for segment in found)


def test_a_shot_s_frames_are_its_list_or_else_its_range() -> None:
    assert frames_of(1, 5, 2, "") == [1, 3, 5]
    assert frames_of(1, 5, 2, "  ") == [1, 3, 5]
    assert frames_of(1, 5, 2, "7, 9") == [7, 9]
    with pytest.raises(FrameListError):
        frames_of(1, 5, 2, "7-")


def test_a_list_naming_too_many_frames_is_refused_before_they_are_made() -> None:
    from multi_render.core.frame_list import MAX_FRAMES

    assert len(parse(f"0-{MAX_FRAMES - 1}")) == MAX_FRAMES
    with pytest.raises(FrameListError, match=f"names more than {MAX_FRAMES} frames"):
        parse(", ".join(["0-1048574"] * 900))
