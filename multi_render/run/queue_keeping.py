# SPDX-License-Identifier: GPL-3.0-or-later
"""The running queue kept in the add-on's user folder (core/queue_file.py)
whenever a shot's status changes, and removed when the queue ends. Only a
Blender that quits or dies mid-queue leaves its file behind: the next one
finds it (`left_behind`) and offers Resume or Discard. A file that was never
saved has nothing to reopen, so its queue is not kept."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

import bpy

from ..core import processes, queue_file
from ..core.logs import logger
from ..core.queue_file import LeftBehind, QueuedShot, QueueRecord
from ..core.run import ShotRun
from ..core.status import ShotStatus
from ..props import runtime_state, scene_shots
from . import ADDON_MODULE

log = logger(__name__)


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
    """Keeps one run's file up to date while it runs."""

    def __init__(self, shots: Sequence[ShotRun], blend: str, started: str) -> None:
        self._shots = shots
        self._blend = blend
        self._started = started
        self.path = os.path.join(folder(), queue_file.file_name(os.getpid(), started))
        self._written: tuple[str, ...] = ()

    @classmethod
    def start(cls, shots: Sequence[ShotRun], started: str) -> QueueKeeper | None:
        """A keeper for a run of the open file; None when the file was never
        saved or the folder cannot be made (the run goes on unkept)."""
        if not bpy.data.filepath:
            return None
        try:
            keeper = cls(shots, os.path.abspath(bpy.data.filepath), started)
            keeper.note()
        except OSError as error:
            log.warning("the queue is not kept for a resume: %s", error)
            return None
        return keeper

    def note(self) -> None:
        """Write the file again if a status changed since the last write."""
        statuses = tuple(shot.status.value for shot in self._shots)
        if statuses == self._written:
            return
        record = QueueRecord(
            blend=self._blend,
            owner=os.getpid(),
            started=self._started,
            updated=time.time(),
            shots=tuple(
                QueuedShot(shot.scene, shot.index, shot.name, shot.status, _finished_output(shot))
                for shot in self._shots
            ),
        )
        try:
            queue_file.write(self.path, record)
            self._written = statuses
        except OSError as error:
            log.warning("could not keep the queue for a resume: %s", error)

    def discard(self) -> None:
        """The queue ended here: nothing is left to resume."""
        discard(self.path)


def _finished_output(shot: ShotRun) -> str:
    """What the list shows as the shot's file (run/progress.py): a done shot's."""
    return shot.output_path if shot.status == ShotStatus.DONE else ""


def discard(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        log.warning("could not remove the queue file %s: %s", path, error)


def left_behind() -> list[LeftBehind]:
    """Queues whose Blender quit or died before they ended."""
    found = queue_file.left_behind(folder(), alive=processes.running)
    return [each for each in found if each.record is None or each.record.owner != os.getpid()]


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


def resume_places(path: str) -> tuple[dict[str, list[int]], list[str]]:
    """The shots a resume of the queue at `path` renders, by scene, from the
    open file; or why it cannot. The shots it finished show as such again."""
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
