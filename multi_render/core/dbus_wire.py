# SPDX-License-Identifier: GPL-3.0-or-later
"""The few D-Bus messages a desktop notification needs, as bytes: the
session bus's Hello and org.freedesktop.Notifications.Notify (the
Desktop Notifications Specification), marshalled little-endian as the
D-Bus specification says, with the standard library only (Blender ships no
D-Bus module, and Debian's Blender none of Python's). Plain data: the
socket is notify.py's."""

from __future__ import annotations

import struct
from collections.abc import Sequence

# Message types and header field codes (D-Bus specification, "Message Format").
METHOD_CALL = 1
FIELD_PATH, FIELD_INTERFACE, FIELD_MEMBER, FIELD_DESTINATION, FIELD_SIGNATURE = 1, 2, 3, 6, 8
NOTIFY_SIGNATURE = "susssasa{sv}i"


class _Writer:
    """Appends D-Bus values, each aligned on its type's boundary."""

    def __init__(self) -> None:
        self.data = bytearray()

    def align(self, boundary: int) -> None:
        self.data += b"\0" * (-len(self.data) % boundary)

    def byte(self, value: int) -> None:
        self.data.append(value)

    def uint32(self, value: int) -> None:
        self.align(4)
        self.data += struct.pack("<I", value)

    def int32(self, value: int) -> None:
        self.align(4)
        self.data += struct.pack("<i", value)

    def string(self, value: str) -> None:  # also an object path: the same wire form
        encoded = value.encode("utf-8")
        if b"\0" in encoded:
            raise ValueError("a D-Bus string cannot hold a NUL character")
        self.uint32(len(encoded))
        self.data += encoded + b"\0"

    def signature(self, value: str) -> None:
        encoded = value.encode("ascii")
        self.byte(len(encoded))
        self.data += encoded + b"\0"

    def string_array(self, values: Sequence[str]) -> None:
        self.uint32(0)  # the length, filled in below
        at = len(self.data)
        for value in values:
            self.string(value)
        self.data[at - 4 : at] = struct.pack("<I", len(self.data) - at)

    def empty_dict_array(self) -> None:
        """a{sv} with no entry: the length, then padding to the entries' 8."""
        self.uint32(0)
        self.align(8)


def method_call(
    serial: int,
    destination: str,
    path: str,
    interface: str,
    member: str,
    *,
    signature: str = "",
    body: bytes = b"",
    flags: int = 0,
) -> bytes:
    """One METHOD_CALL message, its header fields in a{yv} form (aligned
    from the message's first byte, as the specification counts)."""
    message = _Writer()
    message.data += struct.pack("<cBBBII", b"l", METHOD_CALL, flags, 1, len(body), serial)
    message.uint32(0)  # the header-field array's length, filled in below
    start = len(message.data)
    for code, kind, value in (
        (FIELD_PATH, "o", path),
        (FIELD_DESTINATION, "s", destination),
        (FIELD_INTERFACE, "s", interface),
        (FIELD_MEMBER, "s", member),
        *([(FIELD_SIGNATURE, "g", signature)] if signature else []),
    ):
        message.align(8)  # each field is a struct
        message.byte(code)
        message.signature(kind)
        if kind == "g":
            message.signature(value)
        else:
            message.string(value)
    message.data[start - 4 : start] = struct.pack("<I", len(message.data) - start)
    message.align(8)  # the body starts on an 8-byte boundary
    return bytes(message.data) + body


def hello(serial: int = 1) -> bytes:
    """The first message on a bus connection (the bus answers with our name)."""
    return method_call(serial, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")


def notify(serial: int, app_name: str, summary: str, body: str, *, icon: str = "", timeout_ms: int = -1) -> bytes:
    """org.freedesktop.Notifications.Notify: a new notification, no actions
    (a reply is asked for, so the sender knows the bus has routed it)."""
    values = _Writer()
    values.string(app_name)
    values.uint32(0)  # replaces_id: a new one
    values.string(icon)
    values.string(summary)
    values.string(body)
    values.string_array([])  # actions
    values.empty_dict_array()  # hints
    values.int32(timeout_ms)  # -1: the server's default
    return method_call(
        serial,
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications",
        "Notify",
        signature=NOTIFY_SIGNATURE,
        body=bytes(values.data),
    )


def auth_external(uid: int) -> bytes:
    """The client's SASL lines: a NUL byte, then EXTERNAL with the uid in hex digits of its decimal form."""
    return b"\0AUTH EXTERNAL " + str(uid).encode().hex().encode() + b"\r\n"


def session_socket(address: str) -> str | None:
    """The Unix socket of a DBUS_SESSION_BUS_ADDRESS ("unix:path=..." or
    "unix:abstract=...", the first that is one); None when there is none."""
    for entry in address.split(";"):
        kind, _, options = entry.partition(":")
        if kind != "unix":
            continue
        values = dict(option.split("=", 1) for option in options.split(",") if "=" in option)
        if "path" in values:
            return _unescaped(values["path"])
        if "abstract" in values:
            return "\0" + _unescaped(values["abstract"])
    return None


def _unescaped(value: str) -> str:
    """D-Bus addresses escape bytes as %XX."""
    out, at = bytearray(), 0
    raw = value.encode()
    while at < len(raw):
        if raw[at : at + 1] == b"%" and at + 2 < len(raw) + 1:
            out.append(int(raw[at + 1 : at + 3], 16))
            at += 3
        else:
            out.append(raw[at])
            at += 1
    return out.decode()


def whole_messages(data: bytes) -> int:
    """How many complete messages `data` (what the bus sent, from the start)
    holds: each is its 16-byte start, its header fields padded to 8, its body."""
    count, at = 0, 0
    while len(data) - at >= 16:
        order = "<" if data[at : at + 1] == b"l" else ">"
        (body_length,) = struct.unpack(order + "I", data[at + 4 : at + 8])
        (fields_length,) = struct.unpack(order + "I", data[at + 12 : at + 16])
        size = 16 + fields_length + (-(16 + fields_length) % 8) + body_length
        if len(data) - at < size:
            break
        count, at = count + 1, at + size
    return count
