from multi_render.core.estimate import duration_text, left_text, seconds_left
from multi_render.core.run import QueueRun
from multi_render.core.status import RenderEvent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_run(frames: list[int]) -> tuple[QueueRun, Clock]:
    clock = Clock()
    shots = [(i, f"s{i}", [f"/o/{i}_{f}.png" for f in range(count)]) for i, count in enumerate(frames)]
    written = {path for _i, _name, files in shots for path in files}
    return QueueRun(shots, clock=clock, is_written=written.__contains__), clock


def render_one(run: QueueRun, clock: Clock, seconds: float) -> None:
    run.next_action(False)
    run.started()
    clock.now += seconds
    run.record(RenderEvent.COMPLETE)
    run.next_action(False)


def test_nothing_to_go_on_gives_no_estimate_then_this_runs_pace_counts_frames() -> None:
    run, clock = make_run([1, 1, 4])
    assert seconds_left(run, {}, clock.now) is None
    render_one(run, clock, 10.0)
    # 10 s a frame: shot 2 (1 frame) is rendering from now, shot 3 has 4 frames.
    run.started()
    assert seconds_left(run, {}, clock.now) == 10.0 + 40.0
    clock.now += 4.0
    assert seconds_left(run, {}, clock.now) == 6.0 + 40.0  # it shrinks while shot 2 renders


def test_earlier_runs_give_the_first_estimate() -> None:
    run, clock = make_run([1, 1])
    assert seconds_left(run, {0: 30.0, 1: 60.0}, clock.now) == 90.0
    assert seconds_left(run, {0: 30.0}, clock.now) is None  # one shot never rendered: no guess


def test_never_zero_while_a_render_runs_longer_than_expected() -> None:
    run, clock = make_run([1, 1])
    render_one(run, clock, 2.0)
    run.started()
    clock.now += 50.0
    left = seconds_left(run, {}, clock.now)
    assert left is not None and left >= 1.0
    assert left_text(left) == " - about 1 s left"


def test_durations_read_like_a_person_says_them() -> None:
    assert [duration_text(s) for s in (0.2, 40, 59.4, 61, 150, 3600, 3900)] == [
        "1 s",
        "40 s",
        "59 s",
        "1 min",
        "2 min",
        "1 h 0 min",
        "1 h 5 min",
    ]
    assert left_text(None) == ""
