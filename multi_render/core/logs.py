# SPDX-License-Identifier: GPL-3.0-or-later
"""The project's loggers, all under "multi_render", whatever package name
Blender installs the extension as (bl_ext.user_default.multi_render...), so
that people and pipelines can filter them with logging's own tools."""

from __future__ import annotations

import logging

ROOT = "multi_render"


def logger(module: str) -> logging.Logger:
    """The logger for a module, from its __name__: multi_render.<path in the package>."""
    _, found, inside = module.partition(ROOT + ".")
    return logging.getLogger(f"{ROOT}.{inside}" if found else ROOT)
