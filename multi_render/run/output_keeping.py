# SPDX-License-Identifier: GPL-3.0-or-later
"""What a stopped or broken render leaves on disk, removed: only files this
run wrote (core/output_files.py decides which), so that nothing takes them
for finished work (Skip Existing, the person)."""

from __future__ import annotations

from ..core import output_files
from ..core.run import ShotRun

# Unfinished images a stopped render may write after the queue ended.
late_files = output_files.LateFiles()


def remove_unfinished(shot: ShotRun, *, more_may_come: bool = True) -> None:
    """A render stopped with the progress bar's X, or by a file load, still
    writes its unfinished image (each view of it), and a stopped movie is cut
    short: remove what this run wrote (Esc writes no image). A file load
    stops the render after load_pre, so with `more_may_come` the files are
    looked for again once the load is done; a background process that is
    gone writes nothing more (and a new try's files must never be taken
    for late ones)."""
    started = shot.started_wall  # 0.0: never started
    if started and not shot.frames_are_files:  # a range's written frames are whole
        for path in shot.output_paths:
            output_files.remove_if_written_since(path, started)
            if more_may_come:
                late_files.expect(path, started)
        for folder in shot.pass_folders:  # the shot's own folders
            output_files.remove_written_since_in(folder, started)
            if more_may_come:
                late_files.expect_folder(folder, started)


def remove_broken(shot: ShotRun) -> None:
    """A full disk leaves empty or cut-off images (Blender still says
    "Saved"): remove those this run wrote."""
    if shot.started_wall:  # 0.0: never started
        output_files.remove_broken((*shot.output_paths, *shot.pass_files), shot.started_wall)
