"""Stage 3: repair encoding damage, span by span, and report every change.

One screen of the whole document decides which checks can apply at all (most documents
need none, which is what keeps clean text fast); then, on the lines those checks select:

1. stray control characters are removed;
2. ftfy fixes the single-byte mojibake it knows (UTF-8 read as cp1252/latin-1/…), with a
   configuration that keeps curly quotes, ligatures and character widths;
3. textmend's own layers (``data/damage_layers.toml``) undo what ftfy does not: UTF-8 read
   as GBK/Big5/Shift_JIS/EUC-KR/…, legacy CJK and Cyrillic text read as Western codecs, and
   a second layer on top of a first. Each repair is *proven*: re-applying the damage to the
   repaired span gives back the damaged span exactly, or the repair is not made. It is also
   *judged*: it must make the text clearly more natural (charclass.text_cost) and fit its
   surroundings, so that clean text in any language is left alone;
4. characters whose bytes were lost are inferred from context (lostbytes.py): the only
   unproven changes, each reported as an inferred finding with a lower confidence. A byte
   dropped without a trace is only inferred in a document that step 3 proved went through
   the same damage;
5. NFC;
6. the repaired text is looked at again until nothing changes (a fixpoint, at most
   MAX_PASSES looks), so a layer beneath a layer is found and ``repair`` is idempotent
   on anything not nested deeper than that.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import accumulate, filterfalse, groupby, pairwise

from ftfy import ExplanationStep
from ftfy.badness import badness
from ftfy.chardata import UTF8_DETECTOR_RE

from textmend.charclass import (
    HAN,
    HAN_CHAR,
    LATIN,
    NATURAL,
    NO_SCRIPT,
    ORTHOGRAPHIC_LETTERS,
    RARE,
    UNCOMMON,
    WORD_FINAL,
    char_cost,
    cjk_prose_char,
    glued_to_ascii_letter,
    misordered_thai,
    script_of,
    text_cost,
    typical_letters,
    written_in,
)
from textmend.ftfyfix import (
    fix_and_explain,
    is_bad,
    one_code_page_stretches,
    reading_code_page,
)
from textmend.inference import DocumentChars, DocumentHabits
from textmend.layers import (
    FTFY_READING_CODECS,
    FTFY_START,
    FTFY_START_CHARS,
    HIGH_PAIR,
    LAYERS,
    MIN_DOUBLE_BYTE_EVIDENCE,
    NEVER,
    PUNCTUATION_AGAINST_LETTERS,
    UTF8_LEAD_BYTES,
    UTF8_STRETCH,
    WESTERN_CODEC,
    Layer,
    Sibling,
    any_start_char,
    damage_name,
    encodes,
    narrower_twin,
    siblings_of,
    trigger_of,
    writes_all_high,
)
from textmend.lexicon import available as lexicon_available
from textmend.lexicon import (
    best_listed_language,
    is_unspaced,
    is_windowed,
    known_in_script,
    known_tokens,
    known_words,
    languages_spelling,
    listed_anywhere,
    listed_as_spelled,
    listed_in_language_of,
    share_known_in_script,
    spelled_in_alphabet,
)
from textmend.lines import split_lines
from textmend.lostbytes import (
    LOST_CHARACTER_KIND,
    ends_a_written_word,
    inference_edits,
    lost_punctuation_proven,
    mark_positions,
    marked_matches,
    nbsp_reading_fits,
    utf8_length,
)
from textmend.models import LEGACY_CONFIDENCE, LOSSLESS_CONFIDENCE, Finding
from textmend.tracked import Edit, Piece, TrackedLine

CONTROL_KIND = "control character"
TERMINAL_ESCAPE_KIND = "terminal escape sequence"
NFC_KIND = "unicode normalisation (NFC)"
SURROGATE_KIND = "lone surrogate"
UNRECOVERABLE_KIND = "character lost in decoding (unrecoverable, U+FFFD)"

# C0 controls other than tab/newline/carriage return, DEL, non-characters and stray
# byte-order marks. C1 controls are ftfy's business: usually cp1252 punctuation read as
# latin-1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")
_C1 = re.compile("[\x80-\x9f]")
_MARKS = re.compile("[\x80-\x9f\ufffd]")
# The characters _CONTROL and _MARKS match: the document screen looks them up in the set of
# the text's distinct characters, which it builds anyway, instead of scanning the text.
_CONTROL_CHARS = frozenset(
    chr(code)
    for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFEFF, 0xFFFE, 0xFFFF)
)
_MARK_CHARS = frozenset(chr(code) for code in (*range(0x80, 0xA0), 0xFFFD))
# The ASCII bytes a document may hold without any check: tab, line feed, carriage return
# and the printable characters (the ASCII half of _CONTROL_CHARS is everything else).
_PLAIN_ASCII_BYTES = bytes(code for code in range(0x80) if chr(code) not in _CONTROL_CHARS)
_ASCII_RUN = re.compile("[\x00-\x7f]+")
# Share of ASCII characters above which the screen collects the distinct characters of the
# non-ASCII part alone (see _distinct_chars).
MOSTLY_ASCII = 0.8
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# ASCII that a double-byte codec's trail bytes can spell but prose almost never holds.
_RARE_IN_TEXT = frozenset("@[\\]^_`{|}~")
# A repaired span cannot start by modifying a character it does not contain.
_COMBINING = frozenset(chr(code) for code in range(0x300, 0x370))


# How much more natural (lower text_cost) a repair must make a span to be accepted.
MIN_GAIN = 2
MAX_LAYERS = 3
# Looks at the text, the first included. Real text needs two or three; hostile text with
# damage nested deeper needs more, and the changed lines alone are looked at again.
MAX_PASSES = 6
WHOLE_LOOK_LIMIT = 256 * 1024
# Mean cost per high character above which text read through a single-byte code page
# looks damaged (Ïðèâåò: 2.5; Â£35 Â· 21 Â°C: 1.1).
LEGACY_IMPLAUSIBLE_COST = 1.8
WESTERN_CODEPAGES = frozenset({"cp1252", "latin_1"})
# Lines a legacy reading must repair before the rest of the document follows it.
LEGACY_DOCUMENT_EVIDENCE = 2
# Non-ASCII characters of one line that a legacy reading must repair to count as both:
# as many as make a double-byte reading's validity evidence of its own.
LEGACY_LINE_EVIDENCE = MIN_DOUBLE_BYTE_EVIDENCE
# Readings (repaired runs) a UTF-8 layer that writes a foreign script into Latin text
# (Layer.foreign_letters) must make in a document before its lone damage follows it (see
# _follow_utf8_reading).
UTF8_DOCUMENT_EVIDENCE = 2
# Share of a line's non-ASCII characters a UTF-8 reading must explain to rule out legacy ones.
UTF8_EXPLAINS_LINE = 0.6
MAX_LINE_FOR_LAYERS = 1 << 20
MAX_DIFF_CELLS = 4_000_000


@dataclass(slots=True)
class Repaired:
    """Repaired text and the findings that describe every change."""

    text: str
    findings: list[Finding] = field(default_factory=list)


# --- pass 1: control characters -------------------------------------------------------


# A terminal escape sequence (ANSI CSI: ESC [ parameters, intermediates, final byte), as
# colour and bold codes leave in logs and console output pasted into text.
_TERMINAL_ESCAPE = "\x1b\\[[0-?]*[ -/]*[@-~]"
_CONTROL_OR_ESCAPE = re.compile(f"{_TERMINAL_ESCAPE}|{_CONTROL.pattern}")


def control_edits(text: str) -> list[Edit]:
    """Removals of control characters, and of whole terminal escape sequences: taking
    only the ESC of ``\x1b[1m`` out would leave ``[1m`` in the text."""
    if "\x1b" not in text:
        return [Edit(m.start(), m.end(), "", CONTROL_KIND) for m in _CONTROL.finditer(text)]
    return [
        Edit(m.start(), m.end(), "", TERMINAL_ESCAPE_KIND if len(m.group()) > 1 else CONTROL_KIND)
        for m in _CONTROL_OR_ESCAPE.finditer(text)
    ]


# --- pass 2: ftfy ---------------------------------------------------------------------


FTFY_STEP_DAMAGE = {
    "decode_inconsistent_utf8": damage_name("utf-8", "cp1252"),
    "fix_c1_controls": damage_name("cp1252", "latin-1"),
    "restore_byte_a0": damage_name("utf-8", "cp1252") + " (no-break space lost)",
    "replace_lossy_sequences": LOST_CHARACTER_KIND,
    "fix_surrogates": SURROGATE_KIND,
}


def _ftfy_kind(explanation: list[tuple[str, str]] | None) -> str:
    steps = explanation or []
    encodes = [arg for step, arg in steps if step == "encode"]
    decodes = [arg for step, arg in steps if step == "decode"]
    names = [damage_name(dec, enc) for enc, dec in zip(encodes, decodes, strict=False)]
    if len(names) == 1:
        return names[0]
    if names:
        return f"{names[0]}, twice" if len(set(names)) == 1 else ", then ".join(reversed(names))
    # ftfy's steps other than a whole encode/decode, named by the damage they undo.
    damage = list(dict.fromkeys(FTFY_STEP_DAMAGE.get(arg, "ftfy: " + arg) for _s, arg in steps))
    return ", then ".join(damage) if damage else "ftfy"


def diff_edits(
    before: str, after: str, kind: str, confidence: float = LOSSLESS_CONFIDENCE
) -> list[Edit]:
    """Edits turning ``before`` into ``after``, as few and as small as a diff finds."""
    if before == after:
        return []
    by_token = _token_edits(before, after, kind, confidence)
    if by_token is not None:
        return by_token
    from difflib import SequenceMatcher

    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    old = before[prefix : len(before) - suffix]
    new = after[prefix : len(after) - suffix]
    if len(old) * len(new) > MAX_DIFF_CELLS:
        return [Edit(prefix, prefix + len(old), new, kind, confidence)]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    edits = [
        Edit(prefix + i1, prefix + i2, new[j1:j2], kind, confidence)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    return _coalesce(edits, before)


# Spacing only: Python's \s also matches U+0085 and U+001C-U+001F, which latin-1 mojibake
# is full of, and U+00A0 is usually a byte (0xA0) inside a damaged word, not a gap.
_WHITESPACE = re.compile("([ \t\u3000]+)")


def _token_edits(before: str, after: str, kind: str, confidence: float) -> list[Edit] | None:
    """Edits word by word, when the repair kept every stretch of whitespace in place.

    Mojibake repairs change the inside of words, not the spaces between them, so pairing
    words is exact where a character diff of two scripts can pair the wrong ones.
    """
    # One pass of the regex over each side gives its words (even items) and the gaps
    # between them (odd items).
    old_parts, new_parts = _WHITESPACE.split(before), _WHITESPACE.split(after)
    if len(old_parts) != len(new_parts):
        return None
    edits = []
    offset = 0
    for old, new, old_gap, new_gap in zip(
        old_parts[::2], new_parts[::2], [*old_parts[1::2], ""], [*new_parts[1::2], ""], strict=True
    ):
        if old != new:
            head = _shared_prefix(old, new)
            tail = _shared_prefix(old[head:][::-1], new[head:][::-1])
            edits.append(
                Edit(
                    offset + head,
                    offset + len(old) - tail,
                    new[head : len(new) - tail],
                    kind,
                    confidence,
                )
            )
        offset += len(old)
        if old_gap != new_gap:  # Ã + no-break space read as one à, say
            edits.append(Edit(offset, offset + len(old_gap), new_gap, kind, confidence))
        offset += len(old_gap)
    return _join_touching(edits)


def _shared_prefix(first: str, second: str) -> int:
    size = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        size += 1
    return size


def _join_touching(edits: list[Edit]) -> list[Edit]:
    """Merge edits that meet end to start: one damaged span, one finding."""
    joined = edits[:1]
    for edit in edits[1:]:
        last = joined[-1]
        if last.end == edit.start:
            joined[-1] = Edit(
                last.start,
                edit.end,
                last.replacement + edit.replacement,
                last.kind,
                min(last.confidence, edit.confidence),
            )
        else:
            joined.append(edit)
    return joined


def _coalesce(edits: list[Edit], before: str) -> list[Edit]:
    """Join edits separated by at most one unchanged non-space char (one damaged word)."""
    merged = edits[:1]
    for edit in edits[1:]:
        last = merged[-1]
        gap = before[last.end : edit.start]
        if len(gap) <= 1 and not gap.isspace():
            replacement = last.replacement + gap + edit.replacement
            confidence = min(last.confidence, edit.confidence)
            merged[-1] = Edit(last.start, edit.end, replacement, last.kind, confidence)
        else:
            merged.append(edit)
    return merged


# ftfy's latest outputs under ftfyfix.FTFY_CONFIG (see ftfy_edits). A line's next round and the
# second look ask about the line ftfy just fixed, so only the last few are ever asked
# about again. (A deque: appending, and ``in`` over strings, are each one step in C, so
# threads cleaning at once need no lock.)
_ftfy_outputs: deque[str] = deque(maxlen=64)


def ftfy_edits(text: str) -> list[Edit]:
    """ftfy's repair of ``text`` as edits (none where ftfy changes nothing).

    ftfy's ``fix_and_explain`` repeats its whole pass until a pass changes nothing, so its
    output is a fixed point: asked about that output again (the next round of a line ftfy
    repaired that still holds a lost byte, the second look), it would read the whole line
    once more to change nothing. Its recent outputs are remembered and answered at once.
    """
    if not (is_bad(text) or _C1.search(text)) or text in _ftfy_outputs:
        return []
    fixed, explanation = fix_and_explain(text)
    _ftfy_outputs.append(fixed)
    stretched = bool(explanation) and _STRETCH_STEP in explanation
    if stretched:
        fixed, explanation = _one_code_page_reading(text, fixed, explanation)
    # ftfy's sloppy codecs turn U+FFFD into control characters; a lost byte is the
    # inference pass's business, so such edits are not taken.
    edits = diff_edits(text, fixed, _ftfy_kind(explanation))
    edits = [edit for edit in edits if not _CONTROL.search(edit.replacement)]
    if explanation and ("transcode", "restore_byte_a0") in explanation:
        # ftfy reads every lead before a space as having lost its 0xA0 byte once the line
        # has damage elsewhere: a clean Danish PÅ becomes PŠ. Its readings must fit as
        # textmend's own do (see lostbytes.nbsp_reading_fits).
        edits = [edit for edit in edits if _nbsp_reading_fits(text, fixed, edit)]
    elif stretched:
        # Its step that reads stretches of a line reads them so too, unnamed; and it may
        # start a stretch inside a character the line spells (_stretches_inside_a_sequence).
        misread = _stretches_inside_a_sequence(text)
        edits = [
            edit
            for edit in edits
            if not _sign_from_a_space(text, edit)
            and not any(edit.start < end and start < edit.end for start, end in misread)
        ]
    return edits


_STRETCH_STEP = ("apply", "decode_inconsistent_utf8")


def _one_code_page_reading(
    text: str, fixed: str, explanation: list[ExplanationStep]
) -> tuple[str, list[ExplanationStep]]:
    """ftfy's reading ``fixed`` of ``text`` and its ``explanation``, which holds the step
    that reads stretches of a line; or, where one code page reads all of the line's
    stretches and the step read them otherwise or under no name, ftfy's reading of the
    line with its stretches read through that code page first, explained as that code
    page's reading (see ftfyfix.one_code_page_stretches)."""
    one = one_code_page_stretches(text)
    if one is None:
        return fixed, explanation
    reread, code_page = one
    further, steps = fix_and_explain(reread)
    _ftfy_outputs.append(further)  # ftfy's output too, so a fixed point (see ftfy_edits)
    read_through = [ExplanationStep("encode", code_page), ExplanationStep("decode", "utf-8")]
    return further, [*read_through, *steps]


def _stretches_inside_a_sequence(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` that ftfy's stretch step reads from a continuation byte
    of a UTF-8 sequence that the characters before them begin, as cp1252 spells them.

    Why: the step looks for a stretch after any character but a few of the ones that
    spell continuation bytes, and ‚ „ … • – are not among them. In Japanese read as
    cp1252 with lost bytes, ``ã‚ŠæŠ‘`` (E3 82 8A E6 8A 91, り抑) loses its ``ã‚`` to
    the run of a lost byte before it, and the stretch ``ŠæŠ‘`` is read through cp1257
    (D0 BF D0 91) as ``пБ``. The byte of ``Š`` belongs to the sequence ``ã‚`` began, so
    no reading may start there: ftfy's readings over such a stretch are not taken (its
    diff joins them to the readings beside them), and the layers read the line instead.
    """
    return [
        match.span()
        for match in UTF8_DETECTOR_RE.finditer(text)
        if _inside_a_sequence(text, match.start()) and is_bad(match.group())
    ]


def _inside_a_sequence(text: str, position: int, *, cut: bool = False) -> bool:
    """Is the character at ``position`` a continuation byte (in cp1252) of a UTF-8
    sequence that the characters before it begin and have not finished? A U+FFFD before
    it is a lost byte of that sequence (``ã�Œ`` is E3 81 8C, が); ``cut``: only such a
    sequence counts."""
    first = text[position : position + 1]
    if not first or not 0x80 <= _western_byte(first) <= 0xBF:
        return False
    continuations = 0
    lost = False
    for char in reversed(text[max(0, position - 3) : position]):
        if char == "\ufffd":
            lost = True
            continuations += 1
            continue
        byte = _western_byte(char)
        if 0x80 <= byte <= 0xBF:
            continuations += 1
            continue
        return 0xC2 <= byte <= 0xF4 and continuations < utf8_length(byte) - 1 and (lost or not cut)
    return False


# UTF-8 read as cp1252: whose bytes a line's Western damage spells (see _western_byte).
_CP1252_LAYER = next(layer for layer in LAYERS if layer.utf8 and layer.read_as == WESTERN_CODEC)


def _western_byte(char: str) -> int:
    """The high byte cp1252 (ftfy's sloppy variant) spells ``char`` with; -1 for none
    (ASCII, or U+FFFD: a lost byte)."""
    raw = _CP1252_LAYER.repertoire.get(char)
    return raw[0] if raw else -1


def _nbsp_reading_fits(text: str, fixed: str, edit: Edit) -> bool:
    """Is ``edit`` of ``text`` (which ftfy repaired to ``fixed``) no lead-and-space reading
    (see ftfy_edits), or one that fits?"""
    if _sign_from_a_space(text, edit):
        return False
    damaged = text[edit.start : edit.end]
    if len(damaged) != 2 or damaged[1] != " " or len(edit.replacement) != 1:
        return True
    return nbsp_reading_fits(edit.replacement, text[edit.start - 1 : edit.start], fixed)


def _sign_from_a_space(text: str, edit: Edit) -> bool:
    """Does ``edit`` read a space of ``text`` as the A0 byte that ends a 3-byte sign?

    Such a reading must make a letter (ภ, だ): the signs are rare, and the same
    characters are a sign whose last byte was dropped, before a real space.
    ``friendsâ€ and`` is friends” and (E2 80 9D: cp1252 has no 9D), not friends†and
    (E2 80 A0, with the space taken for the A0)."""
    if text.count(" ", edit.start, edit.end) <= edit.replacement.count(" "):
        return False  # no space was read as a byte
    for char in edit.replacement:
        raw = char.encode("utf-8")
        if len(raw) == 3 and raw[2] == 0xA0 and not _word_letter(char):
            return True
    return False


# --- pass 3: textmend's layers --------------------------------------------------------


def _cost_in_context(line: str, start: int, end: int, middle: str, judged: Judgements) -> int:
    return judged.cost(line[max(0, start - 1) : start] + middle + line[end : end + 1])


def _proven(fixed: str, damaged: str, layer: Layer) -> bool:
    """Re-applying the damage to the repair must give back the damaged text exactly."""
    try:
        return fixed.encode(layer.encoded).decode(layer.codec) == damaged
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def _encodable_prefix_bytes(text: str, codec: str) -> tuple[str, bytes]:
    """The longest prefix of ``text`` that ``codec`` encodes, and its bytes, U+FFFD
    excluded: it marks a lost byte and is never a byte itself (ftfy's sloppy codecs would
    encode it as 0x1A). A text that encodes whole (most runs) is encoded once."""
    mark = text.find("\ufffd")
    if mark >= 0:
        text = text[:mark]
    try:
        return text, text.encode(codec)
    except UnicodeEncodeError as error:
        prefix = text[: error.start]
        return prefix, prefix.encode(codec)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proven reading of ``line[start:end]`` under one layer."""

    start: int
    end: int
    fixed: str
    gain: int
    layer: Layer
    crossings: int = 0
    whole_run: bool = False
    # Proven by a second UTF-8 layer beneath this one (see _reading_beneath).
    beneath: bool = False

    def edit(self) -> Edit:
        confidence = LOSSLESS_CONFIDENCE if self.layer.utf8 else LEGACY_CONFIDENCE
        return Edit(self.start, self.end, self.fixed, self.layer.name, confidence)


def _utf8_candidate_at(line: str, start: int, layer: Layer) -> Candidate | None:
    """Undo UTF-8 read as ``layer.read_as`` from ``start`` (where a trigger matched) on.

    The candidate is not yet weighed (its ``gain`` is 0, see :func:`_weighed`): on clean
    CJK text most readings are turned down for reasons that do not depend on the gain (a
    one-for-one reading with CJK text left outside it, a reading that does not fit its
    surroundings), and weighing means judging the text around each of them.
    """
    run = _NON_ASCII_RUN.match(line, start)
    if run is None:
        return None
    segment, raw = _encodable_prefix_bytes(run.group(), layer.codec)
    stretch = UTF8_STRETCH.match(raw)
    if stretch is None:
        return None
    # One byte per character (every single-byte code page): the boundaries are the bytes.
    one_byte_each = len(raw) == len(segment)
    cuts: set[int] = set()  # the byte offsets where a damaged character ends
    if one_byte_each:
        size = length = stretch.end()
    else:
        # Walk back to the last character boundary inside the valid stretch.
        size = 0
        length = 0
        for char in segment:
            width = len(char.encode(layer.codec))
            if size + width > stretch.end():
                break
            size += width
            length += 1
            cuts.add(size)
    if length == 0:
        return None
    damaged = segment[:length]
    try:
        fixed = raw[:size].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if fixed == damaged or not _proven(fixed, damaged, layer):
        return None
    end = start + length
    # With a boundary after every byte, every multi-byte sequence straddles one.
    crossings = _count_high(fixed) if one_byte_each else _straddling_sequences(fixed, cuts)
    whole_run = run.start() == start and run.end() == end
    return Candidate(start, end, fixed, 0, layer, crossings, whole_run)


def _weighed(line: str, candidate: Candidate, judged: Judgements) -> Candidate:
    """``candidate`` with its gain: how much cheaper its reading is than the damage, each
    judged with the character on either side of it."""
    start, end = candidate.start, candidate.end
    gain = _cost_in_context(line, start, end, line[start:end], judged) - _cost_in_context(
        line, start, end, candidate.fixed, judged
    )
    return replace(candidate, gain=gain)


def _straddling_sequences(fixed: str, cuts: set[int]) -> int:
    """How many UTF-8 sequences of ``fixed`` straddle a boundary between damaged chars
    (``cuts``: the byte offsets where each damaged character ends).

    ``鈥檚`` is E2 80 | 99 73: the ’ is split across two GBK characters. Natural CJK text
    that happens to be valid UTF-8 mostly maps one character to one character instead.
    """
    count = 0
    position = 0
    for char in fixed:
        code = ord(char)
        # The UTF-8 length of the character (``fixed`` was decoded from UTF-8: no
        # surrogates).
        size = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        if size > 1 and any(position + inside in cuts for inside in range(1, size)):
            count += 1
        position += size
    return count


def _plausible_reading(
    line: str, start: int, end: int, damaged: str, fixed: str, *, proven: bool = False
) -> bool:
    """What any repair must satisfy, whatever the layer. Where the layer is already
    ``proven`` on the line, a short word need not sit inside a Latin word (–≤ -> в)."""
    if fixed[0] in _COMBINING and not _composes_with_letter_before(line, start, fixed):
        return False
    if any(char_cost(char) >= RARE for char in fixed):
        return False
    if len(fixed) <= 2 and any(char in _RARE_IN_TEXT for char in fixed):
        return False
    return proven or _fits_surroundings(line, start, end, damaged, fixed)


def _composes_with_letter_before(line: str, start: int, fixed: str) -> bool:
    """Does ``fixed`` start with a combining mark that the letter before it takes as one
    precomposed letter (o + U+0301 -> ó, и + U+0306 -> й)? That is decomposed text (NFD,
    as macOS writes file names): botón written o + ◌́ and read as GBK is boto虂n, read as
    cp1251 botoМЃn. A mark after a space or a symbol marks nothing a script writes."""
    before = line[start - 1 : start]
    return before.isalpha() and len(unicodedata.normalize("NFC", before + fixed[:1])) == 1


def _accept_alone(candidate: Candidate, damaged: str, *, proven: bool = False) -> bool:
    """A repair that carries its own proof: multi-byte sequences split across damaged
    characters (Ã©, 鈥檚) with a clear gain (any gain, where the layer is ``proven``)."""
    if candidate.gain < (1 if proven else MIN_GAIN):
        return False
    if candidate.layer.single_byte:
        # A single-byte reading splits every multi-byte character over several damaged
        # characters, so the byte structure itself is the evidence.
        return True
    if not candidate.crossings:
        return False
    if any(char_cost(char) >= RARE for char in candidate.fixed):
        return False
    # Natural CJK text is made of common characters, and a stretch of it that happens to
    # be valid UTF-8 is short. UTF-8 read through a CJK codec lands in the rarer rows
    # (鈥, 犲, 縺), or spells two or more whole sequences in a row.
    if any(char_cost(char) >= UNCOMMON for char in damaged):
        return True
    # Without rare characters, only a whole run that decodes (not a piece of one: clean
    # Japanese kana fall into valid UTF-8 pairs now and then) of two or more sequences.
    multibyte = sum(len(char.encode("utf-8")) > 1 for char in candidate.fixed)
    return multibyte >= 2 and candidate.whole_run


def _word_letters(text: str) -> bool:
    """Is ``text`` letters of one script that a word could hold: any such run of Cyrillic
    (хан, сКБ of ИксКБ), or accented Latin letters of one case (ÞÆÖ, þæö) or two of them
    (Îâ)? UTF-8 read as cp866 shows box drawing on the lead bytes of every Cyrillic letter
    (╨Я is D0 AF), and UTF-8 of other scripts read as cp850 mixes cases (Òüä is E3 81 84)."""
    if not text.isalpha() or len(scripts := {script_of(char) for char in text}) != 1:
        return False
    if LATIN not in scripts:
        return True
    return text.isupper() or text.islower() or len(text) == 2


@lru_cache(maxsize=4096)
def _one_alphabet(text: str) -> bool:
    """Is ``text`` letters of one script other than Latin: text whose every prefix
    :func:`_word_letters` accepts? (Latin is left out, where that depends on case.
    Cached: clean text repeats its words.)"""
    if not text.isalpha():
        return False
    scripts = {script_of(char) for char in text}
    return len(scripts) == 1 and LATIN not in scripts


def _reading_beneath(fixed: str) -> str | None:
    """The text beneath ``fixed`` when ``fixed`` is itself UTF-8 read through a CJK codec:
    UTF-8 read as GBK and that read as cp1252 turns ı into 谋 into è°‹, and the middle
    layer (a lone ideograph in a Latin word) looks no better than the damage. The reading
    must be proven and leave no CJK character behind."""
    if not _has_cjk(fixed):
        return None
    for layer in _DOUBLE_BYTE_UTF8_LAYERS:
        try:
            final = fixed.encode(layer.codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if final != fixed and not _has_cjk(final) and _proven(final, fixed, layer):
            return final
    return None


def _judged_beneath(
    line: str, candidate: Candidate, damaged: str, judged: Judgements
) -> Candidate | None:
    """A single-byte UTF-8 reading judged by the text two layers down (see
    _reading_beneath): kept, to be finished by the next round, when that text is any
    gain (two proven layers are the evidence; è°‹ costs little as it stands) and fits
    its surroundings as any repair must."""
    final = _reading_beneath(candidate.fixed)
    if final is None:
        return None
    start, end = candidate.start, candidate.end
    gain = _cost_in_context(line, start, end, damaged, judged) - _cost_in_context(
        line, start, end, final, judged
    )
    if gain < 1 or not _plausible_reading(line, start, end, damaged, final):
        return None
    return replace(candidate, gain=gain, beneath=True)


def _lone_ideograph_beneath(
    line: str, layer: Layer, candidate: Candidate, damaged: str, judged: Judgements
) -> Candidate | None:
    """A single-byte UTF-8 reading into one ideograph, on a line that holds no CJK
    character of its own, judged two layers down first (see _judged_beneath).

    A Latin line whose accented letters went through UTF-8 read as GBK and then as cp1252
    gives one ideograph per letter (è°© -> 谩 -> á, æ‹¢ -> 拢 -> £), and each ideograph
    alone can look like a gain, yet a Western line does not hold stray ideographs. Read
    one layer down only, the letter is either lost (a lone ideograph brings a script the
    line does not have) or stays an ideograph inside a Latin word. The text two layers
    down must itself bring only Latin letters or the line's own scripts, so a real Chinese
    word read as cp1252 (å°\x8f -> 小, whose GBK bytes spell С in UTF-8) stays itself.
    """
    if not (
        layer.single_byte
        and len(candidate.fixed) == 1
        and script_of(candidate.fixed) == HAN
        and not _has_cjk(line)
    ):
        return None
    final = _reading_beneath(candidate.fixed)
    if final is None or not _scripts_fit(line, final):
        return None
    return _judged_beneath(line, candidate, damaged, judged)


# Lost bytes (U+FFFD) and the non-ASCII character right beside them on either side.
_BESIDE_LOST_BYTES = re.compile("[^\x00-\x7f]?\ufffd+[^\x00-\x7f]?")


def _accept_one_for_one(
    line: str,
    layer: Layer,
    candidates: list[Candidate],
    accepted: list[Candidate],
    judged: Judgements,
) -> list[Candidate]:
    """Readings that map each damaged character to one character (GBK 茅 = C3 A9 = é).

    Each is weak alone, since any CJK character could be such a reading, so they are
    judged together, on the line: believed when they explain every CJK character of it
    (a Greek, Russian or French line read as GBK), make it more natural as a whole, and
    bring at most one alphabet besides Latin. Chinese that glues particles to Latin words
    (Keil C 的menu) keeps CJK characters that no reading explains. A lone character needs
    more: an accented Latin letter inside a Latin word (caf茅, Slu啪ba; see
    _glued_latin_letter). Readings that fall short of this are taken where each completes
    a word of the line's language (see _listed_word_readings).
    """
    # Each run stands between ASCII characters, so a run whose reading starts with a
    # combining mark (贈 -> U+065B, an Arabic vowel sign) would mark a space or an ASCII
    # letter: no script writes that, except decomposed Latin (a + U+0301, see
    # _composes_with_letter_before).
    candidates = [
        c
        for c in candidates
        if not _is_mark(c.fixed[0]) or _composes_with_letter_before(line, c.start, c.fixed)
    ]
    if not candidates:
        return []
    explained = [(candidate.start, candidate.end) for candidate in candidates + accepted]
    # A character cut short by a lost byte (鈥 before a space) is damage of the same kind,
    # and so is one read whole right beside lost bytes (c’è read as Big5 is c���癡: the
    # ’ lost, then è), which the lost-byte inference reads with the marks.
    explained += [match.span() for match in layer.lost_trigger.finditer(line)]
    explained += [match.span() for match in _BESIDE_LOST_BYTES.finditer(line)]
    if _has_cjk(_outside(line, explained)):
        return []
    fixed = "".join(candidate.fixed for candidate in candidates)
    if len({script_of(char) for char in fixed if char.isalpha()} - {LATIN}) > 1:
        return []
    damaged = " ".join(line[candidate.start : candidate.end] for candidate in candidates)
    if _spelled_in_letters(damaged) and _loses_known_words(
        damaged, " ".join(candidate.fixed for candidate in candidates)
    ):
        return []  # a clean Chinese word (属于, read as EUC-JP: °в) is no such line
    # Only now are the readings weighed (they come unweighed: see _utf8_candidate_at).
    candidates = [_weighed(line, candidate, judged) for candidate in candidates]
    if all(_numeric_sign_at_digit(line, c.start, c.end, c.fixed) for c in candidates):
        # The digits are the evidence, and count as the least gain: an ideograph costs
        # about what the sign does (脳 against ×).
        return [replace(c, gain=max(c.gain, 1)) for c in candidates]
    if sum(candidate.gain for candidate in candidates) < MIN_GAIN or (
        sum(candidate.end - candidate.start for candidate in candidates) < 2
        and not _glued_latin_letter(line, candidates[0])
    ):
        # Too little gain or too little text to go by; listed words are evidence enough
        # where every reading completes one (see _listed_word_readings).
        if len(_listed_word_readings(line, candidates)) == len(candidates):
            return [replace(c, gain=max(c.gain, 1)) for c in candidates]
        return []
    return candidates


def _glued_latin_letter(line: str, candidate: Candidate) -> bool:
    """Is the reading an accented Latin letter (Latin-1 or the Central European letters
    of Latin Extended-A) against a Latin word (caf茅, Slu啪ba), or a letter of the other
    living Latin orthographies (ORTHOGRAPHIC_LETTERS: ə, ɛ, ʻ) inside one, with ASCII
    letters on both sides (ko軻rsatish: Uzbek koʻrsatish read as GBK), or a combining
    accent the ASCII letter before it takes (boto虂n: decomposed botón read as GBK)?"""
    start, end = candidate.start, candidate.end
    if not glued_to_ascii_letter(line, start, end):
        return False
    if all("\u00c0" <= char <= "\u017f" for char in candidate.fixed):
        return True
    if len(candidate.fixed) == 1 and _composes_with_letter_before(line, start, candidate.fixed):
        return True  # a combining accent on the ASCII letter before it (boto虂n)
    before, after = line[start - 1 : start], line[end : end + 1]
    return (
        all(char in ORTHOGRAPHIC_LETTERS for char in candidate.fixed)
        and before.isascii()
        and before.isalpha()
        and after.isascii()
        and after.isalpha()
    )


def _word_letter(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char) == "Mn"


def _listed_word_readings(line: str, candidates: list[Candidate]) -> set[Candidate]:
    """The ``candidates`` whose reading completes a Latin word, ASCII letters and all,
    that the word lists of the line's language hold (all candidates read at once, so
    that two readings in one word are judged together: Manuten챌찾o -> Manutenção).

    A few damaged letters inside a word give too little structure to go by: ftfy does not
    call ``silinmiÅŸ`` bad (Å and Ÿ are both Latin letters), and a lone 책 or 盲 glued to
    Latin letters (p책, pit盲盲: Norwegian på, Finnish pitää read as EUC-KR and GBK) costs
    about what its reading does. The word is the evidence: the damage never spells a
    listed word, its reading spells one of the language the rest of the line is written
    in, which the line's other words name (a format string's ``%s的%s`` has none: its
    ``sŪ`` is listed somewhere, by chance). Clean CJK text that glues a character to a
    Latin word (Windows系统, API를) reads, where it reads as UTF-8 at all, as a Latin word
    plus a stray letter, which no list holds. Nothing is accepted so without the word
    lists.
    """
    if not candidates:
        return set()
    ordered = sorted(candidates, key=lambda candidate: candidate.start)
    repaired = _apply_plain(line, [candidate.edit() for candidate in ordered])
    listed: set[Candidate] = set()
    shift = 0
    for candidate in ordered:
        start = candidate.start + shift
        end = start + len(candidate.fixed)
        shift += len(candidate.fixed) - (candidate.end - candidate.start)
        if not all(map(_word_letter, candidate.fixed)):
            continue
        first = start
        while first > 0 and _word_letter(repaired[first - 1]):
            first -= 1
        last = end
        while last < len(repaired) and _word_letter(repaired[last]):
            last += 1
        glued = repaired[first:start] + repaired[end:last]
        word = repaired[first:last]
        if (
            _ASCII_LETTER.search(glued)
            and all(script_of(char) == LATIN for char in word if char.isalpha())
            and listed_in_language_of(word, repaired[:first] + " " + repaired[last:])
        ):
            listed.add(candidate)
    return listed


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The characters of ``text`` outside every ``(start, end)`` span, in order: sliced,
    not tested one by one (the whole line, for each layer a CJK line triggers)."""
    pieces = []
    position = 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def _has_cjk_prose(text: str) -> bool:
    """CJK characters that read as writing: common ideographs and kana, not the rare rows
    and halfwidth kana that damage produces (ﾂ｣, 縺). One regex search
    (charclass.cjk_prose_char), not a test per character: it reads the whole line on
    either side of every candidate a Latin reading makes. Its characters are HAN ones, so
    a text without any (a Western line) is answered by HAN_CHAR alone, and the prose
    class, which takes a while to compile, is only built for text that holds CJK."""
    if text.isascii():
        return False
    first = HAN_CHAR.search(text)
    return first is not None and cjk_prose_char().search(text, first.start()) is not None


def _has_cjk(text: str) -> bool:
    """Does ``text`` hold a character of the HAN class (``script_of``: ideographs, kana,
    Hangul)? One regex search (charclass.HAN_CHAR), not a test per character."""
    return not text.isascii() and HAN_CHAR.search(text) is not None


# Signs written against a number (£8, 10€, 4×5, 25°, ±3, ½): Latin-1's currency,
# arithmetic, degree, superscript and fraction signs, and the euro.
_NUMERIC_SIGNS = frozenset("¢£¥€°±×÷²³¹¼½¾")


def _numeric_sign_at_digit(line: str, start: int, end: int, fixed: str) -> bool:
    """Is ``fixed`` one sign that belongs to numbers, recovered against an ASCII digit?

    A recovered letter proves itself by completing the word around it (caf茅 -> café); a
    recovered sign has no word, but one written against a number (a sum of 贈8, the room
    is 4脳5 m) has the same support from the digit it is glued to. CJK text does put an
    ideograph or a halfwidth kana against a digit (約8, 第3), but only the few whose bytes
    happen to spell one of these signs in UTF-8 can be read so, and the readings stay
    subject to every other check (a lone ideograph, only where no CJK text is left on the
    line).
    """
    if fixed not in _NUMERIC_SIGNS:
        return False
    before, after = line[start - 1 : start], line[end : end + 1]
    return (before.isascii() and before.isdigit()) or (after.isascii() and after.isdigit())


def _scripts_fit(line: str, fixed: str) -> bool:
    """Repairs may bring Latin letters or the line's own scripts; another script only
    with two or more of its letters across the line's repairs (Привет, 長…旅), never as one
    stray character (۷, or a lone Thaana vowel sign read from ¨). Marks count as letters."""
    new = {script_of(char) for char in fixed if char.isalnum() or _is_mark(char)} - {
        NO_SCRIPT,
        LATIN,
    }
    # (The line's scripts: those of its distinct non-ASCII characters, each asked once.)
    if not new or new <= set(map(script_of, set(_non_ascii(line)))):
        return True
    return all(sum(script_of(char) == script for char in fixed) >= 2 for script in new)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M"


def _fits_surroundings(line: str, start: int, end: int, damaged: str, fixed: str) -> bool:
    """Letters recovered from symbols, or Latin letters recovered inside CJK prose, must
    belong to a Latin word around them.

    Box drawing read as cp437 (``─┐`` -> ``Ŀ``) and halfwidth kana inside Japanese prose
    (``行ｯﾃ看`` -> ``Êŕa``) decode to letters that stand alone; real damage of an accented
    letter sits in a word (``caf├⌐`` -> ``café``). A repair that yields punctuation (’ “ —)
    or CJK text needs no such support.
    """
    if _letters_of_their_word(line, start, end, damaged):
        return False
    if any(0x2010 <= ord(char) <= 0x205E or script_of(char) == HAN for char in fixed):
        return True
    letters_from_symbols = not any(char.isalpha() for char in damaged)
    latin_result = all(script_of(char) in (LATIN, NO_SCRIPT) for char in fixed)
    latin_in_cjk = latin_result and (_has_cjk_prose(line[:start]) or _has_cjk_prose(line[end:]))
    # Letters of another script turned into Latin ones (ﾅｲ -> Ų in halfwidth Japanese)
    # must continue a Latin word, as real damage does (caf + ﾃｩ, N + Г© + h).
    foreign_letters = latin_result and any(
        char.isalpha() and script_of(char) not in (LATIN, NO_SCRIPT) for char in damaged
    )
    if letters_from_symbols and not latin_result and _whole_word_of_one_script(fixed):
        return True
    if letters_from_symbols or latin_in_cjk or foreign_letters:
        return glued_to_ascii_letter(line, start, end) or _numeric_sign_at_digit(
            line, start, end, fixed
        )
    return True


def _whole_word_of_one_script(fixed: str) -> bool:
    """Is ``fixed`` two letters or more of one script other than Latin (a Hebrew word)?

    Why: cp1255 writes the lead byte of Hebrew, D7, as the sign ׳ and the continuation
    bytes as punctuation and symbols (שלום is ׳©׳œ׳•׳), so UTF-8 Hebrew read through it
    is letters from symbols only, which must otherwise sit in a Latin word (box drawing
    read as cp437, ─┐, is Ŀ). Whole words of a script from symbols alone, two sequences or
    more, are no line art."""
    if len(fixed) < 2 or not fixed.isalpha():
        return False
    scripts = {script_of(char) for char in fixed}
    return len(scripts) == 1 and not scripts & {LATIN, NO_SCRIPT}


def _letters_of_their_word(line: str, start: int, end: int, damaged: str) -> bool:
    """Is ``damaged`` letters of one script and one case, inside a word of that script and
    case (гу|чна|сць)? Then the word is written that way, whatever the bytes would spell.

    Most code pages put symbols or box drawing on UTF-8's continuation bytes, so their
    mojibake breaks words up (cafÃ©, ╨Я╤А╨╕). DOS Cyrillic (cp866) puts letters on both:
    р-я on lead bytes, А-п on continuation bytes, and clean Russian or Belarusian spells
    valid UTF-8 in every other word (чна is E7 AD A0, the ideograph 筠). Real damage of
    one script's letters changes case inside the word (Рџ, ÅŸ) or brings a symbol.
    """
    if not damaged.isalpha():
        return False
    scripts = {script_of(char) for char in damaged}
    if len(scripts) != 1 or NO_SCRIPT in scripts:
        return False
    script = scripts.pop()
    letters = [char for char in (line[start - 1 : start], line[end : end + 1]) if char.isalpha()]
    if not letters or any(script_of(char) != script for char in letters):
        return False
    word = "".join(letters) + damaged
    return word.islower() or word.isupper()


class Judgements:
    """What one document's legacy judging has found so far, so that nothing is judged twice.

    A legacy verdict depends on the segment and the layer alone, yet the same pair comes
    up again and again: every round of _lossless_passes asks every layer again, the
    document-wide rereadings (_follow_legacy_reading and its kin) ask after the lines
    were judged, and each later look of the fixpoint (``fix(..., _pass=...)``) judges
    the unchanged lines of a document once more. The segments of a line depend only on
    the reading codec, which several layers share (GBK, Big5, EUC-KR… all read as cp1252).

    One instance lives for one call of :func:`fix`, its later looks included, and is
    passed down explicitly: a process-wide cache would make a second run on the same text
    free, and would keep whole documents alive after their repair. Past MAX_ENTRIES
    verdicts the tables start over, which bounds the memory a huge document can take and
    changes nothing but the time.
    """

    MAX_ENTRIES = 1 << 17

    __slots__ = (
        "_candidates",
        "_costs",
        "_entries",
        "_gains",
        "_kinds",
        "_passes",
        "_readable",
        "_readings",
        "_ruled_out",
        "_segments",
        "single_byte_languages",
    )

    def __init__(self) -> None:
        self._candidates: dict[tuple[str, Layer], tuple[str, int] | None] = {}
        self._readings: dict[tuple[str, Layer], str | None] = {}
        self._segments: dict[tuple[str, str], list[tuple[int, str]]] = {}
        self._readable: dict[tuple[str, str, int], list[tuple[int, str]]] = {}
        self._costs: dict[str, int] = {}
        self._gains: dict[tuple[str, str, str, str | None], int | None] = {}
        self._ruled_out: dict[tuple[str, bool, bool], bool] = {}
        # Per layer: (single-byte reading, Western code page), the layer's part of a
        # _segment_rules_out key.
        self._kinds: dict[Layer, tuple[bool, bool]] = {}
        self._passes: dict[
            tuple[str, tuple[Layer, ...], bool], tuple[tuple[Piece, ...], frozenset[str]]
        ] = {}
        self._entries = 0
        # The languages whose letters a lost mark of single-byte text read as UTF-8 may
        # stand for, once a look has found that damage (see
        # lostbytes.shows_single_byte_read_as_utf8): a later look sees the letters it
        # chose, which no such text holds, and could no longer tell, but its marks are
        # still letters, not English apostrophes.
        self.single_byte_languages: tuple[str, ...] | None = None

    def _count(self) -> None:
        self._entries += 1
        if self._entries > self.MAX_ENTRIES:
            self._candidates.clear()
            self._readings.clear()
            self._segments.clear()
            self._readable.clear()
            self._costs.clear()
            self._gains.clear()
            self._ruled_out.clear()
            self._passes.clear()
            self._entries = 0

    def segments(self, line: str, layer: Layer) -> list[tuple[int, str]]:
        """:func:`_encodable_segments`, shared by the layers that read through one codec."""
        key = (line, layer.codec)
        found = self._segments.get(key)
        if found is None:
            self._count()
            found = self._segments[key] = _encodable_segments(line, layer)
        return found

    def cost(self, text: str) -> int:
        """:func:`text_cost`, once per text: the same damaged segment is weighed by every
        layer that reads it, the same reading by every round and look that makes it, and
        the same few characters around a UTF-8 candidate by every layer that decodes
        it alike."""
        found = self._costs.get(text)
        if found is None:
            self._count()
            found = self._costs[text] = text_cost(text)
        return found

    def readable_segments(self, line: str, layer: Layer) -> list[tuple[int, str]]:
        """The segments that may hold a whole-segment legacy reading under ``layer``: those
        with two non-ASCII characters or more, where the layer reads one character per
        high byte (see :func:`_high_chars_bound_reading`). A reading needs two non-ASCII
        characters (see :func:`_legacy_candidate`), and on a CJK or mixed line most
        segments between the characters the codec cannot encode hold one or none. A layer
        judged by its words needs one: its words show the reading right or not (see
        :func:`_word_reading_candidate`; Hungarian elsõ, one moved letter)."""
        if not _high_chars_bound_reading(layer):
            return self.segments(line, layer)
        least = 1 if layer.judged_by_words else 2
        key = (line, layer.codec, least)
        found = self._readable.get(key)
        if found is None:
            self._count()
            found = self._readable[key] = [
                (offset, segment)
                for offset, segment in self.segments(line, layer)
                if _count_high(segment) >= least
            ]
        return found

    def ruled_out(self, segment: str, layer: Layer) -> bool:
        """:func:`_segment_rules_out` for ``layer``, once per segment and kind of layer."""
        kind = self._kinds.get(layer)
        if kind is None:
            kind = self._kinds[layer] = (
                _evidence_weight(layer) == 1,
                layer.read_as in WESTERN_CODEPAGES,
            )
        key = (segment, *kind)
        found = self._ruled_out.get(key)
        if found is None:
            self._count()
            found = self._ruled_out[key] = _segment_rules_out(*key, self)
        return found

    def reading(self, segment: str, layer: Layer) -> str | None:
        """:func:`_proven_legacy_reading`, once per segment and layer."""
        key = (segment, layer)
        if key in self._readings:
            return self._readings[key]
        self._count()
        fixed = self._readings[key] = _proven_legacy_reading(segment, layer)
        return fixed

    def reading_gain(self, segment: str, fixed: str, layer: Layer) -> int | None:
        """:func:`_reading_gain`, once per reading and encoding: the layers that read one
        encoding through cp1252 and through latin-1 mostly make the same reading of the
        same segment."""
        key = (segment, fixed, layer.encoded, layer.expect)
        if key in self._gains:
            return self._gains[key]
        self._count()
        gain = self._gains[key] = _reading_gain(segment, fixed, layer, self)
        return gain

    def lossless_passes(
        self, line: str, layers: tuple[Layer, ...], *, ftfy_may_help: bool
    ) -> tuple[TrackedLine, set[str]]:
        """:func:`_lossless_passes` on a fresh :class:`TrackedLine` of ``line``: the line
        as repaired, and the names of the layers that repaired it; once per line text,
        layers and ``ftfy_may_help``.

        Those three are all the passes depend on (everything else they ask is a pure
        function of the line's text, remembered or not), and a document repeats lines:
        a list, a table, a signature, and every line the fixpoint's whole later look
        (``fix(..., _pass=...)``) sees unchanged with the same layers. The repaired line
        is rebuilt from its pieces, which are immutable; the set is the caller's own.
        """
        key = (line, layers, ftfy_may_help)
        found = self._passes.get(key)
        if found is None:
            tracked = TrackedLine(line)
            used = _lossless_passes(tracked, layers, ftfy_may_help=ftfy_may_help, judged=self)
            self._count()
            self._passes[key] = (tuple(tracked.pieces), frozenset(used))
            return tracked, used
        pieces, used = found
        return TrackedLine.of_pieces(pieces), set(used)

    def candidate(self, line: str, offset: int, segment: str, layer: Layer) -> Candidate | None:
        """:func:`_legacy_candidate`, whose verdict (reading and gain) does not depend on
        where on which line the segment stands."""
        key = (segment, layer)
        if key in self._candidates:
            verdict = self._candidates[key]
        else:
            self._count()
            found = _legacy_candidate(line, offset, segment, layer, self)
            verdict = self._candidates[key] = None if found is None else (found.fixed, found.gain)
        if verdict is None:
            return None
        fixed, gain = verdict
        return Candidate(offset, offset + len(segment), fixed, gain, layer)


def _legacy_candidates(
    line: str, layer: Layer, judged: Judgements | None = None
) -> list[Candidate]:
    """Legacy (non-UTF-8) text read through a single-byte codec, judged segment-wise.

    A segment is a stretch the reading codec can encode; legacy damage covers whole
    documents, so the segment is the whole line unless it holds foreign characters.
    """
    judged = judged or Judgements()
    found = []
    for offset, segment in judged.readable_segments(line, layer):
        candidate = judged.candidate(line, offset, segment, layer)
        if candidate:
            found.append(candidate)
    return found


@cache
def _high_chars_bound_reading(layer: Layer) -> bool:
    """Does a reading under ``layer`` hold at most as many non-ASCII characters as the
    segment it reads?

    So it does where the reading codec writes each ASCII character it can encode as its
    own byte and every other character as one high byte, and the encoding decodes each of
    those ASCII bytes alone to itself: its non-ASCII characters then each take at least
    one of the segment's high bytes. (The stateful codecs, ISO-2022, HZ and UTF-7, fail
    the last test: the bytes that open their escapes decode to nothing alone.) Checked
    once per layer, on its codecs' tables.
    """
    if not layer.single_byte:
        return False
    for code in range(0x80):
        char = chr(code)
        if not encodes(char, layer.codec):
            continue  # never part of a segment (ftfy's sloppy codecs give 0x1A to U+FFFD)
        raw = char.encode(layer.codec)
        try:
            if raw != bytes((code,)) or raw.decode(layer.encoded) != char:
                return False
        except UnicodeDecodeError:
            return False
    return all(
        len(encoded := char.encode(layer.codec)) == 1 and encoded[0] >= 0x80
        for char in layer.repertoire
        if encodes(char, layer.codec)
    )


def _encodable_segments(line: str, layer: Layer) -> list[tuple[int, str]]:
    """(offset, text) of each maximal run of ``line`` that ``layer``'s reading codec can
    encode back; the characters between runs cannot have come from that codec (the same
    for every layer that reads through that codec: see :class:`Judgements`)."""
    if layer.encodable_run is not None:
        return [(match.start(), match.group()) for match in layer.encodable_run.finditer(line)]
    segments = []
    offset = 0
    while offset < len(line):
        segment, _ = _encodable_prefix_bytes(line[offset:], layer.codec)
        if segment:
            segments.append((offset, segment))
            offset += len(segment)
        else:
            offset += 1
    return segments


def _proven_legacy_reading(segment: str, layer: Layer) -> str | None:
    """``segment`` read back through ``layer``, when that changes it and is proven."""
    if segment.isascii():
        return None
    try:
        fixed = segment.encode(layer.codec).decode(layer.encoded)
    except UnicodeDecodeError:
        return None
    if fixed == segment or not _proven(fixed, segment, layer):
        return None
    return fixed


def _legacy_candidate(
    line: str, offset: int, segment: str, layer: Layer, judged: Judgements
) -> Candidate | None:
    if layer.single_byte and _utf8_cut_by_lost_bytes(segment, layer.codec):
        return None
    if layer.judged_by_words:
        return _word_reading_candidate(line, offset, segment, layer, judged)
    if layer.same_script and not _damage_in_most_words(segment, layer):
        return None
    if judged.ruled_out(segment, layer):
        return None  # the words rule, known without a reading (see _reads_as_words)
    fixed = judged.reading(segment, layer)
    if fixed is None:
        return None
    gain = judged.reading_gain(segment, fixed, layer)
    return None if gain is None else Candidate(offset, offset + len(segment), fixed, gain, layer)


# Share of a reading's words that the list of its language must know more than, where
# the layer is judged by its words: the line must be written in that language. Only words
# of WORD_READING_LETTERS letters or more count for it: the lists hold short abbreviations
# of every language (čst, čr), which a clean word of a language without a list becomes by
# chance (Occitan èst). (Words of two letters count among those gained and lost: Slovak
# už is U¾ in ISO-8859-2, read as Uľ through cp1250.)
WORD_READING_LISTED_SHARE = 0.5
WORD_READING_LETTERS = 3
# Lowercase words a reading must respell into the alphabet of the line's language, where it
# gains no listed word (see _respells_in_language): one could be a foreign word or a name
# the lists do not hold (Molière in a Czech line), two in one line hardly; and the accented
# words it leaves as they are, of which the lists must know most, showing the language.
RESPELLED_WORDS = 2
MIN_KEPT_ACCENTED_WORDS = 2
# A word a reading respells into a listed word of at least this many letters confirms the
# reading on its own, on a line of at least CONFIRMING_LINE_WORDS words of
# WORD_READING_LETTERS letters or more (see _confirms_respelling).
CONFIRMING_LETTERS = 4
CONFIRMING_LINE_WORDS = 2


def _word_reading_candidate(
    line: str, offset: int, segment: str, layer: Layer, judged: Judgements
) -> Candidate | None:
    """A reading under a layer judged by its words (see Layer.judged_by_words), or None.

    Letter by letter, such damage is as plausible as clean text (fõváros, Pøíliš), so the
    character costs that weigh other legacy readings cannot tell; the word lists can.

    - The reading must be spelled in the alphabet of one language (clean French read
      this way, coûte très as coűte trčs, is not), and the list of one such language
      must know more than WORD_READING_LISTED_SHARE of its words of WORD_READING_LETTERS
      letters or more, those it leaves as they are included: the line is in that
      language. A line of Scottish Gaelic, which has no list, read as cp1250 (nì as ně,
      a Czech word) is not Czech.
    - Each word it rewrites is weighed: gained where that list knows the new word and no
      list of the script knows the old one (főváros, a Hungarian word, for fõváros, no
      word of any language), lost the other way round, and proving nothing where both
      are listed (Romanian lists hold fatã beside fată, Hungarian ones õket beside őket:
      the damage is that common). It must lose none, and either gain one, with a larger
      share of its words listed than any list knows of the line as it stands (Norwegian
      «a» å read as ISO-8859-2, Ťať ĺ: ťa is Slovak, but the Norwegian list knows the
      line better as it is), or respell words from letters the language does not write
      into its alphabet (elemzõje … felkelésrõl: a Hungarian line whose inflected words
      no list holds, either way), where the accented words it leaves are that
      language's (see _respells_in_language), or confirm one such respelling (see
      _confirms_respelling).
    - A segment of one non-ASCII character (Az elsõ napon: one moved letter) is read
      only where it is the whole line and the reading confirms its respelling: a word's
      one accent is all such a line shows, and a Slovak Vý_ber read as Turkish Vı_ber
      gains a listed word by chance.

    Without the word lists nothing is read."""
    single = _count_high(segment) < 2
    if single and len(segment) != len(line):
        return None
    fixed = judged.reading(segment, layer)
    if fixed is None or len(fixed) != len(segment):
        return None
    words = [match for match in _WORD.finditer(fixed) if len(match.group()) > 1]
    rewritten = [
        index
        for index, match in enumerate(words)
        if segment[match.start() : match.end()] != match.group()
    ]
    longer = [
        index for index, match in enumerate(words) if len(match.group()) >= WORD_READING_LETTERS
    ]
    languages = languages_spelling(filter(str.isalpha, _non_ascii(fixed))) if rewritten else ()
    if not longer or not languages or not lexicon_available():
        return None
    language, listed = best_listed_language([match.group() for match in words], languages)
    share = sum(listed[index] for index in longer) / len(longer)
    if language is None or share <= WORD_READING_LISTED_SHARE:
        return None
    old_words = [segment[words[index].start() : words[index].end()] for index in rewritten]
    old_listed = listed_anywhere(old_words)
    new_listed = [listed[index] for index in rewritten]
    gained = sum(new and not old for new, old in zip(new_listed, old_listed, strict=True))
    lost = sum(old and not new for new, old in zip(new_listed, old_listed, strict=True))
    if lost:
        return None
    # (A segment cut inside a word, where the line holds a character the reading code
    # page cannot, Ľ of Slovak Ľavý, confirms nothing by the part of the word it holds.)
    whole_words = not _cuts_a_word(line, offset, offset + len(segment))
    read = WordsRead(words, rewritten, old_words, listed, language)
    confirmed = whole_words and _confirms_respelling(read)
    if not confirmed and (
        single
        or not (
            _respells_in_language(read)
            or (gained and share > (share_known_in_script(segment) or 0))
        )
    ):
        return None
    # Of two such readings (cp1250 and ISO-8859-2 share most letters), the one that reads
    # more signs among letters into letters is the right one: s± is są in ISO-8859-2.
    signs_read = len(_SIGN_AGAINST_LETTER.findall(segment)) - len(
        _SIGN_AGAINST_LETTER.findall(fixed)
    )
    gain = 2 * MIN_GAIN * gained + MIN_GAIN * max(0, signs_read)
    return Candidate(offset, offset + len(segment), fixed, gain or MIN_GAIN, layer)


# The bytes of text written in UTF-8 and read through a single-byte code page, where some
# sequences lost their last bytes to a "?" (see _utf8_cut_by_lost_bytes).
_UTF8_SEQUENCE = rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
_UTF8_CUT_BEFORE_MARK = rb"[\xc2-\xf4][\x80-\xbf]{0,2}(?=\?)"
_UTF8_WITH_CUTS = re.compile(rb"(?:[\x00-\x7f]|%s|%s)*" % (_UTF8_SEQUENCE, _UTF8_CUT_BEFORE_MARK))
_UTF8_SEQUENCES = re.compile(_UTF8_SEQUENCE)
_UTF8_CUTS = re.compile(_UTF8_CUT_BEFORE_MARK)
# Complete sequences a segment must hold for its cut ones to be taken as UTF-8's.
MIN_SEQUENCES_AROUND_CUTS = 2


def _utf8_cut_by_lost_bytes(segment: str, codec: str) -> bool:
    """Are the bytes of ``segment`` through ``codec`` UTF-8 throughout, save for sequences
    cut short before a "?", with at least MIN_SEQUENCES_AROUND_CUTS whole ones?

    Then the segment is UTF-8 read through that code page with its lost bytes written as
    "?" (Ð¯ÐºÑ? is Як and a lost і), which the lost-byte inference reads; no legacy
    reading of it is (through cp1251 it is the classic mojibake РЇРєС?). Legacy text is
    no such thing: the letters of a word written in a code page follow each other as
    bytes that UTF-8 never puts side by side (cp1251 а-я are all lead bytes: Які? is
    DF EA B3 3F, a lead byte before a lead byte), and a "?" after it is its question
    mark."""
    if "?" not in segment:
        return False  # (most segments: asked of every legacy reading of every line)
    try:
        raw = segment.encode(codec)
    except UnicodeEncodeError:
        return False
    if not _UTF8_CUTS.search(raw) or not _UTF8_WITH_CUTS.fullmatch(raw):
        return False
    return len(_UTF8_SEQUENCES.findall(raw)) >= MIN_SEQUENCES_AROUND_CUTS


def _cuts_a_word(line: str, start: int, end: int) -> bool:
    """Does the span ``start:end`` of ``line`` begin or end inside a word?"""
    return (start > 0 and line[start - 1].isalpha() and line[start].isalpha()) or (
        end < len(line) and line[end].isalpha() and line[end - 1].isalpha()
    )


@dataclass(frozen=True, slots=True)
class WordsRead:
    """The words of a reading under a layer judged by its words, as
    _word_reading_candidate weighs them: ``words``, the reading's words of two letters or
    more; ``rewritten``, the indices of those it changed, with their ``old_words`` as the
    segment spells them; ``listed``, which of ``words`` the list of ``language``, the
    line's, holds."""

    words: list[re.Match[str]]
    rewritten: list[int]
    old_words: list[str]
    listed: list[bool]
    language: str


def _kept_accented_listed(read: WordsRead) -> list[bool]:
    """For each word a reading leaves as it is and that holds a non-ASCII letter, whether
    the list of the line's language holds it."""
    changed = set(read.rewritten)
    return [
        read.listed[index]
        for index, match in enumerate(read.words)
        if index not in changed and not match.group().isascii()
    ]


def _respells_in_language(read: WordsRead) -> bool:
    """Does a reading judged by its words (see _word_reading_candidate) respell at least
    RESPELLED_WORDS lowercase words from letters ``language`` does not write into its
    alphabet, on a line whose accented words it leaves are that language's?

    A word with a sign between two of its letters (povi¹ice for povišice) counts for
    RESPELLED_WORDS on its own: no language writes one there (see _respelled_words). The
    words the reading leaves as they are and that hold a non-ASCII letter, at least
    MIN_KEPT_ACCENTED_WORDS of them, must be listed in ``language`` more often than not:
    a line whose only accented words are the ones respelled says nothing of its language
    but through its ASCII words, which lists of every language hold (Estonian võtmega ...
    --post-data read as Hungarian vőtmega, Occitan fichièr as Czech fichičr)."""
    respelled = sum(RESPELLED_WORDS if sign else 1 for _index, _old, sign in _respelled_words(read))
    if respelled < RESPELLED_WORDS:
        return False
    kept = _kept_accented_listed(read)
    return len(kept) >= MIN_KEPT_ACCENTED_WORDS and 2 * sum(kept) > len(kept)


def _confirms_respelling(read: WordsRead) -> bool:
    """Does a reading judged by its words (see _word_reading_candidate) confirm that it
    is right, one word being enough?

    Its lowercase words that hold a sign between two letters (povi¹ice for povišice) or a
    letter ``language`` does not write are weighed:
    - confirming: the sign, which no language writes there; or a respelling into a word of
      CONFIRMING_LETTERS letters or more that the list of ``language`` holds, from a
      spelling that no language writing its letters lists (elsõ to első, fãcut to făcut:
      the lists keep such damage beside the word, but Portuguese, which writes õ and ã,
      has neither);
    - against: a respelling into a word the list of ``language`` does not hold (the
      Aromanian cãsãbã as căsăbă, Occitan fòrça as fňrça: languages without a list
      write those letters);
    - neither: a word that a language writing its letters lists (Portuguese sã), or a
      listed reading shorter than CONFIRMING_LETTERS (Occitan èst is čst, a Slovak
      abbreviation; Kurdish tê the Polish tę).
    One confirming word and none against, on a line of CONFIRMING_LINE_WORDS words of
    WORD_READING_LETTERS letters or more (one word does not show a line's language) whose
    accented words left as they are, if any, are that language's more often than not.
    (The words that RESPELLED_WORDS and MIN_KEPT_ACCENTED_WORDS guard against, Estonian
    võtmega read as Hungarian vőtmega, read into no listed word.)"""
    longer = sum(len(match.group()) >= WORD_READING_LETTERS for match in read.words)
    if longer < CONFIRMING_LINE_WORDS:
        return False
    kept = _kept_accented_listed(read)
    if kept and 2 * sum(kept) <= len(kept):
        return False
    confirmed = False
    for index, old, sign in _respelled_words(read):
        if sign:
            confirmed = True
        elif not read.listed[index]:
            return False
        elif len(old) >= CONFIRMING_LETTERS and not listed_as_spelled(old):
            confirmed = True
    return confirmed


def _respelled_words(read: WordsRead) -> Iterator[tuple[int, str, bool]]:
    """The lowercase words a reading rewrites (their index among ``words``, their old
    spelling) that it respells: from a sign between two letters (True) or from a letter
    ``language`` does not write (False). A sign at a word's edge (s» of «%s») proves
    nothing, nor does a capitalised word (names are where clean text writes a foreign
    letter)."""
    for index, old in zip(read.rewritten, read.old_words, strict=True):
        if not read.words[index].group().islower():
            continue
        if len(old) > 2 and not old[1:-1].isalpha():
            yield index, old, True
        elif old.isalpha() and not spelled_in_alphabet(old, read.language):
            yield index, old, False


# A non-ASCII sign (no letter, digit, space or the punctuation clean text sets against
# letters) touching a letter: what a letter read through the wrong code page of its
# script leaves (see Layer.same_script).
_SIGN = "[^\\w\\s\\x00-\\x7f" + "".join(map(re.escape, sorted(PUNCTUATION_AGAINST_LETTERS))) + "]"
_SIGN_AGAINST_LETTER = re.compile(f"(?<=[^\\W\\d_]){_SIGN}|{_SIGN}(?=[^\\W\\d_])")


# A run of characters other than white space holding two non-ASCII letters, found whole.
# Tried only where a run starts (the lookbehind fails at once inside one), each run is
# read at most twice: linear, where a pattern tried at every position of a long run would
# read the rest of it from each.
_HIGH_LETTER = r"[^\W\d_\x00-\x7f]"
_TWO_HIGH_LETTER_TOKEN = re.compile(rf"(?<!\S)(?=\S*?{_HIGH_LETTER}\S*?{_HIGH_LETTER})\S+")


def _damage_in_most_words(segment: str, layer: Layer) -> bool:
    """Does at least half of the words of ``segment`` (its runs without white space that
    hold two non-ASCII letters or more) show the damage of the same-script ``layer``:
    a match of its trigger (see Layer.same_script)? For a layer that keeps most letters
    (see Layer.keeps_letters), does one word show it?

    Read through the wrong code page of its script, nearly every word of a line comes out
    with capitals after its first letter or a sign among its letters (ОСЯРНИ НАШВМШИ,
    Ї®Ґ§¤); a line of clean prose shows them in its acronyms and headings only (a long
    news paragraph with МЧС and кВт in it), and is not read at all. Mac Cyrillic read as
    cp1251 changes only a word's capitals, я and punctuation: a line's words in small
    letters come out as they were, and the capital a word starts with as a sign or a
    letter of another language (Џосле, Њюнхена for После, Мюнхена), which no trigger
    can tell from a clean Serbian Њ; its я inside a word (разорениЯ) shows the damage,
    and the word lists must then show the reading's gain (see _reading_gain).
    """
    words = _words_with_two_high_letters(segment)
    if layer.keeps_letters:
        return any(layer.trigger.search(word) for word in words)
    # Every trigger match is two characters inside one such run, so a line with fewer
    # matches than half its words has fewer damaged words too (most clean lines).
    if 2 * len(layer.trigger.findall(segment)) < len(words):
        return False
    damaged = sum(1 for word in words if layer.trigger.search(word))
    return 2 * damaged >= len(words) > 0


@lru_cache(maxsize=256)
def _words_with_two_high_letters(segment: str) -> tuple[str, ...]:
    """(Cached: every same-script layer asks it of the same segment.)"""
    return tuple(_TWO_HIGH_LETTER_TOKEN.findall(segment))


def _reading_gain(segment: str, fixed: str, layer: Layer, judged: Judgements) -> int | None:
    """The gain of reading ``segment`` as ``fixed`` under the legacy ``layer``, or None
    where the reading is not believed. It asks of the layer only its encoding and expected
    script (see :meth:`Judgements.reading_gain`)."""
    if _count_high(fixed) < 2:
        return None  # one character is too little evidence for a whole-line reading
    if layer.expect and not (written_in(fixed, layer.expect) or _kanji_only(fixed, layer)):
        return None
    if _mark_without_letter(fixed) or misordered_thai(fixed):
        return None
    if not _reads_as_words(segment, fixed, layer, judged):
        return None
    damaged_cost = judged.cost(segment)
    gain = damaged_cost - judged.cost(fixed)
    # Legacy readings change every high character, so demand a large relative gain; a
    # double-byte reading into nothing but common characters (“ú‹L -> 日記, ‚È‚º‚© -> なぜか)
    # carries its byte structure as evidence, and a short title can gain no more. A reading
    # that changes a few characters of a line only (see Layer.keeps_letters) gains little
    # against the cost of the whole line, or nothing, where its damage is punctuation
    # against a word's first letter (”айл for Файл: a rare letter costs more than a
    # quote), and an acronym's capitals read as signs gain (ФП as ‘ѕ): only the word
    # lists show its gain.
    if layer.keeps_letters:
        if gain < -MIN_GAIN or not _rewrites_into_listed_words(segment, fixed, layer):
            return None
        gain = max(gain, MIN_GAIN)  # what the words show, as a layer judged by them gains
    else:
        floor = MIN_GAIN if _common_double_byte(fixed, layer) else MIN_GAIN * 2
        if gain < max(floor, damaged_cost // 4):
            return None
    if _spelled_in_letters(segment) and (
        _loses_known_words(segment, fixed)
        or (_reads_as_no_words(fixed) and not _unlisted_language(segment, fixed, layer))
    ):
        return None
    if layer.same_script and _capitals_without_words(segment, fixed):
        return None
    if layer.expect == "chinese" and _KANA.search(fixed):
        gain -= JAPANESE_IN_CHINESE_CODEPAGE_COST
    gain -= RARE_ROW_COST * _outside_frequent_rows(fixed, layer.encoded)
    return gain


def _rewrites_into_listed_words(segment: str, fixed: str, layer: Layer) -> bool:
    """Does the reading ``fixed`` of ``segment`` (of the same length) under ``layer``
    rewrite words into words some list of their script holds: all of them listed (для for
    длЯ), or more words gained than lost?

    A word is gained where the reading spells a listed word of CONFIRMING_LETTERS letters
    or more out of an unlisted one (После for Џосле) or out of one that shows the layer's
    damage (наблюдается for наблюдаетсЯ, which the lists know in either case); lost where
    it spells an unlisted word out of a listed one (€нуари for януари). A word here is a run
    of two letters or more in either text, so that letters read as signs (ЕТ as ≈“) count
    as a word rewritten. False without the word lists.

    Why: clean text may write a capital inside a word on purpose (пълниМ, a lyric), or an
    acronym in capitals (ФП), which a reading through Mac Cyrillic turns into a letter of
    another language or signs (пълнић, ‘ѕ); that is as cheap as a small я for Я, but it
    spells no word. The lists hold short abbreviations of every language (дсб), so a
    short word made listed proves nothing by itself; and the lists may know a word that
    the damage happens to spell (передаются for передаЮтсЯ, передаётся), so one loss
    does not outweigh the words a line gains."""
    spans = {
        match.span()
        for text in (segment, fixed)
        for match in _WORD.finditer(text)
        if match.end() - match.start() > 1
    }
    rewritten = sorted(span for span in spans if segment[slice(*span)] != fixed[slice(*span)])
    if not rewritten:
        return False
    old_words = [segment[slice(*span)] for span in rewritten]
    old_listed = listed_anywhere(old_words)
    new_listed = listed_anywhere([fixed[slice(*span)] for span in rewritten])
    if all(new_listed):
        return True
    gained = lost = 0
    for word, old, new in zip(old_words, old_listed, new_listed, strict=True):
        if new and len(word) >= CONFIRMING_LETTERS and (not old or layer.trigger.search(word)):
            gained += 1
        elif old and not new:
            lost += 1
    return gained > lost


# Share of its rewritten words of SAME_SCRIPT_WORD_LETTERS letters or more that a reading
# through a code page of the text's own script must spell as listed words, where capitals
# are all the damage shows. Shorter words are left out: most acronyms are that short, and
# as many short words as acronyms are listed words once read (ТВ/ПК/МП: рб/ой/ло).
SAME_SCRIPT_LISTED_SHARE = 0.5
SAME_SCRIPT_WORD_LETTERS = 4


def _capitals_without_words(segment: str, fixed: str) -> bool:
    """Is a reading between two code pages of one script (see Layer.same_script), whose
    only sign of damage is words in capitals, without the listed words that would show
    the capitals were damage?

    KOI8-R and cp1251 swap case, so small letters read through the wrong one come out as
    capitals, and the right reading spells words (ОСЯРНИ НАШВМШИ ТЮИК: пустой обычный
    файл). Capitals are also how clean text writes acronyms and headings (ПНМ/ПБМ/ПГМ,
    Serbian for image formats, reads as рон/рвн/рзн through cp1251 read as KOI8-R):
    without a word in swapped title case (see _has_inverted_title), or a sign where a
    letter belongs (a line that is not :func:`_spelled_in_letters`), at least half of the
    longer words the reading rewrites must be listed. Without the word lists, or without
    such words, there is no such evidence, and the line stays as it is."""
    if _has_inverted_title(segment) or not _spelled_in_letters(segment):
        return False
    words = [word for word in _changed_words(fixed) if len(word) >= SAME_SCRIPT_WORD_LETTERS]
    share = share_known_in_script(" ".join(words)) if words else None
    return share is None or share < SAME_SCRIPT_LISTED_SHARE


def _mark_without_letter(text: str) -> bool:
    """Does a combining mark (a Hebrew point, an Arabic vowel sign, a Thai vowel) stand
    where no letter carries it: at the start, or after a space, digit or symbol?

    Every script writes its marks on a letter (or on the marks stacked on it). A legacy
    reading that puts one at the start of a word reads the wrong code page: Uzbek cp1251
    read as Hebrew cp1255 (Àãàð -> ְדאנ) begins with a sheva, and its ¢ (the ў it stood
    for) splits the next word into a short listed Hebrew one, so the word lists alone
    would believe it. (The segment starts at a non-ASCII character: before it stands an
    ASCII character or nothing, neither of which takes these marks.)
    """
    if not any(map(_is_mark, set(_non_ascii(text)))):
        return False
    carried = False
    for char in text:
        if _is_mark(char):
            if not carried:
                return True
        else:
            carried = char.isalpha() and not char.isascii()
    return False


def _changed_words(text: str) -> list[str]:
    """The words of ``text`` (runs of two or more letters) that hold a non-ASCII letter:
    the words a legacy reading rewrites, the ASCII ones (--file=ФАЙЛ holds "file") being
    read the same by every code page."""
    return [
        word
        for word in _WORD.findall(_non_ascii_words(text))
        if len(word) > 1 and not word.isascii()
    ]


def _non_ascii_words(text: str) -> str:
    """The whitespace-separated pieces of ``text`` that hold a non-ASCII character, joined
    by spaces (the ASCII pieces dropped in C, not tested word by word)."""
    return " ".join(piece for piece in text.split() if not piece.isascii())


# What a legacy reading must hold before its lack of any listed word rules it out: words
# of spaced alphabets, or pairs of characters of unspaced scripts (Chinese, Japanese).
NO_WORDS_MIN_WORDS = 2
NO_WORDS_MIN_PAIRS = 2


def _reads_as_no_words(fixed: str) -> bool:
    """Does a legacy reading give words none of which any word list of their script knows?

    Of two code pages that read the same bytes as the same alphabet (cp1251 and KOI8-R
    for Cyrillic mojibake, ïóñòîé), the wrong one gives letters as frequent as the right
    one's (ОСЯРНИ for пустой) but no words; and a run of accented letters that is clean
    text (an alphabet, ßàáâãäåæç…) reads as Cyrillic letters that spell nothing. Real
    legacy damage of a line of two different words or more spells at least one listed
    word once read; a single word may be one no list holds (Ãîëóáèêà: Голубика, and
    âæèê-âæèê: вжик-вжик), so one word alone, however often, is not asked about.
    Chinese and Japanese readings are asked about from two character pairs on (岳伤 [馅襗
    for ФАЙЛ [ПЪТ]; one pair, a name, is no such evidence). Not judged: a script without
    lists (Thai), or words that carry particles (Korean 코드는, Podcast도, which the lists
    hold as 코드).
    """
    words = _changed_words(fixed)
    spaced = list(dict.fromkeys(word for word in words if not any(map(is_windowed, word))))
    if len(spaced) >= NO_WORDS_MIN_WORDS and known_in_script(" ".join(spaced)) == 0:
        return True
    unspaced = [word for word in words if is_unspaced(word[0])]
    pairs = sum(len(word) - 1 for word in unspaced)
    return pairs >= NO_WORDS_MIN_PAIRS and known_in_script(" ".join(unspaced)) == 0


# Words of this many letters or more, every one of them non-ASCII, that a segment read
# through a Western code page must hold (and at least half its rewritten words be) for
# _words_without_ascii_letters.
MIN_UNWRITTEN_WORDS = 3
MIN_UNWRITTEN_LETTERS = 3


def _unlisted_language(segment: str, fixed: str, layer: Layer) -> bool:
    """May a reading that spells no listed word stand all the same? Where the damage is
    words no Latin language writes (see _words_without_ascii_letters) and the reading keeps
    the case of every letter, as a code page of another alphabet read as cp1252 does
    (Àðõèâäèí -> Архивдин): the text is in a language without a word list. The wrong code
    page of the same alphabet (KOI8-R for cp1251: пустой read as ОСЯРНИ) swaps case, and
    the no-words rule still turns it down.

    And where the damage holds a word in swapped title case (бТИЙЧДЙО ЖПТНБФЩО: KOI8-R
    read as cp1251) that the reading writes as it should (Архивдин форматын), with fewer
    capitals: clean text, a heading in capitals included, holds no such word."""
    if _words_without_ascii_letters(segment, layer):
        return not _swaps_case(segment, fixed)
    return (
        _has_inverted_title(segment)
        and not _has_inverted_title(fixed)
        and _upper_share(fixed) < _upper_share(segment)
    )


def _has_inverted_title(text: str) -> bool:
    """Does ``text`` hold a word of three letters or more whose first letter is small and
    the rest capitals (бТИЙЧДЙО)? That is title case with every letter's case swapped,
    which KOI8-R read as cp1251 makes of a capitalised word (Архивдин), and which no
    orthography writes."""
    return any(
        len(word) >= 3 and word[0].islower() and word[1:].isupper() for word in _changed_words(text)
    )


def _words_without_ascii_letters(segment: str, layer: Layer) -> bool:
    """Is ``segment``, read through a Western code page, made of words no Latin language
    writes: MIN_UNWRITTEN_WORDS words or more of MIN_UNWRITTEN_LETTERS letters, and half of
    the words it holds, without a single ASCII letter (Àðõèâäèí ôîðìàòûí)?

    Every Latin orthography spells its words mostly with the ASCII letters and adds
    accents to some of them (Þjóðvegurinn, où, façade); a code page of another alphabet
    read as cp1252 turns every letter into an accented one. Such a segment is damage
    even where its reading spells no word the lists know: Kyrgyz, Mongolian, Chechen or
    Tatar, written in Cyrillic, have no word list of their own (see _unlisted_language).
    A listing of the accented letters in order (àáâãäå) is a table, not damage, and so
    is an alphabet sample in both cases (áéýúíóþæðö ÁÉÝÚÍÓÞÆÐÖ): two such words are not
    enough.
    """
    if layer.read_as not in WESTERN_CODEPAGES:
        return False
    words = _changed_words(segment)
    unwritten = [
        word
        for word in words
        if len(word) >= MIN_UNWRITTEN_LETTERS
        and not _ASCII_LETTER.search(word)
        and not _in_code_point_order(word)
    ]
    return len(unwritten) >= MIN_UNWRITTEN_WORDS and 2 * len(unwritten) >= len(words)


def _in_code_point_order(word: str) -> bool:
    """Does each letter of ``word`` follow the one before it in Unicode (àáâã)?"""
    return all(ord(after) - ord(before) == 1 for before, after in pairwise(word))


# Share of letters among the non-ASCII characters of text that may be clean writing.
WRITTEN_LETTER_SHARE = 0.9


def _spelled_in_letters(segment: str) -> bool:
    """Are nearly all non-ASCII characters of ``segment`` letters (WRITTEN_LETTER_SHARE)?

    The word-list checks of a legacy reading (:func:`_loses_known_words`,
    :func:`_reads_as_no_words`) are for segments that could be clean writing or a
    single-byte legacy page of letters (ïóñòîé). UTF-8 mojibake through a Western code
    page is strewn with symbols (Ð¡ÐµÐ³Ð¾), and so is a double-byte page read as one
    (ÄãºÃ£¬): the readings of such segments are judged as before, and loading the word
    lists for them would cost a batch worker a fifth of a second for nothing.
    """
    high = "".join(filterfalse(str.isspace, _non_ascii(segment)))
    return sum(map(str.isalpha, high)) >= WRITTEN_LETTER_SHARE * len(high)


def _loses_known_words(segment: str, fixed: str) -> bool:
    """Does the reading turn words the word lists know into words they do not?

    A whole-segment legacy reading is weighed by character costs, which know how often
    each letter is written but not which letters make words, and a code-page swap can
    turn clean text into text of more frequent letters: Russian prose read back as
    KOI8-R (пустой обычный файл -> ОСЯРНИ НАШВМШИ ТЮИК, the letters of КОИ8 swapped
    with their cp1251 neighbours), a Portuguese heading read as Korean (OPÇÃO ->
    OP플O), Danish capitals read as Greek (ÅÅÅÅ -> ΕΕΕΕ). Real damage reads the other
    way: its words are pieces of mojibake that no list knows, and the reading makes
    them words. So where at least half of the words the reading rewrites are listed as
    they stand, and fewer are listed after it, the text was clean. Without the word lists
    this says nothing (known_words is 0). The caller asks :func:`_spelled_in_letters`
    first.
    """
    before = _changed_words(segment)
    if not before:
        return False
    known_before, tokens = known_tokens(" ".join(before))
    if not known_before or 2 * known_before < tokens:
        return False
    return known_words(" ".join(_changed_words(fixed))) < known_before


# What a character from its own standard's rare rows costs on top of its character cost:
# the step from NATURAL to UNCOMMON.
RARE_ROW_COST = UNCOMMON - NATURAL
# Lead bytes of the rows where each double-byte standard keeps its frequent ideographs
# (or, for Korean, its Hangul): GB2312 level 1, Big5's frequent block, JIS X 0208 level 1
# (in EUC-JP and in Shift_JIS), KS X 1001's Hangul. The rows after them hold the rare
# characters (level 2, the less frequent block, hanja, the GBK extension).
FREQUENT_LEAD_BYTES: dict[str, range] = {
    "gbk": range(0xB0, 0xD8),
    "gb18030": range(0xB0, 0xD8),
    "big5": range(0xA4, 0xC7),
    "euc_jp": range(0xB0, 0xD0),
    "shift_jis": range(0x88, 0x99),
    "cp932": range(0x88, 0x99),
    "cp949": range(0xB0, 0xC9),
}


def _outside_frequent_rows(fixed: str, encoded: str) -> int:
    """How many ideographs and Hangul syllables of a legacy reading lie outside the
    frequent rows of the reading's own standard?

    Each standard orders its characters by frequency into a first and a second level;
    running text draws nearly all of its characters from the first. A character cost
    judges it against every standard at once, so the rare half of one standard passes
    as common when another standard lists it (a Cyrillic word read as EUC-JP is a run
    of level-2 kanji, common in Chinese). Judged by its own standard, each rare-row
    character costs as an uncommon one (RARE_ROW_COST).
    """
    frequent = FREQUENT_LEAD_BYTES.get(encoded)
    if frequent is None:
        return 0
    # The characters script_of puts in HAN, found by one regex (charclass.HAN_CHAR; no
    # ASCII character is among them), the kana then left out.
    outside = 0
    for char in HAN_CHAR.findall(fixed):
        if not _KANA.match(char) and char.encode(encoded)[0] not in frequent:
            outside += 1
    return outside


# Kana (halfwidth ones too), the sign of Japanese text.
_KANA = re.compile("[\u3040-\u30ff\uff66-\uff9f]")
# Gain a Chinese code page's reading into Japanese gives up to the Japanese code pages.
# Chinese standards hold the kana too, at the same code points as EUC-JP, so Japanese
# text in EUC-JP reads back through GBK with its kana intact; Japanese is stored in a
# Chinese code page far less often than in a Japanese one, so such a reading must beat
# the Japanese readings on its characters, not tie with them.
JAPANESE_IN_CHINESE_CODEPAGE_COST = 1


def _kanji_only(fixed: str, layer: Layer) -> bool:
    """Is ``fixed`` a Japanese reading without kana whose every ideograph is in its own
    standard's first level?

    Japanese prose always has kana, which is how written_in tells a Japanese reading from
    Chinese bytes that happen to decode; a heading of compound nouns (経営企画部門会議資料)
    has none. Such a heading keeps to the frequent kanji, while Chinese text read through
    a Japanese code page falls all over both levels, so the kana rule is waived for it.
    """
    return (
        layer.expect == "japanese"
        and written_in(fixed, "han")
        and _outside_frequent_rows(fixed, layer.encoded) == 0
    )


def _common_double_byte(fixed: str, layer: Layer) -> bool:
    """Is ``fixed`` a double-byte reading made only of common characters (its national
    standard's frequent set, kana, CJK punctuation) besides ASCII?"""
    return layer.encoded_double_byte and all(
        char_cost(char) <= NATURAL for char in _non_ascii(fixed)
    )


# Share of a line's non-ASCII characters ftfy's edits must touch to be its account of them.
FTFY_EXPLAINS_LINE = 0.5


def _fragmentary(text: str, edits: list[Edit]) -> bool:
    """Do ``edits`` (ftfy's) touch less than half of the non-ASCII characters of ``text``?

    ftfy reads any pair like Ê¹ or Ô· as UTF-8 (ʹ, Է), so in a GBK line read as cp1252
    (ÒÑ¾¿ÉÒÔ·ÃÎÊÊ¹ÓÃÁË) it repairs a few pairs and leaves the rest, a reading of
    fragments; its own damage ($Ì¶6Ì¶3Ì¶: combining strokes) it explains whole. A
    fragmentary reading does not shut out the legacy ones: they compete on their gain.
    ftfy's edits are diffed by token, so their spans overstate what it read: each
    character its UTF-8 readings remove stands for about two it read, and an edit of
    unchanged length (a C1 control read as cp1252) for what it spans.
    """
    high = _count_high(text)
    touched = 0
    for edit in edits:
        span = edit.end - edit.start
        shrink = span - len(edit.replacement)
        touched += 2 * shrink if shrink > 0 else span
    return touched < FTFY_EXPLAINS_LINE * high


# A line whose bytes are valid UTF-8 through a code page ftfy reads, with at least this
# many continuation bytes, was written in UTF-8 (see _whole_line_utf8).
MIN_WHOLE_LINE_CONTINUATIONS = 3


def _whole_line_utf8(text: str) -> bool:
    """Are the bytes of ``text`` through cp1252 (ftfy's sloppy variant, which keeps the
    five bytes cp1252 leaves undefined) or Latin-1 valid UTF-8 with at least
    MIN_WHOLE_LINE_CONTINUATIONS continuation bytes?

    Why: a legacy reading (GBK, Shift_JIS, cp1251 ... read as cp1252) reads the same
    bytes as text of a legacy code page, and such text seldom forms valid UTF-8 over a
    whole line: every byte after a lead byte must be a continuation byte (0x80-0xBF, half
    the high bytes) and every continuation byte must follow a lead. Where all of them do,
    the line is UTF-8 read as a Western code page (once or more), and the legacy layers
    need not be tried: on such lines they took half of the repair's time, and the one
    bench line where a legacy reading won was misread (Turkish subtitles read as Chinese)."""
    if "\ufffd" in text:
        return False  # a lost byte (ftfy's sloppy codec would write it as 0x1A)
    for codec in ("sloppy-windows-1252", "latin-1"):
        try:
            raw = text.encode(codec)
        except UnicodeEncodeError:
            continue
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return len(raw) - len(decoded) >= MIN_WHOLE_LINE_CONTINUATIONS
    return False


def _whole_line_utf8_reading(text: str, codec: str) -> str | None:
    """``text`` read as UTF-8 through the single-byte ``codec``, where its bytes there are
    UTF-8 of assigned characters throughout, with at least MIN_WHOLE_LINE_CONTINUATIONS
    continuation bytes (each byte one character: the count is what the reading is
    shorter by); None otherwise."""
    reading = _utf8_reading(text, codec)
    if reading is None or len(text) - len(reading) < MIN_WHOLE_LINE_CONTINUATIONS:
        return None
    return reading


# The code pages of the single-byte UTF-8 layers, each once.
_SINGLE_BYTE_UTF8_CODECS = tuple(
    dict.fromkeys(layer.codec for layer in LAYERS if layer.utf8 and layer.single_byte)
)


def _the_whole_line_utf8_reading(text: str, codec: str) -> bool:
    """Are the bytes of ``text`` through the single-byte ``codec`` UTF-8 throughout (see
    _whole_line_utf8_reading), are most of its non-ASCII characters letters, and is its
    reading there cheaper than any other such reading, through the code page of another
    single-byte layer?

    Why: text in a script ``codec`` writes is never UTF-8 through it over a whole line
    (every Cyrillic letter of cp1251 is a lead byte, and a word's letters follow each
    other), so such a line was written in UTF-8, and its reading through ``codec`` stands
    where ftfy's badness does not see the damage: Chinese and Japanese read as cp1251 come
    out as Cyrillic letters among signs (ж¬ўиїЋ for 欢迎), which ftfy leaves as they are.
    Not line art, written with the signs alone (``├┤a┼┐a`` is UTF-8 through cp437, and
    ftfy's own test keeps it). Where two code pages read the whole line, the bytes alone
    do not say which (Spanish ñ of ISO-8859-2's ``Ăą`` is ù through cp1250, at the same
    cost), and ftfy's verdict and the siblings decide; where one reading is clearly the
    more natural text (Uzbek ʻ of ``Ęť`` through ISO-8859-2, ʝ through cp1250), it
    stands. (U+FFFD is a lost byte, which ftfy's sloppy code pages would write as 1A.)"""
    if "\ufffd" in text:
        return False
    high = _non_ascii(text)
    if 2 * sum(map(str.isalpha, high)) < len(high):
        return False
    reading = _whole_line_utf8_reading(text, codec)
    if reading is None:
        return False
    others = {
        other_reading
        for other in _SINGLE_BYTE_UTF8_CODECS
        if other != codec and (other_reading := _whole_line_utf8_reading(text, other))
    } - {reading}
    cost = text_cost(reading)
    return all(cost < text_cost(other) for other in others)


def _damage_dominates(text: str) -> bool:
    """Do high characters outnumber the ASCII letters of ``text``?"""
    high = _non_ascii(text)
    return len(high) - sum(map(str.isspace, high)) >= len(_ASCII_LETTER.findall(text))


# A lost-byte mark between high characters (a "?" after a word is just a question mark):
# the text went through a lossy UTF-8 step,
# which legacy (whole-file code page) damage never involves.
_MARK_BY_HIGH = re.compile("[^\x00-\x7f]\\?[^\x00-\x7f]|[^\x00-\x7f]\ufffd|\ufffd[^\x00-\x7f]")


def _segment_rules_out(
    segment: str, single_byte_reading: bool, western: bool, judged: Judgements
) -> bool:
    """Is ``segment`` no whole-line legacy damage, whatever it reads as? The half of the
    words rule (see :func:`_reads_as_words`) that looks at the damaged segment alone.

    It depends on the layer only through ``single_byte_reading`` (its evidence weight is
    1) and ``western`` (it reads through a Western code page), so :class:`Judgements` asks
    it once per segment for the twenty legacy layers that would each ask it again, and
    before the reading is even made.
    """
    if _MARK_BY_HIGH.search(segment) or _lists_letters(segment):
        return True
    if not single_byte_reading:
        return False
    # Single-byte legacy readings carry no structural evidence of their own.
    damaged = sum(map(str.isalpha, _non_ascii(segment)))
    letters = damaged + len(_ASCII_LETTER.findall(segment))
    if damaged < 4 or (damaged < 8 and damaged < 0.5 * letters and not _foreign_word(segment)):
        return True
    # The text as it stands must itself look wrong (stacked accents, case flips:
    # Ïðèâåò); Â£35 Â· 21 Â°C is UTF-8 damage, not a Thai or Greek page.
    # (KOI8-R read as cp1251 is plausible Cyrillic letter by letter: its signs are
    # case and letter frequency, which the gain already weighs.)
    return western and judged.cost(segment) < LEGACY_IMPLAUSIBLE_COST * _count_high(segment)


# A list of letters: its same-case neighbours in code point order at least this often,
# over at least LISTED_LETTER_PAIRS of them.
LISTED_LETTER_ORDER = 0.85
LISTED_LETTER_PAIRS = 3


def _lists_letters(segment: str) -> bool:
    """Does ``segment`` list letters (Umlaute: ÄÖÜ äöü ß; Vocales: ÁÉÍÓÚ; ÈÉÊË;
    abcdefghijkõäöü; the answers ^[yYдДщЩ]) rather than hold words?

    An alphabet's letters are listed in its order, which Latin-1 and Windows code pages
    follow, or in pairs of their two cases, each letter once; words of another script
    read through cp1252 (Ïðèâåò) go up and down. So: the segment's words with a
    non-ASCII letter hold nearly all of its non-ASCII characters, no letter comes twice
    among them, and their letters either come in case pairs (дД) or nearly all their
    neighbours of the same case go up in code point order (a capital before small
    letters always does, so those pairs are not counted). Of char-dataset's legacy text
    read as cp1252 or latin-1, 6 lines of 33,213 look like this: a three-character GBK
    title (又颠了 as ÓÖµßÁË) and two lines of links.
    """
    words = [word for word in _WORD.findall(segment) if not word.isascii()]
    longer = [word for word in words if len(word) > 1]
    letters = "".join(words)
    if not longer or len(set(letters)) < len(letters):
        return False
    if _count_high("".join(words)) < 0.8 * _count_high(segment):
        return False
    if all(_case_pairs(word) for word in longer):
        return True
    pairs = [
        (first, second)
        for word in longer
        for first, second in pairwise(word)
        if first.isupper() == second.isupper()
    ]
    rising = sum(first < second for first, second in pairs)
    return len(pairs) >= LISTED_LETTER_PAIRS and rising >= LISTED_LETTER_ORDER * len(pairs)


def _case_pairs(word: str) -> bool:
    """Is ``word`` letters each followed by its other case (nNдДщЩ)?"""
    if len(word) % 2:
        return False
    pairs = zip(word[::2], word[1::2], strict=True)
    return all(first != second and first.swapcase() == second for first, second in pairs)


def _reads_as_words(segment: str, fixed: str, layer: Layer, judged: Judgements) -> bool:
    """A whole-line legacy reading must turn mostly-damaged text into mostly letters.

    A Greek or Cyrillic document read as cp1252 damages nearly every letter of it; a few
    accented letters in Latin text (Ôôô VIDA MINHA) are writing. The reading must give
    words, not a run of symbols (г†’гѓ‘ from text that is itself mojibake). This is the
    half of the rule that needs the reading: the caller has asked the other half,
    :func:`_segment_rules_out`, first.
    """
    single_byte_reading = _evidence_weight(layer) == 1
    # Prose is mostly lower case; KOI8-R and cp1251 swap case, so the right reading
    # lowers the share of capitals, never raises it past half (пулюм -> ОСКЧЛ). A
    # reading that keeps the case of nearly every letter (cp1251 read as cp1252 maps
    # capitals to capitals, save ß -> Я) says nothing by case: a headline in capitals
    # stays one. A reading that at least halves the cost, by a wide margin, is exempt:
    # a headline in capitals damaged this way (впмшыбс уфйтлб for БОЛЬШАЯ СТИРКА)
    # breaks the spelling of its words, which clean lowercase prose does not (a short
    # word of rare letters, пулюм, gains a little by any reading and stays). One word
    # is too little for that: a word of letters rare in Russian (Belarusian хутчэй)
    # halves its cost as capitals (УСРВЩИ) too.
    if (
        single_byte_reading
        and _upper_share(fixed) > max(0.5, _upper_share(segment))
        and _swaps_case(segment, fixed)
        and not (_halves_cost(segment, fixed, judged) and len(_WORD.findall(segment)) > 1)
    ):
        return False
    if single_byte_reading and _symbol_inside_word(segment, fixed):
        return False
    # CJK readings hold their own punctuation (，。「」) and the bullets and signs of their
    # standards' symbol rows (■, ♥, ⇒); alphabetic ones are nearly all letters, their
    # punctuation being ASCII.
    high = "".join(filterfalse(str.isspace, _non_ascii(fixed)))
    if _evidence_weight(layer) > 1:
        return _wordlike_count(high, decoration=True) >= 0.75 * len(high)
    return _wordlike_count(high, decoration=False) >= 0.85 * len(high)


def _symbol_inside_word(segment: str, fixed: str) -> bool:
    """Does a one-for-one reading turn a letter between two letters into a symbol?

    Between two single-byte code pages each character is one byte, so the reading keeps
    every position. Text in a code page of letters reads back into letters; a symbol the
    reading puts inside a word (Serbian опције read back as KOI8-R: НОЖХ╪Е, its ј being
    KOI8-R's box drawing) shows the letter was written as it stands. Marks and digits
    count as word characters (Hebrew points are marks).
    """
    if len(segment) != len(fixed):
        return False
    for match in _HIGH_NON_WORD.finditer(fixed, 1, len(fixed) - 1):
        at = match.start()
        if (
            unicodedata.category(fixed[at])[0] != "M"
            and segment[at].isalpha()
            and fixed[at - 1].isalpha()
            and fixed[at + 1].isalpha()
        ):
            return True
    return False


# A non-ASCII character that is neither a letter nor a digit (\w takes both, and "_"):
# the few places :func:`_symbol_inside_word` looks at, found in C. Marks are among them
# and are let through there.
_HIGH_NON_WORD = re.compile(r"[^\x00-\x7f\w]")


# Gain, in units of MIN_GAIN, a reading must make to outweigh the capitals rule.
CAPITALS_OVERRULED_GAIN = 3


def _halves_cost(segment: str, fixed: str, judged: Judgements) -> bool:
    """Does ``fixed`` cost at most half of ``segment``, and gain several MIN_GAINs?"""
    damaged_cost = judged.cost(segment)
    fixed_cost = judged.cost(fixed)
    return (
        2 * fixed_cost <= damaged_cost
        and damaged_cost - fixed_cost >= CAPITALS_OVERRULED_GAIN * MIN_GAIN
    )


# A word: a run of letters (digits and "_" end it, as spaces and punctuation do).
_WORD = re.compile(r"[^\W\d_]+")
# Letters a word must have, none of them ASCII, to count as a foreign word of its own.
FOREIGN_WORD_LETTERS = 4


def _foreign_word(segment: str) -> bool:
    """Does ``segment`` hold a word of four or more letters, none of them ASCII?

    Accented letters in Western text sit inside words spelled mostly in ASCII (café,
    Müller, São); a whole word without one ASCII letter (Òåìà, Íîâîñòè) is a word of
    another alphabet, however much ASCII markup or Latin text surrounds it on the line.
    """
    return any(
        len(word) >= FOREIGN_WORD_LETTERS and not any(char.isascii() for char in word)
        for word in _WORD.findall(segment)
    )


# Share of the cased letters whose case a reading must change to count as swapping case.
CASE_SWAP_SHARE = 0.25


def _swaps_case(segment: str, fixed: str) -> bool:
    """Does a single-byte reading (one character for one) change the case of a quarter or
    more of the letters it maps from cased to cased?"""
    cased = swapped = 0
    for old, new in zip(segment, fixed, strict=False):
        if old.isascii() or not (old.isupper() or old.islower()):
            continue
        if new.isupper() or new.islower():
            cased += 1
            swapped += old.isupper() != new.isupper()
    return swapped >= CASE_SWAP_SHARE * cased if cased else False


def _upper_share(text: str) -> float:
    """Share of capitals among the non-ASCII cased letters (ASCII tags do not count)."""
    high = _non_ascii(text)
    # (No character is both: see tests/test_repair.py.)
    upper = sum(map(str.isupper, high))
    cased = upper + sum(map(str.islower, high))
    return upper / cased if cased else 0.0


# Arrows, geometric shapes and miscellaneous symbols (⇒ ■ ◆ ○ ★ ♥ ♪), and the reference
# mark ※: every CJK national standard has them in its symbol rows, and CJK titles and
# lists use them as bullets and decoration (■会社概要, ♥우리 가족♥).
_CJK_DECORATION = re.compile("[\u2190-\u21ff\u25a0-\u26ff\u203b]")
# CJK punctuation and brackets, and the fullwidth forms: part of words in CJK text.
_WIDE_SIGN = re.compile("[\u3000-\u303f\uff01-\uff65]")


def _wordlike_count(high: str, *, decoration: bool) -> int:
    """How many characters of ``high`` are word-like: letters and digits, fullwidth ones
    and CJK brackets included (２００６年（架空）), combining marks (the vowel signs and
    tone marks of Thai, Hebrew points, Arabic vowels: part of the letter that carries them,
    and a third of Thai text; see _mark_without_letter for marks that no letter carries),
    and with ``decoration`` the symbols CJK text uses as bullets (see _CJK_DECORATION).
    Letters and digits are counted in C (filterfalse), the others on the few characters
    left."""
    others = "".join(filterfalse(str.isalnum, high))
    count = len(high) - len(others) + len(_WIDE_SIGN.findall(others))
    count += sum(map(_is_mark, others))
    if decoration:
        count += len(_CJK_DECORATION.findall(others))
    return count


def layer_candidates(
    line: str, layer: Layer, *, proven: bool = False, judged: Judgements | None = None
) -> list[Candidate]:
    """Every proven, accepted repair of ``line`` under ``layer`` (``proven``: the layer
    already repaired other words of this line; ``judged``: the document's legacy verdicts
    so far, see :class:`Judgements`)."""
    judged = judged or Judgements()
    if not layer.utf8:
        return _legacy_candidates(line, layer, judged) if layer.trigger.search(line) else []
    alone: list[Candidate] = []
    one_for_one: list[Candidate] = []
    lone_words: list[Candidate] = []
    # A UTF-8 lead byte read through a single-byte code page shows as a symbol or a
    # letter, its continuation bytes as symbols (├®, Ã©, п÷), and that byte structure is
    # the evidence. DOS code pages show both as letters (cp850 Îâ is D7 83 and ÞÆÖ E8 92
    # 99; cp866 хао is E5 A0 AE): a word's letters prove nothing by their bytes there.
    # (KOI8-R has two letters, ё and Ё, on continuation bytes: ɣ is иё, C9 A3.)
    # Once the layer has read other words of the line (the box drawing of ╨Я, or щХ╖ of
    # Chinese), such a run is its damage too (уБД, E3 81 84 of Japanese). (ftfy judges the
    # code pages it reads, cp1251 Рё among them, and ISO-8859-15 needs its own evidence:
    # see _C1_CP1252_DEFINES.)
    letters_prove_nothing = not layer.ftfy_covers and layer.letters_on_continuation_bytes
    skip_letters = letters_prove_nothing and not proven
    readings = list(_utf8_readings(line, layer, skip_alphabet_runs=skip_letters))
    if layer.whole_runs and not proven:
        readings = [reading for reading in readings if _takes_whole_run(line, reading)]
    if letters_prove_nothing:
        readings = [
            reading
            for reading in readings
            if not (
                skip_letters
                and _word_letters(line[reading.start : reading.end])
                and not _mark_inside_word(line, reading)
            )
            and not _after_orphan_lead(line, reading.start, layer)
        ]
        if readings and all(_letters_into_symbols(line, reading) for reading in readings):
            return []
    if layer.single_byte and layer.read_as not in WESTERN_CODEPAGES and "\ufffd" in line:
        # A sequence of the line's Western damage cut short by a lost byte still owns the
        # continuation bytes after it: a reading from one of them is read from the middle
        # (``ã�Œä½�``, が住 with two lost bytes: Mac Roman read ``Œä``, CE 8A, as Ί).
        readings = [r for r in readings if not _inside_a_sequence(line, r.start, cut=True)]
    for reading in readings:
        damaged = line[reading.start : reading.end]
        if not layer.single_byte and not reading.crossings:
            one_for_one.append(reading)  # weighed by _accept_one_for_one, if it gets there
        elif deeper := _lone_ideograph_beneath(line, layer, reading, damaged, judged):
            alone.append(deeper)
        elif _plausible_reading(
            line, reading.start, reading.end, damaged, reading.fixed, proven=proven
        ) and _accept_alone(candidate := _weighed(line, reading, judged), damaged, proven=proven):
            alone.append(candidate)
        elif proven and layer.single_byte and _opens_a_pair(line, reading):
            # An opening mark whose partner the line closes later, on a line this layer
            # already repaired (В«%sВ» -> «%s», UTF-8 read as cp1251: the » came first, as
            # a script switch inside a word): the pair is the evidence, and counts as the
            # least gain where the two characters cost what the mark does.
            if _weighed(line, reading, judged).gain >= 0:
                alone.append(replace(reading, gain=1))
        elif layer.single_byte and (deeper := _judged_beneath(line, reading, damaged, judged)):
            alone.append(deeper)
        elif _lone_foreign_word(line, layer, reading, damaged):
            lone_words.append(reading)
    if lone_words:
        alone += _accept_lone_words(line, layer, lone_words, alone, judged)
    # (A reading judged beneath brings the script of the text two layers down.)
    if alone and not _scripts_fit(
        line, "".join(candidate.fixed for candidate in alone if not candidate.beneath)
    ):
        alone = []
    accepted = alone + _accept_one_for_one(line, layer, one_for_one, alone, judged)
    return sorted(accepted, key=lambda candidate: candidate.start)


def _takes_whole_run(line: str, reading: Candidate) -> bool:
    """Does ``reading`` take its whole run of non-ASCII characters, and make two
    characters or more of it or sit against an ASCII letter (caf√© -> café)? Asked of a
    layer with ``whole_runs`` (see Layer) before it has read another word of the line.

    Why: Mac Cyrillic writes the Cyrillic lead bytes D0 and D1 as – and —, and the
    continuation bytes 80-9F as the capitals А-Я, so clean dialogue is full of readings:
    —Привет holds —П, which is я in UTF-8, —Я alone is џ. Real damage of Cyrillic text
    turns every letter of a word into such a pair, so its reading takes the whole run;
    a reading that leaves the rest of the word, or makes one letter of a dash and a
    capital between spaces, is the writer's dash."""
    return reading.whole_run and (
        len(reading.fixed) >= 2 or glued_to_ascii_letter(line, reading.start, reading.end)
    )


def _letters_into_symbols(line: str, reading: Candidate) -> bool:
    """Is ``reading`` of ``line`` letters shaped as a word (a capital, then small letters),
    read into symbols alone (no letter, digit or punctuation mark)?

    Why: a DOS code page writes most bytes as letters, so many words are UTF-8 through
    it, and a word of three letters is often one symbol: Portuguese ``Ôôô`` (E2 93 93
    through cp852 and cp850) is ⓓ, Uzbek ``Ôîé`` read as cp1252 ⌂. Where a line's only
    readings under the layer are such, nothing shows the layer's damage (ftfy keeps ``Ôôô
    VIDA MINHA`` in its own tests); beside other readings of the layer they stand, and a
    capital after a small letter (``ÔåÆ``, →) is no word's shape."""
    damaged = line[reading.start : reading.end]
    return (
        damaged.isalpha()
        and damaged.istitle()
        and all(unicodedata.category(char)[0] in "SZC" for char in reading.fixed)
    )


# The characters that one of ftfy's single-byte code pages writes on a UTF-8 lead byte.
_FTFY_LEAD_CHARS = frozenset(
    char
    for layer in LAYERS
    if layer.utf8 and layer.single_byte and layer.ftfy_covers
    for char, raw in layer.repertoire.items()
    if raw[0] in UTF8_LEAD_BYTES
)


def _after_orphan_lead(line: str, start: int, layer: Layer) -> bool:
    """Is a reading of ``line`` from ``start`` under the single-byte ``layer`` glued to a
    character that can only be a UTF-8 lead byte left without its sequence: one the
    layer's code page writes on a lead byte, or a letter it does not write at all that one
    of ftfy's code pages writes on one?

    Why: UTF-8 read through one code page never leaves a lead byte without its
    continuation bytes right before another sequence, so a run that does was not made by
    this layer and is read from its middle. UTF-8 read through cp1251 and then cp1252
    writes ʻ (CA BB) as К» and then as ``ÐšÂ»``, whose ``šÂ»`` is E7 B6 AF through cp852,
    a Chinese character, right after Ð, cp1252's D0. Asked of the DOS code pages only,
    whose letters prove nothing (see layer_candidates); punctuation an earlier round made
    (the ’ before ``├¿``, which Mac Roman writes on D5) is no such letter.
    """
    before = line[start - 1 : start]
    if not before or before.isascii() or before == "\ufffd":
        return False
    raw = layer.repertoire.get(before)
    if raw is not None:
        return raw[0] in UTF8_LEAD_BYTES
    return before.isalpha() and before in _FTFY_LEAD_CHARS


def _capitals_after_small_letter(line: str, start: int, end: int) -> bool:
    """Does a run ``line[start:end]`` of two characters or more hold a capital right after
    a small letter, the small letter in the run or glued before it (the ÔÇÖ of ItÔÇÖs,
    cp850; the тАЩ of IndiaтАЩs and тАФ, cp866)? Clean text starts its words with their
    capitals; one capital after a small letter is a name written in camel case (McÉwan),
    a run of them damage."""
    if end - start < 2:
        return False
    run = line[start:end]
    if run.islower():
        return False  # (most words of a clean line: no capital to look at)
    if run.isupper():
        return start > 0 and line[start - 1].islower()
    return any(line[at].isupper() and line[at - 1].islower() for at in range(max(start, 1), end))


def _is_punctuation_mark(text: str) -> bool:
    """Is ``text`` one punctuation mark (“, —, ’)?"""
    return len(text) == 1 and unicodedata.category(text).startswith("P")


def _mark_inside_word(line: str, reading: Candidate) -> bool:
    """Is ``reading`` of word letters (see _word_letters) a punctuation mark, read from
    capitals after a small letter (see _capitals_after_small_letter)?

    Why: DOS code pages show UTF-8 as letters (cp850 writes ’, E2 80 99, as ÔÇÖ, cp866 as
    тАЩ), and a run of letters proves nothing by its bytes (see layer_candidates). Capitals
    after small letters that read as one punctuation mark are that mark: English text in
    a Windows console (ItÔÇÖs, friendsÔÇØ) has nothing else to show its damage, and its
    letters, read whole, make Chinese through GBK (don郧謙)."""
    return _is_punctuation_mark(reading.fixed) and _capitals_after_small_letter(
        line, reading.start, reading.end
    )


def _lone_foreign_word(line: str, layer: Layer, reading: Candidate, damaged: str) -> bool:
    """Is ``damaged`` a word of two characters or more standing alone, opened by a foreign
    letter (Layer.foreign_letters), which reads as one accented Latin letter?

    The one-letter words of Latin languages (Italian è, French and Portuguese à, Norwegian
    å, Welsh â) read as UTF-8 through cp1251 become two Cyrillic letters (ГЁ, Г\xa0, ГҐ),
    through Shift_JIS two halfwidth kana (ﾃｨ), through cp1253 a Greek capital and a sign
    (Γ¨): a word too short to weigh, and a line whose only damage is such a word has
    nothing else to prove its reading. The bytes are the proof: no script writes a word of
    a capital and a sign, or of two halfwidth kana, whose bytes spell one accented Latin
    letter, unless the pair is a word the script's lists hold, and the line around it is
    checked for letters of that script (see _lone_words_standing). A one-character
    reading (GBK 猫) is left out: an ideograph between Latin words can be quoted Chinese.
    """
    foreign = layer.foreign_letters
    fixed = reading.fixed
    if (
        foreign is None
        or len(damaged) < 2
        or len(fixed) != 1
        or fixed.isascii()
        or not fixed.isalpha()
        or script_of(fixed) != LATIN
    ):
        return False
    start, end = reading.start, reading.end
    if line[start - 1 : start].isalnum() or line[end : end + 1].isalnum():
        return False
    if foreign.match(damaged) is None:
        return False
    # A real word of the script is no such damage: Russian её (her) read as KOI8-R bytes
    # is C5 A3, ţ in UTF-8, and a Latin line can quote it. Without the word lists that
    # cannot be told, and nothing is read so.
    return lexicon_available() and not listed_anywhere([damaged])[0]


def _lone_words_standing(
    line: str, layer: Layer, lone_words: list[Candidate], accepted: list[Candidate]
) -> list[Candidate]:
    """``lone_words`` (each a lone foreign word: see _lone_foreign_word) where the line is
    written in Latin letters and holds no letter of the foreign script outside them and
    the ``accepted`` readings (one such letter is text of that script, and the words may
    be too); none otherwise."""
    if not lone_words:
        return []
    rest = _outside(line, [(c.start, c.end) for c in accepted + lone_words])
    foreign = layer.foreign_letters
    if foreign is None or foreign.search(rest) or not _ASCII_LETTER.search(rest):
        return []
    return lone_words


def _accept_lone_words(
    line: str,
    layer: Layer,
    lone_words: list[Candidate],
    accepted: list[Candidate],
    judged: Judgements,
) -> list[Candidate]:
    """The lone foreign words of ``line`` that stand (see _lone_words_standing), each
    plausible where the layer is proven and no costlier than its damage; none otherwise."""
    taken = []
    for reading in _lone_words_standing(line, layer, lone_words, accepted):
        damaged = line[reading.start : reading.end]
        if not _plausible_reading(
            line, reading.start, reading.end, damaged, reading.fixed, proven=True
        ):
            return []
        weighed = _weighed(line, reading, judged)
        if weighed.gain < 0:
            return []
        taken.append(replace(weighed, gain=max(weighed.gain, 1)))
    return taken


def _utf8_readings(
    line: str, layer: Layer, *, skip_alphabet_runs: bool = False
) -> Iterator[Candidate]:
    """The unweighed readings of ``line`` under the UTF-8 ``layer``, left to right: one
    from each trigger match that no earlier reading covers (see _utf8_candidate_at).

    ``skip_alphabet_runs``: the caller turns down every reading of word letters (see
    layer_candidates), so no reading is made where the non-ASCII run from the match on is
    letters of one alphabet other than Latin (see _one_alphabet). A reading covers a
    prefix of that run, which is such letters too, and so is every later match inside it:
    the readings left out are exactly those the caller would turn down. (Clean Russian
    text is such runs, and cp866's trigger fires in most of its words.)"""
    covered = 0
    for match in layer.trigger.finditer(line):
        if match.start() < covered:
            continue
        if skip_alphabet_runs:
            run = _NON_ASCII_RUN.match(line, match.start())
            if (
                run is not None
                and _one_alphabet(run.group())
                and not _capitals_after_small_letter(line, run.start(), run.end())
            ):
                covered = run.end()  # (its later matches start runs of such letters too)
                continue
        reading = _utf8_candidate_at(line, match.start(), layer)
        if reading is not None:
            covered = reading.end
            yield reading


def _explained(candidates: list[Candidate]) -> int:
    return sum(candidate.end - candidate.start for candidate in candidates)


def _leaves_written_letters(line: str, candidates: list[Candidate]) -> bool:
    """Does a legacy reading leave a word with non-ASCII letters as it is (Sprüher beside
    the Äääähm that cp949 read as latin-1 would make 콴狎hm)?

    A legacy code page decoded the whole file, so on a line it damaged every non-ASCII
    character is its output, and the right reading reads them all; a word with such
    letters that the reading does not touch is the writer's (the line is no such damage),
    or shows that the reading is the wrong one (a cp1251 reading of KOI8-R that leaves
    words it cannot make better).
    """
    spans = [(candidate.start, candidate.end) for candidate in candidates]
    for word in _WORD.finditer(line):
        if word.group().isascii():
            continue
        start, end = word.span()
        if not any(start < span_end and span_start < end for span_start, span_end in spans):
            return True
    return False


def _only_weak_pairs(candidates: list[Candidate]) -> bool:
    """Is every character of a double-byte legacy reading made of a doubled byte or of a
    high byte and an ASCII one (Finnish SÄÄNNLAUS: ÄÄ as one Hangul syllable through
    cp949; Norwegian Førre: ør as 鴕 through GBK)?

    Such pairs are what Latin text makes of its own letters (doubled vowels, an accented
    letter before a plain one); text in the codec also has other characters (你 is C4 E3,
    ア is 83 41), and a reading without any proves nothing.
    """
    for candidate in candidates:
        for char in candidate.fixed:
            pair = char.encode(candidate.layer.encoded, "ignore")
            if len(pair) == 2 and pair[0] != pair[1] and not _letter_then_ascii(pair):
                return False
    return True


def _letter_then_ascii(pair: bytes) -> bool:
    """Is ``pair`` a Latin-1 letter's byte (À-ÿ) and an ASCII letter (ør)? (Shift_JIS
    katakana, 83 41 for ア, lead with a byte that is no Latin letter.)"""
    return pair[0] >= 0xC0 and chr(pair[1]).isascii() and chr(pair[1]).isalpha()


def _covers_all_high(line: str, candidates: list[Candidate]) -> bool:
    covered = sum(candidate.end - candidate.start for candidate in candidates)
    return bool(candidates) and covered >= _count_high(line)


# What a valid decode through a multi-byte encoding weighs against a single-byte one.
DOUBLE_BYTE_WEIGHT = 2


def _evidence_weight(layer: Layer) -> int:
    """How much a reading under ``layer`` proves by decoding at all.

    Any bytes decode under a single-byte codec, so a Greek or Cyrillic reading of legacy
    text proves nothing beyond its cost; a valid double-byte (GBK, Big5, Shift_JIS, EUC-KR)
    or UTF-8 decode of a whole segment is itself unlikely by chance.
    """
    if layer.utf8 or layer.encoded_double_byte:
        return DOUBLE_BYTE_WEIGHT
    return 1


# Opening marks and the marks that close them later in a sentence (German and Danish
# quote »so«).
_PAIRED_MARKS = {
    "¿": "?",
    "¡": "!",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
    "„": "“",
    "‚": "‘",
    "“": "”",
    "‘": "’",
}


def _opens_a_pair(line: str, candidate: Candidate) -> bool:
    """Does the repair start with an opening mark whose partner closes later on the line
    (┬┐que diferencia hay? -> ¿que diferencia hay?)? A pair that only the repair
    completes is evidence no single character can fake."""
    closing = _PAIRED_MARKS.get(candidate.fixed[:1])
    return closing is not None and closing in line[candidate.end :]


# Letters a reading must make, all of one script, for _spells_another_script.
MIN_SCRIPT_WORD = 3


def _spells_another_script(line: str, candidate: Candidate) -> bool:
    """Does the reading turn a whole run of damage into a word of one script that the run
    itself does not use (аІ…аІ®аІѕ -> ಅಮಾ: Kannada UTF-8 read as cp1251; Þ‡Þ¦Þ‹Þ¨ -> އަދި:
    Thaana read as cp1252)?

    ftfy's badness weighs neither: the damage is letters of one script with symbols
    between them, no script switch inside a word. But each letter of the reading is a
    whole multi-byte sequence split over two or three damaged characters, and clean
    text does not spell three or more of those in a row, in one script, by chance.
    """
    if not candidate.whole_run:
        return False
    scripts = {script_of(char) for char in candidate.fixed}
    if len(scripts) != 1:
        return False
    (script,) = scripts
    if script in (NO_SCRIPT, LATIN, HAN):
        return False
    letters = sum(char.isalpha() for char in candidate.fixed)
    damaged = line[candidate.start : candidate.end]
    return letters >= MIN_SCRIPT_WORD and all(script_of(char) != script for char in damaged)


def _switches_script_in_word(text: str) -> bool:
    """Do two letters of different scripts meet inside one word (``NГ©h``)? Symbols do
    not end a word here; spaces and ASCII punctuation do."""
    previous = NO_SCRIPT
    for char in text:
        if char.isalpha():
            script = script_of(char)
            if previous and script != previous:
                return True
            previous = script
        elif char.isspace() or char.isascii():
            previous = NO_SCRIPT
    return False


# Up to this many layers tried on a line, best_layer_edits looks for their trigger heads
# in the line itself rather than in a set of its characters (the same answer either way).
FEW_LAYERS = 4


def best_layer_edits(
    line: str,
    layers: tuple[Layer, ...] = LAYERS,
    *,
    ftfy_fixed: bool = False,
    proven: frozenset[str] = frozenset(),
    whole_line_legacy: bool = False,
    judged: Judgements | None = None,
) -> tuple[list[Edit], int]:
    """The repairs of the layer that improves the line most, and their gain.

    For the codecs ftfy knows, ftfy decides: its repair wins when it makes one
    (``ftfy_fixed``). When it declines, a layer may overrule it only where the damage
    switches script inside a word (NГ©hГЎny: UTF-8 read as cp1251), the one sign ftfy's
    badness does not weigh; never on a marginal gain (HÅØYA, DrÃ¥ber). A layer already
    ``proven`` on this line (ftfy repaired some of its words) may finish the rest.
    ``whole_line_legacy`` keeps only legacy readings of all the line's non-ASCII text: after
    a first repair, a legacy reading of the fragments left over is a coincidence.
    """
    judged = judged or Judgements()
    best: list[Candidate] = []
    best_score = 0
    best_gain = 0
    high = -1
    # The line's characters, asked whether they hold any of a layer's trigger heads: the
    # line itself where few layers ask (the test stops at the first head, which a line a
    # trigger selected holds near its start, where hashing every character of a long CJK
    # line into a set costs more than the layer's candidates), a set of it where many do
    # (a later round tries every layer with structural evidence, most without any head).
    chars: str | frozenset[str] = line if len(layers) <= FEW_LAYERS else frozenset(line)
    read: set[Layer] = set()  # the layers whose candidates were made on this line
    without_high_pair: bool | None = None  # asked once, when a layer needs the answer
    for layer in layers:
        # UTF-8 layers come first; once one explains most of the line, a legacy reading
        # of the whole line cannot be the better account of it.
        if not layer.utf8 and best and best[0].layer.utf8:
            if high < 0:
                high = _count_high(line)
            if _explained(best) >= UTF8_EXPLAINS_LINE * high:
                break
        if layer.ftfy_covers and ftfy_fixed and layer.name not in proven:
            continue
        if layer.shadowed_codec == "latin_1" and not _C1_CP1252_DEFINES.search(line):
            continue
        # A line without any character a trigger match starts with has no candidate
        # (what layer_candidates would find), and the trigger need not be compiled.
        if layer.trigger_heads.isdisjoint(chars):
            continue
        # Nor can a line without two non-ASCII characters close together match a trigger
        # that needs such a pair (every single-byte reading does): a line repaired once
        # (India’s, Café, a spaced dash) is asked of every layer with structural evidence
        # on its next round, and one search answers for twenty of them.
        if layer.trigger_needs_high_pair:
            if without_high_pair is None:
                without_high_pair = HIGH_PAIR.search(line) is None
            if without_high_pair:
                continue
        # GB18030 reads a line that GBK writes whole exactly as GBK does; the same
        # candidates, tried second, would lose the tie (earlier layers win it).
        twin = narrower_twin(layer)
        if (
            twin in read
            and (twin.name in proven) == (layer.name in proven)
            and writes_all_high(twin, chars)
        ):
            continue
        read.add(layer)
        beside_ftfy = ftfy_fixed and _beside_ftfy(layer)
        if beside_ftfy and _ftfy_reads_all_alike(chars, layer):
            # Every candidate would go to ftfy below (see _not_read_alike_by_ftfy): none
            # is made. English punctuation read through cp1252 (â€™) is cp1256's too.
            continue
        candidates = layer_candidates(line, layer, proven=layer.name in proven, judged=judged)
        if not candidates:
            # No candidate, no gain: a score of 0 neither beats best_score (never below 0)
            # nor counts as a better reading, so best stays as it is; the checks below
            # would only filter an empty list (most layers tried on a line find nothing).
            continue
        if whole_line_legacy and not layer.utf8 and not _covers_all_high(line, candidates):
            continue
        if not layer.utf8 and _leaves_written_letters(line, candidates):
            continue
        if beside_ftfy:
            candidates = _not_read_alike_by_ftfy(line, layer, candidates)
            if not candidates:
                continue
        if layer.encoded_double_byte and not layer.utf8 and _only_weak_pairs(candidates):
            continue
        ftfys = _ftfys_to_judge(line, layer, candidates, ftfy_fixed=ftfy_fixed)
        if (
            ftfys
            and layer.name not in proven
            and not marked_matches(line, layer)
            and not _clears_what_ftfy_could_not(line, layer, candidates, ftfy_fixed=ftfy_fixed)
            and not (layer.single_byte and _the_whole_line_utf8_reading(line, layer.codec))
        ):
            # (A byte this layer lost on the same line, Ă� next to AmĂ©rica, is evidence
            # enough; otherwise only script switches inside words, pairs of marks and
            # the listed words a reading completes overrule ftfy.)
            structural = [
                candidate
                for candidate in ftfys
                if _switches_script_in_word(line[max(0, candidate.start - 1) : candidate.end + 1])
                or _opens_a_pair(line, candidate)
                or candidate.beneath
                or _spells_another_script(line, candidate)
            ]
            if len(structural) < len(ftfys):
                structural += _listed_word_readings(line, ftfys)
            if len(structural) < len(ftfys):
                others = [c for c in candidates if c in structural or c not in ftfys]
                lone = [
                    c for c in ftfys if _lone_foreign_word(line, layer, c, line[c.start : c.end])
                ]
                structural += _lone_words_standing(line, layer, lone, others)
            candidates = [c for c in candidates if c in structural or c not in ftfys]
        gain = sum(candidate.gain for candidate in candidates)
        score = gain * _evidence_weight(layer)
        if (
            layer.typical_letters_prove
            and layer.expect
            and typical_letters("".join(candidate.fixed for candidate in candidates), layer.expect)
        ):
            # A single-byte reading spelled in its alphabet's frequent letters weighs as a
            # double-byte decode (see Layer.typical_letters_prove).
            score = DOUBLE_BYTE_WEIGHT * gain
        if not layer.utf8 and _high_chars(line, candidates) < MIN_DOUBLE_BYTE_EVIDENCE:
            # GBK decodes almost any pair of high bytes: a short valid decode proves little.
            # Only the non-ASCII characters count: a legacy segment spans the whole line,
            # and the ASCII markup around one damaged word (sub=Òåìà</link>) is read the
            # same by every codec, so it proves nothing about this one.
            score = gain
        if (score > 0 and _better_reading(line, candidates, best)) or (
            score > best_score and not _better_reading(line, best, candidates)
        ):
            best, best_score, best_gain = candidates, score, gain
    return [candidate.edit() for candidate in best], best_gain


def _clears_what_ftfy_could_not(
    line: str, layer: Layer, candidates: list[Candidate], *, ftfy_fixed: bool
) -> bool:
    """Did ftfy find ``line`` bad without being able to read it through any of its code
    pages, where the readings of ``layer`` (not one of ftfy's) leave nothing ftfy finds bad?

    Why: where ftfy repairs nothing, its silence is a verdict only if it could have read
    the line. UTF-8 read as cp850 (a Windows console) writes box drawing that ftfy's
    badness sees (``Za┼╝├│┼é─ç``), but ftfy reads DOS text only through cp437, and one
    character cp437 lacks (the ø of ``g─Ö┼øl─à``) leaves the line unreadable to ftfy; in
    ``Òü»Òéï`` (はるか) every character is cp1252's too, but its bytes there are no UTF-8.
    ftfy's decline was then no judgement, and the layer's reading, which explains every
    bad stretch, stands. A line one of ftfy's code pages writes whole, and reads where
    the layer does (``Bremer/Mccoy – DrÃ¥ber``: cp1252 or Mac Roman, ftfy's own test of
    an inconsistent line), stays ftfy's to decide.

    Where ftfy's badness sees nothing, readings into punctuation marks alone still stand:
    cp850 writes English quotes and dashes as letters and signs (``ÔÇ£are``, ``ÔÇö``),
    which ftfy's badness takes for text. Not a reading into a symbol or a letter (Uzbek
    cp1251 ``Ôîé`` is ⌂ through cp850): a line of letters is judged by ftfy's badness."""
    if ftfy_fixed or layer.ftfy_covers:
        return False
    if not all(_is_punctuation_mark(candidate.fixed) for candidate in candidates) and not is_bad(
        line
    ):
        return False
    spans = [line[candidate.start : candidate.end] for candidate in candidates]
    if any(
        encodes(line, codec) and all(_utf8_through(span, codec) for span in spans)
        for codec in FTFY_READING_CODECS
    ):
        return False
    return not is_bad(_apply_plain(line, [candidate.edit() for candidate in candidates]))


def _utf8_through(text: str, codec: str) -> bool:
    """Are the bytes of ``text`` through ``codec`` UTF-8 of assigned characters?"""
    return _utf8_reading(text, codec) is not None


def _utf8_reading(text: str, codec: str) -> str | None:
    """The bytes of ``text`` through ``codec`` read as UTF-8, or None where they are no
    UTF-8 of assigned characters. (A private-use or unassigned character is no reading
    ftfy would make: ``ÔÇ£``, “ read through cp850, is EF 82 A3 in Mac Roman, U+F0A3.)"""
    try:
        decoded = text.encode(codec).decode("utf-8")
    except UnicodeError:
        return None
    if any(unicodedata.category(char) in _NO_READING_CATEGORIES for char in decoded):
        return None
    return decoded


# Unicode categories of characters no reading makes: private use, unassigned, surrogates.
_NO_READING_CATEGORIES = frozenset({"Co", "Cn", "Cs"})


def _ftfys_to_judge(
    line: str, layer: Layer, candidates: list[Candidate], *, ftfy_fixed: bool
) -> list[Candidate]:
    """The candidates that are ftfy's to judge: all of a layer ftfy reads itself; where
    ftfy declined the line, all of a layer that shadows one of ftfy's (see
    Layer.shadowed_codec), and those of any other single-byte UTF-8 layer whose damaged
    text a code page of ftfy's reads alike (box drawing is the same in cp437 and cp866:
    ├┤ is C3 B4, ô, through both, and ftfy declines that line art)."""
    if layer.ftfy_covers:
        return candidates
    if ftfy_fixed or not layer.utf8 or not layer.single_byte:
        return []
    if layer.shadowed_codec:
        return candidates
    return [c for c in candidates if _ftfy_reads_alike(line[c.start : c.end], layer.codec)]


@cache
def _beside_ftfy(layer: Layer) -> bool:
    """Is ``layer`` a single-byte UTF-8 layer that neither reads through a code page of
    ftfy's, nor shadows one (Layer.shadowed_codec), nor reads ftfy's readings again (a
    sibling, see layers.Sibling)? (Asked on first use: the repertoires it compares are
    built lazily.)"""
    return (
        layer.utf8
        and layer.single_byte
        and not layer.ftfy_covers
        and not layer.shadowed_codec
        and not any(sibling.layer is layer for sibling in _SIBLING_OF_KINDS)
    )


def _not_read_alike_by_ftfy(
    line: str, layer: Layer, candidates: list[Candidate]
) -> list[Candidate]:
    """The candidates of a layer beside ftfy's (see _beside_ftfy), on a line ftfy
    repaired, whose damaged text no code page of ftfy's reads alike.

    Why: cp1256 writes French letters (è é à) on the bytes cp1252 does, so a line of UTF-8
    read through GBK and then through cp1252 (dæžšntèŒ…s) is read by both alike where
    those letters are, and by cp1256 nowhere else (it has no æ, ž or š). Such readings
    are ftfy's, which reads the rest of the line too; counted as the layer's, they would
    outweigh ftfy's whole reading with half of it."""
    return [
        candidate
        for candidate in candidates
        if not _ftfy_reads_alike(line[candidate.start : candidate.end], layer.codec)
    ]


def _ftfy_reads_all_alike(chars: str | frozenset[str], layer: Layer) -> bool:
    """Does one code page ftfy reads write every character of ``chars`` that the
    single-byte ``layer``'s code page writes, on the byte that code page does?

    Then every span of them that the layer can have read comes back the same from that
    code page (both read one byte as one character), so _ftfy_reads_alike holds for each
    reading of the line: a layer beside ftfy need not make them to see all go to ftfy.
    The readings are the costly part (a line of English punctuation read through cp1252
    is read through cp1256 alike, mark by mark), the test one set operation per code page.
    """
    return any(unlike.isdisjoint(chars) for unlike in _written_unlike_ftfy(layer))


@cache
def _written_unlike_ftfy(layer: Layer) -> tuple[frozenset[str], ...]:
    """For each code page ftfy reads, the characters the single-byte ``layer``'s code page
    writes (Layer.repertoire: ASCII, written alike by all, aside) that that code page does
    not write on the same byte, or at all."""
    unlike = []
    for other in FTFY_READING_CODECS:
        differs: set[str] = set()
        for char, raw in layer.repertoire.items():
            try:
                same = char.encode(other) == raw
            except UnicodeEncodeError:
                same = False
            if not same:
                differs.add(char)
        unlike.append(frozenset(differs))
    return tuple(unlike)


@lru_cache(maxsize=4096)
def _ftfy_reads_alike(damaged: str, codec: str) -> bool:
    """Do the bytes of ``damaged`` under ``codec`` come back the same from one of the code
    pages ftfy reads?"""
    raw = damaged.encode(codec)
    for other in FTFY_READING_CODECS:
        try:
            if damaged.encode(other) == raw:
                return True
        except UnicodeEncodeError:
            continue
    return False


# The C1 controls on bytes that cp1252 reads as characters (€ ‚ ƒ „ … ’ “ ” – — ™): text
# that holds one was read through Latin-1 or ISO-8859-15, not cp1252. A layer that
# shadows Latin-1 (see Layer.shadowed_codec) reads its few own bytes only on such a line:
# ÅŸ or å\x9dŠ are cp1252's far more often (ş, 坊), and the two readings are otherwise
# equally valid UTF-8.
_C1_CP1252_DEFINES = re.compile("[\x80\x82-\x8c\x8e\x91-\x9c\x9e\x9f]")


def _better_reading(line: str, candidates: list[Candidate], other: list[Candidate]) -> bool:
    """Is ``candidates`` the better account of the same legacy bytes than ``other``, by
    structure rather than cost? Two readings into the same encoding (GBK read as cp1252
    and as latin-1) differ only in the code page the text was read with; the one that
    explains every non-ASCII character of the line is right, since the other's leftovers
    (› in 我也›]有, cp1252's 0x9B) are characters its code page cannot have produced.
    Two readings through code pages of the text's own script (see Layer.same_script) are
    told apart by the words they spell (see _spells_listed_words), and so are two readings
    into different alphabets, where most words of one are listed and none of the other
    (KOI8-R read as cp1252, ÐÕÓÔÏÊ: пустой through KOI8-R, ΠΥΣΤΟΚ through cp1253)."""
    if not candidates or not other:
        return False
    mine, theirs = candidates[0].layer, other[0].layer
    if mine.utf8 or theirs.utf8:
        return False
    if (
        mine.same_script
        and theirs.same_script
        and _spells_listed_words(candidates)
        and not _spells_listed_words(other)
    ):
        return True
    if (
        mine.expect in WORD_LISTED_ALPHABETS
        and theirs.expect in WORD_LISTED_ALPHABETS
        and mine.expect != theirs.expect
        and _listed_share(candidates) > CROSS_SCRIPT_LISTED_SHARE
        and not _spells_listed_words(other)
    ):
        return True
    explained = _high_chars(line, candidates)
    return mine.encoded == theirs.encoded and _high_chars(line, other) < explained == (
        _count_high(line)
    )


# The expected scripts of legacy layers written in words between spaces, which the word
# lists judge (see _better_reading), and the share of a reading's words that must be
# listed for it to beat a reading into another of them that spells none.
WORD_LISTED_ALPHABETS = frozenset({"cyrillic", "greek", "hebrew", "arabic", "latin"})
CROSS_SCRIPT_LISTED_SHARE = 0.5


def _listed_share(candidates: list[Candidate]) -> float:
    """The share of the words the readings rewrite that some list of their script knows
    (0 without the word lists or without such words)."""
    words = _rewritten_words(candidates)
    if not words:
        return 0.0
    return (known_in_script(" ".join(words)) or 0) / len(words)


def _rewritten_words(candidates: list[Candidate]) -> list[str]:
    """The words the readings write (see _changed_words)."""
    return [word for candidate in candidates for word in _changed_words(candidate.fixed)]


def _spells_listed_words(candidates: list[Candidate]) -> bool:
    """Do the readings spell a word some list of their script knows?

    Two code pages of one script that swap case both ways (KOI8-R and cp1251) read the
    same text as two words of swapped case (жБКМ: Файл through KOI8-R, Цвлн through
    cp1251), whose letters alone do not tell which is the language. The lists do (see
    _better_reading); without them this is False for both, and the gain decides."""
    words = _rewritten_words(candidates)
    return bool(words) and bool(known_in_script(" ".join(words)))


def _non_ascii(text: str) -> str:
    """The non-ASCII characters of ``text``, in order: the per-character tests of the
    judgements then run in C over what is left (map, filter) instead of in Python over
    every character."""
    return _ASCII_RUN.sub("", text) if not text.isascii() else ""


# ASCII letters: the characters both isascii() and isalpha().
_ASCII_LETTER = re.compile("[A-Za-z]")


def _count_high(text: str) -> int:
    """How many characters of ``text`` are not ASCII (the ASCII encoder drops exactly
    those, in C)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _high_chars(line: str, candidates: list[Candidate]) -> int:
    """Non-ASCII characters of ``line`` inside the candidates' spans."""
    return sum(_count_high(line[c.start : c.end]) for c in candidates)


def _gain(text: str, edits: list[Edit], judged: Judgements) -> int:
    return judged.cost(text) - judged.cost(_apply_plain(text, edits)) if edits else 0


def _apply_plain(text: str, edits: list[Edit]) -> str:
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


_DOUBLE_BYTE_UTF8_LAYERS = tuple(layer for layer in LAYERS if layer.utf8 and not layer.single_byte)
_WORD_JUDGED_LAYERS = tuple(layer for layer in LAYERS if layer.judged_by_words)
_LAYERS_WITH_EVIDENCE = tuple(layer for layer in LAYERS if _evidence_weight(layer) > 1)


def _lossless_passes(
    tracked: TrackedLine,
    layers: tuple[Layer, ...],
    *,
    ftfy_may_help: bool = True,
    judged: Judgements | None = None,
) -> set[str]:
    """Passes 1-3 on one line; returns the names of the layers that repaired something.

    In each round ftfy's reading and the best layer's reading compete on the whole line
    (a fragment that ftfy "fixes" can hide a GBK line read as cp1252). The first round
    tries the layers the document screen found; once the text has changed, later rounds
    (a second layer of damage) try them all.
    """
    judged = judged or Judgements()
    used: set[str] = set()
    tracked.apply(control_edits(tracked.text))
    if len(tracked.text) > MAX_LINE_FOR_LAYERS:
        tracked.apply(ftfy_edits(tracked.text))
        return used
    screened = True
    for _ in range(MAX_LAYERS):
        text = tracked.text
        # The document screen knows when ftfy can have nothing to do; after a first
        # repair the text is new and ftfy is asked again.
        from_ftfy = ftfy_edits(text) if ftfy_may_help or not screened else []
        from_ftfy = _sibling_rereadings(text, from_ftfy, judged)
        # After a first repair only readings with structural evidence may follow: legacy
        # damage is always the innermost layer, and a single-byte legacy reading of what a
        # UTF-8 repair left over (ه¾ from å¾) is a coincidence.
        candidates = layers if screened else _LAYERS_WITH_EVIDENCE
        # ftfy reads the line another way ($Ì¶6Ì¶3Ì¶ as combining strokes): when that
        # reading is convincing, a legacy one may compete only where damage dominates, and
        # not even there when the whole line's bytes are UTF-8 (see _whole_line_utf8).
        # (What ftfy leaves at a lost byte is the inference pass's, see _without_lost_runs.)
        convincing = bool(from_ftfy) and not is_bad(
            _without_lost_runs(_apply_plain(text, from_ftfy))
        )
        if convincing and (
            _whole_line_utf8(text)
            or (not _damage_dominates(text) and not _fragmentary(text, from_ftfy))
        ):
            candidates = tuple(layer for layer in candidates if layer.utf8)
        from_layers, layer_gain = best_layer_edits(
            text,
            candidates,
            ftfy_fixed=bool(from_ftfy),
            proven=frozenset(used),
            whole_line_legacy=not screened,
            judged=judged,
        )
        screened = False
        if from_layers and _layer_reading_wins(text, from_layers, layer_gain, from_ftfy, judged):
            used.add(from_layers[0].kind)
            tracked.apply(from_layers)
            if not from_layers[0].kind.startswith("utf-8"):
                break  # legacy damage is the innermost layer: nothing lies beneath it
        elif from_ftfy:
            used.update(edit.kind for edit in from_ftfy)
            tracked.apply(from_ftfy)
        else:
            break
    return used


def _layer_reading_wins(
    text: str, from_layer: list[Edit], layer_gain: int, from_ftfy: list[Edit], judged: Judgements
) -> bool:
    """Does the best layer's reading of ``text`` (gaining ``layer_gain``) stand against
    ftfy's? It must gain at least as much; a layer that shadows one of ftfy's code pages
    must also read something ftfy does not (_shadowing_reading_of_ftfys), and a tie goes
    to the reading with more listed words (_ftfy_reads_more_words)."""
    ftfy_gain = _gain(text, from_ftfy, judged)
    return (
        layer_gain >= ftfy_gain
        and not _shadowing_reading_of_ftfys(text, from_layer, from_ftfy)
        and not (layer_gain == ftfy_gain and _ftfy_reads_more_words(text, from_layer, from_ftfy))
    )


# The layers whose code page shadows one of ftfy's (see Layer.shadowed_codec), by name.
_SHADOWING_LAYERS = {layer.name: layer for layer in LAYERS if layer.shadowed_codec}


def _shadowing_reading_of_ftfys(text: str, from_layer: list[Edit], from_ftfy: list[Edit]) -> bool:
    """Are ``from_layer``, the readings of a layer whose code page shadows one of ftfy's
    (see Layer.shadowed_codec), all inside ftfy's readings ``from_ftfy`` of ``text``, and
    each read alike by one of ftfy's code pages?

    Why: such a layer reads most bytes as ftfy's code page does, and where ftfy read a
    whole span, the layer's reading of a part of it adds nothing. Its gain, made of the
    spans it reads alone, can still beat ftfy's, whose other spans (a Greek capital and a
    sign, ``ΠΆ`` for Т) cost nearly what they gain: ISO-8859-7 read the ``Π\x9fΠ\x9a`` (ПК)
    of ``ΠΆΠ’/Π\x9fΠ\x9a``, on a byte cp1253 leaves undefined, left the rest, and then
    claimed the document, whose other lines it read where cp1253 was right.
    """
    if not from_ftfy:
        return False
    layer = _SHADOWING_LAYERS.get(from_layer[0].kind)
    if layer is None:
        return False
    return all(
        any(theirs.start <= edit.start and edit.end <= theirs.end for theirs in from_ftfy)
        and _ftfy_reads_alike(text[edit.start : edit.end], layer.codec)
        for edit in from_layer
    )


def _ftfy_reads_more_words(text: str, from_layer: list[Edit], from_ftfy: list[Edit]) -> bool:
    """On a tie between a layer that shadows one of ftfy's code pages and ftfy, does
    ftfy's reading of ``text`` leave more words the small lists know?

    Why: both read most bytes alike, and where each reads a span its own way at the same
    gain (ISO-8859-7 reads ``Ε΅olstvu`` as ``ŵolstvu``, cp1253 as ``šolstvu``), the single
    letters weigh the same and the line's words decide; with the words alike, or without
    the lists, the tie stays the layer's (cp850's ``Už`` beside cp437's ``Uŝ``)."""
    if not from_ftfy or from_layer[0].kind not in _SHADOWING_LAYERS:
        return False
    by_ftfy, _ = known_tokens(_apply_plain(text, from_ftfy))
    by_layer, _ = known_tokens(_apply_plain(text, from_layer))
    return by_ftfy > by_layer


# ftfy's single-byte UTF-8 readings by finding kind, with the layers that may read the
# same spans through a sibling code page (see layers.Sibling).
_SIBLINGS = {layer.name: siblings_of(layer) for layer in LAYERS if siblings_of(layer)}
# Each sibling, with the kinds of ftfy's readings it may read again.
_SIBLING_OF_KINDS: dict[Sibling, frozenset[str]] = {
    sibling: frozenset(name for name, found in _SIBLINGS.items() if sibling in found)
    for found in _SIBLINGS.values()
    for sibling in found
}


def _document_siblings(repaired_by: Counter[str]) -> list[tuple[Sibling, frozenset[str]]]:
    """The siblings (see layers.Sibling) that read some line of the document, with the
    kinds of ftfy's readings they may read again."""
    return [
        (sibling, kinds)
        for sibling, kinds in _SIBLING_OF_KINDS.items()
        if repaired_by[sibling.layer.name] and any(repaired_by[kind] for kind in kinds)
    ]


# The stretch of non-space characters an edit sits in: its word, for weighing readings.
_NON_SPACE_BEFORE = re.compile(r"\S*\Z")
_NON_SPACE_AFTER = re.compile(r"\S*")
_WORD_WINDOW = 40  # characters of the word either side of an edit that are weighed


def _sibling_rereadings(text: str, edits: list[Edit], judged: Judgements) -> list[Edit]:
    """ftfy's readings, each read again through a sibling code page where that reads
    better.

    ftfy does not know ISO-8859-15 (Latin-9), which shows UTF-8 as Latin-1 does but for
    8 bytes, whose characters (€ Š š Ž ž Œ œ Ÿ) cp1252 writes too, on other bytes. ftfy
    reads them as cp1252's: ``ministÃšre`` becomes ``ministÚre`` (C3 9A), where Latin-9's
    bytes give ``ministère`` (C3 A8); ``×š`` becomes a final ך inside a Hebrew word
    instead of ר. The damaged span of each such edit is read through the sibling, and the
    reading, where it is UTF-8, is taken:
    - on a line that holds a character ftfy's code page cannot have written and the
      sibling's can (a C1 control such as the \x80 of ``Ð\x80``: the line was read
      through Latin-9, not cp1252), whatever it costs: the costs weigh single letters,
      and a rare letter (Ѐ in ``Ѐайл``) can cost less than the right one;
    - elsewhere, where ftfy's word shows more of the shapes only a misreading leaves
      (see _misread_shapes: ``ministÚre``, ``вжОк``, ``בעבךית``) and the sibling's costs
      no more (charclass.text_cost). Anything else stays ftfy's, cp1252 being the far
      more common damage: ``Ãœber`` is Über, not ýber, ``Ãšltimo`` Último, not èltimo,
      and ``ÐšÐŸ`` the abbreviation КП, not Шо, whatever the costs of single letters
      say. (So an Italian ``è`` standing alone stays ``Ú``.) Readings into Han or kana
      are not weighed so: UTF-8 read through GBK and then through cp1252 (’s as 鈥檚 as
      éˆ¥æªš) is read by ftfy into the middle layer, CJK text that is itself mojibake;
      ftfy's reading, read again through GBK, makes the line.
    """
    if not edits:
        return edits
    rereadings = []
    shown: dict[Sibling, bool] = {}  # does the line hold a character only the sibling writes
    for edit in edits:
        damaged = text[edit.start : edit.end]
        for sibling in _siblings_for(edit, damaged):
            reading = _sibling_reading(damaged, sibling)
            if reading is None or reading == edit.replacement:
                continue
            if sibling not in shown:
                shown[sibling] = not sibling.only_sibling.isdisjoint(text)
            if not shown[sibling] and (
                not _word_letters_in(reading, edit.replacement)
                or _sibling_verdict(text, edit.start, edit.end, edit.replacement, reading, judged)
                <= 0
            ):
                continue
            edit = replace(edit, replacement=reading, kind=sibling.layer.name)
            break
        rereadings.append(edit)
    return rereadings


# The kind of the readings of ftfy's step that reads stretches of a line (see ftfy_edits).
_STRETCH_KIND = FTFY_STEP_DAMAGE["decode_inconsistent_utf8"]


def _siblings_for(edit: Edit, damaged: str) -> tuple[Sibling, ...]:
    """The siblings that may read ftfy's reading ``edit`` of ``damaged`` again: those of
    its kind's code page, and, for a reading named as ftfy's stretch step's that no
    Western code page makes, those of the code page that made it (see
    ftfyfix.reading_code_page).

    Why: that step (taken where a lost byte keeps the line from decoding whole) names no
    code page, and its readings go by cp1252's name; but it reads a stretch through the
    first of ftfy's code pages that decodes it, cp1250 for Estonian read as cp1257 (``Ć¤``
    as Ƥ, C6 A4, where cp1257's sibling reading is ä, C3 A4). cp1252's own siblings come
    first: the line around is most often read as cp1252's (Latin-9's ∨, E2 88 A8, whose
    ``â\x88š`` cp1252 cannot write, is read through cp1250 as √)."""
    siblings = _SIBLINGS.get(edit.kind, ())
    if edit.kind != _STRETCH_KIND:
        return siblings
    code_page = reading_code_page(damaged, edit.replacement)
    if code_page is None:
        return siblings
    theirs = _SIBLINGS.get(damage_name("utf-8", code_page), ())
    return siblings + tuple(sibling for sibling in theirs if sibling not in siblings)


def _word_letters_in(sibling: str, ftfys: str) -> bool:
    """Do the two readings of a span hold letters of alphabets, the only readings that
    words weigh (see _sibling_verdict)? Not where both are punctuation or symbols (“ read
    through Latin-9 is ⤽: neither leaves a misread shape, and a symbol costs no more than
    a quotation mark), nor where either is Han or kana (see _sibling_rereadings)."""
    both = sibling + ftfys
    return _WORD.search(both) is not None and not _has_cjk(both)


def _sibling_reading(damaged: str, sibling: Sibling) -> str | None:
    """``damaged`` read as UTF-8 through the ``sibling`` code page; None where it holds
    none of the characters the sibling moves, or does not read so. (The two set tests
    turn down most spans before any encoding: ’ read through cp1252, â€™, holds the €
    Latin-9 moves and the ™ it does not write.)"""
    if sibling.moved.isdisjoint(damaged) or not sibling.only_ftfys.isdisjoint(damaged):
        return None
    try:
        return damaged.encode(sibling.layer.codec).decode("utf-8")
    except UnicodeError:
        return None


def _sibling_verdict(
    text: str, start: int, end: int, ftfys: str, siblings: str, judged: Judgements
) -> int:
    """Which reading of ``text[start:end]`` its word (the non-space stretch around it)
    takes: 1 the sibling's, -1 ftfy's, 0 neither. A reading is the word's where the other
    leaves more misread shapes (see _misread_shapes) and it costs no more."""
    before = _NON_SPACE_BEFORE.search(text, max(0, start - _WORD_WINDOW), start)
    after = _NON_SPACE_AFTER.match(text, end, end + _WORD_WINDOW)
    head = before.group() if before else ""
    tail = after.group() if after else ""
    theirs, ours = head + ftfys + tail, head + siblings + tail
    # (The shapes first: most readings, ’ or “ read through Latin-9 as an arrow, leave
    # none either way, and then the costs are never asked.)
    shapes = _misread_shapes(theirs) - _misread_shapes(ours)
    if shapes > 0 and judged.cost(ours) <= judged.cost(theirs):
        return 1
    if shapes < 0 and judged.cost(theirs) <= judged.cost(ours):
        return -1
    return 0


def _misread_shapes(word: str) -> int:
    """Shapes that a code page one byte off leaves in a word and writing does not: a
    capital after a small letter (``ministÚre``, ``вжОк``), a letter after one that only
    ends a word (``בעבךית``), and a code point no character has."""
    shapes = sum(
        (char.isupper() and previous.islower()) or (previous in WORD_FINAL and char.isalpha())
        for previous, char in pairwise(word)
    )
    return shapes + sum(unicodedata.category(char) == "Cn" for char in word)


def _follow_sibling_reading(
    sibling: Sibling, ftfy_kinds: frozenset[str], work: dict[int, TrackedLine], judged: Judgements
) -> None:
    """Read the rest of the document through the ``sibling`` code page its other lines
    were read through (see _sibling_rereadings), where ftfy's reading and the sibling's
    were too close to call on their own line: ``ÃŸ`` is ß in cp1252 and þ in Latin-9,
    and neither shows anything, so an Icelandic line of ``ÃŸangaÃ°`` is read as Latin-9
    once another line's ``bÃœr`` proved it (býr, not bÜr). One file went through one
    code page. Where a word takes ftfy's reading (see _sibling_verdict), the document is
    not all one code page, and nothing follows.
    """
    rebuilt: dict[int, TrackedLine] = {}
    for index, tracked in work.items():
        pieces = list(tracked.pieces)
        position = 0
        changed = False
        current = tracked.text
        for at, piece in enumerate(tracked.pieces):
            end = position + len(piece.text)
            if len(piece.kinds) == 1 and piece.kinds[0] in ftfy_kinds:
                reading = _sibling_reading(piece.original, sibling)
                if (
                    reading is not None
                    and reading != piece.text
                    and _word_letters_in(reading, piece.text)
                ):
                    if _sibling_verdict(current, position, end, piece.text, reading, judged) < 0:
                        return
                    pieces[at] = replace(piece, text=reading, kinds=(sibling.layer.name,))
                    changed = True
            position = end
        if changed:
            rebuilt[index] = TrackedLine.of_pieces(tuple(pieces))
    work.update(rebuilt)


def _without_lost_runs(text: str) -> str:
    """``text`` with each run of non-ASCII characters that holds a lost-byte mark made a
    space (â€\ufffd: the â€ of a ” whose last byte was lost, what is left of a character
    no lossless reading can restore). ftfy reads the rest of such a line and leaves those
    runs (the inference pass reads them), so its reading convinces or not by the rest:
    English read as cp1252 with every ” lost is still â€� after ftfy, and that is no sign
    of a legacy code page (a legacy segment with a mark is ruled out anyway, see
    _MARK_BY_HIGH). (Whole runs are matched and then tested, in linear time: a pattern
    that looks for the mark inside a run would try again from every character of a long
    run without one.)"""
    if "\ufffd" not in text:
        return text
    return _NON_ASCII_RUN.sub(lambda run: " " if "\ufffd" in run.group() else run.group(), text)


def _fall_back_to_ftfy(tracked: TrackedLine) -> TrackedLine:
    """A line that still looks damaged after every pass: ftfy's full fix of the original,
    which turns each sequence that stood for a lost character into one U+FFFD, is taken
    instead when ftfy's own badness measure prefers it (U+FFFD is "unnatural" by
    textmend's costs, yet one U+FFFD beats the two or three characters that hid it)."""
    original = tracked.original
    if "\ufffd" not in original and "?" not in original:
        return tracked
    fixed, explanation = fix_and_explain(original, lossy=True)
    if not explanation or badness(fixed) > badness(tracked.text):
        return tracked
    # ftfy's lossy decoding can read a letter and the line end as one overlong sequence
    # (À + LF -> NUL): a fallback that loses the line end or makes control characters
    # destroys text rather than revealing it.
    if original.endswith("\n") != fixed.endswith("\n") or len(_CONTROL.findall(fixed)) > len(
        _CONTROL.findall(original)
    ):
        return tracked
    spots = _ftfy_spots(tracked.text, fixed)
    if spots is not None:
        tracked.apply(spots)
        return tracked
    fallback = TrackedLine(original)
    fallback.apply(diff_edits(original, fixed, UNRECOVERABLE_KIND, 0.5))
    return fallback


def _ftfy_spots(ours: str, fixed: str) -> list[Edit] | None:
    """ftfy's reading taken spot by spot instead of for the whole line, where our line
    has letters the word lists decided at places ftfy left U+FFFD: taking ftfy's whole
    line would throw those away because some other spot stayed bad. The edits put ftfy's
    reading everywhere else the two lines differ; None where ours holds no such letter
    (then ftfy's line is taken whole, as it stands)."""
    if len(ours) * len(fixed) > MAX_DIFF_CELLS:
        return None
    from difflib import SequenceMatcher

    spots: list[Edit] = []
    kept = False
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ours, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1 and fixed[j1:j2] == "\ufffd" * (j2 - j1) and ours[i1:i2].isalpha():
            kept = True
            continue
        spots.append(Edit(i1, i2, fixed[j1:j2], UNRECOVERABLE_KIND, 0.5))
    return spots if kept else None


# --- the document screen and the whole repair -------------------------------------------


@dataclass(frozen=True, slots=True)
class Screen:
    """Which checks a document needs, decided once from the whole text.

    Most documents need none: the set of distinct characters and a few regex searches
    prove that no layer can apply, so clean text costs little more than reading it.
    """

    controls: bool
    marks: bool
    ftfy: bool
    nfc: bool
    apostrophes: bool
    layers: tuple[Layer, ...]
    marked_layers: tuple[Layer, ...]

    @property
    def anything(self) -> bool:
        return bool(
            self.controls
            or self.marks
            or self.ftfy
            or self.nfc
            or self.apostrophes
            or self.layers
            or self.marked_layers
        )

    def patterns(self) -> list[re.Pattern[str]]:
        """Patterns that select lines for checks other than the lossless layers and the
        marked layers (whose ``marked_trigger`` lines are found from the marks: see
        :func:`_select_lines`)."""
        patterns = []
        if self.ftfy:
            patterns.append(FTFY_START)
        if self.controls:
            patterns.append(_CONTROL)
        if self.marks:
            patterns.append(_MARKS)
        return patterns

    def line_checks(self, line: str) -> bool:
        return self.nfc and not unicodedata.is_normalized("NFC", line)


def screen(text: str) -> Screen:
    """Decide which checks ``text`` needs (see :class:`Screen`)."""
    marked = "?" in text or "\ufffd" in text
    apostrophes = marked and lost_punctuation_proven(text)
    if text.isascii():
        return Screen(_CONTROL.search(text) is not None, False, False, False, apostrophes, (), ())
    distinct, ascii_controls = _distinct_chars(text)
    screened = (
        [
            layer
            for layer in LAYERS
            if not distinct.isdisjoint(layer.start_chars)
            and (layer.screen_letters is None or not distinct.isdisjoint(layer.screen_letters))
        ]
        if not distinct.isdisjoint(_all_start_chars())
        else []
    )
    # (The shapes a layer's damage shows are looked for last, once: each search reads the
    # whole text.)
    unshown = {layer for layer in screened if not layer.shown_in(text, distinct)}
    candidates = [layer for layer in screened if layer not in unshown]
    candidates = _with_punctuation_lead_layers(text, distinct, candidates, unshown)
    # A marked match needs one of its layer's characters right before the mark.
    marks_after = _marks_by_previous_char(text) if marked else {}
    return Screen(
        controls=ascii_controls or not distinct.isdisjoint(_CONTROL_CHARS),
        marks=not distinct.isdisjoint(_MARK_CHARS),
        # Lines are judged by ftfy one by one (ftfy_edits): the whole-text badness regex
        # would cost more than it saves.
        ftfy=not distinct.isdisjoint(FTFY_START_CHARS),
        nfc=not unicodedata.is_normalized("NFC", text),
        apostrophes=apostrophes,
        layers=tuple(candidates),
        marked_layers=tuple(
            layer
            for layer in candidates
            if layer.utf8 and _has_marked_match(text, marks_after, layer)
        ),
    )


def _distinct_chars(text: str) -> tuple[frozenset[str], bool]:
    """The distinct characters the screen compares with its sets, and whether ``text``
    holds an ASCII control character (one of _CONTROL_CHARS).

    Hashing every character into a set is most of what the screen costs on a clean
    article, and in mostly-ASCII text nearly all of them are ASCII, which only the control
    check asks about. That check runs on the ASCII bytes (in C); the set is then built from
    the non-ASCII characters alone, which gives every set comparison the same answer as
    long as the sets it is compared with hold no ASCII (see _screen_sets_are_high).
    """
    ascii_bytes = text.encode("ascii", "ignore")
    ascii_controls = bool(ascii_bytes.translate(None, _PLAIN_ASCII_BYTES))
    if len(ascii_bytes) >= MOSTLY_ASCII * len(text) and _screen_sets_are_high():
        return frozenset(_ASCII_RUN.sub("", text)), ascii_controls
    return frozenset(text), ascii_controls


@cache
def _screen_sets_are_high() -> bool:
    """Do the character sets the screen compares a document with (other than the controls)
    hold non-ASCII characters only? Asked once, on the first screen of a non-ASCII
    document (the layers' sets are built lazily)."""
    sets = [
        _MARK_CHARS,
        FTFY_START_CHARS,
        *(layer.start_chars for layer in LAYERS),
        *(layer.punctuation_leads | layer.continuing_chars for layer in LAYERS),
    ]
    return all(_ASCII_SET.isdisjoint(chars) for chars in sets)


_ASCII_SET = frozenset(chr(code) for code in range(0x80))


@cache
def _punctuation_lead_layers() -> tuple[tuple[Layer, ...], frozenset[str]]:
    """The layers whose lead bytes include Western punctuation (see
    Layer.punctuation_lead), and those marks; built on first use, as the start characters
    are."""
    layers = tuple(layer for layer in LAYERS if layer.punctuation_leads)
    return layers, frozenset().union(*(layer.punctuation_leads for layer in layers))


def _with_punctuation_lead_layers(
    text: str, distinct: frozenset[str], chosen: list[Layer], unshown: set[Layer]
) -> list[Layer]:
    """``chosen`` and the layers whose punctuation lead (see Layer.punctuation_lead)
    ``text`` holds, in LAYERS' order (which decides ties). The text is searched only
    where its distinct characters hold both halves of the pair: clean English text is full
    of dashes and curly quotes, seldom of the accented letters of a continuation byte.
    A layer screened by its letters or by the shapes of its damage (``unshown``: those
    the text does not show) is added only where they let it through."""
    layers, marks = _punctuation_lead_layers()
    if distinct.isdisjoint(marks):
        return chosen
    found = [
        layer
        for layer in layers
        if layer not in chosen
        and not distinct.isdisjoint(layer.punctuation_leads)
        and not distinct.isdisjoint(layer.continuing_chars)
        and (layer.screen_letters is None or not distinct.isdisjoint(layer.screen_letters))
        and layer not in unshown
        and layer.shown_in(text, distinct)
        and layer.punctuation_lead.search(text)  # type: ignore[union-attr]
    ]
    if not found:
        return chosen
    return [layer for layer in LAYERS if layer in chosen or layer in found]


@cache
def _all_start_chars() -> frozenset[str]:
    """Every layer's start characters: a document without one (clean Western text, whose
    curly quotes and dashes are no start character) is asked one question, not one per
    layer."""
    return frozenset().union(*(layer.start_chars for layer in LAYERS))


def _marks_by_previous_char(text: str) -> dict[str, list[int]]:
    """The positions of the marks (``?``, U+FFFD) of ``text`` after its first character,
    by the character before each: found once for every layer's :func:`_has_marked_match`."""
    found: dict[str, list[int]] = {}
    for position in mark_positions(text):
        if position:
            found.setdefault(text[position - 1], []).append(position)
    return found


def _has_marked_match(text: str, marks_after: dict[str, list[int]], layer: Layer) -> bool:
    """Does :func:`marked_matches` find anything? Only the marks after one of the layer's
    prefix ends are searched before (text full of ``?`` has few), and the first match is
    enough."""
    ends = layer.marked_prefix_ends  # thousands of characters for a CJK codec
    return any(
        (match := layer.marked_prefix.search(text, max(0, position - 3), position))
        and not ends_a_written_word(text, match.start(), match.end())
        for char, positions in marks_after.items()
        if char in ends
        for position in positions
    )


def _document_legacy_layers(
    repaired_by: Counter[str], lines: list[str], used_on: dict[int, set[str]]
) -> list[Layer]:
    """Legacy readings proven on this document: legacy damage covers whole files (the
    file was decoded with the wrong code page), so two repaired lines are evidence enough
    for the rest of it, and so is one line that the reading repaired at length (a
    sentence of LEGACY_LINE_EVIDENCE non-ASCII characters or more, not a short title)."""
    return [
        layer
        for layer in LAYERS
        if not layer.utf8 and _proves_document(layer.name, lines, used_on, repaired_by)
    ]


def _proves_document(
    name: str, lines: list[str], used_on: dict[int, set[str]], repaired_by: Counter[str]
) -> bool:
    """Has the legacy reading ``name`` repaired enough of the document to speak for all of
    it: two lines, or one line of LEGACY_LINE_EVIDENCE non-ASCII characters or more?"""
    if repaired_by[name] >= LEGACY_DOCUMENT_EVIDENCE:
        return True
    return repaired_by[name] > 0 and any(
        name in used and _count_high(lines[index]) >= LEGACY_LINE_EVIDENCE
        for index, used in used_on.items()
    )


def _agree_on_legacy_reading(
    lines: list[str],
    work: dict[int, TrackedLine],
    used_on: dict[int, set[str]],
    repaired_by: Counter[str],
    judged: Judgements,
) -> None:
    """One file, one code page: a line that a minority legacy reading repaired is read
    again the way most of the document's lines were, where that reading is valid, proven,
    in its expected script and no worse than the damaged text.

    Short lines leave GBK, EUC-JP, EUC-KR and Big5 readings of the same bytes close
    (¿Í¼Ò»° is 客家话 in GBK, 人社三 in EUC-JP); the document's other lines settle it.

    When two readings repaired as many lines each, the file still went through one code
    page: the reading that can also read the other one's lines wins, if the other cannot
    read its lines back (a Cyrillic line read as GBK Han and a Cyrillic line read as
    cp1251: the GBK bytes read as cp1251 too, never the other way round).
    """
    legacy = {layer.name: layer for layer in LAYERS if not layer.utf8}
    counts = Counter({name: count for name, count in repaired_by.items() if name in legacy})
    if len(counts) < 2:
        return
    (name, most), *rest = counts.most_common()
    if rest and rest[0][1] == most:
        if len(rest) > 1 and rest[1][1] == most:
            return
        first, second = name, rest[0][0]
        by_first = _reread_minority(lines, used_on, legacy, first, {second}, judged)
        by_second = _reread_minority(lines, used_on, legacy, second, {first}, judged)
        if by_first is not None and by_second is None:
            name, rereads = first, by_first
        elif by_second is not None and by_first is None:
            name, rereads = second, by_second
        else:
            return
    elif most < LEGACY_DOCUMENT_EVIDENCE:
        return
    else:
        others = set(legacy) - {name}
        rereads = _reread_minority(lines, used_on, legacy, name, others, judged, every=False)
    for index, (other, tracked) in (rereads or {}).items():
        work[index] = tracked
        repaired_by[other] -= 1
        repaired_by[name] += 1


def _reread_minority(
    lines: list[str],
    used_on: dict[int, set[str]],
    legacy: dict[str, Layer],
    name: str,
    others: set[str],
    judged: Judgements,
    *,
    every: bool = True,
) -> dict[int, tuple[str, TrackedLine]] | None:
    """The lines that one of the legacy readings ``others`` alone repaired, read again
    under ``name`` (same reading code page; valid, proven, in its script, no worse than
    the damaged text). ``every``: None unless each such line reads so."""
    layer = legacy[name]
    found: dict[int, tuple[str, TrackedLine]] = {}
    for index, used in used_on.items():
        if len(used) != 1 or not used <= others:
            continue
        (other,) = used
        if legacy[other].read_as != layer.read_as:
            if every:
                return None
            continue
        if layer.judged_by_words and legacy[other].judged_by_words:
            # Twins of one reading code page (cp1250 and ISO-8859-2 read as cp1252) read
            # most lines alike, and where they part, the line's own words chose (see
            # _reading_of_most_words): a line of the other twin is no minority reading.
            continue
        tracked = TrackedLine(lines[index])
        tracked.apply(control_edits(tracked.text))
        line = tracked.text
        edits = []
        for offset, segment in judged.segments(line, layer):
            fixed = _legacy_reading(segment, layer, judged)
            if fixed is not None:
                edits.append(
                    Edit(offset, offset + len(segment), fixed, layer.name, LEGACY_CONFIDENCE - 0.1)
                )
        if edits and judged.cost(_apply_plain(line, edits)) <= judged.cost(line):
            tracked.apply(edits)
            found[index] = (other, tracked)
        elif every:
            return None
    return found if found or not every else None


def _reclaim_western_repairs(
    lines: list[str],
    work: dict[int, TrackedLine],
    used_on: dict[int, set[str]],
    repaired_by: Counter[str],
    judged: Judgements,
) -> None:
    """In a document that most lines prove to be legacy text read through a Western code
    page (see _proves_document), a line that only a Western reading repaired (ftfy's C1
    controls as cp1252, or a short UTF-8 coincidence: \x82È\x82© -> ‚È‚©) is read again
    the document's way, where that reading is valid, proven, in its expected script,
    accounts for every non-ASCII character of the line and costs less than the Western
    repair.

    One file went through one code page: the few high bytes of a short title (a name, a
    two-word subject) are the same legacy bytes as the rest of the file, and a UTF-8 or
    C1 reading of a handful of them is the coincidence, not the other way round.
    """
    legacy = {layer.name: layer for layer in LAYERS if not layer.utf8}
    counts = Counter({name: count for name, count in repaired_by.items() if name in legacy})
    if not counts:
        return
    (name, most), *rest = counts.most_common()
    if not _proves_document(name, lines, used_on, repaired_by) or (rest and rest[0][1] == most):
        return
    layer = legacy[name]
    if layer.read_as not in WESTERN_CODEPAGES:
        return
    western = [
        index
        for index, used in used_on.items()
        if used and not used & legacy.keys() and all(map(_western_kind, used))
    ]
    if most < LEGACY_DOCUMENT_EVIDENCE and len(western) > most:
        # One long line speaks for the file only where Western repairs do not outnumber
        # it: a UTF-8 file read as latin-1 has a Western repair on every line, and a
        # legacy reading of one of them is the coincidence.
        return
    for index in western:
        tracked = TrackedLine(lines[index])
        tracked.apply(control_edits(tracked.text))
        line = tracked.text
        edits = []
        covered = 0
        for offset, segment in judged.segments(line, layer):
            fixed = _legacy_reading(segment, layer, judged)
            if fixed is not None:
                covered += _count_high(segment)
                edits.append(
                    Edit(offset, offset + len(segment), fixed, layer.name, LEGACY_CONFIDENCE - 0.1)
                )
        if (
            edits
            and covered == _count_high(line)
            and judged.cost(_apply_plain(line, edits)) < judged.cost(work[index].text)
        ):
            tracked.apply(edits)
            work[index] = tracked
            repaired_by.update([name])


_WESTERN_NAMES = frozenset(
    damage_name("cp1252", codec).split(" read as ")[1] for codec in WESTERN_CODEPAGES
)


def _western_kind(kind: str) -> bool:
    """Is every step of the repair ``kind`` a reading through a Western code page?"""
    return all(
        " read as " in step and step.split(" read as ")[1] in _WESTERN_NAMES
        for step in kind.split(", then ")
    )


def _follow_legacy_reading(
    layer: Layer, lines: list[str], work: dict[int, TrackedLine], judged: Judgements
) -> None:
    """Read every untouched line of the document the way its other lines were read, where
    that reading is valid, proven, in the expected script and no worse (short titles such
    as ‚Ë‚Þ -> ねむ have too little text to prove anything on their own)."""
    for index, line in enumerate(lines):
        tracked = work.get(index)
        if line.isascii() or (tracked is not None and tracked.text != tracked.original):
            continue
        edits = []
        for offset, segment in judged.segments(line, layer):
            fixed = _legacy_reading(segment, layer, judged)
            if fixed is not None and layer.keeps_letters:
                # Its cost tells little (see _reading_gain): …) reads as Е) for nothing.
                fixed = fixed if _rewrites_into_listed_words(segment, fixed, layer) else None
            if fixed is not None and judged.cost(fixed) <= judged.cost(segment):
                reader, fixed = _reading_of_most_words(segment, layer, fixed, judged)
                edits.append(
                    Edit(offset, offset + len(segment), fixed, reader.name, LEGACY_CONFIDENCE - 0.1)
                )
        if edits:
            tracked = work.setdefault(index, TrackedLine(line))
            tracked.apply(edits)


def _reading_of_most_words(
    segment: str, layer: Layer, fixed: str, judged: Judgements
) -> tuple[Layer, str]:
    """``layer`` and its reading ``fixed`` of ``segment``, or, for a layer judged by its
    words (see Layer.judged_by_words), the layer of the same reading code page whose
    reading the word lists know more words of.

    cp1250 and ISO-8859-2 read most lines alike, so the lines that proved a document's
    reading prove both; where they part (ISO-8859-2 Slu¾ba is Služba, through cp1250
    Sluľba) the line's words decide."""
    if not layer.judged_by_words:
        return layer, fixed
    best, best_known = layer, None
    for twin in _WORD_JUDGED_LAYERS:
        if twin is layer or twin.read_as != layer.read_as:
            continue
        other = _legacy_reading(segment, twin, judged)
        if other is None or other == fixed:
            continue
        if best_known is None:
            best_known = known_in_script(fixed) or 0
        known = known_in_script(other) or 0
        if known > best_known:
            best, fixed, best_known = twin, other, known
    return best, fixed


def _document_utf8_layers(repaired_by: Counter[str], work: dict[int, TrackedLine]) -> list[Layer]:
    """UTF-8 readings that write a foreign script into Latin text (through a double-byte
    code page such as GBK, Big5, EUC-KR or Shift_JIS, or a single-byte one such as cp1251:
    see Layer.foreign_letters) and that repaired UTF8_DOCUMENT_EVIDENCE runs or more of
    this document (as the only layer or one of a chain)."""
    named = [layer for layer in LAYERS if repaired_by[layer.name] and layer.foreign_letters]
    return [
        layer
        for layer in named
        if sum(
            1 for tracked in work.values() for piece in tracked.pieces if layer.name in piece.kinds
        )
        >= UTF8_DOCUMENT_EVIDENCE
    ]


def _follow_utf8_reading(
    layer: Layer, lines: list[str], work: dict[int, TrackedLine], judged: Judgements
) -> None:
    """Read what is left of the document's foreign letters (CJK characters for a
    double-byte reading, Cyrillic ones for cp1251: see Layer.foreign_letters) the way its
    other lines were read (see _document_utf8_layers), where every one of them is so
    explained: each damaged run reads as letters of its line's scripts that cost no more
    than the damage.

    Each damaged letter of UTF-8 read through GBK is one ideograph (è is C3 A8, read as
    猫), and a line whose only damage is one such letter standing alone (Italian ``non 猫
    vero``: the word è) has too little text to prove the reading on its own: clean text
    can put one ideograph between Latin words. The same line read through cp1251 is
    ``non ГЁ vero``, two Cyrillic capitals that no measure of the word alone calls damage.
    In a document whose other lines that reading repaired and that holds no text of the
    foreign script of its own, it is the same damage. One foreign letter that the reading
    cannot explain is text of the document's own, and then nothing follows. (A line a
    chain of layers repaired down to such an ideograph, çŒ« -> 猫, is read on from where
    it stands.)
    """
    foreign = layer.foreign_letters
    assert foreign is not None  # (_document_utf8_layers names no other layer)
    edits: dict[int, list[Edit]] = {}
    for index, line in enumerate(lines):
        tracked = work.get(index)
        current = line if tracked is None else tracked.text
        if current.isascii() or not foreign.search(current):
            continue
        readings = _readings_to_follow(current, layer, judged)
        explained = [(reading.start, reading.end) for reading in readings]
        explained += [match.span() for match in layer.lost_trigger.finditer(current)]
        if foreign.search(_outside(current, explained)):
            return
        # (A line whose only CJK left is a sequence cut short, cittﾃ� read as Shift_JIS, is
        # explained too: the inference pass reads it, on the evidence this reading gives.)
        if readings:
            edits[index] = [
                Edit(r.start, r.end, r.fixed, layer.name, LOSSLESS_CONFIDENCE - 0.1)
                for r in readings
            ]
    for index, found in edits.items():
        work.setdefault(index, TrackedLine(lines[index])).apply(found)


def _readings_to_follow(line: str, layer: Layer, judged: Judgements) -> list[Candidate]:
    """The readings of ``line`` under the UTF-8 ``layer`` when every one of them is letters
    of the line's scripts or signs, plausible where the layer is proven, and no costlier
    than the damage it replaces; none otherwise."""
    readings: list[Candidate] = []
    for reading in _utf8_readings(line, layer):
        damaged = line[reading.start : reading.end]
        if not (
            all(map(_letter_or_sign, reading.fixed))
            and _plausible_reading(
                line, reading.start, reading.end, damaged, reading.fixed, proven=True
            )
            and _scripts_fit(line, reading.fixed)
            and _weighed(line, reading, judged).gain >= 0
        ):
            return []
        readings.append(reading)
    return readings


def _letter_or_sign(char: str) -> bool:
    """A letter, a mark, or a sign of any kind (× « · ©, a space): not a control, a format
    character or a private-use one, which no text writes in the middle of a line."""
    return not unicodedata.category(char).startswith("C")


def _legacy_reading(segment: str, layer: Layer, judged: Judgements) -> str | None:
    fixed = judged.reading(segment, layer)
    if fixed is None:
        return None
    if (
        layer.expect
        and not written_in(fixed, layer.expect)
        and not _marks_from_control(segment, fixed, layer)
    ):
        return None
    return fixed


def _marks_from_control(segment: str, fixed: str, layer: Layer) -> bool:
    """Does a double-byte reading turn a C1 control into wide CJK punctuation, and nothing
    but such punctuation (URL\x81F -> URL：, \x81¨ -> →)?

    A line of markup and ASCII whose only damage is one such sign has no letter to show
    its script, but a C1 control never stands in clean text: it is a byte the reading code
    page could not map, and in a document proven to be this legacy damage its reading is
    the byte pair it was half of.
    """
    if not layer.encoded_double_byte or not _C1.search(segment):
        return False
    wide = [char for char in fixed if not char.isascii()]
    return bool(wide) and all(
        not char.isalnum() and unicodedata.east_asian_width(char) in "WFA" for char in wide
    )


def _lines_matching(text: str, starts: list[int], pattern: re.Pattern[str]) -> set[int]:
    """Indices of the lines where ``pattern`` matches (``starts``: the offset of each line,
    then the text's length). A damaged line can hold hundreds of matches, so the search
    resumes at the next line after each hit; no pattern matches across a line end."""
    found: set[int] = set()
    if pattern is NEVER:
        return found
    position = 0
    while (match := pattern.search(text, position)) is not None:
        index = bisect_right(starts, match.start()) - 1
        found.add(index)
        position = starts[index + 1]
    return found


def _select_lines(text: str, lines: list[str], checks: Screen) -> dict[int, tuple[Layer, ...]]:
    """The lines to repair, each with the layers whose triggers fired on it."""
    starts = list(accumulate(map(len, lines), initial=0))
    selected: dict[int, list[Layer]] = {}
    # Layers that read text the same way share one trigger (every legacy layer read as
    # cp1252 does). A trigger only counts on a line holding a start character. In mostly
    # ASCII text those are the few lines with a foreign word, searched one by one (not
    # every line with a curly quote); in CJK text nearly every line holds one, and one
    # scan of the whole text for any of these layers' triggers is cheaper, its few lines
    # then checked (a line no trigger of theirs matches is never selected by them).
    triggered = [layer for layer in checks.layers if layer.trigger_branches]
    if triggered:
        start_char = any_start_char()
        if len(text.encode("utf-8", "surrogatepass")) < 1.25 * len(text):  # mostly ASCII
            candidates = sorted(_lines_matching(text, starts, start_char))
        else:
            candidates = [
                i
                for i in sorted(_lines_matching(text, starts, trigger_of(triggered)))
                if start_char.search(text, starts[i], starts[i + 1])
            ]
        # The candidate lines joined: one scan per trigger instead of one search per line.
        # No trigger match crosses a line end, and the one character a trigger looks at
        # before its start (see layers._RUN_START) is a line end or nothing in both texts.
        joined = "".join(text[starts[i] : starts[i + 1]] for i in candidates)
        offsets = list(accumulate((starts[i + 1] - starts[i] for i in candidates), initial=0))
        # Clean Western text (Café, “quotes”) has a start character on many lines but
        # rarely two non-ASCII characters side by side, which every trigger of a layer
        # read through a single-byte code page needs: one scan rules them all out.
        if not (
            all(layer.trigger_needs_high_pair for layer in triggered)
            and HIGH_PAIR.search(joined) is None
        ):
            by_pattern: dict[str, tuple[re.Pattern[str], list[Layer]]] = {}
            for layer in triggered:
                by_pattern.setdefault(layer.trigger.pattern, (layer.trigger, []))[1].append(layer)
            for pattern, layers in by_pattern.values():
                for index in sorted(_lines_matching(joined, offsets, pattern)):
                    selected.setdefault(candidates[index], []).extend(layers)
    # A marked layer's trigger starts with nearly every letter of Cyrillic or Greek text
    # and only then looks for the mark after it: searched over the whole text it costs
    # several times the rest of the screen. Its matches are at most three characters
    # ending right before a mark, so looking back from each mark finds the same ones (see
    # lostbytes.marked_matches) and so the same lines.
    for layer in checks.marked_layers:
        for match in marked_matches(text, layer):
            selected.setdefault(bisect_right(starts, match.start()) - 1, [])
    for pattern in checks.patterns():
        for index in _lines_matching(text, starts, pattern):
            selected.setdefault(index, [])
    if checks.apostrophes:
        for position in mark_positions(text):  # quotation marks lost too (lostbytes)
            selected.setdefault(bisect_right(starts, position) - 1, [])
    if checks.nfc:
        for index, line in enumerate(lines):
            if index not in selected and checks.line_checks(line):
                selected[index] = []
    return {index: tuple(layers) for index, layers in selected.items()}


def _nothing_to_repair(
    lines: list[str], selected: dict[int, tuple[Layer, ...]], checks: Screen
) -> bool:
    """Can no pass change the selected lines? True when ftfy's start characters alone chose
    them (no layer trigger fired, no control, mark, lost punctuation or non-NFC text) and
    ftfy's badness finds nothing on any of them.

    Clean Western text gets here: an accented word (Café: é is a UTF-8 lead in cp1252)
    selects its line for ftfy, which declines it. On such lines every pass is a no-op by
    construction: ftfy_edits declines a line that is not bad (and has no C1 control: that
    would be a mark), no layer is tried, so nothing is repaired, no document-level reading
    is proven, no lost byte has evidence or a mark to be inferred from, and the text is
    already NFC. Answering here skips building the lines' trackers, the document's habits
    and the inference sites, which cost several times the screen itself.
    """
    if checks.controls or checks.marks or checks.nfc or checks.apostrophes:
        return False
    if checks.marked_layers:
        return False
    return all(not layers and not is_bad(lines[index]) for index, layers in selected.items())


_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
# The test for any surrogate: a single class, which the regex engine scans for quickly
# (an alternation is tried at every position).
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    """Does ``text`` hold a surrogate? UTF-8 encodes every other code point, and the
    encoder (a C loop over the string) finds out faster than a regex search does."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_edits(text: str) -> list[Edit]:
    """Surrogates are not characters: a pair becomes the character it encodes, a lone one
    U+FFFD (then read, like any U+FFFD, as a lost byte). Done before the document screen,
    so that one run sees what a second run would."""
    edits = []
    for match in _SURROGATES.finditer(text):
        pair = match.group()
        if len(pair) == 2:
            char = chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))
        else:
            char = "\ufffd"
        edits.append(Edit(match.start(), match.end(), char, SURROGATE_KIND))
    return edits


def fix(
    text: str,
    *,
    allow_inferred: bool = True,
    _pass: int = 1,
    _judged: Judgements | None = None,
) -> Repaired:
    """Repair ``text`` and describe every change (see the module docstring).

    ``_pass`` and ``_judged`` carry the fixpoint's later looks: which look this is, and
    the legacy verdicts of the earlier ones (see :class:`Judgements`).
    """
    work: dict[int, TrackedLine] = {}
    if not text.isascii() and _has_surrogate(text):
        lines = split_lines(text)
        for index, line in enumerate(lines):
            if _ANY_SURROGATE.search(line):
                work[index] = TrackedLine(line)
                work[index].apply(_surrogate_edits(line))
        current = [work[i].text if i in work else line for i, line in enumerate(lines)]
        joined = "".join(current)
    else:
        # Most documents need no check at all: the screen reads the text as it is, and
        # only a document that needs checks is cut into lines.
        joined = text
    checks = screen(joined)
    if not checks.anything and not work:
        return Repaired(text)
    if not work:
        lines = current = split_lines(text)
    judged = _judged if _judged is not None else Judgements()
    evidence: set[str] = set()
    repaired_by: Counter[str] = Counter()
    used_on: dict[int, set[str]] = {}
    selected = _select_lines(joined, current, checks)
    if not work and _nothing_to_repair(current, selected, checks):
        return Repaired(text)
    for index, layers in sorted(selected.items()):
        ftfy_may_help = checks.ftfy or checks.marks
        if index in work:
            tracked = work[index]
            used = _lossless_passes(tracked, layers, ftfy_may_help=ftfy_may_help, judged=judged)
        else:
            tracked, used = judged.lossless_passes(
                lines[index], layers, ftfy_may_help=ftfy_may_help
            )
        evidence |= used
        repaired_by.update(used)
        used_on[index] = used
        work[index] = tracked
    _agree_on_legacy_reading(lines, work, used_on, repaired_by, judged)
    _reclaim_western_repairs(lines, work, used_on, repaired_by, judged)
    for sibling, ftfy_kinds in _document_siblings(repaired_by):
        _follow_sibling_reading(sibling, ftfy_kinds, work, judged)
    for layer in _document_legacy_layers(repaired_by, lines, used_on):
        _follow_legacy_reading(layer, lines, work, judged)
    for layer in _document_utf8_layers(repaired_by, work):
        _follow_utf8_reading(layer, lines, work, judged)
    if allow_inferred and evidence:
        starts = list(accumulate(map(len, lines), initial=0))
        for layer in LAYERS:
            if layer.name in evidence:
                for index in _lines_matching(text, starts, layer.lost_trigger) - work.keys():
                    work[index] = TrackedLine(lines[index])
    if not work:
        return Repaired(text)
    # Habits are read from the text as repaired so far: a „ that only exists once
    # repaired still tells which dash the document would use.
    # (Only inference reads them, and on most documents it has nothing to work with.)
    inferring = allow_inferred and _inference_may_act(work, evidence, checks)
    if inferring:
        habits = DocumentHabits.of(_repaired_prefix(lines, work, HABITS_SAMPLE))
        habits.written = DocumentChars(text)
        habits.single_byte_languages = judged.single_byte_languages
    output = list(lines)
    for index in sorted(work):
        tracked = work[index]
        if inferring:
            tracked.apply(
                inference_edits(tracked, evidence, habits, checks.marked_layers, checks.apostrophes)
            )
        damaged_here = tracked.text != tracked.original
        if damaged_here and (checks.ftfy or checks.marks) and is_bad(tracked.text):
            tracked = work[index] = _fall_back_to_ftfy(tracked)
        current = tracked.text
        if not unicodedata.is_normalized("NFC", current):
            normal = unicodedata.normalize("NFC", current)
            tracked.apply(diff_edits(current, normal, NFC_KIND, 1.0))
        output[index] = tracked.text
    if inferring and habits.single_byte_languages:
        judged.single_byte_languages = habits.single_byte_languages
    changed = [index for index in sorted(work) if output[index] != lines[index]]
    one_line_each = all("\n" not in output[index][:-1] for index in changed)
    if changed and one_line_each and _pass < MAX_PASSES:
        # A repair can bring out damage beneath it (a layer the first pass stopped short
        # of). The text gets a second look, and what it finds is folded into the same
        # pieces, so findings still point at the input and repair is idempotent. Documents
        # up to WHOLE_LOOK_LIMIT are looked at whole (their document-level evidence may
        # have changed); beyond it only the changed lines, to bound the cost.
        if sum(map(len, output)) <= WHOLE_LOOK_LIMIT:
            changed = list(range(len(output)))
            subset = "".join(output)  # exactly what a second call would see
        else:
            subset = "".join(_ending_in_newline(output[index]) for index in changed)
        again = fix(subset, allow_inferred=allow_inferred, _pass=_pass + 1, _judged=judged)
        for line_number, found in groupby(again.findings, key=lambda f: f.line):
            index = changed[line_number - 1]
            # A whole look can find damage on a line the first pass left alone: the
            # document-level evidence it needed only exists once other lines are repaired.
            if index not in work:
                work[index] = TrackedLine(lines[index])
            tracked = work[index]
            tracked.apply([_finding_edit(finding) for finding in found])
            output[index] = tracked.text
    repaired = "".join(output)
    findings = [f for index in sorted(work) for f in work[index].findings(index + 1)]
    return Repaired(repaired, findings)


def _inference_may_act(work: dict[int, TrackedLine], evidence: set[str], checks: Screen) -> bool:
    """Can :func:`lostbytes.inference_edits` change any of the ``work`` lines?

    Every site it reads needs one of these: a layer the document's lossless repairs
    proved (``evidence``), a marked layer or lost apostrophes the screen found, or a
    U+FFFD on the line (a lost character, or a double-byte character cut short). Clean
    text that a trigger selected by coincidence (most CJK documents) has none, and there
    the document's habits and written characters, which cost a scan of the whole text,
    are not read at all.
    """
    if evidence or checks.marked_layers or checks.apostrophes:
        return True
    return any("\ufffd" in tracked.text for tracked in work.values())


# How much of a document (in characters, from its start) its habits are read from.
HABITS_SAMPLE = 1 << 16


def _repaired_prefix(lines: list[str], work: dict[int, TrackedLine], size: int) -> str:
    """The first ``size`` characters of the text as repaired so far: the lines are joined
    only until they reach it, since a long document has tens of thousands of lines and
    its habits are read from the start alone (the same string as joining them all and
    cutting it)."""
    pieces = []
    total = 0
    for index, line in enumerate(lines):
        if total >= size:
            break
        piece = work[index].text if index in work else line
        pieces.append(piece)
        total += len(piece)
    return "".join(pieces)[:size]


def _ending_in_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def _finding_edit(finding: Finding) -> Edit:
    start = finding.column - 1
    return Edit(
        start,
        start + len(finding.original),
        finding.replacement,
        finding.kind,
        finding.confidence,
        finding.inferred,
    )


def repair(text: str) -> str:
    """Fix encoding damage only: mojibake, stray control characters, NFC.

    Never removes content, keeps typographic quotes and dashes, and is idempotent.
    """
    return fix(text).text
