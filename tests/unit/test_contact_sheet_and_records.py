"""Contact sheet layout and run records (history, --json)."""

import json

import pytest

from multi_render.core.contact_sheet import GAP, LABEL_HEIGHT, MAX_TILE, fit, layout_for
from multi_render.core.run import QueueRun
from multi_render.core.run_record import as_json, images_of, record_of
from multi_render.core.status import ShotStatus


@pytest.mark.parametrize(("count", "grid"), [(1, (1, 1)), (2, (2, 1)), (4, (2, 2)), (5, (3, 2)), (100, (10, 10))])
def test_a_near_square_grid(count: int, grid: tuple[int, int]) -> None:
    layout = layout_for(count, (64, 64))
    assert (layout.columns, layout.rows) == grid
    assert layout.size == (GAP + grid[0] * (64 + GAP), GAP + grid[1] * (64 + LABEL_HEIGHT + GAP))


def test_tiles_keep_the_aspect_and_stay_small() -> None:
    layout = layout_for(3, (1920, 1080), labels=False)
    assert layout.tile == (MAX_TILE, 144) and layout.label_height == 0
    assert layout.tile_origin(0) == (GAP, GAP)
    assert layout.tile_origin(2) == (GAP, GAP + 144 + GAP)  # 2 columns: the third starts row 2
    assert fit((100, 400), (256, 144)) == (36, 144)
    with pytest.raises(ValueError):
        layout_for(0, (1, 1))


def test_a_run_record_lists_what_each_shot_wrote() -> None:
    clock = iter([0.0, 1.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    run = QueueRun(
        [(0, "A", "/o/a.png"), (1, "B", ["/o/b1.png", "/o/b2.png"]), (2, "C", "/o/c.png")],
        clock=lambda: next(clock),
        is_written=lambda _p: True,
    )
    run.shots[0].status, run.shots[1].status = ShotStatus.DONE, ShotStatus.SKIPPED
    run.shots[2].status, run.shots[2].reason = ShotStatus.FAILED, "camera deleted"
    record = record_of(run, "2026-11-25T12:00:00", "5.2.2", "Rendered 1 shot")
    assert [shot.files for shot in record.shots] == [("/o/a.png",), ("/o/b1.png", "/o/b2.png"), ()]
    assert images_of(record) == [("A", "/o/a.png"), ("B", "/o/b1.png")]
    document = json.loads(as_json(record))
    assert document["format"] == "multi_render.run" and document["blender"] == "5.2.2"
    assert document["shots"][2] == {
        "name": "C",
        "status": "FAILED",
        "seconds": 0.0,
        "files": [],
        "reason": "camera deleted",
        "scene": "",
    }


def test_a_scenes_history_gets_its_own_shots() -> None:
    run = QueueRun([(0, "A", "/o/a.png"), (0, "A", "/o/other_a.png")], is_written=lambda _p: True)
    run.shots[0].scene, run.shots[1].scene = "Day", "Night"
    whole = record_of(run, "2026-11-25T12:00:00", "5.2.2", "report")
    night = record_of(run, "2026-11-25T12:00:00", "5.2.2", "report", scene="Night")
    assert [shot.scene for shot in whole.shots] == ["Day", "Night"]
    assert [(shot.scene, shot.name) for shot in night.shots] == [("Night", "A")]
