# SPDX-License-Identifier: GPL-3.0-or-later
"""Type names for annotations only; at runtime they are plain builtins."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import OperatorReturnItems

    OperatorResult: TypeAlias = set[OperatorReturnItems]
else:
    OperatorResult = set
