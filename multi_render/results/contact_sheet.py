# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a contact sheet: every image of a run on one PNG grid, each tile
labelled with its shot's name (core/contact_sheet.py lays it out). Works in
background mode too. Images are read through temporary image datablocks
that are removed at once; nothing stays in the person's .blend.

Only what every Blender ships is used (Debian's Blender has no numpy):
Blender scales each image to its tile (`Image.scale`), the tiles are copied
into the sheet row by row as `array` slices, and Blender's font code draws
the labels straight into the written file. Python never loops over pixels.
A transparent render keeps its transparency on the sheet."""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import bpy

from ..core.contact_sheet import SheetLayout, fit, layout_for
from ..core.logs import logger

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


def _tile_pixels(image: Any, size: tuple[int, int], scratch: str) -> array:
    """The image scaled to `size` by Blender, as RGBA floats with rows from
    the bottom (Blender's order), display-referred: a float image (EXR, HDR)
    is saved by Blender as an 8-bit Targa (converted for display, Targa has
    no float form) and read back. Transparency is kept."""
    if (image.size[0], image.size[1]) != size:
        image.scale(*size)
    if image.is_float:
        image.filepath_raw = os.path.join(scratch, "tile.tga")
        image.file_format = "TARGA_RAW"
        image.save()
        with _loaded(image.filepath_raw) as display:
            return _pixels_of(display, size)
    return _pixels_of(image, size)


def _pixels_of(image: Any, size: tuple[int, int]) -> array:
    channels = image.channels
    values = array("f", bytes(4 * size[0] * size[1] * channels))
    image.pixels.foreach_get(values)
    return values if channels == 4 else _as_rgba(values, channels)


def _as_rgba(values: array, channels: int) -> array:
    """Grey or RGB values as RGBA (opaque)."""
    count = len(values) // channels
    rgba = array("f", [1.0]) * (4 * count)
    for channel in range(3):
        rgba[channel::4] = values[min(channel, channels - 1) :: channels]
    return rgba


def write(images: Sequence[tuple[str, str]], path: str) -> str:
    """Write a sheet of (label, image file) to `path` (PNG); return the path.
    Raises OSError or RuntimeError when it cannot be written. Files Blender
    cannot read leave no tile."""
    # Each image is scaled to its tile as soon as it is read, so a run of
    # large renders never holds more than one of them at full size.
    readable: list[tuple[str, tuple[int, int], array]] = []
    sheet_layout: SheetLayout | None = None
    with tempfile.TemporaryDirectory() as scratch:
        for label, image_path in images:
            try:
                with _loaded(image_path) as image:
                    if not (image.size[0] and image.size[1]):
                        continue
                    if sheet_layout is None:  # the first image sets the tiles' shape
                        sheet_layout = layout_for(len(images), (image.size[0], image.size[1]))
                    size = fit((image.size[0], image.size[1]), sheet_layout.tile)
                    readable.append((label, size, _tile_pixels(image, size, scratch)))
            except RuntimeError as error:
                log.warning("contact sheet: cannot read '%s': %s", image_path, error)
    if not readable or sheet_layout is None:
        raise RuntimeError("no image could be read")
    if len(readable) != len(images):  # unreadable files leave no gap
        sheet_layout = layout_for(len(readable), sheet_layout.tile)
    width, height = sheet_layout.size
    sheet = array("f", _BACKGROUND) * (width * height)
    for number, (_label, (w, h), tile) in enumerate(readable):
        left, top = sheet_layout.tile_origin(number)
        # Centred in the tile; the sheet's rows count from the bottom.
        x = left + (sheet_layout.tile[0] - w) // 2
        bottom = height - (top + (sheet_layout.tile[1] - h) // 2) - h
        for row in range(h):
            start = ((bottom + row) * width + x) * 4
            sheet[start : start + w * 4] = tile[row * w * 4 : (row + 1) * w * 4]
    labels = [label for label, _size, _tile in readable]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if _can_draw_labels():
        with tempfile.TemporaryDirectory() as folder:
            # Where Blender can change a buffer's file type (5.2), the sheet is
            # saved uncompressed first (fast) and written as PNG once, labelled.
            plain = os.path.join(folder, "sheet.tga") if _buffer_type_settable() else path
            _save(sheet, (width, height), plain, "PNG" if plain == path else "TARGA_RAW")
            _write_labelled(plain, path, sheet_layout, labels)
    else:
        _save(sheet, (width, height), path, "PNG")
    return path


def _can_draw_labels() -> bool:
    """Blender 4.4+ draws text into an image buffer (blf.bind_imbuf); 4.2 and
    4.3 write sheets without labels. (blf.draw there draws nothing, and
    blf.load crashed Blender 5.2 in background mode when tried.)"""
    import blf  # noqa: PLC0415

    return hasattr(blf, "bind_imbuf")


def _buffer_type_settable() -> bool:
    import imbuf  # noqa: PLC0415

    probe = imbuf.new((1, 1))
    try:
        return hasattr(probe, "file_type")
    finally:
        probe.free()


def _write_labelled(plain: str, path: str, sheet_layout: SheetLayout, labels: list[str]) -> None:
    """Each tile's label, drawn by Blender's font code (the default font)
    into the sheet saved at `plain`, written as the PNG `path`."""
    import blf  # noqa: PLC0415
    import imbuf  # noqa: PLC0415

    buffer = imbuf.load(plain)
    if plain != path:
        buffer.file_type = "PNG"  # type: ignore[attr-defined]  # see _buffer_type_settable
    height = buffer.size[1]
    font = 0
    try:
        with blf.bind_imbuf(font, buffer):  # type: ignore[attr-defined]  # 4.4+
            blf.size(font, 13)
            blf.color(font, *_TEXT)
            for number, label in enumerate(labels):
                left, top = sheet_layout.tile_origin(number)
                baseline = top + sheet_layout.tile[1] + sheet_layout.label_height - 6
                blf.position(font, left + 2, height - baseline, 0)
                blf.draw_buffer(font, _fitted(font, label, sheet_layout.tile[0] - 4))  # type: ignore[attr-defined]
        imbuf.write(buffer, filepath=path)
    finally:
        buffer.free()


def _fitted(font: int, text: str, width: int) -> str:
    while text and _text_width(font, text) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _text_width(font: int, text: str) -> float:
    import blf  # noqa: PLC0415

    measure: Any = blf.dimensions
    return float(measure(font, text)[0])


def _save(sheet: array, size: tuple[int, int], path: str, file_format: str) -> None:
    image: Any = bpy.data.images.new("multi_render contact sheet", size[0], size[1], alpha=True)
    try:
        image.pixels.foreach_set(sheet)
        image.filepath_raw = path
        image.file_format = file_format
        image.save()
    finally:
        bpy.data.images.remove(image)
