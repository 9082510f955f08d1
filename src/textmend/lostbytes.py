"""Stage 3, pass 4: characters whose bytes were lost in decoding, inferred from context.

A lossy decoder leaves a mark where it met bytes it could not decode (U+FFFD, or a "?"
from a converter that writes one for each), or drops a byte without a trace. Re-applying
the damage cannot prove what stood there, so everything here is a guess: each one is an
inferred finding with a lower confidence than any proven repair, and a byte dropped without
a trace is only inferred in a document whose other lines proved the same damage.

What a mark can stand for is read from the codec's own behaviour (which bytes it leaves
undefined or writes as "?"), never from hand tables. Among the characters that fit, the
bytes around the mark decide first (the rest of a UTF-8 sequence), then the document's
punctuation habits (inference.py), then word frequencies (lexicon.py), and otherwise
nothing is guessed.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import resources
from itertools import chain, islice, pairwise

from textmend import lexicon
from textmend.charclass import (
    FREQUENCY_RANKS,
    GREEK,
    HAN,
    INVALID,
    LATIN,
    NATURAL,
    NO_SCRIPT,
    UNRANKED,
    char_cost,
    frequency_rank,
    glued_to_ascii_letter,
    script_of,
)
from textmend.inference import (
    CJK_BRACKETS,
    CJK_SIGNS,
    FULLWIDTH_ENDS,
    QUOTE_BALANCE_CONFIDENCE,
    DocumentHabits,
    english_contraction_hosts,
    guess_cjk_sign,
    guess_fullwidth_end,
    guess_punctuation,
    guess_times,
    without_touching_pauses,
)
from textmend.layers import (
    LAYERS,
    MIN_DOUBLE_BYTE_EVIDENCE,
    NEVER,
    UTF8_LEAD_BYTES,
    UTF8_STRETCH,
    Layer,
    codec_display_name,
    encodes,
)
from textmend.lexicon import LexiconChoice
from textmend.models import LEGACY_CONFIDENCE, LEXICON_CONFIDENCE
from textmend.tracked import Edit, Piece, TrackedLine

# A UTF-8 sequence cut short by exactly one byte.
_ONE_BYTE_SHORT = re.compile(rb"[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]|[\xf0-\xf4][\x80-\xbf]{2}")
_LOST_MARKERS = "\ufffd?"
# UTF-8 sequence length by the high nibble of its lead byte.
_UTF8_LENGTH = {0xC: 2, 0xD: 2, 0xE: 3, 0xF: 4}
# Whole characters replaced (UTF-8 read as Big5/EUC-KR with U+FFFD; "?" from a lossy
# converter) where the context leaves one reading: a word and an English contraction.
_AFTER_CONTRACTION = r"(?=[\s.,;:!)\]”’\"]|$)"
# The word may follow a lost opening quotation mark (?We?re), but not a letter and a mark
# (Vi?t?s: a lost letter). "?" stands for a whole character as one "?" (a converter that
# writes one per character) or three (one per byte of a 3-byte UTF-8 character).
_QUESTION_MARKS = r"(?:\?{3}|\?)"
_LOST_APOSTROPHE = re.compile(
    r"(?<![\w\ufffd])(?<![\w\ufffd]\?)(?<![\w\ufffd]\?\?)(?<![\w\ufffd]\?\?\?)[A-Za-z]+?(?:"
    rf"(?:\ufffd{{1,3}}|{_QUESTION_MARKS})(?=(?:s|d|m|ll|ve|re){_AFTER_CONTRACTION})"
    rf"|(?<=n)(?:\ufffd{{1,3}}|{_QUESTION_MARKS})(?=t{_AFTER_CONTRACTION}))"
)
# The short forms after a _LOST_APOSTROPHE match that only some words take (see
# _takes_short_form), longest first.
_LISTED_SHORT_FORM = re.compile("ll|ve|re|d|m")


def _takes_short_form(text: str, match: re.Match[str]) -> bool:
    """Does the word of a :data:`_LOST_APOSTROPHE` match take the short form after it? 's
    joins any word and n't any word ending in n, but 'd, 'll, 're, 've and 'm only the
    words data/punctuation_habits.toml lists for each (I'd, they'll, could've): ``Na?ve``
    (naïve, its ï lost) is no "'ve". (Checked on the few matches rather than in the
    pattern, which every question mark of a clean text is tried against.)"""
    short_form = _LISTED_SHORT_FORM.match(text, match.end())
    if short_form is None:
        return True  # 's, or n't
    word = match.group().rstrip(_LOST_MARKERS).lower()
    return word in english_contraction_hosts()[short_form.group()]


# A letter, a lost-character mark and a letter that is not an English contraction: text
# whose non-ASCII letters all became "?" (Vi?t Nam). Contractions there are coincidences,
# so no apostrophe is inferred in such a document.
LOST_LETTER = re.compile(r"[A-Za-z](?:\?{1,3}|\ufffd{1,3})(?!(?:s|d|m|ll|ve|re|t)\b)[A-Za-z]")
# A quotation whose marks were both lost: "?" (or "???") after a space or at a line start
# and before a word, then the same run after a word or a full stop and before a space or
# the end, on one line (?We will see.?). A real question mark never opens a word.
QUOTED_MARKS = re.compile(
    r"(?<!\S)(\?\?\?|\?)[A-Za-z][^\n]{0,400}?[A-Za-z.,!]\1(?![\w?])", re.MULTILINE
)
# Three U+FFFD: one 3-byte UTF-8 character (punctuation, in Western text) read as Big5/EUC-KR.
_LOST_PUNCTUATION = re.compile(r"(?<![\ufffd])\ufffd{3}(?![\ufffd])")
# What such three marks can be outside CJK text: the 3-byte punctuation of running text
# (E2 80 xx), the opening marks of every quoting habit among them (‘ inside a quotation,
# „ where the language opens low: inference.guess_punctuation picks by context).
LOST_THREE_BYTE_PUNCTUATION = "’‘”“„—–…"

LOST_CHARACTER_KIND = "character lost in decoding"
INFERRED_SUFFIX = " (lost byte inferred)"


@dataclass(frozen=True, slots=True)
class LostSite:
    """Characters (``start:end``) standing for one character whose last byte was lost."""

    start: int
    end: int
    candidates: str
    kind: str
    marker: str
    # The least confidence of the context's guess for the site to be read: a "?" that
    # may also be a real question mark is read only where the context decides.
    min_confidence: float = 0.0
    # What the site's characters read as before the lost character, where the first of
    # them also holds the end of a sequence (鈥櫭 of c’è: E2 80 | 99 C3, then A8 lost,
    # reads ’ before it).
    known: str = ""


MARK = re.compile("[\ufffd?]")


def marked_matches(text: str, layer: Layer) -> list[re.Match[str]]:
    """``layer.marked_trigger`` matches, found by looking back from each mark; not those
    that end a word before a question mark (see :func:`ends_a_written_word`)."""
    found = []
    ends = layer.marked_prefix_ends
    for mark in MARK.finditer(text):
        if text[mark.start() - 1 : mark.start()] not in ends:
            continue
        match = layer.marked_prefix.search(text, max(0, mark.start() - 3), mark.start())
        if match and not ends_a_written_word(text, match.start(), match.end()):
            found.append(match)
    return found


def _ends_a_sentence(after: str) -> bool:
    """Can ``after`` follow a question mark: nothing, a space, or ASCII punctuation other
    than another "?"? Marks that stand inside a sequence are followed by its other bytes
    (â?¬ for E2 ?? AC), by the rest of the word (Indiaâ??s) or by more marks."""
    return (
        not after or after.isspace() or (after.isascii() and not after.isalnum() and after != "?")
    )


NO_BREAK_SPACE = "\xa0"
# How far back ends_a_written_word looks for the start of the word.
_WORD_LOOKBACK = 24


def ends_a_written_word(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]``, before a ``?``, the end of a word as people write it, so
    that the ``?`` is a question mark rather than a lost byte?

    Several code pages put letters where UTF-8 puts its lead and continuation bytes:
    cp1251 has Ukrainian і ї є ґ and Serbian ј љ њ at 0x80-0xBF, after its lower-case
    letters at 0xE0-0xEF, so a Ukrainian question ending in -жі? or -кі? (кортежі?, Які?)
    holds what looks like a three-byte sequence cut short by a "?". Real damage of that
    kind breaks the word it sits in: more damage or letters follow the mark (see
    :func:`_ends_a_sentence`), or the word switches script or case (вЂ? for a lost ’).
    A word of one alphabet, its letters never going from lower to upper case, is
    writing; only a document that proves the damage elsewhere reads such a mark as a
    lost byte. U+FFFD is never writing. A no-break space between the word and the "?"
    is French spacing.
    """
    if text[end : end + 1] != "?" or not _ends_a_sentence(text[end + 1 : end + 2]):
        return False
    spaced = text[end - 1 : end] == NO_BREAK_SPACE
    if spaced:
        # French sets a no-break space before "?" (réglé ?), which reads as the 0xA0
        # continuation byte of a sequence cut short (é + 0xA0: 頁 less its last byte).
        end -= 1
    if end <= start or not text[start:end].isalpha():
        return False
    first = start
    floor = max(0, start - _WORD_LOOKBACK)
    while first > floor and text[first - 1].isalpha():
        first -= 1
    word = text[first:end]
    if spaced and len(word) < 2:
        return False  # a lone letter before a spaced "?" is rarer than the damage
    script = script_of(word[0])
    # (Ideographs and kana are no such words: a "?" after a lone 鈥 is the damage's.)
    if script in (NO_SCRIPT, HAN) or any(script_of(char) != script for char in word):
        return False
    return not any(a.islower() and b.isupper() for a, b in pairwise(word))


def _spaced_question(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a word's end and a no-break space before a "?" (French
    réglé ?)? Even in a document that proves the damage, that is the question mark of a
    written word: the sequence cut short would glue a character of another script (頁
    for é + 0xA0) to the word."""
    return text[end - 1 : end] == NO_BREAK_SPACE and ends_a_written_word(text, start, end)


def _lost_byte_sites(
    line: str, layer: Layer, *, unmarked: bool, written: Container[str] = frozenset()
) -> list[LostSite]:
    """UTF-8 sequences one byte short: the byte dropped (``unmarked``) or marked lost.
    ``written``: the characters of the document (see :func:`_question_mark_bytes`)."""
    matches = layer.lost_trigger.finditer(line) if unmarked else marked_matches(line, layer)
    sites = []
    for match in matches:
        complete, prefix = _split_complete(match.group().encode(layer.codec))
        if not _ONE_BYTE_SHORT.fullmatch(prefix):
            continue
        following = line[match.end() : match.end() + 1]
        marker = following if following and following in _LOST_MARKERS else ""
        if marker == "?" and _spaced_question(line, match.start(), match.end()):
            continue
        candidates = _completions(prefix, following, marker, layer, written)
        if candidates:
            end = match.end() + len(marker)
            kind = layer.name + INFERRED_SUFFIX
            sites.append(LostSite(match.start(), end, candidates, kind, marker, known=complete))
    return sites


def _split_complete(raw: bytes) -> tuple[str, bytes]:
    """The valid UTF-8 that starts ``raw``, read, and the bytes after it."""
    stretch = UTF8_STRETCH.match(raw)
    end = stretch.end() if stretch else 0
    return raw[:end].decode("utf-8"), raw[end:]


def _completions(
    prefix: bytes, following: str, marker: str, layer: Layer, written: Container[str]
) -> str:
    """Characters whose UTF-8 form is ``prefix`` plus the one byte the damage lost.

    Without a mark, the lost byte is one the ``read_as`` decoder drops before the next
    byte; with U+FFFD, one it cannot decode at all (cp1252 and 0x9D); with "?", after a
    single-byte code page one of the bytes :func:`_question_mark_bytes` leaves, else any.
    """
    if marker or not following:
        next_byte = b"\n"
    else:
        next_byte = following.encode(layer.codec, "replace")[:1]
    # Which bytes a decoder loses is a property of the strict codec (Python's cp1252
    # drops or replaces 0x9D; the browsers' variant keeps it).
    allowed = (
        _question_mark_bytes(layer, written)
        if marker == "?" and layer.single_byte
        else tuple(range(0x80, 0xC0))
    )
    return _completions_of(prefix, next_byte, marker, layer.read_as, allowed)


@lru_cache(maxsize=4096)
def _completions_of(
    prefix: bytes, next_byte: bytes, marker: str, codec: str, allowed: tuple[int, ...]
) -> str:
    chars = []
    for lost in allowed:
        if not marker and not _dropped(lost, next_byte, codec):
            continue
        if marker == "\ufffd" and _decodes_alone(lost, codec):
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


def _context_is_cjk(line: str, start: int, end: int) -> bool:
    return any(script_of(char) == HAN for char in line[start - 1 : start] + line[end : end + 1])


def apostrophe_marks(text: str) -> list[re.Match[str]]:
    """:data:`_LOST_APOSTROPHE` matches of words that take the short form after them (see
    :func:`_takes_short_form`), found by looking around each mark only (a regex
    over the whole text would try every word of it)."""
    found: list[re.Match[str]] = []
    for position in mark_positions(text):
        if found and position < found[-1].end():
            continue
        start = position
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        match = _LOST_APOSTROPHE.match(text, start)
        if match and match.end() > position and _takes_short_form(text, match):
            found.append(match)
    return found


def lost_punctuation_proven(text: str) -> bool:
    """Does ``text`` prove that its "?" (or U+FFFD) stand for lost punctuation? It does with
    an English contraction (India?s), in text whose letters were not lost too (Vi?t Nam:
    there such places are coincidences). A quotation that lost both its marks proves it
    only in text written in ASCII letters (the marks put back are English ones, and a
    Czech or Hungarian quotation, „…“ or „…”, would get the wrong pair), and only where
    every run of "?" could be such a mark."""
    if apostrophe_marks(text):
        return len(LOST_LETTER.findall(text)) < 2
    quoted = _quoted_marks(text)
    if quoted is None or _has_foreign_letters(text) or len(LOST_LETTER.findall(text)) >= 2:
        return False
    # Every run of "?" the damage made is one lost character (or a question mark and one,
    # done??); text that also holds other runs (What??? beside ?why not?) is typed so.
    width = len(quoted.group(1))
    return all(len(run) in (width, width + 1) for run in _QUESTION_RUN.findall(text))


def _quoted_marks(text: str) -> re.Match[str] | None:
    """The first :data:`QUOTED_MARKS` match, tried only at the marks that open a word after
    a space (a search over the whole text would try every position of it)."""
    for position in mark_positions(text):
        if position and not text[position - 1].isspace():
            continue
        match = QUOTED_MARKS.match(text, position)
        if match:
            return match
    return None


def _has_foreign_letters(text: str) -> bool:
    return not text.isascii() and any(char.isalpha() for char in text if not char.isascii())


def mark_positions(text: str) -> list[int]:
    """Where ``text`` holds a mark (``?``, U+FFFD), in order. The document screen asks
    twice over the whole text: str.find runs at memchr speed, where MARK.finditer costs
    about 3 ns a character (a tenth of a clean CJK document's screen)."""
    positions: list[int] = []
    for mark in _LOST_MARKERS:
        position = text.find(mark)
        while position >= 0:
            positions.append(position)
            position = text.find(mark, position + 1)
    positions.sort()
    return positions


NBSP_KIND_SUFFIX = " (no-break space lost)"


def _nbsp_edits(tracked: TrackedLine, layer: Layer) -> list[Edit]:
    """Lead + space read as lead + 0xA0, in a document where ``layer`` is proven.

    Whether the space was the 0xA0 byte itself or a real space after it cannot be
    recovered from the bytes: inside a word (hĂ i) or before more damage (Ù Ù Ù¡) it was
    the byte; at the start of a word and before a plain word (Г bien) it was a space.

    The lead must be damage, not a letter the text writes before a space: Italian ``È
    stato``, French ``CAFÉ ``, Danish ``PÅ `` would read as Ƞ, ɠ and Š. So the lead must
    be text no repair has produced yet (``Ãˆ`` repaired to È stays È), and its reading
    must fit (see nbsp_reading_fits)."""
    text = tracked.text
    edits = []
    # Both computed at the first match: most lines have none.
    line_scripts: set[int] | None = None
    produced: list[tuple[int, int]] | None = None
    for match in layer.nbsp_trigger.finditer(text):
        start = match.start()
        if produced is None:
            produced = _produced_spans(tracked)
        if any(first <= start < last for first, last in produced):
            continue
        char = (match.group().encode(layer.codec) + b"\xa0").decode("utf-8")
        if line_scripts is None:
            line_scripts = {script_of(other) for other in text if not other.isascii()}
        if script_of(char) not in (LATIN, *line_scripts - {LATIN}):
            continue  # an Arabic digit inside French capitals (OÙ ET) is no repair
        before, after = text[start - 1 : start], text[start + 2 : start + 3]
        # Here a capital needs its small form wherever it stands: È, Ä and Å are words of
        # their own (Ä ist is no Ġ ist).
        if not nbsp_reading_fits(char, before, text) or (
            char.isupper() and char.lower() not in text
        ):
            continue
        word_start = not before or not before.isalnum()
        keep_space = word_start and after.isascii() and after.isalpha()
        replacement = char + " " if keep_space else char
        edits.append(Edit(start, start + 2, replacement, layer.name + NBSP_KIND_SUFFIX, 0.7, True))
    return edits


def nbsp_reading_fits(char: str, before: str, written: str) -> bool:
    """May a lead followed by a space, after the character ``before``, be read as ``char``
    (the lead and a lost 0xA0 byte)? Its reading must be a letter of natural text (not Ƞ
    ɠ ʠ Ǡ Ҡ); a capital glued to the letter before it only where the line as repaired
    (``written``) also writes its small form (Š beside š: Czech, not the Danish ``PÅ ``;
    Latvian ``Å veices`` is Šveices); a small letter not glued to a capital (``IRMÃ `` is
    no irmà)."""
    if char_cost(char) > NATURAL:
        return False
    if char.isupper() and before.isalpha() and char.lower() not in written:
        return False
    return not (char.islower() and before.isupper())


def _produced_spans(tracked: TrackedLine) -> list[tuple[int, int]]:
    """Where the text of ``tracked`` is what a repair produced, as (start, end) spans."""
    spans = []
    position = 0
    for piece in tracked.pieces:
        if piece.changed:
            spans.append((position, position + len(piece.text)))
        position += len(piece.text)
    return spans


def _whole_char_sites(text: str, apostrophes: bool, habits: DocumentHabits) -> list[LostSite]:
    """Characters lost whole (U+FFFD, ``?``) where the context leaves few readings."""
    sites = []
    # In a document of single-byte text read as UTF-8 in a language with letters to lose,
    # a mark before an s is a lost letter (três), not an English apostrophe.
    if apostrophes and not _single_byte_languages(habits):
        widths = set()
        for match in apostrophe_marks(text):
            word_and_mark = match.group()
            mark = len(word_and_mark) - len(word_and_mark.rstrip("?\ufffd"))
            start = match.end() - mark
            if text[start] == "?":
                widths.add(mark)
            sites.append(LostSite(start, match.end(), "’", LOST_CHARACTER_KIND, text[start]))
        widths.update(len(match.group(1)) for match in QUOTED_MARKS.finditer(text))
        width = _document_mark_width(habits) or (widths.pop() if len(widths) == 1 else 0)
        if width and habits.english_quotes:
            sites.extend(_question_mark_sites(text, width, habits))
    # In an English document of single-byte text read as UTF-8, the marks outside words
    # are its lost punctuation; in another language a mark between spaces is as often a
    # word of one letter (Portuguese é), and its quotation marks are not English ones.
    # (A later look no longer shows the damage once letters were read, but keeps the
    # languages the first one named: see repair.Judgements.)
    if "\ufffd" in text and (_single_byte_languages(habits) or _single_byte_shown(habits)):
        if _single_byte_punctuation(habits):
            sites.extend(_single_mark_sites(text))
    # Three marks of single-byte text read as UTF-8 are three letters (najv���ch).
    elif "\ufffd" in text:
        for match in _LOST_PUNCTUATION.finditer(text):
            if not _context_is_cjk(text, match.start(), match.end()):
                sites.append(
                    LostSite(
                        match.start(),
                        match.end(),
                        LOST_THREE_BYTE_PUNCTUATION,
                        LOST_CHARACTER_KIND,
                        "\ufffd",
                    )
                )
    return sites


# --- single-byte text read as UTF-8 -------------------------------------------------------
# Text written in a single-byte code page (cp1252, cp1250, Latin-1) and read as UTF-8 with
# replacement: a byte above 0x7F followed by ASCII is no UTF-8, so each accented letter
# became one U+FFFD (Der B�rgermeister, gro� und sch�n). The bytes are gone; the letters
# are chosen from the document language's alphabet by the words they complete.
SINGLE_BYTE_AS_UTF8 = "single-byte text read as utf-8"
_MARK_RUN = re.compile("\ufffd+")
_MARK_BESIDE_LETTER = re.compile("(?<=[A-Za-z])\ufffd|\ufffd(?=[A-Za-z])")
# The damage is shown by at least this many marks beside an ASCII letter, in a text whose
# only non-ASCII character is U+FFFD and where at least this share of the runs of marks
# are single ones (UTF-8 read as ASCII leaves two or three per character, never one:
# caf��; two letters side by side leave two here too: informa��es).
MIN_MARKS_BESIDE_LETTERS = 2
SINGLE_MARK_SHARE = 1 / 3
# The longest run of marks read as that many lost letters of one word.
MAX_LOST_LETTERS_IN_RUN = 3
# How much more frequent (centibels: 140 is 25 times) a word with a lost letter at its edge
# must be than the word without it for the mark to be read as a letter, not punctuation
# (see _word_without_edge_marks): twice the margin the word lists decide between letters by.
EDGE_LETTER_MARGIN = 2 * lexicon.DECISIVE_MARGIN
# The start of a document whose words name the languages of its lost letters, with its
# markup and addresses left out: a feed's tags, entities and links (<description>, &lt;p&gt;,
# http://www.bbc.co.uk/...) are English words whatever its text's language, and a page of
# them holds little text in its first lines.
SINGLE_BYTE_LANGUAGE_SAMPLE = 1 << 16
# Marks between letters (see _single_byte_languages) that show a document to be in the
# second language its words name, where the first has no letters to lose.
MIN_LOST_LETTERS = 8
# What a capital follows: the end of a sentence, or a markup tag (<title>Újabb).
_SENTENCE_END = frozenset(".!?:>")


def shows_single_byte_read_as_utf8(text: str) -> bool:
    """Does ``text`` show single-byte text read as UTF-8 with replacement (see above)?

    Every non-ASCII character of such text is U+FFFD (a pair of high bytes that happens to
    be UTF-8 is rare enough to rule the damage out), many marks are single, and marks sit
    beside letters (English text read so shows it too, by its lost apostrophes and
    quotation marks, and has no letters to lose). A document that also holds other
    non-ASCII text was read some other way (UTF-8 read as Big5 leaves ideographs), and a
    Cyrillic or Greek one read this way lost every letter, which no word decides.
    """
    marks = text.count("\ufffd")
    if not marks or len(text.encode("ascii", "ignore")) + marks != len(text):
        return False
    if len(_MARK_BESIDE_LETTER.findall(text)) < MIN_MARKS_BESIDE_LETTERS:
        return False
    runs = _MARK_RUN.findall(text)
    return sum(len(run) == 1 for run in runs) >= SINGLE_MARK_SHARE * len(runs)


# The code pages single-byte text of a language with Latin letters is written in: the
# Windows ones, whose letters hold nearly all of the ISO-8859 Latin pages' letters of the
# alphabets the word lists know, but not Romanian ș ț (comma below), which only ISO-8859-16
# has and which Romanian text in cp1250 writes with a cedilla (ş ţ).
SINGLE_BYTE_LATIN_CODE_PAGES = ("cp1250", "cp1252", "cp1254", "cp1257", "cp1258")


@cache
def _single_byte_letters(language: str) -> frozenset[str]:
    """The letters of ``language``'s alphabet (lexicon.alphabet) that some single-byte
    code page writes, in its small letters: those a U+FFFD of single-byte text read as
    UTF-8 can stand for (none for a language without such letters, English)."""
    return frozenset(
        letter
        for letter in lexicon.alphabet(language)
        if any(encodes(letter, codec) for codec in SINGLE_BYTE_LATIN_CODE_PAGES)
    )


def _single_byte_shown(habits: DocumentHabits) -> bool:
    """Does the document show single-byte text read as UTF-8 (asked once per document)?"""
    if habits.single_byte_shown is None:
        habits.single_byte_shown = shows_single_byte_read_as_utf8(habits.document_text)
    return habits.single_byte_shown


def _single_byte_punctuation(habits: DocumentHabits) -> bool:
    """Are the marks of this document of single-byte text read as UTF-8 outside its words
    lost English punctuation? They are where its words lost no letters (as in
    :func:`lost_punctuation_proven`: a mark between letters is an apostrophe's, don�t) and
    its language quotes the English way, with no letters of its own to lose (see
    :func:`_single_byte_languages`). Asked once per document."""
    if habits.single_byte_punctuation is None:
        habits.single_byte_punctuation = (
            not _single_byte_languages(habits)
            and len(LOST_LETTER.findall(habits.document_text)) < 2
            and habits.english_quotes
        )
    return habits.single_byte_punctuation


def _single_mark_sites(text: str) -> list[LostSite]:
    """Punctuation lost as one U+FFFD in single-byte text read as UTF-8 (an English
    document's ’ “ ” — …): a single mark that opens a word after a space, closes one before
    a space or a sign, stands between digits or between spaces. Read only where the
    context decides (DECISIVE_GUESS), as for a "?" (see :func:`_question_mark_sites`); a
    mark inside a word is a letter's or an apostrophe's (see :func:`apostrophe_marks`)."""
    sites = []
    for run in _MARK_RUN.finditer(text):
        start, end = run.span()
        if end - start != 1:
            continue
        before, after = text[start - 1 : start], text[end : end + 1]
        if _punctuation_place(before, after, str.isalpha, ".,!?", between_spaces=True):
            sites.append(
                LostSite(start, end, "’”“‘—–…", LOST_CHARACTER_KIND, "\ufffd", DECISIVE_GUESS)
            )
    return sites


def _single_byte_languages(habits: DocumentHabits) -> tuple[str, ...]:
    """The languages whose letters a mark of single-byte text read as UTF-8 may stand for
    in this document (none: no such damage, English, or no word lists). Read once per
    document.

    They are those its intact words outside markup name, where the first of them has
    letters to lose. Where it has none (English) but a later one does, the later ones, if
    the document's marks are mostly lost letters (LOST_LETTER: between letters, in no
    English short form), many of them: a Hungarian blog's English feed chrome (Blogger,
    This is an Atom format) outnumbers its intact Hungarian words, whose accented ones are
    all damaged, and an English text's marks are mostly its apostrophes (don�t, India�s)."""
    if habits.single_byte_languages is None:
        languages: tuple[str, ...] = ()
        if _single_byte_shown(habits):
            text = habits.document_text[:SINGLE_BYTE_LANGUAGE_SAMPLE]
            prose = lexicon.prose_of(text)
            # Where the first language is settled early (lexicon.first_language_for) and
            # has no letters to lose, the others are asked only of mostly lost letters:
            # an English document's lost apostrophes read one word list, not 27.
            first = lexicon.first_language_for(prose)
            if first is None or _single_byte_letters(first) or _mostly_lost_letters(text):
                named = lexicon.languages_for(prose)
                if named and _single_byte_letters(named[0]):
                    languages = named
                elif len(named) > 1 and _mostly_lost_letters(text):
                    languages = tuple(
                        language for language in named[1:] if _single_byte_letters(language)
                    )
        habits.single_byte_languages = languages
    return habits.single_byte_languages


def _mostly_lost_letters(text: str) -> bool:
    """Are the marks of ``text`` lost letters (see :func:`_single_byte_languages`): at least
    MIN_LOST_LETTERS of them, and more than twice as many as English short forms?"""
    lost = len(LOST_LETTER.findall(text))
    return lost >= MIN_LOST_LETTERS and lost > 2 * len(apostrophe_marks(text))


def _single_byte_letter_edits(text: str, habits: DocumentHabits) -> list[Edit]:
    """The lost letters of a line of single-byte text read as UTF-8 (see above), chosen by
    the word lists of the document's languages where a word decides: each U+FFFD of a
    short run beside a letter is one of their letters, in the case its word shows (see
    :func:`_lost_letter_case`). A mark between spaces is left alone: it is as often a dash
    as a word of one letter (Portuguese é, Hungarian ő)."""
    languages = _single_byte_languages(habits)
    if not languages:
        return []
    small = sorted(frozenset().union(*map(_single_byte_letters, languages)))
    nouns_capitalised = any(lexicon.capitalises_nouns(language) for language in languages)
    pieces: list[str | list[str]] = []
    starts: list[int] = []
    position = 0
    for run in _MARK_RUN.finditer(text):
        before, after = text[run.start() - 1 : run.start()], text[run.end() : run.end() + 1]
        if not (before.isalpha() or after.isalpha()):
            continue
        if run.end() - run.start() > MAX_LOST_LETTERS_IN_RUN:
            continue
        if _word_without_edge_marks(text, run, small, languages):
            continue
        for start in range(run.start(), run.end()):
            case = _lost_letter_case(text, start, nouns_capitalised=nouns_capitalised)
            if case is None:
                continue
            options = [letter.upper() if case else letter for letter in small]
            pieces.append(text[position:start])
            pieces.append([option for option in options if len(option) == 1])
            starts.append(start)
            position = start + 1
    if not starts:
        return []
    pieces.append(text[position:])
    choices = lexicon.choose("", pieces, "", languages=languages)
    return [
        Edit(
            start,
            start + 1,
            choice.chars[0],
            _lexicon_kind(SINGLE_BYTE_AS_UTF8, choice.evidence),
            LEXICON_CONFIDENCE,
            inferred=True,
        )
        for start, choice in zip(starts, choices, strict=True)
        if choice is not None
    ]


def _word_without_edge_marks(
    text: str, run: re.Match[str], letters: Sequence[str], languages: Sequence[str]
) -> bool:
    """Do the marks of ``run`` begin or end a word that is a listed word without them, and
    not clearly a rarer one than any the lost ``letters`` make of it? Then they are as
    likely lost punctuation around it (kell…, „Ja“: kellő and Ája are words too) as lost
    letters, and are left alone. (Word lists hold stray short tokens, caf and est among
    them: a single mark is a letter where its word, café, está, is far more frequent.)"""
    start, end = run.span()
    if text[start - 1 : start].isalpha() and text[end : end + 1].isalpha():
        return False  # inside a word: no punctuation goes there
    word_start = start
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    word_end = end
    while word_end < len(text) and text[word_end].isalpha():
        word_end += 1
    before, after = text[word_start:start], text[end:word_end]
    without = lexicon.frequency(before + after, languages)
    if without is None:
        return False
    if end - start > 1:
        return True
    with_letter = [lexicon.frequency(before + letter + after, languages) for letter in letters]
    best = min((found for found in with_letter if found is not None), default=None)
    return best is None or best > without - EDGE_LETTER_MARGIN


def _lost_letter_case(text: str, at: int, *, nouns_capitalised: bool) -> bool | None:
    """Is the letter lost at ``at`` a capital (True), a small letter (False), or can the
    text not tell (None)? Inside a word or at its end it takes the case of the word's
    known letters (capitals only in a word of capitals); a word's first letter is a
    capital at a line's or sentence's start, and small inside a sentence, except in a
    language that capitalises its nouns, where it is left open."""
    start = at
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "\ufffd"):
        start -= 1
    end = at + 1
    while end < len(text) and (text[end].isalpha() or text[end] == "\ufffd"):
        end += 1
    known = [char for char in text[start:end] if char.isalpha()]
    capitals = len(known) > 1 and all(char.isupper() for char in known)
    if start < at:
        return capitals
    before = text[:start].rstrip(" \t\"'“‘«(„")
    if not before or before[-1] in _SENTENCE_END or capitals:
        return True
    return None if nouns_capitalised else False


# A run of "?" (see _question_mark_sites); and ASCII punctuation that may follow a closing
# quotation mark.
_QUESTION_RUN = re.compile(r"\?+")
_AFTER_CLOSING = frozenset(",.;:!)]")
# French typography spaces its question and exclamation marks (« Vraiment ? »): in such a
# document a spaced "?" is a question mark, not a lost dash.
_SPACED_QUESTION_SIGNS = re.compile(r" [!;:»]|«\s")
# The least confidence of a context rule for a "?" that may be a real question mark.
DECISIVE_GUESS = 0.6


def _document_mark_width(habits: DocumentHabits) -> int:
    """How many "?" a whole lost character became in this document: 1 (a converter that
    writes one per character) or 3 (one per byte of UTF-8 punctuation), read from the
    English contractions it proved (India?s, India???s); 0 when they disagree or the
    document is not known."""
    if habits.mark_width is None:
        text = habits.document_text
        widths = {len(match.group(1)) for match in QUOTED_MARKS.finditer(text)}
        for match in apostrophe_marks(text):
            word_and_mark = match.group()
            marks = len(word_and_mark) - len(word_and_mark.rstrip("?"))
            if marks:
                widths.add(marks)
        habits.mark_width = widths.pop() if len(widths) == 1 else 0
        habits.spaced_questions = _SPACED_QUESTION_SIGNS.search(text) is not None
    return habits.mark_width


def _question_mark_sites(text: str, width: int, habits: DocumentHabits) -> list[LostSite]:
    """Quotation marks and dashes that became ``width`` "?" each, in a document whose
    contractions prove that damage (apostrophes are read by :func:`apostrophe_marks`).

    A run of another length is left alone (What??? is emphasis), and so is a run whose
    place is a question mark's: after a word and before a space or the end, a run is a
    closing quotation mark only where a quotation is open or a full stop or comma comes
    before it (checked when the site is read: its guess must reach DECISIVE_GUESS). Before
    a word after a space it opens a quotation, between digits it is a range dash, and
    between spaces a dash, unless the document spaces its question marks (French).
    """
    sites = []
    for match in _QUESTION_RUN.finditer(text):
        start, end = match.span()
        after = text[end : end + 1]
        at_word_end = not after or after.isspace() or after in _AFTER_CLOSING
        if end - start > width and at_word_end and text[start - 1 : start].isalnum():
            # A question that closes a quotation (done??): the last run is the mark,
            # read only where it closes a quotation open on the line.
            start = end - width
            sites.append(
                LostSite(start, end, "”’", LOST_CHARACTER_KIND, "?", QUOTE_BALANCE_CONFIDENCE)
            )
            continue
        if end - start != width:
            continue
        before = text[start - 1 : start]
        spaced = not habits.spaced_questions
        if _punctuation_place(before, after, str.isalnum, ".,", between_spaces=spaced):
            sites.append(LostSite(start, end, "’”“‘—–…", LOST_CHARACTER_KIND, "?", DECISIVE_GUESS))
    return sites


def _punctuation_place(
    before: str,
    after: str,
    opens: Callable[[str], bool],
    closes_after: str,
    *,
    between_spaces: bool,
) -> bool:
    """Does a lost character between ``before`` and ``after`` (a character each, or
    nothing at the line's edge) stand where punctuation does: opening a word (``opens``
    the character after it) after a space or a bracket, closing one before a space, the
    end or a sign (after a letter, a digit or one of ``closes_after``), between digits,
    or between spaces where ``between_spaces``? (Shared by a "?" run and a single U+FFFD
    of single-byte text read as UTF-8, whose places differ only in those arguments.)"""
    at_word_end = not after or after.isspace() or after in _AFTER_CLOSING
    opening = (not before or before.isspace() or before in "([") and opens(after)
    closing = (before.isalnum() or before in closes_after) and at_word_end
    digits = before.isdigit() and after.isdigit()
    spaced = between_spaces and before == " " and after == " "
    return opening or closing or digits or spaced


def _inference_sites(
    text: str,
    evidence: set[str],
    marked_layers: tuple[Layer, ...],
    apostrophes: bool,
    habits: DocumentHabits,
) -> list[LostSite]:
    written = habits.written
    sites: list[LostSite] = []
    for layer in LAYERS:
        proven = layer.name in evidence
        if not proven and layer not in marked_layers:
            continue
        for site in _lost_byte_sites(text, layer, unmarked=proven, written=written):
            # A byte dropped without a trace leaves a character that is also a real (rare)
            # one: only a lossless repair elsewhere in the document proves the damage.
            # A "?" after a lone double-byte character is no better evidence; U+FFFD, or a
            # "?" after a single-byte prefix of two characters (â€?), is.
            if not proven and (
                (site.marker == "?" and (not layer.single_byte or site.end - site.start < 3))
                or _context_is_cjk(text, site.start, site.end)
            ):
                continue
            sites.append(site)
    sites.extend(_whole_char_sites(text, apostrophes, habits))
    sites.sort(key=lambda site: (site.start, -site.end))
    chosen: list[LostSite] = []
    for site in sites:
        if not chosen or site.start >= chosen[-1].end:
            chosen.append(site)
    return chosen


# Bytes a mark can stand for, by what made it: a strict Windows decoder replaces only the
# bytes it leaves undefined with U+FFFD; "?" comes from writing cp1252 specials (0x80-0x9F)
# to a charset without them.
def _mark_options(mark: str, layer: Layer, written: Container[str]) -> tuple[int, ...]:
    if mark == "?":
        return _question_mark_bytes(layer, written)
    return _undefined_bytes(layer.read_as)


@lru_cache(maxsize=64)
def _undefined_bytes(codec: str) -> tuple[int, ...]:
    """The bytes 0x80-0xBF ``codec`` cannot decode alone (those a strict decoder marks),
    or, for a codec that decodes them all (Latin-1), any of 0x80-0x9F."""
    return _undefined_by(codec) or tuple(range(0x80, 0xA0))


# The charsets mojibake is saved in that write "?" for what they lack: Latin-1, and Latin-9
# (which has € Š š Ž ž Œ œ Ÿ, so a document can show those and still have lost ™ as "?").
SAVED_AS = ("latin_1", "iso8859_15")


def _question_mark_bytes(layer: Layer, written: Container[str]) -> tuple[int, ...]:
    """The bytes 0x80-0x9F a "?" can stand for, in a document whose characters are
    ``written``: a converter writes "?" for what its charset lacks, so a byte the document
    shows written elsewhere (as its cp1252 character, or as a C1 control that Latin-1
    kept) was not one of those. Text saved as Latin-1 keeps C1 controls and loses every
    cp1252 special; text through a strict cp1252 decoder keeps the specials and loses
    the five undefined bytes. One special that no charset of SAVED_AS has (… ™ “),
    written anywhere, therefore proves the second way, and the marks are the bytes the
    codec leaves undefined; else the document's characters only rule bytes out. With
    nothing to go by, any of the 32."""
    every = tuple(range(0x80, 0xA0))
    if not written:
        return every
    undefined, specials = _split_high_bytes(layer.read_as, layer.codec)
    if undefined and any(_byte_char(byte, layer.codec) in written for byte in specials):
        return undefined
    left = tuple(byte for byte in every if _byte_char(byte, layer.codec) not in written)
    return left or every


@lru_cache(maxsize=64)
def _split_high_bytes(read_as: str, codec: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The bytes 0x80-0x9F the strict ``read_as`` leaves undefined, and those ``codec``
    (its lenient variant) reads as a character other than a C1 control (cp1252's
    specials € ‚ ƒ … ™)."""
    undefined = tuple(b for b in range(0x80, 0xA0) if not _decodes_alone(b, read_as))
    specials = tuple(
        b
        for b in range(0x80, 0xA0)
        if b not in undefined
        and unicodedata.category(_byte_char(b, codec)) != "Cc"
        and not any(encodes(_byte_char(b, codec), target) for target in SAVED_AS)
    )
    return undefined, specials


@lru_cache(maxsize=4096)
def _byte_char(byte: int, codec: str) -> str:
    return bytes((byte,)).decode(codec, "replace")


class _ReadSoFar:
    """A line and the readings taken of runs in it so far, left to right: the context
    before a run is the line as read up to it, not as the damage left it."""

    __slots__ = ("_parts", "_position", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._parts: list[str] = []
        self._position = 0

    def before(self, start: int) -> str:
        return "".join(self._parts) + self._text[self._position : start]

    def take(self, start: int, end: int, reading: str) -> None:
        self._parts.append(self._text[self._position : start] + reading)
        self._position = end


def _wildcard_edits(
    text: str,
    layer: Layer,
    habits: DocumentHabits,
    *,
    proven: bool,
    decided_only: bool = False,
    guessing: bool = True,
    runs_in: str | None = None,
) -> list[Edit]:
    """Decode runs where marks stand for lost bytes inside UTF-8 sequences (ã�„ = E3 ?? 84).

    Each mark is one byte from a small set (see :func:`_mark_options`); the sequence around
    it fixes how many bytes are missing and narrows the set further. Among the characters
    that remain, punctuation is chosen by context (inference.py), letters by the words they
    complete (lexicon.py, over the whole line, so that two lost letters of one word are
    chosen together) and otherwise by how common they are (kana over rare compatibility
    ideographs).

    Runs are found in ``runs_in`` where given: ``text`` with what earlier passes read
    masked (see :func:`_readings_masked`), so that no run takes in a character already
    read. Without ``guessing``, only runs whose every lost character the words or the
    punctuation decided are read.
    """
    runs: list[tuple[re.Match[str], list[str | list[str]]]] = []
    # Every "?" after a high character stands for a lost byte in a document that proves
    # the damage; elsewhere only one between two (ã?„), save where the words are to
    # decide each lost character of a line whose marks are all "?" (see below).
    every_mark = proven or (not guessing and "\ufffd" not in text)
    pattern = layer.trailing_mark_run if every_mark else layer.marked_run
    for match in pattern.finditer(text if runs_in is None else runs_in):
        run = match.group()
        if "\ufffd" not in run and not ("?" in run and (proven or not guessing)):
            # "?" is also a question mark (ÇA?); it stands for a lost byte only in a
            # document where this layer's damage was proven by a lossless repair, or
            # where the words decide every lost character of its run (Å?wiadectwa is
            # świadectwa, a short title's one damaged word the only proof there is).
            continue
        if run.endswith("?") and (
            _spaced_question(text, match.start(), match.end() - 1)
            or (not proven and ends_a_written_word(text, match.start(), match.end() - 1))
        ):
            continue
        short = len(run.replace("\ufffd", "").replace("?", "")) < 2
        if (
            short
            and not proven
            and not glued_to_ascii_letter(text, match.start(), match.end())
            and not _between_digits(text, match.start(), match.end())
        ):
            # One character and a mark (П� after an earlier repair) is too little to read
            # as damage, unless it sits inside a Latin word (SlovenÄ�ina) or between two
            # digits (1920Ã?1080, whose × only the place decides), or the document shows
            # this layer's damage elsewhere.
            continue
        pieces = _wildcard_pieces(run, layer, habits.written)
        if pieces is None:
            continue
        if not proven and "\ufffd" not in run and not _read_on_its_words(text, match, pieces):
            continue
        runs.append((match, pieces))
    runs = _in_document_variant(runs, habits)
    by_lexicon = _lexicon_choices(text, runs, habits)
    edits = []
    read = _ReadSoFar(text)
    for match, pieces in runs:
        slots = sum(not isinstance(piece, str) for piece in pieces)
        chosen, by_lexicon = by_lexicon[:slots], by_lexicon[slots:]
        before = read.before(match.start())
        decoded, evidence, guessed = _resolve_lost_chars(
            pieces, before, text[match.end() :], habits, chosen
        )
        trailing = match.group().endswith("?") and not (
            len(_question_mark_bytes(layer, habits.written)) <= MAX_GUESSED_BYTES
            and _mark_ends_sequence(text, match, layer)
        )
        if guessed and not guessing:
            continue
        if not proven and "\ufffd" not in match.group() and any(map(lexicon.is_unspaced, decoded)):
            # (See _read_on_its_words: the words of unspaced text, Chinese and Japanese,
            # are found among its characters by chance, 雨 read as 重 before a lost kana.)
            continue
        if guessed and (decided_only or trailing):
            # A "?" that ends a run may be a question mark after a word (MAÇÃ?), and a
            # layer the screen did not pick for marks is read there only to let the
            # document's proven damage speak first: such runs are read only where the
            # words or the punctuation around decided each character, never on
            # likelihood alone.
            if not proven or "?" in match.group():
                continue
            # U+FFFD in a run of the document's proven damage is a lost byte for sure:
            # what the context did not decide becomes one U+FFFD (as ftfy would make
            # it), the rest as decided. Left as it stands, the run would keep the line
            # looking damaged, and the whole line would go to ftfy's reading, losing
            # every character the words decided on it.
            decoded, evidence, _ = _resolve_lost_chars(
                pieces, before, text[match.end() :], habits, chosen, guess=False
            )
        if decoded != match.group():
            read.take(match.start(), match.end(), decoded)
            if evidence is None:
                kind, confidence = layer.name + INFERRED_SUFFIX, 0.7
            else:
                kind, confidence = _lexicon_kind(layer.name, evidence), LEXICON_CONFIDENCE
            edits.append(Edit(match.start(), match.end(), decoded, kind, confidence, True))
    if not proven and layer.single_byte and "?" in text:
        edits.extend(_punctuation_runs(text, layer, habits, edits))
    return edits


def _read_on_its_words(text: str, match: re.Match[str], pieces: list[str | list[str]]) -> bool:
    """May a run of "?" marks in a document that proves no damage be read, the words
    around it to decide each lost character (and only then: see _wildcard_edits)?

    Only a run of lost letters (a run of lost punctuation, â??, is
    :func:`_punctuation_runs`' business, which reads it by the marks' own rules) and the
    only run of its word: the lists judge a word, and one whose other letters are lost
    too (Cyrillic through cp1252 loses every other letter, адмÑ?словÑ?Ñ?) is judged on
    a fragment, where a word of another language turns up (ловят)."""
    if all(isinstance(piece, str) or _punctuation_of(piece) for piece in pieces):
        return False
    start, end = match.start(), match.end()
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "?"):
        start -= 1
    while end < len(text) and (text[end].isalpha() or text[end] == "?"):
        end += 1
    return "?" not in text[start : match.start()] + text[match.end() : end]


def _between_digits(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start].isdigit() and text[end : end + 1].isdigit()


def _dropped_byte_edits(tracked: TrackedLine, layer: Layer, habits: DocumentHabits) -> list[Edit]:
    """Read the sequences of ``layer``'s proven damage that lost a byte without a trace.

    A strict decoder run with ``errors="ignore"`` (or a cleaner that stripped what it
    could not show) leaves nothing where cp1252 has no character: Cyrillic с (D1 81)
    becomes a lone ``Ñ`` (``пуÑтой``), Japanese い (E3 81 84) ``ã„``. Where a UTF-8
    sequence of the line's remaining damage falls one byte short, a mark is put where
    the byte is missing and the run is read as :func:`_wildcard_edits` reads U+FFFD, the
    mark standing for one of the bytes the codec leaves undefined. Only characters the
    words or the punctuation around decide are taken: a lone ``Ñ`` may also be a letter
    the text writes (España beside damaged words), and nothing but a word shows it is not.
    """
    if len(_undefined_by(layer.read_as)) < MIN_DROPPABLE_BYTES:
        return []
    if not _may_hold_left_over_leads(tracked, layer):
        return []
    masked = _left_over_masked(tracked, layer)
    sites = _dropped_byte_places(masked, layer)
    if not sites:
        return []
    # Where two places are as likely, the line is read again with the other place of
    # those sequences alone (a second reading of the whole line costs Japanese text, where
    # ties are common, a third of its speed).
    edits = _read_with_marks(tracked.text, masked, [places[0] for places in sites], layer, habits)
    if any(len(places) > 1 for places in sites):
        other = [places[-1] for places in sites if len(places) > 1]
        for edit in _read_with_marks(tracked.text, masked, other, layer, habits):
            if not any(edit.start < taken.end and taken.start < edit.end for taken in edits):
                edits.append(edit)
        edits.sort(key=lambda edit: edit.start)
    return edits


def _read_with_marks(
    text: str, masked: str, marks: list[int], layer: Layer, habits: DocumentHabits
) -> list[Edit]:
    """The decided readings (see :func:`_decided`) of ``text`` with a lost-byte mark put
    before each position of ``marks``, at the line's own positions."""
    edits = _wildcard_edits(
        _with_marks(text, marks),
        layer,
        habits,
        proven=True,
        decided_only=True,
        runs_in=_with_marks(masked, marks),
    )
    # Back to the line's own positions: each mark the edits take in was not in it.
    shifted = [position + order for order, position in enumerate(marks)]
    mapped = [
        Edit(
            edit.start - bisect_left(shifted, edit.start),
            edit.end - bisect_left(shifted, edit.end),
            edit.replacement,
            edit.kind,
            edit.confidence,
            edit.inferred,
        )
        for edit in edits
        if _decided(edit, layer)
    ]
    return [
        edit
        for edit in mapped
        if not _lone_letter_or_nbsp(text, edit, layer) and _in_scripts_of_line(text, edit)
    ]


def _in_scripts_of_line(text: str, edit: Edit) -> bool:
    """Is every letter ``edit`` makes in a script the rest of the line writes? A dropped
    byte is a letter of the line's own words: ``parlé\x85`` (é and a C1 control) is no
    Japanese 遅 (E9 81 85) in a French line."""
    made = {script_of(char) for char in edit.replacement if char.isalpha()}
    if not made:
        return True
    rest = text[: edit.start] + text[edit.end :]
    return made <= {script_of(char) for char in rest if char.isalpha()}


def _lone_letter_or_nbsp(text: str, edit: Edit, layer: Layer) -> bool:
    """Does ``edit`` make a word of one letter of a lead before a space that could as
    well be the lead and a lost A0 byte (a no-break space that became the space, see
    :func:`_nbsp_edits`)? Most lists hold every letter as a word, so the words do not
    tell the two apart: ``Ù Ù ١`` is ٠٠١ (D9 A0). Where the lead and A0 make no natural
    character (Ñ and A0 is Ѡ), the lone letter stands: Russian ``Ñ`` is the word с."""
    if not (
        len(edit.replacement) == 1
        and edit.replacement.isalpha()
        and not text[edit.start - 1 : edit.start].isalpha()
        and text[edit.end : edit.end + 1] == " "
    ):
        return False
    try:
        with_nbsp = (text[edit.start : edit.end].encode(layer.codec) + b"\xa0").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return nbsp_reading_fits(with_nbsp, text[edit.start - 1 : edit.start], text)


def _decided(edit: Edit, layer: Layer) -> bool:
    """Did the words (the kind names the lists) or the punctuation around (a reading of
    signs alone) choose the lost characters of ``edit``? A letter that only likelihood
    chose is no evidence that a byte was dropped there at all."""
    if "\ufffd" in edit.replacement:
        return False
    if edit.kind != layer.name + INFERRED_SUFFIX:
        return True
    return not any(map(_word_letter_or_digit, edit.replacement))


def _word_letter_or_digit(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


@cache
def _lead_chars(layer: Layer) -> re.Pattern[str]:
    """The characters ``layer``'s code page writes a UTF-8 lead byte (C2-F4) as: a line
    without one holds no sequence that can have lost a byte (a repaired English line
    keeps only its ’ and “)."""
    leads = sorted(
        char
        for char, raw in layer.repertoire.items()
        if len(raw) == 1 and raw[0] in UTF8_LEAD_BYTES
    )
    return re.compile("[" + "".join(map(re.escape, leads)) + "]") if leads else NEVER


# A dropped byte is read only through a code page that leaves at least this many bytes
# undefined, so that the words or the punctuation choose among the readings: cp1251
# leaves only 98, and a lone lead would read as lead and 98 with nothing to choose.
MIN_DROPPABLE_BYTES = 2


@lru_cache(maxsize=64)
def _undefined_by(codec: str) -> tuple[int, ...]:
    """The bytes 0x80-0xBF that ``codec`` cannot decode alone (none for Latin-1)."""
    return tuple(b for b in range(0x80, 0xC0) if not _decodes_alone(b, codec))


def _with_marks(text: str, marks: list[int]) -> str:
    """``text`` with U+FFFD put before each position of ``marks`` (ascending)."""
    parts = []
    position = 0
    for mark in marks:
        parts.append(text[position:mark])
        parts.append("\ufffd")
        position = mark
    parts.append(text[position:])
    return "".join(parts)


def _dropped_byte_places(masked: str, layer: Layer) -> list[tuple[int, ...]]:
    """Where in ``masked`` (see :func:`_left_over_masked`) one byte of a UTF-8 sequence
    written through ``layer``'s code page is missing: for each such sequence, the
    positions a mark may go before (see :func:`_dropped_place`).

    A 3-byte sequence with one continuation left could have lost either of the other
    two (ã„ is E3 ?? 84 or E3 84 ??); the place whose readings hold the likelier
    character is taken (い, not a Bopomofo letter), both where they tie. Runs that hold
    or touch a mark (U+FFFD, ``?``), and sequences that lost two bytes, are left alone."""
    undefined = _undefined_by(layer.read_as)
    places: list[tuple[int, ...]] = []
    for match in layer.marked_run.finditer(masked):
        run = match.group()
        around = masked[match.start() - 1 : match.start()] + masked[match.end() : match.end() + 1]
        if any(mark in run or mark in around for mark in _LOST_MARKERS):
            continue  # a byte lost with a trace: the marks are read as such
        try:
            raw = run.encode(layer.codec)
        except UnicodeEncodeError:
            continue
        if len(raw) != len(run):
            continue
        index = 0
        while index < len(raw):
            size = utf8_length(raw[index])
            if not size:
                index += 1
                continue
            present = 0
            while present < size - 1 and index + 1 + present < len(raw):
                if not 0x80 <= raw[index + 1 + present] <= 0xBF:
                    break
                present += 1
            if present == size - 2:
                offsets = _dropped_place(raw[index : index + 1 + present], undefined)
                if offsets:
                    places.append(tuple(match.start() + index + at for at in offsets))
            index += 1 + present
    return places


def _dropped_place(sequence: bytes, undefined: tuple[int, ...]) -> tuple[int, ...]:
    """Where in ``sequence`` (a lead and all but one of its continuation bytes) the
    missing byte can go, as offsets from the lead: the place whose readings hold the
    likeliest character, or both places where they are as likely (司 is E5 8F B8 and
    帝 E5 B8 9D: ``å¸`` lost one or the other)."""
    lead, rest = sequence[0], [(byte,) for byte in sequence[1:]]
    ranked: list[tuple[tuple[int, int, int, int], int]] = []
    for place in range(1, len(sequence) + 1):
        options = [*rest[: place - 1], undefined, *rest[place - 1 :]]
        choices = _sequence_choices(lead, options)
        if choices:
            ranked.append((min(map(_likelihood, choices)), place))
    ranked.sort()
    return tuple(place for likeliest, place in ranked if likeliest[:3] == ranked[0][0][:3])


def _punctuation_runs(
    text: str, layer: Layer, habits: DocumentHabits, taken: list[Edit]
) -> list[Edit]:
    """Runs where "?" stands for lost bytes of punctuation, in a document that proves no
    damage: cp1252 mojibake saved as Latin-1 (Indiaâ??s, â??very goodâ?\x9d). Each "?"
    is one byte, and only where the bytes around make every lost character a punctuation
    mark that the context picks (a lead byte E2 and two lost bytes are General
    Punctuation) is the run read; a letter there would be a guess, and a "?" after a
    letter a question mark (MAÇÃ?).
    """
    edits = []
    read = _ReadSoFar(text)
    for match in layer.trailing_mark_run.finditer(text):
        run = match.group()
        if "?" not in run or "\ufffd" in run:
            continue
        if any(edit.start < match.end() and match.start() < edit.end for edit in taken):
            continue
        pieces = _wildcard_pieces(run, layer, habits.written)
        if pieces is None or not all(
            isinstance(piece, str) or _punctuation_of(piece) for piece in pieces
        ):
            continue
        decoded, _, guessed = _resolve_lost_chars(
            pieces, read.before(match.start()), text[match.end() :], habits, []
        )
        if guessed or decoded == run:
            continue
        read.take(match.start(), match.end(), decoded)
        kind = layer.name + INFERRED_SUFFIX
        edits.append(Edit(match.start(), match.end(), decoded, kind, 0.7, True))
    return edits


# A "?" that ends a run is read on likelihood alone only where it stands for this many
# bytes at most (the five a strict cp1252 decoder leaves undefined): among the 27 that
# Latin-1 lacks, the most frequent letter is no better than a coin.
MAX_GUESSED_BYTES = 8


def _mark_ends_sequence(text: str, match: re.Match[str], layer: Layer) -> bool:
    """Is the ``?`` that ends ``match`` a lost byte rather than a question mark?

    It is when a letter or digit follows it (a question mark is not glued to the next
    word: ``Ð?лки``), or when the run before it already holds a byte that continues a
    sequence (``ã€?``, ``â??``): a lead byte and its continuation are no complete
    character, so the sequence must go on into the mark; or when the lead ends a word
    of another script. After a lone lead that fits its word (``MAÇÃ?``) the mark may be
    a real question mark, and only the words decide.
    """
    run = match.group()
    following = text[match.end() : match.end() + 1]
    if following.isalnum():
        return True
    before = run[-2:-1]
    if before == "?" or _continuation_char(before, layer.codec):
        return True
    # A lone lead glued to the end of a word in another script (ЦенÑ?, עם as ע×?) is
    # no letter of that word: the word goes on into the mark.
    previous = text[match.start() - 1 : match.start()]
    return len(run) == 2 and previous.isalpha() and script_of(previous) != script_of(run[0])


@lru_cache(maxsize=4096)
def _continuation_char(char: str, codec: str) -> bool:
    """Is ``char`` one byte 0x80-0xBF in ``codec`` (€ in cp1252), a UTF-8 continuation?"""
    try:
        raw = char.encode(codec)
    except UnicodeEncodeError:
        return False
    return len(raw) == 1 and 0x80 <= raw[0] <= 0xBF


def _lexicon_choices(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]], habits: DocumentHabits
) -> list[LexiconChoice | None]:
    """The word lists' choice for every lost character of ``runs`` (None: no choice), the
    line's text around them as known text: a word can hold several runs (Ñ�то Ñ�т).
    The document names the language where the line cannot."""
    line: list[str | list[str]] = []
    position = 0
    letters = False
    for match, pieces in runs:
        line.append(text[position : match.start()])
        line.extend(pieces)
        position = match.end()
        letters = letters or any(
            not isinstance(piece, str) and not _punctuation_of(piece) for piece in pieces
        )
    line.append(text[position:])
    slots = sum(not isinstance(piece, str) for piece in line)
    if not letters:
        return [None] * slots
    return lexicon.choose("", line, "", document=habits.language_sample)


def _lexicon_kind(damage: str, evidence: str) -> str:
    """The finding kind of a lost byte the word lists decided: ``utf-8 read as cp1252
    (lost byte inferred from word list ru)``."""
    return f"{damage} (lost byte inferred from {evidence})"


def _wildcard_pieces(
    run: str, layer: Layer, written: Container[str] = frozenset()
) -> list[str | list[str]] | None:
    """``run`` decoded with each mark read as any byte it can stand for: known characters,
    and for each lost one the list of its candidates; None when the bytes do not decode."""
    template: list[tuple[int, ...]] = []
    for char in run:
        if char in _LOST_MARKERS:
            template.append(_mark_options(char, layer, written))
            continue
        try:
            template.extend((byte,) for byte in char.encode(layer.codec))
        except UnicodeEncodeError:
            return None
    # One byte per character (single-byte codecs): a byte's position is its character's.
    literal = len(template) == len(run)
    pieces: list[str | list[str]] = []
    position = 0
    while position < len(template):
        options = template[position]
        if len(options) > 1 or options[0] < 0x80:
            if len(options) > 1 or options[0] >= 0x80:
                return None  # a lost lead byte: the sequence length is unknown
            pieces.append(chr(options[0]))
            position += 1
            continue
        lead = options[0]
        size = utf8_length(lead)
        if not size and literal and all(isinstance(piece, str) for piece in pieces):
            # A byte no UTF-8 sequence starts with, before the run's first sequence: a
            # character an earlier repair made (… before â€� in soonâ€¦â€�), which the
            # run took in because the codec can write it. It stays as it is, and
            # decoding goes on after it. Later in the run such a byte leaves the run
            # unread, as before: what follows a lost byte is not known to be text.
            pieces.append(run[position])
            position += 1
            continue
        if not size or position + size > len(template):
            return None
        choices = _sequence_choices(lead, template[position + 1 : position + size])
        if not choices:
            return None
        pieces.append(choices[0] if len(choices) == 1 else choices)
        position += size
    return pieces


def utf8_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence that ``lead`` starts; 0 when none starts with it (a
    continuation byte 80-BF is no 4-byte lead)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    return 4 if 0xF0 <= lead <= 0xF4 else 0


def _resolve_lost_chars(
    pieces: list[str | list[str]],
    before: str,
    after: str,
    habits: DocumentHabits,
    by_lexicon: list[LexiconChoice | None],
    *,
    guess: bool = True,
) -> tuple[str, str | None, int]:
    """Known characters and, for each lost one, its candidates, made into text (with the
    word lists that decided a letter, and how many characters only likelihood chose).

    Left to right, each lost character is punctuation the context singles out
    (inference.py), else the letter the word lists chose (``by_lexicon``, one entry per lost
    character, from lexicon.py when installed),
    else the most likely character (unless ``guess`` is false); where nothing decides,
    the bytes still prove one character was here, so one U+FFFD replaces the two or
    three characters that stood for it.
    """
    out: list[str] = []
    evidence: str | None = None
    guessed = 0
    slot = 0
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            out.append(piece)
            continue
        chosen = by_lexicon[slot] if by_lexicon else None
        slot += 1
        prefix = before + "".join(out)
        # A lost mark is judged by what stands right beside it: the rest of the run, then
        # the text after it (a lost character there is unknown: U+FFFD). A run can hold
        # several characters: c’è read as Big5 is c���癡, whose ’ stands before è, not
        # before the space after the run. (In Chinese and Japanese a run of damage is a
        # whole sentence.)
        following = _run_rest(pieces, index) + after
        sign = None
        lost_next = pieces[index + 1] if index + 1 < len(pieces) else ""
        next_lost = lost_next if not isinstance(lost_next, str) else ()
        if not CJK_SIGNS.isdisjoint(piece):
            piece = without_touching_pauses(piece, prefix, following)
            sign = guess_cjk_sign(piece, prefix, following, next_lost)
        if sign is None and not FULLWIDTH_ENDS.isdisjoint(piece):
            sign = guess_fullwidth_end(piece, prefix, following, next_lost)
        char = (
            sign.char if sign is not None else _punctuation_guess(piece, prefix, following, habits)
        )
        if char is None and chosen is not None:
            char = chosen.chars[0]
            evidence = chosen.evidence
        if char is None:
            char = _pick_lost_char(piece, prefix, following) if guess else None
            guessed += 1
        out.append(char or "\ufffd")
    return "".join(out), evidence, guessed


def _run_rest(pieces: list[str | list[str]], index: int) -> str:
    """The run after ``pieces[index]`` as far as it is known: its known characters, and
    U+FFFD for each lost one."""
    return "".join(piece if isinstance(piece, str) else "\ufffd" for piece in pieces[index + 1 :])


# General Punctuation's marks, dashes to the double hyphen (‐ – — ‘ ’ “ ” … ‹ ›), and
# the currency signs (€ ₹ ₽ …): the signs that inference.guess_punctuation reads.
_PUNCTUATION_AND_CURRENCY = re.compile("[\u2010-\u205e\u20a0-\u20c0]+")


def _punctuation_of(choices: list[str]) -> str:
    """The General Punctuation marks and currency signs among ``choices``, in order.
    (Found by one regex over the joined list: a lost letter's list holds dozens of
    characters, and this is asked of every list several times.)"""
    return "".join(_PUNCTUATION_AND_CURRENCY.findall("".join(choices)))


def _punctuation_guess(
    choices: list[str], before: str, after: str, habits: DocumentHabits
) -> str | None:
    punctuation = _punctuation_of(choices)
    if punctuation:
        guess = guess_punctuation(punctuation, before, after, habits)
        if guess is not None:
            return guess.char
    # × is C3 97, among Latin-1's capitals: a sign the place decides in a list of letters.
    times = guess_times(choices, before, after)
    return times.char if times is not None else None


def _sequence_choices(lead: int, rest: list[tuple[int, ...]]) -> list[str]:
    chars = [bytes((lead,))]
    for options in rest:
        chars = [prefix + bytes((b,)) for prefix in chars for b in options if 0x80 <= b <= 0xBF]
        if len(chars) > 4096:
            return []
    decoded = []
    for raw in chars:
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return [char for char in decoded if char_cost(char) < INVALID]


def _pick_lost_char(choices: list[str], before: str, after: str) -> str | None:
    """The likeliest of ``choices``, cased as its word (see :func:`_cased_as_word`), or
    None where two are as likely. Asked only once the punctuation around
    (:func:`_punctuation_guess`) and the words have decided nothing."""
    ranked = sorted(_cased_as_word(choices, before, after), key=_likelihood)
    if not ranked:
        return None
    if len(ranked) > 1 and _likelihood(ranked[0])[:3] == _likelihood(ranked[1])[:3]:
        return None  # two equally likely characters: no guess
    return ranked[0]


def _cased_as_word(choices: list[str], before: str, after: str = "") -> list[str]:
    """``choices`` without capitals where the lost character follows a small letter of
    its word, and without small letters where it stands between two capitals (``before``
    is the text up to it, ``after`` the text after it).

    Why: likelihood ranks letters by how common they are, not by case, and what a lost
    byte can be depends on the decoder: Latvian š (C5 A1) read through cp1257, which
    leaves A1 undefined, was guessed as Ł (C5 81), making aizvietoŁanas, and Vietnamese
    Đ (C4 90) as č (C4 8D), making QčERTY. Words are not written with a capital after a
    small letter, nor with a small letter inside capitals (camel-cased names aside, which
    no lost byte makes more likely); the mark at least says that one character was lost.
    """
    if before[-1:].islower() and any(map(str.isupper, choices)):
        return [char for char in choices if not char.isupper()]
    if before[-1:].isupper() and after[:1].isupper() and any(map(str.islower, choices)):
        return [char for char in choices if not char.islower()]
    return choices


def _regional(layer: Layer, habits: DocumentHabits) -> bool:
    """Is ``layer`` UTF-8 read through the Windows code page of the document's language
    (see DocumentHabits.regional_code_page)?

    Why: a Turkish document's lossless repairs read alike through cp1252 and cp1254 (ş,
    C5 9F, is ÅŸ through both), and ftfy names them cp1252's, which then alone decided
    the marks: cp1254 leaves 9E undefined, cp1252 does not, so Ş (C5 9E) is Å� through
    cp1254 only, and the words never saw it (Łimdilik). The decoder of the document's
    region is the likeliest to have left the marks, and its words decide beside the
    proven layer's. (Asked only where a U+FFFD is left once the proven layers have read
    what they decide: naming the language reads word lists.)
    """
    return bool(habits.regional_code_page) and layer.read_as == habits.regional_code_page


def _likelihood(char: str) -> tuple[int, int, int, int]:
    """Sort key, most likely first: common characters, then letters over combining marks,
    then the more frequent letter of its writing system."""
    is_mark = unicodedata.category(char).startswith("M")
    return (char_cost(char), is_mark, frequency_rank(char), ord(char))


def inference_edits(
    tracked: TrackedLine,
    evidence: set[str],
    habits: DocumentHabits,
    marked_layers: tuple[Layer, ...],
    apostrophes: bool,
) -> list[Edit]:
    """Inferred edits for the lost characters of one line.

    ``evidence`` names the damage the document's lossless repairs proved (only those may
    explain a byte dropped without a trace); ``marked_layers`` are the damages the document
    screen found marks of, and ``apostrophes`` says whether a whole character replaced in
    an English contraction may be read as an apostrophe there.
    """
    text = tracked.text
    # The document's proven damage first, wherever a mark is (the screen may have left a
    # layer ftfy undoes out): it explains a mark better than a reading nothing else in
    # the document shows (mac-roman reading the … a cp1252 repair made, and the â€ after
    # it, as ɉ and a lost byte).
    proven = (
        [layer for layer in LAYERS if layer.name in evidence and layer.utf8] if evidence else []
    )
    marked = [layer for layer in marked_layers if layer not in proven]
    # Which code page's decoder left a U+FFFD is not known (cp1252 leaves 81 8D 8F 90 9D
    # undefined, cp1250 81 83 88 90 98: ă, C4 83, is Ä� through the second only), and the
    # likeliest character of one code page's readings is a wrong letter where another's
    # make a word. So the readings that the words or the punctuation decide go first, under
    # each layer the document's lossless repairs proved (ftfy names some readings of a
    # cp1250 document cp1252's, where the two write them alike: both are then proven), or
    # where none is proven under each layer the screen found marks of whose decoder leaves
    # bytes undefined (Latin-1's marks may be any of 32 bytes, among which the words find
    # some word too often); then, layer by layer, what likelihood chooses. Not an unproven
    # layer's decisions beside a proven one's (cp1250's 90 makes 限り of 降り, whose 8D is
    # cp1252's, where the proven cp1252 sees both words and leaves the mark), but for the
    # code page of the document's region (see _regional).
    strict = [layer for layer in marked if _undefined_by(layer.read_as)]

    def regional() -> Iterator[Layer]:
        # Asked once the proven layers have read what they decide, and only where a
        # U+FFFD is left (naming the language reads word lists; English read as cp1252,
        # whose lost quotes the proven layer reads, never asks).
        for layer in strict:
            if "\ufffd" in tracked.text and _regional(layer, habits):
                yield layer

    deciding = chain(proven, regional()) if proven else strict
    passes: tuple[tuple[Iterable[Layer], bool], ...] = (
        (deciding, False),
        ((*proven, *marked), True),
    )
    for layers, guessing in passes:
        for layer in layers:
            # A run is read only where it holds a mark, U+FFFD or "?" (see
            # _wildcard_edits); once the proven layer has read them all, the others need
            # not look.
            if layer.single_byte and ("\ufffd" in text or "?" in text):
                wildcard = _wildcard_edits(
                    text,
                    layer,
                    habits,
                    proven=layer.name in evidence,
                    decided_only=layer not in marked_layers,
                    guessing=guessing,
                    runs_in=_readings_masked(tracked),
                )
                if wildcard:
                    tracked.apply(wildcard)
                    text = tracked.text
    if "\ufffd" in text:  # (most lines here hold none: a coincidental trigger chose them)
        text = _double_byte_inference(tracked, proven, evidence, habits)
    # Bytes dropped without a trace, once the marks are read; before the lost no-break
    # spaces, as a lead before a space may be either, and only the words tell: הוא, whose
    # א (D7 90) lost its 90, is no הונ (× and the space read as D7 A0).
    for layer in proven:
        if layer.single_byte and _lead_chars(layer).search(text):
            dropped = _dropped_byte_edits(tracked, layer, habits)
            if dropped:
                tracked.apply(dropped)
                text = tracked.text
    for layer in LAYERS:
        if layer.name in evidence and layer.single_byte:
            restored = _nbsp_edits(tracked, layer)
            if restored:
                tracked.apply(restored)
                text = tracked.text
    if "\ufffd" in text:
        letters = _single_byte_letter_edits(text, habits)
        if letters:
            tracked.apply(letters)
            text = tracked.text
    edits: list[Edit] = []
    repaired_prefix = ""
    position = 0
    sites = _inference_sites(text, evidence, marked_layers, apostrophes, habits)
    by_lexicon = _site_lexicon_choices(text, sites, habits)
    for site, chosen in zip(sites, by_lexicon, strict=True):
        repaired_prefix += text[position : site.start]
        position = site.start
        after = text[site.end :]
        before = repaired_prefix + site.known
        guess = guess_punctuation(site.candidates, before, after, habits)
        if guess is not None and guess.confidence < site.min_confidence:
            guess = None
        if guess is None:
            char = chosen.chars[0] if chosen is not None else text[site.start : site.end]
            if chosen is None or char == text[site.start : site.end]:
                continue
            kind = _lexicon_kind(site.kind.removesuffix(INFERRED_SUFFIX), chosen.evidence)
            read = site.known + char
            edits.append(Edit(site.start, site.end, read, kind, LEXICON_CONFIDENCE, True))
            repaired_prefix += read
            position = site.end
            continue
        habits.learn(guess.char, before, after)
        confidence = (
            guess.confidence if site.kind != LOST_CHARACTER_KIND else min(guess.confidence, 0.7)
        )
        read = site.known + guess.char
        edits.append(Edit(site.start, site.end, read, site.kind, confidence, inferred=True))
        repaired_prefix += read
        position = site.end
    return edits


# What stands for a letter an earlier pass read, where runs of damage are looked for:
# no codec's high character, no mark, and, as a letter, none of LOST_BYTE_FOLLOWERS.
READ_MASK = "\x00"
# The finding kinds of UTF-8 readings (``utf-8 read as cp1252``, ftfy's included).
UTF8_KIND_PREFIX = codec_display_name("utf-8") + " read as "


def _readings_masked(tracked: TrackedLine) -> str:
    """The line with every letter a UTF-8 reading already made (a piece of letters whose
    repairs are all UTF-8 readings) replaced by READ_MASK.

    Why: through a Western code page a letter read losslessly is a high character again
    (í is ED, a lead byte), so a run of damage found in the repaired text takes in the
    letter after a lost byte (mluvÄ�í: C4 ?? then ED, which decodes as nothing, where
    Ä� alone is C4 8D, č). Such a letter is settled text, never part of the damage
    around it: a UTF-8 reading takes whole sequences. (Letters only: a run that takes in
    a no-break space or a mark read so is left unread, as before, and the line goes to
    ftfy's reading of it whole if it still looks bad.)"""
    if not any(piece.kinds for piece in tracked.pieces):
        return tracked.text
    return "".join(
        READ_MASK * len(piece.text) if _read_letters(piece) else piece.text
        for piece in tracked.pieces
    )


def _read_letters(piece: Piece) -> bool:
    """Is ``piece`` letters that UTF-8 readings alone made?"""
    return (
        bool(piece.kinds)
        and piece.text.isalpha()
        and all(kind.startswith(UTF8_KIND_PREFIX) for kind in piece.kinds)
    )


def _may_hold_left_over_leads(tracked: TrackedLine, layer: Layer) -> bool:
    """Does a piece of the line hold a lead character (see :func:`_lead_chars`) that no
    reading made: one in a piece no repair touched, or one that a repaired piece held
    before its reading too? (A quick test before :func:`_left_over_masked`: the é of a
    repaired Café is the reading's own.)"""
    leads = _lead_chars(layer)
    for piece in tracked.pieces:
        found = leads.findall(piece.text)
        if found and (not piece.kinds or any(char in piece.original for char in found)):
            return True
    return False


def _escaped(char: str) -> bool:
    """Is ``char`` what surrogateescape decodes a byte 80-FF to (U+DC80-U+DCFF)?"""
    return "\udc80" <= char <= "\udcff"


def _left_over_masked(tracked: TrackedLine, layer: Layer) -> str:
    """:func:`_readings_masked`, but a character a reading through ``layer`` left as it
    was stays: ftfy reads a word at a time, and keeps the bytes that make no UTF-8 as
    their characters (``пуÑтой``, whose Ñ lost the byte after it). Found by reading the
    piece's damage again, each byte that makes no UTF-8 kept as its own character; where
    that is not the piece's reading, the piece is masked whole.

    A repair's edit leaves out what the damage and its reading share, so a character
    beside a repaired piece may be part of that reading (``SÃƒO`` read as SÃO is one
    edit deleting ƒ): a character that the damage of the piece after it continues, or
    that continues the damage of the piece before it, is masked too."""
    parts = []
    pieces = tracked.pieces
    for index, piece in enumerate(pieces):
        if not _read_letters(piece):
            text = piece.text
            if not piece.kinds and text and not text.isascii():
                after = pieces[index + 1] if index + 1 < len(pieces) else None
                if after and after.kinds and _continuation_char(after.original[:1], layer.codec):
                    text = text[:-1] + READ_MASK
                if index and pieces[index - 1].kinds and _continuation_char(text[0], layer.codec):
                    text = READ_MASK + text[1:]
            parts.append(text)
            continue
        try:
            read = piece.original.encode(layer.codec).decode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            read = ""
        kept = "".join(
            _byte_char(ord(char) - 0xDC00, layer.codec) if _escaped(char) else char for char in read
        )
        if kept != piece.text:
            parts.append(READ_MASK * len(piece.text))
            continue
        parts.append(
            "".join(
                kept_char if _escaped(char) else READ_MASK
                for char, kept_char in zip(read, kept, strict=True)
            )
        )
    return "".join(parts)


def _double_byte_inference(
    tracked: TrackedLine, proven: list[Layer], evidence: set[str], habits: DocumentHabits
) -> str:
    """The U+FFFD of a line read by the double-byte layers (see :func:`_double_byte_edits`),
    the document's proven ones first, until none is left; returns the line's new text."""
    text = tracked.text
    for layer in (*proven, *(layer for layer in LAYERS if layer not in proven)):
        if "\ufffd" not in text:
            break
        if layer.utf8 and not layer.single_byte:
            double = double_byte_line_edits(tracked, layer, habits, proven=layer.name in evidence)
            if double:
                tracked.apply(double)
                text = tracked.text
    return text


def _site_lexicon_choices(
    text: str, sites: list[LostSite], habits: DocumentHabits
) -> list[LexiconChoice | None]:
    """The word lists' choice of letter for each lost-byte site whose candidates include
    letters (None elsewhere, and where the lists abstain). All sites of the line are
    looked at together, so two lost letters of one word are chosen together; the
    document names the language where the line cannot."""
    if not any(
        site.kind.endswith(INFERRED_SUFFIX) and any(char.isalpha() for char in site.candidates)
        for site in sites
    ):
        return [None] * len(sites)
    # Whole characters lost (U+FFFD for a character, "?" for an apostrophe) are
    # punctuation by construction: their candidate is the only reading. The lists know
    # words, not their case: a lost letter and its other case make one word, a tie the
    # lists cannot break, so the case comes from the word around it (see _cased_sites).
    cased = _cased_sites(
        text,
        sites,
        [list(site.candidates) if site.kind.endswith(INFERRED_SUFFIX) else [] for site in sites],
    )
    line: list[str | list[str]] = []
    position = 0
    for site, options in zip(sites, cased, strict=True):
        line.append(text[position : site.start] + site.known)
        # A byte dropped without a mark may also not have been lost at all: the text as
        # it stands is one more reading, and the lists must prefer a repair to it (not
        # where the site reads a whole sequence first: the lead byte after it must have
        # had its continuation).
        if options and not site.marker and not site.known:
            options = [text[site.start : site.end], *options]
        line.append(options)
        position = site.end
    line.append(text[position:])
    return lexicon.choose("", line, "", document=habits.language_sample)


@dataclass(frozen=True, slots=True)
class _SiteSpan:
    """A site's place, asked the way :func:`_cased_by_context` asks a run's match."""

    first: int
    last: int

    def start(self) -> int:
        return self.first

    def end(self) -> int:
        return self.last


def _cased_sites(text: str, sites: list[LostSite], options: list[list[str]]) -> list[list[str]]:
    """Each site's ``options`` without the letters whose other case is also an option
    and fits the word around it better (see :func:`_cased_by_context`).

    Only such twins go: a letter without its twin among the options stays whatever its
    case, as a reading of its own. Taking it out too would leave fewer readings to
    compete, and the lists, which hold rare junk words ("itss", casefolded from Itß),
    would turn decisive on chance.
    """
    runs = [
        (_SiteSpan(site.start, site.end), [*([site.known] if site.known else []), choices])
        for site, choices in zip(sites, options, strict=True)
    ]
    cased = _cased_by_context(text, runs)  # type: ignore[arg-type]
    narrowed = []
    for choices, (_, pieces) in zip(options, cased, strict=True):
        kept = frozenset(pieces[-1])
        narrowed.append([c for c in choices if c in kept or c.swapcase() not in kept])
    return narrowed


# --- lost bytes under a double-byte reading ---------------------------------------------
#
# A double-byte decoder with errors="replace" (GBK, Big5, EUC-KR, Shift_JIS, EUC-JP) reads
# UTF-8 pair by pair: where a byte starts no valid pair it writes U+FFFD and goes on at the
# next byte, so a damaged line is partly valid pairs (known bytes) and partly U+FFFD (one
# unknown byte each). The UTF-8 structure of the known bytes then leaves few readings.

# Decoders narrower than a layer's reading codec that give the same characters for the
# pairs both read: text decoded with one of them (EUC-KR, not its superset cp949) leaves
# U+FFFD where the superset would have read a pair, so its marks are read with it.
NARROWER_DECODERS: dict[str, tuple[str, ...]] = {
    "cp949": ("euc_kr",),
    "cp932": ("shift_jis",),
    "gbk": ("gb2312",),
    "gb18030": ("gbk", "gb2312"),
}
_HIGH_RUN = re.compile("[^\x00-\x7f]+")
_LEADS_OF_SIZE = {
    size: tuple(lead for lead in range(0xC2, 0xF5) if utf8_length(lead) == size)
    for size in (2, 3, 4)
}
# The most candidates of one lost character of unspaced text the word lists may choose
# among: each is looked up in the words around it, so thousands are slow, and among them
# some real word turns up by chance. (A spaced word's lost letters have no such bound:
# the lists are searched for the words that fit, however many readings they allow, and
# only a clearly most frequent one is taken, see lexicon._listed_readings.)
MAX_WORD_READINGS = 1 << 12
# Where the signs any text may use are (Latin-1's punctuation and symbols, general
# punctuation, currency, letterlike symbols and arrows, CJK and fullwidth punctuation):
# a lost sign is one of these, not a script's own (Armenian ՚ in a French line). The CJK
# block leaves out the Hangzhou numerals (〡-〩, 〸-〺), which only old account books
# write: left in, 〢 ties with the ideographic space that indents a line of Chinese.
COMMON_SIGN_BLOCKS = (
    (0x00A0, 0x00BF),
    (0x00D7, 0x00D7),
    (0x00F7, 0x00F7),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x21FF),
    (0x3000, 0x3020),
    (0x302A, 0x3037),
    (0x303B, 0x303F),
    (0xFF01, 0xFF65),
)
# Ways to split one run's unknown bytes into characters worth trying.
MAX_SEGMENTATIONS = 512


@lru_cache(maxsize=65536)
def _replaced_before(byte: int, following: int | None, codec: str) -> bool:
    """Would ``codec``'s decoder, standing at ``byte`` with ``following`` next (None:
    not known), write U+FFFD for ``byte`` alone? Not when the two make a character, nor
    when ``byte`` is a character by itself, nor when the decoder's error takes in more
    than the one byte (asked of the codec itself: Python's CJK decoders replace one byte
    at a time, save EUC-KR's rare 4-byte Hangul filler sequences)."""
    if _decodes_alone(byte, codec):
        return False
    if following is None:
        return True
    try:
        bytes((byte, following)).decode(codec)
    except UnicodeDecodeError as error:
        return error.start == 0 and error.end == 1
    return False


def _known_bytes(run: str, codec: str) -> list[int | None] | None:
    """``run`` as the bytes the decoder read: each character's bytes in ``codec``, each
    U+FFFD one unknown byte (None); None when a character cannot be written back."""
    template: list[int | None] = []
    for char in run:
        if char == "\ufffd":
            template.append(None)
            continue
        try:
            template.extend(char.encode(codec))
        except UnicodeEncodeError:
            return None
    return template


def _double_byte_pieces(
    template: list[int | None], codec: str, scripts: frozenset[int], next_byte: int | None
) -> list[str | list[str]] | None:
    """The UTF-8 characters ``template`` (see :func:`_known_bytes`) can hold: known text,
    and for each character with unknown bytes its candidates (see :func:`_lost_chars_led_by`).
    None when no UTF-8 reading fits the bytes; an empty list when several do and none
    is preferred (see below). ``next_byte``: the byte after the run.

    Where unknown bytes leave the characters' limits open (six lost bytes are three
    2-byte letters or two 3-byte signs), the reading with the most lost characters that
    can be letters of the line's ``scripts`` is taken: a script writes its letters with
    a fixed number of bytes (Cyrillic two, kana three). A tie leaves the run unread.
    """
    if None not in template:
        # No byte lost: the run is UTF-8 or nothing, one reading, as the walk below finds
        # it a sequence at a time (a run too long for its budget is left to the walk).
        try:
            known = bytes(template).decode("utf-8")  # type: ignore[arg-type]
        except UnicodeDecodeError:
            return None
        if len(known) < MAX_SEGMENTATIONS:
            return list(known)
    readings: list[list[str | list[str]]] = []
    budget = [MAX_SEGMENTATIONS]

    def walk(position: int, pieces: list[str | list[str]]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if position == len(template):
            readings.append(list(pieces))
            return
        lead = template[position]
        if lead is not None and lead < 0x80:
            walk(position + 1, [*pieces, chr(lead)])
            return
        sizes = (utf8_length(lead),) if lead is not None else (2, 3, 4)
        for size in sizes:
            if not size or not _fits(template, position, size):
                continue
            sequence = template[position : position + size]
            if None not in sequence:
                try:
                    char = bytes(sequence).decode("utf-8")  # type: ignore[arg-type]
                except UnicodeDecodeError:
                    continue
                walk(position + size, [*pieces, char])
                continue
            end = position + size
            following = template[end] if end < len(template) else next_byte
            choices = _sequence_readings(tuple(sequence), following, codec, scripts)
            if choices:
                walk(end, [*pieces, list(choices)])

    walk(0, [])
    if not readings:
        return None
    if budget[0] < 0:
        return []
    if len(readings) == 1:
        return readings[0]

    def letters(pieces: list[str | list[str]]) -> int:
        return sum(
            not isinstance(piece, str) and any(char.isalpha() for char in piece) for piece in pieces
        )

    ranked = sorted(readings, key=letters, reverse=True)
    if letters(ranked[0]) == letters(ranked[1]):
        return []
    return ranked[0]


def _fits(template: list[int | None], position: int, size: int) -> bool:
    """Can a UTF-8 sequence of ``size`` bytes start at ``position``: are the bytes after
    its lead continuation bytes or unknown, and is the byte after it no continuation?"""
    if position + size > len(template):
        return False
    if any(
        byte is not None and not 0x80 <= byte <= 0xBF
        for byte in template[position + 1 : position + size]
    ):
        return False
    after = template[position + size] if position + size < len(template) else None
    return after is None or not 0x80 <= after <= 0xBF


@lru_cache(maxsize=1)
def _alphabet_letters() -> frozenset[str]:
    """Letters of the word lists' languages that the frequency rankings leave out
    (data/lost_letters.toml): they may be a lost letter too."""
    raw = resources.files("textmend").joinpath("data/lost_letters.toml").read_text("utf-8")
    return frozenset("".join(tomllib.loads(raw)["alphabets"].values()))


@cache
def _lost_chars_led_by(lead: int) -> dict[tuple[int, int], tuple[str, ...]]:
    """The characters a lost UTF-8 sequence whose first byte is ``lead`` can be, keyed by
    (bytes, script): letters and marks under their script, natural signs (punctuation,
    spaces, digits, common symbols) under theirs, mostly NO_SCRIPT.

    A lost letter is looked for only in the scripts of the line's readable letters: one
    from a script that appears nowhere else in the line is far less likely than one of
    the line's own; and where the script's letters are ranked by frequency
    (data/frequent_characters.toml), only among its ranked letters and the rest of its
    languages' alphabets (data/lost_letters.toml), not every letter Unicode gives the
    script, save in scripts whose ranking is a sample of thousands (ideographs, Hangul:
    see :func:`lexicon.open_inventory`), where any of their common characters may be the
    lost one. The Basic Multilingual Plane only (a lost 4-byte character is rare and has
    too many readings).

    Built on first use, one lead byte at a time: a lost byte is mostly not the first of
    its sequence, and the lead (E2 for punctuation) then names the 64 or 4,096 characters
    worth looking at, not all 63,000 (a process that repairs one lost quotation mark
    spends a millisecond here, not a tenth of a second).
    """
    table: dict[tuple[int, int], list[str]] = {}
    ranked = _ranked_scripts()
    for code in code_points_led_by(lead):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or char_cost(char) >= INVALID:
            continue
        raw = char.encode("utf-8")
        size = len(raw)
        if char.isalpha() or unicodedata.category(char).startswith("M"):
            script = script_of(char)
            if script == NO_SCRIPT:
                continue
            unranked = (
                script in ranked
                and frequency_rank(char) >= UNRANKED
                and char.lower() not in _alphabet_letters()
            )
            if unranked and (not lexicon.open_inventory(char) or char_cost(char) > NATURAL):
                continue
            key = (size, script)
        elif char_cost(char) <= NATURAL and any(
            first <= code <= last for first, last in COMMON_SIGN_BLOCKS
        ):
            key = (size, script_of(char))
        else:
            continue
        table.setdefault(key, []).append(char)
    return {key: tuple(chars) for key, chars in table.items()}


@cache
def _ranked_scripts() -> frozenset[int]:
    """The scripts whose letters data/frequent_characters.toml ranks."""
    return frozenset(script_of(char) for char in FREQUENCY_RANKS if len(char) == 1)


def code_points_led_by(lead: int) -> range:
    """The code points of the Basic Multilingual Plane whose UTF-8 begins with ``lead``
    (surrogates included: the caller skips them)."""
    if 0xC2 <= lead <= 0xDF:
        first = (lead & 0x1F) << 6
        return range(first, first + 0x40)
    if 0xE0 <= lead <= 0xEF:
        first = (lead & 0x0F) << 12
        return range(max(first, 0x800), first + 0x1000)
    return range(0)


@lru_cache(maxsize=4096)
def _sequence_readings(
    template: tuple[int | None, ...], following: int | None, codec: str, scripts: frozenset[int]
) -> tuple[str, ...]:
    """The characters the UTF-8 sequence ``template`` (known bytes, None for lost ones)
    can be: each lost byte one the decoder would have replaced there, given the byte
    after it (see :func:`_replaced_before`), the character one that fits the line's
    ``scripts`` (see :func:`_lost_chars_led_by`)."""
    size = len(template)
    found = []
    leads = (template[0],) if template[0] is not None else _LEADS_OF_SIZE[size]
    for script in (*sorted(scripts), NO_SCRIPT):
        for char in (
            char for lead in leads for char in _lost_chars_led_by(lead).get((size, script), ())
        ):
            raw = char.encode("utf-8")
            if any(
                known is not None and known != byte
                for known, byte in zip(template, raw, strict=True)
            ):
                continue
            if all(
                _replaced_before(raw[at], raw[at + 1] if at + 1 < size else following, codec)
                for at in range(size)
                if template[at] is None
            ):
                found.append(char)
    return tuple(found)


# C1 controls: a double-byte decoder writes one for a lone byte 80-9F (cp932 reads the
# last byte of р, D1 80, as U+0080), which a lossless pass then takes for cp1252 (€).
_C1_ONLY = re.compile("[\x80-\x9f]+")


def double_byte_line_edits(
    tracked: TrackedLine, layer: Layer, habits: DocumentHabits, *, proven: bool
) -> list[Edit]:
    """:func:`_double_byte_edits` on a line some of whose pieces ``layer`` already read
    losslessly: those pieces are read again as the damage left them.

    The lossless passes read the stretches between a line's lost bytes (鑻规灉 -> 苹果
    before 鍏�): what is left is no longer the decoder's output, and a lost byte's bytes
    and neighbours, which decide its readings, are in the repaired stretch. So are C1
    controls that another layer read as cp1252 (U+0080 -> €): the decoder wrote them. Each edit is
    mapped back onto the current text; one that would split a repaired piece is dropped.
    """
    pieces: list[tuple[int, int, int, int, bool]] = []  # view and current spans
    view: list[str] = []
    at_view = at_current = 0
    for piece in tracked.pieces:
        again = piece.text != piece.original and (
            piece.kinds == (layer.name,) or _C1_ONLY.fullmatch(piece.original) is not None
        )
        shown = piece.original if again else piece.text
        view.append(shown)
        pieces.append(
            (at_view, at_view + len(shown), at_current, at_current + len(piece.text), again)
        )
        at_view += len(shown)
        at_current += len(piece.text)
    if not any(again for *_spans, again in pieces):
        return _double_byte_edits(tracked.text, layer, habits, proven=proven)

    def current(position: int) -> int | None:
        for view_start, view_end, start, end, again in pieces:
            if view_start <= position <= view_end:
                if not again:
                    return start + position - view_start
                if position in (view_start, view_end):
                    return start if position == view_start else end
                return None
        return None

    text = tracked.text
    edits = []
    for edit in _double_byte_edits("".join(view), layer, habits, proven=proven):
        start, end = current(edit.start), current(edit.end)
        if start is None or end is None or text[start:end] == edit.replacement:
            continue
        # (The constructor, not dataclasses.replace: this runs for every edit of a line.)
        edits.append(Edit(start, end, edit.replacement, edit.kind, edit.confidence, edit.inferred))
    return edits


def _double_byte_edits(
    text: str, layer: Layer, habits: DocumentHabits, *, proven: bool
) -> list[Edit]:
    """Read a line of UTF-8 that a double-byte decoder read with replacement (see the
    comment above NARROWER_DECODERS): every non-ASCII run as UTF-8, each U+FFFD one lost
    byte, the lost characters chosen as in :func:`_wildcard_edits`.

    Only where the reading is unmistakable: every non-ASCII run of the line must read
    as UTF-8 under the layer, with at least MIN_DOUBLE_BYTE_EVIDENCE known characters
    among them (valid UTF-8 by chance over that many double-byte characters does not
    happen in clean CJK text), unless the document proved the layer by a lossless repair.
    A run is taken only when its chosen reading, decoded again the way the damage did,
    gives back the run exactly.
    """
    if "\ufffd" not in text:
        return []
    # Which decoder of the family made the damage is unknown: the marks of a narrower one
    # read under its superset can give another, wrong character (EUC-KR's mark for 87
    # before D0 is no mark in cp949, where 87 D0 is a pair). Every decoder of the family
    # that could have written the line must read it, and read it the same way, unless
    # the word lists tell the readings apart: under the wrong decoder a lost byte's
    # readings are those of another byte (cp949 pairs D1 85, so reads EUC-KR's lost х
    # in холодно as р), and its words are no words.
    found = [
        _double_byte_edits_as(text, codec, layer, habits, proven=proven)
        for codec in (layer.read_as, *NARROWER_DECODERS.get(layer.read_as, ()))
        if codec == layer.read_as or _could_have_read(text, codec, layer.read_as)
    ]
    readings = {
        tuple((edit.start, edit.end, edit.replacement) for edit in edits) for edits in found
    }
    if len(readings) == 1:
        return found[0]
    if not proven and _known_chars(text) < MIN_DOUBLE_BYTE_EVIDENCE:
        # A short line read on the document's evidence (see _document_shows): the
        # document shows the family's damage, not which decoder of it made this line, and
        # the few known characters cannot say either.
        return []
    # The reading with more known words wins; between as many, the one that leaves fewer
    # characters open (U+FFFD): under the wrong decoder a lost byte's readings are
    # another byte's, and fewer of them fit the words around it.
    known = sorted(
        ((_reading_score(_applied(text, edits)), index) for index, edits in enumerate(found)),
        reverse=True,
    )
    if known[0][0] > known[1][0]:
        return found[known[0][1]]
    # Where the words do not tell them apart (a lost à is a word of one letter, which
    # they do not count), a reading that makes every edit the others make and more wins:
    # the others found the same characters and no reading of the rest (C3 A0 is a pair
    # in cp949, so its U+FFFD there cannot be cp949's), and nothing contradicts it. A
    # character another reading left open (U+FFFD) is no contradiction.
    for edits in found:
        if all(_covers(edits, other) for other in found):
            return edits
    return []


def _lost_run_reading(
    pieces: list[str | list[str]],
    chosen: list[LexiconChoice | None],
    before: str,
    after: str,
    habits: DocumentHabits,
) -> tuple[str, str, str | None] | None:
    """A run's reading with its lost characters resolved (``chosen``: the word lists'
    choice for each candidate list of ``pieces``), the reading to check against the
    damage (every lost character one of its candidates: any one, where nothing decided,
    as each gives the damage back), and the word lists that decided a letter; None
    where the run stays as it is."""
    # A lost character with one reading is that character (no guess, still inferred),
    # known text to the resolver, which then takes no choice for it.
    given = [piece[0] if len(piece) == 1 else piece for piece in pieces]
    resolve = partial(_resolve_lost_chars, given, before, after, habits)
    open_choices = _open_slot_choices(pieces, chosen)
    decoded, evidence, guessed = resolve(open_choices, guess=False)
    if not guessed:
        return decoded, decoded, evidence
    # A lost letter among the dozens a double-byte reading leaves is chosen by the words
    # or the punctuation around it, never by likelihood alone: where nothing decides, the
    # run stays as it is. In unspaced text (Chinese, Japanese) a run is a whole sentence,
    # not a word, and one open character must not leave the sentence as mojibake: it
    # stays one U+FFFD (what a decoder makes of a character it cannot read), and the
    # rest is read.
    if not _open_only_unspaced(given, open_choices) or not decoded.strip("\ufffd"):
        return None
    checked, _, _ = resolve(_stand_ins(given, open_choices))
    return decoded, checked, evidence


def _reading_score(line: str) -> tuple[int, int]:
    """How well a reading of a line fits: its known words, then fewer open characters."""
    return lexicon.known_words(line), -line.count("\ufffd")


def _covers(edits: list[Edit], other: list[Edit]) -> bool:
    """Does ``edits`` make every edit of ``other``, save that where ``other`` left a
    character open (U+FFFD) it may have read one?"""
    made = {(edit.start, edit.end): edit.replacement for edit in edits}
    return all(_agrees(made.get((edit.start, edit.end)), edit.replacement) for edit in other)


def _agrees(reading: str | None, open_reading: str) -> bool:
    """Is ``reading`` ``open_reading`` with each U+FFFD of it read (or left open)?"""
    return (
        reading is not None
        and len(reading) == len(open_reading)
        and all(a == b or b == "\ufffd" for a, b in zip(reading, open_reading, strict=True))
    )


def _open_slot_choices(
    pieces: list[str | list[str]], chosen: list[LexiconChoice | None]
) -> list[LexiconChoice | None]:
    """The word lists' choices (one per candidate list of ``pieces``) for the lists with
    more than one candidate: those the resolver is given as lists, in its order, where
    a list of one candidate is given as the character it must be."""
    lists = [piece for piece in pieces if not isinstance(piece, str)]
    return [choice for piece, choice in zip(lists, chosen, strict=True) if len(piece) > 1]


# The damaged lines of a document looked at for one that shows its double-byte damage
# unmistakably (see _document_shows): enough to find one in any real document, few
# enough that a document of thousands of damaged lines is not read twice.
MAX_SHOWING_LINES = 64


def _document_shows(codec: str, habits: DocumentHabits) -> bool:
    """Does some line of the document read unmistakably as UTF-8 that ``codec`` read with
    replacement (see :func:`_reads_unmistakably`)? Then a short line of the same damage
    (a title of four known characters and four lost ones) needs no evidence of its own:
    the document proved the damage, as a lossless repair proves a layer. Asked once per
    document and decoder."""
    shown = habits.double_byte_shown.get(codec)
    if shown is None:
        damaged = (line for line in habits.document_text.splitlines() if "\ufffd" in line)
        shown = any(_reads_unmistakably(line, codec) for line in islice(damaged, MAX_SHOWING_LINES))
        habits.double_byte_shown[codec] = shown
    return shown


def _known_chars(line: str) -> int:
    """The characters of ``line``'s non-ASCII runs that the decoder read (U+FFFD aside):
    the evidence that the runs are UTF-8 it read, whichever decoder it was."""
    return sum(len(run) - run.count("\ufffd") for run in _HIGH_RUN.findall(line))


def _reads_unmistakably(line: str, codec: str) -> bool:
    """Does ``line`` meet :func:`_double_byte_edits`'s own test without a proven layer:
    every non-ASCII run written back in ``codec`` fits UTF-8, with at least
    MIN_DOUBLE_BYTE_EVIDENCE known characters among them?"""
    if _known_chars(line) < MIN_DOUBLE_BYTE_EVIDENCE:
        return False
    runs = [(match, _known_bytes(match.group(), codec)) for match in _HIGH_RUN.finditer(line)]
    templates = [(match, template) for match, template in runs if template is not None]
    if len(templates) < len(runs):
        return False
    scripts = _line_scripts(line, templates)
    for match, template in templates:
        after = line[match.end() : match.end() + 1].encode(codec, "replace")
        if _double_byte_pieces(template, codec, scripts, after[0] if after else None) is None:
            return False
    return True


def _open_only_unspaced(pieces: list[str | list[str]], choices: list[LexiconChoice | None]) -> bool:
    """Are the lost characters the word lists left open (``choices``, one per candidate
    list of ``pieces``) all of unspaced text: no letter among their candidates but
    ideographs and kana? Such a character's run is a sentence (see its caller); a run of
    spaced text is a word, and an open letter leaves that word unread, not a sentence."""
    lists = [piece for piece in pieces if not isinstance(piece, str)]
    return all(
        all(lexicon.is_unspaced(char) for char in piece if char.isalpha())
        for piece, choice in zip(lists, choices, strict=True)
        if choice is None
    )


def _stand_ins(
    pieces: list[str | list[str]], choices: list[LexiconChoice | None]
) -> list[LexiconChoice | None]:
    """``choices`` (one per candidate list of ``pieces``) with each open one filled by the
    list's first candidate: a reading to test against the damage, never to keep."""
    lists = [piece for piece in pieces if not isinstance(piece, str)]
    return [
        choice or LexiconChoice((piece[0],), "")
        for piece, choice in zip(lists, choices, strict=True)
    ]


def _applied(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` made."""
    line = TrackedLine(text)
    line.apply(edits)
    return line.text


# What a sentence's first word follows: a sentence end (the full stop and the question and
# exclamation marks, also Arabic's, Devanagari's dandas and the ideographic and fullwidth
# ones), or a markup tag (<p>, <title>), which starts a block of text as a line start does.
_BLOCK_START = frozenset(".!?>؟।॥。！？")
# Greek's question mark is the semicolon (U+037E, which NFC makes ";"): before a Greek
# word it ends a sentence (καφέ; Ναι), before any other it is a pause.
_GREEK_QUESTION_MARK = ";"
_OPENING = frozenset("«„“‘\"'([¿¡—–-")


def _cased_by_context(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]], *, names: bool = False
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """Lost letters narrowed to one case where the context shows it: the word lists
    know words, not their case (Он and он are one entry), so the case comes from the
    text. Inside a word a lost letter takes the case of the word's known letters (lower
    where it has none); a word's first letter is a capital at a sentence's start or in a
    word of capitals, and small elsewhere (inside a sentence, most words are). A markup
    tag before it counts as a sentence start (<title>Вопрос).

    ``names`` keeps, at the start of a word with known letters inside a sentence, the
    capitals whose small letter the damage could not have lost (the codec read it): such
    a capital has no small twin among the candidates for the lists to confuse it with,
    and there it begins a name (в Москве). It is a second look, for words the small
    letters leave undecided: the capitals are more readings to tell apart, and would
    leave some small words open."""
    if not _any_candidates(runs, _both_cases):
        return runs
    items, slots = _flattened(text, runs)
    narrowed: dict[int, list[str]] = {}
    for at in slots:
        options = items[at]
        assert not isinstance(options, str)
        if not _both_cases(options):
            continue
        start, end = _word_around(items, at)
        known = [c for c in items[start:end] if isinstance(c, str) and c.isalpha()]
        capitals = bool(known) and all(c.isupper() for c in known)
        if start < at:
            upper = capitals
        else:
            # A lost character before it is text too: a line that starts with a word of
            # lost letters does not start at this one.
            left = _last_before(items, at)
            upper = (
                (capitals and len(known) > 1)
                or not left
                or left in _BLOCK_START
                or (left == _GREEK_QUESTION_MARK and _greek_word(options, known))
            )
        name_start = names and start == at and not upper and bool(known)
        kept = [
            c
            for c in options
            if not c.isalpha()
            or c.isupper() == upper
            or (name_start and c.isupper() and c.lower() not in options)
        ]
        if kept:
            narrowed[at] = kept
    return _with_slots(runs, slots, narrowed)


def _greek_word(options: list[str], known: list[str]) -> bool:
    """Is the word of a lost letter Greek: its known letters, or else its candidate
    letters, all Greek?"""
    letters = known or [char for char in options if char.isalpha()]
    return bool(letters) and all(script_of(char) == GREEK for char in letters)


def _last_before(items: list[str | list[str]], at: int) -> str:
    """The last character before ``items[at]`` that is neither a space nor an opening
    mark (U+FFFD for a lost one; "" at the line's start): what a word there follows.
    (Looked for from ``at`` backwards: joining the line up to every word of lost letters
    made a line with many of them quadratic.)"""
    for index in range(at - 1, -1, -1):
        item = items[index]
        char = item if isinstance(item, str) else "\ufffd"
        if not (char.isspace() or char in _OPENING):
            return char
    return ""


def _scripted_by_word(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]]
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """Lost letters narrowed to the script of their word's known letters: words are
    written in one script, so a lost letter between Cyrillic ones is Cyrillic, not one of
    the Latin letters the line's markup (<p>) lets in. A word whose known letters mix
    scripts, or that has none, keeps every candidate; so do signs, which words do not
    hold but which a lost character between letters may still be."""
    if not _any_candidates(runs, _has_letter):
        return runs
    items, slots = _flattened(text, runs)
    narrowed: dict[int, list[str]] = {}
    for at in slots:
        options = items[at]
        assert not isinstance(options, str)
        if not _has_letter(options):
            continue  # signs only: all kept whatever the word's script
        start, end = _word_around(items, at)
        scripts = {
            script_of(item) for item in items[start:end] if isinstance(item, str) and item.isalpha()
        }
        if len(scripts) != 1:
            continue
        (script,) = scripts
        kept = [char for char in options if not char.isalpha() or script_of(char) == script]
        if kept and len(kept) < len(options):
            narrowed[at] = kept
    return _with_slots(runs, slots, narrowed)


# The ideographic full stop, and the closing brackets of CJK text by their openers.
_CJK_FULL_STOP = "。"
_CJK_CLOSING = frozenset(CJK_BRACKETS.values())
_TAG = re.compile(r"<[^<>]*>")


def _cjk_line_ends(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]]
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """A lost CJK sign that ends a line of CJK text (nothing but spaces and markup after
    it, an ideograph or kana before it, known or itself lost, or the closer of a quotation
    that follows one: 」 in 「嚴正抗議」。) narrowed to the sign a sentence ends with: the
    closer of a bracket the line left open, else the full stop 。. A line of prose ends
    its last sentence; the other signs its bytes allow (、〃〈「〒) do not end one. Where
    the candidates hold neither, nothing is narrowed."""
    if not _any_candidates(runs, _has_cjk_full_stop):
        return runs
    items, slots = _flattened(text, runs)
    narrowed: dict[int, list[str]] = {}
    for at in slots:
        options = items[at]
        assert not isinstance(options, str)
        if not _has_cjk_full_stop(options) or any(
            char.isalpha() and not lexicon.is_unspaced(char) for char in options
        ):
            continue
        # Before it an ideograph or kana: known, or lost too (all its letters unspaced);
        # a known closing bracket is looked through to what it closes after.
        back = at - 1
        while back > 0 and _settled(items[back]) in _CJK_CLOSING:
            back -= 1
        before = items[back] if back >= 0 else ""
        letters = [before] if isinstance(before, str) else [c for c in before if c.isalpha()]
        if not letters or not all(c.isalpha() and lexicon.is_unspaced(c) for c in letters):
            continue
        rest = items[at + 1 :]
        if any(not isinstance(item, str) for item in rest):
            continue
        tail = "".join(item for item in rest if isinstance(item, str))
        if _TAG.sub("", tail).strip():
            continue
        known = "".join(_settled(item) for item in items[:at])
        unclosed = [
            opener
            for opener, closer in CJK_BRACKETS.items()
            if known.count(opener) > known.count(closer)
        ]
        if len(unclosed) > 1:
            continue
        wanted = CJK_BRACKETS[unclosed[0]] if unclosed else _CJK_FULL_STOP
        if wanted in options:
            narrowed[at] = [wanted]
    return _with_slots(runs, slots, narrowed)


def _in_document_variant(
    runs: list[tuple[re.Match[str], list[str | list[str]]]], habits: DocumentHabits
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """``runs`` without the candidates of the written form of Chinese the document does
    not use (lexicon.chinese_variant): in a document of Traditional characters a lost
    ideograph is no Simplified-only one (號, not 号), and the other way round. The word
    lists key Traditional words by their Simplified forms, so they cannot tell."""
    variant = lexicon.chinese_variant(habits.language_sample) if runs else None
    if variant is None:
        return runs
    narrowed: list[tuple[re.Match[str], list[str | list[str]]]] = []
    for match, pieces in runs:
        kept_pieces: list[str | list[str]] = []
        for piece in pieces:
            if not isinstance(piece, str):
                kept = [c for c in piece if lexicon.chinese_variant_of(c) in (None, variant)]
                piece = kept if kept and len(kept) < len(piece) else piece
            kept_pieces.append(piece)
        narrowed.append((match, kept_pieces))
    return narrowed


def _settled(item: str | list[str]) -> str:
    """A character of the line, or a lost one with a single reading: what the line is
    known to hold there (nothing, where a lost character is still open)."""
    if isinstance(item, str):
        return item
    return item[0] if len(item) == 1 else ""


def _narrow_words_only(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]]
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """``runs`` for the word lists: a lost character of unspaced text (or Korean, see
    lexicon.is_windowed) with more than MAX_WORD_READINGS candidates is hidden from them
    (a single U+FFFD, which no word holds). Such a character is judged by the short words
    around it, one candidate at a time (see lexicon.choose_unspaced), and among thousands
    some short word turns up by chance."""
    if not _any_candidates(runs, _too_many_for_words):
        return runs
    items, slots = _flattened(text, runs)
    hidden: dict[int, list[str]] = {}
    for at in slots:
        options = items[at]
        assert not isinstance(options, str)
        windowed = all(lexicon.is_windowed(char) for char in options if char.isalpha())
        if windowed and _too_many_for_words(options):
            hidden[at] = ["\ufffd"]
    return _with_slots(runs, slots, hidden)


def _any_candidates(
    runs: list[tuple[re.Match[str], list[str | list[str]]]],
    wanted: Callable[[list[str]], bool],
) -> bool:
    """Does some lost character of ``runs`` have candidates that are ``wanted``? The
    narrowing steps ask this before they flatten the line: most lost characters (a lost
    quotation mark's byte) give them nothing to narrow, and the line is then returned
    as it came, as the full look would return it."""
    return any(
        not isinstance(piece, str) and wanted(piece) for _match, pieces in runs for piece in pieces
    )


def _has_letter(options: list[str]) -> bool:
    """Is a letter among ``options`` (only letters are narrowed to their word's script)?"""
    return any(map(str.isalpha, options))


def _both_cases(options: list[str]) -> bool:
    """Are capitals and small letters both among ``options`` (only then does the context's
    case narrow them)?"""
    return any(map(str.isupper, options)) and any(map(str.islower, options))


def _has_cjk_full_stop(options: list[str]) -> bool:
    """Is the ideographic full stop among ``options`` (only then may they end a sentence
    of CJK text)?"""
    return _CJK_FULL_STOP in options


def _too_many_for_words(options: list[str]) -> bool:
    """Are ``options`` more than the word lists may choose among (MAX_WORD_READINGS)?"""
    return len(options) > MAX_WORD_READINGS


def _flattened(
    text: str, runs: list[tuple[re.Match[str], list[str | list[str]]]]
) -> tuple[list[str | list[str]], list[int]]:
    """The line as characters and candidate lists, and where the lists are."""
    items: list[str | list[str]] = []
    slots: list[int] = []
    position = 0
    for match, pieces in runs:
        items.extend(text[position : match.start()])
        slots.extend(lexicon.extend_with_pieces(items, pieces))
        position = match.end()
    items.extend(text[position:])
    return items, slots


def _word_around(items: list[str | list[str]], at: int) -> tuple[int, int]:
    """The limits of the word (letters and lost letters) around ``items[at]``."""

    def letter(item: str | Sequence[str]) -> bool:
        return item.isalpha() if isinstance(item, str) else any(c.isalpha() for c in item)

    return lexicon.word_span(items, at, letter)


def _with_slots(
    runs: list[tuple[re.Match[str], list[str | list[str]]]],
    slots: list[int],
    replaced: dict[int, list[str]],
) -> list[tuple[re.Match[str], list[str | list[str]]]]:
    """``runs`` with the candidate lists at the ``replaced`` positions (see
    :func:`_flattened`) put in; ``runs`` itself where none is (no step of the reading
    changes a list it is given)."""
    if not replaced:
        return runs
    result = []
    index = iter(slots)
    for match, pieces in runs:
        new_pieces: list[str | list[str]] = []
        for piece in pieces:
            if isinstance(piece, str):
                new_pieces.append(piece)
                continue
            new_pieces.append(replaced.get(next(index), piece))
        result.append((match, new_pieces))
    return result


def _line_scripts(
    text: str, templates: list[tuple[re.Match[str], list[int | None]]]
) -> frozenset[int]:
    """The scripts of the line's readable letters: its ASCII letters, and the letters
    that the known bytes of its runs make as UTF-8 (a lost byte's neighbours).

    A script's combining marks count as its letters: Thaana, and often Devanagari or
    Thai, write a vowel sign after each consonant, so where every consonant was lost the
    signs are all that is left to name the script (without them a lost ދ before ި had
    only signs of no script to be, and came out as a no-break space)."""
    scripts = {LATIN} if any(char.isascii() and char.isalpha() for char in text) else set()
    for _match, template in templates:
        known = bytes(byte if byte is not None else 0x20 for byte in template)
        for char in known.decode("utf-8", "ignore"):
            if char.isalpha() or (
                unicodedata.category(char).startswith("M") and script_of(char) != NO_SCRIPT
            ):
                scripts.add(script_of(char))
    return frozenset(scripts)


def _could_have_read(text: str, narrower: str, codec: str) -> bool:
    """Could the ``narrower`` decoder have written ``text``: does it have every character
    of ``text`` that ``codec`` has? A GBK-only ideograph rules GB2312 out."""
    for char in set(text):
        if char.isascii() or char == "\ufffd" or not _encodes_in(char, codec):
            continue
        if not _encodes_in(char, narrower):
            return False
    return True


# layers.encodes, remembered: the same characters are asked about on every damaged line.
_encodes_in = lru_cache(maxsize=65536)(encodes)


def _double_byte_edits_as(
    text: str, codec: str, layer: Layer, habits: DocumentHabits, *, proven: bool
) -> list[Edit]:
    """:func:`_double_byte_edits` with the damage made by the ``codec`` decoder. A run
    without lost bytes is a lossless reading (kind ``layer.name``); the others are
    inferred, with the word lists named where they chose a letter."""
    runs: list[tuple[re.Match[str], list[str | list[str]]]] = []
    templates = []
    for match in _HIGH_RUN.finditer(text):
        # A decoder pairs a byte with the ASCII byte after it (cp932 窶徠 = 9C 71 'q'):
        # a run's last character may write an ASCII byte, which is then part of it.
        template = _known_bytes(match.group(), codec)
        if template is None:
            if proven and "\ufffd" not in match.group():
                continue  # text an earlier repair of this line already made (é for 矇)
            return []
        templates.append((match, template))
    if not templates:
        return []
    if (
        not proven
        and _known_chars(text) < MIN_DOUBLE_BYTE_EVIDENCE
        and not _document_shows(codec, habits)
    ):
        return []
    scripts = _line_scripts(text, templates)
    for match, template in templates:
        after = text[match.end() : match.end() + 1].encode(codec, "replace")
        pieces = _double_byte_pieces(template, codec, scripts, after[0] if after else None)
        if pieces is None:
            return []
        if pieces:
            runs.append((match, pieces))
    if not runs:
        return []
    scripted = _in_document_variant(_scripted_by_word(text, runs), habits)
    runs = _cjk_line_ends(text, _cased_by_context(text, scripted))
    by_lexicon = _lexicon_choices(text, _narrow_words_only(text, runs), habits)
    if None in by_lexicon:
        named = _cjk_line_ends(text, _cased_by_context(text, scripted, names=True))
        if named != runs:
            second = _lexicon_choices(text, _narrow_words_only(text, named), habits)
            by_lexicon = [first or other for first, other in zip(by_lexicon, second, strict=True)]
    edits = []
    # The line before each run as read so far: a quotation an earlier run opened (‘ in
    # 鈥榶es) decides the mark that closes it in a later one.
    read = _ReadSoFar(text)
    for match, pieces in runs:
        slots = sum(not isinstance(piece, str) for piece in pieces)
        chosen, by_lexicon = by_lexicon[:slots], by_lexicon[slots:]
        if slots:
            reading = _lost_run_reading(
                pieces, chosen, read.before(match.start()), text[match.end() :], habits
            )
            if reading is None:
                continue
            decoded, checked, evidence = reading
        else:
            # No byte of the run lost: its known characters are its reading (most runs of
            # a line, the lossless passes' own, are read again here only as context).
            decoded = checked = "".join(pieces)  # type: ignore[arg-type]
            evidence = None
        if decoded == match.group():
            continue
        # The reading must give the damage back: decoded the way the damage was, with
        # the character after the run, whose byte decides how the last lost one read.
        after = text[match.end() : match.end() + 1]
        if (checked + after).encode("utf-8").decode(codec, "replace") != match.group() + after:
            continue
        read.take(match.start(), match.end(), decoded)
        if not slots:
            kind, confidence, inferred = layer.name, LEGACY_CONFIDENCE - 0.1, False
        elif evidence is None:
            kind, confidence, inferred = layer.name + INFERRED_SUFFIX, 0.7, True
        else:
            kind, confidence = _lexicon_kind(layer.name, evidence), LEXICON_CONFIDENCE
            inferred = True
        edits.append(Edit(match.start(), match.end(), decoded, kind, confidence, inferred))
    return edits
