"""A line of text that remembers where every repaired piece came from.

Repairs happen in several passes (control characters, ftfy's single-byte fixes, textmend's
layers, inference, NFC), and a later pass may repair what an earlier one produced (two layers
of damage). Each pass describes its changes as :class:`Edit` objects on the *current* text;
:class:`TrackedLine` folds them into pieces that keep the *original* text they replace, so
the findings always point at columns of the input and show the input's characters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=1024)
def describe_chain(kinds: tuple[str, ...]) -> str:
    """Name a chain of repairs as the damage that happened, outermost layer last.

    Repairs undo the outermost damage first, so the damage order is the reverse.
    ``("utf-8 read as cp1252", "utf-8 read as gbk")`` -> ``utf-8 read as gbk, then utf-8
    read as cp1252``; the same layer twice -> ``utf-8 read as cp1252, twice``.

    A lost byte inferred where the same layer was just undone (``utf-8 read as cp1252``
    next to ``utf-8 read as cp1252 (lost byte inferred)``) is one layer of damage, not
    two: the repair of one mojibake run that lost a byte took two steps, and the name
    kept is the one that says a character was inferred.

    (Remembered: a document names the same few chains for every finding.)
    """
    layers: list[str] = []
    for kind in kinds:
        if layers and kind.startswith(layers[-1] + " ("):
            layers[-1] = kind
        elif not (layers and layers[-1].startswith(kind + " (")):
            layers.append(kind)
    damage = list(dict.fromkeys(reversed(layers)))
    if len(damage) == 1 and len(layers) > 1:
        times = len(layers)
        return f"{damage[0]}, twice" if times == 2 else f"{damage[0]}, {times} times"
    return ", then ".join(damage)


class TrackedLine:
    """The current text of one line as pieces that remember their original text."""

    __slots__ = ("_original", "_text", "pieces")

    def __init__(self, text: str) -> None:
        self.pieces: list[Piece] = [Piece(text, text)]
        # The joined texts, remembered until the next apply (the repair asks for the
        # current text again and again between edits).
        self._text: str | None = text
        self._original: str | None = text

    @classmethod
    def of_pieces(cls, pieces: tuple[Piece, ...]) -> TrackedLine:
        """A line made of ``pieces`` (another line's, which stay shared: pieces are
        immutable and :meth:`apply` builds a new list)."""
        line = cls.__new__(cls)
        line.pieces = list(pieces)
        line._text = line._original = None
        return line

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(piece.text for piece in self.pieces)
        return self._text

    @property
    def original(self) -> str:
        if self._original is None:
            self._original = "".join(piece.original for piece in self.pieces)
        return self._original

    def apply(self, edits: list[Edit]) -> None:
        """Apply non-overlapping ``edits`` (positions in the current text).

        An edit that touches part of a piece an earlier pass changed takes the whole
        piece (its original cannot be split); edits whose pieces then overlap are applied
        together as one group, so every group maps to one stretch of the original.
        """
        if not edits:
            return
        if len(self.pieces) == 1 and not self.pieces[0].changed:
            self._apply_to_unchanged(edits)
            return
        spans: list[tuple[int, int, Piece]] = []
        position = 0
        for piece in self.pieces:
            spans.append((position, position + len(piece.text), piece))
            position += len(piece.text)
        starts = [span[0] for span in spans]
        groups = self._overlapping_groups(
            edits, lambda start, end: self._expand(start, end, spans, starts)
        )
        current = self.text
        rebuilt: list[Piece] = []
        span_index = 0
        for start, end, members in groups:
            inside: list[Piece] = []
            original = ""
            while span_index < len(spans):
                piece_start, piece_end, piece = spans[span_index]
                if piece_start >= end and not (piece_start == piece_end == end):
                    break
                if piece_end <= start and not (piece_start == piece_end == start):
                    rebuilt.append(piece)
                    span_index += 1
                    continue
                if piece.changed:
                    inside.append(piece)
                    original += piece.original
                else:
                    # An unchanged piece: keep what lies outside the group as it is.
                    if piece_start < start:
                        head = piece.text[: start - piece_start]
                        rebuilt.append(Piece(head, head))
                    original += piece.text[
                        max(start, piece_start) - piece_start : min(end, piece_end) - piece_start
                    ]
                    if piece_end > end:
                        tail = piece.text[end - piece_start :]
                        spans[span_index] = (end, piece_end, Piece(tail, tail))
                        break
                span_index += 1
            kinds = (*_earlier_kinds(inside), *dict.fromkeys(edit.kind for edit in members))
            rebuilt.append(
                Piece(
                    text=self._spliced(current, start, end, members),
                    original=original,
                    kinds=kinds,
                    confidence=min(
                        [*(e.confidence for e in members), *(p.confidence for p in inside)]
                    ),
                    inferred=any(e.inferred for e in members) or any(p.inferred for p in inside),
                )
            )
        rebuilt.extend(span[2] for span in spans[span_index:])
        self.pieces = self._merge_unchanged(rebuilt)
        self._text = self._original = None

    def _apply_to_unchanged(self, edits: list[Edit]) -> None:
        """:meth:`apply` on a line no edit has changed yet (one unchanged piece), the
        first repair of nearly every damaged line: there is no earlier repair to widen an
        edit to, so each group of overlapping edits replaces exactly its own stretch of
        the text, and the rest stays as it is (the same pieces the general walk builds)."""
        current = self.text
        rebuilt: list[Piece] = []
        position = 0
        for start, end, members in self._overlapping_groups(edits):
            if start > position:
                rebuilt.append(Piece(current[position:start], current[position:start]))
            rebuilt.append(
                Piece(
                    text=self._spliced(current, start, end, members),
                    original=current[start:end],
                    kinds=tuple(dict.fromkeys(edit.kind for edit in members)),
                    confidence=min(edit.confidence for edit in members),
                    inferred=any(edit.inferred for edit in members),
                )
            )
            position = max(position, end)
        if position < len(current):
            rebuilt.append(Piece(current[position:], current[position:]))
        self.pieces = self._merge_unchanged(rebuilt)
        self._text = None  # (the original text stays what it was)

    @staticmethod
    def _overlapping_groups(
        edits: list[Edit], stretch: Callable[[int, int], tuple[int, int]] | None = None
    ) -> list[tuple[int, int, list[Edit]]]:
        """``edits`` in order, gathered into groups whose stretches overlap: each edit's
        own, or what ``stretch`` widens it to (the pieces of earlier repairs it touches)."""
        groups: list[tuple[int, int, list[Edit]]] = []
        for edit in sorted(edits, key=lambda item: (item.start, item.end)):
            start, end = edit.start, edit.end
            if stretch is not None:
                start, end = stretch(start, end)
            if groups and start < groups[-1][1]:
                last_start, last_end, members = groups[-1]
                groups[-1] = (last_start, max(last_end, end), [*members, edit])
            else:
                groups.append((start, end, [edit]))
        return groups

    @staticmethod
    def _spliced(current: str, start: int, end: int, members: list[Edit]) -> str:
        """``current[start:end]`` with the replacements of ``members`` (in order, inside it)."""
        new_text = []
        cursor = start
        for edit in members:
            new_text.append(current[cursor : edit.start])
            new_text.append(edit.replacement)
            cursor = edit.end
        new_text.append(current[cursor:end])
        return "".join(new_text)

    @staticmethod
    def _expand(
        start: int, end: int, spans: list[tuple[int, int, Piece]], starts: list[int]
    ) -> tuple[int, int]:
        """Widen ``start:end`` to the whole of every changed piece it touches.

        Only the pieces around the edit are looked at (binary search on their starts), so
        a line with tens of thousands of repairs costs no more per repair than a short one.
        """
        widened = True
        while widened:
            widened = False
            first = max(0, bisect_right(starts, start) - 2)
            index = first
            while index < len(spans) and spans[index][0] <= end:
                piece_start, piece_end, piece = spans[index]
                index += 1
                if not piece.changed:
                    continue
                touches = piece_start < end and start < piece_end
                if piece_start == piece_end:  # a deletion: touched when strictly inside
                    touches = start < piece_start < end
                if touches and (piece_start < start or piece_end > end):
                    start, end = min(start, piece_start), max(end, piece_end)
                    widened = True
        return start, end

    @staticmethod
    def _merge_unchanged(pieces: list[Piece]) -> list[Piece]:
        merged: list[Piece] = []
        for piece in pieces:
            if not piece.text and not piece.original:
                continue
            if merged and not piece.changed and not (last := merged[-1]).changed:
                # (The constructor, not dataclasses.replace: this runs for every edit.)
                merged[-1] = Piece(
                    last.text + piece.text,
                    last.original + piece.original,
                    last.kinds,
                    last.confidence,
                    last.inferred,
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
