# SPDX-License-Identifier: GPL-3.0-or-later
"""What remembers the person's state while a shot runs and gives it back:
scene and datablock settings (settings.py), the render operator's remembered
options (render_operator.py), windows and screens (layout.py); the popup
guard that keeps Blender from crashing (popups.py).

May import: core."""
