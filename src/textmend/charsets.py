"""Choosing a legacy (non-UTF-8) encoding for bytes (placeholder: charset-normalizer's pick)."""

from __future__ import annotations

from typing import Any

from textmend.decode import python_codec


def choose_legacy_encoding(data: bytes, results: Any) -> tuple[str | None, float]:
    best = results.best()
    if best is None:
        return None, 0.0
    return python_codec(best.encoding), 1.0 - best.chaos
