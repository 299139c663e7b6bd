# SPDX-License-Identifier: GPL-3.0-or-later
"""What the queue removes from disk, and only what this run wrote: the
unfinished image of a stopped render, and the empty or cut-off images a
full disk leaves. A file older than the shot's start is never touched."""

from __future__ import annotations

import os
from collections.abc import Iterable

from .logs import logger
from .paths import looks_whole

log = logger(__name__)

# File times can lag the wall clock a little (coarse file-system timestamps).
_CLOCK_SLACK_SECONDS = 1.0


def remove_if_written_since(path: str, started: float) -> bool:
    """Remove `path` if it was written at or after `started` (time.time());
    whether it was removed."""
    try:
        if os.path.getmtime(path) >= started - _CLOCK_SLACK_SECONDS:
            os.remove(path)
            log.info("removed %s", path)
            return True
    except OSError:
        pass
    return False


def remove_written_since_in(folder: str, started: float) -> list[str]:
    """Remove the files directly in `folder` written at or after `started`:
    a shot's own pass folder after its render was stopped. The ones removed."""
    return [path for path in files_in(folder) if remove_if_written_since(path, started)]


def remove_broken(paths: Iterable[str], started: float) -> list[str]:
    """Remove the files among `paths` that this run wrote but are not whole
    (Blender says "Saved" even on a full disk); the ones removed."""
    return [
        path
        for path in paths
        if os.path.exists(path) and not looks_whole(path) and remove_if_written_since(path, started)
    ]


def files_in(folder: str) -> list[str]:
    """The files directly in `folder` (none if it does not exist)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [path for path in (os.path.join(folder, name) for name in names) if os.path.isfile(path)]


class PassFolders:
    """What the queue asks of a shot's own render-pass folders (compositor
    File Output nodes write there; the names inside are Blender's own)."""

    @staticmethod
    def complete(folder: str) -> bool:
        """Files are there and each is whole: for Skip Existing."""
        found = files_in(folder)
        return bool(found) and all(looks_whole(path) for path in found)

    @staticmethod
    def written_since(folder: str, started: float) -> list[str]:
        """The files this run wrote there (started: time.time())."""
        return [path for path in files_in(folder) if _written_since(path, started)]

    @staticmethod
    def present(folder: str) -> list[str]:
        return files_in(folder)


def _written_since(path: str, started: float) -> bool:
    try:
        return os.path.getmtime(path) >= started - _CLOCK_SLACK_SECONDS
    except OSError:
        return False


class LateFiles:
    """Unfinished images that may still be written after the queue ended:
    Blender stops a render during a file load only after load_pre, and
    writes its unfinished image then. Looked for again once the load is done."""

    def __init__(self) -> None:
        self._files: list[tuple[str, float]] = []
        self._folders: list[tuple[str, float]] = []  # a stopped shot's own pass folders

    def expect(self, path: str, started: float) -> None:
        self._files.append((path, started))

    def expect_folder(self, folder: str, started: float) -> None:
        self._folders.append((folder, started))

    def remove_all(self) -> None:
        for path, started in self._files:
            remove_if_written_since(path, started)
        for folder, started in self._folders:
            remove_written_since_in(folder, started)
        self.clear()

    def clear(self) -> None:
        self._files.clear()
        self._folders.clear()
