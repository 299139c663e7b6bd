"""Runs inside the Blender under test (`blender --python testkit/agent.py`).

It serves one Unix socket, named by MULTI_RENDER_AGENT_SOCKET: each request
line is JSON {"code": ..., "mode": "exec" | "eval"}; the code runs on
Blender's main thread, from a timer, with the main window's 3D Viewport as
context; the reply line is JSON {"ok": true, "value": ...} or
{"ok": false, "error": traceback}. Exec code returns a value by assigning
`result`. Names defined by one request stay for the next ones."""

import json
import os
import select
import socket
import traceback

import bpy

_SOCKET_PATH = os.environ["MULTI_RENDER_AGENT_SOCKET"]
_namespace: dict = {"bpy": bpy}
_server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
_server.bind(_SOCKET_PATH)
_server.listen(1)
_server.setblocking(False)
_state: dict = {"client": None, "buffer": b""}


def main_window_context() -> dict:
    """The first window with its largest 3D Viewport, when there is one."""
    window = bpy.context.window_manager.windows[0]
    context: dict = {"window": window, "screen": window.screen}
    views = [area for area in window.screen.areas if area.type == "VIEW_3D"]
    if views:
        area = max(views, key=lambda a: a.width * a.height)
        context["area"] = area
        context["region"] = next(region for region in area.regions if region.type == "WINDOW")
    return context


_namespace["main_window_context"] = main_window_context


def _run(request: dict) -> object:
    code = request["code"]
    with bpy.context.temp_override(**main_window_context()):
        if request.get("mode") == "eval":
            return eval(code, _namespace)
        exec(code, _namespace)
        return _namespace.pop("result", None)


def _serve_one(client: socket.socket) -> None:
    ready, _, _ = select.select([client], [], [], 0)
    if not ready:
        return
    data = client.recv(1 << 20)
    if not data:
        client.close()
        _state["client"] = None
        return
    _state["buffer"] += data
    while b"\n" in _state["buffer"]:
        line, _state["buffer"] = _state["buffer"].split(b"\n", 1)
        try:
            reply = {"ok": True, "value": _run(json.loads(line))}
        except BaseException:
            reply = {"ok": False, "error": traceback.format_exc()}
        client.sendall((json.dumps(reply, default=repr) + "\n").encode())


def _poll() -> float:
    try:
        if _state["client"] is None:
            try:
                client, _ = _server.accept()
            except BlockingIOError:
                return 0.02
            client.setblocking(True)
            _state["client"] = client
        _serve_one(_state["client"])
    except Exception:
        traceback.print_exc()
    return 0.02


bpy.app.timers.register(_poll, first_interval=0.0, persistent=True)
print("multi_render test agent listening on", _SOCKET_PATH, flush=True)
