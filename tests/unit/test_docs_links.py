"""The README and the pages under docs/ link to files and headings that
exist, so the front door never leads nowhere."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> list[str]:
    """The lines outside code blocks (a link in code is not a link)."""
    lines, in_code = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        lines.append("" if in_code else line)
    return lines


def _anchors(page: Path) -> set[str]:
    """GitHub's anchor for each heading: lower case, punctuation dropped,
    spaces as hyphens, repeats numbered."""
    found: set[str] = set()
    for line in _prose(page.read_text()):
        if heading := re.match(r"#{1,6}\s+(.*)", line):
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            number = 0
            while (candidate := slug if number == 0 else f"{slug}-{number}") in found:
                number += 1
            found.add(candidate)
    return found


def test_every_relative_link_and_anchor_exists() -> None:
    checked, broken = 0, []
    for page in PAGES:
        for number, line in enumerate(_prose(page.read_text()), 1):
            for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"[a-z]+:", target):
                    continue  # https:, mailto:
                checked += 1
                path, _, anchor = target.partition("#")
                destination = (page.parent / path).resolve() if path else page
                if not destination.exists():
                    broken.append(f"{page.name}:{number}: {target}: no such file")
                elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
                    broken.append(f"{page.name}:{number}: {target}: no such heading")
    assert checked > 30
    assert broken == []


def test_the_readme_is_a_short_front_door() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    assert "make demo" in readme and "make test" in readme
    assert "docs/images/" in readme
