# SPDX-License-Identifier: GPL-3.0-or-later
"""Output paths: the path a shot's render is given, safe file names, and
whether a folder can take the file. The names of the files Blender writes
from it are Blender's own (blender_names.py asks Blender)."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass

from . import exr

# Characters that would create folders or are refused by common file systems.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
# Bidirectional controls reorder how a name is shown ("evil\u202egnp.exe"
# shows as "evilexe.png"): a file name never keeps them.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# File systems allow 255 bytes a name; this leaves room for frame numbers
# and the extension.
NAME_BYTES = 200
MAX_NAME_BYTES = 255
# Names Windows keeps for devices, with any extension ("con.png" too).
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
)
# Windows without long paths enabled takes paths of at most this many characters.
WINDOWS_MAX_PATH = 259


def safe_filename(name: str, fallback: str = "shot") -> str:
    """A file name made from a user-visible name: no separators, control or
    bidirectional characters, never "." or "..", never empty, at most
    NAME_BYTES bytes of UTF-8 (cut between characters)."""
    cleaned = _BIDI_CONTROLS.sub("", _UNSAFE.sub("_", name)).strip().strip(".")
    cleaned = cleaned.encode()[:NAME_BYTES].decode(errors="ignore").strip().strip(".")
    cleaned = cleaned or fallback
    head, dot, rest = cleaned.partition(".")
    if head.strip().upper() in _WINDOWS_RESERVED:
        cleaned = f"{head}_{dot}{rest}"  # "CON" is a device on Windows: "CON_"
    return cleaned


def portable_key(path: str) -> str:
    """What makes two paths the same file on every system a .blend travels
    to: Windows and macOS ignore case, and macOS stores names decomposed
    ("é" as e + accent), so case and Unicode normalisation are folded."""
    return unicodedata.normalize("NFC", os.path.normpath(path)).casefold()


def name_too_long(file_path: str) -> str | None:
    """The first part of a path longer than a file system allows, if any."""
    for part in file_path.split(os.sep):
        if len(part.encode()) > MAX_NAME_BYTES:
            return part
    return None


def with_extension(path: str, extension: str, use_extension: bool) -> str:
    """The path Blender writes for a still when `use_file_extension` is on:
    the format's extension is added unless the path already ends with it."""
    if not use_extension or not extension:
        return path
    if path.lower().endswith(extension.lower()):
        return path
    return path + extension


def scene_output_folder(scene_output: str) -> str:
    """The folder part of the scene's output path (as typed or absolute),
    with its trailing separator ("" for an empty one: the working directory)."""
    if not scene_output:
        return ""
    return scene_output if scene_output.endswith(("/", os.sep)) else os.path.dirname(scene_output) + os.sep


def output_base(shot_filepath: str, scene_folder: str, shot_name: str) -> str:
    """The shot's output path before the extension. `scene_folder` is
    absolute; `shot_filepath` is absolute, or relative to that folder. A
    path ending in a separator is a folder that gets the shot's safe name."""
    if not shot_filepath:
        return os.path.join(scene_folder, safe_filename(shot_name))
    if not os.path.isabs(shot_filepath):
        shot_filepath = os.path.join(scene_folder, shot_filepath)
    if shot_filepath.endswith(("/", os.sep)):
        return os.path.join(shot_filepath, safe_filename(shot_name))
    return os.path.normpath(shot_filepath)


def absolute(path: str, blend_folder: str) -> str:
    """An output path as Blender reads it, made absolute: "//" is the
    .blend's folder (`blend_folder`: the working directory for an unsaved
    file), any other relative path the working directory. A trailing
    separator (a folder) is kept."""
    resolved = os.path.join(blend_folder, path[2:]) if path.startswith("//") else path
    result = os.path.abspath(resolved)
    if path.endswith(("/", os.sep)) and not result.endswith(os.sep):
        result += os.sep
    return result


@dataclass(frozen=True)
class OutputRequest:
    """What decides where a shot writes, as read from Blender."""

    shot_name: str
    expanded_filepath: str  # the shot's filepath template, expanded ("" = the default)
    scene_folder: str  # the folder of the scene's output path, as Blender resolves it (absolute)
    blend_folder: str  # where "//" points
    extension: str  # of the file format, with its dot
    use_extension: bool  # render.use_file_extension
    is_range: bool = False  # a frame range: Blender numbers each frame


@dataclass(frozen=True)
class ShotFiles:
    blender_path: str  # what render.filepath gets (a range: without frame and extension)
    files: tuple[str, ...]  # every file the render writes, absolute, as Blender names them
    error: str = ""  # why the shot's output path cannot be read, if it cannot
    format_problem: str = ""  # why the shot's file format cannot write it, if it cannot
    frames_are_files: bool = False  # a range of images: each written frame is a finished file
    # A frame list's files, per animation render (core/frame_list.segments);
    # empty when one render writes them all.
    segment_files: tuple[tuple[str, ...], ...] = ()
    frame_rate: tuple[int, float] = (0, 1.0)  # a range's fps and fps_base, as the shot renders


def shot_path(request: OutputRequest) -> str:
    """The path a shot's render is given (literal: any path variable of the
    scene's output is resolved already). A shot path starting with "//" is
    in the .blend's folder; any other relative one in the scene's output
    folder; empty means that folder and the shot's safe name. A still gets
    its extension, so that Blender writes exactly this file; a range is the
    base Blender numbers (Cam_0001.png)."""
    shot_path = request.expanded_filepath
    if shot_path.startswith("//"):
        shot_path = absolute(shot_path, request.blend_folder)
    base = output_base(shot_path, request.scene_folder, request.shot_name)
    if not request.is_range:
        return with_extension(base, request.extension, request.use_extension)
    return base + "_" if not request.expanded_filepath else base  # Cam_0001.png rather than Cam0001.png


def escape_braces(path: str) -> str:
    """A literal path in Blender 4.5+'s path-template syntax, where braces
    name variables: "{" and "}" are written "{{" and "}}"."""
    return path.replace("{", "{{").replace("}", "}}")


def with_variable(path: str, name: str, value: str) -> str:
    """`path` (Blender 4.5+'s path-template syntax) with the variable `name`
    replaced by the literal `value`, escaped; everything else as it was,
    "{{" and "}}" included."""
    out: list[str] = []
    position = 0
    while position < len(path):
        if path.startswith(("{{", "}}"), position):
            out.append(path[position : position + 2])
            position += 2
        elif path.startswith("{" + name + "}", position):
            out.append(escape_braces(value))
            position += len(name) + 2
        else:
            out.append(path[position])
            position += 1
    return "".join(out)


def with_view_suffix(path: str, suffix: str) -> str:
    """The file of one view of a still (stereoscopy, Individual files):
    Blender puts the view's suffix before the extension, which it finds as
    os.path.splitext does ("shot.png" -> "shot_L.png")."""
    stem, extension = os.path.splitext(path)
    return stem + suffix + extension


def folder_problem(file_path: str) -> str | None:
    """Why the folder of `file_path` cannot receive the file, or None. The
    nearest existing ancestor must be a folder where a file can be made (a
    temporary one is made and removed at once)."""
    folder = os.path.dirname(os.path.abspath(file_path))
    probe = folder
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return f"no part of the folder '{folder}' exists"
        probe = parent
    if not os.path.isdir(probe):
        return f"the folder '{folder}' cannot be created: '{probe}' is a file"
    # os.access says yes to root for any folder and ignores Windows' access
    # lists: only making a file tells.
    try:
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".multi_render_check_"):
            pass
    except OSError as error:
        return f"the folder '{probe}' is not writable ({error.strerror or type(error).__name__})"
    return None


# How the image formats that have one end their files: a full disk leaves
# files empty (and Blender still says "Saved") or cut off.
_FILE_ENDINGS = {".png": b"IEND\xaeB`\x82", ".jpg": b"\xff\xd9", ".jpeg": b"\xff\xd9"}


def looks_whole(file_path: str) -> bool:
    """Whether a rendered file exists, is not empty and, for the formats
    with an end marker, ends with it; an OpenEXR file's chunks must all be
    in it."""
    try:
        size = os.path.getsize(file_path)
        if size == 0:
            return False
        extension = os.path.splitext(file_path)[1].lower()
        if extension == ".exr":  # its offset table tells (core/exr.py); a layout it cannot read counts as whole
            with open(file_path, "rb") as image:
                return exr.is_whole(image, size) is not False
        ending = _FILE_ENDINGS.get(extension)
        if ending is None:
            return True
        with open(file_path, "rb") as image:
            image.seek(max(0, size - len(ending)))
            return image.read() == ending
    except OSError:
        return False


# Below this much free space, a file that was not written is put down to a full disk.
_NEARLY_FULL_BYTES = 1024 * 1024


def why_not_written(file_path: str) -> str | None:
    """The likely reason a render's file is missing: its folder became
    unwritable or went away, or the disk is full. None if nothing shows."""
    problem = folder_problem(file_path)
    if problem is not None:
        return problem
    try:
        stats = os.statvfs(os.path.dirname(os.path.abspath(file_path)))
    except OSError:
        return None
    free = stats.f_bavail * stats.f_frsize
    if free < _NEARLY_FULL_BYTES:
        return f"the disk is full ({free // 1024} KiB free)"
    return None


# What each image format writes (Blender's extensions) and its colour depths.
FORMAT_EXTENSIONS = {
    "PNG": ".png",
    "JPEG": ".jpg",
    "BMP": ".bmp",
    "TIFF": ".tif",
    "OPEN_EXR": ".exr",
    "OPEN_EXR_MULTILAYER": ".exr",
    "WEBP": ".webp",
    "TARGA": ".tga",
}
FORMAT_DEPTHS = {
    "PNG": ("8", "16"),
    "JPEG": ("8",),
    "BMP": ("8",),
    "TIFF": ("8", "16"),
    "OPEN_EXR": ("16", "32"),
    "OPEN_EXR_MULTILAYER": ("16", "32"),
    "WEBP": ("8",),
    "TARGA": ("8",),
}
