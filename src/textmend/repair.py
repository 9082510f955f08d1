"""Stage 3 (placeholder while the engine is written)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from textmend.models import Finding


@dataclass(slots=True)
class Repaired:
    text: str
    findings: list[Finding] = field(default_factory=list)


def fix(text: str, *, allow_inferred: bool = True) -> Repaired:
    return Repaired(unicodedata.normalize("NFC", text))


def repair(text: str) -> str:
    return fix(text).text
