# SPDX-License-Identifier: GPL-3.0-or-later
"""A movie of a frame-range shot: its formats, where it goes, and the job a
background Blender encodes it from (results/encode_movie.py reads the job,
as data; results/movies.py starts and follows that Blender). Blender-free."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from . import paths


@dataclass(frozen=True)
class MovieFormat:
    label: str
    extension: str
    container: str  # Blender's render.ffmpeg.format
    codec: str  # Blender's render.ffmpeg.codec


FORMATS: dict[str, MovieFormat] = {
    "H264": MovieFormat("H.264 MP4", ".mp4", "MPEG4", "H264"),
    "PRORES": MovieFormat("ProRes MOV", ".mov", "QUICKTIME", "PRORES"),
}
DEFAULT_TEMPLATE = "{shot}"
JOB_FORMAT = "multi_render.movie"


def movie_path(expanded: str, first_frame: str, blend_folder: str, movie_format: str) -> str:
    """Where a shot's movie goes, from its expanded template: an absolute
    path as it is, "//" in the .blend's folder, any other beside the shot's
    first frame; with the format's extension."""
    extension = FORMATS[movie_format].extension
    if expanded.startswith("//"):
        path = paths.absolute(expanded, blend_folder)
    elif os.path.isabs(expanded):
        path = expanded
    else:
        path = os.path.join(os.path.dirname(first_frame), expanded)
    path = os.path.normpath(path)
    return path if path.lower().endswith(extension) else path + extension


def template_problem(template: str) -> str:
    """Why a movie path template cannot be used, or ""."""
    if not template.strip():
        return "movie path: it is empty"
    if "{frame}" in template:
        return "movie path: a movie has no single frame: leave {frame} out"
    return ""


@dataclass(frozen=True)
class EncodeJob:
    """What the encoding Blender is told: the frames in order, the movie,
    Blender's container and codec, and the frame rate (fps / fps_base)."""

    frames: tuple[str, ...]
    output: str
    container: str
    codec: str
    fps: int
    fps_base: float

    def as_json(self) -> str:
        return json.dumps({"format": JOB_FORMAT, **asdict(self)})


def encode_job(frames: Sequence[str], output: str, movie_format: str, rate: tuple[int, float]) -> EncodeJob:
    chosen = FORMATS[movie_format]
    return EncodeJob(tuple(frames), output, chosen.container, chosen.codec, rate[0], rate[1])


def partial_path(output: str) -> str:
    """Where the movie is written before it is whole: hidden, beside it, so
    a cut-off movie never carries the movie's name."""
    folder, name = os.path.split(output)
    return os.path.join(folder, f".{name}.partial")
