# SPDX-License-Identifier: GPL-3.0-or-later
"""SettingsGuard: changes settings for a shot and puts back exactly what was
changed. No bpy object is kept across a render: settings are remembered by
their owner datablock (collection and name) and an RNA path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import bpy

from ..core.logs import logger
from ..core.property_paths import COLLECTION_OF_ID_TYPE, custom_key_of

log = logger(__name__)


@dataclass(frozen=True)
class _IdRef:
    """A datablock remembered by name, fetched again when needed."""

    collection: str  # attribute of bpy.data, e.g. "objects"
    name: str

    def resolve(self) -> Any:
        return getattr(bpy.data, self.collection).get(self.name)


def _id_ref(block: bpy.types.ID) -> _IdRef:
    return _IdRef(COLLECTION_OF_ID_TYPE[block.id_type], block.name)


def _freeze(value: Any) -> Any:
    """A value that stays as it is while Blender data changes: datablocks by
    name, arrays (bpy_prop_array, Vector, Color...) as tuples."""
    if isinstance(value, bpy.types.ID) and value.id_type in COLLECTION_OF_ID_TYPE:
        return _id_ref(value)
    if isinstance(value, bpy.types.ID):
        return value  # a kind of datablock bpy.data has no collection for here
    if isinstance(value, set | frozenset):  # an enum of flags
        return frozenset(value)
    if isinstance(value, str) or not hasattr(value, "__len__"):
        return value
    return tuple(_freeze(item) for item in value)


def _thaw(value: Any) -> Any:
    if isinstance(value, frozenset):
        return set(value)
    return value.resolve() if isinstance(value, _IdRef) else value


def _get(owner: Any, attribute: str) -> Any:
    """An attribute, or a custom property when `attribute` is ["key"]."""
    key = custom_key_of(attribute)
    return getattr(owner, attribute) if key is None else owner[key]


def _put(owner: Any, attribute: str, value: Any) -> None:
    key = custom_key_of(attribute)
    if key is None:
        setattr(owner, attribute, value)
    else:
        _put_custom(owner, key, value)


def _put_custom(owner: Any, key: str, value: Any) -> None:
    """Write a custom property keeping what it is: an array in place, and a
    single value with its Edit Property settings (subtype, limits), which
    Blender drops when Python stores a value of another precision."""
    current = owner[key]
    if hasattr(current, "to_list"):
        current[:] = value
        return
    try:
        settings = owner.id_properties_ui(key).as_dict()
    except (AttributeError, TypeError):  # no Edit Property settings for this kind
        settings = {}
    owner[key] = value
    if settings:
        try:
            owner.id_properties_ui(key).update(**settings)
        except (TypeError, ValueError) as error:
            log.warning("could not keep the settings of custom property '%s': %s", key, error)


def _split(path: str) -> tuple[str, str]:
    """A simple RNA path (no dots inside brackets) as (owner path, attribute)."""
    owner_path, _, attribute = path.rpartition(".")
    return owner_path, attribute


def _owner(root: Any, owner_path: str) -> Any:
    return root.path_resolve(owner_path) if owner_path else root


class SettingsGuard:
    """Changes settings and remembers each one's first original value, so
    that `restore()` puts everything back exactly as it was. A setting is
    named by its owner datablock (collection and name), the RNA path from
    there to the struct that has it, and the attribute's name."""

    def __init__(self) -> None:
        self._originals: dict[tuple[_IdRef, str, str], Any] = {}

    @property
    def is_clean(self) -> bool:
        """Nothing changed that `restore()` would put back."""
        return not self._originals

    def set(self, scene: bpy.types.Scene, path: str, value: Any) -> None:
        self.set_on(scene, path, value)

    def remember(self, scene: bpy.types.Scene, path: str) -> None:
        """Record a setting that Blender may change by itself as a consequence
        of another one (a file format changes the colour mode)."""
        self._record(_id_ref(scene), scene, *_split(path))

    def set_on(self, block: bpy.types.ID, path: str, value: Any) -> None:
        """Change a setting of a datablock (the scene, a collection...)."""
        self.set_at(block, *_split(path), value)

    def set_at(self, block: bpy.types.ID, owner_path: str, attribute: str, value: Any) -> None:
        """Change `attribute` of the struct at `owner_path` inside `block`
        (for paths whose names hold dots or brackets); `attribute` may be a
        custom property, written ["key"]."""
        owner = self._record(_id_ref(block), block, owner_path, attribute)
        if _freeze(_get(owner, attribute)) != _freeze(value):
            _put(owner, attribute, value)

    def _record(self, owner_ref: _IdRef, root: Any, owner_path: str, attribute: str) -> Any:
        owner = _owner(root, owner_path)
        self._originals.setdefault((owner_ref, owner_path, attribute), _freeze(_get(owner, attribute)))
        return owner

    def restore(self) -> None:
        # Some settings depend on others (a colour depth on the file format):
        # what fails in the first pass is tried again after the rest.
        pending = list(reversed(self._originals.items()))
        failed: list[tuple[tuple[_IdRef, str, str], Any, str]] = []
        for _attempt in range(2):
            failed = []
            for key, original in pending:
                try:
                    self._restore_one(*key, original)
                except (ValueError, AttributeError, TypeError, ReferenceError, KeyError) as error:
                    failed.append((key, original, str(error)))
            pending = [(key, original) for key, original, _reason in failed]
            if not pending:
                break
        for (_owner_ref, owner_path, attribute), _original, reason in failed:
            # The owner vanished meanwhile (e.g. a marker deleted by the person).
            log.warning("could not restore %s: %s", f"{owner_path}.{attribute}".lstrip("."), reason)
        self._originals.clear()

    @staticmethod
    def _restore_one(owner_ref: _IdRef, owner_path: str, attribute: str, original: Any) -> None:
        root = owner_ref.resolve()
        if root is None:
            log.warning(
                "could not restore %s of %s '%s': it was renamed or deleted",
                attribute,
                owner_ref.collection,
                owner_ref.name,
            )
            return
        owner = _owner(root, owner_path)
        if _freeze(_get(owner, attribute)) != original:
            _put(owner, attribute, _thaw(original))
