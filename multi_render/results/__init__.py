# SPDX-License-Identifier: GPL-3.0-or-later
"""What a run leaves besides its renders: the scene's history of runs
(history.py), the contact sheet image (contact_sheet.py), the shots'
thumbnails in the list (thumbnails.py).

May import: props, core."""
