# SPDX-License-Identifier: GPL-3.0-or-later
"""Multi Render: render a queue of shots of one scene without freezing Blender."""


def register() -> None:
    pass


def unregister() -> None:
    pass
