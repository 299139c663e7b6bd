# SPDX-License-Identifier: GPL-3.0-or-later
"""Render farms: a scene's shots as an Open Job Description bundle
(openjd.py, format in core/farm.py) and the files a farm job reads and
writes (assets.py).

May import: shot, props, core."""
