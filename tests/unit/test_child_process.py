"""The background process's protocol and the child process reader, with a
plain Python child standing in for Blender (the real one is in tests/e2e)."""

from __future__ import annotations

import sys
import time

from multi_render.core import child_protocol
from multi_render.core.child_process import ChildProcess
from multi_render.core.child_protocol import EndEvent, ShotEvent, StatsEvent
from multi_render.core.status import ShotStatus


def test_events_survive_the_line_and_other_lines_are_not_events() -> None:
    shot = ShotEvent(2, "Night", 'Cam "A", {x}', ShotStatus.DONE, "", 1.5, 1700000000.25, ("/o/p_0001.exr",))
    assert child_protocol.read_line(child_protocol.shot_line(shot)) == shot
    assert child_protocol.read_line(child_protocol.stats_line("Sample 3/16")) == StatsEvent("Sample 3/16")
    end = EndEvent("cancelled")
    assert child_protocol.read_line(child_protocol.end_line(end)) == end
    assert child_protocol.read_line("Fra:1 Mem:18.13M | Sample 3/16\n") is None
    assert child_protocol.read_line(child_protocol.MARKER + "{not json\n") is None
    assert child_protocol.read_line(child_protocol.MARKER + '{"type": "shot", "position": 1}\n') is None
    assert child_protocol.read_line(child_protocol.MARKER + '{"type": "other"}\n') is None


def test_the_renders_own_progress_is_read_from_blenders_statistics() -> None:
    cycles = "Fra:1 Mem:10.45M (Peak 10.45M) | Time:00:00.10 | Remaining:00:00.03 | Scene, ViewLayer | Sample 3/16"
    assert child_protocol.render_progress(cycles) == "Sample 3/16"
    assert child_protocol.render_progress("Fra:1 | Scene, ViewLayer | Rendering 5 / 64 samples") == (
        "Rendering 5 / 64 samples"
    )
    assert child_protocol.render_progress("Fra:1 Mem:10M | Time:00:00.01 | Synchronizing object | Cube") == ""


CHILD = """
import sys
print("a stray line")
print("@multi_render first", flush=True)
print("an error line", file=sys.stderr, flush=True)
for line in sys.stdin:
    print("@multi_render got " + line.strip(), flush=True)
    if line.strip() == "quit":
        sys.exit(3)
"""


def wait_for(condition: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_output_is_read_without_waiting_and_commands_reach_the_child() -> None:
    child = ChildProcess([sys.executable, "-c", CHILD])
    lines: list[str] = []
    wait_for(lambda: lines.extend(child.lines()) or len(lines) >= 2)
    assert lines == ["a stray line\n", "@multi_render first\n"]
    child.send("pause")
    child.send("quit")
    wait_for(lambda: child.done)
    assert child.lines() == ["@multi_render got pause\n", "@multi_render got quit\n"]
    assert child.exit_code == 3
    assert child.log_tail() == "an error line"
    child.send("after the end")  # ignored, no error


def test_kill_ends_the_process_at_once() -> None:
    child = ChildProcess([sys.executable, "-c", "import time; time.sleep(60)"])
    started = time.monotonic()
    child.kill()
    assert child.exit_code is not None and (child.exit_code < 0 or sys.platform == "win32")
    assert time.monotonic() - started < 5
    wait_for(lambda: child.done)


def test_a_shots_command_carries_a_plan_and_nothing_else() -> None:
    line = child_protocol.shots_command([('Night "1"', [0, 3])])
    assert "\n" not in line
    assert child_protocol.read_plan(line + "\n") == [('Night "1"', [0, 3])]
    assert child_protocol.read_plan("pause\n") is None
    assert child_protocol.read_plan('shots [["Night", ["__import__(\'os\')"]]]') is None  # data only
    assert child_protocol.read_plan("shots {not json") is None
