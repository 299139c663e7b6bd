# SPDX-License-Identifier: GPL-3.0-or-later
"""The scene's compositor File Output nodes (render passes, AOVs): each one
that writes during a render, and the setting that holds its folder. Blender
5.x keeps the compositor in `scene.compositing_node_group` and the folder in
`directory`; 4.2 to 4.5 in `scene.node_tree` (when `scene.use_nodes`) and
`base_path`. Nodes inside node groups write too; muted ones and a disabled
compositor (`render.use_compositing`) write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import bpy

from ..core.property_paths import quote

_FILE_OUTPUT = "CompositorNodeOutputFile"
_MAX_GROUP_DEPTH = 16  # a group inside itself cannot be made, but stay safe


@dataclass(frozen=True)
class FileOutputNode:
    name: str  # "Tree > Node", how messages and shots name it
    owner: bpy.types.ID  # the datablock the node lives in (its tree, or the scene for 4.x's own tree)
    node_path: str  # RNA path from `owner` to the node
    attribute: str  # "directory" (5.x) or "base_path" (4.x)

    def node(self) -> Any:
        return self.owner.path_resolve(self.node_path)

    @property
    def folder(self) -> str:
        return str(getattr(self.node(), self.attribute))


def _scene_tree(scene: bpy.types.Scene) -> tuple[Any, bpy.types.ID, str] | None:
    """The compositor's tree, the datablock that owns it, and the path to it."""
    tree = getattr(scene, "compositing_node_group", None)  # 5.0+
    if tree is not None:
        return tree, tree, ""
    if hasattr(scene, "compositing_node_group"):
        return None
    if getattr(scene, "use_nodes", False) and getattr(scene, "node_tree", None) is not None:
        return scene.node_tree, scene, "node_tree."  # embedded in the scene, not in bpy.data
    return None


def file_output_nodes(scene: bpy.types.Scene) -> list[FileOutputNode]:
    """Every File Output node that writes when this scene renders."""
    if not scene.render.use_compositing:
        return []
    found = _scene_tree(scene)
    if found is None:
        return []
    tree, owner, prefix = found
    nodes: dict[str, FileOutputNode] = {}
    for node in _walk(tree, owner, prefix, depth=0):
        nodes.setdefault(node.name, node)  # a group used twice holds the same node
    return list(nodes.values())


def _walk(tree: Any, owner: bpy.types.ID, prefix: str, depth: int) -> Iterator[FileOutputNode]:
    if depth > _MAX_GROUP_DEPTH:
        return
    for node in tree.nodes:
        if node.mute:
            continue
        if node.bl_idname == _FILE_OUTPUT:
            attribute = "directory" if hasattr(node, "directory") else "base_path"
            yield FileOutputNode(f"{tree.name} > {node.name}", owner, f"{prefix}nodes[{quote(node.name)}]", attribute)
        elif getattr(node, "node_tree", None) is not None:
            group = node.node_tree
            yield from _walk(group, group, "", depth + 1)
