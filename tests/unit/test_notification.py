"""The message at the end of a run (core/notification.py): the run's record
as `render --json` prints it, or one text Discord and Slack both show."""

import json

from multi_render.core.notification import chat_text, details, title, webhook_body
from multi_render.core.run_record import RunRecord, ShotRecord

RECORD = RunRecord(
    started="2026-11-29T10:00:00",
    seconds=12.5,
    blender="5.2.2 LTS",
    report="Rendered 2 shots, 1 failed (12.5 s)",
    shots=(
        ShotRecord("Front", "DONE", 4.0, ("/r/Front.png",)),
        ShotRecord("Side, left", "FAILED", 0.5, (), "no camera"),
        ShotRecord("Top", "SKIPPED", 0.0, ("/r/Top.png",)),
        ShotRecord("Back", "CANCELLED", 0.0, ()),
    ),
)


def test_the_record_is_the_command_lines_document() -> None:
    body = json.loads(webhook_body(RECORD, "shots.blend", chat=False))
    assert body["format"] == "multi_render.run" and body["version"] == 1
    assert [shot["name"] for shot in body["shots"]] == ["Front", "Side, left", "Top", "Back"]
    assert body["shots"][1]["reason"] == "no camera"


def test_the_chat_text_names_what_did_not_render() -> None:
    text = chat_text(RECORD, "shots.blend")
    assert text.splitlines() == [
        "Multi Render: shots.blend: Rendered 2 shots, 1 failed (12.5 s)",
        "- Side, left: failed (no camera)",
        "- Back: cancelled",
    ]
    body = json.loads(webhook_body(RECORD, "shots.blend", chat=True))
    assert body == {"content": text, "text": text}


def test_a_desktop_notification_has_the_file_as_title_and_the_details_as_body() -> None:
    assert title("shots.blend") == "Multi Render: shots.blend"
    assert title("") == "Multi Render"  # an unsaved file
    assert details(RECORD).splitlines()[0] == RECORD.report
    assert chat_text(RECORD, "") == f"Multi Render: {details(RECORD)}"
