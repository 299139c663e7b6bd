from multi_render.core import report
from multi_render.core.run import Action, QueueRun
from multi_render.core.status import RenderEvent, ShotStatus, says_stopped


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_run(count: int = 3, written: set[str] | None = None) -> tuple[QueueRun, Clock]:
    clock = Clock()
    files = written if written is not None else {f"/o/{i}.png" for i in range(count)}
    run = QueueRun([(i, f"s{i}", f"/o/{i}.png") for i in range(count)], clock=clock, is_written=files.__contains__)
    return run, clock


def render(run: QueueRun, *events: RenderEvent) -> None:
    run.started()
    for event in events:
        run.record(event)


OK = (RenderEvent.COMPLETE,)


def test_renders_every_shot_in_order() -> None:
    run, clock = make_run(3)
    order = []
    while (action := run.next_action(job_running=False)) == Action.START:
        assert run.current is not None
        order.append(run.current.index)
        render(run, *OK)
        clock.now += 2
    assert action == Action.FINISH
    assert order == [0, 1, 2]
    assert [s.status for s in run.shots] == [ShotStatus.DONE] * 3
    assert [s.seconds for s in run.shots] == [2.0, 2.0, 2.0]
    assert report.summary(run) == "Rendered 3 shots (6.0 s)"


def test_waits_while_the_render_job_still_exists() -> None:
    run, _ = make_run(2)
    assert run.next_action(job_running=False) == Action.START
    render(run, *OK)
    # The handlers have fired but Blender's job lingers: no new start yet.
    assert run.next_action(job_running=True) == Action.WAIT
    assert run.shots[0].status == ShotStatus.RENDERING
    assert run.next_action(job_running=False) == Action.START
    assert run.shots[0].status == ShotStatus.DONE
    assert run.position_text == "Shot 2/2: s1"


def test_cancel_stops_the_queue_and_leaves_later_shots_pending() -> None:
    run, _ = make_run(4)
    run.next_action(False)
    render(run, *OK)
    run.next_action(False)
    render(run, RenderEvent.CANCEL)
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [
        ShotStatus.DONE,
        ShotStatus.CANCELLED,
        ShotStatus.PENDING,
        ShotStatus.PENDING,
    ]
    text = report.summary(run)
    assert text.startswith("Rendered 1 shot, 1 cancelled, 2 not started: cancelled (")


def test_stop_requested_between_shots_finishes_without_starting() -> None:
    run, _ = make_run(3)
    run.next_action(False)
    render(run, *OK)
    run.request_stop("cancelled")
    assert run.next_action(job_running=True) == Action.WAIT
    assert run.next_action(job_running=False) == Action.FINISH
    assert [s.status for s in run.shots][:2] == [ShotStatus.DONE, ShotStatus.PENDING]


def test_a_render_without_result_or_file_fails_and_the_queue_goes_on() -> None:
    run, _ = make_run(3, written={"/o/2.png"})
    run.next_action(False)
    render(run)  # ended with neither complete nor cancel
    run.next_action(False)
    render(run, *OK)  # complete, but no file on disk
    run.next_action(False)
    render(run, *OK)
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.FAILED, ShotStatus.FAILED, ShotStatus.DONE]
    assert run.shots[0].reason == "the render ended without a result"
    assert "no whole image was written" in run.shots[1].reason
    assert report.is_error(run)
    assert "2 failed" in report.summary(run)


def test_start_failure_marks_the_shot_and_continues() -> None:
    run, _ = make_run(2)
    run.next_action(False)
    run.started()
    run.start_failed("Blender refused")
    assert run.next_action(False) == Action.START
    assert run.current is not None and run.current.index == 1
    assert run.shots[0].status == ShotStatus.FAILED


def test_abort_cancels_the_running_shot_only() -> None:
    run, _ = make_run(3)
    run.next_action(False)
    render(run)
    run.abort("another file was loaded")
    assert run.finished
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING, ShotStatus.PENDING]
    assert "another file was loaded" in report.summary(run)


def test_events_outside_a_render_are_ignored() -> None:
    run, _ = make_run(1)
    run.record(RenderEvent.CANCEL)  # e.g. the person's own F12 before the queue started a shot
    assert run.next_action(False) == Action.START
    render(run, *OK)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.DONE


def test_a_click_on_the_status_bar_just_before_the_end_is_a_stop() -> None:
    # Blender reports a render stopped with the progress bar's X as complete.
    run, clock = make_run(3)
    run.next_action(False)
    render(run, *OK[:-1])
    run.status_bar_clicked(at=clock.now + 5.0)
    run.record(RenderEvent.COMPLETE, at=clock.now + 5.4)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.CANCELLED
    assert run.shots[0].reason == "stopped from the progress bar"
    assert [s.status for s in run.shots][1:] == [ShotStatus.PENDING] * 2


def test_a_render_its_engine_says_was_stopped_is_cancelled_however_slow_the_stop() -> None:
    # Seen in CI (5.2, a loaded machine): Cycles took over 2 s to stop after
    # the X was clicked, then Blender reported the render complete. Cycles'
    # stats said "Cancelled" first.
    for ending in (RenderEvent.COMPLETE, RenderEvent.CANCEL):
        run, clock = make_run(2)
        run.next_action(False)
        render(run, *OK[:-1])
        run.status_bar_clicked(at=clock.now + 1.0)
        run.record(RenderEvent.STOPPED, at=clock.now + 30.0)
        run.record(ending, at=clock.now + 30.1)
        assert run.next_action(False) == Action.FINISH, ending
        assert [s.status for s in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING], ending


def test_only_the_engines_stop_notice_counts_as_one() -> None:
    assert says_stopped("Remaining: 01:01:20.39 | Mem: 1M | Cancelled")
    assert says_stopped("Cancelled")
    assert not says_stopped("Remaining: 01:01:20.12 | Mem: 1M | Sample 1665/1000000")
    assert not says_stopped("Mem: 1M | Cancelled | Sample 3/8")  # only the engine's status, which comes last
    assert not says_stopped("Time: 00:06.29 (Saving: 00:00.11)")


def test_an_earlier_status_bar_click_is_not_a_stop() -> None:
    run, clock = make_run(1)
    run.next_action(False)
    render(run, *OK[:-1])
    run.status_bar_clicked(at=clock.now + 1.0)
    run.record(RenderEvent.COMPLETE, at=clock.now + 3.5)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.DONE


def test_skip_existing_marks_shots_whose_files_exist() -> None:
    files = {"/o/0.png", "/o/2a.png", "/o/2b.png"}
    run = QueueRun(
        [(0, "s0", "/o/0.png"), (1, "s1", "/o/1.png"), (2, "s2", ("/o/2a.png", "/o/2b.png"))],
        is_written=files.__contains__,
        skip_existing=True,
    )
    assert run.next_action(False) == Action.START
    assert run.current is not None and run.current.index == 1
    render(run, *OK)
    files.add("/o/1.png")
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.SKIPPED, ShotStatus.DONE, ShotStatus.SKIPPED]
    assert report.summary(run).startswith("Rendered 1 shot, 2 skipped (")


def test_a_range_is_done_only_when_every_frame_is_on_disk() -> None:
    frames = ("/o/a0001.png", "/o/a0002.png", "/o/a0003.png")
    run = QueueRun([(0, "a", frames)], is_written={"/o/a0001.png", "/o/a0003.png"}.__contains__)
    run.next_action(False)
    render(run, *OK)
    run.next_action(False)
    assert run.shots[0].status == ShotStatus.FAILED
    assert run.shots[0].reason == "no whole image was written at '/o/a0002.png'"


def test_pause_holds_after_the_current_render_and_resume_goes_on() -> None:
    run, _ = make_run(3)
    run.next_action(False)
    render(run, *OK)
    run.pause()
    assert run.next_action(job_running=True) == Action.WAIT
    assert run.next_action(job_running=False) == Action.WAIT
    assert run.shots[0].status == ShotStatus.DONE
    assert run.position_text == "Paused before shot 2/3: s1"
    assert run.next_action(False) == Action.WAIT
    run.resume()
    assert run.next_action(False) == Action.START
    assert run.position_text == "Shot 2/3: s1"


def test_stop_while_paused_finishes() -> None:
    run, _ = make_run(2)
    run.next_action(False)
    render(run, *OK)
    run.pause()
    run.next_action(False)
    run.request_stop("cancelled")
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.DONE, ShotStatus.PENDING]


def test_render_ended_switches_on_with_the_first_end_event() -> None:
    run, _ = make_run(2)
    assert not run.render_ended
    run.next_action(False)
    render(run)
    assert not run.render_ended  # still rendering: the queue polls slowly
    run.record(RenderEvent.COMPLETE)
    assert run.render_ended  # Blender's job lingers: the queue polls fast
    assert run.next_action(job_running=False) == Action.START
    assert not run.render_ended


def _cancelled_render(sees_stop_keys: bool, esc: bool = False, click: bool = False) -> QueueRun:
    clock = Clock()
    run = QueueRun(
        [(i, f"s{i}", f"/o/{i}.png") for i in range(3)],
        clock=clock,
        is_written={"/o/0.png", "/o/1.png", "/o/2.png"}.__contains__,
        sees_stop_keys=sees_stop_keys,
    )
    run.next_action(False)
    render(run)
    if esc:
        run.stop_key_pressed()
    if click:
        run.status_bar_clicked(at=clock.now)
    run.record(RenderEvent.CANCEL, at=clock.now + 0.5)
    return run


def test_a_cancel_nobody_asked_for_is_a_failed_render_and_the_queue_goes_on() -> None:
    run = _cancelled_render(sees_stop_keys=True)
    assert run.next_action(False) == Action.START
    assert run.shots[0].status == ShotStatus.FAILED
    assert "error" in run.shots[0].reason
    assert not run.stop_reason


def test_a_cancel_after_esc_or_a_status_bar_click_stops_the_queue() -> None:
    for esc, click in ((True, False), (False, True)):
        run = _cancelled_render(sees_stop_keys=True, esc=esc, click=click)
        assert run.next_action(False) == Action.FINISH
        assert [s.status for s in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING, ShotStatus.PENDING]


def test_without_sight_of_the_keys_every_cancel_stops_the_queue() -> None:
    # Background mode: Ctrl+C cancels the render the same way an engine error does.
    run = _cancelled_render(sees_stop_keys=False)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.CANCELLED


def test_esc_outside_a_render_is_not_recorded() -> None:
    run, _ = make_run(1)
    run.stop_key_pressed()
    assert not run.shots[0].stop_key_pressed


def test_esc_as_a_render_completes_stops_the_queue_after_it() -> None:
    run, _ = make_run(3)
    run.next_action(False)
    render(run, *OK[:-1])
    run.stop_key_pressed()  # Blender had already written the image
    run.record(RenderEvent.COMPLETE)
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.DONE, ShotStatus.PENDING, ShotStatus.PENDING]
    assert run.stop_reason == "cancelled"


def test_a_slow_stop_from_the_progress_bar_clicked_twice_stops_the_queue() -> None:
    # Seen in CI (4.3, a loaded machine): the cancel came 2.3 s after the X
    # was clicked, and the person's second click came after it.
    clock = Clock()
    run = QueueRun([(0, "a", "/o/a.png"), (1, "b", "/o/b.png")], clock=clock, sees_stop_keys=True)
    run.next_action(False)
    render(run)
    run.status_bar_clicked(at=clock.now + 1.0)
    run.record(RenderEvent.CANCEL, at=clock.now + 3.3)
    run.status_bar_clicked(at=clock.now + 3.5)
    assert run.next_action(False) == Action.FINISH
    assert [s.status for s in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING]


def test_a_status_bar_click_long_before_an_engine_error_does_not_hide_it() -> None:
    clock = Clock()
    run = QueueRun([(0, "a", "/o/a.png"), (1, "b", "/o/b.png")], clock=clock, sees_stop_keys=True)
    run.next_action(False)
    render(run)
    run.status_bar_clicked(at=clock.now + 1.0)  # e.g. the person clicked a report
    run.record(RenderEvent.CANCEL, at=clock.now + 15.0)
    assert run.next_action(False) == Action.START
    assert run.shots[0].status == ShotStatus.FAILED


def test_a_broken_pass_file_fails_the_shot_and_a_missing_one_stops_a_skip() -> None:
    from multi_render.core.output_files import PassFolders
    from multi_render.core.run import Action, QueueRun
    from multi_render.core.status import RenderEvent, ShotStatus

    class Disk(PassFolders):
        def __init__(self) -> None:
            self.files = {"/p/A": ["/p/A/pass0001.png"], "/p/B": []}

        def complete(self, folder: str) -> bool:
            return bool(self.files[folder])

        def written_since(self, folder: str, started: float) -> list[str]:
            return self.files[folder]

        def present(self, folder: str) -> list[str]:
            return self.files[folder]

    disk = Disk()
    whole = {"/o/a.png", "/o/b.png"}
    run = QueueRun(
        [(0, "A", "/o/a.png", ["/p/A"]), (1, "B", "/o/b.png", ["/p/B"])],
        pass_check=disk,
        is_written=lambda path: path in whole,
        why_not_written=lambda _path: "the disk is full",
        skip_existing=True,
    )
    # A's image and pass are there: skipped, with its pass file listed; B's pass folder is empty.
    assert run.next_action(job_running=False) == Action.START
    assert run.shots[0].status == ShotStatus.SKIPPED and run.shots[0].pass_files == ("/p/A/pass0001.png",)
    run.started()
    disk.files["/p/B"] = ["/p/B/pass0001.png"]  # written, but not whole
    run.record(RenderEvent.COMPLETE, 1.0)
    assert run.next_action(job_running=False) == Action.FINISH
    assert run.shots[1].status == ShotStatus.FAILED
    assert run.shots[1].reason == "a render pass was not written whole at '/p/B/pass0001.png': the disk is full"


def test_pass_files_are_known_even_when_the_main_image_failed() -> None:
    """A full disk breaks the image and the passes alike: the broken pass
    files must be known, so that the Blender side removes them too."""
    from multi_render.core.output_files import PassFolders
    from multi_render.core.run import Action, QueueRun
    from multi_render.core.status import RenderEvent, ShotStatus

    class Disk(PassFolders):
        def written_since(self, folder: str, started: float) -> list[str]:
            return [f"{folder}/pass0001.exr"]

    run = QueueRun([(0, "A", "/o/a.png", ["/p/A"])], pass_check=Disk(), is_written=lambda _p: False)
    assert run.next_action(job_running=False) == Action.START
    run.started()
    run.record(RenderEvent.COMPLETE, 1.0)
    assert run.next_action(job_running=False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.FAILED
    assert run.shots[0].reason.startswith("no whole image was written at '/o/a.png'")
    assert run.shots[0].pass_files == ("/p/A/pass0001.exr",)


def test_skip_existing_is_each_shots_own() -> None:
    # A queue over two scenes: one scene skips existing files, the other not.
    run, _clock = make_run(2)
    run.shots[0].skip_if_written = True
    assert run.next_action(job_running=False) == Action.START
    assert run.current is run.shots[1]
    assert run.shots[0].status == ShotStatus.SKIPPED


def _listed(written: set[str]) -> QueueRun:
    """One shot of frames 1-3 and 7 (a frame list): two renders."""
    first, second = ("/o/1.png", "/o/2.png", "/o/3.png"), ("/o/7.png",)
    run = QueueRun([(0, "list", first + second), (1, "next", "/o/next.png")], is_written=written.__contains__)
    run.shots[0].segment_paths = (first, second)
    return run


def test_a_frame_list_renders_its_ranges_one_after_another() -> None:
    run = _listed({"/o/1.png", "/o/2.png", "/o/3.png", "/o/7.png", "/o/next.png"})
    started = []
    while run.next_action(job_running=False) == Action.START:
        assert run.current is not None
        started.append((run.current.name, run.current.segment))
        render(run, *OK)
    assert started == [("list", 0), ("list", 1), ("next", 0)]
    assert [shot.status for shot in run.shots] == [ShotStatus.DONE, ShotStatus.DONE]


def test_a_frame_list_render_that_fails_fails_the_shot_and_skips_the_rest_of_it() -> None:
    run = _listed({"/o/1.png", "/o/3.png", "/o/7.png", "/o/next.png"})
    started = []
    while run.next_action(job_running=False) == Action.START:
        assert run.current is not None
        started.append((run.current.name, run.current.segment))
        render(run, *OK)
    assert started == [("list", 0), ("next", 0)]
    assert run.shots[0].status == ShotStatus.FAILED
    assert run.shots[0].reason == "no whole image was written at '/o/2.png'"


def test_a_cancel_during_a_frame_list_stops_the_queue() -> None:
    run = _listed(set())
    run.next_action(False)
    render(run, RenderEvent.CANCEL)
    assert run.next_action(False) == Action.FINISH
    assert [shot.status for shot in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING]


def test_skip_existing_starts_a_frame_list_at_its_first_render_with_a_file_missing() -> None:
    clock = Clock()
    first, second = ("/o/1.png", "/o/2.png"), ("/o/7.png",)
    written = {"/o/1.png", "/o/2.png"}
    run = QueueRun([(0, "list", first + second)], is_written=written.__contains__, skip_existing=True, clock=clock)
    run.shots[0].segment_paths = (first, second)
    assert run.next_action(False) == Action.START
    assert run.current is not None and run.current.segment == 1
    run.started()
    clock.now += 4.0
    written.add("/o/7.png")
    run.record(RenderEvent.COMPLETE)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.DONE and run.shots[0].seconds == 4.0


def test_files_that_exist_never_skip_a_frame_list_between_its_renders() -> None:
    # Its later render's files were there from before; its first one was not.
    first, second = ("/o/1.png",), ("/o/7.png",)
    written = {"/o/7.png"}
    run = QueueRun([(0, "list", first + second)], is_written=written.__contains__, skip_existing=True)
    run.shots[0].segment_paths = (first, second)
    assert run.next_action(False) == Action.START and run.current is not None and run.current.segment == 0
    run.started()
    written.add("/o/1.png")
    run.record(RenderEvent.COMPLETE)
    assert run.next_action(False) == Action.START  # its second render, not SKIPPED
    assert run.current is not None and run.current.segment == 1 and run.shots[0].status == ShotStatus.RENDERING


def test_a_stop_during_a_frame_list_s_first_render_cancels_the_shot_even_if_the_render_completes() -> None:
    run = _listed({"/o/1.png", "/o/2.png", "/o/3.png"})
    run.next_action(False)
    run.started()
    run.request_stop("stopped")  # e.g. Esc as the render was ending
    run.record(RenderEvent.COMPLETE)
    assert run.next_action(False) == Action.FINISH
    assert run.shots[0].status == ShotStatus.CANCELLED
    assert run.shots[0].reason == "stopped after part 1/2 of its frame list"


def test_a_stop_between_a_frame_list_s_renders_cancels_the_shot() -> None:
    run = _listed({"/o/1.png", "/o/2.png", "/o/3.png"})
    run.next_action(False)
    render(run, *OK)
    run.pause()
    assert run.next_action(False) == Action.WAIT  # paused before its second render
    run.abort("stopped")
    assert [shot.status for shot in run.shots] == [ShotStatus.CANCELLED, ShotStatus.PENDING]
    assert run.shots[0].reason == "stopped after part 1/2 of its frame list"
