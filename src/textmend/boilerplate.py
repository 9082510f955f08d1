"""Stage 4: boilerplate lines in plain text.

Scraped article text carries lines that are not the article: ad markers, share buttons,
"related" link lists, newsletter and app promos, photo credits, copyright footers, comment
notes. This stage removes them and reports every removed line with a category and a reason.

Three kinds of evidence, all data-driven (``data/boilerplate.toml``, ``data/stopwords/``):

* phrase rules by category, matched against the *whole* line (``fullmatch``), so a phrase
  that merely occurs inside a sentence never removes that sentence;
* structure: runs of bulleted link items before the first or after the last paragraph of
  prose (menus, "related" lists), photo credits ending in an agency name after a slash or
  ``©``;
* language-independent prose detection: the document's language is the stop-word list with
  the highest share of its words (as in jusText, 19 languages); a line dense in stop words
  and long enough is *prose*, and prose is never removed by a structural rule.

A line without final punctuation is not boilerplate by itself (subheadings are short): every
structural rule needs a second signal. Ambiguous lines stay.
"""

from __future__ import annotations

import heapq
import os
import re
import tomllib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate, chain

from textmend.models import RemovedLine
from textmend.settings import DEFAULT_OPTIONS, Options

_MAX_RULE_LINE = 2000  # longer lines are article text, never chrome; also caps regex input
_LANGUAGE_SAMPLE_CHARS = 1_500  # characters of prose-like lines used to pick the stop words
_LANGUAGE_SAMPLE_LINES = 5  # the longest lines of a document are its prose
_BULLET_CHARS = frozenset("*+•·▪►◦‣–—-")


@dataclass(frozen=True, slots=True)
class Rule:
    """A phrase rule matched against a whole line (after its list marker)."""

    category: str
    pattern: re.Pattern[str]

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.pattern.pattern[:60]}/"


@dataclass(frozen=True, slots=True)
class KeywordRule:
    """A phrase in the middle or at the end of a line, found through its keywords.

    At an occurrence of a keyword, ``head`` must match all the text before it and ``tail``
    all the text from it to the end of the line (both on the lower-cased line).
    """

    category: str
    keywords: tuple[str, ...]
    head: re.Pattern[str]
    tail: re.Pattern[str]

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.head.pattern[:20]}{self.tail.pattern[:40]}/"

    def matches(self, lowered: str) -> bool:
        """True when the lower-cased, stripped line ``lowered`` is this rule's phrase."""
        for keyword in self.keywords:
            position = lowered.find(keyword)
            while position >= 0:
                if self.head.fullmatch(lowered, 0, position) and self.tail.fullmatch(
                    lowered, position
                ):
                    return True
                position = lowered.find(keyword, position + 1)
        return False


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a line is boilerplate."""

    category: str
    reason: str

    def __bool__(self) -> bool:
        return bool(self.category)


@dataclass(frozen=True, slots=True)
class Filtered:
    text: str
    removed: list[RemovedLine]


@dataclass(frozen=True, slots=True)
class Structure:
    """Thresholds of the structural rules (the ``[structure]`` table of the rules file)."""

    prose_min_words: int
    prose_min_stop_share: float
    prose_min_chars_unspaced: int
    known_language_min_share: float
    link_run_min: int
    link_item_min_words: int
    link_item_max_words: int


def _rules_table() -> dict[str, object]:
    raw = resources.files("textmend").joinpath("data/boilerplate.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _load_rules(table: dict[str, object]) -> tuple[Rule, ...]:
    rules = table["rules"]
    assert isinstance(rules, dict)
    return tuple(
        Rule(category, re.compile(pattern, re.IGNORECASE))
        for category, section in rules.items()
        for pattern in section["patterns"]
    )


def _load_keyword_rules(table: dict[str, object]) -> tuple[KeywordRule, ...]:
    entries = table["keyword_rules"]
    assert isinstance(entries, list)
    return tuple(
        KeywordRule(
            entry["category"],
            tuple(keyword.lower() for keyword in entry["keywords"]),
            re.compile(entry["head"], re.IGNORECASE),
            re.compile(entry["tail"], re.IGNORECASE),
        )
        for entry in entries
    )


def _load_stopwords() -> dict[str, frozenset[str]]:
    folder = resources.files("textmend").joinpath("data/stopwords")
    lists: dict[str, frozenset[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            words = entry.read_text("utf-8").splitlines()
            lists[entry.name.removesuffix(".txt")] = frozenset(
                w for w in words if w and not w.startswith("#")
            )
    return lists


def _first_characters(pattern: str) -> frozenset[str] | None:
    """The lower-cased characters a match of ``pattern`` can start with; None when any.

    Used only to skip rules that cannot match a line (an index, never a verdict), so when the
    regex parser of this Python cannot be read the answer is None and the rule is always tried.
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # a private module: any change means "unknown"
        return None

    def of_set(items: list[tuple[object, object]]) -> set[str] | None:
        chars: set[str] = set()
        for op, value in items:
            if op is c.LITERAL:
                chars.add(chr(value))  # type: ignore[arg-type]
            elif op is c.RANGE and value[1] - value[0] < 128:  # type: ignore[index,operator]
                chars.update(map(chr, range(value[0], value[1] + 1)))  # type: ignore[index,operator]
            elif op is c.CATEGORY and value is c.CATEGORY_DIGIT:
                chars.update("0123456789")
            else:
                return None  # negation, word class, big range: anything
        return chars

    def of_sequence(items: list[tuple[object, object]]) -> tuple[set[str] | None, bool]:
        chars: set[str] = set()
        for op, value in items:
            if op is c.AT:
                continue  # zero width
            if op is c.LITERAL:
                first, nullable = {chr(value)}, False  # type: ignore[arg-type]
            elif op is c.IN:
                first, nullable = of_set(value), False  # type: ignore[arg-type]
            elif op is c.SUBPATTERN:
                first, nullable = of_sequence(list(value[-1]))  # type: ignore[index]
            elif op is c.BRANCH:
                first, nullable = set(), False
                for branch in value[1]:  # type: ignore[index]
                    sub, sub_nullable = of_sequence(list(branch))
                    if sub is None:
                        return None, False
                    first |= sub
                    nullable = nullable or sub_nullable
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, _high, sub_items = value  # type: ignore[misc]
                first, nullable = of_sequence(list(sub_items))
                nullable = nullable or low == 0
            else:
                return None, False
            if first is None:
                return None, False
            chars |= first
            if not nullable:
                return chars, False
        return chars, True

    first, nullable = of_sequence(list(tree))
    if first is None or nullable:
        return None
    return frozenset(ch.lower() for ch in first)


# A pattern letter that is not part of an escape (``\\S``, ``\\W``...): such a rule depends on
# case and is matched on the original line; every other rule is matched on the lower-cased
# line without IGNORECASE, which lets the regex engine skip alternatives by their first letter.
_CASED_LETTER = re.compile(r"(?<!\\)[A-Z]")


def is_case_sensitive(rule: Rule) -> bool:
    return bool(_CASED_LETTER.search(rule.pattern.pattern))


@dataclass(frozen=True, slots=True)
class RuleBucket:
    """The phrase rules that can match a line starting with one character.

    ``screen`` is all of them in one alternation without groups (one regex call rejects most
    lines); only a line it accepts is matched rule by rule to find which one it was.
    """

    screen: re.Pattern[str]
    rules: tuple[Rule, ...]
    exact: tuple[re.Pattern[str], ...]

    def verdict(self, text: str) -> Verdict | None:
        if self.screen.fullmatch(text) is None:
            return None
        return self.identify(text)

    def identify(self, text: str) -> Verdict | None:
        """The first rule matching ``text``, which the screen has accepted."""
        for rule, pattern in zip(self.rules, self.exact, strict=True):
            if pattern.fullmatch(text):
                return Verdict(rule.category, rule.reason)
        return None  # pragma: no cover - the screen is the union of the rules


_PREFIX_CHARS = 2  # rules are indexed by the first two characters of a line where known
_MAX_PREFIXES = 400


def _prefixes(pattern: str, size: int = _PREFIX_CHARS) -> frozenset[str] | None:
    """The lower-cased beginnings (``size`` characters, or a whole shorter match) of every
    string ``pattern`` matches; None when that set is unknown, too large or holds "".

    Like :func:`_first_characters`, an index only: None means "try the rule on every line".
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # a private module: any change means "unknown"
        return None

    def join(heads: set[str], tails: set[str]) -> set[str] | None:
        joined = {(head + tail)[:size] for head in heads for tail in tails}
        return joined if len(joined) <= _MAX_PREFIXES else None

    def of_item(op: object, value: object) -> set[str] | None:
        if op is c.LITERAL:
            return {chr(value).lower()}  # type: ignore[arg-type]
        if op is c.AT:
            return {""}
        if op is c.IN:
            chars: set[str] = set()
            for set_op, item in value:  # type: ignore[attr-defined]
                if set_op is c.LITERAL:
                    chars.add(chr(item).lower())
                elif set_op is c.CATEGORY and item is c.CATEGORY_DIGIT:
                    chars.update("0123456789")
                else:
                    return None
            return chars
        if op is c.SUBPATTERN:
            return of_sequence(list(value[-1]))  # type: ignore[index]
        if op is c.BRANCH:
            union: set[str] = set()
            for branch in value[1]:  # type: ignore[index]
                found = of_sequence(list(branch))
                if found is None:
                    return None
                union |= found
            return union
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, sub = value  # type: ignore[misc]
            each = of_sequence(list(sub))
            if each is None:
                return None
            result = {""} if low == 0 else set()
            current: set[str] | None = {""}
            for count in range(1, min(high, size) + 1):
                current = join(current, each)  # type: ignore[arg-type]
                if current is None:
                    return None
                if count >= low or count == size:
                    result |= current
            return result
        return None

    def of_sequence(items: list[tuple[object, object]]) -> set[str] | None:
        found: set[str] | None = {""}
        for op, value in items:
            assert found is not None
            if all(len(text) >= size for text in found):
                break
            item = of_item(op, value)
            if item is None:
                return None
            complete = {text for text in found if len(text) >= size}
            grown = join({text for text in found if len(text) < size}, item)
            if grown is None:
                return None
            found = complete | grown
        return found

    result = of_sequence(list(tree))
    if result is None or "" in result:
        return None
    return frozenset(result)


def _never(_text: str) -> bool:
    """The screen of a line beginning no rule can start with."""
    return False


_MAX_MEMO_KEYS = 100_000  # line beginnings remembered per index (bounds adversarial input)


class _KeyMemo(dict[str, object]):
    """A dict that computes a missing key's value once (``compute(key)``) and keeps it.

    Looked up with ``map(memo.__getitem__, keys)``: a known key costs a C-level dict lookup,
    only a new line beginning runs Python.
    """

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str], object]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: str) -> object:
        value = self._compute(key)
        if len(self) < _MAX_MEMO_KEYS:
            self[key] = value
        return value


class PhraseIndex:
    """Phrase rules of one case mode indexed by the lower-cased first two characters of a line
    (or the first one, or none for rules that can start with anything).

    A line starting with ``key`` is matched against every rule a line with that beginning can
    match, in rule order: a two-character key's own rules, its first character's and the
    rules that can start anywhere. Nothing is compiled at import (compiling every bucket was
    most of ``import textmend``): the rule analysis runs on first use, each bucket's regexes
    when a line first needs it, and buckets with the same members (most two-character keys)
    share one compiled screen. :meth:`compile_all` compiles everything up front.
    """

    def __init__(self, rules: Iterable[Rule], flags: int) -> None:
        self.rules = tuple(rules)
        self.flags = flags
        self._analysis: tuple[dict[str, set[int]], dict[str, set[int]], set[int]] | None = None
        self._exact: dict[int, re.Pattern[str]] = {}
        self._shared: dict[tuple[int, ...], RuleBucket] = {}
        self.bucket_of = _KeyMemo(self._bucket_of_key)
        self.screen_of = _KeyMemo(self._screen_of_key)
        self._all_compiled = False

    def _index(self) -> tuple[dict[str, set[int]], dict[str, set[int]], set[int]]:
        """(rules by two-character prefix, by first character, rules starting anywhere)."""
        if self._analysis is None:
            by_two: dict[str, set[int]] = {}
            by_one: dict[str, set[int]] = {}
            anywhere: set[int] = set()
            for number, rule in enumerate(self.rules):
                two = _prefixes(rule.pattern.pattern)
                if two is not None:
                    for key in two:
                        (by_two if len(key) == 2 else by_one).setdefault(key, set()).add(number)
                    continue
                first = _first_characters(rule.pattern.pattern)
                if first is None:
                    anywhere.add(number)
                    continue
                for ch in first:
                    by_one.setdefault(ch, set()).add(number)
            self._analysis = by_two, by_one, anywhere
        return self._analysis

    def members(self, key: str) -> tuple[int, ...]:
        """Numbers of the rules a line whose lower-cased core starts with ``key`` can match."""
        if not key:
            return ()  # an empty line
        by_two, by_one, anywhere = self._index()
        numbers = set(anywhere)
        numbers |= by_two.get(key, set())  # keys of two characters only
        numbers |= by_one.get(key[0], set())
        return tuple(sorted(numbers))

    def _bucket_of_key(self, key: str) -> RuleBucket | None:
        members = self.members(key)
        if not members:
            return None
        bucket = self._shared.get(members)
        if bucket is None:
            rules = tuple(self.rules[n] for n in members)
            screen = "|".join(f"(?:{rule.pattern.pattern})" for rule in rules)
            exact = tuple(self._exact_pattern(n) for n in members)
            bucket = RuleBucket(re.compile(screen, self.flags), rules, exact)
            self._shared[members] = bucket
        return bucket

    def _exact_pattern(self, number: int) -> re.Pattern[str]:
        pattern = self._exact.get(number)
        if pattern is None:
            source = self.rules[number].pattern.pattern
            pattern = self._exact[number] = re.compile(source, self.flags)
        return pattern

    def _screen_of_key(self, key: str) -> Callable[[str], object]:
        bucket = self.bucket_of[key]
        return _never if bucket is None else bucket.screen.fullmatch  # type: ignore[attr-defined]

    def verdict(self, text: str, key: str) -> Verdict | None:
        bucket: RuleBucket | None = self.bucket_of[key]  # type: ignore[assignment]
        return bucket.verdict(text) if bucket is not None else None

    def compile_all(self) -> None:
        """Compile the bucket of every line beginning a rule names (before forking workers)."""
        if self._all_compiled:
            return
        by_two, by_one, _anywhere = self._index()
        for key in (*by_one, *by_two, "\x00"):  # "\x00": rules that start anywhere only
            self.screen_of[key]  # computed and kept by the memo
        self._all_compiled = True


_TABLE = _rules_table()
RULES = _load_rules(_TABLE)
KEYWORD_RULES = _load_keyword_rules(_TABLE)
STRUCTURE = Structure(**_TABLE["structure"])  # type: ignore[arg-type]
STOPWORDS = _load_stopwords()
# Lower-cased rules (matched on the lower-cased line) and case-sensitive ones (bylines).
_DATELINE_TABLE = _TABLE["dateline"]
assert isinstance(_DATELINE_TABLE, dict)
_DATELINE_MAX_CHARS = int(_DATELINE_TABLE["max_chars"])
_DATELINE_MAX_WORDS = int(_DATELINE_TABLE["max_words"])
_DATE = re.compile(_DATELINE_TABLE["date"])
_TIME = re.compile(_DATELINE_TABLE["time"])
_BY = re.compile(_DATELINE_TABLE["by"])
_INDEX = PhraseIndex((rule for rule in RULES if not is_case_sensitive(rule)), 0)
_CASED_INDEX = PhraseIndex((rule for rule in RULES if is_case_sensitive(rule)), re.IGNORECASE)


def compile_rules() -> None:
    """Compile every phrase rule bucket now instead of on first use.

    Registered to run before this process forks: the batch engine forks its workers after
    ``import textmend``, and every worker of a batch filters boilerplate, so the buckets are
    compiled once in the driver and shared by the workers instead of once per worker. A
    process that never forks compiles only the buckets its lines need.
    """
    _INDEX.compile_all()
    _CASED_INDEX.compile_all()


if hasattr(os, "register_at_fork"):  # POSIX; under spawn each worker compiles on first use
    os.register_at_fork(before=compile_rules)
# Every keyword of the keyword rules once, with the rules anchored on it.
_RULES_OF_KEYWORD: dict[str, tuple[KeywordRule, ...]] = {}
for _rule in KEYWORD_RULES:
    for _keyword in _rule.keywords:
        _RULES_OF_KEYWORD[_keyword] = (*_RULES_OF_KEYWORD.get(_keyword, ()), _rule)
# Each stop word with the indices of the lists that hold it: one lookup per sampled word.
_STOPWORD_LISTS = tuple(STOPWORDS.values())
_LISTS_OF_WORD: dict[str, tuple[int, ...]] = {}
for _index, _stoplist in enumerate(_STOPWORD_LISTS):
    for _word in _stoplist:
        _LISTS_OF_WORD[_word] = (*_LISTS_OF_WORD.get(_word, ()), _index)

_WORD = re.compile(r"\w+")
# A list-item marker as text renderers write it ("* ", "+ ", "• ", "- ").
_BULLET = re.compile(r"[*+•·▪►◦‣–—-]\s+")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts written without spaces between words: judge prose by characters instead.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def strip_bullet(text: str) -> str:
    """``text`` without a leading list-item marker."""
    if not text or text[0] not in _BULLET_CHARS:
        return text
    match = _BULLET.match(text)
    return text[match.end() :] if match else text


_CELL_EDGES = "| \t\xa0"
_CORE_MARKS = _BULLET_CHARS | {"|"}


def core_of(text: str) -> str:
    """What the phrase rules see of a stripped line: no list marker, no table-cell bars
    ("| Weitere Artikel zum Thema |", as trafilatura writes a one-cell table row) and no
    no-break spaces."""
    if text[:1] in _BULLET_CHARS:
        text = strip_bullet(text)
    elif text[:1] == "|":
        text = text.strip(_CELL_EDGES)
    if "\xa0" in text:
        text = " ".join(text.split())
    return text


_SHORT_LINE = 80  # chrome lines this short recur on every page of a site: remember them
_VERDICT_CACHE_SIZE = 50_000
# A short line's phrase verdict, or _NO_VERDICT (falsy) when no rule matches it.
_NO_VERDICT = Verdict("", "")
_short_verdicts: dict[str, Verdict] = {}


def clear_cache() -> None:
    """Forget the remembered short-line verdicts (benchmarks measure a cold start)."""
    _short_verdicts.clear()


def _phrase_verdict(core: str, lowered: str) -> Verdict | None:
    """The anchored phrase rule matching all of ``core`` (a stripped line without marker);
    ``lowered`` is ``core.lower()``."""
    key = lowered[:2]
    return _INDEX.verdict(lowered, key) or _CASED_INDEX.verdict(core, key)


def _keyword_verdict(lowered: str, rules: Iterable[KeywordRule] = KEYWORD_RULES) -> Verdict | None:
    for rule in rules:
        if rule.matches(lowered):
            return Verdict(rule.category, rule.reason)
    return None


def classify_line(line: str) -> Verdict | None:
    """The phrase rule that marks ``line`` as boilerplate on its own, or None.

    Context-free: the structural rules of :func:`filter_text` need the whole document.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_RULE_LINE:
        return None
    core = core_of(stripped)
    if not core:
        return None
    lowered = core.lower()
    return _phrase_verdict(core, lowered) or _keyword_verdict(lowered)


def _keyword_candidates(lowered: list[str]) -> dict[int, list[KeywordRule]]:
    """Lines (by index) that contain a keyword of a keyword rule, with those rules.

    One ``str.find`` per keyword over the whole lower-cased document instead of one test per
    line and keyword: the cost no longer grows with the number of (mostly short) lines.
    """
    document = "\n".join(lowered)
    starts = list(accumulate((len(line) + 1 for line in lowered), initial=0))
    found: dict[int, list[KeywordRule]] = {}
    for keyword, rules in _RULES_OF_KEYWORD.items():
        position = document.find(keyword)
        while position >= 0:
            index = bisect_right(starts, position) - 1
            candidates = found.setdefault(index, [])
            candidates.extend(rule for rule in rules if rule not in candidates)
            position = document.find(keyword, starts[index + 1])
    return found


@dataclass(frozen=True, slots=True)
class LineShape:
    """What the structural rules need to know about one line."""

    text: str  # stripped
    words: int
    stop_share: float
    bulleted: bool
    sentence_end: bool
    prose: bool


def pick_stopwords(text: str) -> frozenset[str]:
    """The stop-word list with the highest share of ``text``'s words (its language).

    Empty when no list covers at least ``known_language_min_share`` of the words: the
    language is then unknown and prose is judged by length and punctuation alone.
    """
    return _stopwords_of_lines(text.splitlines())


def _stopwords_of_lines(lines: Sequence[str]) -> frozenset[str]:
    """:func:`pick_stopwords` on a sample of the document's longest lines.

    Menus are short and often in another language than the article; a few hundred words of
    its longest lines (prose) name the language, each word looked up once in an index of
    all the lists.
    """
    longest = heapq.nlargest(_LANGUAGE_SAMPLE_LINES, lines, key=len)
    text = " ".join(line[:_LANGUAGE_SAMPLE_CHARS] for line in longest)[:_LANGUAGE_SAMPLE_CHARS]
    # Whitespace tokens, not \\w+ words: a third of the cost, and a stop word is rarely the
    # one that carries the punctuation.
    words = text.lower().split()
    if not words:
        return frozenset()
    hits = Counter(chain.from_iterable(filter(None, map(_LISTS_OF_WORD.get, words))))
    if not hits:
        return frozenset()
    best, count = min(hits.items(), key=lambda item: (-item[1], item[0]))  # ties: first list
    if count < STRUCTURE.known_language_min_share * len(words):
        return frozenset()
    return _STOPWORD_LISTS[best]


def shape_of(line: str, stopwords: frozenset[str]) -> LineShape:
    text = line.strip()
    sample = text[:_MAX_RULE_LINE]
    words = _WORD.findall(sample.lower())
    stop_share = sum(w in stopwords for w in words) / len(words) if words else 0.0
    sentence_end = ends_sentence(sample)
    bulleted = bool(text) and text[0] in _BULLET_CHARS and bool(_BULLET.match(text))
    s = STRUCTURE
    if len(text) > _MAX_RULE_LINE:
        prose = True
    elif not stopwords or (_UNSPACED.search(sample) and len(words) < s.prose_min_words):
        prose = len(sample) >= s.prose_min_chars_unspaced and sentence_end
    else:
        prose = len(words) >= s.prose_min_words and stop_share >= s.prose_min_stop_share
    return LineShape(text, len(words), stop_share, bulleted, sentence_end, prose)


# Shorter than this, a line can be prose neither by words (8 one-letter words and 7 spaces)
# nor by characters: no need to look at its words.
_PROSE_MIN_CHARS = min(2 * STRUCTURE.prose_min_words - 1, STRUCTURE.prose_min_chars_unspaced)


class Document:
    """The lines of one document with their shapes, computed only when a rule asks."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.stripped = list(map(str.strip, lines))
        self._stopwords: frozenset[str] | None = None
        self._shapes: dict[int, LineShape] = {}
        self._span: tuple[int, int] | bool | None = False  # False: not computed yet

    @property
    def stopwords(self) -> frozenset[str]:
        if self._stopwords is None:
            self._stopwords = _stopwords_of_lines(self.stripped)
        return self._stopwords

    def shape(self, index: int) -> LineShape:
        shape = self._shapes.get(index)
        if shape is None:
            shape = self._shapes[index] = shape_of(self.stripped[index], self.stopwords)
        return shape

    def bulleted(self, index: int) -> bool:
        text = self.stripped[index]
        return bool(text) and text[0] in _BULLET_CHARS and bool(_BULLET.match(text))

    def prose(self, index: int) -> bool:
        text = self.stripped[index]
        if len(text) < _PROSE_MIN_CHARS:
            return False
        return self.shape(index).prose

    def prose_span(self) -> tuple[int, int] | None:
        """First and last line of prose that is not a list item; None without prose."""
        if self._span is False:
            self._span = self._find_prose_span()
        return self._span  # type: ignore[return-value]

    def _find_prose_span(self) -> tuple[int, int] | None:
        candidates = [
            i
            for i, text in enumerate(self.stripped)
            if len(text) >= _PROSE_MIN_CHARS and text[0] not in _BULLET_CHARS
        ]
        first = next((i for i in candidates if self.prose(i)), None)
        if first is None:
            return None
        last = next(i for i in reversed(candidates) if self.prose(i))
        return first, last


def _link_list_verdicts(document: Document) -> dict[int, Verdict]:
    """Runs of bulleted, non-sentence items outside the prose (menus, "related" link lists).

    A list between two paragraphs is the article's own list and stays. The article's extent
    is judged on lines that are not list items: a list of teasers long enough to look like
    prose must not extend the article over itself. Prose lines are never judged.
    """
    s = STRUCTURE
    stripped = document.stripped
    bullets = [i for i, text in enumerate(stripped) if text[:1] in _BULLET_CHARS]
    bullets = [i for i in bullets if _BULLET.match(stripped[i])]
    if len(bullets) < s.link_run_min:
        return {}
    span = document.prose_span()
    if span is None:
        return {}  # no article found to measure against: structure proves nothing
    first_prose, last_prose = span
    # A run with an item inside the article is never outside it: those items need no look.
    bullets = [i for i in bullets if i < first_prose or i > last_prose]

    def link_item(index: int) -> bool:
        text = stripped[index][:_MAX_RULE_LINE]
        if ends_sentence(text):
            return False
        if index < first_prose and len(text) <= s.link_item_max_words:
            return _WORD.search(text) is not None  # 1 to at most max words
        if index > first_prose and len(text) < 2 * s.link_item_min_words + 1:
            return False  # too short to hold the words of a teaser headline
        words = len(_WORD.findall(text))
        return 0 < words <= s.link_item_max_words and (
            index < first_prose or words >= s.link_item_min_words
        )

    # Position of each line among the non-blank lines: a blank line does not break a run.
    rank = list(accumulate(map(bool, stripped)))
    verdicts: dict[int, Verdict] = {}
    run: list[int] = []
    for index in [*(i for i in bullets if link_item(i)), -1]:
        if run and index >= 0 and rank[index] == rank[run[-1]] + 1:
            run.append(index)
            continue
        outside = bool(run) and (run[-1] < first_prose or run[0] > last_prose)
        if len(run) >= s.link_run_min and outside:
            for item in run:
                verdicts[item] = Verdict("link-list", f"run of {len(run)} bulleted link items")
        run = [index]
    return verdicts


_CLOSING = "\"'”’»)]"
_FINAL_PUNCTUATION = frozenset(".!?…:;。！？")
_FINAL_OR_CLOSING = _FINAL_PUNCTUATION | frozenset(_CLOSING)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (then at most 3 closing marks)."""
    if text[-1:] not in _FINAL_OR_CLOSING:
        return False
    core = text.rstrip(_CLOSING)
    return len(text) - len(core) <= 3 and core[-1:] in _FINAL_PUNCTUATION and core != ""


def _phrase_verdicts(stripped: list[str]) -> tuple[dict[int, Verdict], list[str]]:
    """Anchored phrase verdicts by line index, and every line's lower-cased core.

    Works column-wise (``map`` over all lines, then Python only for the few lines that need
    it): most lines of a page are short menu items, and a per-line Python loop would cost
    more than the rules themselves.
    """
    cores = list(stripped)
    for index, text in enumerate(stripped):
        if len(text) > _MAX_RULE_LINE:
            cores[index] = ""
        elif text[:1] in _CORE_MARKS or "\xa0" in text:
            cores[index] = core_of(text)
    lowered = list(map(str.lower, cores))
    remembered = list(map(_short_verdicts.get, cores))
    verdicts: dict[int, Verdict] = {}
    for index, verdict in enumerate(remembered):
        if verdict is not None:
            if verdict:
                verdicts[index] = verdict
            continue
        core = cores[index]
        if not core:
            continue
        verdict = _phrase_verdict(core, lowered[index])
        if len(core) <= _SHORT_LINE:
            if len(_short_verdicts) >= _VERDICT_CACHE_SIZE:
                _short_verdicts.clear()
            _short_verdicts[core] = verdict or _NO_VERDICT
        if verdict is not None:
            verdicts[index] = verdict
    return verdicts, lowered


_DATELINE_MARGIN = 12  # bylines and datelines sit this close to the article's prose


def _dateline_verdicts(document: Document, lowered: list[str]) -> dict[int, Verdict]:
    """Short lines near the article that carry a date with a time or a "by": datelines and
    bylines ("Chris Davies - Nov 19, 2019, 10:31 pm CST", "By admin - 2018-09-16")."""
    span = document.prose_span()
    if span is None:
        return {}
    start = max(0, span[0] - _DATELINE_MARGIN)
    end = min(len(lowered), span[1] + _DATELINE_MARGIN + 1)
    verdicts: dict[int, Verdict] = {}
    for index in range(start, end):
        low = lowered[index]
        if not low or len(low) > _DATELINE_MAX_CHARS or _DATE.search(low) is None:
            continue
        if len(low.split()) > _DATELINE_MAX_WORDS:
            continue
        if low.endswith(".") and not low.endswith(("a.m.", "p.m.")):
            continue  # a sentence that mentions a date
        if _TIME.search(low) or _BY.search(low):
            verdicts[index] = Verdict("dateline", "date with a time or an author, no sentence")
    return verdicts


_HEADLINE_GAP = 2  # a headline is at most this many lines above its byline or dateline
_HEADLINE_MAX_WORDS = 25


def _headline_verdicts(
    document: Document, verdicts: dict[int, Verdict], bylines: dict[int, Verdict]
) -> dict[int, Verdict]:
    """The title above a byline/dateline that opens the article (the page's headline, which
    the article text does not repeat): the nearest kept line above it, when that line is not
    prose, not a sentence and at most a headline's length."""
    span = document.prose_span()
    if span is None:
        return {}
    found: dict[int, Verdict] = {}
    opening = [i for i in bylines if i <= span[0] + _HEADLINE_GAP]
    opening += [
        i
        for i, verdict in verdicts.items()
        if verdict.category == "byline" and i <= span[0] + _HEADLINE_GAP
    ]
    for index in sorted(set(opening)):
        above = index - 1
        while above >= 0 and index - above <= _HEADLINE_GAP + 1:
            text = document.stripped[above]
            if text and above not in verdicts and above not in bylines:
                if (
                    not document.prose(above)
                    and not ends_sentence(text)
                    and len(text.split()) <= _HEADLINE_MAX_WORDS
                    and not document.bulleted(above)
                ):
                    found[above] = Verdict("headline", "title line above the byline/dateline")
                break
            above -= 1
    return found


def find_boilerplate(lines: Sequence[str]) -> dict[int, Verdict]:
    """Every boilerplate line of a document, by 0-based index, with its verdict."""
    document = Document(lines)
    verdicts, lowered = _phrase_verdicts(document.stripped)
    for index, rules in sorted(_keyword_candidates(lowered).items()):
        if index not in verdicts:
            verdict = _keyword_verdict(lowered[index], rules)
            if verdict is not None:
                verdicts[index] = verdict
    for index, verdict in _link_list_verdicts(document).items():
        verdicts.setdefault(index, verdict)
    datelines = _dateline_verdicts(document, lowered)
    for index, verdict in datelines.items():
        verdicts.setdefault(index, verdict)
    for index, verdict in _headline_verdicts(document, verdicts, datelines).items():
        verdicts.setdefault(index, verdict)
    return verdicts


def filter_text(text: str, *, options: Options = DEFAULT_OPTIONS) -> Filtered:
    """Remove (or mark) boilerplate lines; every removed line is listed with its category."""
    if not options.remove_boilerplate and not options.mark_boilerplate:
        return Filtered(text, [])
    bare = text.splitlines()
    verdicts = find_boilerplate(bare)
    if not verdicts:
        return Filtered(text, [])
    lines = text.splitlines(keepends=True)
    removed: list[RemovedLine] = []
    for index in sorted(verdicts):
        verdict = verdicts[index]
        removed.append(RemovedLine(index + 1, bare[index], verdict.category, verdict.reason))
        marked = options.boilerplate_marker + lines[index] if options.mark_boilerplate else ""
        lines[index] = marked
    return Filtered("".join(lines), removed)


@cache
def categories() -> tuple[str, ...]:
    """Every category a removed line can carry."""
    phrase = {rule.category for rule in (*RULES, *KEYWORD_RULES)}
    return tuple(sorted(phrase | {"link-list", "dateline", "headline"}))
