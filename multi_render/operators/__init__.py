# SPDX-License-Identifier: GPL-3.0-or-later
"""Operators: Render Shots, Pause and Stop (render_shots.py), the Esc watcher
(stop_keys.py), editing the shot list (shots.py), property overrides and
"Add to Shot Overrides" (shot_overrides.py), shot-list files
(import_export.py), farm jobs written to a folder (farm_export.py) and
submitted to Flamenco (flamenco.py). A running queue is reached only through
its session's methods (run/handle.py).

May import: ui, run, farm, shot, props, prefs, bl_types, core."""
