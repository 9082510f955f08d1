"""Plain data records passed between the pipeline stages and returned to callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The scale of Finding.confidence. A repair proven by re-applying the damage is lossless;
# one that undoes a whole-file legacy code page is proven too, but rests on a judgement of
# which code page it was; a lost letter the word lists chose is below both, and below
# every guess the bytes themselves support.
LOSSLESS_CONFIDENCE = 0.99
LEGACY_CONFIDENCE = 0.95
LEXICON_CONFIDENCE = 0.6


@dataclass(frozen=True, slots=True)
class Finding:
    """One repaired (or repairable) span of damaged text.

    ``line`` and ``column`` are 1-based positions in the text handed to the repair stage
    (for bytes: the decoded text). In ``clean`` that text has its line ends unified first,
    so CR LF, a lone CR, U+2028 and U+2029 each end a line, as in an editor. ``inferred``
    marks characters that were guessed because their bytes were lost; those are the only
    unproven changes textmend makes.
    """

    line: int
    column: int
    kind: str
    original: str
    replacement: str
    confidence: float
    inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        # Every field is a plain value, so a shallow dict is what dataclasses.asdict would
        # give, without its recursive deep copy (which cost more per finding than the rest
        # of a batch file's bookkeeping). Spelled out rather than built by a loop over the
        # field names with getattr: 0.17 instead of 0.39 us a finding, for every finding
        # of every file and JSONL record. tests/test_batch.py holds it to asdict, key
        # order included.
        return {
            "line": self.line,
            "column": self.column,
            "kind": self.kind,
            "original": self.original,
            "replacement": self.replacement,
            "confidence": self.confidence,
            "inferred": self.inferred,
        }


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the boilerplate stage removed (or would remove), with why."""

    line: int
    text: str
    category: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        # Spelled out, as Finding.to_dict (same test).
        return {
            "line": self.line,
            "text": self.text,
            "category": self.category,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the encoding it was decoded from."""

    text: str
    encoding: str | None
    confidence: float
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class Cleaned:
    """The result of :func:`textmend.clean`."""

    text: str
    encoding: str | None
    findings: list[Finding] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings or self.removed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding,
            "findings": [f.to_dict() for f in self.findings],
            "removed": [r.to_dict() for r in self.removed],
            "notes": list(self.notes),
        }
