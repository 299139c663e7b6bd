"""Real key presses through the X server's XTEST extension, by keycode.

xdotool looks keysyms up at a keyboard level it chooses; on Xvfb's default
keymap it reaches F3 and F12 with Alt held, so Blender sees Alt+F3 (the
function keys have a CTRL+ALT key type, for VT switching). Sending the
key's own keycode with exactly the modifiers asked for avoids that."""

from __future__ import annotations

import ctypes
import time

_x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
_xtst = ctypes.cdll.LoadLibrary("libXtst.so.6")
_x11.XOpenDisplay.restype = ctypes.c_void_p
_x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
_x11.XStringToKeysym.restype = ctypes.c_ulong
_x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
_x11.XKeysymToKeycode.restype = ctypes.c_ubyte
_x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
_x11.XFlush.argtypes = [ctypes.c_void_p]
_x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
_xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]

# xdotool-style names for the modifiers.
_ALIASES = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "super": "Super_L"}


def press(display: str, chord: str, hold: float = 0.05) -> None:
    """Press and release a chord such as "ctrl+shift+F12" or "F3"."""
    handle = _x11.XOpenDisplay(display.encode())
    if not handle:
        raise OSError(f"cannot open X display {display}")
    try:
        codes = []
        for name in chord.split("+"):
            keysym = _x11.XStringToKeysym(_ALIASES.get(name.lower(), name).encode())
            code = _x11.XKeysymToKeycode(handle, keysym)
            if not keysym or not code:
                raise ValueError(f"no key for {name!r} on display {display}")
            codes.append(code)
        for code in codes:
            _xtst.XTestFakeKeyEvent(handle, code, 1, 0)
            _x11.XFlush(handle)
            time.sleep(hold)
        for code in reversed(codes):
            _xtst.XTestFakeKeyEvent(handle, code, 0, 0)
            _x11.XFlush(handle)
            time.sleep(hold)
    finally:
        _x11.XCloseDisplay(handle)
