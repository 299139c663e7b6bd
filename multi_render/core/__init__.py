# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain-Python logic of multi_render. Nothing in this package imports bpy:
the shot model, output paths, validation, the queue state machine and reports
are unit-tested on the host Python.

May import: core (and no Blender module: test_core_is_bpy_free.py)."""
