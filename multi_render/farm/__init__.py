# SPDX-License-Identifier: GPL-3.0-or-later
"""Render farms: a scene's ticked shots as a farm sees them (shots.py), as
an Open Job Description bundle (openjd.py, format in core/farm.py) with the
files a job reads and writes (assets.py), and as a Flamenco job submitted
and followed (flamenco.py, the job type multi_render.js; core/flamenco.py).

May import: shot, props, core."""
