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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-125x" codecs)

from textmend.charclass import COSTS, UNCOMMON

# The single-byte readings of UTF-8 that ftfy knows (ftfy.chardata.CHARMAP_ENCODINGS).
# For these ftfy's careful judgement comes first (see repair._lossless_passes).
FTFY_CODECS = frozenset(
    {
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
    }
)

# Windows code pages as browsers decode them (undefined bytes pass through as C1).
_SLOPPY = {f"cp{number}": f"sloppy-windows-{number}" for number in range(1250, 1259)} | {
    "cp874": "sloppy-cp874"
}

_LEAD_ANY = range(0xC2, 0xF5)
_LEAD_2 = range(0xC2, 0xE0)
_LEAD_3_4 = range(0xE0, 0xF5)
_LEAD_4 = range(0xF0, 0xF5)
_CONTINUATION = range(0x80, 0xC0)
# The pattern of a layer that cannot show a kind of damage. Callers skip it by identity:
# the regex engine would try it at every position of the text.
NEVER = re.compile("(?!)")
# Characters a legacy double-byte reading must cover before its validity counts as
# evidence: a double-byte code page decodes most short byte strings to something.
MIN_DOUBLE_BYTE_EVIDENCE = 8
# Non-ASCII characters that clean Western text is full of; they alone never suggest that
# legacy CJK or Cyrillic bytes were read as a Western codec.
WESTERN_PUNCTUATION = frozenset("‘’‚“”„–—…•€™«»°·\u00a0§©®±×÷¿¡£¥¢")


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class for ``chars``, compacted into ranges."""
    codes = sorted({ord(c) for c in chars})
    if not codes:
        return "[^\\x00-\\U0010ffff]"  # matches nothing
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(
            re.escape(chr(start))
            if start == prev
            else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
        )
        start = prev = code
    return "[" + "".join(parts) + "]"


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
    """Can ``codec`` write ``char``?"""
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _decoded_or_empty(raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return ""


def _has_two_byte_characters(codec: str) -> bool:
    """Does ``codec`` decode some two bytes to one non-ASCII character (a byte that is no
    character alone)? The answer :func:`_codec_repertoire` would give, found at the first
    such pair: asked at import for every layer, where the whole table would cost 0.1 s."""
    for first in range(0x80, 0x100):
        if len(_decoded_or_empty(bytes((first,)), codec)) == 1:
            continue
        for second in range(0x40, 0x100):
            char = _decoded_or_empty(bytes((first, second)), codec)
            if len(char) == 1 and not char.isascii():
                return True
    return False


def _codec_repertoire(codec: str) -> dict[str, bytes]:
    """Every non-ASCII character ``codec`` can produce from one or two bytes, with its bytes."""
    table: dict[str, bytes] = {}
    for first in range(0x80, 0x100):
        single = bytes((first,))
        char = _decoded_or_empty(single, codec)
        if len(char) == 1:
            table.setdefault(char, single)
            continue
        for second in range(0x40, 0x100):
            pair = bytes((first, second))
            char = _decoded_or_empty(pair, codec)
            if len(char) == 1 and not char.isascii():
                table.setdefault(char, pair)
    return table


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


@dataclass(frozen=True, eq=False)
class Layer:
    """Text encoded as ``encoded`` and read back as ``read_as``."""

    encoded: str
    read_as: str
    order: int
    expect: str | None = None
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def name(self) -> str:
        return damage_name(self.encoded, self.read_as)

    @cached_property
    def utf8(self) -> bool:
        """(Cached: the repair asks it of every layer for every line it judges.)"""
        return self.encoded == "utf-8"

    @property
    def ftfy_covers(self) -> bool:
        """Is this UTF-8 misreading one that ftfy itself detects and undoes?"""
        return self.utf8 and self.read_as in FTFY_CODECS

    @cached_property
    def encoded_double_byte(self) -> bool:
        """Does ``encoded`` write some characters with two bytes (GBK, Big5, Shift_JIS…)?"""
        return _has_two_byte_characters(self.encoded)

    @cached_property
    def single_byte(self) -> bool:
        """Does every character of ``read_as`` come from exactly one byte?"""
        return not _has_two_byte_characters(self.codec)

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
    def repertoire(self) -> dict[str, bytes]:
        return _codec_repertoire(self.codec)

    @cached_property
    def start_chars(self) -> frozenset[str]:
        """Characters at least one of which any damage of this layer contains.

        Western punctuation is left out even where a codec puts it on a lead byte (mac_roman
        ’ = D5): the damage it would reveal (Armenian read as mac_roman) is far rarer than
        English text full of curly quotes, which must not pay for the deeper checks.
        """
        if not self.utf8:
            return frozenset(self.repertoire) - WESTERN_PUNCTUATION
        return (
            frozenset(
                char
                for char, raw in self.repertoire.items()
                if raw[0] in _LEAD_ANY and (len(raw) == 1 or raw[1] in _CONTINUATION)
            )
            - WESTERN_PUNCTUATION
        )

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
        ends = set(roles["lead_pair"])
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
        groups: dict[str, list[str]] = {
            name: []
            for name in (
                "lead_pair",
                "rare_lead_pair",
                "lead4_pair",
                "whole_pair",
                "lead",
                "continuing",
                "closing",
                "closing_lead",
                "middle",
            )
        }
        for char, raw in self.repertoire.items():
            first = raw[0]
            if len(raw) == 1:
                if first in _LEAD_ANY:
                    groups["lead"].append(char)
                elif first in _CONTINUATION:
                    groups["continuing"].append(char)
                continue
            second = raw[1]
            if first in _CONTINUATION:
                if second in _CONTINUATION:
                    groups["middle"].append(char)
                else:
                    groups["closing"].append(char)
                    if second in _LEAD_ANY:
                        groups["closing_lead"].append(char)
            elif second in _CONTINUATION:
                if first in _LEAD_2:
                    groups["whole_pair"].append(char)
                elif first in _LEAD_4:
                    groups["lead4_pair"].append(char)
                elif first in _LEAD_3_4:
                    groups["lead_pair"].append(char)
                    if COSTS[ord(char)] >= UNCOMMON:
                        groups["rare_lead_pair"].append(char)
        return {name: frozenset(chars) for name, chars in groups.items()}

    @cached_property
    def trigger_branches(self) -> tuple[Branch, ...]:
        """Where lossless damage of this layer may start (see the module docstring): the
        alternatives of :attr:`trigger`, in the order it tries them."""
        roles = self._roles
        if not self.utf8:
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
            rest = f"{c['whole_pair']}*(?![^\\x00-\\x7f])"
            branches.append(Branch(roles["whole_pair"], rest, run_start=True))
        return tuple(branches)

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
        became a plain space (hĂ i: à is C3 A0)."""
        leads = [
            char
            for char, raw in self.repertoire.items()
            if len(raw) == 1 and raw[0] in _LEAD_2 and _decodes_to_word_char(raw + b"\xa0")
        ]
        if not self.utf8 or not self.single_byte or not leads:
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
        return self._lost_pattern("[\ufffd?\\s\\d\\x21-\\x2f\\x3a-\\x40]|$")


def _load_layers() -> tuple[Layer, ...]:
    raw = resources.files("textmend").joinpath("data/damage_layers.toml").read_text("utf-8")
    entries = tomllib.loads(raw)["layer"]
    return tuple(
        Layer(entry["encoded"], entry["read_as"], order, entry.get("expect"))
        for order, entry in enumerate(entries)
    )


LAYERS: tuple[Layer, ...] = _load_layers()

# ftfy's own fixes start from these: UTF-8 lead bytes as the single-byte codecs ftfy knows
# show them, and C1 controls. A document with none of them cannot interest ftfy.
FTFY_START_CHARS: frozenset[str] = frozenset(
    char
    for layer in LAYERS
    if layer.ftfy_covers
    for char, raw in layer.repertoire.items()
    if raw[0] in _LEAD_ANY
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
    (its classes take a while to compile), once per process.

    Most characters it stops at in CJK text are a codec's whole 2-byte sequence (the
    hiragana of Big5, common hanzi in EUC-JP) inside a run of CJK text, where only a
    run's first character can start such a branch: that test comes first, then one
    class of every other branch's first character, before the branches themselves.
    """
    branches = dict.fromkeys(branch for layer in LAYERS for branch in layer.trigger_branches)
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
