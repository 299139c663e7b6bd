"""The pytest side of the GUI tests: a real Blender window on an X display,
driven through the agent (Python on Blender's main thread) and through
xdotool (real key presses and mouse clicks, as a person makes them)."""

from __future__ import annotations

import collections
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from testkit import xkeys

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WINDOW_SIZE = (1280, 800)


class BlenderError(AssertionError):
    """Code sent to Blender raised; the message holds its traceback."""


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb display of WINDOW_SIZE (Mesa's llvmpipe draws Blender's
    OpenGL): the process and its DISPLAY name. Xvfb picks a free number."""
    read_end, write_end = os.pipe()
    screen = f"{WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}x24"
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,  # never hold the caller's output open
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        raise BlenderError("Xvfb did not start")
    return xvfb, f":{number}"


def prepare_profile(blender: str, zip_path: str, folder: Path) -> None:
    """Install the built zip into a throwaway user profile with Blender's own
    command line, as a user does; no splash over the window, and Blender
    never writes the profile back."""
    env = {**os.environ, "BLENDER_USER_RESOURCES": str(folder)}
    install = [blender, "--command", "extension", "install-file", "-r", "user_default", "-e", zip_path]
    subprocess.run(install, env=env, check=True, capture_output=True, timeout=120)
    settings = (
        "import bpy; p = bpy.context.preferences; p.view.show_splash = False; "
        "p.use_preferences_save = False; bpy.ops.wm.save_userpref()"
    )
    subprocess.run([blender, "-b", "--python-expr", settings], env=env, check=True, capture_output=True, timeout=120)


class BlenderApp:
    def __init__(self, blender: str, profile: Path, display: str, workdir: Path) -> None:
        self.blender = blender
        self.profile = profile
        self.display = display
        self.workdir = workdir
        self.log_path = workdir / "blender.log"
        # A Unix socket path may hold at most 107 bytes, and the artifact folder
        # of a long test name in a deep checkout is longer than that.
        self._socket_dir = Path(tempfile.mkdtemp(prefix="mr-agent-"))
        self.socket_path = self._socket_dir / "agent.sock"
        self.process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        self._reader: Any = None

    # -- process ----------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DISPLAY": self.display,
            "BLENDER_USER_RESOURCES": str(self.profile),
            "MULTI_RENDER_AGENT_SOCKET": str(self.socket_path),
            "PYTHONPATH": str(REPO),  # with --python-use-system-env: finds testkit
        }

    def start(self, *arguments: str, timeout: float = 90) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.socket_path.exists():
            self.socket_path.unlink()
        command = [
            self.blender,
            "--window-geometry",
            "0",
            "0",
            str(WINDOW_SIZE[0]),
            str(WINDOW_SIZE[1]),
            "--python-use-system-env",
            "--python",
            str(HERE / "agent.py"),
            *arguments,
        ]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BlenderError(f"Blender exited with {self.process.returncode} while starting\n{self.log_tail()}")
            if self.socket_path.exists():
                try:
                    self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    self._socket.connect(str(self.socket_path))
                    self._reader = self._socket.makefile("rb")
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(0.1)
        else:
            raise BlenderError(f"Blender's test agent did not answer within {timeout} s\n{self.log_tail()}")
        # The agent answers from a timer, so the event loop and window are up.
        self.wait_until("len(bpy.context.window_manager.windows) > 0")

    def quit(self, timeout: float = 30) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None and self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.sendall(b'{"code": "bpy.ops.wm.quit_blender()", "mode": "exec"}\n')
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._socket is not None:
            self._socket.close()
        shutil.rmtree(self._socket_dir, ignore_errors=True)
        return self.process.returncode

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    # -- Python inside Blender ----------------------------------------------------------
    def _request(self, code: str, mode: str, timeout: float) -> Any:
        if self._socket is None or self._reader is None:
            raise BlenderError("Blender is not running")
        self._socket.settimeout(timeout)
        self._socket.sendall((json.dumps({"code": code, "mode": mode}) + "\n").encode())
        try:
            line = self._reader.readline()
        except TimeoutError as error:
            raise BlenderError(f"no answer from Blender within {timeout} s to: {code}\n{self.log_tail()}") from error
        if not line:
            raise BlenderError(f"Blender closed the connection (exit code {self.process and self.process.poll()})")
        reply = json.loads(line)
        if not reply["ok"]:
            raise BlenderError(f"{code}\n{reply['error']}")
        return reply["value"]

    def exec(self, code: str, timeout: float = 60) -> Any:
        """Run statements in Blender; returns what they assign to `result`."""
        return self._request(code, "exec", timeout)

    def eval(self, expression: str, timeout: float = 60) -> Any:
        return self._request(expression, "eval", timeout)

    def wait_until(self, expression: str, timeout: float = 30, interval: float = 0.05) -> Any:
        """Poll an expression in Blender until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.eval(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BlenderError(f"timed out after {timeout} s waiting for: {expression}\n{self.log_tail(30)}")
            time.sleep(interval)

    # -- a person's input -------------------------------------------------------------
    def xdotool(self, *arguments: str) -> str:
        result = subprocess.run(
            ["xdotool", *arguments], env=self.env, capture_output=True, text=True, check=True, timeout=20
        )
        return result.stdout

    def key(self, *keys: str, at: tuple[int, int] | None = None) -> None:
        """Real key presses. With no window manager, X sends keys to the
        window under the pointer: move it over Blender first."""
        x, y = at or (WINDOW_SIZE[0] // 2, WINDOW_SIZE[1] // 2)
        self.xdotool("mousemove", str(x), str(y))
        time.sleep(0.1)
        for chord in keys:
            xkeys.press(self.display, chord)
            time.sleep(0.08)

    def type_text(self, text: str) -> None:
        self.xdotool("type", "--delay", "60", text)

    def click(self, x: int, y: int) -> None:
        """A left click as a hand makes it: Blender highlights a button when
        the pointer moves onto it and only then takes the press."""
        self.xdotool("mousemove", str(x - 6), str(y))
        time.sleep(0.2)
        self.xdotool("mousemove", str(x), str(y))
        time.sleep(0.3)
        self.xdotool("mousedown", "1")
        time.sleep(0.1)
        self.xdotool("mouseup", "1")

    def grey_column(self, x: int, top: int, bottom: int) -> list[int]:
        """The red channel (grey level in Blender's theme) of a screen column."""
        return [pixel[0] for pixel in self._pixels(f"1x{bottom - top}+{x}+{top}")]

    def status_bar_row(self, y: int) -> list[tuple[int, int, int]]:
        """The RGB pixels of one screen row."""
        return self._pixels(f"{WINDOW_SIZE[0]}x1+0+{y}")

    def _pixels(self, geometry: str) -> list[tuple[int, int, int]]:
        raw = subprocess.run(
            ["import", "-window", "root", "-crop", geometry, "-depth", "8", "rgb:-"],
            env=self.env,
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
        return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw) - 2, 3)]

    def click_render_x(self, stopped: str, attempts: int = 5) -> None:
        """Stop the render with the progress bar's X as a person does: when
        a click does not take (Blender's button sometimes ignores a click
        that comes right after the pointer), click again where the X is now.
        `stopped` is the expression that is true once the render stopped."""
        for _attempt in range(attempts):
            try:
                button = self.find_render_cancel_button()
            except AssertionError:
                if self.eval(stopped):
                    return  # the last click took, slowly: the X is gone
                raise
            self.click(*button)
            try:
                self.wait_until(stopped, timeout=2.0)
                return
            except AssertionError:
                continue
        raise AssertionError(f"{attempts} clicks on the progress bar's X did not stop the render")

    def find_render_cancel_button(self, timeout: float = 5) -> tuple[int, int]:
        """Where the X of the status bar's render progress bar is, once
        Blender has drawn it. The bar is a long dark track; the X is the
        lighter box right after it."""
        # The status bar shows mouse hints for the region under the pointer,
        # and the progress bar is centred: park the pointer in the status bar
        # first, so nothing moves between finding the X and clicking it.
        self.xdotool("mousemove", str(WINDOW_SIZE[0] - 30), str(WINDOW_SIZE[1] - 10))
        time.sleep(0.4)
        # The bar moves too when Blender's "Saved: ..." report banner beside
        # it goes away: take the X once it has stayed put for three looks.
        deadline = time.monotonic() + timeout
        seen: list[tuple[int, int]] = []
        while True:
            try:
                seen.append(self._find_render_cancel_button())
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                seen.clear()
            if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]:
                return seen[-1]
            if time.monotonic() > deadline and seen:
                return seen[-1]
            time.sleep(0.3)

    def _find_render_cancel_button(self) -> tuple[int, int]:
        y = WINDOW_SIZE[1] - 19
        runs: list[tuple[int, int, int]] = []  # (start, end, grey level)
        row = self.status_bar_row(y)
        start = 0
        for x in range(1, len(row) + 1):
            if x == len(row) or row[x] != row[start]:
                runs.append((start, x - 1, row[start][0]))
                start = x
        for number, (start, end, grey) in enumerate(runs):
            if end - start > 60 and 28 <= grey <= 45:  # the progress track
                for b_start, b_end, b_grey in runs[number + 1 :]:
                    if b_start - end > 4:
                        break
                    if b_end - b_start >= 10 and b_grey >= 60:
                        return ((b_start + b_end) // 2, WINDOW_SIZE[1] - 12)
        raise AssertionError(f"no render progress bar in the status bar (row {y}: {runs})")

    def open_render_shots_tab(self) -> None:
        """Open the main 3D Viewport's sidebar and click its last tab (ours,
        the last category registered), as a person would. In Blender the
        names `area` and `sidebar` then refer to them."""
        self.exec(
            """
area = main_window_context()["area"]
sidebar = next(region for region in area.regions if region.type == "UI")
area.spaces.active.show_region_ui = False
area.tag_redraw()
"""
        )
        time.sleep(0.5)
        # The tab strip runs down the sidebar's right edge: read that column
        # of pixels without the sidebar and with it; the tabs are what changed.
        right = self.eval("area.x + area.width") - 10
        top = WINDOW_SIZE[1] - self.eval("area.y + area.height")
        bottom = WINDOW_SIZE[1] - self.eval("area.y")
        without = self.grey_column(right, top, bottom)
        self.exec("area.spaces.active.show_region_ui = True\narea.tag_redraw()")
        deadline = time.monotonic() + 5
        while not self._tab_rows(without, right, top, bottom):  # until Blender has drawn the sidebar
            if time.monotonic() > deadline:
                raise BlenderError(f"the sidebar shows no tabs (see {self.screenshot('sidebar-without-tabs')})")
            time.sleep(0.2)
        time.sleep(0.3)
        # A person clicks again when a busy Blender let the first click pass.
        for attempt in range(3):
            self.click(right, top + max(self._tab_rows(without, right, top, bottom)) - 20)
            try:
                self.wait_until("sidebar.active_panel_category == 'Render Shots'", timeout=5)
                return
            except BlenderError:
                if attempt == 2:
                    raise

    def _tab_rows(self, without: list[int], x: int, top: int, bottom: int) -> list[int]:
        """The rows of a screen column that the sidebar's tabs changed. The
        tabs sit in the upper half. Blender 5.x draws them over the viewport;
        4.3 fills the strip with a colour of its own down to the bottom (and
        redraws the area's bottom edge): that colour is not a tab."""
        with_tabs = self.grey_column(x, top, bottom)
        half = len(with_tabs) // 2
        changed = [(y, b) for y, (a, b) in enumerate(zip(without, with_tabs, strict=True)) if a != b]
        lower = collections.Counter(b for y, b in changed if y > half)
        strip = lower.most_common(1)[0][0] if lower else None
        return [y for y, b in changed if y <= half and b != strip]

    def screenshot(self, name: str) -> Path:
        path = self.workdir / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30)
        return path


def launch(
    workdir: Path, logs: Path, *setup: str, own_display: bool = False
) -> tuple[BlenderApp, subprocess.Popen[bytes] | None]:
    """A GUI Blender for tools (bench, screenshots): the built extension
    (MULTI_RENDER_ZIP) in a throwaway profile under `workdir`, on $DISPLAY
    or an Xvfb of its own (returned, to stop; always with `own_display`, for
    tools that press keys and drag); each `setup` code runs first.
    Blender's log and any screenshot stay in `logs`."""
    blender = os.environ.get("MULTI_RENDER_BLENDER", "blender")
    profile = workdir / "profile"
    prepare_profile(blender, os.environ["MULTI_RENDER_ZIP"], profile)
    xvfb = None
    display = "" if own_display else os.environ.get("DISPLAY", "")
    if not display:
        xvfb, display = start_xvfb()
    shutil.rmtree(logs, ignore_errors=True)
    app = BlenderApp(blender, profile, display, logs)
    try:
        app.start()
        for code in setup:
            app.exec(code)
    except BaseException:
        app.quit(timeout=5)
        if xvfb is not None:
            xvfb.terminate()
        raise
    return app, xvfb
