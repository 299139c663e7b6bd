# SPDX-License-Identifier: GPL-3.0-or-later
"""SettingsGuard: changes settings for a shot and puts back exactly what was
changed. No bpy object is kept across a render: settings are remembered by
their owner datablock (collection and name) and an RNA path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import bpy

from ..core.logs import logger

log = logger(__name__)


@dataclass(frozen=True)
class _IdRef:
    """A datablock remembered by name, fetched again when needed."""

    collection: str  # attribute of bpy.data, e.g. "objects"
    name: str

    def resolve(self) -> Any:
        return getattr(bpy.data, self.collection).get(self.name)


_ID_COLLECTIONS = {"OBJECT": "objects", "WORLD": "worlds", "COLLECTION": "collections", "SCENE": "scenes"}


def _freeze(value: Any) -> Any:
    if isinstance(value, bpy.types.ID):
        return _IdRef(_ID_COLLECTIONS[value.id_type], value.name)
    return value


def _thaw(value: Any) -> Any:
    return value.resolve() if isinstance(value, _IdRef) else value


def _resolve(root: Any, path: str) -> tuple[Any, str]:
    """The struct that owns the setting at `path` (from `root`), and its name."""
    owner_path, _, attribute = path.rpartition(".")
    return (root.path_resolve(owner_path) if owner_path else root), attribute


class SettingsGuard:
    """Changes settings and remembers each one's first original value, so
    that `restore()` puts everything back exactly as it was. A setting is
    named by its owner (the scene, or another datablock by collection and
    name) and an RNA path from there."""

    def __init__(self) -> None:
        self._originals: dict[tuple[_IdRef, str], Any] = {}

    def set(self, scene: bpy.types.Scene, path: str, value: Any) -> None:
        owner, attribute = self._record(_IdRef("scenes", scene.name), scene, path)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)

    def remember(self, scene: bpy.types.Scene, path: str) -> None:
        """Record a setting that Blender may change by itself as a consequence
        of another one (a file format changes the colour mode)."""
        self._record(_IdRef("scenes", scene.name), scene, path)

    def set_on(self, block: bpy.types.ID, path: str, value: Any) -> None:
        """Change a setting of another datablock (e.g. a collection)."""
        owner, attribute = self._record(_IdRef(_ID_COLLECTIONS[block.id_type], block.name), block, path)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)

    def _record(self, owner_ref: _IdRef, root: Any, path: str) -> tuple[Any, str]:
        owner, attribute = _resolve(root, path)
        self._originals.setdefault((owner_ref, path), _freeze(getattr(owner, attribute)))
        return owner, attribute

    def restore(self) -> None:
        # Some settings depend on others (a colour depth on the file format):
        # what fails in the first pass is tried again after the rest.
        pending = list(reversed(self._originals.items()))
        for _attempt in range(2):
            failed: list[tuple[tuple[_IdRef, str], Any, str]] = []
            for (owner_ref, path), original in pending:
                try:
                    self._restore_one(owner_ref, path, original)
                except (ValueError, AttributeError, TypeError, ReferenceError) as error:
                    failed.append(((owner_ref, path), original, str(error)))
            pending = [(key, original) for key, original, _reason in failed]
            if not pending:
                break
        for (_owner, path), _original, reason in failed:
            # The owner vanished meanwhile (e.g. a marker deleted by the person).
            log.warning("could not restore %s: %s", path, reason)
        self._originals.clear()

    @staticmethod
    def _restore_one(owner_ref: _IdRef, path: str, original: Any) -> None:
        root = owner_ref.resolve()
        if root is None:
            return
        owner, attribute = _resolve(root, path)
        value = _thaw(original)
        if getattr(owner, attribute) != value:
            setattr(owner, attribute, value)
