# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line, Blender's own way (4.2+):

    blender -c multi_render render FILE.blend [--shots NAME,...] [--skip-existing] [--output-dir DIR]
                                              [--contact-sheet] [--json] [--scene NAME | --all-scenes]
    blender -c multi_render list FILE.blend [--all-scenes]
    blender -c multi_render render FILE.blend --shot-list '["A", "B"]' [--frames 1-10]
                                              [--cycles-device CUDA] [--skip-existing-value=true]   (farm tasks)
    blender -c multi_render render FILE.blend --task-file tasks.json --task N    (array schedulers: Slurm ...)
    blender -c multi_render bundle FILE.blend FOLDER [--engine openjd|slurm] [--shots-per-task N]
                                              [--frames-per-task M] [--skip-existing] [Slurm's options]
    blender -c multi_render flamenco FILE.blend [--manager URL] [--shots-per-task N] [--frames-per-task M]
                                                [--priority P] [--skip-existing] [--wait]
    blender -c multi_render flamenco-job-type FOLDER

It runs after add-ons are enabled, in background mode: shots render one after
another (the same code as bpy.ops.multi_render.render_shots() in -b), one
line per shot is printed, and the exit code is 1 if any shot failed or the
input was bad. The .blend is never saved.

main.py reads the command and opens the file; render.py renders, farm.py
writes bundles and submits to farms; usage.py holds what they share.

May import: run, farm, shot, results, props, prefs, notify, core."""

from __future__ import annotations

from .main import COMMAND, execute, register, unregister

__all__ = ["COMMAND", "execute", "register", "unregister"]
