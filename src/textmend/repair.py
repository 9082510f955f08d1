"""Stage 3: repair encoding damage, span by span, and report every change.

Passes over each line that shows any sign of damage (clean lines are skipped by one regex
search, which is what keeps clean text fast):

1. stray control characters are removed;
2. ftfy fixes the single-byte mojibake it knows (UTF-8 read as cp1252/latin-1/…), with a
   configuration that keeps curly quotes, ligatures and character widths;
3. textmend's own layers (``data/damage_layers.toml``) undo what ftfy does not: UTF-8 read
   as GBK/Big5/Shift_JIS/EUC-KR/…, legacy CJK and Cyrillic text read as Western codecs, and
   a second layer on top of a first. Each repair is *proven*: re-applying the damage to the
   repaired span gives back the damaged span exactly, or the repair is not made;
4. characters whose bytes were lost are inferred from context (inference.py) — the only
   unproven changes, each reported as an inferred finding with a lower confidence;
5. NFC.

A repair is accepted only when it makes the text more natural by a clear margin
(charclass.text_cost), so clean text in any language is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
from ftfy.badness import is_bad

from textmend.charclass import HAN, script_of, text_cost, written_in
from textmend.inference import DocumentHabits, guess_punctuation
from textmend.layers import LAYERS, Layer
from textmend.models import Finding
from textmend.tracked import Edit, TrackedLine

CONTROL_KIND = "control character"
NFC_KIND = "unicode normalisation (NFC)"
INFERRED_SUFFIX = " (lost byte inferred)"

# C0 controls other than tab/newline/carriage return, DEL, and non-characters. C1 controls
# are ftfy's business: they are usually cp1252 punctuation decoded as latin-1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|\ufeff")
_C1 = re.compile("[\x80-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LOST_MARKERS = "\ufffd?"
# A valid UTF-8 stretch (ASCII allowed: double-byte codecs use ASCII as trail bytes).
_UTF8_STRETCH = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
# A UTF-8 sequence cut short: a lead byte and fewer continuation bytes than it needs.
_TRUNCATED_TAIL = re.compile(
    rb"(?:[\xe0-\xef][\x80-\xbf]?|[\xf0-\xf4][\x80-\xbf]{0,2}|[\xc2-\xdf])\Z"
)
# Whole characters replaced (Big5/EUC-KR read with U+FFFD; '?' from a lossy converter)
# where the context leaves one reading: between a word and a contraction suffix.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])(?:\ufffd{1,3}|\?)(?=(?:s|t|d|m|ll|ve|re)(?![\w=&/]))")
_LOST_PUNCTUATION = re.compile(r"(?<![\ufffd])\ufffd{3}(?![\ufffd])")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)

# How much more natural (lower text_cost) a repair must make a span to be accepted.
MIN_GAIN = 2
LOSSLESS_CONFIDENCE = 0.99
MAX_LAYERS = 3
MAX_LINE_FOR_LAYERS = 1 << 20


@dataclass(slots=True)
class Repaired:
    """Repaired text and the findings that describe every change."""

    text: str
    findings: list[Finding] = field(default_factory=list)


def _any_trigger(line: str) -> bool:
    return any(layer.trigger.search(line) for layer in LAYERS)


def _needs_work(line: str) -> bool:
    if line.isascii():
        return _CONTROL.search(line) is not None or (
            "?" in line and _LOST_APOSTROPHE.search(line) is not None
        )
    return (
        _CONTROL.search(line) is not None
        or "\ufffd" in line
        or _C1.search(line) is not None
        or is_bad(line)
        or _any_trigger(line)
        or not unicodedata.is_normalized("NFC", line)
    )


# --- pass 1: control characters -------------------------------------------------------


def control_edits(text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), "", CONTROL_KIND) for m in _CONTROL.finditer(text)]


# --- pass 2: ftfy ---------------------------------------------------------------------


def _ftfy_kind(explanation: list[tuple[str, str]] | None) -> str:
    encodes = [arg for step, arg in explanation or [] if step == "encode"]
    decodes = [arg for step, arg in explanation or [] if step == "decode"]
    names = [
        f"{dec.replace('_', '-')} read as {enc.replace('sloppy-', '')}"
        for enc, dec in zip(encodes, decodes, strict=False)
    ]
    if names:
        return (
            ", then ".join(reversed(names))
            if len(set(names)) > 1
            else (names[0] if len(names) == 1 else f"{names[0]}, twice")
        )
    steps = [arg for _step, arg in explanation or []]
    return "ftfy: " + ", ".join(steps) if steps else "ftfy"


def diff_edits(
    before: str, after: str, kind: str, confidence: float = LOSSLESS_CONFIDENCE
) -> list[Edit]:
    """Edits turning ``before`` into ``after``, as few and as small as a diff finds."""
    if before == after:
        return []
    from difflib import SequenceMatcher

    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    old = before[prefix : len(before) - suffix]
    new = after[prefix : len(after) - suffix]
    if len(old) * len(new) > 4_000_000:
        return [Edit(prefix, prefix + len(old), new, kind, confidence)]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(prefix + i1, prefix + i2, new[j1:j2], kind, confidence))
    return _coalesce(edits, old_offset=prefix, old=old)


def _coalesce(edits: list[Edit], *, old_offset: int, old: str) -> list[Edit]:
    """Join edits separated by at most one unchanged non-space char (one damaged word)."""
    if len(edits) < 2:
        return edits
    merged = [edits[0]]
    for edit in edits[1:]:
        last = merged[-1]
        gap = old[last.end - old_offset : edit.start - old_offset]
        if len(gap) <= 1 and not gap.isspace():
            merged[-1] = Edit(
                last.start,
                edit.end,
                last.replacement + gap + edit.replacement,
                last.kind,
                min(last.confidence, edit.confidence),
            )
        else:
            merged.append(edit)
    return merged


def ftfy_edits(text: str) -> list[Edit]:
    if not (is_bad(text) or _C1.search(text)):
        return []
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    edits = diff_edits(text, fixed, _ftfy_kind(explanation))
    # ftfy's sloppy codecs turn U+FFFD into control characters; a lost byte is the
    # inference pass's business, so such edits are not taken.
    return [edit for edit in edits if not _CONTROL.search(edit.replacement)]


# --- pass 3: textmend's layers --------------------------------------------------------


def _cost_in_context(line: str, start: int, end: int, middle: str) -> int:
    return text_cost(line[max(0, start - 1) : start] + middle + line[end : end + 1])


def _char_byte_bounds(segment: str, codec: str) -> list[int]:
    bounds = [0]
    for char in segment:
        bounds.append(bounds[-1] + len(char.encode(codec)))
    return bounds


def _undo_utf8_layer(line: str, start: int, segment: str, layer: Layer) -> list[Edit]:
    """Lossless repairs of UTF-8 read as ``layer.read_as`` inside one encodable segment."""
    raw = segment.encode(layer.read_as)
    if raw.isascii():
        return []
    edits: list[Edit] = []
    bounds: list[int] | None = None
    for match in _UTF8_STRETCH.finditer(raw):
        chunk = match.group()
        if chunk.isascii():
            continue
        if bounds is None:
            bounds = _char_byte_bounds(segment, layer.read_as)
        first = next((i for i, b in enumerate(bounds) if b >= match.start()), None)
        last = next((i for i in range(len(bounds) - 1, -1, -1) if bounds[i] <= match.end()), None)
        if first is None or last is None or last <= first:
            continue
        try:
            fixed = raw[bounds[first] : bounds[last]].decode("utf-8")
        except UnicodeDecodeError:
            continue
        damaged = segment[first:last]
        if fixed == damaged or not _proven(fixed, damaged, layer):
            continue
        absolute = start + first
        gain = _cost_in_context(
            line, absolute, absolute + len(damaged), damaged
        ) - _cost_in_context(line, absolute, absolute + len(damaged), fixed)
        if gain >= MIN_GAIN:
            edits.append(
                Edit(absolute, absolute + len(damaged), fixed, layer.name, LOSSLESS_CONFIDENCE)
            )
    return edits


def _proven(fixed: str, damaged: str, layer: Layer) -> bool:
    """Re-applying the damage to the repair must give back the damaged text exactly."""
    try:
        return fixed.encode(layer.encoded).decode(layer.read_as) == damaged
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def _encodable_segments(run: str, codec: str) -> list[tuple[int, str]]:
    """Split ``run`` at characters ``codec`` cannot encode."""
    segments: list[tuple[int, str]] = []
    offset = 0
    while offset < len(run):
        try:
            run[offset:].encode(codec)
        except UnicodeEncodeError as error:
            if error.start:
                segments.append((offset, run[offset : offset + error.start]))
            offset += error.end
            continue
        segments.append((offset, run[offset:]))
        break
    return segments


def layer_edits(line: str, layer: Layer) -> list[Edit]:
    if not layer.trigger.search(line):
        return []
    if layer.utf8:
        edits: list[Edit] = []
        for run in _NON_ASCII_RUN.finditer(line):
            for offset, segment in _encodable_segments(run.group(), layer.read_as):
                edits.extend(_undo_utf8_layer(line, run.start() + offset, segment, layer))
        return edits
    return _undo_legacy_layer(line, layer)


def _undo_legacy_layer(line: str, layer: Layer) -> list[Edit]:
    """Legacy (non-UTF-8) text read through a single-byte codec: judged line-segment-wise."""
    edits = []
    for offset, segment in _encodable_segments(line, layer.read_as):
        if segment.isascii():
            continue
        try:
            fixed = segment.encode(layer.read_as).decode(layer.encoded)
        except UnicodeDecodeError:
            continue
        if fixed == segment or not _proven(fixed, segment, layer):
            continue
        if layer.expect and not written_in(fixed, layer.expect):
            continue
        damaged_cost = text_cost(segment)
        gain = damaged_cost - text_cost(fixed)
        # Legacy readings change every high character, so demand a large relative gain.
        if gain >= max(MIN_GAIN * 2, damaged_cost // 3):
            edits.append(
                Edit(offset, offset + len(segment), fixed, layer.name, LOSSLESS_CONFIDENCE - 0.04)
            )
    return edits


def best_layer_edits(line: str) -> list[Edit]:
    """The edits of the layer that improves the line most (ties: the earlier layer)."""
    best: list[Edit] = []
    best_gain = 0
    for layer in LAYERS:
        edits = layer_edits(line, layer)
        if not edits:
            continue
        gain = text_cost(line) - text_cost(_apply_plain(line, edits))
        if gain > best_gain:
            best, best_gain = edits, gain
    return best


def _apply_plain(text: str, edits: list[Edit]) -> str:
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


# --- pass 4: inference of lost characters ------------------------------------------------


@dataclass(frozen=True, slots=True)
class LostSite:
    start: int
    end: int
    candidates: str
    layer: Layer
    marked: bool


def _lost_byte_sites(line: str, layer: Layer) -> list[LostSite]:
    """Runs that end in a UTF-8 sequence missing one byte, dropped or marked as lost."""
    sites: list[LostSite] = []
    for run in _NON_ASCII_RUN.finditer(line):
        for offset, segment in _encodable_segments(run.group(), layer.read_as):
            start = run.start() + offset
            end = start + len(segment)
            raw = segment.encode(layer.read_as)
            tail = _TRUNCATED_TAIL.search(raw)
            if tail is None:
                continue
            bounds = _char_byte_bounds(segment, layer.read_as)
            if tail.start() not in bounds:
                continue
            first = bounds.index(tail.start())
            following = line[end : end + 1]
            marker = following if following and following in _LOST_MARKERS else ""
            candidates = _completions(tail.group(), following, marker, layer)
            if candidates:
                sites.append(
                    LostSite(start + first, end + len(marker), candidates, layer, bool(marker))
                )
    return sites


def _completions(prefix: bytes, following: str, marker: str, layer: Layer) -> str:
    """Characters whose UTF-8 form is ``prefix`` plus the one byte the damage lost."""
    need = {0xC0: 2, 0xE0: 3, 0xF0: 4}[prefix[0] & 0xF0 if prefix[0] >= 0xE0 else 0xC0]
    if len(prefix) != need - 1:
        return ""
    next_byte = (
        following.encode(layer.read_as, "replace")[:1] if following and not marker else b"\n"
    )
    chars = []
    for lost in range(0x80, 0xC0):
        if not marker and not _dropped(lost, next_byte, layer.read_as):
            continue
        if marker and _decodes_alone(lost, layer.read_as) and marker == "\ufffd":
            continue
        try:
            chars.append((prefix + bytes((lost,))).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return "".join(chars)


def _decodes_alone(byte: int, codec: str) -> bool:
    try:
        return len(bytes((byte,)).decode(codec)) == 1
    except UnicodeDecodeError:
        return False


def _dropped(byte: int, next_byte: bytes, codec: str) -> bool:
    """Would a ``codec`` decoder lose ``byte`` when ``next_byte`` follows it?"""
    if _decodes_alone(byte, codec):
        return False
    try:
        (bytes((byte,)) + next_byte).decode(codec)
    except UnicodeDecodeError:
        return True
    return False


# --- the whole repair -----------------------------------------------------------------


def _lossless_passes(tracked: TrackedLine) -> set[str]:
    """Passes 1-3 on one line; returns the names of the layers that repaired something."""
    used: set[str] = set()
    tracked.apply(control_edits(tracked.text))
    tracked.apply(ftfy_edits(tracked.text))
    if len(tracked.text) > MAX_LINE_FOR_LAYERS:
        return used
    for _ in range(MAX_LAYERS):
        edits = best_layer_edits(tracked.text)
        if not edits:
            break
        used.add(edits[0].kind)
        tracked.apply(edits)
        again = ftfy_edits(tracked.text)
        if again:
            tracked.apply(again)
    return used


def _context_is_foreign_to(line: str, start: int, end: int) -> bool:
    """True when the characters around a lost-byte site are not CJK (so a lone CJK
    character there is more likely damage than writing)."""
    before = line[start - 1 : start] if start else ""
    after = line[end : end + 1]
    return all(script_of(char) != HAN for char in before + after)


def _inference_edits(
    tracked: TrackedLine, evidence: set[str], habits: DocumentHabits
) -> list[Edit]:
    text = tracked.text
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for layer in LAYERS:
        if not layer.utf8 or not layer.trigger.search(text):
            continue
        for site in _lost_byte_sites(text, layer):
            if any(site.start < end and start < site.end for start, end in taken):
                continue
            if not site.marked and layer.name not in evidence:
                # A byte dropped without a trace leaves a character that is also a real
                # (rare) one: only a lossless repair elsewhere in the document proves that
                # this document went through this damage.
                continue
            if (
                not _context_is_foreign_to(text, site.start, site.end)
                and layer.name not in evidence
            ):
                continue
            before = _apply_plain(text[: site.start], [e for e in edits if e.end <= site.start])
            guess = guess_punctuation(site.candidates, before, text[site.end :], habits)
            if guess is None:
                continue
            habits.learn(guess.char, before, text[site.end :])
            edits.append(
                Edit(
                    site.start,
                    site.end,
                    guess.char,
                    layer.name + INFERRED_SUFFIX,
                    guess.confidence,
                    inferred=True,
                )
            )
            taken.append((site.start, site.end))
    for pattern in (_LOST_APOSTROPHE, _LOST_PUNCTUATION):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if pattern is _LOST_PUNCTUATION and not _context_is_foreign_to(
                text, match.start(), match.end()
            ):
                continue
            before = _apply_plain(
                text[: match.start()], [e for e in edits if e.end <= match.start()]
            )
            guess = (
                guess_punctuation("’", before, text[match.end() :], habits)
                if pattern is _LOST_APOSTROPHE
                else guess_punctuation("’”“—–…", before, text[match.end() :], habits)
            )
            if guess is None:
                continue
            edits.append(
                Edit(
                    match.start(),
                    match.end(),
                    guess.char,
                    "character lost in decoding" + INFERRED_SUFFIX,
                    min(guess.confidence, 0.7),
                    inferred=True,
                )
            )
            taken.append((match.start(), match.end()))
    return edits


def fix(text: str, *, allow_inferred: bool = True) -> Repaired:
    """Repair ``text`` and describe every change (see the module docstring)."""
    lines = text.splitlines(keepends=True)
    work: dict[int, TrackedLine] = {}
    evidence: set[str] = set()
    for index, line in enumerate(lines):
        if _needs_work(line):
            tracked = TrackedLine(line)
            evidence |= _lossless_passes(tracked)
            work[index] = tracked
    if not work:
        return Repaired(text)
    habits = DocumentHabits.of(
        "".join(t.text for t in work.values()) if len(work) < len(lines) else text
    )
    findings: list[Finding] = []
    for index, tracked in work.items():
        if allow_inferred:
            tracked.apply(_inference_edits(tracked, evidence, habits))
        current = tracked.text
        if not unicodedata.is_normalized("NFC", current):
            tracked.apply(diff_edits(current, unicodedata.normalize("NFC", current), NFC_KIND, 1.0))
        lines[index] = tracked.text
        findings.extend(tracked.findings(index + 1))
    return Repaired("".join(lines), findings)


def repair(text: str) -> str:
    """Fix encoding damage only: mojibake, stray control characters, NFC.

    Never removes content, keeps typographic quotes and dashes, and is idempotent.
    """
    return fix(text).text
