# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a contact sheet: every image of a run on one PNG grid, each tile
labelled with its shot's name (core/contact_sheet.py lays it out). Works in
background mode too. Images are read through temporary image datablocks
that are removed at once; nothing stays in the person's .blend."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

import bpy
import numpy as np

from .core.contact_sheet import SheetLayout, fit, layout_for
from .core.logs import logger

log = logger(__name__)

_BACKGROUND = (0.12, 0.12, 0.12, 1.0)
_TEXT = (0.9, 0.9, 0.9, 1.0)


@contextlib.contextmanager
def _loaded(path: str) -> Iterator[Any]:
    image = bpy.data.images.load(path, check_existing=False)
    try:
        yield image
    finally:
        bpy.data.images.remove(image)


def _pixels(image: Any) -> np.ndarray:
    """RGBA rows from the top, display-referred (a float image is made sRGB)."""
    width, height = image.size
    values = np.empty(width * height * image.channels, dtype=np.float32)
    image.pixels.foreach_get(values)
    values = values.reshape(height, width, image.channels)
    if image.channels < 4:  # grey or RGB: make it RGBA
        rgb = np.repeat(values[..., :1], 3, axis=2) if image.channels < 3 else values[..., :3]
        values = np.concatenate([rgb, np.ones((height, width, 1), dtype=np.float32)], axis=2)
    if image.is_float:
        values[..., :3] = np.clip(values[..., :3], 0.0, 1.0) ** (1 / 2.2)
    return values[::-1]


def _scaled(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour scaling: fast, and exact for a tile's colours."""
    height, width = pixels.shape[:2]
    rows = (np.arange(size[1]) * height // size[1]).clip(0, height - 1)
    columns = (np.arange(size[0]) * width // size[0]).clip(0, width - 1)
    scaled: np.ndarray = pixels[rows][:, columns]
    return scaled


def write(images: Sequence[tuple[str, str]], path: str) -> str:
    """Write a sheet of (label, image file) to `path` (PNG); return the path.
    Raises OSError or RuntimeError when it cannot be written. Files Blender
    cannot read leave their tile empty."""
    # Each image is scaled to its tile as soon as it is read, so a run of
    # large renders never holds more than one of them at full size.
    readable: list[tuple[str, np.ndarray]] = []
    sheet_layout: SheetLayout | None = None
    for label, image_path in images:
        try:
            with _loaded(image_path) as image:
                if not (image.size[0] and image.size[1]):
                    continue
                if sheet_layout is None:  # the first image sets the tiles' shape
                    sheet_layout = layout_for(len(images), (image.size[0], image.size[1]))
                pixels = _pixels(image)
        except RuntimeError as error:
            log.warning("contact sheet: cannot read '%s': %s", image_path, error)
            continue
        size = fit((pixels.shape[1], pixels.shape[0]), sheet_layout.tile)
        readable.append((label, _scaled(pixels, size)))
    if not readable or sheet_layout is None:
        raise RuntimeError("no image could be read")
    if len(readable) != len(images):  # unreadable files leave no gap
        sheet_layout = layout_for(len(readable), sheet_layout.tile)
    width, height = sheet_layout.size
    sheet = np.empty((height, width, 4), dtype=np.float32)
    sheet[:] = _BACKGROUND
    for number, (_label, tile) in enumerate(readable):
        left, top = sheet_layout.tile_origin(number)
        h, w = tile.shape[:2]
        # Centred in the tile; alpha over the sheet's background.
        x = left + (sheet_layout.tile[0] - w) // 2
        y = top + (sheet_layout.tile[1] - h) // 2
        alpha = tile[..., 3:4]
        sheet[y : y + h, x : x + w, :3] = tile[..., :3] * alpha + sheet[y : y + h, x : x + w, :3] * (1 - alpha)
    _draw_labels(sheet, sheet_layout, [label for label, _pixels in readable])
    _save_png(sheet, path)
    return path


def _draw_labels(sheet: np.ndarray, sheet_layout: SheetLayout, labels: list[str]) -> None:
    """Each tile's label, drawn by Blender's font code into an image buffer
    (blf.bind_imbuf and draw_buffer, Blender 4.4+) with the default font;
    4.2 and 4.3 write sheets without labels. (blf.draw there draws nothing,
    and blf.load crashed Blender 5.2 in background mode when tried.)"""
    import blf  # noqa: PLC0415
    import imbuf  # noqa: PLC0415

    if not hasattr(blf, "bind_imbuf"):
        return
    height, width = sheet.shape[:2]
    buffer = imbuf.new((width, height))
    font = 0
    with blf.bind_imbuf(font, buffer):
        blf.size(font, 13)
        blf.color(font, *_TEXT)
        for number, label in enumerate(labels):
            left, top = sheet_layout.tile_origin(number)
            baseline = top + sheet_layout.tile[1] + sheet_layout.label_height - 6
            blf.position(font, left + 2, height - baseline, 0)
            blf.draw_buffer(font, _fitted(font, label, sheet_layout.tile[0] - 4))  # type: ignore[attr-defined]
    mask = _imbuf_alpha(buffer)
    if mask is not None:
        sheet[..., :3] = sheet[..., :3] * (1 - mask) + np.array(_TEXT[:3], dtype=np.float32) * mask


def _fitted(font: int, text: str, width: int) -> str:

    while text and _text_width(font, text) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _text_width(font: int, text: str) -> float:
    import blf  # noqa: PLC0415

    measure: Any = blf.dimensions
    return float(measure(font, text)[0])


def _imbuf_alpha(buffer: Any) -> np.ndarray | None:
    """The coverage of the drawn text, rows from the top, as a (h, w, 1) mask."""
    import imbuf  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "labels.png")
        imbuf.write(buffer, filepath=path)
        with _loaded(path) as image:
            pixels = _pixels(image)
    coverage: np.ndarray = np.maximum(pixels[..., 3], pixels[..., :3].max(axis=2))[..., None]
    return coverage


def _save_png(sheet: np.ndarray, path: str) -> None:
    height, width = sheet.shape[:2]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    image: Any = bpy.data.images.new("multi_render contact sheet", width, height, alpha=True)
    try:
        image.pixels.foreach_set(np.ascontiguousarray(sheet[::-1]).ravel())
        image.filepath_raw = path
        image.file_format = "PNG"
        image.save()
    finally:
        bpy.data.images.remove(image)
