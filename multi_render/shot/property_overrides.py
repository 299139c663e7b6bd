# SPDX-License-Identifier: GPL-3.0-or-later
"""Property overrides on the Blender side: find the property a parsed path
names (core.property_paths parses; Blender's own RNA path resolution walks,
which runs no Python), check that a value fits it, and set it through a
SettingsGuard. Nothing here evaluates text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

import bpy

from ..core.overrides import SCENE_SETTING_OWNERS
from ..core.property_paths import (
    COLLECTION_OF_ID_TYPE,
    ID_COLLECTIONS,
    DatablockValue,
    DataPath,
    Literal,
    PathError,
    custom_key_of,
    custom_key_text,
    parse_path,
    parse_value,
    value_text,
)
from ..guards.settings import SettingsGuard

_SETTABLE_TYPES = {"BOOLEAN", "INT", "FLOAT", "STRING", "ENUM", "POINTER"}

# Where a text or a pointer becomes code that Blender runs (a driver's
# expression, a script node, a text datablock registered as a module):
# nothing under these is ever overridden.
_CODE_STEPS = {"animation_data", "drivers", "driver", "expression", "script", "use_module"}
_CODE_STRUCTS = {"AnimData", "Driver", "DriverVariable", "DriverTarget", "FCurve", "Text", "ShaderNodeScript"}
_CODE_REFUSAL = "drivers, scripts and texts can run code and cannot be overridden"

# Settings the queue sets itself, or reads to know which files a shot
# writes: an override of one would let a shot write files the queue does not
# know of (over another shot's). The shot's own fields set these.
_QUEUE_SCENE_SETTINGS = {
    "camera": "the shot's camera",
    "render.filepath": "the shot's output path",
    "render.use_file_extension": "the scene's setting",
    "render.use_compositing": "the scene's setting",
    "use_nodes": "the scene's setting",
    "node_tree": "the scene's setting",
    "compositing_node_group": "the scene's setting",
    # The frames and the file format decide a shot's file names.
    **{
        setting: f"the shot's {owner.label} override"
        for setting, owner in SCENE_SETTING_OWNERS.items()
        if owner.key in {"frame", "frame_range", "file_format"}
    },
}
_FILE_OUTPUT_NODE = "CompositorNodeOutputFile"
_KIND_WORDS = {"lights": "light", "objects": "object", "materials": "material", "scenes": "scene", "worlds": "world"}


@dataclass(frozen=True)
class Target:
    """The property a path names, found in this Blender's data."""

    path: DataPath
    block: bpy.types.ID  # the datablock the path starts from
    owner_path: str  # RNA path from the datablock to the struct that has the property
    attribute: str
    index: int | None  # one item of an array property, or None for all of it
    prop: Any  # the property's RNA definition (bpy.types.Property); None for a custom property

    def owner(self) -> Any:
        return self.block.path_resolve(self.owner_path) if self.owner_path else self.block

    @property
    def custom_key(self) -> str | None:
        """The key of a custom property, None for an RNA property."""
        return custom_key_of(self.attribute)

    def current(self) -> Any:
        """The whole property's value now (an array as a tuple)."""
        key = self.custom_key
        if key is not None:
            return _custom_value(self.owner(), key)
        return getattr(self.owner(), self.attribute)


def _kind(collection: str) -> str:
    return _KIND_WORDS.get(collection, collection.rstrip("s").replace("_", " "))


def resolve(path: DataPath) -> Target:
    """The property `path` names, or PathError saying what is missing."""
    block = getattr(bpy.data, path.collection).get(path.name)
    if block is None:
        raise PathError(f"{_kind(path.collection)} '{path.name}' does not exist (deleted or renamed?)")
    if block.library is not None:
        raise PathError(f"{_kind(path.collection)} '{path.name}' is linked from a library and cannot change")
    steps = path.steps
    index: int | None = None
    if steps and steps[-1].kind == "index" and len(steps) >= 2 and steps[-2].kind in {"attr", "key"}:
        index = int(steps[-1].value)
        steps = steps[:-1]
    if not steps or (steps[-1].kind == "index" and index is None):
        raise PathError("the path must end with a property's name or a custom property's [\"key\"]")
    if {str(step.value) for step in path.steps if step.kind == "attr"} & _CODE_STEPS:
        raise PathError(_CODE_REFUSAL)
    owner_steps = steps[:-1]
    owner_path = path.rna_path(owner_steps)
    try:
        owner = block.path_resolve(owner_path) if owner_path else block
    except ValueError:
        raise PathError(
            f"'{path.rna_path(owner_steps)}' does not exist in {_kind(path.collection)} '{path.name}'"
        ) from None
    if not hasattr(owner, "bl_rna"):
        raise PathError(f"'{owner_path}' is not something with properties")
    last = steps[-1]
    if last.kind == "key":  # a custom property: owner["key"]
        attribute = custom_key_text(str(last.value))
        _refuse_code_and_queue_settings(path, owner, owner_path, attribute)
        _check_custom_property(owner, str(last.value), index)
        return Target(path, block, owner_path, attribute, index, None)
    attribute = str(last.value)
    _refuse_code_and_queue_settings(path, owner, owner_path, attribute)
    prop = _settable_property(owner, owner_path, attribute, index)
    return Target(path, block, owner_path, attribute, index, prop)


# The kinds of custom property an override can set: numbers, text, and
# arrays of numbers (not groups, which hold add-ons' settings, nor datablocks).
_CUSTOM_KINDS = (bool, int, float, str)


def _custom_value(owner: Any, key: str) -> Any:
    value = owner[key]
    if hasattr(value, "to_list"):  # an IDPropertyArray
        return tuple(value.to_list())
    return value


def _check_custom_property(struct: Any, key: str, index: int | None) -> None:
    if not isinstance(struct, bpy.types.bpy_struct):  # e.g. nodes["Mix"]: an item, not a custom property
        raise PathError("the path must end with a property's name or a custom property's [\"key\"]")
    owner: Any = struct
    if key in owner.bl_rna.properties:
        # A property an add-on registered (scene.cycles["samples"]) is stored
        # like a custom one; written as one, it would skip its own checks.
        raise PathError(f"'{key}' is a property, not a custom property: write .{key} instead of [\"{key}\"]")
    try:
        exists = key in owner
    except TypeError:  # a struct that cannot hold custom properties
        exists = False
    if not exists:
        where = getattr(owner, "name", "") or owner.bl_rna.name
        raise PathError(f"'{where}' has no custom property '{key}' (add it first: the override changes its value)")
    value = _custom_value(owner, key)
    items = value if isinstance(value, tuple) else (value,)
    if not items or not all(isinstance(item, _CUSTOM_KINDS) for item in items):
        held = owner[key]
        what = "a group of properties" if hasattr(held, "keys") else f"a {type(held).__name__}"
        raise PathError(
            f"custom property '{key}' holds {what}: only numbers, text and arrays of numbers can be overridden"
        )
    if _is_animated(owner, custom_key_text(key)):
        raise PathError(f"'{key}' is animated or driven: the render would use that, not the override")
    if index is not None and not (isinstance(value, tuple) and 0 <= index < len(value)):
        raise PathError(f"custom property '{key}' has no item {index}")


def _settable_property(owner: Any, owner_path: str, attribute: str, index: int | None) -> Any:
    """The RNA property `attribute` of `owner`, or PathError if an override
    cannot set it."""
    prop = owner.bl_rna.properties.get(attribute)
    if prop is None:
        raise PathError(f"{owner.bl_rna.name or owner.bl_rna.identifier} has no property '{attribute}'")
    if prop.type not in _SETTABLE_TYPES:
        raise PathError(f"'{attribute}' is a {prop.type.lower()} and cannot be overridden")
    if prop.is_readonly or owner.is_property_readonly(attribute):
        raise PathError(f"'{attribute}' is read-only")
    if getattr(owner.id_data, "library", None) is not None:
        raise PathError(f"'{owner_path}' is linked from a library and cannot change")
    name_property = owner.bl_rna.name_property
    if isinstance(owner, bpy.types.ID) and attribute == "name":
        raise PathError("a datablock's name cannot be overridden")
    if name_property is not None and name_property.identifier == attribute:
        raise PathError(f"'{attribute}' names the {owner.bl_rna.name.lower() or 'item'} and cannot be overridden")
    if _is_animated(owner, attribute):
        raise PathError(f"'{attribute}' is animated or driven: the render would use that, not the override")
    if index is not None and not (0 <= index < getattr(prop, "array_length", 0)):
        raise PathError(f"'{attribute}' has no item {index}")
    return prop


def _refuse_code_and_queue_settings(path: DataPath, owner: Any, owner_path: str, attribute: str) -> None:
    if _struct_names(owner.bl_rna) & _CODE_STRUCTS:
        raise PathError(_CODE_REFUSAL)
    full = f"{owner_path}.{attribute}" if owner_path else attribute
    if path.collection == "scenes" and full in _QUEUE_SCENE_SETTINGS:
        raise PathError(f"the queue sets '{full}' itself: use {_QUEUE_SCENE_SETTINGS[full]}")
    if getattr(owner, "bl_idname", "") == _FILE_OUTPUT_NODE:
        raise PathError("the queue sets File Output nodes' folders itself (see Render passes)")


def _struct_names(struct: Any) -> set[str]:
    """An RNA struct's identifier and those of the structs it derives from."""
    names = set()
    while struct is not None:
        names.add(struct.identifier)
        struct = struct.base
    return names


def _is_animated(owner: Any, attribute: str) -> bool:
    """Whether keyframes or a driver set this property during a render."""
    block = owner.id_data
    animation = getattr(block, "animation_data", None)
    if animation is None:
        return False
    try:
        # A custom property's curve path ends with ["key"], as its attribute is written.
        if not attribute.startswith("["):
            path = owner.path_from_id(attribute)
        else:
            path = ("" if owner == block else owner.path_from_id()) + attribute
    except ValueError:
        return False
    if any(curve.data_path == path for curve in animation.drivers):
        return True
    return any(curve.data_path == path for curve in _action_curves(animation))


def _action_curves(animation: Any) -> list[Any]:
    action = animation.action
    if action is None:
        return []
    curves = getattr(action, "fcurves", None)  # Blender 4.x
    if curves is not None:
        return list(curves)
    found = []  # Blender 5.x: layered actions keep curves per slot
    for layer in getattr(action, "layers", ()):
        for strip in layer.strips:
            bag = strip.channelbag(animation.action_slot) if animation.action_slot else None
            found += list(bag.fcurves) if bag is not None else []
    return found


def _check_number(prop: Any, value: Any) -> Any:
    if prop.type == "BOOLEAN":
        if not isinstance(value, bool):
            raise PathError(f"expects True or False, not {value!r}")
        return value
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (prop.type == "INT" and isinstance(value, float))
    ):
        raise PathError(f"expects {'a whole number' if prop.type == 'INT' else 'a number'}, not {value!r}")
    if not prop.hard_min <= value <= prop.hard_max:
        raise PathError(f"{value!r} is outside {prop.hard_min:g} to {prop.hard_max:g}")
    return value


def _is_enum_item(owner: Any, prop: Any, value: str) -> bool:
    # Many enums fill their items at run time (view transforms, colour
    # spaces): ask Blender for this owner's items, not the static list.
    return bool(bpy.types.UILayout.enum_item_name(owner, prop.identifier, value))


def _refuse_enum(owner: Any, prop: Any, value: Any) -> NoReturn:
    """Name the items this owner offers now: some depend on its other
    settings (an image format's views formats), so a known item may not be one."""
    names = [item.identifier for item in prop.enum_items if _is_enum_item(owner, prop, item.identifier)]
    choices = f"one of {', '.join(repr(n) for n in names[:12])}" if len(names) > 1 else "one of its choices"
    if isinstance(value, str) and value in prop.enum_items:
        raise PathError(f"{value!r} is not offered with the current settings ({choices})")
    raise PathError(f"expects {choices}, not {value!r}")


def _check_one(owner: Any, prop: Any, value: Any) -> Any:
    """One item of the property's type."""
    if prop.type in {"BOOLEAN", "INT", "FLOAT"}:
        return _check_number(prop, value)
    if prop.type == "STRING":
        if not isinstance(value, str):
            raise PathError(f"expects text in quotes, not {value!r}")
        return value
    if prop.type == "ENUM":
        return _check_one_enum(owner, prop, value)
    # POINTER: a datablock or None.
    if "ID" not in _struct_names(prop.fixed_type):
        raise PathError(f"'{prop.identifier}' points to data inside a datablock and cannot be overridden")
    if value is None:
        return None
    if not isinstance(value, DatablockValue):
        raise PathError(f'expects a datablock such as bpy.data.{_guess_collection(prop)}["Name"], not {value!r}')
    block = getattr(bpy.data, value.collection).get(value.name)
    if block is None:
        raise PathError(f"{_kind(value.collection)} '{value.name}' does not exist")
    if not isinstance(block, getattr(bpy.types, prop.fixed_type.identifier)):
        raise PathError(f"expects a {prop.fixed_type.identifier}, not {_kind(value.collection)} '{value.name}'")
    return block


def _guess_collection(prop: Any) -> str:
    wanted = prop.fixed_type.identifier.upper()
    return next((c for c, id_type in ID_COLLECTIONS.items() if id_type == wanted), "materials")


def check_value(target: Target, value: Literal) -> Any:
    """The value as the property takes it (a datablock for a pointer), or
    PathError saying why it does not fit."""
    prop = target.prop
    owner = target.owner()
    if prop is None:
        return _check_custom_value(owner, str(target.custom_key), target.index, value)
    length = getattr(prop, "array_length", 0) if target.index is None else 0
    if length:
        if len(getattr(prop, "array_dimensions", (length,))) > 1 and prop.array_dimensions[1]:
            raise PathError(f"'{target.attribute}' is a matrix and cannot be overridden")
        if not isinstance(value, tuple) or len(value) != length:
            raise PathError(f"expects {length} values in brackets, like ({', '.join(['0'] * length)})")
        return tuple(_check_one(owner, prop, item) for item in value)
    if prop.type == "ENUM" and prop.is_enum_flag:
        items = value if isinstance(value, tuple) else (value,)
        return {_check_one_enum(owner, prop, item) for item in items}
    if isinstance(value, tuple):
        raise PathError(f"expects a single value, not {len(value)}")
    return _check_one(owner, prop, value)


def _check_custom_value(owner: Any, key: str, index: int | None, value: Literal) -> Any:
    """A value of the custom property's present kind (a float stays a float),
    inside the limits its Edit Property settings give."""
    current = _custom_value(owner, key)
    if isinstance(current, tuple) and index is None:
        if not isinstance(value, tuple) or len(value) != len(current):
            raise PathError(f"expects {len(current)} values in brackets, like ({', '.join(['0'] * len(current))})")
        return tuple(_custom_item(owner, key, old, new) for old, new in zip(current, value, strict=True))
    if isinstance(value, tuple):
        raise PathError(f"expects a single value, not {len(value)}")
    return _custom_item(
        owner, key, current[index] if isinstance(current, tuple) and index is not None else current, value
    )


def _custom_item(owner: Any, key: str, current: Any, value: Any) -> Any:
    if isinstance(current, bool | str):
        if type(value) is not type(current):
            raise PathError(
                f"expects {'True or False' if isinstance(current, bool) else 'text in quotes'}, not {value!r}"
            )
        return value
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(current, int) and isinstance(value, float))
    ):
        raise PathError(f"expects {'a whole number' if isinstance(current, int) else 'a number'}, not {value!r}")
    limits = owner.id_properties_ui(key).as_dict() if hasattr(owner, "id_properties_ui") else {}
    low, high = limits.get("min"), limits.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        raise PathError(f"{value!r} is outside {low:g} to {high:g}")
    return float(value) if isinstance(current, float) else value


def _check_one_enum(owner: Any, prop: Any, value: Any) -> str:
    if not isinstance(value, str) or not _is_enum_item(owner, prop, value):
        _refuse_enum(owner, prop, value)
    return str(value)


def check(path_text: str, value_text: str) -> tuple[Target, Any]:
    """Parse, resolve and check one override; PathError names what is wrong."""
    target = resolve(parse_path(path_text))
    try:
        return target, check_value(target, parse_value(value_text))
    except PathError as error:
        raise PathError(f"value {value_text.strip()!r}: {error}") from None


@dataclass(frozen=True)
class Checked:
    """One enabled override of a shot after `check`: its target and value,
    or the problem that keeps it from being applied."""

    position: int  # in the shot's list of overrides, from 0
    text: str  # the path as the person wrote it
    target: Target | None
    value: Any = None
    problem: str = ""


def check_shot(shot: Any) -> list[Checked]:
    """Check every enabled override of a shot; problems are kept, not raised."""
    found = []
    for position, item in enumerate(shot.property_overrides):
        if not item.enabled:
            continue
        try:
            target, value = check(item.data_path, item.value)
            found.append(Checked(position, item.data_path, target, value))
        except PathError as error:
            found.append(Checked(position, item.data_path, None, problem=str(error)))
    return found


def apply(guard: SettingsGuard, target: Target, value: Any) -> None:
    """Set the property; `guard.restore()` puts the person's value back."""
    if target.index is not None:
        items = list(target.current())
        items[target.index] = value
        value = tuple(items)
    guard.set_at(target.block, target.owner_path, target.attribute, value)


def current_value_text(target: Target) -> str:
    """The property's value now, as override text."""
    value = target.current()
    if target.index is not None:
        value = value[target.index]
    if isinstance(value, bpy.types.ID):
        return value_text(DatablockValue(_collection_of(value), value.name))
    if value is not None and not isinstance(value, str) and hasattr(value, "__len__"):
        value = tuple(value)
    return value_text(value)


def _collection_of(block: bpy.types.ID) -> str:
    return COLLECTION_OF_ID_TYPE.get(block.id_type, "")


def widget(target: Target) -> str:
    """Which view of an override's value the panel draws (props.py): the
    property's own kind of widget where there is one, else the text."""
    prop = target.prop
    if prop is None:  # a custom property: its present value tells
        value = target.current()
        value = value[target.index] if target.index is not None else value
        kinds = {bool: "flag", int: "whole", float: "number"}
        return kinds.get(type(value), "value")
    length = getattr(prop, "array_length", 0) if target.index is None else 0
    if length == 0:
        return {"BOOLEAN": "flag", "INT": "whole", "FLOAT": "number"}.get(prop.type, "value")
    if prop.type == "FLOAT" and prop.subtype == "COLOR" and length in (3, 4):  # (the swatch is linear)
        return f"color{length}"
    return "value"


def label(target: Target) -> str:
    """How the panel names an override: "Key: Power", "Paint: Base Color"."""
    owner = target.owner()
    prop_name = target.custom_key if target.prop is None else (target.prop.name or target.attribute)
    item = f"[{target.index}]" if target.index is not None else ""
    inner = getattr(owner, "name", "") if owner is not target.block else ""
    where = f"{target.block.name} > {inner}" if inner and isinstance(inner, str) else target.block.name
    return f"{where}: {prop_name}{item}"


def path_of_button(pointer: Any, prop: Any) -> DataPath | None:
    """The full data path of a property button (what Copy Full Data Path
    gives), or None when it lives outside bpy.data's datablocks."""
    block = pointer.id_data
    if block is None:
        return None
    try:
        inner = pointer.path_from_id(prop.identifier)
    except ValueError:
        return None
    collection = _collection_of(block)
    if collection and getattr(bpy.data, collection).get(block.name) == block:
        root = DataPath(collection, block.name)
    else:
        owner = _embedding_owner(block)  # a material's node tree is not in bpy.data.node_groups
        if owner is None:
            return None
        root, inner = DataPath(_collection_of(owner), owner.name), f"node_tree.{inner}"
    text = root.datablock_text + ("" if inner.startswith("[") else ".") + inner
    try:
        return parse_path(text)
    except PathError:
        return None


def _embedding_owner(tree: bpy.types.ID) -> bpy.types.ID | None:
    for collection in ("materials", "worlds", "lights", "scenes", "textures", "linestyles"):
        for owner in getattr(bpy.data, collection):
            if getattr(owner, "node_tree", None) == tree:
                return owner  # type: ignore[no-any-return]
    return None
