# SPDX-License-Identifier: GPL-3.0-or-later
"""Other Files: .blend files rendered by background processes without
being opened in the person's Blender. Each renders its own ticked shots, or,
having none, what F12 (a still of the current frame) or Ctrl+F12 (its
animation) renders. What is decided here: whether a path can be a .blend at
all (checked before anything renders), the command line of its process, and
what became of it from that process's exit code and JSON record."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from . import child_protocol
from .status import ShotStatus

# What a file without shots renders: Blender's own two render commands.
WITHOUT_SHOTS = ("STILL", "ANIMATION")
# How a .blend file begins: uncompressed, zstd-compressed (4.x+, "Compress"),
# or gzip-compressed (saved by Blender before 3.0).
_BLEND_STARTS = (b"BLENDER", b"\x28\xb5\x2f\xfd", b"\x1f\x8b")
_WROTE = {ShotStatus.DONE.value, ShotStatus.SKIPPED.value}
_FRAME = re.compile(r"\bFra:\s*(-?\d+)")


def blend_problem(path: str) -> str:
    """Why `path` cannot be rendered as a .blend file ("" if it may be)."""
    if not path or not os.path.isabs(path):
        return f"{path or 'no file chosen'}: not an absolute path"
    try:
        with open(path, "rb") as stream:
            start = stream.read(8)
    except FileNotFoundError:
        return f"{path}: no such file"
    except IsADirectoryError:
        return f"{path}: a folder, not a .blend file"
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror})"
    if not start.startswith(_BLEND_STARTS):
        return f"{path}: not a .blend file"
    return ""


def render_arguments(path: str, without_shots: str) -> list[str]:
    """The `render` command's arguments for one file (after `--`)."""
    if without_shots not in WITHOUT_SHOTS:
        raise ValueError(f"unknown choice for a file without shots: {without_shots!r}")
    return ["render", path, "--json", f"--no-shots={without_shots.lower()}", "--followed"]


@dataclass(frozen=True)
class FileResult:
    status: ShotStatus  # DONE when every shot it rendered is done or skipped
    text: str  # for its row: what it rendered, or why not
    files: tuple[str, ...] = ()


def result_of(exit_code: int | None, output: str, error_tail: str) -> FileResult:
    """What became of a file's process: its JSON record (standard output),
    else the reason it printed last (standard error)."""
    record = _record(output)
    if record is None:
        reason = _last_reason(error_tail) or f"the background Blender ended with code {exit_code}"
        return FileResult(ShotStatus.FAILED, reason)
    shots = record.get("shots", [])
    done = [shot for shot in shots if shot.get("status") in _WROTE]
    files = tuple(str(path) for shot in done for path in shot.get("files", ()))
    failed = [shot for shot in shots if shot.get("status") not in _WROTE]
    if not failed and exit_code == 0:
        # Short: the row is narrow.
        count = f"{len(done)} shot" + ("" if len(done) == 1 else "s")
        return FileResult(ShotStatus.DONE, f"{count} done, {len(files)} files", files)
    first = failed[0] if failed else {}
    reason = str(first.get("reason") or record.get("report") or f"ended with code {exit_code}")
    return FileResult(ShotStatus.FAILED, f"{first.get('name', 'a shot')}: {reason}", files)


def _record(output: str) -> dict[str, Any] | None:
    """The run's JSON record: the last document that starts a line (Blender
    and other add-ons may print lines before it, or after)."""
    decoder = json.JSONDecoder()
    starts = [0] if output.startswith("{") else []
    starts += [at + 1 for at, char in enumerate(output) if char == "\n" and output.startswith("{", at + 1)]
    for start in reversed(starts):
        try:
            document, _end = decoder.raw_decode(output, start)
        except ValueError:
            continue
        if isinstance(document, dict) and document.get("format") == "multi_render.run":
            return document
    return None


def _last_reason(error_tail: str) -> str:
    """The command's own message ("multi_render: ..."), if it printed one."""
    for line in reversed(error_tail.splitlines()):
        if line.startswith("multi_render: "):
            return line.removeprefix("multi_render: ").strip()
    return ""


def render_progress(error_tail: str) -> str:
    """The render's progress in the last statistics the process printed
    (child_protocol.STATS_PREFIX): "Sample 5/16", with its frame when
    Blender says it ("Fra:3 Mem:... | Sample 5/16": 4.x)."""
    for line in reversed(error_tail.splitlines()):
        if not line.startswith(child_protocol.STATS_PREFIX):
            continue
        progress = child_protocol.render_progress(line)
        frame = _FRAME.search(line)
        return f"Frame {frame.group(1)}: {progress}" if frame and progress else progress
    return ""
