"""The manifest as Blender's extension platform reads it: the maintainer in
the `Name <email>` form its schema shows, and a permission that says what
the add-on writes within the 64 characters Blender's validator allows."""

import re
import tomllib
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[2] / "blender_manifest.toml"


def test_maintainer_is_a_name_and_an_email() -> None:
    manifest = tomllib.loads(MANIFEST.read_text())
    assert re.fullmatch(r"[^<>]+ <[^<>@\s]+@[^<>@\s]+\.[a-z]+>", manifest["maintainer"])


def test_files_permission_names_what_is_written() -> None:
    text = tomllib.loads(MANIFEST.read_text())["permissions"]["files"]
    assert len(text) <= 64
    for written in ("Renders", "shot lists", "farm bundles", ".blend"):
        assert written in text
