# SPDX-License-Identifier: GPL-3.0-or-later
"""What the one message at the end of a run says: a webhook's body (the
run's record, the same document `render --json` prints, or a chat text that
Discord and Slack both show) and the text of a desktop notification."""

from __future__ import annotations

import json

from . import run_record
from .run_record import RunRecord
from .status import ShotStatus

# Discord reads "content", Slack "text": one body serves both.
CHAT_KEYS = ("content", "text")


def headline(record: RunRecord, file_name: str) -> str:
    """ "shots.blend: Rendered 12 shots (3 min 4 s)"; the report when no file."""
    return f"{file_name}: {record.report}" if file_name else record.report


def details(record: RunRecord) -> str:
    """The report, then each shot that did not render with its reason (a
    desktop notification's body)."""
    lines = [record.report]
    lines += [
        f"- {shot.name}: {shot.status.lower()}" + (f" ({shot.reason})" if shot.reason else "")
        for shot in record.shots
        if shot.status not in (ShotStatus.DONE.value, ShotStatus.SKIPPED.value)
    ]
    return "\n".join(lines)


def title(file_name: str) -> str:
    """ "Multi Render: shots.blend"; "Multi Render" for an unsaved file."""
    return f"Multi Render: {file_name}" if file_name else "Multi Render"


def chat_text(record: RunRecord, file_name: str) -> str:
    """The title and the details in one text."""
    return f"{title(file_name)}: {details(record)}"


def webhook_body(record: RunRecord, file_name: str, chat: bool) -> bytes:
    """JSON to POST: the run's record, or the chat text."""
    if chat:
        text = chat_text(record, file_name)
        return json.dumps(dict.fromkeys(CHAT_KEYS, text), ensure_ascii=False).encode()
    return run_record.as_json(record).encode()
