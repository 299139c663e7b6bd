# SPDX-License-Identifier: GPL-3.0-or-later
"""A run that blocks until its last shot: background mode (the command line,
a farm task, the background process) renders each shot with EXEC."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import bpy

from ..core import validation
from ..core.run import Action
from .session import QueueSession


def run_blocking(
    scene: bpy.types.Scene,
    only_remaining: bool = False,
    *,
    started: datetime | None = None,
    all_scenes: bool = False,
    follow: Callable[[QueueSession], None] | None = None,
    make_movies: bool = True,
) -> tuple[QueueSession | None, list[validation.Problem]]:
    """Render the ticked shots one after another. `started`: the time {date}
    and {time} stand for (default: now). `follow(session)` is called before
    the run begins and between shots (the background process reports to its
    parent and may pause there). `make_movies`: the shots that ask for a
    movie get one (each in a Blender of its own, started as its frames are
    done; the run ends once all are made)."""
    session, problems = QueueSession.prepare(scene, only_remaining, started=started, all_scenes=all_scenes)
    if session is None:
        return None, problems
    session.makes_movies = make_movies
    if follow is not None:
        follow(session)
    session.begin()
    try:
        while session.tick() == Action.START:
            if follow is not None:
                follow(session)
            session.start_current(blocking=True)
    except Exception as error:
        session.internal_error(error)
    finally:
        session.end()
    return session, []
