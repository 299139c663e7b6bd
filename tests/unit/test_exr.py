"""Whether an OpenEXR file is whole, from its offset table (core/exr.py).
Real Blender-written EXRs are checked in tests/blender/test_whole_files.py;
here, a minimal scanline file built by hand and hostile bytes."""

from __future__ import annotations

import io
import struct

from hypothesis import given
from hypothesis import strategies as st

from multi_render.core import exr


def _attribute(name: str, kind: str, value: bytes) -> bytes:
    return name.encode() + b"\0" + kind.encode() + b"\0" + struct.pack("<i", len(value)) + value


def scanline_file(height: int = 3, flags: int = 2) -> bytes:
    """An uncompressed (one line a chunk) file of `height` lines, 2 px wide."""
    header = (
        exr.MAGIC
        + struct.pack("<i", flags)
        + _attribute("compression", "compression", b"\0")
        + _attribute("dataWindow", "box2i", struct.pack("<4i", 0, 0, 1, height - 1))
        + b"\0"
    )
    table_end = len(header) + 8 * height
    chunks, offsets = b"", []
    for line in range(height):
        offsets.append(table_end + len(chunks))
        chunks += struct.pack("<ii", line, 8) + b"\x01" * 8
    return header + b"".join(struct.pack("<Q", offset) for offset in offsets) + chunks


def whole(data: bytes) -> bool | None:
    return exr.is_whole(io.BytesIO(data), len(data))


def test_a_whole_file_and_every_cut_of_it() -> None:
    data = scanline_file()
    assert whole(data) is True
    assert [whole(data[:cut]) for cut in range(len(data) - 1, 0, -7)] == [False] * len(range(len(data) - 1, 0, -7))


def test_a_table_never_filled_in_is_not_whole() -> None:
    data = bytearray(scanline_file())
    start = len(data) - 3 * 16 - 3 * 8  # three chunks of 16 bytes after a table of three places
    data[start : start + 24] = bytes(24)
    assert whole(bytes(data)) is False


def test_what_it_cannot_read_is_left_undecided() -> None:
    assert whole(scanline_file(flags=2 | 0x800)) is None  # deep data
    assert whole(b"not an exr at all") is False


@given(st.binary(max_size=400))
def test_any_bytes_get_an_answer(data: bytes) -> None:
    assert whole(exr.MAGIC + data) in (True, False, None)
