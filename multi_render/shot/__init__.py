# SPDX-License-Identifier: GPL-3.0-or-later
"""A shot, read out of Blender and put on the scene: its facts for core/
(scene_reader.py), the file names Blender gives its renders
(blender_names.py), its settings on the scene (apply.py) through the
built-in overrides (builtin_overrides.py), the property overrides
(property_overrides.py) and the compositor's File Output nodes
(compositor_outputs.py); the render engines on offer (engines.py); a
scene's shot list to and from JSON (shot_lists.py).

May import: guards, props, core."""
