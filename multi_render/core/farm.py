# SPDX-License-Identifier: GPL-3.0-or-later
"""Render-farm job bundles in Open Job Description (the job-template standard
that AWS Deadline Cloud runs): one task per ticked shot, each running
`blender -c multi_render render FILE --shot NAME` in background.

Imported only when a bundle is exported; written as plain JSON, so the
extension needs no third-party package for it."""

from __future__ import annotations

import json
import os
from typing import Any

SPECIFICATION = "jobtemplate-2023-09"
STEP = "RenderShots"


def job_template(blend_name: str, shot_names: list[str]) -> dict[str, Any]:
    return {
        "specificationVersion": SPECIFICATION,
        "name": f"Multi Render: {blend_name}",
        "parameterDefinitions": [
            {
                "name": "BlendFile",
                "type": "PATH",
                "objectType": "FILE",
                "dataFlow": "IN",
                "description": "The .blend file whose shots are rendered",
            },
            {
                "name": "OutputDir",
                "type": "PATH",
                "objectType": "DIRECTORY",
                "dataFlow": "OUT",
                "description": "Output folder for shots whose output is empty or relative",
            },
            {
                "name": "BlenderExecutable",
                "type": "STRING",
                "default": "blender",
                "description": "Blender 4.2+ with the Multi Render extension enabled",
            },
        ],
        "steps": [
            {
                "name": STEP,
                "parameterSpace": {
                    "taskParameterDefinitions": [{"name": "Shot", "type": "STRING", "range": shot_names}]
                },
                "script": {
                    "actions": {
                        "onRun": {
                            "command": "{{Param.BlenderExecutable}}",
                            "args": [
                                "-c",
                                "multi_render",
                                "render",
                                "{{Param.BlendFile}}",
                                "--shot",
                                "{{Task.Param.Shot}}",
                                "--output-dir",
                                "{{Param.OutputDir}}",
                            ],
                        }
                    }
                },
            }
        ],
    }


def write_bundle(folder: str, blend_path: str, output_dir: str, shot_names: list[str]) -> str:
    """Write template.json and parameter_values.json; return the template's path."""
    if not shot_names:
        raise ValueError("no ticked shot to put in the bundle")
    os.makedirs(folder, exist_ok=True)
    blend_name = os.path.splitext(os.path.basename(blend_path))[0]
    template_path = os.path.join(folder, "template.json")
    with open(template_path, "w", encoding="utf-8") as handle:
        json.dump(job_template(blend_name, shot_names), handle, indent=2, ensure_ascii=False)
    values = {
        "parameterValues": [
            {"name": "BlendFile", "value": os.path.abspath(blend_path)},
            {"name": "OutputDir", "value": os.path.abspath(output_dir)},
        ]
    }
    with open(os.path.join(folder, "parameter_values.json"), "w", encoding="utf-8") as handle:
        json.dump(values, handle, indent=2, ensure_ascii=False)
    return template_path
