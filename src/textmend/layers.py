"""Damage layers and the character classes that reveal them, built once from the codecs.

A layer is "text encoded with E, then read back as R" (``utf-8 read as gbk``). Which
characters such damage can produce follows from R's byte table alone: UTF-8 read as GBK turns
a lead byte E2 and a continuation byte 80 into the one GBK character 鈥. So instead of
listing mojibake characters by hand, each layer enumerates its ``read_as`` codec and sorts
every character by the UTF-8 role of its bytes:

* ``lead_pair``   - bytes [lead of a 3/4-byte sequence][continuation] (GBK 鈥 = E2 80)
* ``whole_pair``  - bytes [lead of a 2-byte sequence][continuation]: a whole UTF-8 character
  (GBK 茅 = C3 A9 = "é")
* ``lead``        - one byte that is a UTF-8 lead (cp1252 Ã = C3)
* ``continuing``  - characters whose first byte is a UTF-8 continuation byte

UTF-8 damage then shows up as a ``lead``/``lead_pair`` followed by ``continuing``
characters, or as a run made only of ``whole_pair`` characters. Those two regexes are all the
detector runs on a line that has no damage, which is what keeps clean text fast.
"""

from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import islice
from operator import lt, sub
from types import MappingProxyType
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-125x" codecs)

from textmend.bytetables import SEPARATOR, pairs_joined, single_characters, singles_joined
from textmend.charclass import (
    COSTS,
    HAN_CHAR,
    LATIN,
    NO_SCRIPT,
    UNCOMMON,
    script_of,
    written_in,
)

# The single-byte readings of UTF-8 that ftfy knows (ftfy.chardata.CHARMAP_ENCODINGS), in
# the order ftfy tries them: it reads a span through the first that encodes it and gives
# UTF-8. For these ftfy's careful judgement comes first (see repair._lossless_passes).
FTFY_CODEC_ORDER = (
    "latin_1",
    "cp1252",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859_2",
    "mac_roman",
    "cp437",
)
FTFY_CODECS = frozenset(FTFY_CODEC_ORDER)

# The share of a code page's high bytes that must read as in one of FTFY_CODECS for a
# UTF-8 layer through it to be judged as ftfy's own are (see Layer.shadowed_codec).
SHADOWING_SHARE = 0.6
# The share of a code page's high bytes that must read as in one of ftfy's for its layer
# to read ftfy's readings again (see siblings_of): lower than SHADOWING_SHARE, since a
# sibling only offers another reading of a span ftfy read, which the words then weigh
# (cp1257 writes ä as cp1252 does, and Ć where cp1250 writes Ć on another byte, so
# ftfy's cp1250 reading of Finnish pitää read through cp1257, pitĆ¤Ć¤, is pitƤƤ).
SIBLING_SHARE = 0.4

# Windows code pages as browsers decode them (undefined bytes pass through as C1).
_SLOPPY = {f"cp{number}": f"sloppy-windows-{number}" for number in range(1250, 1259)} | {
    "cp874": "sloppy-cp874"
}

# The Python codecs that encode text back to the bytes ftfy's readings came from.
FTFY_READING_CODECS = tuple(sorted(_SLOPPY.get(codec, codec) for codec in FTFY_CODECS))

# The bytes that start a multi-byte UTF-8 sequence.
UTF8_LEAD_BYTES = range(0xC2, 0xF5)
_LEAD_2 = range(0xC2, 0xE0)
_LEAD_3_4 = range(0xE0, 0xF5)
_LEAD_4 = range(0xF0, 0xF5)
_CONTINUATION = range(0x80, 0xC0)
# The pattern of a layer that cannot show a kind of damage. Callers skip it by identity:
# the regex engine would try it at every position of the text.
NEVER = re.compile("(?!)")
# A valid UTF-8 stretch (ASCII allowed: double-byte codecs use ASCII as trail bytes).
UTF8_STRETCH = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
# What may follow a UTF-8 sequence cut short by a lost byte: a mark (U+FFFD, "?") where the
# byte was replaced, else a byte that a double-byte decoder cannot pair with the one
# before it, so that it dropped that one (a space, a digit, ASCII punctuation), or the
# line's end.
LOST_BYTE_FOLLOWERS = "[\ufffd?\\s\\d\\x21-\\x2f\\x3a-\\x40]|$"
# Characters a legacy double-byte reading must cover before its validity counts as
# evidence: a double-byte code page decodes most short byte strings to something.
MIN_DOUBLE_BYTE_EVIDENCE = 8
# The code page of Western text: the signs it writes (© ° ™ •) are no sign of another
# script's damage (see Layer.document_patterns).
WESTERN_CODEC = "cp1252"
# Non-ASCII characters that clean Western text is full of; they alone never suggest that
# legacy CJK or Cyrillic bytes were read as a Western codec.
WESTERN_PUNCTUATION = frozenset("‘’‚“”„–—…•€™«»°·\u00a0§©®±×÷¿¡£¥¢")
# Signs that clean writing sets against a word's letters: quotation marks, dashes, the
# ellipsis, the bullet, the middle dot (кВт·ч, l·l), the degree sign (20°С), the numero
# sign, the no-break space and the soft hyphen. Any other sign of a code page touching a
# letter is evidence that the letters around it were read through the wrong one of two
# code pages of the same script (see Layer.same_script).
PUNCTUATION_AGAINST_LETTERS = frozenset("‘’‚“”„‹›–—…•«»·°№\u00a0\u00ad")
# Of those, the marks clean text opens a word with (quotes, guillemets either way round,
# and an ellipsis before a sentence's lowercase continuation: «сильный», …и потом).
WORD_OPENING_MARKS = frozenset("‘‚“„‹›«»…")

# Share of its moved letters (see Layer.moved_letters) whose case a same-script layer may
# change and still be judged by its words (cp1250 read as cp1252 writes Ş as ª and ş as º,
# both small letters, and keeps the case of the 35 others).
MAX_CASE_SWAP_SHARE = 0.1

# Share of its non-ASCII letters that a same-script layer must leave as they are for its
# readings to count as keeping most letters (see Layer.keeps_letters): Mac Cyrillic read as
# cp1251 keeps the 31 small letters а-ю of its 94; KOI8-R read as cp1251 keeps none.
MIN_KEPT_LETTER_SHARE = 0.25


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class for ``chars``, compacted into ranges.

    The CJK classes hold 20,000 characters in a few thousand ranges, so the ranges are
    found without a Python step per character: along a run of consecutive code points
    ``code - index`` (its index in the sorted codes) stays the same and it grows from one
    run to the next, so counting those values (in C) gives each run's length, in order.
    """
    codes = sorted(set(map(ord, chars)))
    if not codes:
        return "[^\\x00-\\U0010ffff]"  # matches nothing
    parts: list[str] = []
    start = 0
    for offset, length in Counter(map(sub, codes, range(len(codes)))).items():
        first = offset + start
        last = first + length - 1
        start += length
        parts.append(_escaped(first) if length == 1 else f"{_escaped(first)}-{_escaped(last)}")
    return "[" + "".join(parts) + "]"


def _escaped(code: int) -> str:
    """``code``'s character as a regex writes it: re.escape only ever escapes ASCII."""
    return re.escape(chr(code)) if code < 0x80 else chr(code)


def codec_display_name(codec: str) -> str:
    """One name per codec in findings, whoever found the damage: ``windows-1252`` and
    ftfy's ``sloppy-windows-1252`` are both ``cp1252``, ``iso-8859-1`` is ``latin-1``."""
    try:
        name = codecs.lookup(codec.removeprefix("sloppy-")).name
    except LookupError:
        return codec
    return {"iso8859-1": "latin-1", "euc_jp": "euc-jp", "koi8-r": "koi8-r"}.get(name, name)


def damage_name(encoded: str, read_as: str) -> str:
    """``utf-8 read as gbk``: text encoded one way and decoded another."""
    return f"{codec_display_name(encoded)} read as {codec_display_name(read_as)}"


def _decodes_to_word_char(raw: bytes) -> bool:
    try:
        return raw.decode("utf-8").isalnum()
    except UnicodeDecodeError:
        return False


def encodes(char: str, codec: str) -> bool:
    """Can ``codec`` write ``char`` (or every character of a text)?"""
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


_HIGH_BYTES = range(0x80, 0x100)
_TRAIL_BYTES = range(0x40, 0x100)
_SINGLES = singles_joined(_HIGH_BYTES)


@cache
def _has_two_byte_characters(codec: str) -> bool:
    """Does ``codec`` decode some two bytes to one non-ASCII character (a byte that is no
    character alone)? The answer :func:`_codec_repertoire` would give, found without
    building its table: asked at import for every layer's two codecs. (Cached per
    codec: layers share codecs.)"""
    singles = single_characters(_SINGLES, codec)
    leads = [lead for lead, char in zip(_HIGH_BYTES, singles, strict=True) if not char]
    # Lead by lead: a double-byte codec answers at its first lead byte.
    return any(
        char and not char.isascii()
        for lead in leads
        for char in single_characters(pairs_joined((lead,), _TRAIL_BYTES), codec)
    )


@cache
def _codec_repertoire(codec: str) -> Mapping[str, bytes]:
    """Every non-ASCII character ``codec`` can produce from one or two bytes, with its
    bytes: the first that give it, byte by byte (a byte that is no character alone
    stands for its pairs, by trail byte).

    Built with one bulk decode of the single bytes and one of the pairs of the bytes
    that are no character alone (see :mod:`textmend.bytetables`). Cached per codec and
    read-only: layers share their reading codec (17 layers read as cp1252).
    """
    singles = single_characters(_SINGLES, codec)
    leads = [lead for lead, char in zip(_HIGH_BYTES, singles, strict=True) if not char]
    joined = pairs_joined(leads, _TRAIL_BYTES)
    pairs = zip(single_characters(joined, codec), joined.split(SEPARATOR), strict=True)
    table: dict[str, bytes] = {}
    for byte, char in zip(_HIGH_BYTES, singles, strict=True):
        if char:
            table.setdefault(char, bytes((byte,)))
            continue
        # This lead's pairs: the next len(_TRAIL_BYTES) answers, in trail order.
        for paired, raw in islice(pairs, len(_TRAIL_BYTES)):
            if paired and not paired.isascii():
                table.setdefault(paired, raw)
    return MappingProxyType(table)


_ROLE_NAMES = (
    "lead_pair",
    "rare_lead_pair",
    "lead4_pair",
    "whole_pair",
    "lead",
    "continuing",
    "closing",
    "closing_lead",
    "closing_lead2",
    "middle",
)


def _single_roles(byte: int) -> tuple[str, ...]:
    """The roles (see Layer._roles) of a character read from one byte."""
    if byte in UTF8_LEAD_BYTES:
        return ("lead",)
    return ("continuing",) if byte in _CONTINUATION else ()


def _pair_roles(first: int, second: int) -> tuple[str, ...]:
    """The roles of a character read from [first][second] (``lead_pair`` characters are
    also ``rare_lead_pair`` by their cost, which the bytes do not tell)."""
    if first in _CONTINUATION:
        if second in _CONTINUATION:
            return ("middle",)
        if second in _LEAD_2:
            return ("closing", "closing_lead", "closing_lead2")
        return ("closing", "closing_lead") if second in UTF8_LEAD_BYTES else ("closing",)
    if second not in _CONTINUATION:
        return ()
    if first in _LEAD_2:
        return ("whole_pair",)
    if first in _LEAD_4:
        return ("lead4_pair",)
    return ("lead_pair",) if first in _LEAD_3_4 else ()


# Byte strings from which the roles of the characters read stay the same up to the next
# one: each byte alone, then its pairs, cut where the trail byte's UTF-8 role changes
# (other, continuation, other, 2-byte lead, longer lead, other).
_SEGMENTS: tuple[tuple[bytes, tuple[str, ...]], ...] = tuple(
    segment
    for first in _HIGH_BYTES
    for segment in (
        (bytes((first,)), _single_roles(first)),
        *(
            (bytes((first, cut)), _pair_roles(first, cut))
            for cut in (0x40, 0x80, 0xC0, 0xC2, 0xE0, 0xF5)
        ),
    )
)


# Two non-ASCII characters close together: what every trigger of a layer read through a
# single-byte code page needs (see Layer.trigger_needs_high_pair).
HIGH_PAIR = re.compile(r"[^\x00-\x7f][^\s]{0,2}[^\x00-\x7f]")

# A damaged run's first character follows no other non-ASCII character. Written for the
# position after that first character, which a trigger has already consumed.
_RUN_START = "(?<![^\\x00-\\x7f].)"


@dataclass(frozen=True)
class Branch:
    """One alternative of a trigger: a first character from ``head``, then ``rest``
    (``run_start``: the first character also starts a non-ASCII run)."""

    head: frozenset[str]
    rest: str
    run_start: bool = False


def _starting_with(branches: Iterable[Branch]) -> str:
    """A regex trying ``branches`` in order, written to start with one character class.

    A pattern that starts with a class lets the regex engine skip, in C, every character
    outside it before trying a match (sre's charset prefix); a lookahead or an alternation
    first makes it try each position of the text in turn, 2.5x slower on CJK text, where
    nearly every character is some codec's lead byte but few start a trigger. The first
    character is consumed by the union of the heads; each branch then checks its own head
    with a one-character lookbehind (left out where it is the whole union), so the matches,
    their spans included, are those of ``head(?:rest)|...`` tried in order.
    """
    branches = tuple(branches)
    first = frozenset().union(*(branch.head for branch in branches))
    alternatives = []
    for branch in branches:
        head = "" if branch.head == first else f"(?<={_char_class(branch.head)})"
        alternatives.append(f"{head}{_RUN_START if branch.run_start else ''}{branch.rest}")
    return f"{_char_class(first)}(?:{'|'.join(alternatives)})"


@dataclass(frozen=True, slots=True)
class DamageShape:
    """A shape of a layer's damage that clean text does not write (see
    Layer.document_patterns): its ``pattern``, starting with its lead character; a pattern
    that rules it out where the document holds it (``unless``); and the characters one of
    which the document must hold for it to be looked for (``needs``)."""

    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    needs: frozenset[str]


@dataclass(frozen=True, eq=False)
class Layer:
    """Text encoded as ``encoded`` and read back as ``read_as``."""

    encoded: str
    read_as: str
    order: int
    expect: str | None = None
    # Characters one of which a document must hold for the layer to be tried on it (see
    # screen_letters), where its damage is told by letters clean text of other languages
    # is full of.
    document_holds: str | None = None
    # Readings must take a whole run of non-ASCII characters and make two characters or
    # more, until the layer has read other words of the line (see
    # repair.layer_candidates): for a code page that writes one script's own letters and
    # its dashes on UTF-8 bytes, where a dash glued to a word of clean text is a reading.
    whole_runs: bool = False
    # Shapes one of which a document must show for the layer to be tried on it (see
    # document_patterns), where no set of characters tells its damage from clean text:
    # lead characters, the pattern that must follow one of them, a pattern that rules the
    # shape out where the document holds it (or ""), and whether Western signs alone make
    # the shape (see document_patterns).
    document_shows: tuple[tuple[str, str, str, bool], ...] = ()
    # A reading spelled in the frequent letters of ``expect`` (charclass.typical_letters)
    # weighs as a valid double-byte decode: for a code page whose letters all sit in the
    # high half, where the bytes of a Thai line also make valid GBK, Big5 or EUC-KR.
    typical_letters_prove: bool = False
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def name(self) -> str:
        return damage_name(self.encoded, self.read_as)

    @cached_property
    def utf8(self) -> bool:
        """(Cached: the repair asks it of every layer for every line it judges.)"""
        return self.encoded == "utf-8"

    @cached_property
    def ftfy_covers(self) -> bool:
        """Is this UTF-8 misreading one that ftfy itself detects and undoes? (Cached: the
        repair asks it of every layer it tries on a line.)"""
        return self.utf8 and self.read_as in FTFY_CODECS

    @cached_property
    def shadowed_codec(self) -> str | None:
        """The code page ftfy reads (see FTFY_CODECS) that this UTF-8 misreading reads most
        high bytes like, where it is not one of ftfy's own: ISO-8859-15 differs from
        Latin-1 in 8 of 128 bytes, cp850 from cp437 in 47. Where ftfy declines a line,
        such a layer must not read it in ftfy's place on a gain alone: its readings are
        ftfy's but for the bytes where the two differ (ÅŸ: ş through cp1252, ž through
        ISO-8859-15; ├┤a┼┐a, line art, ô through cp850 as through cp437)."""
        if not self.utf8 or not self.single_byte or self.ftfy_covers:
            return None
        own = self.repertoire
        shared = {
            codec: sum(
                own.get(char) == raw
                for char, raw in _codec_repertoire(_SLOPPY.get(codec, codec)).items()
            )
            for codec in sorted(FTFY_CODECS)
        }
        closest = max(shared, key=shared.__getitem__)
        return closest if shared[closest] >= SHADOWING_SHARE * len(own) else None

    @cached_property
    def letters_on_continuation_bytes(self) -> bool:
        """Does this single-byte code page show most of UTF-8's continuation bytes
        (0x80-0xBF) as letters? The DOS code pages do (cp850 Ç ü é, cp866 А-Я а-п): UTF-8
        read through them is letters after letters, as clean text is (see
        repair.layer_candidates)."""
        if not self.single_byte:
            return False
        table = {raw: char for char, raw in self.repertoire.items()}
        letters = sum(table.get(bytes((byte,)), "").isalpha() for byte in _CONTINUATION)
        return letters >= len(_CONTINUATION) / 2

    @cached_property
    def encoded_double_byte(self) -> bool:
        """Does ``encoded`` write some characters with two bytes (GBK, Big5, Shift_JIS…)?"""
        return _has_two_byte_characters(self.encoded)

    @cached_property
    def single_byte(self) -> bool:
        """Does every character of ``read_as`` come from exactly one byte?"""
        return not _has_two_byte_characters(self.codec)

    @cached_property
    def foreign_letters(self) -> re.Pattern[str] | None:
        """One letter of the script this UTF-8 misreading writes into a Latin text, where
        that script is not Latin: the CJK class for a double-byte code page (è is C3 A8,
        read through GBK as 猫), the code page's non-Latin letters for a single-byte one
        whose UTF-8 lead bytes read as such letters (cp1251: è is ГЁ; cp1253, KOI8-R,
        cp437's Greek). None for the Western code pages, whose lead bytes read as Latin
        letters: a Latin text writes those itself. A document that this reading has
        repaired elsewhere and that holds no such letter the reading cannot explain has
        none of its own (see repair._follow_utf8_reading)."""
        if not self.utf8:
            return None
        if not self.single_byte:
            return HAN_CHAR
        letters = [
            char
            for char in self.repertoire
            if char.isalpha() and script_of(char) not in (NO_SCRIPT, LATIN)
        ]
        if not any(char in letters for char in self._roles["lead"]):
            return None
        return re.compile(_char_class(letters))

    @cached_property
    def codec(self) -> str:
        """The Python codec that re-encodes text read as ``read_as``.

        For the Windows code pages this is ftfy's "sloppy" variant, which keeps the five
        bytes Windows leaves undefined (0x81, 0x8D, …) as C1 characters, as browsers do;
        Python's strict codec could not give those bytes back. (Cached: every candidate
        span asks for it several times.)
        """
        return _SLOPPY.get(self.read_as, self.read_as)

    @cached_property
    def repertoire(self) -> Mapping[str, bytes]:
        return _codec_repertoire(self.codec)

    @cached_property
    def start_chars(self) -> frozenset[str]:
        """Characters at least one of which any damage of this layer contains.

        Western punctuation is left out even where a codec puts it on a lead byte (mac_roman
        ’ = D5): the damage it would reveal (Armenian read as mac_roman) is far rarer than
        English text full of curly quotes, which must not pay for the deeper checks.
        A :attr:`same_script` layer's damage holds a capital or a sign of its trigger, or
        one of its :attr:`capital_marks` (one :attr:`judged_by_words`: a moved letter, or a
        sign or number form).
        """
        if self.same_script:
            _letters, capitals, signs = self._same_script_chars
            if self.judged_by_words:
                return frozenset().union(*(branch.head for branch in self.trigger_branches))
            return signs | capitals | self.capital_marks
        if not self.utf8:
            return frozenset(self.repertoire) - WESTERN_PUNCTUATION
        # Those of a UTF-8 lead byte alone or with a continuation byte.
        roles = self._role_lists
        return (
            frozenset(
                roles["lead"] + roles["whole_pair"] + roles["lead_pair"] + roles["lead4_pair"]
            )
            - WESTERN_PUNCTUATION
        )

    @cached_property
    def punctuation_lead(self) -> re.Pattern[str] | None:
        """A Western punctuation mark on a UTF-8 lead byte followed by a character on a
        continuation byte, or None where no lead byte of ``read_as`` is such a mark.

        Why: :attr:`start_chars` leaves Western punctuation out, and Mac Roman writes the
        lead bytes of Cyrillic (D0, D1) as – and — and those of Armenian as ‘ and ’:
        Cyrillic read through it (``–ø—É—Å—Ç–æ–π``) holds no start character at all. The
        screen looks for this pair in a document that holds such a mark (clean text
        seldom glues a dash to an accented letter), so clean English text with its
        dashes and curly quotes pays one regex search, not the deeper checks."""
        leads = self.punctuation_leads
        if not leads:
            return None
        return re.compile(_char_class(leads) + _char_class(self._roles["continuing"]))

    @cached_property
    def continuing_chars(self) -> frozenset[str]:
        """The characters of ``read_as`` on UTF-8 continuation bytes (a single-byte
        UTF-8 layer's; empty for the others)."""
        if not self.utf8 or not self.single_byte:
            return frozenset()
        return self._roles["continuing"]

    @cached_property
    def punctuation_leads(self) -> frozenset[str]:
        """The Western punctuation marks on UTF-8 lead bytes of a single-byte ``read_as``
        (see :attr:`punctuation_lead`)."""
        if not self.utf8 or not self.single_byte:
            return frozenset()
        return self._roles["lead"] & WESTERN_PUNCTUATION

    @cached_property
    def screen_letters(self) -> frozenset[str] | None:
        """Characters any damage of this layer also holds one of, beside a start
        character, or None: a :attr:`same_script` layer's letters (its capitals and signs
        stand against them). A CJK document holds box drawing (KOI8-R's signs) but no
        Cyrillic letter. None for a layer :attr:`judged_by_words`: its signs touch ASCII
        letters too (¶wiadectwa), and its moved letters are letters themselves.

        A layer's ``document_holds`` (from the table) replaces them, where the layer's
        start characters are what clean text is full of: cp1257 read as cp1252 moves
        nearly every accented letter of Western text (é, à, ç, ë: Albanian Në pauzë reads
        as Lithuanian Nė pauzė), so only documents holding what a Baltic one always does
        (š and ž, as ð and þ) are tried under it; UTF-8 read through cp874 has Thai
        letters on its lead and continuation bytes alike (clean Thai ran 50 times slower
        under it), and only documents holding the controls of its undefined bytes are."""
        if self.document_holds:
            return frozenset(self.document_holds)
        if not self.same_script or self.judged_by_words:
            return None
        return self._same_script_chars[0]

    @cached_property
    def document_patterns(self) -> Mapping[str, DamageShape]:
        """By lead character, the shape of ``document_shows`` (from the table) that starts
        with it, its ``<continuation>`` standing for the class of this code page's
        characters on UTF-8 continuation bytes. Empty for a layer without shapes.

        Why shapes: Mac Cyrillic writes Cyrillic's lead bytes as – and —, its continuation
        bytes as the capitals А-Я and signs, so its damage holds no character clean
        Cyrillic text lacks; but a dash glued between two of those (–Ю–љ, Он) or a small
        letter before two of them (вАЩ, ’) no clean text writes. One pattern per lead
        character, each starting with it as a literal, because a search for a literal
        skips ahead in C (a quarter of a millisecond per megabyte), where a pattern opening
        with a class tests every character (two milliseconds); and a shape is looked for
        only in a document holding its lead and a character it needs: one of the
        continuation characters cp1252 does not write (Cyrillic letters, ∞ ≠ ≤ ≥ in Mac
        Cyrillic), unless the shape is ``western`` (made of Western signs alone, as é is
        √© there). Clean English text with dashes and a © is then not searched at all."""
        continuation = _char_class(self.continuing_chars)
        unwestern = frozenset(
            char for char in self.continuing_chars if not encodes(char, WESTERN_CODEC)
        )
        shapes = {}
        for leads, then, unless, western in self.document_shows:
            ruled_out = re.compile(unless) if unless else None
            needed = self.continuing_chars if western else unwestern
            for lead in leads:
                pattern = re.compile(re.escape(lead) + then.replace("<continuation>", continuation))
                shapes[lead] = DamageShape(pattern, ruled_out, needed)
        return MappingProxyType(shapes)

    def shown_in(self, text: str, distinct: frozenset[str]) -> bool:
        """Does ``text`` (whose characters are ``distinct``) show one of this layer's
        ``document_shows``? True for a layer without them."""
        shapes = self.document_patterns
        if not shapes:
            return True
        ruled_out: dict[re.Pattern[str], bool] = {}
        for lead in distinct.intersection(shapes):
            shape = shapes[lead]
            if distinct.isdisjoint(shape.needs):
                continue
            if shape.unless is not None:
                if shape.unless not in ruled_out:
                    ruled_out[shape.unless] = shape.unless.search(text) is not None
                if ruled_out[shape.unless]:
                    continue
            if shape.pattern.search(text) is not None:
                return True
        return False

    @cached_property
    def _classes(self) -> dict[str, str]:
        """Regex classes of the character roles (see :attr:`_roles`)."""
        return {name: _char_class(chars) if chars else "" for name, chars in self._roles.items()}

    @cached_property
    def marked_prefix_ends(self) -> frozenset[str]:
        """The characters a ``marked_prefix`` match can end with: a mark that follows none
        of them needs no regex search."""
        roles = self._roles
        if not self.utf8:
            return frozenset()
        ends = set(roles["lead_pair"]) | roles["closing_lead2"]
        if roles["lead4_pair"] and roles["middle"]:
            ends |= roles["middle"]
        if roles["lead"]:
            ends |= roles["lead"] | roles["continuing"]
        return frozenset(ends)

    @cached_property
    def _roles(self) -> dict[str, frozenset[str]]:
        """This layer's characters by the UTF-8 role of their bytes.

        For a double-byte ``read_as`` a UTF-8 sequence of three bytes L C C lands on
        character pairs: ``lead_pair`` [L C], then ``closing`` [C][ASCII or lead] (鈥 then
        檚 = 99 73) or, when a second sequence follows, ``closing_lead`` [C][L] and
        ``middle`` [C][C] (你好 = E4 BD | A0 E5 | A5 BD: 浣犲ソ).
        """
        return {name: frozenset(chars) for name, chars in self._role_lists.items()}

    @cached_property
    def _role_lists(self) -> dict[str, list[str]]:
        """:attr:`_roles` as lists: :attr:`start_chars`, asked of every layer by the
        first document with non-ASCII text, needs only four of them as sets.

        In byte order the repertoire falls into segments of one role each (see
        _SEGMENTS), found by bisection: no step per character (CJK readings have 20,000).
        """
        chars, raws = list(self.repertoire), list(self.repertoire.values())
        if not all(map(lt, raws, islice(raws, 1, None))):  # _codec_repertoire's byte order
            ordered = sorted(zip(raws, chars, strict=True))
            chars, raws = [char for _, char in ordered], [raw for raw, _ in ordered]
        starts = [bisect_left(raws, key) for key, _ in _SEGMENTS] + [len(raws)]
        groups: dict[str, list[str]] = {name: [] for name in _ROLE_NAMES}
        for (_, names), start, end in zip(_SEGMENTS, starts[:-1], starts[1:], strict=True):
            if start < end:
                for name in names:
                    groups[name] += chars[start:end]
        groups["rare_lead_pair"] = [
            char for char in groups["lead_pair"] if COSTS[ord(char)] >= UNCOMMON
        ]
        return groups

    @cached_property
    def trigger_branches(self) -> tuple[Branch, ...]:
        """Where lossless damage of this layer may start (see the module docstring): the
        alternatives of :attr:`trigger`, in the order it tries them."""
        roles = self._roles
        if not self.utf8:
            if self.same_script:
                return self._same_script_branches
            # Legacy text read as a single-byte codec: two high characters close together
            # that are not the punctuation Western text uses anyway (“We’re” is no sign).
            high = frozenset(self.repertoire) - WESTERN_PUNCTUATION
            return (Branch(high, f"[^\\s]{{0,2}}{_char_class(high)}"),)
        c = self._classes
        branches = []
        # A single-byte lead (cp1252 Ã, Shift_JIS ﾃ) then a continuation byte, alone or as
        # the first byte of a double-byte character (ﾅ殕 = C5 | 9F 6C: "şl").
        follow_lead = "|".join(x for x in (c["continuing"], c["closing"]) if x)
        if c["lead"] and follow_lead:
            branches.append(Branch(roles["lead"], f"(?:{follow_lead})"))
        # One 3-byte sequence: its first half must be a rarer character (鈥, 縺), because
        # common ones (年 in cp949) start ordinary CJK text all the time. Two sequences in
        # a row (L C | C L | C C) are evidence enough whatever the characters.
        follow = "|".join(x for x in (c["closing"], c["continuing"]) if x)
        if c["rare_lead_pair"] and follow:
            branches.append(Branch(roles["rare_lead_pair"], f"(?:{follow})"))
        # A codec with single-byte characters on continuation bytes (Shift_JIS halfwidth
        # kana) shows a 3-byte sequence's last byte as one of them (€ = E2 82 | AC: 竄ｬ).
        # Such a pair is a second-level ideograph (Shift_JIS leads E0-EF), and halfwidth
        # kana after one is rare in Japanese; the reading is then judged like any other.
        if c["lead_pair"] and c["continuing"]:
            branches.append(Branch(roles["lead_pair"], c["continuing"]))
        if c["lead_pair"] and c["closing_lead"] and c["middle"]:
            branches.append(Branch(roles["lead_pair"], f"{c['closing_lead']}{c['middle']}"))
        if c["lead4_pair"] and c["middle"]:
            branches.append(Branch(roles["lead4_pair"], c["middle"]))
        if c["whole_pair"]:
            # A whole non-ASCII run made of complete 2-byte sequences: accented Latin,
            # Cyrillic, Greek, Hebrew or Arabic UTF-8 read through a double-byte codec.
            # The run may end in a 3-byte sequence cut short (ü” before a space: 眉鈥,
            # where the decoder dropped 9D), which the lost-byte pass reads.
            cut_short = f"(?:{c['lead_pair']}(?={LOST_BYTE_FOLLOWERS}))?" if c["lead_pair"] else ""
            rest = f"{c['whole_pair']}*{cut_short}(?![^\\x00-\\x7f])"
            branches.append(Branch(roles["whole_pair"], rest, run_start=True))
        return tuple(branches)

    @cached_property
    def same_script(self) -> bool:
        """Does ``read_as`` write the letters of the script ``encoded`` is expected to
        hold (KOI8-R read as cp1251, cp1250 read as cp1252)?

        Then clean text of that script is itself a reading of such damage, letter for
        letter (пустой is KOI8-R ОСЯРНИ read as cp1251), and nearly every line of it would
        be judged under the layer. The damage shows where the two code pages part: the
        case of a letter (KOI8-R and cp1251 swap the two cases, so Привет becomes пРИВЕТ
        and пустой ОСЯРНИ) or a letter one of them has where the other has a sign (cp866
        о is cp1251 ®, cp1251 ё is KOI8-R ╕). Clean prose writes capitals only at the
        start of a word, but in acronyms and headings, and no sign against a word's
        letters, but for the punctuation of PUNCTUATION_AGAINST_LETTERS: its lines are
        not judged under the layer at all (see :attr:`trigger_branches`).
        """
        if self.utf8 or self.expect is None or not self.single_byte:
            return False
        letters = "".join(char for char in self.repertoire if char.isalpha())
        return bool(letters) and written_in(letters, self.expect)

    @cached_property
    def _same_script_branches(self) -> tuple[Branch, ...]:
        """The trigger of a :attr:`same_script` layer: a letter then a capital (пРИВЕТ,
        and the capitals of a whole word, ОСЯРНИ for пустой, which clean text writes only
        in acronyms and headings), or a sign outside PUNCTUATION_AGAINST_LETTERS touching
        a letter; all of them non-ASCII characters of ``read_as``, so that every match
        holds a HIGH_PAIR. A layer that :attr:`keeps_letters` looks for a small letter
        then a capital it reads as a small letter only, and for one of its
        :attr:`capital_marks` before a small letter it keeps; a layer
        :attr:`judged_by_words` has a trigger of its own."""
        letters, capitals, signs = self._same_script_chars
        if self.judged_by_words:
            # Any moved letter, and a sign or a number form touching a letter (ASCII ones
            # too: ¶wiadectwa is świadectwa and Slu¾ba Služba in ISO-8859-2). Such a line
            # is read only where the word lists show the reading right (see
            # repair._word_reading_candidate); a Czech word has one accent as often as two
            # (Vèera for Včera), and a line is read whole.
            number_forms = frozenset(
                char
                for char in self.repertoire
                if not char.isascii() and char.isnumeric() and not char.isdecimal()
            )
            touching = r"(?:(?<=[^\W\d_].)|(?=[^\W\d_]))"
            return (Branch(self.moved_letters, ""), Branch(signs | number_forms, touching))
        if self.keeps_letters:
            # Only a small letter then a capital that the layer reads as a small letter
            # (новаЯ, ещЮ for новая, ещё): acronyms in capitals (МЧС, кВт) are as clean as
            # the rest of the line, and the layer does not change most of it.
            small = frozenset(char for char in letters if char.islower())
            read_small = [
                char for char in capitals & self.changed_chars if self.written_as[char].islower()
            ]
            branches = [Branch(small, _char_class(read_small))] if read_small else []
        else:
            branches = [Branch(letters, _char_class(capitals))] if capitals else []
        if signs and letters:
            branches += [Branch(letters, _char_class(signs)), Branch(signs, _char_class(letters))]
        kept = [char for char in letters - self.changed_chars if char.islower()]
        if self.capital_marks and kept:
            branches.append(Branch(self.capital_marks, r"(?<![^\W\d_].)" + _char_class(kept)))
        return tuple(branches)

    @cached_property
    def capital_marks(self) -> frozenset[str]:
        """Punctuation that a layer keeping most letters (see :attr:`keeps_letters`) reads
        as a letter, and that clean text does not open a word with: its trigger fires on
        one at the start of a word before a small letter the layer keeps (”айл, •урдан,
        —и for Файл, Хурдан, Чи). WORD_OPENING_MARKS are left out: „окумент for Документ
        is left to the line's other damage, as «сильный» is clean."""
        if not self.keeps_letters:
            return frozenset()
        return (
            frozenset(
                char
                for char in self.changed_chars & PUNCTUATION_AGAINST_LETTERS
                if self.written_as[char].isalpha()
            )
            - WORD_OPENING_MARKS
        )

    @cached_property
    def moved_letters(self) -> frozenset[str]:
        """The non-ASCII letters of ``read_as`` whose byte is another letter in ``encoded``
        (cp1250 read as cp1252: õ for ő, ø for ř; not á or š, the same in both): the
        letters a :attr:`same_script` reading changes."""
        return frozenset(
            char
            for char, written in self.written_as.items()
            if char.isalpha() and written != char and written.isalpha()
        )

    @cached_property
    def written_as(self) -> Mapping[str, str]:
        """Each non-ASCII character of ``read_as`` and what ``encoded`` writes its byte as
        ("" where ``encoded`` has no character there): what a reading under this legacy
        layer turns it into, a table the layer's other properties read."""
        written: dict[str, str] = {}
        for char, raw in self.repertoire.items():
            if not char.isascii():
                try:
                    written[char] = raw.decode(self.encoded)
                except UnicodeDecodeError:
                    written[char] = ""
        return written

    @cached_property
    def changed_chars(self) -> frozenset[str]:
        """The non-ASCII characters of ``read_as`` that a reading under this legacy layer
        changes (those whose byte ``encoded`` writes as another character).

        Why: Mac Cyrillic and cp1251 put the small letters а-ю on the same bytes, so
        Russian text of the one read as the other changes only its capitals, я and its
        punctuation; the words in small letters alone are the same either way, and show
        nothing about the line (see repair._damage_in_most_words)."""
        return frozenset(char for char, written in self.written_as.items() if written != char)

    @cached_property
    def keeps_letters(self) -> bool:
        """Does this :attr:`same_script` layer leave at least MIN_KEPT_LETTER_SHARE of its
        non-ASCII letters as they are (see :attr:`changed_chars`)?

        Then a damaged line is mostly clean words, and what its reading gains, a capital
        at the start of a word and я for Я inside one (‘егоднЯ for Сегодня), weighs little
        against the cost of the whole line; the word lists can show the gain instead (see
        repair._reading_gain)."""
        if not self.same_script or self.judged_by_words:
            return False
        letters = [char for char in self.repertoire if char.isalpha() and not char.isascii()]
        kept = sum(1 for char in letters if char not in self.changed_chars)
        return kept >= MIN_KEPT_LETTER_SHARE * len(letters)

    @cached_property
    def judged_by_words(self) -> bool:
        """Is this a :attr:`same_script` layer whose damage only its words can show?

        Where the two code pages keep a letter's case (cp1250 read as cp1252: főváros as
        fõváros, Příliš as Pøíliš), a damaged word is as plausible letter by letter as a
        clean one, with no capital after its first letter and often no sign among its
        letters. Such a reading is taken only where the word lists know the words it
        writes and not the words it replaces (see repair._word_reading_candidate). KOI8-R
        and cp1251 swap the case of nearly every letter, and their capitals show."""
        if not self.same_script or not self.moved_letters:
            return False
        written = self.written_as
        swapped = sum(written[char].isupper() != char.isupper() for char in self.moved_letters)
        return swapped <= MAX_CASE_SWAP_SHARE * len(self.moved_letters)

    @cached_property
    def _same_script_chars(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """The non-ASCII letters of ``read_as``, its capitals, and its signs outside
        PUNCTUATION_AGAINST_LETTERS (neither letters, digits, spaces, controls nor marks)."""
        high = [char for char in self.repertoire if not char.isascii()]
        letters = frozenset(char for char in high if char.isalpha())
        capitals = frozenset(char for char in letters if char.isupper())
        signs = (
            frozenset(
                char
                for char in high
                if not (char.isalnum() or char.isspace() or unicodedata.category(char)[0] in "CM")
            )
            - PUNCTUATION_AGAINST_LETTERS
        )
        return letters, capitals, signs

    @cached_property
    def trigger_heads(self) -> frozenset[str]:
        """Characters every :attr:`trigger` match starts with one of (a superset of the
        heads of :attr:`trigger_branches`), read from the roles alone.

        A line holding none of them cannot match, which the repair asks before it uses
        the trigger: compiling a CJK layer's trigger (classes of thousands of ranges)
        costs tens of milliseconds, and a Western document repaired once tries every
        layer with structural evidence on its second round without any of their heads.
        """
        if self.same_script:
            return frozenset().union(*(branch.head for branch in self.trigger_branches))
        if not self.utf8:
            return frozenset(self.repertoire) - WESTERN_PUNCTUATION
        roles = self._roles
        # (rare_lead_pair is a subset of lead_pair.)
        return roles["lead"] | roles["lead_pair"] | roles["lead4_pair"] | roles["whole_pair"]

    @cached_property
    def trigger_needs_high_pair(self) -> bool:
        """Does every :attr:`trigger` match hold a :data:`HIGH_PAIR` (two non-ASCII
        characters at most three apart, only non-space between)?

        True when the reading codec is single-byte and shows no high byte as ASCII: then
        the only branches are a lead then a continuation character (adjacent) and, for
        legacy layers, two high characters with up to two non-space characters between.
        Double-byte readings have branches of one character (a whole 2-byte sequence).
        """
        if self.judged_by_words:
            return False  # one moved letter is a match (see _same_script_branches)
        return self.single_byte and not any(char.isascii() for char in self.repertoire)

    @cached_property
    def trigger(self) -> re.Pattern[str]:
        """Where lossless damage of this layer may start (see :attr:`trigger_branches`).

        Every branch starts with a character whose first byte is a UTF-8 lead byte (or,
        for legacy layers, a high character), so one leading class of them lets the regex
        engine skip every other character in C (see :func:`_starting_with`).
        """
        branches = self.trigger_branches
        return re.compile(_starting_with(branches)) if branches else NEVER

    @cached_property
    def encodable_run(self) -> re.Pattern[str] | None:
        """A maximal run of characters the reading codec can encode back, U+FFFD excluded
        (it marks a lost byte, never a byte itself). Legacy layers judge a line run by run.

        Built for single-byte reading codecs only, where a string encodes exactly when
        each of its characters does; ``None`` otherwise (the caller then encodes to find
        out). One regex scan replaces an encode attempt per character of foreign text.
        """
        if not self.single_byte:
            return None
        ascii_chars = (chr(code) for code in range(0x80))
        encodable = [char for char in (*ascii_chars, *self.repertoire) if encodes(char, self.codec)]
        return re.compile(_char_class(set(encodable) - {"\ufffd"}) + "+")

    def _lost_pattern(self, followed_by: str) -> re.Pattern[str]:
        """The start of a UTF-8 sequence (a lead pair, a 4-byte lead pair and a middle
        pair, or a single-byte lead and up to two continuation characters), then
        ``followed_by``. Written to start with one character class (see
        :func:`_starting_with`): these patterns scan whole documents."""
        roles, classes = self._roles, self._classes
        branches = []
        if roles["lead_pair"] and roles["closing_lead2"]:
            # A 3-byte sequence that closes inside a character whose second byte leads a
            # 2-byte one (c’è: E2 80 | 99 C3 | A8 dropped before the space, 鈥櫭).
            branches.append(Branch(roles["lead_pair"], classes["closing_lead2"]))
        if roles["lead_pair"]:
            branches.append(Branch(roles["lead_pair"], ""))
        if roles["lead4_pair"] and roles["middle"]:
            branches.append(Branch(roles["lead4_pair"], classes["middle"]))
        if roles["lead"]:
            continuing = classes["continuing"]
            branches.append(
                Branch(roles["lead"], f"{continuing}?{continuing}?" if continuing else "")
            )
        if not self.utf8 or not branches:
            return NEVER
        return re.compile(f"{_starting_with(branches)}(?={followed_by})")

    @cached_property
    def marked_trigger(self) -> re.Pattern[str]:
        """The start of a UTF-8 sequence whose last byte became U+FFFD or ``?``."""
        return self._lost_pattern("[\ufffd?]")

    @cached_property
    def marked_run(self) -> re.Pattern[str]:
        """A run of this codec's high characters holding lost-byte marks (U+FFFD, or a
        ``?`` between two of them): ``ã�„`` is E3 ?? 84."""
        high = _char_class(self.repertoire)
        return re.compile(f"(?:{high}|\ufffd|(?<={high})\\?(?={high}))+")

    @cached_property
    def trailing_mark_run(self) -> re.Pattern[str]:
        """As :attr:`marked_run`, but every ``?`` after one of the codec's high characters
        counts, whatever follows it: ``Ñ?тавка`` once the rest of the word is repaired
        (D1 ?? then т), ``â??`` for a dash whose last two bytes were lost. Only for
        documents that prove this layer's damage."""
        high = _char_class(self.repertoire)
        return re.compile(f"(?:{high}|\ufffd)(?:{high}|\ufffd|\\?)*")

    @cached_property
    def nbsp_trigger(self) -> re.Pattern[str]:
        """A lead character and a space where the sequence's 0xA0 byte stood: UTF-8 read
        through a single-byte code page shows 0xA0 as a no-break space, which later
        became a plain space (hĂ i: à is C3 A0). Not where the code page shows 0xA0 as
        something else (cp437 and cp850 á, cp866 а, KOI8-R ═): its space is a space, and
        the letter before it (cp850 ã of São, C6) no lead cut short."""
        if not self.utf8 or not self.single_byte or self.repertoire.get("\xa0") != b"\xa0":
            return NEVER
        leads = [
            char
            for char, raw in self.repertoire.items()
            if len(raw) == 1 and raw[0] in _LEAD_2 and _decodes_to_word_char(raw + b"\xa0")
        ]
        if not leads:
            return NEVER
        return re.compile(f"{_char_class(leads)}(?= )")

    @cached_property
    def marked_prefix(self) -> re.Pattern[str]:
        """``marked_trigger`` anchored at the end: searched with ``endpos`` at a mark, it
        tests only the few characters before each ``?``/U+FFFD, not the whole text."""
        return self._lost_pattern("$")

    @cached_property
    def lost_trigger(self) -> re.Pattern[str]:
        """The start of a UTF-8 sequence cut short: before a mark, a space, a digit, ASCII
        punctuation or the end of the line (the bytes after which a double-byte decoder
        drops a lead byte it cannot pair)."""
        return self._lost_pattern(LOST_BYTE_FOLLOWERS)


@cache
def _damage_table() -> dict[str, Any]:
    """data/damage_layers.toml, read and parsed once."""
    raw = resources.files("textmend").joinpath("data/damage_layers.toml").read_text("utf-8")
    return tomllib.loads(raw)


@cache
def regional_code_pages() -> dict[str, str]:
    """The Windows code page each listed language's region reads text with, by language
    (data/damage_layers.toml, ``regional_code_page``)."""
    table = _damage_table()["regional_code_page"]
    return {language: codec for codec, languages in table.items() for language in languages}


def _load_layers() -> tuple[Layer, ...]:
    entries = _damage_table()["layer"]
    return tuple(
        Layer(
            entry["encoded"],
            entry["read_as"],
            order,
            entry.get("expect"),
            entry.get("document_holds"),
            entry.get("whole_runs", False),
            tuple(
                (shape["leads"], shape["then"], shape.get("unless", ""), bool(shape.get("western")))
                for shape in entry.get("document_shows", ())
            ),
            entry.get("typical_letters_prove", False),
        )
        for order, entry in enumerate(entries)
    )


LAYERS: tuple[Layer, ...] = _load_layers()


@cache
def narrower_twin(layer: Layer) -> Layer | None:
    """The earlier UTF-8 layer whose code page this double-byte layer's extends: every
    character the twin's code page writes with one or two bytes, this one writes with
    the same bytes (GB18030 extends GBK so). On a line whose every non-ASCII character
    the twin writes, the two read the same spans into the same text, and a layer's
    readings need not be made twice (see repair.best_layer_edits); only a character the
    twin lacks (GB18030's four-byte ones) can tell them apart."""
    if not layer.utf8 or layer.single_byte:
        return None
    own = layer.repertoire
    for other in LAYERS[: layer.order]:
        if other.utf8 and not other.single_byte and other.encoded == layer.encoded:
            theirs = other.repertoire
            if len(theirs) < len(own) and all(own.get(char) == raw for char, raw in theirs.items()):
                return other
    return None


@dataclass(frozen=True, slots=True, eq=False)
class Sibling:
    """A UTF-8 layer ftfy does not read whose code page reads most high bytes as one of
    ftfy's does (see Layer.shadowed_codec): ISO-8859-15 beside cp1252 and Latin-1, cp850
    beside cp437. ftfy reads such damage through its own code page, right on every byte
    the two share and wrong on the others (``ministÃšre``: š is cp1252's 9A, Ú; it is
    ISO-8859-15's A8, è); see repair._sibling_rereadings."""

    layer: Layer
    # Characters whose byte differs between the two code pages: only a damaged span
    # holding one can read otherwise through the sibling.
    moved: frozenset[str]
    # Characters the sibling writes and ftfy's code page cannot: a line holding one was
    # not read through ftfy's code page.
    only_sibling: frozenset[str]
    # Characters ftfy's code page writes and the sibling cannot: a span holding one was
    # not read through the sibling (’ read through cp1252 is â€™, and Latin-9 has no ™).
    only_ftfys: frozenset[str]


@cache
def siblings_of(layer: Layer) -> tuple[Sibling, ...]:
    """The :class:`Sibling` layers of one of ftfy's single-byte UTF-8 layers, in layer
    order (read from the code pages' tables).

    A sibling is a code page that reads at least SIBLING_SHARE of its high bytes as this
    one does, and that ftfy either does not read at all (see Layer.shadowed_codec) or
    tries only after this one while both write some character on different bytes: ftfy
    tries cp1250 before ISO-8859-2, and both write Š (8A and A9), so ``ĂŠ`` (é, C3 A9,
    read through ISO-8859-2) comes out of ftfy as Ê (C3 8A)."""
    if not layer.ftfy_covers or not layer.single_byte:
        return ()
    own = layer.repertoire
    found = []
    for other in LAYERS:
        if other.shadowed_codec is None and not _ftfy_tries_later(layer, other):
            continue
        theirs = other.repertoire
        shared = sum(own.get(char) == raw for char, raw in theirs.items())
        if shared < SIBLING_SHARE * len(theirs):
            continue
        moved = frozenset(char for char, raw in theirs.items() if own.get(char, raw) != raw)
        if other.shadowed_codec is None and moved.isdisjoint(own):
            continue  # no character both write on different bytes: ftfy's reading stands
        found.append(
            Sibling(
                other, moved, frozenset(theirs) - frozenset(own), frozenset(own) - frozenset(theirs)
            )
        )
    return tuple(found)


def _ftfy_tries_later(layer: Layer, other: Layer) -> bool:
    """Are both single-byte UTF-8 readings ftfy's, ``other``'s tried after ``layer``'s?"""
    if not (layer.ftfy_covers and other.ftfy_covers and other.single_byte):
        return False
    return FTFY_CODEC_ORDER.index(other.read_as) > FTFY_CODEC_ORDER.index(layer.read_as)


def writes_all_high(layer: Layer, chars: Iterable[str]) -> bool:
    """Does ``layer``'s code page write every non-ASCII character of ``chars`` (U+FFFD,
    a lost byte's mark that no reading encodes, aside)?"""
    repertoire = layer.repertoire
    # (Each distinct character once: a line repeats its characters many times.)
    return all(char in repertoire for char in set(chars) if char >= "\x80" and char != "\ufffd")


# ftfy's own fixes start from these: UTF-8 lead bytes as the single-byte codecs ftfy knows
# show them, and C1 controls. A document with none of them cannot interest ftfy.
FTFY_START_CHARS: frozenset[str] = frozenset(
    char
    for layer in LAYERS
    if layer.ftfy_covers
    for char, raw in layer.repertoire.items()
    if raw[0] in UTF8_LEAD_BYTES
    # Curly quotes and dashes are leads only in mac_roman (Armenian read as mac_roman); on
    # their own they mark English text, not damage. × and ÷ stay: Hebrew read as cp1252.
    and (char not in WESTERN_PUNCTUATION or char in "×÷")
) | frozenset(chr(code) for code in range(0x80, 0xA0))
FTFY_START = re.compile(_char_class(FTFY_START_CHARS))


@cache
def any_start_char() -> re.Pattern[str]:
    """A character of some layer's ``start_chars``: lines without one cannot hold damage
    any trigger is meant to find, so the triggers skip them. Built on first use (the CJK
    layers' sets are large), once per process."""
    return re.compile(_char_class(frozenset().union(*(layer.start_chars for layer in LAYERS))))


@cache
def any_trigger() -> re.Pattern[str]:
    """A match wherever some layer's trigger matches: one scan of a document instead of
    one per trigger, the lines it finds then searched layer by layer. Built on first use
    (its classes take a while to compile), once per process (see :func:`trigger_of`)."""
    return trigger_of(LAYERS)


def trigger_of(layers: Iterable[Layer]) -> re.Pattern[str]:
    """A match wherever the trigger of one of ``layers`` matches (:data:`NEVER` for none).

    A document's screen keeps the few layers whose start characters it holds, and their
    branches alone cost far less to try than every layer's: in Greek text nearly every
    letter is the head of some branch, and each branch tried is a lookbehind into a large
    class (a fifth of the time with the Greek document's four branches instead of all).
    Compiled once per set of branches (a batch meets a handful of them).
    """
    return _trigger_of_branches(
        tuple(dict.fromkeys(branch for layer in layers for branch in layer.trigger_branches))
    )


@lru_cache(maxsize=64)
def _trigger_of_branches(branches: tuple[Branch, ...]) -> re.Pattern[str]:
    """The regex of :func:`trigger_of`.

    Most characters it stops at in CJK text are a codec's whole 2-byte sequence (the
    hiragana of Big5, common hanzi in EUC-JP) inside a run of CJK text, where only a
    run's first character can start such a branch: that test comes first, then one
    class of every other branch's first character, before the branches themselves.
    """
    if not branches:
        return NEVER
    first = _char_class(frozenset().union(*(branch.head for branch in branches)))
    groups = []
    for run_start in (True, False):
        group = [branch for branch in branches if branch.run_start == run_start]
        if not group:
            continue
        heads = frozenset().union(*(branch.head for branch in group))
        alternatives = "|".join(f"(?<={_char_class(branch.head)}){branch.rest}" for branch in group)
        check = _RUN_START if run_start else f"(?<={_char_class(heads)})"
        groups.append(f"{check}(?:{alternatives})")
    return re.compile(f"{first}(?:{'|'.join(groups)})")
