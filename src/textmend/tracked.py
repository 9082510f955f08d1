"""A line of text that remembers where every repaired piece came from.

Repairs happen in several passes (control characters, ftfy's single-byte fixes, textmend's
layers, inference, NFC), and a later pass may repair what an earlier one produced (two layers
of damage). Each pass describes its changes as :class:`Edit` objects on the *current* text;
:class:`TrackedLine` folds them into pieces that keep the *original* text they replace, so
the findings always point at columns of the input and show the input's characters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from textmend.models import Finding


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``current[start:end]`` by ``replacement``."""

    start: int
    end: int
    replacement: str
    kind: str
    confidence: float = 1.0
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    original: str
    kinds: tuple[str, ...] = ()
    confidence: float = 1.0
    inferred: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _earlier_kinds(covered: list[Piece]) -> tuple[str, ...]:
    """The repairs already made inside ``covered``: the chain of one piece, or the distinct
    repairs of several neighbouring pieces that a new edit joins."""
    changed = [piece for piece in covered if piece.changed]
    if len(changed) == 1:
        return changed[0].kinds
    return tuple(dict.fromkeys(kind for piece in changed for kind in piece.kinds))


def describe_chain(kinds: tuple[str, ...]) -> str:
    """Name a chain of repairs as the damage that happened, outermost layer last.

    Repairs undo the outermost damage first, so the damage order is the reverse.
    ``("utf-8 read as cp1252", "utf-8 read as gbk")`` -> ``utf-8 read as gbk, then utf-8
    read as cp1252``; the same layer twice -> ``utf-8 read as cp1252, twice``.
    """
    damage = list(dict.fromkeys(reversed(kinds)))
    if len(damage) == 1 and len(kinds) > 1:
        return f"{damage[0]}, twice" if len(kinds) == 2 else f"{damage[0]}, {len(kinds)} times"
    return ", then ".join(damage)


class TrackedLine:
    """The current text of one line as pieces that remember their original text."""

    __slots__ = ("pieces",)

    def __init__(self, text: str) -> None:
        self.pieces: list[Piece] = [Piece(text, text)]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def original(self) -> str:
        return "".join(piece.original for piece in self.pieces)

    def apply(self, edits: list[Edit]) -> None:
        """Apply non-overlapping ``edits`` (positions in the current text)."""
        if not edits:
            return
        edits = sorted(edits, key=lambda edit: edit.start)
        cuts = {edit.start for edit in edits} | {edit.end for edit in edits}
        # Split unchanged pieces at every edit boundary so edits cover whole pieces.
        split: list[Piece] = []
        offset = 0
        for piece in self.pieces:
            end = offset + len(piece.text)
            if piece.changed:
                split.append(piece)
            else:
                inner = sorted(cut for cut in cuts if offset < cut < end)
                bounds = [offset, *inner, end]
                for left, right in pairwise(bounds):
                    chunk = piece.text[left - offset : right - offset]
                    split.append(Piece(chunk, chunk))
            offset = end
        result: list[Piece] = []
        index = 0
        offset = 0
        for edit in edits:
            while index < len(split) and offset + len(split[index].text) <= edit.start:
                if split[index].text or split[index].original:
                    result.append(split[index])
                offset += len(split[index].text)
                index += 1
            covered: list[Piece] = []
            cover_start = offset
            while index < len(split) and (
                offset < edit.end or (edit.start == edit.end == offset and not covered)
            ):
                covered.append(split[index])
                offset += len(split[index].text)
                index += 1
                if edit.start == edit.end:
                    break
            # A changed piece only partly covered by the edit is absorbed whole.
            head = edit.start - cover_start
            tail = offset - edit.end
            current = "".join(piece.text for piece in covered)
            new_text = current[:head] + edit.replacement + current[len(current) - tail :]
            merged = Piece(
                text=new_text,
                original="".join(piece.original for piece in covered),
                kinds=(*_earlier_kinds(covered), edit.kind),
                confidence=min([edit.confidence, *(p.confidence for p in covered if p.changed)]),
                inferred=edit.inferred or any(p.inferred for p in covered),
            )
            result.append(merged)
        result.extend(split[index:])
        self.pieces = self._merge_unchanged(result)

    @staticmethod
    def _merge_unchanged(pieces: list[Piece]) -> list[Piece]:
        merged: list[Piece] = []
        for piece in pieces:
            if not piece.text and not piece.original:
                continue
            if merged and not piece.changed and not merged[-1].changed:
                merged[-1] = replace(
                    merged[-1],
                    text=merged[-1].text + piece.text,
                    original=merged[-1].original + piece.original,
                )
            else:
                merged.append(piece)
        return merged

    def findings(self, line_number: int) -> list[Finding]:
        """One finding per changed piece, positioned in the original line."""
        found: list[Finding] = []
        column = 1
        for piece in self.pieces:
            if piece.changed and piece.text != piece.original:
                found.append(
                    Finding(
                        line=line_number,
                        column=column,
                        kind=describe_chain(piece.kinds),
                        original=piece.original,
                        replacement=piece.text,
                        confidence=round(piece.confidence, 3),
                        inferred=piece.inferred,
                    )
                )
            column += len(piece.original)
        return found
