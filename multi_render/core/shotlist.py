# SPDX-License-Identifier: GPL-3.0-or-later
"""Shot lists as JSON files: the versioned format, and a reader that checks
everything before anything is changed.

    {"format": "multi_render.shots", "version": 3, "skip_existing": false,
     "shots": [{"name": "Front", "camera": "Cam_Front", "filepath": "//renders/{shot}",
                "enabled": true, "frame_range": {"start": 1, "end": 24, "step": 1},
                "properties": [{"path": "bpy.data.lights[\"Key\"].energy", "value": "1000.0"}]}]}

Datablocks (cameras, worlds, collections, view layers) are stored by name.
An override is present in a shot only when it is on. Version 2 added
"properties" (property overrides: path and value as text, parsed and never
run; "enabled": false for an unticked one), version 3 a frame range's
"list" (a frame list, core/frame_list.py) and "movie" ({"format": "H264",
"path": "{shot}"}, when the shot makes one); older files still read. The
reader raises only ShotListError, whose message lists every problem found."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .movie import DEFAULT_TEMPLATE, FORMATS, template_problem
from .overrides import BY_KEY, INT_MAX, INT_MIN, OVERRIDES, BuiltinOverride, Field, Kind, Names, problems_of
from .property_paths import PathError, parse_path, parse_value

FORMAT = "multi_render.shots"
VERSION = 3

_SHOT_KEYS = {"name", "enabled", "camera", "filepath", "collections", "properties", "movie", *BY_KEY}
_TOP_KEYS = {"format", "version", "skip_existing", "shots"}


class ShotListError(ValueError):
    """A shot list that cannot be read; `problems` holds each reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        super().__init__(f"Cannot read the shot list ({count}): " + "; ".join(problems))


@dataclass(frozen=True)
class PropertyData:
    path: str
    value: str
    enabled: bool = True


@dataclass(frozen=True)
class MovieData:
    format: str = "H264"  # a key of core/movie.FORMATS
    path: str = DEFAULT_TEMPLATE


@dataclass(frozen=True)
class ShotData:
    name: str
    enabled: bool = True
    camera: str = ""
    filepath: str = ""
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # ticked ones: key -> {prop: value}
    collections: tuple[tuple[str, bool], ...] = ()
    properties: tuple[PropertyData, ...] = ()
    movie: MovieData | None = None  # the Movie option, when ticked


@dataclass(frozen=True)
class ShotList:
    shots: tuple[ShotData, ...]
    skip_existing: bool = False


def dumps(shot_list: ShotList) -> str:
    """The JSON text of a shot list."""
    shots = []
    for shot in shot_list.shots:
        entry: dict[str, Any] = {"name": shot.name, "enabled": shot.enabled, "camera": shot.camera}
        entry["filepath"] = shot.filepath
        entry.update(_override_entries(shot.overrides))
        if shot.collections:
            entry["collections"] = [{"collection": name, "hidden": hidden} for name, hidden in shot.collections]
        if shot.properties:
            entry["properties"] = [_property_entry(item) for item in shot.properties]
        if shot.movie is not None:
            entry["movie"] = {"format": shot.movie.format, "path": shot.movie.path}
        shots.append(entry)
    document = {"format": FORMAT, "version": VERSION, "skip_existing": shot_list.skip_existing, "shots": shots}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _override_entries(on: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A single-value override is its value; a group, an object of its fields."""
    entries: dict[str, Any] = {}
    for key, values in on.items():
        fields = BY_KEY[key].fields
        if BY_KEY[key].is_single:
            entries[key] = values[fields[0].prop]
        else:
            # An optional field at its default is left out: older readers take the list.
            entries[key] = {
                item.json: values.get(item.prop, item.default)
                for item in fields
                if not item.optional or values.get(item.prop, item.default) != item.default
            }
    return entries


def _property_entry(item: PropertyData) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": item.path, "value": item.value}
    if not item.enabled:
        entry["enabled"] = False
    return entry


def loads(text: str, names: Names) -> ShotList:
    """Read and check a shot list; raise ShotListError listing every problem."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ShotListError([f"not valid JSON ({error})"]) from None
    problems: list[str] = []
    if not isinstance(document, dict):
        raise ShotListError(["the file holds no JSON object"])
    _check_header(document, problems)
    if problems:  # another format or version: do not guess at its shots
        raise ShotListError(problems)
    skip = document.get("skip_existing", False)
    if not isinstance(skip, bool):
        problems.append("'skip_existing' must be true or false")
    raw_shots = document.get("shots")
    if not isinstance(raw_shots, list):
        raise ShotListError([*problems, "'shots' must be a list"])
    shots = [_read_shot(number, raw, names, problems) for number, raw in enumerate(raw_shots, start=1)]
    if problems:
        raise ShotListError(problems)
    return ShotList(tuple(shot for shot in shots if shot is not None), bool(skip))


def _check_header(document: Mapping[str, Any], problems: list[str]) -> None:
    if document.get("format") != FORMAT:
        problems.append(f"'format' must be \"{FORMAT}\" (got {document.get('format')!r})")
        return
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(f"'version' must be a whole number (got {version!r})")
    elif version > VERSION:
        problems.append(f"written by a newer multi_render (format version {version}); this one reads version {VERSION}")
    elif version < 1:
        problems.append(f"unknown format version {version}")
    problems.extend(f"unknown key '{key}'" for key in sorted(set(document) - _TOP_KEYS, key=str))


def _read_shot(number: int, raw: Any, names: Names, problems: list[str]) -> ShotData | None:
    where = f"shot {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where} is not an object")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        problems.append(f"{where}: 'name' must be a non-empty text")
        name = ""
    elif "\x00" in name:
        problems.append(f"{where}: 'name' holds a NUL character, which Blender cannot store")
        name = ""
    else:
        where = f"shot {number} '{name}'"
    before = len(problems)
    problems.extend(f"{where}: unknown key '{key}'" for key in sorted(set(raw) - _SHOT_KEYS, key=str))
    enabled = _typed(raw, "enabled", bool, True, where=where, problems=problems)
    camera = _typed(raw, "camera", str, "", where=where, problems=problems)
    filepath = _typed(raw, "filepath", str, "", where=where, problems=problems)
    if camera and camera not in names.cameras:
        problems.append(f"{where}: camera '{camera}' is not a camera in this file")
    overrides = _read_overrides(raw, names, where, problems)
    collections = _read_collections(raw.get("collections", []), names, where, problems)
    properties = _read_properties(raw.get("properties", []), where, problems)
    movie = _read_movie(raw["movie"], where, problems) if "movie" in raw else None
    if len(problems) > before:
        return None
    return ShotData(name, enabled, camera, filepath, overrides, collections, properties, movie)


def _read_movie(raw: Any, where: str, problems: list[str]) -> MovieData | None:
    if not isinstance(raw, dict) or set(raw) != {"format", "path"} or not all(isinstance(v, str) for v in raw.values()):
        problems.append(f'{where}: \'movie\' must be {{"format": text, "path": text}}')
        return None
    if raw["format"] not in FORMATS:
        problems.append(f"{where}: movie format must be one of {', '.join(FORMATS)} (got {raw['format']!r})")
        return None
    if problem := template_problem(raw["path"]) or ("\x00" in raw["path"] and "movie path: a NUL character"):
        problems.append(f"{where}: {problem}")
        return None
    return MovieData(raw["format"], raw["path"])


def _read_properties(raw: Any, where: str, problems: list[str]) -> tuple[PropertyData, ...]:
    """Property overrides: their syntax is checked here (nothing is run);
    whether the property exists in the file is checked before rendering."""
    if not isinstance(raw, list):
        problems.append(f"{where}: 'properties' must be a list")
        return ()
    found = []
    for number, entry in enumerate(raw, start=1):
        if (
            not isinstance(entry, dict)
            or not {"path", "value"} <= set(entry) <= {"path", "value", "enabled"}
            or not isinstance(entry["path"], str)
            or not isinstance(entry["value"], str)
            or not isinstance(entry.get("enabled", True), bool)
        ):
            problems.append(f'{where}: property {number} must be {{"path": text, "value": text}}')
            continue
        try:
            parse_path(entry["path"])
            parse_value(entry["value"])
        except PathError as error:
            problems.append(f"{where}: property {number}: {error}")
            continue
        found.append(PropertyData(entry["path"], entry["value"], entry.get("enabled", True)))
    return tuple(found)


def _typed(raw: Mapping[str, Any], key: str, kind: type, default: Any, *, where: str, problems: list[str]) -> Any:
    value = raw.get(key, default)
    if not _is(value, kind):
        problems.append(f"{where}: '{key}' must be {_KIND_NAMES[kind]} (got {value!r})")
        return default
    if kind is str and "\x00" in value:
        problems.append(f"{where}: '{key}' holds a NUL character, which Blender cannot store")
        return default
    return value


_KIND_NAMES = {int: "a whole number", str: "a text", bool: "true or false"}


def _is(value: Any, kind: type) -> bool:
    # bool is an int in Python: keep them apart.
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _read_overrides(raw: Mapping[str, Any], names: Names, where: str, problems: list[str]) -> dict[str, dict[str, Any]]:
    on: dict[str, dict[str, Any]] = {}
    for override in OVERRIDES:
        if override.key not in raw:
            continue
        values = _read_override(override, raw[override.key], where, problems)
        if values is None:
            continue
        found = problems_of({override.key: values}, names)
        problems.extend(f"{where}: {message}" for _field, message in found)
        if not found:
            on[override.key] = values
    return on


_JSON_TYPES = {Kind.INT: int, Kind.TEXT: str, Kind.CHOICE: str, Kind.WORLD: str}


def _read_override(override: BuiltinOverride, raw: Any, where: str, problems: list[str]) -> dict[str, Any] | None:
    """{prop: value} of one override, or None after adding its problems."""
    key, fields = override.key, override.fields
    if override.is_single:
        raw = {fields[0].json: raw}
    elif not isinstance(raw, dict) or not (
        {item.json for item in fields if not item.optional} <= set(raw) <= {item.json for item in fields}
    ):
        optional = [item.json for item in fields if item.optional]
        problems.append(
            f"{where}: '{key}' must be an object with {', '.join(item.json for item in fields if not item.optional)}"
            + (f" (and optionally {', '.join(optional)})" if optional else "")
        )
        return None
    raw = {item.json: item.default for item in fields if item.optional} | raw
    before = len(problems)
    for item in fields:
        value, name = raw[item.json], f"'{key}'" if override.is_single else f"'{key}' {item.json}"
        if not _is(value, _JSON_TYPES[item.kind]):
            problems.append(f"{where}: {name} must be {_KIND_NAMES[_JSON_TYPES[item.kind]]} (got {value!r})")
        elif isinstance(value, str) and "\x00" in value:
            problems.append(f"{where}: {name} holds a NUL character, which Blender cannot store")
        elif item.choices and value not in item.choices:
            problems.append(f"{where}: {name} must be one of {', '.join(item.choices)} (got {value!r})")
        elif item.kind is Kind.INT and not (_low(item) <= value <= _high(item)):
            problems.append(f"{where}: {name} must be {_low(item)} to {_high(item)} (got {value})")
    if len(problems) > before:
        return None
    return {item.prop: raw[item.json] for item in fields}


def _low(item: Field) -> int:
    return INT_MIN if item.minimum is None else item.minimum


def _high(item: Field) -> int:
    return INT_MAX if item.maximum is None else item.maximum


def _read_collections(raw: Any, names: Names, where: str, problems: list[str]) -> tuple[tuple[str, bool], ...]:
    if not isinstance(raw, list):
        problems.append(f"{where}: 'collections' must be a list")
        return ()
    entries = []
    for entry in raw:
        if (
            not isinstance(entry, dict)
            or set(entry) != {"collection", "hidden"}
            or not isinstance(entry["collection"], str)
            or not isinstance(entry["hidden"], bool)
        ):
            problems.append(f'{where}: each collection entry must be {{"collection": name, "hidden": true/false}}')
            continue
        if entry["collection"] not in names.collections:
            problems.append(f"{where}: collection '{entry['collection']}' does not exist in this file")
            continue
        entries.append((entry["collection"], entry["hidden"]))
    return tuple(entries)
