# SPDX-License-Identifier: GPL-3.0-or-later
"""Render farms: a scene's ticked shots as a farm sees them, checked as a
local run checks them (shots.py); as an Open Job Description bundle
(openjd.py, format in core/farm.py) with the files a job reads and writes
(assets.py); as a Slurm job folder (slurm.py; core/slurm.py,
core/task_list.py); as a Flamenco job submitted (flamenco.py, the job type
multi_render.js; core/flamenco.py) and followed from the shot list without
blocking Blender (flamenco_follow.py, which shows progress as run/ does).

May import: run, shot, props, core."""
