# SPDX-License-Identifier: GPL-3.0-or-later
"""What a farm job's copy of the .blend takes along to shared storage: the
files it uses that the Workers could not reach (images, linked libraries,
caches, fonts, sounds: Blender's own list of external paths). They are
copied into the job folder in the same layout relative to each other as
they are on this computer, so the copy's relative paths ("//textures/...",
"//../library.blend", and those inside linked libraries) find them there
without rewriting a single path. A file used by an absolute path outside
shared storage cannot be found that way: it is refused, named."""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
from typing import Any

import bpy

from .assets import TILE_TOKENS


class JobFilesError(Exception):
    """The copy could not find a file on the farm: the message names it."""


@dataclasses.dataclass(frozen=True)
class JobFiles:
    blend: str  # where the copy of the .blend goes
    copies: tuple[tuple[str, str], ...] = ()  # (file or folder here, its place in the job folder)
    relative_remap: bool = True  # save the copy with its relative paths remapped to the originals

    def copy(self) -> None:
        """Copy every file along (the .blend itself is saved by the caller)."""
        for source, target in self.copies:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(source):
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)


def plan(storage: str, job_folder: str, stem: str) -> JobFiles:
    """Where the copy goes and what goes with it. When everything the file
    uses is on shared storage, the copy's relative paths are remapped to
    point there; otherwise every file it uses by a relative path goes along,
    keeping its place relative to the copy under job_folder/files."""
    relative: list[str] = []
    missing: list[str] = []
    needs_copy = False
    sequences = _sequence_paths()
    written = bpy.utils.blend_paths(absolute=False, packed=False, local=False)
    resolved = bpy.utils.blend_paths(absolute=True, packed=False, local=False)
    for as_written, used in zip(written, resolved, strict=True):
        path = os.path.normpath(used)
        sources = _sources(path, sequences)
        if not sources:
            if os.path.splitext(path)[1]:  # a file; a folder may be a cache not baked yet
                missing.append(path)
            continue
        on_storage = inside(path, storage)
        if not as_written.startswith("//"):
            if not on_storage:
                raise JobFilesError(
                    f"the .blend uses '{path}' by an absolute path outside the Flamenco Manager's shared storage: "
                    "the Workers could not find it. Make it relative (File > External Data > Make Paths Relative) "
                    "or move it to shared storage"
                )
            continue  # the Workers find it where it is
        relative += sources
        needs_copy = needs_copy or not on_storage
    if missing:
        listed = ", ".join(f"'{path}'" for path in sorted(set(missing))[:5])
        more = f" and {len(set(missing)) - 5} more" if len(set(missing)) > 5 else ""
        raise JobFilesError(f"the .blend uses files that do not exist: {listed}{more}")
    if not needs_copy:
        return JobFiles(os.path.join(job_folder, f"{stem}.blend"))
    person = bpy.data.filepath
    try:
        root = os.path.commonpath([os.path.dirname(person), *(os.path.dirname(source) for source in relative)])
        files = os.path.join(job_folder, "files")
        copies = tuple(
            (source, os.path.join(files, os.path.relpath(source, root))) for source in dict.fromkeys(relative)
        )
        return JobFiles(os.path.join(files, os.path.relpath(person, root)), copies, relative_remap=False)
    except ValueError:  # on another drive (Windows), or an unsaved file
        raise JobFilesError(
            "the .blend and the files it uses by relative paths are not on one drive: save it beside them, "
            "or move them to shared storage"
        ) from None


def _sources(path: str, sequences: set[str]) -> list[str]:
    """The files behind one external path: UDIM tiles, a sequence's folder,
    or the file itself; none when it does not exist."""
    name = os.path.basename(path)
    for token in TILE_TOKENS:
        if token in name:
            pattern = os.path.join(glob.escape(os.path.dirname(path)), glob.escape(name).replace(token, "*"))
            return sorted(glob.glob(pattern))
    if path in sequences:  # named by one frame (which may not exist): the folder holds them all
        return [os.path.dirname(path)] if os.path.isdir(os.path.dirname(path)) else []
    return [path] if os.path.exists(path) else []


def _sequence_paths() -> set[str]:
    """The paths that name one frame of a sequence: image sequences, movie
    clips made of images, volume sequences."""
    blocks: list[Any] = [image for image in bpy.data.images if image.source == "SEQUENCE" and not image.packed_file]
    blocks += [clip for clip in bpy.data.movieclips if clip.source == "SEQUENCE"]
    blocks += [volume for volume in bpy.data.volumes if volume.is_sequence and not volume.packed_file]
    return {
        os.path.normpath(bpy.path.abspath(block.filepath, library=block.library)) for block in blocks if block.filepath
    }


def inside(path: str, folder: str) -> bool:
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)
