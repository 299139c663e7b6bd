"""What the farm tests share: the test Blender with the built extension in a
throwaway profile, and a .blend of three stills and a five-frame range shot."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
BLENDER = os.environ.get("MULTI_RENDER_FARM_BLENDER") or str(REPO / "tools" / "blender.sh")

MAKE_BLEND = """
import bpy
from testkit import scenes
shots = scenes.build_farm_scene(3)
shots[1].name = "Green, with a comma"
bpy.ops.multi_render.shot_duplicate()  # of the last shot: a turntable of 5 frames
spin = shots[3]
spin.name, spin.filepath = "Spin", "//renders/spin_{{frame}}"
spin.use_frame_range, spin.frame_start, spin.frame_end = True, 1, 5
spin.make_movie = True
bpy.ops.wm.save_as_mainfile(filepath={path!r})
"""
STILLS = ["Cam_Blue.png", "Cam_Red.png", "Green, with a comma.png"]
SPIN = [f"spin_{frame:04d}.png" for frame in range(1, 6)]
MOVIE = "Spin.mp4"  # the range's movie, beside its frames (made once every chunk is done)


def run(*command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    zip_path = os.environ.get("MULTI_RENDER_ZIP", "")
    if not os.path.isfile(zip_path):
        pytest.fail(f"MULTI_RENDER_ZIP must name the built extension (got {zip_path!r})")
    profile = tmp_path_factory.mktemp("profile")
    environment = {**os.environ, "BLENDER_USER_RESOURCES": str(profile)}
    installed = run(BLENDER, "-c", "extension", "install-file", "-r", "user_default", "-e", zip_path, env=environment)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return environment


def make_blend(tmp_path: Path, env: dict[str, str]) -> Path:
    return blend_from(MAKE_BLEND, tmp_path / "farm.blend", env)


def blend_from(code: str, blend: Path, env: dict[str, str]) -> Path:
    """A .blend made by `code` ({path} is where it saves)."""
    made = run(
        BLENDER,
        "--python-use-system-env",  # finds testkit through PYTHONPATH
        "-b",
        "--python-expr",
        code.format(path=str(blend)),
        env={**env, "PYTHONPATH": str(REPO)},
    )
    assert blend.is_file(), made.stdout + made.stderr
    return blend


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> dict[str, bytes]:
    """What the in-Blender queue writes for the same .blend: name -> pixels."""
    folder = tmp_path_factory.mktemp("reference")
    blend = make_blend(folder, env)
    rendered = run(BLENDER, "-c", "multi_render", "render", str(blend), env=env)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    return pixels_in(folder / "renders")


def pixels_in(folder: Path) -> dict[str, bytes]:
    """Each image's RGBA pixels (the files' metadata holds render dates and times)."""
    return {path.name: Image.open(path).convert("RGBA").tobytes() for path in sorted(folder.glob("*.png"))}


READ_MOVIE = """
import bpy, json
clip = bpy.data.movieclips.load({path!r})
print("MOVIE " + json.dumps([clip.frame_duration, list(clip.size), clip.fps]))
"""


def movie_facts(path: Path, env: dict[str, str]) -> list[object]:
    """[frames, [width, height], fps] of a movie, as Blender reads it back."""
    read = run(BLENDER, "-b", "--factory-startup", "--python-expr", READ_MOVIE.format(path=str(path)), env=env)
    line = next((line for line in read.stdout.splitlines() if line.startswith("MOVIE ")), "")
    assert line, read.stdout + read.stderr
    facts: list[object] = json.loads(line.removeprefix("MOVIE "))
    return facts
