# SPDX-License-Identifier: GPL-3.0-or-later
"""The layout of a contact sheet: one tile per image in list order, left to
right and top to bottom, each with a strip for its label beneath."""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_TILE = 256  # pixels: the longer side of a tile
LABEL_HEIGHT = 20  # pixels under each tile for the shot's name
GAP = 4  # pixels between tiles and around the sheet


@dataclass(frozen=True)
class SheetLayout:
    columns: int
    rows: int
    tile: tuple[int, int]  # width, height of each image's place
    label_height: int

    @property
    def size(self) -> tuple[int, int]:
        width, height = self.tile
        return (
            GAP + self.columns * (width + GAP),
            GAP + self.rows * (height + self.label_height + GAP),
        )

    def tile_origin(self, number: int) -> tuple[int, int]:
        """The top-left pixel of tile `number` (from 0), counted from the top."""
        row, column = divmod(number, self.columns)
        width, height = self.tile
        return GAP + column * (width + GAP), GAP + row * (height + self.label_height + GAP)


def layout_for(count: int, first_size: tuple[int, int], labels: bool = True) -> SheetLayout:
    """A near-square grid for `count` images; tiles keep the first image's
    aspect, at most MAX_TILE on their longer side."""
    if count < 1:
        raise ValueError("a contact sheet needs at least one image")
    width, height = max(first_size[0], 1), max(first_size[1], 1)
    scale = min(1.0, MAX_TILE / max(width, height))
    tile = (max(1, round(width * scale)), max(1, round(height * scale)))
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    return SheetLayout(columns, rows, tile, LABEL_HEIGHT if labels else 0)


def fit(source: tuple[int, int], tile: tuple[int, int]) -> tuple[int, int]:
    """The size of an image scaled into a tile, keeping its aspect."""
    scale = min(tile[0] / max(source[0], 1), tile[1] / max(source[1], 1))
    return max(1, round(source[0] * scale)), max(1, round(source[1] * scale))
