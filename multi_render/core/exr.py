# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether an OpenEXR file is whole, read from its header's offset table.

OpenEXR writes the header, a table with the place of every chunk of pixels
(filled in only when the file is closed), then the chunks. A file cut off by
a full disk or a killed Blender has a table of zeros or places past its end,
or a last chunk that runs past it. Parsed, never trusted: any value that
does not fit says "not whole"; a layout this reader does not know (deep
data, tiles with levels, an unknown compression) says "cannot tell"."""

from __future__ import annotations

import struct
from typing import BinaryIO

MAGIC = b"\x76\x2f\x31\x01"
_TILED = 0x200
_DEEP = 0x800
_MULTIPART = 0x1000
# Scanlines in one chunk, by compression (OpenEXR's numbering).
_LINES_PER_CHUNK = {0: 1, 1: 1, 2: 1, 3: 16, 4: 32, 5: 16, 6: 32, 7: 32, 8: 32, 9: 256, 10: 256, 11: 32}
_MAX_TEXT = 256  # an attribute's name or type
_MAX_CHUNKS = 1 << 26


class _LayoutUnknownError(Exception):
    """A valid file this reader does not lay out."""


class _BrokenError(Exception):
    """Not a whole OpenEXR file."""


def is_whole(image: BinaryIO, size: int) -> bool | None:
    """True if the file is whole, False if it is cut off or broken, None
    when this reader cannot tell. `image` is open in binary mode at its start."""
    try:
        return _check(image, size)
    except _LayoutUnknownError:
        return None
    except (_BrokenError, struct.error, ValueError, OverflowError):
        return False


def _check(image: BinaryIO, size: int) -> bool:
    if image.read(4) != MAGIC:
        raise _BrokenError
    flags = _int(image.read(4))
    if flags & _DEEP:
        raise _LayoutUnknownError
    multipart = bool(flags & _MULTIPART)
    headers: list[dict[str, bytes]] = []
    while True:
        header = _header(image)
        if not header:
            if not multipart or not headers:
                raise _BrokenError  # a single part's header is never empty
            break
        headers.append(header)
        if not multipart:
            break
    counts = [_chunk_count(header, tiled=bool(flags & _TILED)) for header in headers]
    tables = [[_uint64(image.read(8)) for _ in range(count)] for count in counts]
    offsets = [offset for table in tables for offset in table]
    if not offsets or min(offsets) < image.tell() or max(offsets) >= size:
        return False
    last = max(offsets)
    part_tiled = [_is_tiled(header, bool(flags & _TILED)) for header in headers]
    image.seek(last)
    if multipart:
        part = _int(image.read(4))
        if not 0 <= part < len(headers):
            return False
        tiled = part_tiled[part]
    else:
        tiled = part_tiled[0]
    image.read(16 if tiled else 4)  # the tile's coordinates and levels, or the first line
    data = _int(image.read(4))
    return data >= 0 and image.tell() + data <= size


def _header(image: BinaryIO) -> dict[str, bytes]:
    """One header's attributes by name (empty at the end of the headers)."""
    found: dict[str, bytes] = {}
    while True:
        name = _text(image)
        if not name:
            return found
        _text(image)  # the attribute's type
        length = _int(image.read(4))
        if length < 0:
            raise _BrokenError
        value = image.read(length)
        if len(value) != length:
            raise _BrokenError
        found[name] = value


def _chunk_count(header: dict[str, bytes], tiled: bool) -> int:
    if "chunkCount" in header:
        count = _int(header["chunkCount"])
    elif _is_tiled(header, tiled):
        count = _tile_count(header)
    else:
        _x_min, y_min, _x_max, y_max = struct.unpack("<4i", header["dataWindow"])
        lines = _LINES_PER_CHUNK.get(header.get("compression", b"\0")[0])
        if lines is None:
            raise _LayoutUnknownError
        count = -(-(y_max - y_min + 1) // lines)
    if not 0 < count <= _MAX_CHUNKS:
        raise _BrokenError
    return count


def _tile_count(header: dict[str, bytes]) -> int:
    """Tiles of a single-level tiled image (levels: cannot tell)."""
    x_size, y_size, mode = struct.unpack("<2IB", header["tiles"])
    if mode & 0x0F:
        raise _LayoutUnknownError
    x_min, y_min, x_max, y_max = struct.unpack("<4i", header["dataWindow"])
    return int(-(-(x_max - x_min + 1) // x_size) * -(-(y_max - y_min + 1) // y_size))


def _is_tiled(header: dict[str, bytes], flag: bool) -> bool:
    kind = header.get("type")
    return kind.rstrip(b"\0") == b"tiledimage" if kind is not None else flag


def _text(image: BinaryIO) -> str:
    chars = bytearray()
    while (char := image.read(1)) != b"\0":
        if not char or len(chars) >= _MAX_TEXT:
            raise _BrokenError
        chars += char
    return chars.decode("latin-1")


def _int(data: bytes) -> int:
    return int(struct.unpack("<i", data)[0])


def _uint64(data: bytes) -> int:
    return int(struct.unpack("<Q", data)[0])
