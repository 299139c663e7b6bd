# SPDX-License-Identifier: GPL-3.0-or-later
"""Render In: Background Process. The queue is checked here exactly as for
This Blender, then a copy of the file (unsaved changes included) is saved
to a temporary folder and a separate Blender renders it with the command
line's code (`render --events`, child_link.py on its side). This Blender
only follows: the shots' statuses, times and files as each one ends, the
render's own progress, and the same report. The person's scene, file path
and unsaved state are never touched, so they can edit, press F12 and save.

Stop ends the process at once; so do loading another file, disabling the
add-on and quitting (and the process ends itself when our pipe to it
closes, should this Blender die)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import bpy

from ..core import child_protocol, validation
from ..core.child_process import ChildProcess
from ..core.child_protocol import EndEvent, ShotEvent, StatsEvent
from ..core.logs import logger
from ..core.run import Action, FollowedRun, ShotRun
from ..core.run_record import RunRecord
from ..core.status import ShotStatus
from ..props import runtime_state
from ..shot import blender_names
from . import output_keeping, session
from .deferred import LayoutEnd
from .preparing import PreparedRun

log = logger(__name__)

# Run in the process: enable this add-on for its session (whatever its
# profile's preferences say) and run the command line's render.
_LAUNCH = (
    "import addon_utils, importlib, sys; "
    "addon_utils.enable({module!r}, default_set=False); "
    "sys.exit(importlib.import_module({module!r} + '.cli').execute(sys.argv[sys.argv.index('--') + 1:]))"
)


class BackgroundSession(session.QueueSession):
    renders_here = False

    def __init__(self, prepared: PreparedRun) -> None:
        super().__init__(prepared)
        assert isinstance(prepared.run, FollowedRun)  # preparing.py made it for a process to follow
        self.followed = prepared.run
        self.child: ChildProcess | None = None
        self._folder = ""  # the temporary folder of the copy
        self._stop_reason = ""  # why we ended the process, once we have
        self._child_sheet = ""  # the contact sheet the process wrote
        self._child_finished = False  # it reported the end of its run
        self._child_stop_reason = ""  # why its run stopped early, if it did
        self._child_sheet_note = ""  # what its report said of the contact sheet

    @classmethod
    def launch(
        cls, scene: bpy.types.Scene, only_remaining: bool = False, all_scenes: bool = False
    ) -> tuple[BackgroundSession | None, list[validation.Problem]]:
        """Check the shots, save the copy and start the process; or the problems."""
        queue, problems = cls.prepare(scene, only_remaining, all_scenes=all_scenes)
        if queue is None:
            return None, problems
        assert isinstance(queue, BackgroundSession)
        if problems := _unsaved_scenes(queue):
            return None, problems
        queue.warnings.extend(_not_in_the_copy())
        try:
            queue._start_process(scene)
        except (OSError, RuntimeError) as error:
            queue._remove_copy()
            return None, [validation.Problem(None, "run_in", f"Cannot start the background Blender: {error}")]
        return queue, []

    def _start_process(self, scene: bpy.types.Scene) -> None:
        self._folder = tempfile.mkdtemp(prefix="multi_render_")
        # The person's file name, so that Blender's {blend_name} is theirs in
        # the process too (an unsaved file: Blender's own word for it).
        unsaved = (blender_names.blend_name(scene) or "untitled") + ".blend"
        copy = os.path.join(self._folder, bpy.path.basename(bpy.data.filepath) or unsaved)
        # A copy: the open file keeps its path and unsaved state, Recent Files
        # stay. Remapped, so its images and libraries are found from there.
        bpy.ops.wm.save_as_mainfile(filepath=copy, copy=True, check_existing=False, compress=False, relative_remap=True)
        _share_disk_caches(copy)
        plan: dict[str, list[int]] = {}
        for shot in self.run.shots:
            plan.setdefault(shot.scene, []).append(shot.index)
        module = (__package__ or __name__).rpartition(".run")[0]  # the add-on: "bl_ext.<repo>.multi_render"
        argv = [
            bpy.app.binary_path,
            "--background",
            "--python-expr",
            _LAUNCH.format(module=module),
            "--",
            "render",
            copy,
            "--events",
            # name=value: a scene named "-x" must not read as an option
            f"--as-file={bpy.data.filepath}",
            f"--started={self.now.isoformat()}",
            f"--scene={scene.name}",
            f"--plan={json.dumps(list(plan.items()))}",
        ]
        # The same profile (inherited environment) and working directory, so
        # that relative paths and add-ons are what this Blender has.
        self.child = ChildProcess(argv, cwd=os.getcwd())

    # -- one step (the operator's timer) -------------------------------------------------
    def tick(self) -> Action:
        child = self.child
        if child is None:
            self.run.abort("no background process")
            return Action.FINISH
        ended = child.done  # before reading: nothing printed after this goes unread
        self._read(child)
        if self._child_finished and not self.run.finished:
            # Every file is written: no need to wait for Blender to shut down.
            self.followed.child_done(self._child_stop_reason)
        if ended and not self.run.finished:
            self._process_ended(child)
        if self.run.finished:
            return self._after_last_shot()
        if self.progress.due:
            self.progress.show()  # the time left
        self._autosave_if_due()
        return Action.WAIT

    def _read(self, child: ChildProcess) -> None:
        for line in child.lines():
            event = child_protocol.read_line(line)
            if event is not None:
                self._follow(event)

    def _follow(self, event: child_protocol.Event) -> None:
        if isinstance(event, ShotEvent):
            self._follow_shot(event)
        elif isinstance(event, StatsEvent):
            self.progress.render_progress = event.text
            self.progress.show()
        elif isinstance(event, EndEvent):
            self._child_sheet, self._child_sheet_note = event.contact_sheet, event.contact_sheet_note
            self._child_stop_reason = event.stop_reason
            self._child_finished = True

    def _follow_shot(self, event: ShotEvent) -> None:
        shots = self.run.shots
        if not 0 <= event.position < len(shots) or shots[event.position].name != event.name:
            log.warning("the background process reported a shot this run does not have: %s", event)
            return
        if event.status == ShotStatus.RENDERING:
            self.followed.child_started(event.position, event.started_wall)
        else:
            self.followed.child_ended(event.position, event.status, event.reason, event.seconds, event.pass_files)
        self.progress.render_progress = ""
        if event.status == ShotStatus.RENDERING:
            self._sync_shot(shots[event.position])
        else:
            self._settled(shots[event.position])  # its movie, if it asks for one, is made here
        self.progress.show()

    def _process_ended(self, child: ChildProcess) -> None:
        """The process is gone before its end report."""
        if self._stop_reason:
            self.run.abort(self._stop_reason)  # the shot it rendered: cancelled
            return
        if self.run.current is None:
            self.followed.child_done()
            return
        code = child.exit_code
        how = f"was killed (signal {-code})" if code is not None and code < 0 else f"ended with exit status {code}"
        tail = child.log_tail()
        lost = self.run.current
        self.followed.child_lost(f"the background Blender {how}" + (f": {tail}" if tail else ""))
        if lost is not None and lost.status == ShotStatus.FAILED:
            self._remove_unfinished(lost)  # a crash mid-write leaves a cut-off image or movie

    # -- what the operators ask ------------------------------------------------------------
    def request_stop(self, reason: str) -> None:
        """Stop means now: the process ends and its shot is cancelled."""
        self.stopping = True
        self._stop_reason = self._stop_reason or reason
        self._end_child()

    def set_paused(self, paused: bool) -> None:
        """Pause: the process finishes its shot and holds before the next."""
        if self.child is not None:
            self.child.send(child_protocol.PAUSE if paused else child_protocol.RESUME)
        super().set_paused(paused)

    def abort(self, reason: str, layout: LayoutEnd = "later") -> None:
        # The process ends first, and what it said before it ended is read:
        # a shot it finished is not taken for a cancelled one (and removed),
        # nothing it writes afterwards is taken for a finished file.
        self._end_child()
        super().abort(reason, layout)

    def internal_error(self, error: Exception) -> None:
        self._end_child()
        super().internal_error(error)

    def before_save(self) -> None:
        pass  # the scene is the person's own all along

    def after_save(self) -> None:
        pass

    def _scene_is_persons(self) -> bool:
        return True

    def end(self, layout: LayoutEnd = "later") -> str:
        self._end_child()
        try:
            return super().end(layout)
        finally:
            self._remove_copy()

    def _write_contact_sheet(self, record: RunRecord) -> str:
        # The process wrote it (so this Blender never waits for it).
        if self._child_sheet:
            runtime_state().last_contact_sheet = self._child_sheet
        return self._child_sheet_note

    def _remove_unfinished(self, shot: ShotRun) -> None:
        # A killed process may also leave a cut-off frame of a range.
        super()._remove_unfinished(shot)
        output_keeping.remove_broken(shot)

    def _end_child(self) -> None:
        if self.child is not None:
            self.child.kill()
            if not self.run.finished:
                self._read(self.child)

    def _remove_copy(self) -> None:
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = ""


def _unsaved_scenes(queue: BackgroundSession) -> list[validation.Problem]:
    """A scene with no user (made in Python with `Scene.copy()`) is not
    written into a saved file, so the process would not find it."""
    for shot in queue.shots:
        scene = bpy.data.scenes.get(shot.scene)
        if scene is not None and scene.users == 0:
            message = (
                f"Scene '{shot.scene}' has no user, so Blender would not save it into the copy the background "
                "process renders: render it in This Blender, or give it a user (its Fake User, for one)"
            )
            return [validation.Problem(shot.index, "run_in", message)]
    return []


def _not_in_the_copy() -> list[str]:
    """What the saved copy cannot carry: said, not refused."""
    return [
        f"Image '{image.name}' has unsaved changes: the background process renders the file on disk"
        for image in bpy.data.images
        if image.is_dirty and image.packed_file is None and image.source == "FILE"
    ][:3]


def _share_disk_caches(copy: str) -> None:
    """Baked physics in disk caches sit beside the .blend in
    `blendcache_<name>`: the copy (same name, another folder) finds them
    through a link. Where links cannot be made it simulates again."""
    if not bpy.data.filepath:
        return
    name = "blendcache_" + os.path.splitext(os.path.basename(bpy.data.filepath))[0]
    cache = os.path.join(os.path.dirname(bpy.data.filepath), name)
    if os.path.isdir(cache):
        try:
            os.symlink(cache, os.path.join(os.path.dirname(copy), name), target_is_directory=True)
        except OSError as error:
            log.warning("the background process will not see the disk cache %s: %s", cache, error)
