# SPDX-License-Identifier: GPL-3.0-or-later
"""The sidebar panel and list (panel.py), menu and status-bar entries
(menus.py). Drawing only reads: Blender forbids data changes in a draw.

May import: shot, results, props, core."""
