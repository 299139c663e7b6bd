"""Fixtures of the GUI layer: one X display (Xvfb) and one user profile with
the built extension installed for the whole session, and a fresh Blender
window for each test. A failing test shows Blender's output and keeps a
screenshot under artifacts/e2e/<test>/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.blender_app import REPO, BlenderApp, BlenderError, prepare_profile, start_xvfb

# A second Blender's run keeps its own artifacts beside the first one's.
ARTIFACTS = REPO / os.environ.get("MULTI_RENDER_ARTIFACTS", "artifacts/e2e")
BLENDER = os.environ.get("MULTI_RENDER_BLENDER", "blender")


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """An Xvfb display of our own (Mesa's llvmpipe draws Blender's OpenGL)."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: the GUI tests need it (make provision installs it)")
    try:
        xvfb, display = start_xvfb()
    except BlenderError as error:
        pytest.fail(str(error))
    yield display
    xvfb.terminate()
    xvfb.wait(timeout=10)


@pytest.fixture(scope="session")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway user profile with the built zip installed and enabled."""
    zip_path = os.environ.get("MULTI_RENDER_ZIP", "")
    if not os.path.isfile(zip_path):
        pytest.fail(f"MULTI_RENDER_ZIP must name the built extension (got {zip_path!r}): run make build")
    folder = tmp_path_factory.mktemp("profile")
    prepare_profile(BLENDER, zip_path, folder)
    return folder


def _artifact_dir(node_name: str) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", node_name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def blender(request: pytest.FixtureRequest, x_display: str, profile: Path) -> Iterator[BlenderApp]:
    """A fresh Blender window with the extension enabled, quit afterwards."""
    app = BlenderApp(BLENDER, profile, x_display, _artifact_dir(request.node.name))
    # A queue an earlier test's Blender left running (quit mid-queue) would
    # be offered for a resume in a popup: each test starts without one.
    shutil.rmtree(profile / "extensions" / ".user" / "user_default" / "multi_render" / "queues", ignore_errors=True)
    app.start()
    yield app
    app.quit()
    if request.node.get_closest_marker("expect_traceback") is None:
        tracebacks = [line for line in app.log_text().splitlines() if line.startswith("Traceback")]
        assert not tracebacks, f"Blender printed a traceback:\n{app.log_tail()}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    app = getattr(item, "funcargs", {}).get("blender")
    if report.failed and isinstance(app, BlenderApp):
        screenshot = ""
        if app.alive:
            try:
                screenshot = str(app.screenshot(f"failure-{report.when}"))
            except (OSError, subprocess.SubprocessError) as error:
                screenshot = f"(no screenshot: {error})"
        report.sections.append(("Blender output (tail)", app.log_tail(80)))
        report.sections.append(("Artifacts", f"log: {app.log_path}\nscreenshot: {screenshot}"))
