# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the add-on's log lines go while it is enabled. Blender sets up no
logging, so without a handler only warnings would reach the console; this
one prints INFO and above as "multi_render: ...". A script or pipeline that
configured logging itself (the root logger has handlers) gets the records
there instead, and none from here."""

from __future__ import annotations

import logging
import sys

from .core.logs import ROOT

_handler: logging.Handler | None = None
_level_set = False


def register() -> None:
    global _handler, _level_set
    root = logging.getLogger(ROOT)
    if root.level == logging.NOTSET:  # else someone chose a level: keep it
        root.setLevel(logging.INFO)
        _level_set = True
    if _handler is None and not logging.getLogger().handlers:
        _handler = logging.StreamHandler(sys.stdout)
        _handler.setFormatter(logging.Formatter("multi_render: %(message)s"))
        root.addHandler(_handler)


def unregister() -> None:
    global _handler, _level_set
    root = logging.getLogger(ROOT)
    if _handler is not None:
        root.removeHandler(_handler)
        _handler = None
    if _level_set:
        root.setLevel(logging.NOTSET)
        _level_set = False
