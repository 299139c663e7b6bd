# SPDX-License-Identifier: GPL-3.0-or-later
"""What the one message at the end of a run says: a webhook's body (the
run's record, the same document `render --json` prints, or a chat text that
Discord and Slack both show) and its one-line text."""

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


def chat_text(record: RunRecord, file_name: str) -> str:
    """The headline, then each shot that did not render with its reason."""
    lines = [f"Multi Render: {headline(record, file_name)}"]
    lines += [
        f"- {shot.name}: {shot.status.lower()}" + (f" ({shot.reason})" if shot.reason else "")
        for shot in record.shots
        if shot.status not in (ShotStatus.DONE.value, ShotStatus.SKIPPED.value)
    ]
    return "\n".join(lines)


def webhook_body(record: RunRecord, file_name: str, chat: bool) -> bytes:
    """JSON to POST: the run's record, or the chat text."""
    if chat:
        text = chat_text(record, file_name)
        return json.dumps(dict.fromkeys(CHAT_KEYS, text), ensure_ascii=False).encode()
    return run_record.as_json(record).encode()
