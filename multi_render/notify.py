# SPDX-License-Identifier: GPL-3.0-or-later
"""One message when a run ends, as the preferences ask: a desktop
notification (on Linux, the desktop's notification service over the D-Bus
session bus; on macOS and Windows their own notification programs), a
webhook (the run's record or a chat text), both sent off Blender's main
thread with a short timeout, the webhook only with Blender's Allow Online
Access on; and a short sound.
Sent for runs in a Blender with windows; from `blender -b` or the command
line only when asked (`render --notify`)."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import bpy

from . import prefs
from .core import dbus_wire, desktop_command, notification
from .core.logs import logger
from .core.run_record import RunRecord
from .run import ending

log = logger(__name__)

# Seconds a webhook may take; the run has ended already, nothing waits on it.
WEBHOOK_TIMEOUT_SECONDS = 5.0
_asked_in_background = False


def send_in_background(asked: bool = True) -> None:
    """The command line's --notify: send even without windows."""
    global _asked_in_background
    _asked_in_background = asked


def run_ended(record: RunRecord) -> str:
    """Send what the preferences ask for; a note for the run's report
    ("" when there is nothing to say)."""
    if bpy.app.background and not _asked_in_background:
        return ""
    settings = prefs.preferences()
    file_name = os.path.basename(bpy.data.filepath)
    notes = []
    url = settings.notify_webhook_url.strip()
    if url:
        if not bpy.app.online_access:
            notes.append("Webhook not sent: Allow Online Access is off")
        else:
            body = notification.webhook_body(record, file_name, settings.notify_webhook_chat)
            threading.Thread(target=_post, args=(url, body), name="multi_render-webhook", daemon=True).start()
    if settings.notify_desktop:
        summary, text = notification.title(file_name), notification.details(record)
        threading.Thread(target=_desktop, args=(summary, text), name="multi_render-notify", daemon=True).start()
    if settings.notify_sound:
        _play_sound()
    return ". ".join(notes)


def _desktop(summary: str, text: str) -> None:  # a thread: no Blender data here
    if sys.platform != "linux":
        _desktop_by_program(summary, text)
        return
    address = dbus_wire.session_socket(os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
    if address is None:
        log.info("no desktop notification: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS)")
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as bus:
            bus.settimeout(WEBHOOK_TIMEOUT_SECONDS)
            bus.connect(address)
            bus.sendall(dbus_wire.auth_external(os.getuid()))
            answer = bus.recv(256)
            if not answer.startswith(b"OK "):
                raise OSError(f"the session bus refused the connection: {answer[:80]!r}")
            bus.sendall(
                b"BEGIN\r\n" + dbus_wire.hello(1) + dbus_wire.notify(2, "Blender", summary, text, icon="blender")
            )
            received = b""
            # The bus answers Hello, announces our name, then routes Notify
            # (answered by the notification service, or an error without one).
            while dbus_wire.whole_messages(received) < 3:
                chunk = bus.recv(4096)
                if not chunk:
                    break
                received += chunk
    except OSError as error:  # timeouts included: the run is over either way
        log.warning("no desktop notification: %s", error)


def _desktop_by_program(summary: str, text: str) -> None:
    """macOS and Windows: their own notification program (not proven here:
    the tests run on Linux)."""
    command = desktop_command.desktop_command(sys.platform, summary, text)
    if command is None:
        log.info("no desktop notification on %s", sys.platform)
        return
    # No console window flashing up on Windows (CREATE_NO_WINDOW; 0 elsewhere).
    no_window = 0x08000000 if sys.platform == "win32" else 0
    try:
        done = subprocess.run(
            command.argv,
            env={**os.environ, **command.environment},
            capture_output=True,
            timeout=WEBHOOK_TIMEOUT_SECONDS * 2,
            check=False,
            creationflags=no_window,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("no desktop notification: %s", error)
        return
    if done.returncode != 0:
        log.warning("no desktop notification: %s", done.stderr.decode(errors="replace").strip()[-300:])


def _post(url: str, body: bytes) -> None:  # a thread: no Blender data here
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as answer:
            log.info("webhook answered %s", answer.status)
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.warning("the webhook %s was not reached: %s", url, getattr(error, "reason", error))


def _play_sound() -> None:
    """A short two-note chime through Blender's own audio (aud)."""
    try:
        aud = importlib.import_module("aud")  # Blender's audio; a Blender built without audio lacks it
        chime = aud.Sound.sine(880).limit(0, 0.15).join(aud.Sound.sine(1320).limit(0, 0.25)).volume(0.3)
        aud.Device().play(chime)
    except Exception as error:  # no audio device: the run is over either way
        log.info("no sound played: %s", error)


def register() -> None:
    if run_ended not in ending.run_end_listeners:
        ending.run_end_listeners.append(run_ended)


def unregister() -> None:
    while run_ended in ending.run_end_listeners:
        ending.run_end_listeners.remove(run_ended)
