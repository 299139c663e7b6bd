"""One message when a run ends: the webhook set in the preferences gets one
POST per run (the run's record, or a chat text), from a real Blender window
to a real HTTP server on 127.0.0.1; with Allow Online Access off nothing is
sent and the report says why; a webhook that never answers does not hold
the end of the run. The desktop notification reaches a real D-Bus session
bus (dbus-daemon), where dbus-monitor records the Notify call."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from setups import THREE_SHOTS

from testkit.blender_app import BlenderApp

PREFERENCES = """
bpy.context.preferences.system.use_online_access = {online}
addon = next(name for name in bpy.context.preferences.addons.keys() if name.endswith("multi_render"))
settings = bpy.context.preferences.addons[addon].preferences
settings.notify_webhook_url = {url!r}
settings.notify_webhook_chat = {chat}
"""
ENDED = "not bpy.context.window_manager.multi_render.is_running and bpy.context.window_manager.multi_render.last_report"
REPORT = "bpy.context.window_manager.multi_render.last_report"


class Webhook:
    """An HTTP server that keeps every POST; while `hold` is clear it keeps
    the request waiting, as a webhook that never answers would."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, Any]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        webhook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                webhook.posts.append((self.path, json.loads(body)))
                webhook.arrived.set()
                webhook.hold.wait(60)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_posts(self, count: int, timeout: float = 60) -> list[tuple[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.posts) < count:
            assert time.monotonic() < deadline, f"{len(self.posts)} POST(s) after {timeout} s, not {count}"
            time.sleep(0.1)
        return self.posts


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    server = Webhook()
    yield server
    server.hold.set()
    server.server.shutdown()


def run_queue(blender: BlenderApp, tmp_path: object, run_in: str = "THIS_BLENDER") -> str:
    blender.exec(THREE_SHOTS.format(output=str(tmp_path)) + f"\nscene.multi_render.run_in = {run_in!r}\n")
    blender.key("ctrl+shift+F12")
    return str(blender.wait_until(ENDED, timeout=60))


@pytest.mark.parametrize("run_in", ["THIS_BLENDER", "BACKGROUND"])
def test_one_post_per_run_with_the_runs_record(
    blender: BlenderApp, tmp_path: object, webhook: Webhook, run_in: str
) -> None:
    """In a background process too: the person's Blender sends it, the
    process (blender -b) does not."""
    blender.exec(PREFERENCES.format(online=True, url=webhook.url + "/run", chat=False))
    assert run_queue(blender, tmp_path, run_in).startswith("Rendered 3 shots")
    ((path, record),) = webhook.wait_posts(1)
    assert path == "/run"
    assert record["format"] == "multi_render.run" and record["report"].startswith("Rendered 3 shots")
    assert [shot["status"] for shot in record["shots"]] == ["DONE"] * 3
    assert all(shot["files"] for shot in record["shots"])
    time.sleep(2)  # a second POST for the same run would have come by now
    assert len(webhook.posts) == 1


def test_a_chat_text_for_discord_and_slack(blender: BlenderApp, tmp_path: object, webhook: Webhook) -> None:
    blender.exec(PREFERENCES.format(online=True, url=webhook.url, chat=True))
    run_queue(blender, tmp_path)
    ((_path, body),) = webhook.wait_posts(1)
    assert body["content"] == body["text"]
    assert body["text"].startswith("Multi Render: ") and "Rendered 3 shots" in body["text"]


def test_without_online_access_nothing_is_sent(blender: BlenderApp, tmp_path: object, webhook: Webhook) -> None:
    blender.exec(PREFERENCES.format(online=False, url=webhook.url, chat=False))
    assert "Webhook not sent: Allow Online Access is off" in run_queue(blender, tmp_path)
    time.sleep(2)  # what a sent POST would take here, many times over
    assert webhook.posts == []


def test_a_webhook_that_never_answers_does_not_hold_the_run(
    blender: BlenderApp, tmp_path: object, webhook: Webhook
) -> None:
    webhook.hold.clear()
    blender.exec(PREFERENCES.format(online=True, url=webhook.url, chat=False))
    report = run_queue(blender, tmp_path)
    assert report.startswith("Rendered 3 shots")
    assert webhook.arrived.wait(30)
    # The run ended (its report is shown) while the webhook still holds the request.
    assert not webhook.hold.is_set() and blender.eval(REPORT) == report
    assert blender.eval("bpy.context.window_manager.multi_render.is_running") is False


@pytest.fixture
def session_bus(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A session bus of the test's own, and what dbus-monitor sees of
    org.freedesktop.Notifications on it (no notification service runs: the
    call is recorded, and answered with an error). Ask for it before
    `blender`, whose environment then names the bus."""
    folder = tmp_path_factory.mktemp("bus")
    address = f"unix:path={folder / 'bus'}"
    with subprocess.Popen(
        ["dbus-daemon", "--session", f"--address={address}", "--nofork", "--print-address"], stdout=subprocess.PIPE
    ) as daemon:
        assert daemon.stdout is not None and daemon.stdout.readline()  # listening once it prints its address
        seen = folder / "monitor.txt"
        with (
            seen.open("w") as record,
            subprocess.Popen(
                ["dbus-monitor", "--address", address, "interface='org.freedesktop.Notifications'"], stdout=record
            ) as monitor,
        ):
            deadline = time.monotonic() + 30
            while "NameLost" not in seen.read_text():  # it has turned itself into a monitor
                assert time.monotonic() < deadline, "dbus-monitor did not start"
                time.sleep(0.1)
            monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
            yield seen
            monitor.terminate()
        daemon.terminate()


def test_a_desktop_notification_over_the_session_bus(session_bus: Path, blender: BlenderApp, tmp_path: object) -> None:
    blender.exec(PREFERENCES.format(online=False, url="", chat=False) + "settings.notify_desktop = True\n")
    run_queue(blender, tmp_path)
    deadline = time.monotonic() + 30
    while "member=Notify" not in session_bus.read_text():
        assert time.monotonic() < deadline, session_bus.read_text()
        time.sleep(0.1)
    time.sleep(2)  # a second call for the same run would have come by now
    seen = session_bus.read_text()
    assert seen.count("member=Notify") == 1
    call = seen[seen.index("member=Notify") :]
    assert 'string "Blender"' in call and 'string "Multi Render"' in call  # app name; the summary (no file)
    assert 'string "Rendered 3 shots' in call  # the body: the run's report
