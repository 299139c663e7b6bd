"""Each folder of the add-on imports only the folders its docstring names
("May import: ..."), so data flows one way (ways in -> run, farm -> shot,
results -> guards, props -> core), and never reaches into another folder's
private names."""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parents[2] / "multi_render"
# Top-level modules are ways in (registration, the command line, the
# preferences) and may import anything, except the stored data: props.py
# declares the shot's properties from shot/builtin_overrides.py's table.
TOP_LEVEL_RULES = {"props": {"shot", "core"}}


def _allowed(folder: str) -> set[str]:
    doc = ast.get_docstring(ast.parse((ADDON / folder / "__init__.py").read_text())) or ""
    match = re.search(r"May import: ([a-z_, ]+)[.(]", doc)
    assert match, f"{folder}/__init__.py does not say what it may import"
    names = {name.strip() for name in match.group(1).split(",")}
    return {"core"} if folder == "core" else names | {folder}


def _targets(path: Path, source: str | None = None) -> list[tuple[str, list[str], int]]:
    """(top-level part of the add-on, names imported, line) of each relative import."""
    here = path.relative_to(ADDON).parts[:-1]  # the module's package, below the add-on
    found = []
    for node in ast.walk(ast.parse(path.read_text() if source is None else source, str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(here[: len(here) - (node.level - 1)])
            parts = base + (node.module.split(".") if node.module else [])
            names = [alias.name for alias in node.names]
            if parts:
                found.append((parts[0], names, node.lineno))
            else:  # from . import a, b at the top: each name is a part
                found += [(name, [], node.lineno) for name in names]
    return found


def test_every_folder_says_what_it_may_import() -> None:
    folders = sorted(p.parent.name for p in ADDON.glob("*/__init__.py"))
    assert {"core", "run", "shot", "results", "farm", "guards", "operators", "ui"} <= set(folders)
    for folder in folders:
        assert _allowed(folder)


def test_imports_follow_the_layers() -> None:
    checked = 0
    for path in sorted(ADDON.rglob("*.py")):
        parts = path.relative_to(ADDON).parts
        if len(parts) == 1:
            allowed = TOP_LEVEL_RULES.get(path.stem)
            if allowed is None:
                continue
            allowed = allowed | {path.stem}
        else:
            allowed = _allowed(parts[0])
        for target, _names, line in _targets(path):
            assert target in allowed, f"{path.relative_to(ADDON)}:{line} imports {target}/ (may import {allowed})"
            checked += 1
    assert checked > 100


def test_no_module_imports_another_folders_private_names() -> None:
    for path in sorted(ADDON.rglob("*.py")):
        own = path.relative_to(ADDON).parts[0]
        for target, names, line in _targets(path):
            if target != own:
                private = [name for name in names if name.startswith("_") and name != "__version__"]
                assert not private, f"{path.relative_to(ADDON)}:{line} imports {private} from {target}/"


def test_the_rules_can_fail() -> None:
    """The checker sees a forbidden import (a guard reaching up into run/)."""
    targets = _targets(ADDON / "guards" / "probe.py", source="from ..run import session\n")
    assert targets == [("run", ["session"], 1)]
    assert "run" not in _allowed("guards")
