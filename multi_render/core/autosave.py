# SPDX-License-Identifier: GPL-3.0-or-later
"""Autosave while a queue runs. Blender does not autosave while any modal
operator runs (wm_files.cc retries every 10 ms), and the queue is one for
its whole run; so the queue writes the autosave itself, where File >
Recover > Auto Save looks: Blender's base temporary folder, under the name
Blender gives it."""

from __future__ import annotations

import ntpath
from dataclasses import dataclass

_BLEND = ".blend"


def autosave_name(blend_path: str, pid: int) -> str:
    """Blender's autosave file name: "<file>_<pid>_autosave.blend" for a
    saved .blend ("scene.blend" -> "scene_123_autosave.blend"), else
    "<pid>_autosave.blend". Like Blender, it cuts 6 characters (".blend")."""
    base = ntpath.basename(blend_path)  # ntpath splits at "/" and "\\" alike
    if not base:
        return f"{pid}_autosave{_BLEND}"
    return f"{base[: max(len(base) - len(_BLEND), 0)]}_{pid}_autosave{_BLEND}"


@dataclass
class AutosaveClock:
    """When the next autosave is due: `interval` seconds (0: Auto Save is
    off) after the queue started or after the last one."""

    interval: float
    last: float

    def due(self, now: float) -> bool:
        return self.interval > 0 and now - self.last >= self.interval

    def written(self, now: float) -> None:
        self.last = now
