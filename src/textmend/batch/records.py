"""Plain dicts of the pipeline's records, for the report, the resume manifest and JSONL.

``Finding.to_dict()`` and its siblings go through :func:`dataclasses.asdict`, whose
recursive deep copy costs more per finding than all the rest of a file's bookkeeping. The
fields are plain values (numbers, strings, booleans), so a shallow dict is the same dict,
keys in the same order: tests/test_batch.py holds these functions to that.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textmend.models import Cleaned, Finding, RemovedLine

_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
_REMOVED_FIELDS = tuple(f.name for f in dataclasses.fields(RemovedLine))


def finding_dict(finding: Finding) -> dict[str, Any]:
    """``finding.to_dict()``, cheaply."""
    return {name: getattr(finding, name) for name in _FINDING_FIELDS}


def removed_dict(removed: RemovedLine) -> dict[str, Any]:
    """``removed.to_dict()``, cheaply."""
    return {name: getattr(removed, name) for name in _REMOVED_FIELDS}


def cleaned_dict(cleaned: Cleaned) -> dict[str, Any]:
    """``cleaned.to_dict()`` (the JSONL metadata of a record), cheaply."""
    return {
        "encoding": cleaned.encoding,
        "findings": [finding_dict(f) for f in cleaned.findings],
        "removed": [removed_dict(r) for r in cleaned.removed],
        "notes": list(cleaned.notes),
    }
