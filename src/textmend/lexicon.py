"""Word frequencies that choose among the letters a lost byte could have been.

When a byte is lost inside a letter (Cyrillic я is D1 8F; cp1252 has no 0x8F, so it became
U+FFFD), the bytes that survive narrow the letter to a handful (с э я ѐ ѝ) but do not pick
one. Readers pick by the word: ``Сегодн?`` can only be ``Сегодня``. This module gives
textmend that reader's knowledge, from the word lists of the optional ``wordfreq`` package
(``pip install textmend[words]``):

* the language is chosen from the script of the line's undamaged letters
  (``data/lexicon_languages.toml``), and where a script serves several languages, from
  which small word list knows most of the line's intact words;
* in spaced scripts each candidate completes a whole word, and the candidate whose word is
  clearly the most frequent wins (several lost letters of one word are chosen together);
* in scripts written without spaces (Chinese, Japanese) each candidate is scored by the
  lexicon words of two to four characters that cover it in its context.

When no candidate forms a known word, or two come close, the lexicon abstains and the
caller keeps its own choice. Without ``wordfreq`` installed every answer is an abstention,
so textmend behaves exactly as it does without this module. Word lists are loaded on the
first damaged line that needs them (never for clean text or lossless repairs). A large list
costs 0.1-0.7 s and 30-130 MB, so a process keeps only the LOADED_LISTS it used last, and
the small lists that choose a language are kept without their frequencies: a batch worker's
memory stays bounded (about 330 MB at most) however many languages its documents are in.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import tomllib
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from importlib.machinery import ModuleSpec
from itertools import chain, islice
from pathlib import Path
from types import MappingProxyType
from typing import Any

from textmend.layers import encodes

# A word list maps a casefolded word to its frequency in centibels below 1.0 (wordfreq's
# bucket index): 0 is "every word", 100 one word in ten, 600 one in a million.
WordList = Mapping[str, int]

# How much more frequent (in centibels: 70 is five times) the best candidate's word must be
# than the next one's for the lexicon to decide.
DECISIVE_MARGIN = 70
# A word's readings (the product of its lost letters' candidates) are looked up one by one
# when there are at most LOOKED_UP_AT_MOST of them, and the look-up takes at most
# MAX_READINGS steps (a character or a candidate added to a reading). Any other word is
# searched for in the lists (a pattern over the words of its length: one pass of the regex
# engine however many readings it allows, cheaper than a few hundred look-ups).
MAX_READINGS = 1 << 15
LOOKED_UP_AT_MOST = 256
# A word with more lost letters than this is searched for rather than looked up.
MAX_LOST_IN_WORD = 4
# Words of this many characters are looked up around a candidate in unspaced scripts.
UNSPACED_WORD_LENGTHS = (2, 3, 4)
# Languages (at most) whose lists judge a line, and the share of the best one's coverage
# of the line's words another must reach to be consulted too.
MAX_LANGUAGES = 2
SECOND_LANGUAGE_SHARE = 0.8
# Intact words of a line looked at to choose its language.
MAX_WORDS_FOR_LANGUAGE = 60
# Large lists (and their sorted indexes) kept loaded at once, the most recently used: a
# document is nearly always in one or two languages, and each list is 30-130 MB.
LOADED_LISTS = 2


@dataclass(frozen=True, slots=True)
class LexiconChoice:
    """The candidates chosen for the lost letters of one word, and the evidence."""

    chars: tuple[str, ...]
    evidence: str


@cache
def _table() -> dict[str, Any]:
    raw = resources.files("textmend").joinpath("data/lexicon_languages.toml").read_text("utf-8")
    return tomllib.loads(raw)


@cache
def available() -> bool:
    """Are the optional ``wordfreq`` package's word lists at hand (the package installed,
    and ``msgpack``, which reads them)?

    Found, not imported: textmend reads the lists' files itself (see :func:`_data_folder`),
    and importing ``wordfreq`` imports ``langcodes`` and compiles its patterns, about a
    tenth of a second that the first damaged document of every process paid for nothing.
    """
    return _data_folder() is not None and _spec("msgpack") is not None


def _spec(module: str) -> ModuleSpec | None:
    """The spec of the top-level ``module`` if the import system finds it without running
    it (None for a module set to None in ``sys.modules``, which ``import`` refuses)."""
    try:
        return importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None


@cache
def _data_folder() -> Path | None:
    """wordfreq's data folder (None: wordfreq is not installed, or its data is not a folder
    on disk), found without importing the package: the folder ``data`` beside its
    ``__init__.py``, which is where ``wordfreq.util.data_path`` (``locate.this_dir()`` of a
    module of the package, an absolute path without resolving links) finds it."""
    spec = _spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    folder = Path(os.path.abspath(spec.origin)).parent / "data"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=LOADED_LISTS)
def word_list(language: str) -> WordList | None:
    """wordfreq's large list for ``language`` as word -> centibels (None: no list).

    Built from :func:`wordfreq.get_frequency_list`, which needs no tokenizer (wordfreq's
    Chinese and Japanese tokenizers need jieba and MeCab, which textmend does not use).
    """
    buckets = _buckets(language, "best")
    if buckets is None:
        return None
    return {word: index for index, bucket in enumerate(buckets) for word in bucket}


class WordSet:
    """The words of a small word list, held as their UTF-8 bytes (see
    :func:`frequent_words`): ``word in words`` asks about a str, as of a set of str."""

    __slots__ = ("utf8",)

    def __init__(self, utf8: Mapping[bytes, None]) -> None:
        self.utf8 = utf8

    def __contains__(self, word: object) -> bool:
        # UTF-8 maps str to bytes one to one (surrogatepass: a lone surrogate, which no
        # listed word holds, gives bytes no listed word has), so membership is the same.
        return isinstance(word, str) and word.encode("utf-8", "surrogatepass") in self.utf8

    def __len__(self) -> int:
        return len(self.utf8)


@cache
def frequent_words(language: str) -> WordSet:
    """The words of ``language``'s small list (empty: no list), which choose the language:
    ask ``word in frequent_words(language)``.

    The words only, not word -> frequency: the 27 Latin-script languages' small lists hold
    a million words. Only their most frequent 5,000 or 20,000 words choose worse (rare
    words tell close languages apart), so the whole list is kept.

    Kept as UTF-8 bytes, the keys of a read-only dict (every value None), for speed and
    memory with the same membership: the list's file holds UTF-8, and decoding a million
    words to str would cost more than the rest of the read; Python's cyclic garbage
    collector stops tracking a dict of bytes, while it walks every word of a set at each
    collection of the set's generation (0.05-0.09 s per collection for the 27 lists,
    several times in a batch worker). About 95 MB for the 27 lists, 0.13 s to read.
    """
    buckets = _utf8_buckets(language)
    keys = {} if buckets is None else dict.fromkeys(chain.from_iterable(buckets))
    return WordSet(MappingProxyType(keys))


def _utf8_buckets(language: str) -> list[list[bytes]] | None:
    """``_buckets(language, "small")`` with each word left as the UTF-8 bytes the file
    holds: wordfreq's cBpack format (see ``wordfreq.read_cBpack``: gzip of msgpack, a
    header then the buckets) read by msgpack without decoding its strings."""
    if not available():
        return None
    path = _list_files("small").get(language)
    if path is None:
        return None
    import gzip

    import msgpack

    with open(path, "rb") as stream:
        data = msgpack.unpackb(gzip.decompress(stream.read()), raw=True)
    header = data[0]
    if (
        not isinstance(header, dict)
        or header.get(b"format") != b"cB"
        or header.get(b"version") != 1
    ):
        raise ValueError(f"Unexpected header: {header!r}")
    buckets: list[list[bytes]] = data[1:]
    return buckets


def _buckets(language: str, size: str) -> list[list[str]] | None:
    """wordfreq's ``size`` list for ``language``, most frequent bucket first.

    Read from the list's file rather than through ``wordfreq.get_frequency_list``, which
    keeps every list it has read for the life of the process: the bounds above would not
    bound anything.
    """
    if not available():
        return None
    path = _list_files(size).get(language)
    return None if path is None else _read_cbpack(path)


def _read_cbpack(path: str) -> list[list[str]]:
    """``wordfreq.read_cBpack(path)``, without importing wordfreq (see :func:`available`):
    gzip of msgpack, a header then the buckets."""
    import gzip

    import msgpack

    with gzip.open(path, "rb") as stream:
        data = msgpack.load(stream, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"Unexpected header: {header!r}")
    buckets: list[list[str]] = data[1:]
    return buckets


@cache
def _list_files(size: str) -> dict[str, str]:
    """``wordfreq.available_languages(size)``: language -> file of its ``size`` list
    ("best": the large list where there is one, else the small one).

    Read from the data folder as wordfreq reads it, without importing wordfreq (see
    :func:`available`). Asked once per process: naming a Latin-script line's language
    reads 27 lists.
    """
    if size == "best":
        return _list_files("small") | _list_files("large")
    folder = _data_folder()
    files: dict[str, str] = {}
    for path in folder.glob("*.msgpack.gz") if folder is not None else ():
        if not path.name.startswith("_"):
            name, _, language = path.name.split(".")[0].partition("_")
            if name == size and language:
                files[language] = str(path)
    return files


@cache
def _simplified_map() -> dict[int, str]:
    """wordfreq's character map from Traditional to Simplified Chinese: its Chinese list
    holds Simplified forms only, so Traditional text is looked up through it."""
    folder = _data_folder()
    if folder is None:
        return {}
    try:
        import gzip

        import msgpack

        with gzip.open(folder / "_chinese_mapping.msgpack.gz") as stream:
            return dict(msgpack.load(stream, raw=False, strict_map_key=False))
    except (ImportError, OSError, ValueError):
        return {}


@lru_cache(maxsize=8192)
def chinese_variant_of(char: str) -> str | None:
    """Which written form of Chinese ``char`` belongs to alone, if either: "traditional"
    for a Traditional form that has another Simplified one (對, wordfreq's map), outside
    GB2312; "simplified" for a character of GB2312 (the Simplified standard) that Big5
    (the Traditional one) lacks (对, 号). Characters both write (小, 才, 卷) belong to
    neither."""
    if script(char) != "CJK" or not char.isalpha():
        return None
    if ord(char) in _simplified_map() and not encodes(char, "gb2312"):
        return "traditional"
    if encodes(char, "gb2312") and not encodes(char, "big5"):
        return "simplified"
    return None


_KANA = frozenset({"HIRAGANA", "KATAKANA"})
# How many characters of one written form, and none of the other in every ten of them, a
# sample must show to be named that form.
MIN_VARIANT_EVIDENCE = 3


@lru_cache(maxsize=64)
def chinese_variant(text: str) -> str | None:
    """The written form of Chinese that ``text`` shows ("traditional" or "simplified"), or
    None: too few characters of either, a mixture, or kana (Japanese kanji are neither
    form, and some look like one)."""
    counts = {"traditional": 0, "simplified": 0}
    for char in set(text):
        if script(char) in _KANA:
            return None
        variant = chinese_variant_of(char)
        if variant is not None:
            counts[variant] += 1
    for variant, other in (("traditional", "simplified"), ("simplified", "traditional")):
        if counts[variant] >= MIN_VARIANT_EVIDENCE and counts[other] * 10 <= counts[variant]:
            return variant
    return None


def _key(word: str, language: str) -> str:
    """A word as wordfreq stores it: casefolded (final sigma as σ; Turkish I as ı), without
    the combining marks abjad lists leave out, Chinese simplified, a letter the language
    writes two ways as its list does (the table's ``letter_variants``)."""
    table = _table()
    if language in table["unmarked"]:
        word = _without_marks(word)
    if language in table["dotless_i"]:
        word = word.replace("I", "ı").replace("İ", "i")
    key = word.casefold()
    if language == "zh":
        key = key.translate(_simplified_map())
    variants = _letter_variants(language)
    if variants:
        key = key.translate(variants)
    return key


@cache
def _letter_variants(language: str) -> dict[int, str]:
    """The table's ``letter_variants`` of ``language``, for ``str.translate``."""
    return {
        ord(written): listed
        for written, listed in _table()["letter_variants"].get(language, {}).items()
    }


@cache
def _scripts_of(language: str) -> frozenset[str]:
    """The scripts whose words ``language``'s list judges (by the table)."""
    return frozenset(
        name for name, languages in _table()["scripts"].items() if language in languages
    )


def frequency(word: str, languages: Sequence[str]) -> int | None:
    """The word's frequency in centibels below 1.0 in the most generous of ``languages``
    (see :func:`_frequency`; answers are kept, the same windows recur)."""
    return _frequency(word, tuple(languages))


def _is_scripted_mark(char: str) -> bool:
    """Is ``char`` a combining mark of one script (ා, ُ), not of every script (U+0301)?"""
    return unicodedata.category(char).startswith("M") and script(char) != "COMBINING"


@lru_cache(maxsize=1 << 16)
def _frequency(word: str, languages: tuple[str, ...]) -> int | None:
    """The word's frequency in centibels below 1.0 in the most generous of ``languages``
    (lower is more frequent); None when no list knows it.

    A list judges only words written in its own scripts: an English list that happens to
    hold the Hebrew letter א (quoted in some text) is no evidence that one was lost from
    English text. A combining mark of a script counts as that script: the Japanese list
    holds the Sinhala vowel sign ා as a token of its own, which made it a "word" for a
    lost character at the end of Thai text read as cp932.
    """
    best: int | None = None
    scripts = {script(char) for char in word if char.isalpha() or _is_scripted_mark(char)}
    for language in languages:
        if not scripts <= _scripts_of(language):
            continue
        words = word_list(language)
        if words is None:
            continue
        found = words.get(_key(word, language))
        if found is not None and (best is None or found < best):
            best = found
    return best


@lru_cache(maxsize=4096)
@lru_cache(maxsize=8192)
def script(char: str) -> str:
    """The first word of the character's Unicode name (LATIN, CYRILLIC, CJK, HIRAGANA…).
    (Remembered: a document's letters are asked about again and again.)"""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


@lru_cache(maxsize=8192)
def open_inventory(char: str) -> bool:
    """Is ``char`` of a script too large for a frequency ranking to list (ideographs,
    Hangul syllables), whose lost characters only word lists can choose among? False
    without the word lists: nothing would choose among thousands of candidates."""
    return available() and script(char) in _table()["open_inventories"]


@lru_cache(maxsize=8192)
def is_unspaced(char: str) -> bool:
    """Is ``char`` of a script written without spaces between words (see the table)?"""
    return script(char) in _table()["unspaced"]


@lru_cache(maxsize=8192)
def is_windowed(char: str) -> bool:
    """Is a lost ``char`` judged by the short words around it (unspaced scripts, and
    spaced ones whose words carry particles: see the table)?"""
    return is_unspaced(char) or script(char) in _table()["windowed"]


def _words_of(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalpha():
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


# A CDATA section's brackets are markup, its content text (a feed's <![CDATA[...]]>).
_MARKUP = re.compile(r"<!\[CDATA\[|\]\]>|<[^<>]*>|&#?\w+;")
_ADDRESS_SIGNS = ("://", "www.", "@")


def prose_of(text: str) -> str:
    """``text`` without markup tags, entities and addresses (links, e-mail): a feed's or a
    page's tags, entities and links (<description>, &lt;p&gt;, http://www.bbc.co.uk/...)
    are English words whatever the language of its text, and name none of it. Addresses
    are dropped word by word (a pattern around their signs would backtrack over every
    long run without spaces), and only in a text that holds one of their signs: this runs
    on every document whose lost bytes are inferred."""
    if "<" in text or "&" in text:
        text = _MARKUP.sub(" ", text)
    if not any(sign in text for sign in _ADDRESS_SIGNS):
        return " ".join(text.split())
    words = text.split()
    return " ".join(word for word in words if not any(sign in word for sign in _ADDRESS_SIGNS))


@lru_cache(maxsize=256)
def languages_for(known: str, candidates: str = "") -> tuple[str, ...]:
    """The languages whose word lists judge lost letters in a line whose intact text is
    ``known`` and whose lost letters could be any of ``candidates``.

    The script of most of the letters (candidates included: in a line of Japanese read
    as cp1252, most of the known text is still Latin mojibake) names the languages; when
    there are several, the one whose small word list knows most of the line's intact
    words, then any other that knows nearly as many. Unspaced scripts count known
    two-character words instead of whole words. With no intact word to go by, a script's
    languages are all used when they are few (Han: Chinese and Japanese), none otherwise.
    """
    question = _language_question(known, candidates)
    if isinstance(question, tuple):
        return question
    coverage = _coverage(question.offered, question.tokens)
    if not any(coverage.values()) and question.fallback is not None:
        coverage = _coverage(question.offered, question.fallback)
    best = max(coverage.values(), default=0)
    if best == 0:
        return tuple(coverage) if len(coverage) <= MAX_LANGUAGES else ()
    chosen = sorted(coverage, key=lambda lang: -coverage[lang])
    return tuple(
        lang for lang in chosen[:MAX_LANGUAGES] if coverage[lang] >= SECOND_LANGUAGE_SHARE * best
    )


@lru_cache(maxsize=256)
def first_language_for(known: str) -> str | None:
    """``languages_for(known)[0]`` where it is settled without reading every word list
    of the line's script, else None (the caller then asks :func:`languages_for`).

    Why: naming the language of a line of Latin script reads the small lists of 27
    languages (about 0.15 s, the largest cost a process pays on its first damaged
    document), while a caller that only asks whether the document's languages all write
    some habit is answered by the first of them when that one does not. The lists are
    read in the order :func:`languages_for` ranks ties in, and the first that knows every
    one of the line's words ranks first: no later list can know more, and a later one
    that knows as many ranks after it. (An English line is settled by the English list,
    the first.)
    """
    question = _language_question(known, "")
    if isinstance(question, tuple):
        return question[0] if question else None
    for language, known_tokens in _coverages(question.offered, question.tokens):
        if known_tokens == len(question.tokens) > 0:
            return language
    return None


@dataclass(frozen=True, slots=True)
class _LanguageQuestion:
    """What :func:`languages_for` asks the small word lists: which of ``offered`` (in the
    order that breaks ties) knows most of ``tokens``, or, where none knows any of them,
    of ``fallback`` (None: nothing else to ask)."""

    offered: tuple[str, ...]
    tokens: tuple[str, ...]
    fallback: tuple[str, ...] | None


def _language_question(known: str, candidates: str) -> tuple[str, ...] | _LanguageQuestion:
    """The question :func:`languages_for` puts to the word lists for ``known`` and
    ``candidates``, or its answer where none is needed (no script with languages, or a
    single language offered)."""
    counts, ranked = _ranked_scripts(known + candidates)
    scripts = _table()["scripts"]
    if not ranked:
        return ()
    # Japanese writes Han and kana together: every script with a fair share of the
    # letters offers its languages.
    offered: list[str] = []
    for name in ranked:
        if counts[name] * 4 >= counts[ranked[0]]:
            offered.extend(lang for lang in scripts[name] if lang not in offered)
    if len(offered) == 1:
        return tuple(offered)
    main = ranked[0]
    if main in _table()["unspaced"]:
        tokens = [
            known[i : i + 2]
            for i in range(len(known) - 1)
            if is_unspaced(known[i]) and is_unspaced(known[i + 1])
        ]
        return _LanguageQuestion(tuple(offered), tuple(tokens[:MAX_WORDS_FOR_LANGUAGE]), None)
    # Whole words first: the pieces of a word a lost letter cut (газе|а) are words of
    # some other language by chance; they are counted only when no whole word is
    # known. Only the first MAX_WORDS_FOR_LANGUAGE whole words are counted, so the
    # text is read no further once that many are found (the pieces would then not
    # be counted either way).
    intact: list[str] = []
    pieces: list[str] = []
    for word, whole in _words_with_wholeness(known):
        # (Every ASCII letter is LATIN: most words of a Latin-script sample are
        # settled without a look at each letter.)
        in_main = (main == LATIN and word.isascii()) or all(script(c) == main for c in word)
        if len(word) > 1 and in_main:
            (intact if whole else pieces).append(word)
            if len(intact) == MAX_WORDS_FOR_LANGUAGE:
                break
    fallback = (
        tuple((intact + pieces)[:MAX_WORDS_FOR_LANGUAGE])
        if len(intact) < MAX_WORDS_FOR_LANGUAGE
        else None
    )
    return _LanguageQuestion(tuple(offered), tuple(intact), fallback)


def _ranked_scripts(text: str) -> tuple[dict[str, int], list[str]]:
    """The letters of ``text`` by script (see :func:`_letters_by_script`), and the scripts
    that have languages in the table, most letters first (ties in order of appearance)."""
    counts = _letters_by_script(text)
    scripts = _table()["scripts"]
    ranked = sorted((name for name in counts if name in scripts), key=lambda n: -counts[n])
    return counts, ranked


def _letters_by_script(text: str) -> dict[str, int]:
    """How many letters of ``text`` each script has, the scripts in the order their first
    letters appear (languages_for ranks them by count, ties in that order).

    A document's sample is thousands of characters, mostly ASCII in Western text: its
    ASCII letters, all LATIN, are counted at once (in C) and only the others one by one.
    """
    counts: dict[str, int] = {}
    first_at: dict[str, int] = {}
    for run in _NON_ASCII_RUN.finditer(text):
        for offset, char in enumerate(run.group()):
            if char.isalpha():
                name = script(char)
                if name not in counts:
                    counts[name] = 0
                    first_at[name] = run.start() + offset
                counts[name] += 1
    ascii_text = text.encode("ascii", "ignore")
    ascii_letters = len(ascii_text) - len(ascii_text.translate(None, _ASCII_LETTER_BYTES))
    if ascii_letters:
        first = _ASCII_LETTER.search(text)
        assert first is not None
        counts[LATIN] = counts.get(LATIN, 0) + ascii_letters
        first_at[LATIN] = min(first_at.get(LATIN, first.start()), first.start())
    return {name: counts[name] for name in sorted(counts, key=first_at.__getitem__)}


_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_LETTER_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
# The script of every ASCII letter.
LATIN = "LATIN"


def _coverage(languages: Sequence[str], tokens: Sequence[str]) -> dict[str, int]:
    """How many of ``tokens`` each language's small list knows (languages without one are
    left out)."""
    return dict(_coverages(languages, tokens))


def _coverages(languages: Sequence[str], tokens: Sequence[str]) -> Iterator[tuple[str, int]]:
    """:func:`_coverage`, language by language: each list is read only when the one
    before it has been counted (see :func:`first_language_for`).

    The tokens are keyed once per way of keying (:func:`_keying`), not once per language:
    a line of Latin script is offered to 27 languages that all key by casefolding alone.
    The keys are looked up as the UTF-8 bytes the lists hold (see :class:`WordSet`).
    """
    keys_by_keying: dict[tuple[bool, bool, bool, str], list[bytes]] = {}
    for language in languages:
        words = frequent_words(language)
        if words:
            keying = _keying(language)
            keys = keys_by_keying.get(keying)
            if keys is None:
                keys = keys_by_keying[keying] = [
                    _key(token, language).encode("utf-8", "surrogatepass") for token in tokens
                ]
            yield language, sum(map(words.utf8.__contains__, keys))


@cache
def _keying(language: str) -> tuple[bool, bool, bool, str]:
    """What :func:`_key` does for ``language`` besides casefolding (drop marks, Turkish I,
    simplify Chinese, the language's own letter variants): languages alike in all four key
    every word alike."""
    table = _table()
    variants = language if _letter_variants(language) else ""
    return (
        language in table["unmarked"],
        language in table["dotless_i"],
        language == "zh",
        variants,
    )


def _words_with_wholeness(text: str) -> Iterator[tuple[str, bool]]:
    """The words of ``text`` (see :func:`_words_of`), each with whether it is whole: not
    next to a U+FFFD, which stands for a lost letter of it. Lazily: a caller that has
    enough words stops reading."""
    start = None
    for at, char in enumerate(chain(text, " ")):
        if char.isalpha():
            start = at if start is None else start
            continue
        if start is not None:
            whole = char != "\ufffd" and (start == 0 or text[start - 1] != "\ufffd")
            yield text[start:at], whole
            start = None


def known_words(text: str) -> int:
    """How many words of ``text`` the small word lists know (pairs of characters in unspaced
    scripts, which have no word limits): of two readings of one damaged line, the one
    in the line's language reads as more of its words. 0 without the word lists."""
    return known_tokens(text)[0]


def _tokens(text: str) -> list[str]:
    """The tokens the word lists are asked about: words of two letters or more, and pairs
    of characters in unspaced scripts (which have no word limits)."""
    tokens = [word for word in _words_of(text) if len(word) > 1 and not is_unspaced(word[0])]
    tokens += [
        text[i : i + 2]
        for i in range(len(text) - 1)
        if is_unspaced(text[i]) and is_unspaced(text[i + 1])
    ]
    return tokens


def known_tokens(text: str) -> tuple[int, int]:
    """How many of the tokens of ``text`` (see :func:`_tokens`) the small word lists know,
    and how many there are. (0, n) without the word lists or a language for the text."""
    tokens = _tokens(text)
    if not tokens or not available():
        return 0, len(tokens)
    languages = languages_for(text)
    if not languages:
        return 0, len(tokens)
    # The small lists, kept loaded: a large one loaded here would push out the lists the
    # line's lost letters are being chosen with.
    known = sum(
        any(_key(token, language) in frequent_words(language) for language in languages)
        for token in tokens
    )
    return known, len(tokens)


def listed_in_language_of(word: str, context: str) -> bool:
    """Does a small list of a language that the words of ``context`` point to (see
    :func:`languages_for`) hold ``word``? False without the word lists, or where the
    context's words name no language."""
    if not available():
        return False
    return any(
        _key(word, language) in frequent_words(language) for language in languages_for(context)
    )


def known_in_script(text: str) -> int | None:
    """How many of the tokens of ``text`` (see :func:`_tokens`) some small list of its
    main script knows, every language of the script asked (not only those the text's own
    words pick, which for text of no known word is none); None where no list judges it
    (no word lists, no tokens, or a script without lists, such as Thai)."""
    tokens = _tokens(text)
    if not tokens or not available():
        return None
    _counts, ranked = _ranked_scripts(text)
    if not ranked:
        return None
    coverage = _coverage(_table()["scripts"][ranked[0]], tokens)
    return max(coverage.values()) if coverage else None


@cache
def _alphabets() -> dict[str, frozenset[str]]:
    return {language: frozenset(letters) for language, letters in _table()["alphabets"].items()}


def alphabet(language: str) -> frozenset[str]:
    """The non-ASCII small letters of ``language``'s alphabet (the table's ``alphabets``;
    none for a language not listed there, English among them)."""
    return _alphabets().get(language, frozenset())


def capitalises_nouns(language: str) -> bool:
    """Does ``language`` write every noun with a capital (the table's
    ``capitalised_nouns``)?"""
    return language in _table()["capitalised_nouns"]


def languages_spelling(letters: Iterable[str]) -> tuple[str, ...]:
    """The languages of the table's ``alphabets`` whose alphabet holds every one of these
    non-ASCII letters, in either case."""
    wanted = frozenset(small for small in map(_small_letter, letters) if not small.isascii())
    return tuple(language for language, alphabet in _alphabets().items() if wanted <= alphabet)


def _small_letter(char: str) -> str:
    """``char`` in small letters, as the ``alphabets`` table writes it: Turkish İ is i (its
    lower() is i and a combining dot above, two characters), which needs no listing."""
    small = char.lower()
    return small if len(small) == 1 else small[0]


def best_listed_language(
    words: Sequence[str], languages: Sequence[str]
) -> tuple[str | None, list[bool]]:
    """The one of ``languages`` whose small list knows most of ``words``, and which of
    them it holds (None and none: no word lists, or no list among them)."""
    best_language: str | None = None
    best: list[bool] = [False] * len(words)
    if not available():
        return best_language, best
    for language in languages:
        listed = [_key(word, language) in frequent_words(language) for word in words]
        if sum(listed) > sum(best):
            best_language, best = language, listed
    return best_language, best


def spelled_in_alphabet(word: str, language: str) -> bool:
    """Is every non-ASCII character of ``word`` a letter of ``language``'s alphabet (the
    table's ``alphabets``), in either case? A sign among its letters is not."""
    letters = alphabet(language)
    return all((small := _small_letter(char)).isascii() or small in letters for char in word)


def listed_anywhere(words: Sequence[str]) -> list[bool]:
    """Which of ``words`` (of one script) the small list of some language of their script
    holds (none: no word lists, or a script without them)."""
    found = [False] * len(words)
    if not words or not available():
        return found
    _counts, ranked = _ranked_scripts(" ".join(words))
    for language in _table()["scripts"].get(ranked[0], []) if ranked else []:
        listed = frequent_words(language)
        found = [
            known or _key(word, language) in listed
            for known, word in zip(found, words, strict=True)
        ]
    return found


def listed_as_spelled(word: str) -> bool:
    """Does the small list of a language that spells ``word`` in its alphabet (see
    :func:`spelled_in_alphabet`) hold it: is it a word of that language, not a misspelling
    the list happens to keep? (Hungarian lists keep elsõ beside első, the damage is that
    common; Portuguese ones keep sã, a word of Portuguese.)"""
    if not available():
        return False
    return any(
        spelled_in_alphabet(word, language) and _key(word, language) in frequent_words(language)
        for language in _alphabets()
    )


def share_known_in_script(text: str) -> float | None:
    """:func:`known_in_script` as a share of the tokens of ``text``; None where no list
    judges it."""
    known = known_in_script(text)
    return None if known is None else known / len(_tokens(text))


def word_span(
    items: Sequence[str | Sequence[str]],
    at: int,
    letter: Callable[[str | Sequence[str]], bool],
) -> tuple[int, int]:
    """The limits ``(start, end)`` of the word around ``items[at]``: the run of items on
    both sides that ``letter`` accepts (known letters, and lost letters' candidate lists)."""
    start = at
    while start > 0 and letter(items[start - 1]):
        start -= 1
    end = at + 1
    while end < len(items) and letter(items[end]):
        end += 1
    return start, end


def _lost_only_against_digit(items: Sequence[str | Sequence[str]], start: int, end: int) -> bool:
    """Is the word ``items[start:end]`` nothing but lost characters, with a digit right
    before or after it (4?5, 10?)? Such a "word" is a sign between or after numbers (the ×
    of 4×5 m, whose byte-mates À-ÿ are letters), not a word of any language: the lists'
    most frequent one-letter word (ß, Å) would be a guess dressed up as evidence."""
    if any(isinstance(item, str) for item in items[start:end]):
        return False
    neighbours = (items[start - 1] if start else "", items[end] if end < len(items) else "")
    return any(isinstance(item, str) and item.isdigit() for item in neighbours)


def choose_in_word(
    prefix: str,
    pieces: Sequence[str | Sequence[str]],
    suffix: str,
    languages: Sequence[str],
) -> LexiconChoice | None:
    """The candidates that complete the most frequent word, when it is clearly so (see
    :func:`_choose_in_word`; answers are kept, as the repair looks at a line again)."""
    frozen = tuple(piece if isinstance(piece, str) else tuple(piece) for piece in pieces)
    return _choose_in_word(prefix, frozen, suffix, tuple(languages))


@lru_cache(maxsize=4096)
def _choose_in_word(
    prefix: str,
    pieces: tuple[str | tuple[str, ...], ...],
    suffix: str,
    languages: tuple[str, ...],
) -> LexiconChoice | None:
    """The candidates that complete the most frequent word, when it is clearly so, and
    the word they spell is cased as its known letters are.

    Why the case: the lists hold words casefolded, so they judge ``podzi?kował`` the same
    whether the lost letter is ę or Ę, and a decoder that leaves only Ę's byte undefined
    (cp1250 leaves 98, not 99) offers Ę alone. A word is written in small letters, in
    capitals, or with one capital first; a choice that breaks that pattern beside it
    (``podziĘkował``, ``PODZIęKOWAŁ``) is not the word the lists found, and the letter
    stays lost. The readings still compete as before: only the winner is checked, so
    that no junk word wins for want of rivals.
    """
    choice = _best_listed_reading(prefix, pieces, suffix, languages)
    if choice is not None and _breaks_case(prefix, pieces, suffix, choice.chars):
        return None
    return choice


def _without_miscased_twins(
    prefix: str,
    pieces: tuple[str | tuple[str, ...], ...],
    suffix: str,
    readings: list[tuple[str, tuple[str, ...]]],
) -> list[tuple[str, tuple[str, ...]]]:
    """``readings`` without those that spell a word in a case that breaks it (see
    :func:`_breaks_case`) where another reading spells the same word in a case that keeps
    it.

    Why: the lists hold words casefolded, so twins that differ only in the case of a lost
    letter tie, and the lexicon abstains. A converter that wrote "?" for every byte
    Latin-1 lacks lost both ć (C4 87) and Ć (C4 86), so ``sljedeÄ?e`` offered sljedeće
    and sljedeĆe and was never read. Only a twin goes: different words still compete as
    before, and twins that both keep the case (Će and će at a word's start, where a name
    may begin) still tie."""
    by_word: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for reading in readings:
        by_word.setdefault(reading[0].casefold(), []).append(reading)
    if len(by_word) == len(readings):
        return readings
    kept: list[tuple[str, tuple[str, ...]]] = []
    for twins in by_word.values():
        if len(twins) > 1:
            cased = [twin for twin in twins if not _breaks_case(prefix, pieces, suffix, twin[1])]
            twins = cased or twins
        kept.extend(twins)
    return kept


def _breaks_case(
    prefix: str,
    pieces: tuple[str | tuple[str, ...], ...],
    suffix: str,
    chars: tuple[str, ...],
) -> bool:
    """Does a letter of ``chars`` (one per candidate list of ``pieces``) break the case of
    the word it is spelled into: a capital after a small letter, or a small letter
    between two capitals? (Only the letters beside it are asked: the word's other known
    characters may be damage still to be read, ``podzi?kowaÅ``.)"""
    lost = iter(chars)
    spelled: list[str] = list(prefix)
    chosen: list[int] = []
    for piece in pieces:
        if isinstance(piece, str):
            spelled.extend(piece)
        else:
            chosen.append(len(spelled))
            spelled.extend(next(lost, ""))
    spelled.extend(suffix)
    for at in chosen:
        if at >= len(spelled):
            continue
        char = spelled[at]
        before = spelled[at - 1] if at else ""
        after = spelled[at + 1] if at + 1 < len(spelled) else ""
        if char.isupper() and before.islower():
            return True
        if char.islower() and before.isupper() and after.isupper():
            return True
    return False


def _best_listed_reading(
    prefix: str,
    pieces: tuple[str | tuple[str, ...], ...],
    suffix: str,
    languages: tuple[str, ...],
) -> LexiconChoice | None:
    """The candidates that complete the most frequent word, when it is clearly so.

    The word is ``prefix`` + ``pieces`` + ``suffix``: a piece is either known text or the
    candidates for one lost letter. Every combination of candidates is looked up (lost
    letters of one word are chosen together); the best must be known and beat every
    other reading by DECISIVE_MARGIN, or the lexicon abstains (None).
    """
    slots = [piece for piece in pieces if not isinstance(piece, str)]
    if not slots or not languages:
        return None
    size = 1
    for slot in slots:
        size *= len(slot)
    readings = (
        _readings(prefix, pieces, suffix, languages)
        if size <= LOOKED_UP_AT_MOST and len(slots) <= MAX_LOST_IN_WORD
        else None
    )
    if readings is None:
        readings = _listed_readings(prefix, pieces, suffix, languages)
    readings = _listed_letters(_plain_letters(_placed_final_letters(readings)), languages)
    readings = _without_miscased_twins(prefix, pieces, suffix, readings)
    scored: list[tuple[int, tuple[str, ...]]] = []
    marked: list[tuple[int, tuple[str, ...], str]] = []  # with the word without its marks
    blind_to_marks = any(language in _table()["unmarked"] for language in languages)
    for word, chars in readings:
        found = frequency(word, languages)
        if found is None:
            continue
        if blind_to_marks and any(unicodedata.category(char) == "Mn" for char in chars):
            marked.append((found, chars, _without_marks(word)))
        else:
            scored.append((found, chars))
    # Lists written without vowel points cannot see a lost mark: the word without it is
    # what they judge. A mark is chosen only when no letter makes a word; where the
    # readings that tie are one listed word with different marks, by how frequent each
    # mark is (see _mark_rank).
    evidence = "word list " + "+".join(languages)
    if not scored and marked:
        best = min(found for found, _chars, _word in marked)
        tied = [(chars, word) for found, chars, word in marked if found - best < DECISIVE_MARGIN]
        if len({word for _chars, word in tied}) > 1:
            return None  # different words: the lists cannot tell them apart
        ranked = sorted((_mark_rank(chars), chars) for chars, _word in tied)
        if len(ranked) == 1 or ranked[0][0] < ranked[1][0]:
            return LexiconChoice(ranked[0][1], evidence)
        return None
    if not scored:
        return _choose_by_letters(prefix, pieces, suffix, languages)
    scored.sort()
    best, chars = scored[0]
    if len(scored) > 1 and scored[1][0] - best < DECISIVE_MARGIN:
        return None
    return LexiconChoice(chars, evidence)


def _without_marks(word: str) -> str:
    """``word`` without its combining marks, as the abjads' lists write it."""
    return "".join(char for char in word if unicodedata.category(char) != "Mn")


def _mark_rank(chars: tuple[str, ...]) -> int:
    """How rare the combining marks among ``chars`` are together (data: marks_by_frequency;
    a mark not listed ranks after every listed one)."""
    table = _table()["marks_by_frequency"]
    rank = 0
    for char in chars:
        if unicodedata.category(char) == "Mn":
            order = table.get(script(char), "")
            rank += order.index(char) if char in order else len(order) + 1
    return rank


# The most frequent words of a list whose letter sequences judge a lost letter of a word
# the list does not hold (a rare inflection, a name).
LETTER_SAMPLE_WORDS = 50_000
# The weight of a sequence no sampled word holds (a word one in a trillion would give it).
UNSEEN_TRIPLE = 1e-12
# Letter sequences judge a lost letter only among this many candidates (the few a strict
# cp1252 decoder leaves undefined), and only by this margin (in centibels of the product of
# the sequences' weights): hiding one letter of 400 Russian, Czech and Hebrew words outside
# the sample, among the five such candidates, they chose right 97-98 % of the times they
# chose; among the thirty-odd letters one lost byte leaves, only 60 %.
MAX_LETTER_CANDIDATES = 8
LETTER_MARGIN = 100


@lru_cache(maxsize=LOADED_LISTS)
def _letter_triples(language: str) -> dict[str, float]:
    """How often each sequence of three letters occurs in ``language``'s words (word start
    and end marked by a space), weighted by the words' frequencies: Greek writes -ούς,
    not -ορς, in words no list holds."""
    counts: dict[str, float] = {}
    words = word_list(language) or {}
    for word, centibels in islice(words.items(), LETTER_SAMPLE_WORDS):
        weight = 10 ** (-centibels / 100)
        padded = f" {word} "
        for start in range(len(padded) - 2):
            triple = padded[start : start + 3]
            counts[triple] = counts.get(triple, 0.0) + weight
    return counts


def _choose_by_letters(
    prefix: str,
    pieces: tuple[str | tuple[str, ...], ...],
    suffix: str,
    languages: tuple[str, ...],
) -> LexiconChoice | None:
    """For a word no reading of which is a listed word, with one lost letter of a few
    candidates: the one whose sequences of three letters with its known neighbours are
    clearly the most frequent in the first language's words (see LETTER_MARGIN). A rare
    inflection or a name is still written with the language's usual letter sequences."""
    slots = [index for index, piece in enumerate(pieces) if not isinstance(piece, str)]
    if len(slots) != 1:
        return None
    (at,) = slots
    language = languages[0]
    options = pieces[at]
    assert not isinstance(options, str)
    if language in _table()["unmarked"]:
        # A list without vowel points has no sequences to judge a mark by.
        options = tuple(o for o in options if len(o) != 1 or unicodedata.category(o) != "Mn")
    if not 2 <= len(options) <= MAX_LETTER_CANDIDATES or any(
        len(option) != 1 or not option.isalpha() for option in options
    ):
        return None
    left = _key(prefix + "".join(p for p in pieces[:at] if isinstance(p, str)), language)
    right = _key("".join(p for p in pieces[at + 1 :] if isinstance(p, str)) + suffix, language)
    if not left and not right:
        return None
    counts = _letter_triples(language)
    scored: list[tuple[bool, float, str]] = []
    for option in options:
        key = _key(option, language)
        if len(key) != 1:
            return None
        padded = f" {left}{key}{right} "
        middle = len(left) + 1
        total, every_one_seen = 0.0, True
        for start in range(max(0, middle - 2), min(middle, len(padded) - 3) + 1):
            found = counts.get(padded[start : start + 3], 0.0)
            every_one_seen = every_one_seen and found > 0
            total += math.log10(found + UNSEEN_TRIPLE)
        scored.append((every_one_seen, total, option))
    scored.sort(reverse=True)
    (seen, best, char), (_, second, _) = scored[0], scored[1]
    if not seen or best - second < LETTER_MARGIN / 100:
        return None
    return LexiconChoice((char,), f"letter sequences of word list {language}")


def _plain_letters(
    readings: list[tuple[str, tuple[str, ...]]],
) -> list[tuple[str, tuple[str, ...]]]:
    """``readings`` without those that write a compatibility form of a letter (Greek ϖ
    for π, ϐ for β) where another reading writes the letter itself: the lists casefold
    one to the other, so both readings find the same word and tie, and the lexicon
    would abstain on a word it knows. Text writes the plain letter; the variant stays a
    reading only where no plain reading matches it."""
    plain = [tuple(unicodedata.normalize("NFKC", char) for char in chars) for _, chars in readings]
    if all(forms == chars for forms, (_, chars) in zip(plain, readings, strict=True)):
        return readings
    present = {chars for _, chars in readings}
    return [
        reading
        for forms, reading in zip(plain, readings, strict=True)
        if forms == reading[1] or forms not in present
    ]


def _listed_letters(
    readings: list[tuple[str, tuple[str, ...]]], languages: Sequence[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """``readings`` without those that write a letter of ``languages`` the way their
    lists do not (the table's ``letter_variants``: Romanian ş for ș) where another
    reading writes it the lists' way: both find the same word and would tie, as in
    :func:`_plain_letters`. The lists' way is the language's standard; the other stays a
    reading only where no reading writes the letter so."""
    variants: dict[int, str] = {}
    for language in languages:
        for written, listed in _letter_variants(language).items():
            variants[written] = listed
            variants[ord(chr(written).upper())] = listed.upper()
    if not variants:
        return readings
    present = {chars for _, chars in readings}
    return [
        reading
        for reading in readings
        if (standard := tuple(char.translate(variants) for char in reading[1])) == reading[1]
        or standard not in present
    ]


def _placed_final_letters(
    readings: list[tuple[str, tuple[str, ...]]],
) -> list[tuple[str, tuple[str, ...]]]:
    """``readings`` without those that write a word-final letter (Greek ς) inside the
    word or its other form (σ) at the end, which the lists cannot see (they casefold one
    to the other); all of them when none is left."""
    finals: dict[str, str] = _table()["final_letters"]
    if not any(
        final in word or medial in word for word, _ in readings for final, medial in finals.items()
    ):
        return readings
    placed = [
        (word, chars)
        for word, chars in readings
        if not any(final in word[:-1] or word.endswith(medial) for final, medial in finals.items())
    ]
    return placed or readings


def _readings(
    prefix: str,
    pieces: Sequence[str | Sequence[str]],
    suffix: str,
    languages: Sequence[str],
) -> list[tuple[str, tuple[str, ...]]] | None:
    """Every word the candidates can make, with the candidates that make it; None when
    the search takes more than MAX_READINGS steps."""
    found: list[tuple[str, tuple[str, ...]]] = []
    budget = MAX_READINGS

    def walk(index: int, text: str, chars: tuple[str, ...]) -> bool:
        nonlocal budget
        budget -= 1  # every step counts: a long word of lost letters is cut short
        if budget < 0:
            return False
        if index == len(pieces):
            found.append((text + suffix, chars))
            return True
        piece = pieces[index]
        options = [(piece, ())] if isinstance(piece, str) else [(c, (c,)) for c in piece]
        return all(walk(index + 1, text + option, chars + picked) for option, picked in options)

    return found if walk(0, prefix, ()) else None


@lru_cache(maxsize=LOADED_LISTS)
def _words_by_length(language: str) -> dict[int, str]:
    """The list's words by length, each length's words as one text, a word a line: a
    pattern finds the words that fit a damaged one in a single pass of the regex engine,
    however many combinations its lost letters allow."""
    by_length: dict[int, list[str]] = {}
    for word in word_list(language) or ():
        by_length.setdefault(len(word), []).append(word)
    return {length: "\n".join(words) for length, words in by_length.items()}


def _listed_readings(
    prefix: str,
    pieces: Sequence[str | Sequence[str]],
    suffix: str,
    languages: Sequence[str],
) -> list[tuple[str, tuple[str, ...]]]:
    """The readings of a word with too many combinations to look up one by one (several
    lost letters, each one of dozens) that are listed words: the word lists are searched
    for the words that fit, known letters in place and each lost one among its
    candidates. Only listed readings are returned, which is all that
    :func:`_choose_in_word` scores. A candidate whose key is not one character (a list
    that drops vowel marks drops it) is left out: the pattern matches a character each."""
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for language in languages:
        by_length = _words_by_length(language)
        parts: list[str] = []
        keyed: list[dict[str, list[str]]] = []
        length = 0
        for piece in (prefix, *pieces, suffix):
            if isinstance(piece, str):
                key = _key(piece, language)
                parts.append(re.escape(key))
                length += len(key)
                continue
            options: dict[str, list[str]] = {}
            for char in piece:
                key = _key(char, language)
                if len(key) == 1:
                    options.setdefault(key, []).append(char)
            if not options:
                break
            keyed.append(options)
            parts.append("([" + "".join(re.escape(key) for key in options) + "])")
            length += 1
        else:
            words = by_length.get(length)
            if words:
                _search(words, parts, keyed, (prefix, *pieces, suffix), found)
    return list(found)


def _search(
    words: str,
    parts: list[str],
    keyed: list[dict[str, list[str]]],
    pieces: Sequence[str | Sequence[str]],
    found: dict[tuple[str, tuple[str, ...]], None],
) -> None:
    """Add to ``found`` every reading of ``pieces`` whose key, the pattern ``parts``,
    is one of ``words`` (see :func:`_listed_readings`)."""
    pattern = re.compile("^" + "".join(parts) + "$", re.MULTILINE)
    for match in pattern.finditer(words):
        choices: list[tuple[str, ...]] = [()]
        for options, key in zip(keyed, match.groups(), strict=True):
            choices = [(*chars, char) for chars in choices for char in options[key]]
        for chars in choices:
            surface = iter(chars)
            word = "".join(piece if isinstance(piece, str) else next(surface) for piece in pieces)
            found[(word, chars)] = None


def choose_unspaced(
    before: str, candidates: Sequence[str], after: str, languages: Sequence[str]
) -> LexiconChoice | None:
    """The candidate for a lost character of unspaced text (Chinese, Japanese) with which
    the text around it splits into listed words clearly likelier than with any other
    (see :func:`_split_cost`): by DECISIVE_MARGIN, or the lexicon abstains (None).

    ``before`` and ``after`` may hold other damage: a character no list holds splits the
    words there, at the same cost for every candidate. A candidate that is a word by
    itself (朝 "morning", not the rare 朏) is judged the same way, as a word of one
    character. The likeliest split, not the summed frequency of every word that covers
    the candidate: 今天?午 with 上 or 下 lost is 今天上午 or 今天下午, two words as
    frequent as each other, not 下 because 天下 is a word too.
    """
    ranked = _unspaced_ranking(before, candidates, after, tuple(languages))
    return None if ranked is None else ranked[1]


def _unspaced_ranking(
    before: str, candidates: Sequence[str], after: str, languages: tuple[str, ...]
) -> tuple[float, LexiconChoice] | None:
    """:func:`choose_unspaced` with how far the choice stands out (the runner-up's cost
    minus the winner's), or None."""
    if not languages or len(candidates) < 2:
        return None
    left = before[-max(UNSPACED_WORD_LENGTHS) + 1 :]
    right = after[: max(UNSPACED_WORD_LENGTHS) - 1]
    at = len(left)
    costs = sorted(
        (_split_cost(left + char + right, at, at, languages), char) for char in candidates
    )
    (best, char), (second, _) = costs[0], costs[1]
    if second - best < DECISIVE_MARGIN / 100:
        return None
    evidence = "word list " + "+".join(languages) + ", words around it"
    return second - best, LexiconChoice((char,), evidence)


# The cost (-log10 of its probability, as a list's centibels over 100) of a character of
# unspaced text that no list holds alone: rarer than any listed character.
UNLISTED_CHARACTER = 8.0


def _split_cost(text: str, first: int, last: int, languages: tuple[str, ...]) -> float:
    """The cost (-log10 of the probability, words taken as independent) of the likeliest
    split of ``text`` into listed words of one to four characters, each character of
    unspaced text in one word (alone where no longer word holds it; UNLISTED_CHARACTER
    where no list holds it alone). Other characters (punctuation, U+FFFD) cost nothing and
    end words, save the characters ``first`` to ``last``, the candidates being judged,
    which cost UNLISTED_CHARACTER when they are no letter of unspaced text."""
    return _split(text, first, last, languages)[0]


def _split(text: str, first: int, last: int, languages: tuple[str, ...]) -> tuple[float, bool]:
    """:func:`_split_cost`, and whether the likeliest split holds the characters ``first``
    to ``last`` in one word."""
    best = [0.0] * (len(text) + 1)
    joined = [False] * (len(text) + 1)
    for end in range(1, len(text) + 1):
        char = text[end - 1]
        judged = first <= end - 1 <= last
        if not is_windowed(char):
            best[end] = best[end - 1] + (UNLISTED_CHARACTER if judged else 0.0)
            joined[end] = joined[end - 1]
            continue
        alone = frequency(char, languages)
        cost = best[end - 1] + (UNLISTED_CHARACTER if alone is None else alone / 100)
        holds = joined[end - 1] or (first == last == end - 1)
        for length in UNSPACED_WORD_LENGTHS:
            start = end - length
            if start < 0 or not is_windowed(text[start]):
                break
            found = frequency(text[start:end], languages)
            if found is not None and best[start] + found / 100 < cost:
                cost = best[start] + found / 100
                holds = joined[start] or (start <= first and last < end)
        best[end], joined[end] = cost, holds
    return best[-1], joined[-1]


# The most readings of two neighbouring lost characters judged together (see
# choose_unspaced_pair): a lost byte of UTF-8 read as cp1252 leaves five candidates, a
# byte GBK replaced a few dozen; twenty each is 400 pairs of some twelve lookups.
MAX_PAIR_READINGS = 400


def choose_unspaced_pair(
    before: str,
    firsts: Sequence[str],
    seconds: Sequence[str],
    after: str,
    languages: Sequence[str],
) -> LexiconChoice | None:
    """The two neighbouring lost characters of unspaced text with which the text around
    them splits into listed words clearly likeliest, one word holding both (see
    :func:`choose_unspaced`): most Chinese words are two characters, and when both lost a
    byte (合わ of 問い合わせ), only a word holding both tells which they were."""
    ranked = _pair_ranking(before, firsts, seconds, after, tuple(languages))
    return None if ranked is None else ranked[1]


def _pair_ranking(
    before: str,
    firsts: Sequence[str],
    seconds: Sequence[str],
    after: str,
    languages: tuple[str, ...],
) -> tuple[float, LexiconChoice] | None:
    """:func:`choose_unspaced_pair` with how far the choice stands out, or None."""
    if not languages or len(firsts) * len(seconds) > MAX_PAIR_READINGS:
        return None
    left = before[-max(UNSPACED_WORD_LENGTHS) + 1 :]
    right = after[: max(UNSPACED_WORD_LENGTHS) - 1]
    at = len(left)
    costs = sorted(
        (*_split(left + first + second + right, at, at + 1, languages), first, second)
        for first in firsts
        for second in seconds
    )
    if len(costs) < 2:
        return None
    (best, joined, first, second), runner_up = costs[0], costs[1][0]
    if not joined or runner_up - best < DECISIVE_MARGIN / 100:
        # Where no word holds both, each is judged alone, once the other's side is known.
        return None
    evidence = "word list " + "+".join(languages) + ", a word of both"
    return runner_up - best, LexiconChoice((first, second), evidence)


def extend_with_pieces(
    items: list[str | Sequence[str]], pieces: Sequence[str | Sequence[str]]
) -> list[int]:
    """Append ``pieces`` to ``items`` one character or candidate list per item (known
    text is split into characters, so that word limits can be found), and return where
    the candidate lists went."""
    slots: list[int] = []
    for piece in pieces:
        if isinstance(piece, str):
            items.extend(piece)
        else:
            slots.append(len(items))
            items.append(piece)
    return slots


def _in_script_of(text: str, letters: str) -> str:
    """``text`` with the letters of other scripts blanked out, when every lost letter
    (``letters``) is of one spaced script: a Bulgarian word in a line of Latin markup and
    English names is Bulgarian whatever the line's other words are. Lines without a word
    of that script keep the whole text.

    Likewise when every lost letter is of the unspaced scripts (Japanese writes Han and
    kana together, so they are kept together): a lost ideograph in a line of Chinese
    whose markup and links hold more Latin letters than it holds ideographs is still
    Chinese, and English word lists know none of its candidates."""
    if _unspaced_only(letters):
        kept = {*_table()["unspaced"], *_table()["unspaced_forms"]}
        return "".join(" " if c.isalpha() and script(c) not in kept else c for c in text)
    only = _spaced_script_of(letters)
    kept = None if only is None else _words_in_script(text, only)
    return text if kept is None else kept


def _unspaced_only(letters: str) -> bool:
    """Are ``letters`` all of the unspaced scripts (some of them at least; the width
    forms CJK text writes among them aside)?"""
    table = _table()
    scripts = {script(char) for char in letters if char.isalpha()} - set(table["unspaced_forms"])
    return bool(scripts) and scripts <= set(table["unspaced"])


def _spaced_script_of(letters: str) -> str | None:
    """The script of ``letters`` when they are all of one script written with spaces."""
    scripts = {script(char) for char in letters if char.isalpha()}
    if len(scripts) != 1:
        return None
    (only,) = scripts
    return None if only in _table()["unspaced"] else only


def _words_in_script(text: str, only: str) -> str | None:
    """``text`` with the letters of scripts other than ``only`` blanked out; None when
    no word of ``only`` is left."""
    kept = "".join(" " if char.isalpha() and script(char) != only else char for char in text)
    # Without intact words of that script, the candidates alone would name the language
    # (a lost byte after ×, whose candidates are Hebrew, is no Hebrew word in English).
    if not any(len(word) > 1 for word in _words_of(kept)):
        return None
    return kept


# The words of a script in the start of a document, kept for its lines (see
# _document_languages): the same few-thousand-character sample for every line.
_document_words_in_script = lru_cache(maxsize=8)(_words_in_script)


def _document_languages(document: str, letters: str) -> tuple[str, ...]:
    """The languages of lost ``letters`` of one spaced script, named by the words of that
    script in ``document``; none when it has no such word (the languages of the
    document's other scripts say nothing about these letters)."""
    only = _spaced_script_of(letters)
    kept = None if only is None else _document_words_in_script(document, only)
    return () if kept is None else languages_for(kept, letters)


def choose(
    before: str,
    pieces: Sequence[str | Sequence[str]],
    after: str,
    *,
    document: str = "",
    languages: Sequence[str] = (),
) -> list[LexiconChoice | None]:
    """Choices for every lost letter in ``pieces`` (known text and candidate lists),
    which stand between ``before`` and ``after`` in a line.

    One entry per candidate list, in order: a choice, or None where the lexicon abstains.
    Lists with a single candidate, or with no letter among them, are left to the caller.
    The language comes from the known text and the candidates' letters (in a line of
    Japanese read as cp1252 most of the damaged text is Latin mojibake until repaired);
    where they cannot name it (a headline whose every word lost a letter), from the
    intact words of that script in ``document`` (the start of the document, as repaired
    so far; see :func:`_document_languages`). ``languages``, where given, judge instead:
    a caller that named them from the whole document (lostbytes, for single-byte text
    read as UTF-8, whose lines lost a letter in every other word) knows better than a line.
    """
    slots = [index for index, piece in enumerate(pieces) if not isinstance(piece, str)]
    choices: list[LexiconChoice | None] = [None] * len(slots)
    if not slots or not available():
        return choices
    known = "".join(piece if isinstance(piece, str) else "\ufffd" for piece in pieces)
    letters = "".join(
        sorted(
            {
                char
                for piece in pieces
                if not isinstance(piece, str)
                for option in piece
                for char in option
            }
        )
    )
    if not languages:
        languages = languages_for(_in_script_of(before + known + after, letters), letters)
    if not languages and document:
        languages = _document_languages(document, letters)
    if not languages:
        return choices
    # Flatten into characters and candidate lists, so that word limits can be found.
    items: list[str | Sequence[str]] = list(before)
    slot_items = extend_with_pieces(items, pieces)
    items.extend(after)

    def letterlike(item: str | Sequence[str]) -> bool:
        if isinstance(item, str):
            return item.isalpha() or unicodedata.category(item) == "Mn"
        return any(char.isalpha() for char in item) and len(item) > 1

    reach = max(UNSPACED_WORD_LENGTHS) - 1
    decided: dict[int, str] = {}

    def known_text(start: int, end: int) -> str:
        """Items ``start:end`` as text: a lost character is itself where the lexicon
        already chose it, U+FFFD (part of no word) where not yet."""
        return "".join(
            item if isinstance(item, str) else decided.get(index, "\ufffd")
            for index, item in enumerate(items[start:end], start)
        )

    def windowed_slot(number: int, judged: Callable[[str], bool]) -> bool:
        options = items[slot_items[number]]
        return letterlike(options) and all(
            judged(char) for option in options for char in option if char.isalpha()
        )

    unspaced = {number for number in range(len(slot_items)) if windowed_slot(number, is_unspaced)}
    # Korean lost syllables: their whole word first (as in spaced text), then, where no
    # word decided, the short words around them within it (the lists split particles off).
    windowed = {
        number
        for number in range(len(slot_items))
        if number not in unspaced and windowed_slot(number, is_windowed)
    }

    def by_short_words(numbers: set[int]) -> None:
        """Most decisive first. Each round judges every lost character still open, and
        every two open neighbours where a word holds both (see
        :func:`choose_unspaced_pair`), with the characters chosen so far around them,
        and takes the one choice that stands out most. A character whose neighbours are
        still open is judged again once they are chosen: in お問い??せ with every kana
        lost, the kana come first, and then 合わ, inside 合わせ (judged left to right,
        又 alone, commoner than 合, came before the word could be seen)."""
        singles: dict[int, tuple[float, LexiconChoice] | None] = {}
        pairs: dict[int, tuple[float, LexiconChoice] | None] = {}
        while True:
            best: tuple[float, int, LexiconChoice] | None = None
            for number in sorted(numbers):
                if choices[number] is not None:
                    continue
                at = slot_items[number]
                slot = items[at]
                assert not isinstance(slot, str)
                left = known_text(max(0, at - reach), at)
                if number not in singles:
                    right = known_text(at + 1, at + 1 + reach)
                    singles[number] = _unspaced_ranking(left, slot, right, tuple(languages))
                ranked = singles[number]
                if ranked is not None and (best is None or ranked[0] > best[0]):
                    best = (ranked[0], number, ranked[1])
                neighbour = number + 1
                if (
                    neighbour in numbers
                    and slot_items[neighbour] == at + 1
                    and choices[neighbour] is None
                ):
                    if number not in pairs:
                        second = items[at + 1]
                        assert not isinstance(second, str)
                        right = known_text(at + 2, at + 2 + reach)
                        pairs[number] = _pair_ranking(left, slot, second, right, tuple(languages))
                    ranked = pairs[number]
                    if ranked is not None and (best is None or ranked[0] > best[0]):
                        best = (ranked[0], number, ranked[1])
            if best is None:
                return
            _, number, choice = best
            for offset, char in enumerate(choice.chars):
                choices[number + offset] = LexiconChoice((char,), choice.evidence)
                decided[slot_items[number + offset]] = char
            # What a choice changes: the judgements of the lost characters within reach.
            chosen_at = slot_items[number]
            for judged in (singles, pairs):
                for other in [n for n in judged if abs(slot_items[n] - chosen_at) <= reach + 2]:
                    del judged[other]

    by_short_words(unspaced)
    for number, at in enumerate(slot_items):
        slot = items[at]
        assert not isinstance(slot, str)
        if not letterlike(slot) or choices[number] is not None or number in unspaced:
            continue
        # The word around the slot: letters (and other lost letters) on both sides.
        start, end = word_span(items, at, letterlike)
        if _lost_only_against_digit(items, start, end):
            continue
        choice = choose_in_word("", items[start:end], "", languages)
        if choice is None:
            continue
        first = bisect_left(slot_items, start)
        for other_number, char in enumerate(choice.chars, first):
            choices[other_number] = LexiconChoice((char,), choice.evidence)
            decided[slot_items[other_number]] = char
    by_short_words(windowed)
    return choices
