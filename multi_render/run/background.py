# SPDX-License-Identifier: GPL-3.0-or-later
"""Render In: Background Process. The queue is checked here exactly as for
This Blender, then a copy of the file (unsaved changes included) is saved
to a temporary folder and separate Blenders render it with the command
line's code (`render --serve`, child_link.py on their side): one, or as
many as the scene's Processes, each taking the next shot when it is free
(core/pool.py decides), the processor's cores shared out between them.
This Blender only follows: the shots' statuses, times and files as each one
ends, the renders' own progress, and the same report, contact sheet and
movies. The person's scene, file path and unsaved state are never touched,
so they can edit, press F12 and save.

Stop ends every process at once; so do loading another file, disabling the
add-on and quitting (and each process ends itself when our pipe to it
closes, should this Blender die). A process lost mid-shot has its shot
tried again on a new one while the preferences' Retries allow."""

from __future__ import annotations

import collections
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping

import bpy

from ..core import child_protocol, memory, validation
from ..core.child_process import ChildProcess
from ..core.child_protocol import EndEvent, ShotEvent, StatsEvent
from ..core.logs import logger
from ..core.pool import PoolRun, threads_each
from ..core.run import Action, ShotRun
from ..core.status import ShotStatus
from ..props import scene_shots
from ..shot import blender_names
from . import ADDON_MODULE, output_keeping, progress, session
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
        assert isinstance(prepared.run, PoolRun)  # preparing.py made it for processes to follow
        self.pool = prepared.run
        self.processes: dict[int, ChildProcess] = {}  # slot -> its process (a lost one is replaced in its slot)
        self.process_count = 1
        self._stats: dict[int, str] = {}  # slot -> its render's own progress
        # Per slot, the shots its process was sent and has not ended the run
        # of, oldest first: its events are about the first.
        self._sent: dict[int, collections.deque[int]] = {}
        self._proven: set[int] = set()  # slots whose process has started a render: it can render
        # Shots are handed out only after something changed (a process's
        # report, a process gone, a resume): this Blender ticks 100 times a
        # second while processes run, and a long list is not walked each time.
        self._dispatch_due = True
        self._argv: list[str] = []
        self._folder = ""  # the temporary folder of the copy
        self._stop_reason = ""  # why we ended the processes, once we have

    @classmethod
    def launch(
        cls,
        scene: bpy.types.Scene,
        only_remaining: bool = False,
        all_scenes: bool = False,
        retries: int = 0,
        only_places: Mapping[str, Collection[int]] | None = None,
    ) -> tuple[BackgroundSession | None, list[validation.Problem]]:
        """Check the shots, save the copy and start the processes; or the problems."""
        queue, problems = cls.prepare(scene, only_remaining, all_scenes=all_scenes, only_places=only_places)
        if queue is None:
            return None, problems
        assert isinstance(queue, BackgroundSession)
        if problems := _unsaved_scenes(queue):
            return None, problems
        queue.warnings.extend(_not_in_the_copy())
        queue.pool.retries = retries
        queue.process_count = max(1, min(scene_shots(scene).processes, len(queue.shots)))
        if warning := _memory_warning(scene, queue.process_count):
            queue.warnings.insert(0, warning)
        queue.progress.parallel = queue.process_count
        try:
            queue._save_copy(scene)
            for slot in range(queue.process_count):
                queue._start_process(slot)
        except (OSError, RuntimeError) as error:
            queue._end_processes()
            queue._remove_copy()
            return None, [validation.Problem(None, "run_in", f"Cannot start the background Blender: {error}")]
        return queue, []

    def _save_copy(self, scene: bpy.types.Scene) -> None:
        self._folder = tempfile.mkdtemp(prefix="multi_render_")
        # The person's file name, so that Blender's {blend_name} is theirs in
        # the process too (an unsaved file: Blender's own word for it).
        unsaved = (blender_names.blend_name(scene) or "untitled") + ".blend"
        copy = os.path.join(self._folder, bpy.path.basename(bpy.data.filepath) or unsaved)
        # A copy: the open file keeps its path and unsaved state, Recent Files
        # stay. Remapped, so its images and libraries are found from there.
        bpy.ops.wm.save_as_mainfile(filepath=copy, copy=True, check_existing=False, compress=False, relative_remap=True)
        _share_disk_caches(copy)
        self._argv = command_line(
            [
                "render",
                copy,
                "--serve",
                # name=value: a scene named "-x" must not read as an option
                f"--as-file={bpy.data.filepath}",
                f"--started={self.now.isoformat()}",
                f"--scene={scene.name}",
            ],
            threads_each(self.process_count, usable_cores()),
        )

    def _start_process(self, slot: int) -> None:
        # The same profile (inherited environment) and working directory, so
        # that relative paths and add-ons are what this Blender has.
        self.processes[slot] = ChildProcess(self._argv, cwd=os.getcwd())
        self._stats.pop(slot, None)
        self._sent[slot] = collections.deque()
        self._proven.discard(slot)
        self._give_next(slot)

    @property
    def wants_fast_ticks(self) -> bool:
        # A process that ends a shot waits for the next until this Blender's
        # next tick: while processes run, look at them often (a tick that
        # finds nothing costs well under a millisecond).
        return bool(self.processes) and not self.run.paused

    @property
    def process_ids(self) -> list[int]:
        """The running processes' ids, by slot."""
        return [child.pid for _slot, child in sorted(self.processes.items())]

    def process_id_of(self, position: int) -> int | None:
        """The id of the process given the shot at `position`, if one has it."""
        return next((child.pid for slot, child in self.processes.items() if self.pool.held_by(slot) == position), None)

    # -- one step (the operator's timer) -------------------------------------------------
    def tick(self) -> Action:
        for slot, child in list(self.processes.items()):
            ended = child.done  # before reading: nothing printed after this goes unread
            self._read(slot, child)
            if ended:
                self._process_ended(slot, child)
        if self._dispatch_due and not self.run.finished:
            self._dispatch_due = False
            self._dispatch()
        if not self.processes and not self.run.finished:
            # Every process is gone (a stop ended them, or nothing was left to give).
            self.run.abort(self._stop_reason or self.run.stop_reason or "stopped")
        if self.run.finished:
            self._end_processes()
            return self._after_last_shot()
        if self.progress.due:
            self._show_progress()  # the time left
        self._autosave_if_due()
        return Action.WAIT

    def _dispatch(self) -> None:
        """Each free process gets the next shot; one with nothing left to
        take ends (and a retried shot gets a new process in the lost one's slot)."""
        for slot in range(self.process_count):
            child = self.processes.get(slot)
            if child is None:
                # Paused: a new process would only wait (and one that cannot
                # start would be started again and again).
                if not (self._stop_reason or self.run.paused or self.pool.all_given_out()):
                    self._start_process(slot)
                continue
            sent = len(self._sent[slot])
            if sent == 0 and not self._give_next(slot) and self.pool.all_given_out():
                child.kill()  # idle: nothing is written
                del self.processes[slot]
            elif sent == 1 and self.pool.plenty_left(self.process_count):
                self._give_next(slot)  # its next, so that it never waits for this Blender

    def _give_next(self, slot: int) -> bool:
        position = self.pool.take_next(slot)
        if position is None:
            return False
        shot = self.run.shots[position]
        self.processes[slot].send(child_protocol.shots_command([(shot.scene, [shot.index])]))
        self._sent[slot].append(position)
        return True

    def _read(self, slot: int, child: ChildProcess) -> None:
        for line in child.lines():
            event = child_protocol.read_line(line)
            if event is not None:
                self._follow(slot, event)

    def _follow(self, slot: int, event: child_protocol.Event) -> None:
        if isinstance(event, StatsEvent):
            self._stats[slot] = event.text
            if self.progress.due:  # at most once a second: each redraw takes a core from the renders
                self._show_progress()
            return
        self._dispatch_due = True
        sent = self._sent[slot]
        position = sent[0] if sent else None
        if isinstance(event, EndEvent):
            if position is None:
                log.warning("process %d ended a run it was not given", slot)
                return
            sent.popleft()  # it goes on with its next shot, or waits for one
            if self.pool.held_by(slot) == position:
                # Its run ended without settling the shot (e.g. refused it).
                self.pool.child_ended(position, ShotStatus.FAILED, event.stop_reason or "not rendered", 0.0, ())
                self._settled(self.run.shots[position])
            else:
                self.pool.child_stopped(event.stop_reason)  # e.g. why its shot was cancelled
        elif isinstance(event, ShotEvent):
            shot = None if position is None else self.run.shots[position]
            if position is None or shot is None or (event.scene, event.name) != (shot.scene, shot.name):
                log.warning("process %d reported a shot it was not given: %s", slot, event)
            elif event.status == ShotStatus.RENDERING:
                self.pool.child_started(position, event.started_wall)
                self._proven.add(slot)
                self._sync_shot(shot)
            else:
                self.pool.child_ended(position, event.status, event.reason, event.seconds, event.pass_files)
                self._note_peak(slot)
                self._stats.pop(slot, None)
                self._settled(shot)  # its movie, if it asks for one, is made here
        self._show_progress()

    def _note_peak(self, slot: int) -> None:
        """A process's peak memory once it has rendered: the next run's
        estimate of what one process needs (scene.multi_render.process_peak_mb)."""
        child = self.processes.get(slot)
        peak = None if child is None else memory.peak(child.pid)
        scene = bpy.data.scenes.get(self.scene_name)
        megabytes = (peak or 0) // 1024**2
        if scene is not None and megabytes > scene_shots(scene).process_peak_mb:
            scene_shots(scene).process_peak_mb = megabytes

    def _process_ended(self, slot: int, child: ChildProcess) -> None:
        """A process is gone: expected once it had nothing left, else lost."""
        del self.processes[slot]
        self._stats.pop(slot, None)
        self._sent[slot].clear()
        self._dispatch_due = True
        if self._stop_reason or self.pool.held_by(slot) is None:
            return
        code = child.exit_code
        how = f"was killed (signal {-code})" if code is not None and code < 0 else f"ended with exit status {code}"
        tail = child.log_tail()
        position = self.pool.held_by(slot)
        assert position is not None
        shot = self.run.shots[position]
        reason = f"the background Blender {how}" + (f": {tail}" if tail else "")
        failed = self.pool.process_lost(slot, reason, proven=slot in self._proven)
        # A crash mid-write leaves a cut-off image or movie, also before a new try.
        self._remove_unfinished(shot)
        if failed is not None:
            self._settled(failed)
        else:
            log.warning("process %d (pid %d) was lost on %s: it is tried again", slot, child.pid, shot.name)
            self._sync_shot(shot)

    def _show_progress(self) -> None:
        """The shots in flight, each with its render's own progress; with
        several processes, a line for each in the panel."""
        flying = self.pool.in_flight
        texts = [
            self._stats.get(slot, "")
            for slot in sorted(self.processes)
            if (position := self.pool.held_by(slot)) is not None and position in flying
        ]
        # With several processes each one's line shows its render's progress.
        self.progress.render_progress = texts[0] if self.process_count == 1 and texts else ""
        self.progress.show()
        if self.process_count > 1:
            progress.show_lines([self._process_line(slot) for slot in range(self.process_count)])

    def _process_line(self, slot: int) -> str:
        """E.g. "Process 2 (pid 4242): shot 3, Cam_Red - Sample 5/16"."""
        child = self.processes.get(slot)
        if child is None:
            return f"Process {slot + 1}: ended"
        position = self.pool.held_by(slot)
        shot = None if position is None else self.run.shots[position]
        if position is None or shot is None or shot.status != ShotStatus.RENDERING:
            return f"Process {slot + 1} (pid {child.pid}): " + ("paused" if self.run.paused else "starting")
        stats = self._stats.get(slot, "")
        return f"Process {slot + 1} (pid {child.pid}): shot {position + 1}, {shot.name}" + (
            f" - {stats}" if stats else ""
        )

    # -- what the operators ask ------------------------------------------------------------
    def request_stop(self, reason: str) -> None:
        """Stop means now: the processes end and their shots are cancelled."""
        self.stopping = True
        self._stop_reason = self._stop_reason or reason
        self._end_processes()

    def set_paused(self, paused: bool) -> None:
        """Pause: each process finishes its shot and holds before the next
        (one it was given ahead included); no shot is given out meanwhile."""
        for child in self.processes.values():
            child.send(child_protocol.PAUSE if paused else child_protocol.RESUME)
        super().set_paused(paused)
        self._dispatch_due = True

    def abort(self, reason: str, layout: LayoutEnd = "later", keep_queue_file: bool = False) -> None:
        # The processes end first, and what they said before they ended is
        # read: a shot one finished is not taken for a cancelled one (and
        # removed), nothing written afterwards is taken for a finished file.
        self._stop_reason = self._stop_reason or reason
        self._end_processes()
        super().abort(reason, layout, keep_queue_file)

    def internal_error(self, error: Exception) -> None:
        self._stop_reason = self._stop_reason or "internal error"
        self._end_processes()
        super().internal_error(error)

    def before_save(self) -> None:
        pass  # the scene is the person's own all along

    def after_save(self) -> None:
        pass

    def _scene_is_persons(self) -> bool:
        return True

    def end(self, layout: LayoutEnd = "later") -> str:
        self._stop_reason = self._stop_reason or "stopped"
        self._end_processes()
        try:
            return super().end(layout)
        finally:
            self._remove_copy()

    def _remove_unfinished(self, shot: ShotRun) -> None:
        # Its process is gone (killed, lost or done): nothing comes late. A
        # killed process may also leave a cut-off frame of a range.
        output_keeping.remove_unfinished(shot, more_may_come=False)
        output_keeping.remove_broken(shot)

    def _end_processes(self) -> None:
        for slot, child in list(self.processes.items()):
            child.kill()
            if not self.run.finished:
                self._read(slot, child)
        self.processes.clear()

    def _remove_copy(self) -> None:
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = ""


def _memory_warning(scene: bpy.types.Scene, processes: int) -> str:
    """Whether `processes` processes may not fit in memory, each needing what
    one needed in the last run (its peak), else what this Blender holds now
    with the scene open."""
    measured = scene_shots(scene).process_peak_mb * 1024**2
    warning = memory.too_many(processes, measured or memory.resident(), memory.available())
    if warning:
        log.warning("%s", warning)
    return warning


def command_line(arguments: list[str], threads: int) -> list[str]:
    """A background Blender of this one's binary and profile that enables
    this add-on and runs its command line with `arguments`; `threads`: its
    render threads (0: Blender's choice)."""
    return [
        bpy.app.binary_path,
        "--background",
        *(["--threads", str(threads)] if threads else []),
        "--python-expr",
        _LAUNCH.format(module=ADDON_MODULE),
        "--",
        *arguments,
    ]


def usable_cores() -> int | None:
    """The cores this Blender may use (a container or `taskset` may allow
    fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


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
