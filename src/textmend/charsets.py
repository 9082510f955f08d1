"""Choosing the encoding of bytes that are not UTF-8.

charset-normalizer ranks encodings by how chaotic the decoded text looks, which is good at
telling scripts apart (Cyrillic from Greek from CJK) and weak in two places that matter
for news text:

* Latin-script text. Western cp1252 text decodes without chaos as cp1250, cp1257 or
  cp1258 too, and a short sentence gives it almost nothing to go on. Here the readings of
  the Latin codecs are compared by *which letters they produce*: each language uses a
  small set of accented letters, so the right reading is the one whose letters one
  language could have written (``è ø ì ù`` together is no language; ``č ř ě ů`` is Czech).
  Typographic punctuation where Western writing puts it (``India’s``, `` — ``) costs no
  more than a frequent letter, so the í and ó that a Mac page makes of the same bytes
  cannot outweigh it. Ties go to cp1252, the most common legacy encoding on the web.
* Supersets. GB2312 ⊂ GBK ⊂ GB18030, Shift_JIS ⊂ cp932, EUC-KR ⊂ cp949, Big5 ⊂ cp950
  decode the shared bytes alike except a few punctuation marks (``―``/``—``, ``〜``/``～``).
  The narrowest standard the bytes fit is what the writer's software used; a vendor
  extension is chosen only when its extra characters are present.

:func:`sniff_encoding` covers what must be recognised before the UTF-8 and binary checks:
7-bit ISO-2022 (valid ASCII, so UTF-8 would accept it) and UTF-16/UTF-32 without a BOM
(whose NUL bytes look binary).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, AnyStr

from textmend.charclass import text_cost
from textmend.decode import strict_decode

# The non-ASCII letters each language writes (lower case). Used to judge which Latin codec
# reading is a real language; a reading whose letters no single language uses is mojibake.
LANGUAGE_LETTERS: dict[str, str] = {
    "french": "àâæçéèêëîïôœùûüÿ",
    "german": "äöüßé",
    "spanish": "áéíñóúü",
    "portuguese": "áâãàçéêíóôõú",
    "italian": "àèéìíîòóùú",
    "dutch": "éèëïóáúöü",
    "danish-norwegian": "æøåé",
    "swedish": "åäöé",
    "finnish": "äöåšž",
    "icelandic": "áðéíóúýþæö",
    "catalan": "àçèéíïòóúü",
    "irish-welsh": "áéíóúâêîôûŵŷ",
    "czech": "áčďéěíňóřšťúůýž",
    "slovak": "áäčďéíĺľňóôŕšťúýž",
    "polish": "ąćęłńóśźż",
    "hungarian": "áéíóöőúüű",
    "romanian": "ăâîșțşţ",
    "croatian-slovene": "čćđšž",
    "turkish": "çğıöşüâîû",
    "estonian": "äöõüšž",
    "latvian": "āčēģīķļņšūž",
    "lithuanian": "ąčęėįšųūž",
    "albanian": "çë",
    "vietnamese": "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
}
_LANGUAGE_SETS = tuple(frozenset(letters) for letters in LANGUAGE_LETTERS.values())

# Single-byte codecs whose text is Latin script, in order of preference when readings tie
# (the web's most common first; ISO names after their Windows supersets).
LATIN_CODECS: tuple[str, ...] = (
    "cp1252",
    "cp1250",
    "iso8859-2",
    "cp1254",
    "iso8859-9",
    "cp1257",
    "iso8859-4",
    "iso8859-13",
    "iso8859-15",
    "iso8859-16",
    "cp1258",
)
# Codecs charset-normalizer may name for Latin text; any of them sends the choice through
# the letter comparison above (with the named codec among the candidates).
_LATIN_FAMILY = frozenset(
    {
        *LATIN_CODECS,
        "latin-1",
        "iso8859-3",
        "iso8859-10",
        "iso8859-14",
        "mac-roman",
        "mac-latin2",
        "mac-iceland",
        "mac-turkish",
        "hp-roman8",
        "cp437",
        "cp850",
        "cp852",
        "cp858",
        "cp775",
    }
)
# Every Latin code page the detector may name, for a choice made without it (in a fixed
# order: ties between them go to the earlier one).
_WESTERN_CANDIDATES: tuple[str, ...] = tuple(sorted(_LATIN_FAMILY - set(LATIN_CODECS)))
# Any reading other than cp1252 starts with this cost (a little under one misfit letter):
# the prior that a Latin legacy text on the web is Windows-1252. Further ties go to the
# earlier codec in LATIN_CODECS.
_NOT_CP1252_COST = 4
_MISFIT_COST = 6

# Narrowest first: the first codec that decodes every byte wins.
_SUPERSET_CHAINS: tuple[tuple[str, ...], ...] = (
    ("gb2312", "gbk", "gb18030"),
    ("shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213"),
    ("euc_jp", "euc_jis_2004", "euc_jisx0213"),
    ("euc_kr", "cp949"),
    ("big5", "cp950", "big5hkscs"),
)
_CHAIN_OF: dict[str, tuple[str, ...]] = {
    codecs.lookup(name).name: chain for chain in _SUPERSET_CHAINS for name in chain
}
# When charset-normalizer finds nothing, these are tried, strict, in this order.
_FALLBACKS: tuple[str, ...] = ("cp932", "gb18030", "big5hkscs", "cp949", "euc_jp", "cp1252")

_SAMPLE_BYTES = 1 << 16
_MAX_RUNS = 2000
_NON_ASCII = bytes(range(0x80, 0x100))
_ASCII = bytes(range(0x80))
# Up to this many non-ASCII bytes, a non-Latin guess is checked against the Latin readings.
_SHORT_NON_ASCII_BYTES = 256
# The most common legacy codec of each script, for short texts (see _better_short_reading).
_SHORT_CANDIDATES: tuple[str, ...] = (
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp874",
    "gb2312",
    "gbk",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Typographic punctuation where Western writing puts it (see _placed_punctuation). Each
# pattern starts with the mark, which lets the regex engine skip to the marks, and looks
# at most three characters to either side of it (_PLACE_CONTEXT). A letter is [^\W\d_].
_LETTER = r"[^\W\d_]"
_PLACED_APOSTROPHE = re.compile(
    # an English clitic that ends the word: India’s, won’t, we’ve, they’re, she’ll, I’d
    rf"\u2019(?:(?<={_LETTER}\u2019)(?=(?:s|t|d|m|re|ve|ll)(?!{_LETTER}))"
    # an elided article or pronoun of one or two letters, or qu: l’homme, d’après, qu’il
    rf"|(?:(?<=(?<!{_LETTER}){_LETTER}\u2019)|(?<=(?<!{_LETTER}){_LETTER}{{2}}\u2019)"
    rf"|(?<=qu\u2019))(?={_LETTER}))",
    re.IGNORECASE,
)
_PLACED_DASH = re.compile(r"[\u2013\u2014](?<=\s.)(?=\s)|\u2013(?<=\d.)(?=\d)")
_OPENING_QUOTE = re.compile(r"[\u2018\u201c](?<![^\s(\[].)(?=[^\W_])")
_CLOSING_QUOTE = re.compile(r"[\u2019\u201d](?<=[^\W_].|[.,;:!?].)(?![^\s.,;:!?)\]])")
_PLACE_CONTEXT = 3
_TYPOGRAPHIC_MARKS = "\u2013\u2014\u2018\u2019\u201c\u201d"
_TYPOGRAPHIC_MARK = re.compile(f"[{_TYPOGRAPHIC_MARKS}]")
# What a placed mark costs less: its whole cost as a character (charclass.NATURAL).
_PLACED_MARK_CREDIT = 1
# Natural text costs about 0–2.5 per character (see charclass); a wrong byte order of
# UTF-16 about 6. A reading must be at most this and beat the other order by the margin.
_WIDE_MAX_COST = 3.0
_WIDE_MARGIN = 1.5
# The layout of Western text (see western_without_detector): accented letters stand alone
# or in pairs inside words, and are a minority of the letters.
_WESTERN_MAX_RUN = 2
_WESTERN_LETTERS_PER_ACCENT = 4
_NON_ASCII_BYTE_RUN = re.compile(rb"[\x80-\xff]+")
_CP1252_MARK_BYTES = _TYPOGRAPHIC_MARKS.encode("cp1252")
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_ISO2022_KR = b"\x1b$)C"
_ISO2022_JP = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b$(D", b"\x1b(I")


def codec_name(label: str) -> str | None:
    """Python's canonical name for a codec label, or None if Python has no such codec."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _non_ascii_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _NON_ASCII))


def _sample(data: bytes) -> bytes:
    """The first 64 KB, cut back to a line end so a multi-byte character is not split."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]


# --- 7-bit ISO-2022 and BOM-less UTF-16/32 ----------------------------------------------


def sniff_encoding(data: bytes) -> str | None:
    """ISO-2022-JP/KR, or UTF-16/UTF-32 without a BOM, when the bytes prove it; else None.

    Call before the UTF-8 and binary checks: ISO-2022 is valid ASCII, and UTF-16 text has
    NUL bytes. Each answer is confirmed by a strict decode that yields plausible text.
    """
    head = data[:65536]
    if b"\x1b" in head and head.isascii():
        if _ISO2022_KR in head and strict_decode(data, "iso2022_kr") is not None:
            return "iso2022_kr"
        if any(escape in head for escape in _ISO2022_JP):
            for codec in ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext"):
                if strict_decode(data, codec) is not None:
                    return codec
    if b"\x00" in head:
        return _wide_unicode(data)
    return None


def _wide_unicode(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM.

    In UTF-32 the top byte of every code unit is NUL, which no other text has. UTF-16 is
    told by plausibility: the right byte order reads as natural text (about two cost units
    per character for Chinese, less for alphabets), the wrong one as a scatter of rare and
    unassigned characters, and binary data rarely survives a strict decode at all.
    """
    head = data[:4096]
    if len(data) % 4 == 0 and len(head) >= 8:
        for codec, high, next_high in (("utf-32-le", 3, 2), ("utf-32-be", 0, 1)):
            tops, seconds = head[high::4], head[next_high::4]
            if tops.count(0) == len(tops) and seconds.count(0) >= len(seconds) // 2:
                text = strict_decode(data, codec)
                if text is not None and _cost_per_char(text) <= _WIDE_MAX_COST:
                    return codec
    if len(data) % 2 or len(head) < 4:
        return None
    sample = data[: _SAMPLE_BYTES - _SAMPLE_BYTES % 2] if len(data) > _SAMPLE_BYTES else data
    readings = []
    for codec in ("utf-16-le", "utf-16-be"):
        text = strict_decode(sample, codec)
        if text is not None and (sample is data or strict_decode(data, codec) is not None):
            readings.append((_cost_per_char(text), codec))
    readings.sort()
    if not readings or readings[0][0] > _WIDE_MAX_COST:
        return None
    if len(readings) == 2 and readings[1][0] - readings[0][0] < _WIDE_MARGIN:
        return None
    return readings[0][1]


def _cost_per_char(text: str) -> float:
    """Average naturalness cost; infinite for text with C0 controls (NUL included), which a
    wide reading of binary data produces and real UTF-16/32 text does not contain."""
    if not text or _C0_CONTROL.search(text):
        return float("inf")
    return text_cost(text) / len(text)


_C0_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --- legacy single- and double-byte encodings -----------------------------------------


def _letter_misfit(letters: Counter[str]) -> int:
    """How many non-ASCII letters the best-fitting single language would not write."""
    total = sum(letters.values())
    if not total or any(letters.keys() <= language for language in _LANGUAGE_SETS):
        return 0  # one language writes them all (the usual case, and a quick test in C)
    best = max(
        sum(n for char, n in letters.items() if char in language) for language in _LANGUAGE_SETS
    )
    return total - best


def _is_latin_letter(char: str) -> bool:
    code = ord(char)
    return (0xC0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF) and char.isalpha()


def _placed_punctuation(context: str) -> int:
    """How many typographic marks of ``context`` stand where Western writing puts them.

    The places: an apostrophe in an English clitic or after an elided French or Italian
    article (``India’s``, ``won’t``, ``l’homme``, ``qu’il``), a dash between spaces
    (`` — ``, `` – ``), an en dash between digits (``2010–2012``), and curly quotes that
    open before a word and close after one, counted in pairs (``“talks”``, ``‘no’``).

    The apostrophe is judged by its word, not merely by letters on both sides, because
    in the mac-roman bytes of Spanish or Portuguese ``í`` is read by cp1252 as ``’``
    between letters too (``Hab’a``, ``polic’a``); those shapes are not an English or
    French apostrophe and get no credit.
    """
    doubles = {"\u201c": 0, "\u201d": 0, "\u2018": 0, "\u2019": 0}
    for quote in _OPENING_QUOTE.findall(context):
        doubles[quote] += 1
    for quote in _CLOSING_QUOTE.findall(context):
        doubles[quote] += 1
    return (
        len(_PLACED_APOSTROPHE.findall(context))
        + len(_PLACED_DASH.findall(context))
        + 2 * min(doubles["\u201c"], doubles["\u201d"])
        + 2 * min(doubles["\u2018"], doubles["\u2019"])
    )


def _around(text: AnyStr, spans: list[tuple[int, int]], space: AnyStr) -> AnyStr:
    """The stretches at ``spans`` with _PLACE_CONTEXT characters each side, merged where
    they overlap so that no character is seen twice, joined by ``space``."""
    places = []
    place_start, place_end = spans[0][0] - _PLACE_CONTEXT, spans[0][1] + _PLACE_CONTEXT
    for start, end in spans:
        if start - _PLACE_CONTEXT > place_end:
            places.append(text[max(0, place_start) : place_end])
            place_start = start - _PLACE_CONTEXT
        place_end = end + _PLACE_CONTEXT
    places.append(text[max(0, place_start) : place_end])
    return space.join(places)


def _stretches(
    text: AnyStr, run: re.Pattern[AnyStr], space: AnyStr
) -> tuple[AnyStr, AnyStr, list[tuple[int, int]]]:
    """What a reading's cost looks at: the first _MAX_RUNS non-ASCII stretches of
    ``text`` (found by ``run``) each with a neighbour each side, joined by ``space``; the
    stretches alone, joined; and where they are.

    Written for both text and bytes: in a code page that reads each byte as one character
    and ASCII as itself, the stretches of the bytes, decoded, are the stretches of the
    decoded text, so they are found once for every such candidate (see _choose_latin)."""
    pieces = []
    runs = []
    spans = []
    for count, match in enumerate(run.finditer(text)):
        if count == _MAX_RUNS:
            break
        start, end = match.span()
        pieces.append(text[max(0, start - 1) : end + 1])
        runs.append(match.group())
        spans.append((start, end))
    return space.join(pieces), space[:0].join(runs), spans


def _reading_cost(text: str) -> int:
    """Cost of one reading: its non-ASCII stretches (with a neighbour each side) plus
    accented Latin letters that no single language would write, weighed as rare ones,
    less a credit for punctuation in its usual places.

    The credit exists because the character costs favour letters: the most frequent
    accented letters cost nothing (charclass.FREQUENT_LETTERS) while every typographic
    mark costs one. The bytes of ``’`` and ``—`` in cp1252 are ``í`` and ``ó`` in
    mac-roman and mac-iceland, so an English article with many apostrophes and dashes
    read as a Mac page looked *more* natural the more of them it had, and the prior for
    cp1252 (_NOT_CP1252_COST) is a constant that the article's length outgrows. A mark
    where writers put it (_placed_punctuation) is as ordinary as a frequent letter and
    costs the same; a mark elsewhere (``canci—n``, ``sch”n``: mac-roman and cp437 read as
    cp1252) keeps its cost, and the accented letters decide as before.

    Only the first stretches count (_MAX_RUNS): the readings differ nowhere else, and a
    few thousand stretches decide as well as a whole book.
    """
    pieces, runs, spans = _stretches(text, _NON_ASCII_RUN, " ")
    around = _around(text, spans, " ") if _TYPOGRAPHIC_MARK.search(runs) else ""
    return _stretches_cost(pieces, runs, around)


def _stretches_cost(pieces: str, runs: str, around: str) -> int:
    """:func:`_reading_cost` from the reading's :func:`_stretches` and the context of its
    marks (:func:`_around`; needed only when ``runs`` holds a typographic mark)."""
    # Spaces between the pieces reset the word state of text_cost, as separate calls would.
    cost = text_cost(pieces)
    if _TYPOGRAPHIC_MARK.search(runs):
        cost -= _PLACED_MARK_CREDIT * _placed_punctuation(around)
    counts = Counter(runs.lower())
    letters = Counter({char: n for char, n in counts.items() if _is_latin_letter(char)})
    return cost + _MISFIT_COST * _letter_misfit(letters)


@dataclass(frozen=True, slots=True)
class _ByteTable:
    """A code page that maps each byte on its own to one character and ASCII to itself:
    ``chars[b]`` is what byte ``b`` reads as, ``invalid`` the bytes it leaves undefined."""

    chars: str
    invalid: frozenset[int]


@cache
def _byte_table(codec: str) -> _ByteTable | None:
    """``codec`` as a :class:`_ByteTable`, or None when it is not one (a multi-byte or
    stateful codec, one that does not read ASCII as ASCII, or one that reads a byte above
    it as an ASCII character: the non-ASCII stretches of its readings must be where those
    of the bytes are, see _stretches)."""
    try:
        singles = [bytes([byte]).decode(codec, errors="replace") for byte in range(256)]
    except LookupError:
        return None
    chars = "".join(singles)
    if (
        any(len(char) != 1 for char in singles)
        or bytes(range(256)).decode(codec, errors="replace") != chars
        or chars[:128] != bytes(range(128)).decode("ascii")
        or any(char.isascii() for char in chars[128:])
    ):
        return None
    invalid = frozenset(byte for byte in range(256) if strict_decode(bytes([byte]), codec) is None)
    return _ByteTable(chars, invalid)


def _choose_latin(data: bytes, named: Iterable[str]) -> tuple[str, float, int] | None:
    """(codec, confidence, cost) of the Latin reading that is the most natural text.

    cp1252 wins ties (see _NOT_CP1252_COST); the confidence grows with the margin over
    the runner-up per non-ASCII byte.
    """
    sample = _sample(data)
    candidates = list(LATIN_CODECS)
    candidates += [codec for codec in named if codec not in candidates]
    costs: list[tuple[int, int, str]] = []
    # Code pages that agree on every byte the sample holds give the same reading (cp1252,
    # cp1254 and iso8859-15 mostly do), which is judged once. For a byte-per-character
    # code page that reads ASCII as ASCII, both the fit and the reading follow from the
    # few distinct non-ASCII bytes: neither needs the whole file decoded per candidate.
    in_data = frozenset(data.translate(None, _ASCII))
    in_sample = sorted(in_data if sample is data else frozenset(sample.translate(None, _ASCII)))
    # Keyed by (True, what the sample's non-ASCII bytes read as) for byte tables, by
    # (False, the whole reading) for any other codec.
    cost_of_reading: dict[tuple[bool, str], int] = {}
    # The stretches a reading's cost looks at, found once in the bytes for every byte table.
    byte_pieces, byte_runs, spans = _stretches(sample, _NON_ASCII_BYTE_RUN, b" ")
    byte_around = _around(sample, spans, b" ") if spans else b""
    for rank, codec in enumerate(candidates):
        table = _byte_table(codec)
        text: str | None
        if table is None:
            if strict_decode(data, codec) is None:
                continue
            text = sample.decode(codec, errors="replace")
            reading = (False, text)
        else:
            if not table.invalid.isdisjoint(in_data):
                continue
            text = None
            reading = (True, "".join([table.chars[byte] for byte in in_sample]))
        if reading not in cost_of_reading:
            if text is None:
                cost_of_reading[reading] = _stretches_cost(
                    byte_pieces.decode(codec), byte_runs.decode(codec), byte_around.decode(codec)
                )
            else:
                cost_of_reading[reading] = _reading_cost(text)
        prior = _NOT_CP1252_COST if rank else 0
        costs.append((cost_of_reading[reading] + prior, rank, codec))
    if not costs:
        return None
    costs.sort()
    best_cost, _, best = costs[0]
    margin = costs[1][0] - best_cost if len(costs) > 1 else best_cost + 10
    non_ascii = _non_ascii_bytes(sample) or 1
    return best, min(0.99, 0.6 + 0.4 * min(1.0, margin / non_ascii)), best_cost


def narrowest(data: bytes, codec: str) -> str:
    """The narrowest standard in ``codec``'s superset chain that decodes all of ``data``."""
    for member in _CHAIN_OF.get(codec, ()):
        if strict_decode(data, member) is not None:
            return codec_name(member) or member
    return codec


def _ascii_compatible(codec: str) -> bool:
    """Whether ASCII bytes mean ASCII in ``codec`` (not so in EBCDIC or UTF-16)."""
    probe = b"The quick brown fox, 0-9."
    return strict_decode(probe, codec) == probe.decode("ascii")


def _better_short_reading(data: bytes, codec: str) -> tuple[str, float] | None:
    """A clearly more natural reading of short ``data`` than ``codec``'s, if there is one.

    charset-normalizer has little to go on in a short text and may name Big5 for
    ``Ça va? Très bien`` or ``Привет``. Up to a few hundred non-ASCII bytes, the best Latin
    reading and the readings of the most common codec of each script compete with its
    pick on the cost model; its pick keeps a head start. Long texts are left to its
    statistics, which are good there (and cheaper than a cost pass per candidate).
    """
    if not _ascii_compatible(codec):
        return None
    if _non_ascii_bytes(data) > _SHORT_NON_ASCII_BYTES:
        return None
    text = strict_decode(data, codec)
    if text is None:
        return None
    best_cost = _reading_cost(text) - _NOT_CP1252_COST
    best: tuple[str, float] | None = None
    latin = _choose_latin(data, ())
    if latin is not None and latin[2] < best_cost:
        best, best_cost = (latin[0], latin[1]), latin[2]
    for candidate in _SHORT_CANDIDATES:
        reading = strict_decode(data, candidate)
        if reading is None or candidate == codec:
            continue
        cost = _reading_cost(reading)
        if cost < best_cost:
            best, best_cost = (narrowest(data, codec_name(candidate) or candidate), 0.5), cost
    return best


def western_without_detector(data: bytes) -> tuple[str, float] | None:
    """``("cp1252", confidence)`` for bytes that are plainly Western text in Windows-1252,
    decided without charset-normalizer (which costs about 0.8 ms on an article); None leaves
    the choice to :func:`choose_legacy_encoding` and the detector.

    The detector's part in that choice is to say which *script* the bytes are in; between
    Latin code pages the reading comparison of :func:`_choose_latin` decides, over the
    Latin pages the detector named. Both parts are done here without it:

    * the script: in Cyrillic, Greek, Hebrew, Arabic or Thai code pages whole words are
      non-ASCII, and a CJK character is two bytes, while Western accents stand alone or in
      pairs next to ASCII letters (``café``, ``ação``; a lone one may be a word, ``à``, or
      a mark, `` — ``) and are a minority of the letters.
      On top of that layout, the cp1252 reading must hold nothing but letters one language
      writes and typographic marks;
    * the code page: cp1252 must win the reading comparison against *every* Latin code
      page the detector could name (the Mac and DOS pages included). Winning against all
      of them, it wins against the few the detector would have named too.

    So the answer is the detector path's answer whenever the detector would have called
    the bytes Latin; only the confidence may come out lower (the runner-up is taken from
    more candidates). Anything less plain goes to the detector.
    """
    sample = _sample(data)
    non_ascii = 0
    for match in _NON_ASCII_BYTE_RUN.finditer(sample):
        start, end = match.span()
        if end - start > _WESTERN_MAX_RUN:
            return None
        if not (
            end - start == 1
            or sample[start - 1 : start].isalpha()
            or sample[end : end + 1].isalpha()
            or not match.group().translate(None, _CP1252_MARK_BYTES)
        ):
            return None
        non_ascii += end - start
    letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if non_ascii * _WESTERN_LETTERS_PER_ACCENT > letters:
        return None
    text = strict_decode(data, "cp1252")
    if text is None:
        return None
    chars = set("".join(_NON_ASCII_RUN.findall(text))).difference(_TYPOGRAPHIC_MARKS)
    lower = {char.lower() for char in chars}
    if not all(char.isalpha() for char in lower):
        return None
    if not any(lower <= language for language in _LANGUAGE_SETS):
        return None
    latin = _choose_latin(data, _WESTERN_CANDIDATES)
    if latin is None or latin[0] != "cp1252":
        return None
    return latin[0], latin[1]


def choose_legacy_encoding(data: bytes, results: Any) -> tuple[str | None, float]:
    """(Python codec, confidence) for bytes that are not UTF-8, or (None, 0.0).

    ``results`` is charset-normalizer's ``from_bytes(data)``: its ranking decides the
    script; the Latin and CJK refinements above decide between its close candidates.
    UTF-16/32 answers are ignored: :func:`sniff_encoding` decides those from NUL bytes.
    """
    matches = [
        match
        for match in (list(results) if results is not None else [])
        if codec_name(match.encoding) and not codec_name(match.encoding).startswith("utf-")
    ]
    named = [codec_name(match.encoding) or "" for match in matches]
    if not named:
        for codec in _FALLBACKS:
            if strict_decode(data, codec) is not None:
                chosen = narrowest(data, codec_name(codec) or codec)
                latin = _better_short_reading(data, chosen)
                if latin:
                    return latin
                return chosen, 0.4 if codec != "cp1252" else 0.3
        return None, 0.0
    best = named[0]
    confidence = max(0.0, 1.0 - float(matches[0].chaos))
    if best in _LATIN_FAMILY:
        latin = _choose_latin(data, [name for name in named if name in _LATIN_FAMILY])
        if latin is not None:
            return latin[0], latin[1]
    if best in _CHAIN_OF:
        best = narrowest(data, best)
    return _better_short_reading(data, best) or (best, confidence)
