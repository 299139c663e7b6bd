# SPDX-License-Identifier: GPL-3.0-or-later
"""Property overrides as text, parsed and never evaluated: a .blend or a shot
list from the internet must not be able to run code.

A path is what Blender's "Copy Full Data Path" gives:
    bpy.data.<collection>["<name>"] then steps: .attribute  ["key"]  [index]
e.g. bpy.data.lights["Key"].energy or
bpy.data.materials["Paint"].node_tree.nodes["Principled BSDF"].inputs[0].default_value.
Attribute names never start with "_" and no step can call anything, so the
only thing a path can reach is data inside bpy.data. A value is a Python
literal read by ast.literal_eval (which builds constants and never calls),
or a datablock written as a path with no steps: bpy.data.materials["Red"]."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

# bpy.data collections a path may start from: (collection, the ID type that
# Blender's ID.id_type gives for its datablocks).
ID_COLLECTIONS: dict[str, str] = {
    "actions": "ACTION",
    "armatures": "ARMATURE",
    "brushes": "BRUSH",
    "cache_files": "CACHEFILE",
    "cameras": "CAMERA",
    "collections": "COLLECTION",
    "curves": "CURVE",
    "fonts": "FONT",
    "grease_pencils": "GREASEPENCIL",
    "hair_curves": "CURVES",
    "images": "IMAGE",
    "lattices": "LATTICE",
    "lightprobes": "LIGHT_PROBE",
    "lights": "LIGHT",
    "linestyles": "LINESTYLE",
    "masks": "MASK",
    "materials": "MATERIAL",
    "meshes": "MESH",
    "metaballs": "META",
    "movieclips": "MOVIECLIP",
    "node_groups": "NODETREE",
    "objects": "OBJECT",
    "paint_curves": "PAINTCURVE",
    "palettes": "PALETTE",
    "particles": "PARTICLE",
    "pointclouds": "POINTCLOUD",
    "scenes": "SCENE",
    "sounds": "SOUND",
    "speakers": "SPEAKER",
    "textures": "TEXTURE",  # (no "texts": a text can be registered as a module and run)
    "volumes": "VOLUME",
    "worlds": "WORLD",
}
COLLECTION_OF_ID_TYPE = {id_type: collection for collection, id_type in ID_COLLECTIONS.items()}

MAX_PATH_CHARS = 1024
MAX_STEPS = 32
MAX_VALUE_CHARS = 4096
MAX_INDEX = 1 << 20

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_INDEX = re.compile(r"[0-9]{1,7}")


class PathError(ValueError):
    """A path or value this module refuses, with a reason a person can act on."""


@dataclass(frozen=True)
class Step:
    kind: str  # "attr", "key" or "index"
    value: str | int

    def rna(self) -> str:
        if self.kind == "attr":
            return f".{self.value}"
        if self.kind == "key":
            return f"[{quote(str(self.value))}]"
        return f"[{self.value}]"


@dataclass(frozen=True)
class DataPath:
    collection: str  # an attribute of bpy.data, one of ID_COLLECTIONS
    name: str  # the datablock's name
    steps: tuple[Step, ...] = ()

    @property
    def datablock_text(self) -> str:
        return f"bpy.data.{self.collection}[{quote(self.name)}]"

    def rna_path(self, steps: tuple[Step, ...] | None = None) -> str:
        """The steps as an RNA path from the datablock (for ID.path_resolve)."""
        return "".join(step.rna() for step in (self.steps if steps is None else steps)).lstrip(".")

    def __str__(self) -> str:
        return self.datablock_text + "".join(step.rna() for step in self.steps)


def quote(text: str) -> str:
    """A name in double quotes, as Blender writes data paths."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def custom_key_text(key: str) -> str:
    """How a custom property is named as one step: ["key"]."""
    return f"[{quote(key)}]"


def custom_key_of(text: str) -> str | None:
    """The key of a custom_key_text, or None for an attribute's name."""
    if not text.startswith("["):
        return None
    reader = _Reader(text)
    step = reader.subscript()
    if step.kind != "key" or not reader.done():
        raise PathError(f"not a custom property step: {text!r}")
    return str(step.value)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def done(self) -> bool:
        return self.at >= len(self.text)

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def expect(self, literal: str) -> None:
        if not self.text.startswith(literal, self.at):
            raise PathError(f"expected {literal!r} at character {self.at + 1}")
        self.at += len(literal)

    def identifier(self) -> str:
        match = _IDENT.match(self.text, self.at)
        if match is None:
            if self.peek() == "_":
                raise PathError(f"names starting with '_' are not allowed (character {self.at + 1})")
            raise PathError(f"expected a name at character {self.at + 1}")
        self.at = match.end()
        return match.group()

    def string(self) -> str:
        quote_char = self.peek()
        if quote_char not in ("'", '"'):
            raise PathError(f"expected a quoted name at character {self.at + 1}")
        self.at += 1
        out: list[str] = []
        while True:
            if self.done():
                raise PathError("a quoted name is not closed")
            char = self.text[self.at]
            if char == "\\":
                if self.at + 1 >= len(self.text):
                    raise PathError("a quoted name is not closed")
                out.append(self.text[self.at + 1])
                self.at += 2
                continue
            self.at += 1
            if char == quote_char:
                return "".join(out)
            out.append(char)

    def subscript(self) -> Step:
        self.expect("[")
        if self.peek() in ("'", '"'):
            step = Step("key", self.string())
        else:
            match = _INDEX.match(self.text, self.at)
            if match is None:
                raise PathError(f"expected a quoted name or a number at character {self.at + 1}")
            self.at = match.end()
            step = Step("index", int(match.group()))
        self.expect("]")
        return step


def parse_path(text: str) -> DataPath:
    """A data path rooted at bpy.data, or PathError. Surrounding spaces are ignored."""
    text = text.strip()
    if not text:
        raise PathError("the path is empty")
    if len(text) > MAX_PATH_CHARS:
        raise PathError(f"the path is {len(text)} characters long (at most {MAX_PATH_CHARS})")
    reader = _Reader(text)
    if not text.startswith("bpy.data."):
        raise PathError('a path must start with bpy.data.<collection>["name"] (use Copy Full Data Path)')
    reader.expect("bpy.data.")
    collection = reader.identifier()
    if collection not in ID_COLLECTIONS:
        raise PathError(f"bpy.data.{collection} is not a collection of datablocks")
    if reader.peek() != "[":
        raise PathError(f'expected ["name"] after bpy.data.{collection}')
    reader.expect("[")
    name = reader.string()
    reader.expect("]")
    steps: list[Step] = []
    while not reader.done():
        if len(steps) >= MAX_STEPS:
            raise PathError(f"the path has more than {MAX_STEPS} steps")
        if reader.peek() == ".":
            reader.expect(".")
            steps.append(Step("attr", reader.identifier()))
        elif reader.peek() == "[":
            steps.append(reader.subscript())
        else:
            raise PathError(f"unexpected {reader.peek()!r} at character {reader.at + 1}")
    return DataPath(collection, name, tuple(steps))


@dataclass(frozen=True)
class DatablockValue:
    """A value that names a datablock (for a pointer property)."""

    collection: str
    name: str


Literal = bool | int | float | str | tuple[Any, ...] | DatablockValue | None


def parse_value(text: str) -> Literal:
    """A Python literal (a number, True/False, a quoted string, a tuple or
    list of numbers, None) or a datablock path; PathError otherwise."""
    text = text.strip()
    if not text:
        raise PathError("the value is empty")
    if len(text) > MAX_VALUE_CHARS:
        raise PathError(f"the value is {len(text)} characters long (at most {MAX_VALUE_CHARS})")
    if text.startswith("bpy."):
        path = parse_path(text)
        if path.steps:
            raise PathError('a datablock value is bpy.data.<collection>["name"] with nothing after it')
        return DatablockValue(path.collection, path.name)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as error:
        raise PathError(f"not a literal value ({type(error).__name__})") from error
    return _plain(value)


def _plain(value: Any, depth: int = 0) -> Literal:
    """Only the kinds a Blender property takes; lists become tuples."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and depth < 2:
        return tuple(_plain(item, depth + 1) for item in value)
    raise PathError(f"a {type(value).__name__} cannot be a property's value")


def value_text(value: Literal) -> str:
    """The text parse_value reads back as `value`."""
    if isinstance(value, DatablockValue):
        return f"bpy.data.{value.collection}[{quote(value.name)}]"
    if isinstance(value, float):
        # Blender stores 32-bit floats: 0.800000011920929 reads as 0.8.
        text = format(value, ".7g")
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, tuple):
        return "(" + ", ".join(value_text(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)
