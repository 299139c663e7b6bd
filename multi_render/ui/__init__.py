# SPDX-License-Identifier: GPL-3.0-or-later
"""The sidebar panel and list (panel.py), menu and status-bar entries (menus.py)."""
