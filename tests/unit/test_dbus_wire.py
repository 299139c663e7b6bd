"""The D-Bus messages of a desktop notification (core/dbus_wire.py), as
bytes: the fields a bus reads, the alignment the specification asks, and
the session bus's address. A real dbus-daemon reads them in the GUI test."""

import struct

import pytest

from multi_render.core import dbus_wire


def test_hello_is_a_method_call_to_the_bus() -> None:
    message = dbus_wire.hello(7)
    endian, kind, flags, version, body_length, serial, fields_length = struct.unpack("<cBBBIII", message[:16])
    assert (endian, kind, flags, version, body_length, serial) == (b"l", 1, 0, 1, 0, 7)
    assert len(message) % 8 == 0 and len(message) == 16 + fields_length + (-(16 + fields_length) % 8)
    # PATH (o), DESTINATION and INTERFACE (s), MEMBER (s): code, signature, length, text
    assert b"\x01\x01o\x00" + struct.pack("<I", 21) + b"/org/freedesktop/DBus\x00" in message
    assert b"\x06\x01s\x00" + struct.pack("<I", 20) + b"org.freedesktop.DBus\x00" in message
    assert b"\x03\x01s\x00" + struct.pack("<I", 5) + b"Hello\x00" in message


def test_notify_carries_its_signature_and_every_argument_aligned() -> None:
    message = dbus_wire.notify(2, "Blender", "Multi Render: shots.blend", "Rendered 3 shots", icon="blender")
    (body_length,) = struct.unpack("<I", message[4:8])
    (fields_length,) = struct.unpack("<I", message[12:16])
    body_start = 16 + fields_length + (-(16 + fields_length) % 8)
    assert len(message) == body_start + body_length
    assert b"\x08\x01g\x00\x0dsusssasa{sv}i\x00" in message  # the SIGNATURE field
    body = message[body_start:]
    assert body[:12] == struct.pack("<I", 7) + b"Blender\0"
    assert body[12:16] == struct.pack("<I", 0)  # replaces_id
    assert body[-4:] == struct.pack("<i", -1)  # the server's default timeout
    assert b"Rendered 3 shots\0" in body


def test_a_nul_in_a_text_is_refused() -> None:
    with pytest.raises(ValueError, match="NUL"):
        dbus_wire.notify(2, "Blender", "a\0b", "")


def test_whole_messages_counts_only_complete_ones() -> None:
    two = dbus_wire.hello(1) + dbus_wire.notify(2, "B", "s", "t")
    assert dbus_wire.whole_messages(two) == 2
    assert dbus_wire.whole_messages(two[:-1]) == 1
    assert dbus_wire.whole_messages(b"") == 0


@pytest.mark.parametrize(
    ("address", "socket_path"),
    [
        ("unix:path=/run/user/1000/bus", "/run/user/1000/bus"),
        ("unix:abstract=/tmp/dbus-XYZ,guid=abc", "\0/tmp/dbus-XYZ"),
        ("tcp:host=localhost,port=1;unix:path=/tmp/my%20bus", "/tmp/my bus"),
        ("tcp:host=localhost,port=1", None),
        ("", None),
    ],
)
def test_the_session_bus_socket_from_its_address(address: str, socket_path: str | None) -> None:
    assert dbus_wire.session_socket(address) == socket_path


def test_external_auth_sends_the_uid_as_hex_of_its_digits() -> None:
    assert dbus_wire.auth_external(1000) == b"\0AUTH EXTERNAL 31303030\r\n"
