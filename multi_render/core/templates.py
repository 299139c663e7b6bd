# SPDX-License-Identifier: GPL-3.0-or-later
"""Output path templates: "//renders/{scene}/{shot}_{frame}".

Tokens are names in braces; `{{` and `}}` are literal braces. Values that
come from names (scene, shot, camera, view layer, .blend) are made safe for
file names, so `cam/01` or `../x` can neither create folders nor leave the
output folder. `{frame}` is four digits; `{index}` is the shot's position
from 1; `{date}` and `{time}` are fixed when a queue starts."""

from __future__ import annotations

from dataclasses import dataclass

from .paths import safe_filename

# Token -> what it means, for messages and the README.
TOKENS = {
    "scene": "the scene's name",
    "shot": "the shot's name",
    "camera": "the shot's camera's name",
    "frame": "the frame number, 4 digits",
    "index": "the shot's position in the list, from 1",
    "view_layer": "the view layer rendered",
    "blend": "the .blend file's name without extension",
    "date": "the queue's start date, YYYY-MM-DD",
    "time": "the queue's start time, HHMMSS",
}
_NAME_TOKENS = {"scene", "shot", "camera", "view_layer", "blend"}
# Blender fills runs of # with the frame number when it renders an animation.
FRAME_PLACEHOLDER = "####"


class TemplateError(ValueError):
    """A template that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class TemplateValues:
    scene: str
    shot: str
    camera: str
    index: int  # from 1
    view_layer: str
    blend: str
    date: str
    time: str

    def as_text(self) -> dict[str, str]:
        values = {
            "scene": self.scene,
            "shot": self.shot,
            "camera": self.camera,
            "index": str(self.index),
            "view_layer": self.view_layer,
            "blend": self.blend,
            "date": self.date,
            "time": self.time,
        }
        return {
            key: safe_filename(value, fallback=key) if key in _NAME_TOKENS else value for key, value in values.items()
        }


def parse(template: str) -> list[tuple[str, str]]:
    """The template as ("text", literal) and ("token", name) parts."""
    parts: list[tuple[str, str]] = []
    text: list[str] = []
    position = 0
    while position < len(template):
        char = template[position]
        if template.startswith("{{", position) or template.startswith("}}", position):
            text.append(char)
            position += 2
        elif char == "{":
            end = template.find("}", position + 1)
            if end < 0:
                raise TemplateError(f"an opening brace at character {position + 1} is never closed")
            name = template[position + 1 : end]
            if "{" in name:
                raise TemplateError(f"an opening brace at character {position + 1} is never closed")
            if name not in TOKENS:
                known = ", ".join("{" + token + "}" for token in TOKENS)
                raise TemplateError(f"unknown token {{{name}}} (known: {known})")
            if text:
                parts.append(("text", "".join(text)))
                text = []
            parts.append(("token", name))
            position = end + 1
        elif char == "}":
            raise TemplateError(f"a closing brace at character {position + 1} has no opening brace")
        else:
            text.append(char)
            position += 1
    if text:
        parts.append(("text", "".join(text)))
    return parts


def expand(template: str, values: TemplateValues, frame: int | None) -> str:
    """The template with every token replaced. With `frame` None (an
    animation), {frame} becomes #### for Blender to number each frame."""
    text = values.as_text()
    out = []
    for kind, value in parse(template):
        if kind == "text":
            out.append(value)
        elif value == "frame":
            out.append(FRAME_PLACEHOLDER if frame is None else _frame_text(frame))
        else:
            out.append(text[value])
    return "".join(out)


def _frame_text(frame: int) -> str:
    return f"-{abs(frame):03d}" if frame < 0 else f"{frame:04d}"


def node_output_folder(node_path: str, values: TemplateValues, frame: int | None) -> str:
    """Where a compositor File Output node writes for one shot. A node path
    with this add-on's tokens ("//passes/{shot}/") is expanded; any other
    (Blender 4.5+'s own path variables such as {blend_name} included, which
    Blender expands itself) gets a sub-folder named after the shot, so that
    no shot overwrites another's passes. Braces never enter from a name."""
    try:
        parts = parse(node_path)
    except TemplateError:
        parts = []  # not ours: Blender's own variables, or literal braces
    if any(kind == "token" for kind, _value in parts):
        return expand(node_path, values, frame)
    shot = values.as_text()["shot"].replace("{", "(").replace("}", ")")
    if not node_path:
        return f"{shot}/"
    return f"{node_path if node_path.endswith(('/', chr(92))) else node_path + '/'}{shot}/"
