# SPDX-License-Identifier: GPL-3.0-or-later
"""The running queue kept in the add-on's user folder (core/queue_file.py)
whenever a shot's status changes, and removed when the queue ends. Only a
Blender that quits or dies mid-queue leaves its file behind: the next one
finds it (`left_behind`: nobody holds its lock) and offers Resume or
Discard. A file that was never saved has nothing to reopen, so its queue is
not kept."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import bpy

from ..core import queue_file
from ..core.file_lock import FileLock, LockHeldError, is_held
from ..core.logs import logger
from ..core.queue_file import LeftBehind, QueuedShot, QueueRecord
from ..core.run import ShotRun
from ..core.status import ShotStatus
from ..props import runtime_state, scene_shots
from . import ADDON_MODULE

log = logger(__name__)

# Queues this Blender kept when its window closed mid-queue (it lives on):
# their locks stay held, so no other Blender offers them, until this one
# starts another queue (the person has moved on) or ends (the next Blender
# offers them).
_kept_here: list[QueueKeeper] = []
# Left-behind queues this Blender is resuming: claimed (locked) so that no
# other Blender resumes or discards them meanwhile.
_claims: dict[str, FileLock] = {}


def folder() -> str:
    """Where queues are kept: the extension's user folder, which survives an
    update of the add-on (a legacy add-on: Blender's config folder)."""
    try:
        return str(bpy.utils.extension_path_user(ADDON_MODULE, path="queues", create=True))
    except (ValueError, RuntimeError, AttributeError):
        path = os.path.join(bpy.utils.user_resource("CONFIG"), "multi_render", "queues")
        os.makedirs(path, exist_ok=True)
        return path


class QueueKeeper:
    """Keeps one run's file up to date while it runs, holding its lock."""

    def __init__(self, shots: Sequence[ShotRun], blend: str, started: str) -> None:
        self._shots = shots
        self._blend = blend
        self._started = started
        self.path = os.path.join(folder(), queue_file.file_name(os.getpid(), started))
        self._lock = FileLock(queue_file.lock_path(self.path))
        self._written: list[QueuedShot] = []  # the shots as the file says them
        self._places = {id(shot): place for place, shot in enumerate(shots)}
        self._broken = False  # a change could not be written: none is written after it

    @classmethod
    def start(cls, shots: Sequence[ShotRun], started: str) -> QueueKeeper | None:
        """A keeper for a run of the open file; None when the file was never
        saved or the folder cannot be made (the run goes on unkept)."""
        while _kept_here:
            _kept_here.pop().discard()
        if not bpy.data.filepath:
            return None
        keeper = None
        try:
            keeper = cls(shots, os.path.abspath(bpy.data.filepath), started)
            keeper.note()
        except OSError as error:
            log.warning("the queue is not kept for a resume: %s", error)
            if keeper is not None:
                keeper.discard()
            return None
        return keeper

    def note(self, shot: ShotRun | None = None) -> None:
        """Write what changed: the whole queue the first time (its error is
        the caller's), then a line when `shot` (or, without one, any shot)
        changed since it was written."""
        if not self._written:
            written = [_queued(each) for each in self._shots]
            record = QueueRecord(self._blend, os.getpid(), self._started, time.time(), tuple(written))
            queue_file.write(self.path, record)
            self._written = written
            return
        if self._broken:
            return
        known = shot is not None and id(shot) in self._places
        places = [self._places[id(shot)]] if known else range(len(self._shots))
        now, lines = time.time(), []
        for place in places:
            queued = _queued(self._shots[place])
            if queued != self._written[place]:
                self._written[place] = queued
                lines.append(queue_file.change_line(place, queued, now))
        try:
            if lines:
                queue_file.append(self.path, "".join(lines))
        except OSError as error:
            # A line may be cut short: anything after it would be read as
            # damage. The file keeps what it had (a resume renders more).
            self._broken = True
            log.warning("could not keep the queue for a resume any more: %s", error)

    def end(self, blender_ended_it: bool) -> None:
        """The queue ended. Kept only if Blender itself ended it (quit, its
        window closed) with shots left to render; else removed."""
        self.note()
        unfinished = any(shot.status not in {ShotStatus.DONE, ShotStatus.SKIPPED} for shot in self._shots)
        if blender_ended_it and unfinished:
            _kept_here.append(self)  # the lock stays held while this Blender lives
        else:
            self.discard()

    def discard(self) -> None:
        _remove(self.path)
        self._lock.release(remove=True)


def _queued(shot: ShotRun) -> QueuedShot:
    # Its file as the list shows it (run/progress.py): a done shot's.
    output = shot.output_path if shot.status == ShotStatus.DONE else ""
    return QueuedShot(shot.scene, shot.index, shot.name, shot.status, output)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        log.warning("could not remove the queue file %s: %s", path, error)


def release_all() -> None:
    """The add-on is disabled: let every lock of this Blender go, keeping the
    queues' files (kept ones are offered by the next Blender; claimed ones
    are left as they were)."""
    while _kept_here:
        _kept_here.pop()._lock.release()
    for path in list(_claims):
        unclaim(path)


def left_behind() -> list[LeftBehind]:
    """Queues whose Blender quit or died before they ended."""
    return queue_file.left_behind(folder(), held=is_held)


# -- the queues offered for a resume -------------------------------------------------


def refresh_offers() -> int:
    """Look for unfinished queues again (at startup, on file load, after a
    resume or discard) and list them in the runtime state, which the panel
    draws without reading the disk. How many there are."""
    try:
        found = left_behind()
    except OSError as error:
        log.warning("could not look for unfinished queues: %s", error)
        found = []
    listed = runtime_state().queue_offers
    listed.clear()
    for each in found:
        offer = listed.add()
        offer.path = each.path
        offer.problem = each.problem
        if each.record is not None:
            offer.text = each.record.offer_text()
            offer.blend = each.record.blend
    return len(found)


def is_open_file(blend: str) -> bool:
    return bool(bpy.data.filepath) and os.path.normcase(os.path.abspath(bpy.data.filepath)) == os.path.normcase(blend)


def claim(path: str) -> str:
    """Hold a left-behind queue for this Blender ("" once held, else why not)."""
    if path in _claims:
        return ""
    try:
        _claims[path] = FileLock(queue_file.lock_path(path))
    except LockHeldError:
        return "another Blender is resuming or running this queue"
    except OSError as error:
        return f"its lock cannot be taken: {error}"
    return ""


def unclaim(path: str, remove: bool = False) -> None:
    """Let a claimed queue go: removed (resumed or discarded), or left as it was."""
    lock = _claims.pop(path, None)
    if remove:
        _remove(path)
    if lock is not None:
        lock.release(remove=remove)


def resume_places(path: str) -> tuple[dict[str, list[int]], list[str]]:
    """Claim the queue at `path`; the shots its resume renders, by scene,
    from the open file, or why it cannot (unclaimed again). The shots it
    finished show as such again."""
    if problem := claim(path):
        return {}, [problem]
    chosen, problems = _places_in_open_file(path)
    if problems:
        unclaim(path)
    return chosen, problems


def _places_in_open_file(path: str) -> tuple[dict[str, list[int]], list[str]]:
    try:
        record = queue_file.read(path)
    except queue_file.QueueFileError as error:
        return {}, [f"The queue file {path} {error}"]
    if not is_open_file(record.blend):
        return {}, [f"The queue renders {record.blend}, not the open file"]
    lists = {scene.name: [shot.name for shot in scene_shots(scene).shots] for scene in bpy.data.scenes}
    chosen, problems = queue_file.resume_places(record, lists)
    if not problems:
        for shot in record.shots:
            names = lists.get(shot.scene, [])
            if shot.finished and shot.index < len(names) and names[shot.index] == shot.name:
                item = scene_shots(bpy.data.scenes[shot.scene]).shots[shot.index]
                item.status, item.output = shot.status.value, shot.output
    return chosen, problems
