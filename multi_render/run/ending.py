# SPDX-License-Identifier: GPL-3.0-or-later
"""What a finished run keeps: its record in the history of each scene it
rendered (that scene's shots) and its contact sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import bpy

from ..core import run_record
from ..core.logs import logger
from ..core.run import QueueRun
from ..core.run_record import RunRecord
from ..props import runtime_state
from ..results import contact_sheet, history

log = logger(__name__)

# Called with each finished run's record (the add-on's notification); each
# returns a note for the report, or "".
run_end_listeners: list[Callable[[RunRecord], str]] = []


def record_run(run: QueueRun, started: datetime, report_text: str) -> RunRecord:
    """The run's record (the command line's --json), also added to the
    history of each of its scenes."""
    when = started.isoformat(timespec="seconds")
    record = run_record.record_of(run, when, bpy.app.version_string, report_text)
    for name in dict.fromkeys(shot.scene for shot in run.shots):
        scene = bpy.data.scenes.get(name)
        if scene is None:
            continue
        own = run_record.record_of(run, when, bpy.app.version_string, report_text, scene=name)
        try:
            history.add(scene, own)
        except (AttributeError, TypeError, ValueError, RuntimeError):
            log.exception("could not add the run to the history")
    return record


def write_contact_sheet(record: RunRecord, target: str) -> str:
    """Write the run's contact sheet to `target` ("" for none); what the
    report adds about it."""
    images = run_record.images_of(record)
    if not target or not images:
        return ""
    try:
        written = contact_sheet.write(images, target)
    except (OSError, RuntimeError, ValueError) as error:
        log.warning("could not write the contact sheet: %s", error)
        return f". Contact sheet not written: {error}"
    runtime_state().last_contact_sheet = written
    return f". Contact sheet: {written}"


def announce(record: RunRecord) -> str:
    """Tell the listeners the run ended; their notes for the report. One
    that fails is logged and skipped: the run has ended either way."""
    notes = []
    for listener in run_end_listeners:
        try:
            notes.append(listener(record))
        except Exception as error:
            log.exception("a run-end listener failed")
            notes.append(f"Not notified: {type(error).__name__}: {error}")
    return "".join(f". {note}" for note in notes if note)
