"""The run background processes render (core/pool.py): which process takes
which shot, what their reports do, and the retries of a lost process."""

from __future__ import annotations

from multi_render.core import estimate, report
from multi_render.core.pool import LOST_EARLY, PoolRun, threads_each
from multi_render.core.status import ShotStatus

KILLED = "the background Blender was killed (signal 9)"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_pool(count: int = 3, retries: int = 0) -> tuple[PoolRun, Clock]:
    clock = Clock()
    run = PoolRun([(i, f"s{i}", f"/o/{i}.png") for i in range(count)], clock=clock)
    run.retries = retries
    return run, clock


def statuses(run: PoolRun) -> list[ShotStatus]:
    return [shot.status for shot in run.shots]


def test_one_process_is_followed_shot_by_shot() -> None:
    run, clock = make_pool(3)
    assert run.take_next(0) == 0
    run.child_ended(0, ShotStatus.SKIPPED, "its file exists", 0.0, ())
    assert run.take_next(0) == 1
    run.child_started(1, started_wall=1234.5)
    assert run.rendering and run.current is run.shots[1] and run.shots[1].started_wall == 1234.5
    assert run.position_text == "Shot 2/3: s1"
    clock.now += 3
    run.child_ended(1, ShotStatus.DONE, "", 2.5, ("/o/pass.exr",))
    assert not run.rendering and run.shots[1].pass_files == ("/o/pass.exr",)
    assert run.take_next(0) == 2
    run.child_started(2, started_wall=1240.0)
    assert run.take_next(0) is None and run.all_given_out()
    run.child_ended(2, ShotStatus.DONE, "", 1.0, ())
    assert run.finished
    assert statuses(run) == [ShotStatus.SKIPPED, ShotStatus.DONE, ShotStatus.DONE]


def test_free_processes_take_the_next_shot_so_long_and_short_shots_balance() -> None:
    run, _clock = make_pool(5)
    assert (run.take_next(0), run.take_next(1)) == (0, 1)
    for position in (0, 1):
        run.child_started(position, started_wall=1.0)
    assert run.position_text == "Shots 1, 2/5: s0, s1"
    # Shot 0 is long: process 1 does shots 1, 2 and 3 meanwhile.
    for position in (1, 2, 3):
        run.child_ended(position, ShotStatus.DONE, "", 1.0, ())
        following = run.take_next(1)
        if following is not None:
            run.child_started(following, started_wall=2.0)
    assert run.held_by(1) == 4 and run.held_by(0) == 0
    assert run.take_next(0) is None  # nothing is left
    run.child_ended(4, ShotStatus.DONE, "", 1.0, ())
    assert not run.finished  # shot 0 still renders
    run.child_ended(0, ShotStatus.DONE, "", 9.0, ())
    assert run.finished and statuses(run) == [ShotStatus.DONE] * 5


def test_a_paused_pool_gives_out_nothing_and_says_so_once_idle() -> None:
    run, _clock = make_pool(2)
    assert run.take_next(0) == 0
    run.child_started(0, started_wall=1.0)
    run.pause()
    assert run.take_next(1) is None and not run.all_given_out()
    run.child_ended(0, ShotStatus.DONE, "", 1.0, ())
    assert not run.finished
    assert run.position_text == "Paused before shot 2/2: s1"
    run.resume()
    assert run.take_next(1) == 1


def lose_the_first_of_two(run: PoolRun) -> None:
    """Processes 0 and 1 render shots 0 and 1; process 0 is killed."""
    assert (run.take_next(0), run.take_next(1)) == (0, 1)
    run.child_started(0, started_wall=1.0)
    run.child_started(1, started_wall=1.0)
    assert run.process_lost(0, KILLED) is None


def test_a_process_lost_mid_shot_has_it_tried_again_and_history_keeps_why() -> None:
    run, _clock = make_pool(2, retries=1)
    lose_the_first_of_two(run)
    assert run.shots[0].status == ShotStatus.PENDING and not run.stop_reason
    assert run.take_next(2) == 0  # the next free process takes it: the first shot not given out
    run.child_started(0, started_wall=2.0)
    run.child_ended(0, ShotStatus.DONE, "", 1.0, ())
    run.child_ended(1, ShotStatus.DONE, "", 1.0, ())
    assert run.finished and statuses(run) == [ShotStatus.DONE, ShotStatus.DONE]
    assert run.shots[0].reason == f"try 1: {KILLED}"
    assert run.tries_of(0) == 1


def test_a_shot_whose_tries_ran_out_fails_and_the_others_finish_theirs() -> None:
    run, _clock = make_pool(3, retries=1)
    lose_the_first_of_two(run)
    assert run.take_next(0) == 0
    run.child_started(0, started_wall=2.0)
    failed = run.process_lost(0, KILLED + " again")
    assert failed is run.shots[0] and failed.status == ShotStatus.FAILED
    assert failed.reason == f"{KILLED} again (try 1: {KILLED})"
    assert run.stop_reason == LOST_EARLY and not run.finished  # process 1 still renders
    assert run.take_next(0) is None and run.all_given_out()
    run.child_ended(1, ShotStatus.DONE, "", 1.0, ())
    assert run.finished
    assert statuses(run) == [ShotStatus.FAILED, ShotStatus.DONE, ShotStatus.PENDING]
    assert "1 failed, 1 not started" in report.summary(run)


def test_a_process_lost_before_it_rendered_is_not_tried_again() -> None:
    # It could not even start (e.g. the copy does not load): the next would not either.
    run, _clock = make_pool(3, retries=3)
    assert run.take_next(0) == 0
    failed = run.process_lost(0, "the background Blender ended with exit status 1: no such add-on")
    assert failed is run.shots[0]
    assert run.finished and statuses(run) == [ShotStatus.FAILED, ShotStatus.PENDING, ShotStatus.PENDING]


def test_a_process_that_rendered_before_has_a_shot_it_lost_early_tried_again() -> None:
    # E.g. killed for memory while preparing its second shot.
    run, _clock = make_pool(2, retries=1)
    assert run.take_next(0) == 0
    run.child_started(0, started_wall=1.0)
    run.child_ended(0, ShotStatus.DONE, "", 1.0, ())
    assert run.take_next(0) == 1
    assert run.process_lost(0, KILLED, proven=True) is None
    assert run.shots[1].status == ShotStatus.PENDING and not run.stop_reason
    assert run.take_next(0) == 1


def test_a_process_that_cancelled_says_why() -> None:
    run, _clock = make_pool(2)
    assert run.take_next(0) == 0
    run.child_started(0, started_wall=1.0)
    run.child_ended(0, ShotStatus.CANCELLED, "", 1.0, ())
    run.child_stopped("internal error: KeyError: 'x'")
    assert run.stop_reason == "internal error: KeyError: 'x'"
    run.child_stopped("")
    assert run.stop_reason == "internal error: KeyError: 'x'"


def test_an_engine_error_is_the_shots_own_and_not_retried() -> None:
    run, _clock = make_pool(2, retries=2)
    assert run.take_next(0) == 0
    run.child_started(0, started_wall=1.0)
    run.child_ended(0, ShotStatus.FAILED, "the render engine reported an error", 1.0, ())
    assert run.take_next(0) == 1 and not run.stop_reason


def test_a_process_that_cancelled_its_shot_stops_the_pool() -> None:
    run, _clock = make_pool(3)
    assert (run.take_next(0), run.take_next(1)) == (0, 1)
    run.child_started(0, started_wall=1.0)
    run.child_ended(0, ShotStatus.CANCELLED, "", 1.0, ())
    assert run.stop_reason == "cancelled" and run.take_next(0) is None


def test_stopping_a_pool_cancels_every_shot_in_flight() -> None:
    run, _clock = make_pool(3)
    assert (run.take_next(0), run.take_next(1)) == (0, 1)
    run.child_started(0, started_wall=1.0)
    run.child_started(1, started_wall=1.0)
    run.abort("stopped")
    assert run.finished
    assert statuses(run) == [ShotStatus.CANCELLED, ShotStatus.CANCELLED, ShotStatus.PENDING]
    assert run.take_next(0) is None


def test_the_time_left_counts_every_process() -> None:
    run, clock = make_pool(4)
    for slot in (0, 1):
        position = run.take_next(slot)
        assert position is not None
        run.child_started(position, started_wall=1.0)
        clock.now += 10
        run.child_ended(position, ShotStatus.DONE, "", 10.0, ())
    for slot in (0, 1):
        position = run.take_next(slot)
        assert position is not None
        run.child_started(position, started_wall=1.0)
    # Two shots of about 10 s each left, rendering side by side: about 10 s, not 20.
    assert estimate.seconds_left(run, {}, clock.now, parallel=2) == 10.0
    assert estimate.seconds_left(run, {}, clock.now) == 20.0


def test_the_cores_are_shared_out_between_processes() -> None:
    assert threads_each(1, 16) == 0  # one process: Blender's own choice
    assert threads_each(2, 8) == 4
    assert threads_each(3, 8) == 2
    assert threads_each(4, 2) == 1  # never none
    assert threads_each(2, None) == 1  # cores unknown


def test_a_process_is_given_its_next_shot_ahead_only_while_plenty_wait() -> None:
    run, _clock = make_pool(5)
    assert (run.take_next(0), run.take_next(1)) == (0, 1)
    assert run.plenty_left(2)  # 3 wait for 2 processes
    assert run.take_next(0) == 2  # ahead, behind shot 0
    assert not run.plenty_left(2)  # the last 2 go to whichever process is free
    run.pause()
    assert not run.plenty_left(1)


def test_a_lost_process_gives_back_the_shot_it_was_given_ahead() -> None:
    run, _clock = make_pool(4, retries=1)
    assert (run.take_next(0), run.take_next(0)) == (0, 1)  # shot 1 given ahead
    run.child_started(0, started_wall=1.0)
    assert run.process_lost(0, KILLED) is None
    assert statuses(run)[:2] == [ShotStatus.PENDING, ShotStatus.PENDING]
    assert run.tries_of(0) == 1 and run.tries_of(1) == 0  # shot 1 never started: no try counted
    assert (run.take_next(1), run.take_next(1)) == (0, 1)
