# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain-Python logic of multi_render. Nothing in this package imports bpy:
the shot model, output paths, validation, the queue state machine and reports
are unit-tested on the host Python."""
