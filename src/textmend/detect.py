"""Stage 2: the detector alone (placeholder)."""

from __future__ import annotations

from textmend.models import Finding


def detect(text: str) -> list[Finding]:
    from textmend.repair import fix

    return fix(text).findings
