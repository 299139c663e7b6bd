# SPDX-License-Identifier: GPL-3.0-or-later
"""Running a queue: one run's life cycle (session.py) and its parts:
checking it before anything renders (preparing.py), a shot on the scene
(shot_stage.py), what a stopped render leaves (output_keeping.py), the
progress and the list's statuses (progress.py), layout steps outside an
operator (deferred.py), the record and contact sheet at the end (ending.py);
Blender's render and file events, the autosave between shots; the blocking
loop of background mode (blocking.py); Render In: Background Process
(background.py here, child_link.py in the process).

May import: shot, results, guards, props, core."""

# The add-on's own module ("bl_ext.<repo>.multi_render"): the name Blender
# knows it by (its user folder, enabling it in a background process).
ADDON_MODULE = (__package__ or __name__).rpartition(".")[0] or "multi_render"
