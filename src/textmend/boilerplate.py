"""Stage 4: boilerplate lines in plain text.

Scraped article text carries lines that are not the article: ad markers, share buttons,
"related" link lists, newsletter and app promos, photo credits, copyright footers, comment
notes. This stage removes them and reports every removed line with a category and a reason.

Three kinds of evidence, all data-driven (``data/boilerplate.toml``, ``data/stopwords/``):

* phrase rules by category, matched against the *whole* line (``fullmatch``), so a phrase
  that merely occurs inside a sentence never removes that sentence;
* structure: runs of bulleted link items before the first or after the last paragraph of
  prose (menus, "related" lists), photo credits ending in an agency name after a slash or
  ``©``; the headline-shaped items under a list heading ("Related articles"); the caption
  above a credit alone on its line; around the opening of the article's *main run* of
  paragraphs, the headline (and the section label above it) over a byline, date or
  reading time, an author's name (or several, with their outlet) beside them, the
  headlines of other stories above the headline, a date that opens a meta line, and a
  caption or credit of a few words between that chrome and the first paragraph; dates
  alone in many languages; runs of list items all cut short with dots (a box of links);
  the author box under its heading; outside the main run, a short line enclosed by removed
  lines (a block of chrome), or any line enclosed by two lines of the article's opening;
* language-independent prose detection: the document's language is the stop-word list with
  the highest share of its words (as in jusText, 19 languages); a line dense in stop words
  and long enough is *prose*, and prose is never removed by a structural rule.

A line without final punctuation is not boilerplate by itself (subheadings are short): every
structural rule needs a second signal. Ambiguous lines stay.

Cost: nothing is compiled at import. The phrase rules are compiled on first use into one
screen per line beginning, and the rules that many beginnings share into one wide screen
(:class:`PhraseIndex`), all of them before the process forks (:func:`compile_rules`).
Per-line work is done column-wise (``map`` of C functions over the lines, ``compress`` to
pick the few that need Python; the functions of ``operator`` with ``repeat`` rather than
bound slot wrappers such as ``(80).__ge__`` or ``list.__setitem__``, which cost up to twice
as much a call, and a line's first or last character cut out once and looked up in a set
rather than ``str.startswith`` or ``str.endswith`` of a tuple), and a short line's verdict
is remembered across documents, as site chrome recurs on every page. The article's extent
(its language, prose span and main run) is looked for only when a structural rule could
fire: most clean articles need none of it. On a page of paragraphs most of the time goes to
searching the lower-cased lines for the keyword rules' keywords (:func:`_keyword_verdicts`),
so a page is searched only for the keywords it can hold (by its line lengths, and its
colons); each rule that finds nothing on a page costs it a test or two.
"""

from __future__ import annotations

import heapq
import re
import sys
import tomllib
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate, chain, compress, count, islice, pairwise, repeat
from operator import (
    add,
    and_,
    attrgetter,
    call,
    contains,
    eq,
    is_,
    itemgetter,
    le,
    ne,
    not_,
    setitem,
    sub,
)
from typing import Any

from textmend.models import RemovedLine
from textmend.settings import DEFAULT_OPTIONS, Options

_MAX_RULE_LINE = 2000  # longer lines are article text, never chrome; also caps regex input
_LANGUAGE_SAMPLE_CHARS = 1_500  # characters of prose-like lines used to pick the stop words
_LANGUAGE_SAMPLE_LINES = 5  # the longest lines of a document are its prose
_BULLET_CHARS = frozenset("*+•·▪►◦‣–—-")


_compiled = cache(re.compile)


@dataclass(frozen=True, slots=True)
class Rule:
    """A phrase rule matched against a whole line (after its list marker).

    ``source`` is the rule as written, matched case-insensitively; ``pattern`` compiles it
    on first use only: the filter compiles the rules into the screens of a
    :class:`PhraseIndex`, so that importing textmend compiles none of them.
    """

    category: str
    source: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.source, re.IGNORECASE)

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.source[:60]}/"


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
    # The longest line head and tail can match together: a longer line is never this phrase.
    max_chars: int = sys.maxsize

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.head.pattern[:20]}{self.tail.pattern[:40]}/"

    def matches(self, lowered: str) -> bool:
        """True when the lower-cased, stripped line ``lowered`` is this rule's phrase."""
        if len(lowered) > self.max_chars:
            return False
        for keyword in self.keywords:
            position = lowered.find(keyword)
            while position >= 0:
                # The tail first: it starts with the keyword, so it fails sooner.
                if self.tail.fullmatch(lowered, position) and self.head.fullmatch(
                    lowered, 0, position
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
        Rule(category, pattern)
        for category, section in rules.items()
        for pattern in section["patterns"]
    )


def _load_keyword_rules(table: dict[str, object]) -> tuple[KeywordRule, ...]:
    entries = table["keyword_rules"]
    assert isinstance(entries, list)
    rules = []
    for entry in entries:
        head = re.compile(entry["head"], re.IGNORECASE)
        tail = re.compile(entry["tail"], re.IGNORECASE)
        keywords = tuple(keyword.lower() for keyword in entry["keywords"])
        max_chars = _longest_match(head) + _longest_match(tail)
        rules.append(KeywordRule(entry["category"], keywords, head, tail, max_chars))
    return tuple(rules)


def _longest_match(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can span; ``sys.maxsize`` when unbounded.

    The rules file bounds every repetition, so this is a real limit. Like
    :func:`_first_characters`, used only to skip what cannot match: when the regex parser of
    this Python cannot be read, the answer is "unbounded".
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        _low, high = _parser.parse(pattern.pattern, pattern.flags).getwidth()
    except Exception:  # a private module: any change means "unknown"
        return sys.maxsize
    return high if high < c.MAXREPEAT else sys.maxsize


def _load_stopwords() -> dict[str, frozenset[str]]:
    folder = resources.files("textmend").joinpath("data/stopwords")
    lists: dict[str, frozenset[str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            words = entry.read_text("utf-8").splitlines()
            # The comment lines left out as the set is built (one set of 2,000 words per
            # list, not a second one without them), then a blank line if there was one.
            uncommented = map(not_, map(str.startswith, words, repeat("#")))
            kept = frozenset(compress(words, uncommented))
            lists[entry.name.removesuffix(".txt")] = kept - {""} if "" in kept else kept
    return lists


@lru_cache(maxsize=1024)
def _ignorecase_tree(pattern: str) -> Any:
    """The regex parser's tree of ``pattern`` with IGNORECASE (private module: callers treat
    any error as "unknown"). Cached: the index reads an alternative's beginnings at two and
    three characters, or its first characters when they fail, and parsing is the cost."""
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(pattern, re.IGNORECASE)


def _first_characters(pattern: str) -> frozenset[str] | None:
    """The lower-cased characters a match of ``pattern`` can start with; None when any.

    Used only to skip rules that cannot match a line (an index, never a verdict), so when the
    regex parser of this Python cannot be read the answer is None and the rule is always tried.
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]

        tree = _ignorecase_tree(pattern)
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
    return bool(_CASED_LETTER.search(rule.source))


_PREFIX_CHARS = 2  # rules are indexed by the first two characters of a line where known
_MAX_PREFIXES = 400


def _prefixes(pattern: str, size: int = _PREFIX_CHARS) -> frozenset[str] | None:
    """The lower-cased beginnings (``size`` characters, or a whole shorter match) of every
    string ``pattern`` matches; None when that set is unknown, too large or holds "".

    Like :func:`_first_characters`, an index only: None means "try the rule on every line".
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]

        tree = _ignorecase_tree(pattern)
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

    def of_sequence(items: list[tuple[object, object]], top: bool = False) -> set[str] | None:
        found: set[str] | None = {""}
        for op, value in items:
            assert found is not None
            if all(len(text) >= size for text in found):
                break
            item = of_item(op, value)
            if item is None:
                # What follows is unknown. At the top of the pattern, the beginnings found
                # so far, even when shorter than ``size``, still begin every match ("" would
                # mean "anything"); inside a group, what follows the group would be joined
                # to them as if they were whole, so the answer is "unknown".
                return found if top and "" not in found else None
            complete = {text for text in found if len(text) >= size}
            grown = join({text for text in found if len(text) < size}, item)
            if grown is None:
                return None
            found = complete | grown
        return found

    result = of_sequence(list(tree), top=True)
    if result is None or "" in result:
        return None
    return frozenset(result)


_PLAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")


def _is_plain(char: str) -> bool:
    """True for a character that stands for itself in a pattern and that the parser's
    answer (:func:`_prefixes`) keys as ``char.lower()``: an ASCII letter, digit or space, or
    a letter of another script that lower-casing leaves alone ("р", "广"; not "Σ", whose
    lower case depends on what follows it)."""
    return char in _PLAIN_CHARS or (char.isalpha() and char.lower() == char)


def _plain_prefixes(pattern: str, size: int = _PREFIX_CHARS) -> frozenset[str] | None:
    """:func:`_prefixes` of a pattern that plainly starts with ``size`` literal characters
    (:func:`_is_plain`), alone or at the start of a leading non-capturing group that holds
    no alternatives and is not repeated: "(?:share on) ...", "advertisement", "(?:реклама)".

    Why: most rules start so, and reading this off the text is far cheaper than parsing the
    pattern (parsing every rule was a third of the one-off compile). None means "not plain":
    the caller parses the pattern then, so the index is the same either way.
    """
    body = pattern
    if pattern.startswith("(?:"):
        group = _leading_group(pattern)
        if group is None:
            return None
        close, choices = group
        if choices:
            return None  # "|" at the top of the group: a choice of beginnings
        if pattern[close + 1 : close + 2] in ("?", "*", "+", "{"):
            return None  # the group may be absent or repeated
        body = pattern[3:]
    head = body[: size + 1]
    if len(head) <= size or not all(map(_is_plain, head[:size])):
        return None
    if head[size] in "?*{":
        return None  # the last of them may be absent
    return frozenset({head[:size].lower()})


# The screen of a line beginning no rule can start with: false for every string, and a C
# function, so that mapping it over lines stays in C. (``callable``: no string is. Unlike
# ``frozenset().__contains__`` it does not hash the line, and the lower-cased lines judged
# are new strings, their hashes not yet computed: half of a page's lines start so.)
_never: Callable[[str], object] = callable


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


class _RuleMemo(dict[int, Callable[[str], "re.Match[str] | None"]]):
    """A dict that computes a missing rule number's screen once (``compute(rule)``) and
    keeps it (rule numbers are few: no bound)."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[int], Callable[[str], re.Match[str] | None]]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, rule: int) -> Callable[[str], re.Match[str] | None]:
        value = self[rule] = self._compute(rule)
        return value


def _required_literal(pattern: str) -> str | None:
    """The longest run of literal characters at the top level of ``pattern`` (so in every
    match of it), or None. An index only, like :func:`_first_characters`."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern)
    except Exception:  # a private module: any change means "unknown"
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    best = run = ""
    for op, value in tree:
        run = run + chr(value) if op is c.LITERAL else ""
        best = max(best, run, key=len)
    return best or None


def _grouping(pattern: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each "(", ")" and "|" of ``pattern`` outside escapes and
    character classes."""
    index, end = 0, len(pattern)
    while index < end:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index += 1
            if pattern.startswith("^", index):
                index += 1
            if pattern.startswith("]", index):
                index += 1  # a "]" first in a class is a character
            while index < end and pattern[index] != "]":
                index += 2 if pattern[index] == "\\" else 1
        elif char in "()|":
            yield index, char
        index += 1


def _branches(pattern: str) -> list[tuple[tuple[str, ...], str | None]]:
    """``pattern`` as its top-level alternatives, each as (choices, rest): one that starts
    with a group of alternatives, "(?:A|B)REST", as (("A", "B"), "REST"); any other as
    ((itself,), None).

    One level is all there is: a choice holds no "|" outside groups of its own, so
    "(?:A)REST" has no alternatives to split again.
    """
    depth = 0
    top: list[int] = []  # "|" outside any group
    for index, char in _grouping(pattern):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            top.append(index)
    edges = [-1, *top, len(pattern)]
    return [_leading_choices(pattern[a + 1 : b]) for a, b in pairwise(edges)]


def _leading_group(pattern: str) -> tuple[int, list[int]] | None:
    """(index of the ")" that closes the non-capturing group ``pattern`` starts with,
    indexes of the "|" directly inside that group); None when ``pattern`` does not start
    with such a group, or never closes it."""
    if not pattern.startswith("(?:"):
        return None
    depth = 0
    choices: list[int] = []
    for index, char in _grouping(pattern):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index, choices
        elif depth == 1:
            choices.append(index)
    return None


def _leading_choices(branch: str) -> tuple[tuple[str, ...], str | None]:
    """(choices, rest) of a pattern without top-level "|", see :func:`_branches`."""
    group = _leading_group(branch)
    if group is None or not group[1]:
        return (branch,), None
    close, leading = group
    rest = branch[close + 1 :]
    if rest[:1] in ("?", "*", "+", "{"):  # a repeated group is no choice of one alternative
        return (branch,), None
    edges = [2, *leading, close]
    return tuple(branch[a + 1 : b] for a, b in pairwise(edges)), rest


def _alternatives(pattern: str) -> list[str]:
    """Patterns whose union is ``pattern``: its top-level alternatives, and for one that
    starts with a group of alternatives, "(?:A|B)REST", each of "(?:A)REST" and "(?:B)REST".

    The index keys each of them by its own beginnings: the share-button rule lists forty
    words, and each is looked for only on lines that start like it. A pattern of another
    shape stays whole.
    """
    return [
        choice if rest is None else f"(?:{choice}){rest}"
        for choices, rest in _branches(pattern)
        for choice in choices
    ]


def _restricted(
    branches: Sequence[tuple[tuple[str, ...], str | None]], keep: Iterable[bool]
) -> str:
    """The union of some of a pattern's :func:`_alternatives` (``keep``: one flag for each,
    in order), written as the pattern is: the kept choices of a leading group in one group
    before one copy of what follows it, "(?:A|C)REST" for "(?:A)REST" and "(?:C)REST".

    Why: the rest is most of a rule's text (the share-button rule's forty words follow each
    of its forty beginnings), and the cost of compiling the screens grows with their text.
    """
    flags = iter(keep)
    kept = []
    for choices, rest in branches:
        chosen = [choice for choice in choices if next(flags)]
        if chosen:
            kept.append(chosen[0] if rest is None else f"(?:{'|'.join(chosen)}){rest}")
    return "|".join(kept)


@dataclass(frozen=True, slots=True)
class _Analysis:
    """Where the phrase rules' alternatives (numbered in rule order) are looked for.

    ``by_two``/``by_one``: the alternatives screened on lines whose lower-cased core starts
    with a key of two characters / one character; ``anywhere``: on every line; ``gated``:
    only on lines holding a literal. ``wide``: the alternatives compiled once, in the wide
    screens (one per rule), instead of into the screens of all their keys; ``wide_starts``:
    the numbers of the rules whose wide screens a line is tried on, by the beginnings (of
    one to three characters) it may start with.
    """

    parts: tuple[tuple[int, str], ...]  # (rule number, alternative), as _alternatives
    branches: tuple[list[tuple[tuple[str, ...], str | None]], ...]  # each rule's _branches
    starts: tuple[int, ...]  # the number of each rule's first alternative
    by_two: dict[str, set[int]]
    by_one: dict[str, set[int]]
    anywhere: frozenset[int]
    gated: dict[int, str]
    wide: frozenset[int]
    wide_starts: dict[str, frozenset[int]]


# A rule whose alternatives the screens of its keys would hold at least this many characters
# more than the rule itself is compiled once, in the wide screen. Why not every rule:
# compiling costs about a microsecond a character, once, but every rule in the wide screen
# costs a few tens of nanoseconds on every line tried there, and a rule's keys bring lines.
_WIDE_MIN_SAVING = 100
_WIDE_PREFIX_CHARS = 3  # the wide screen is tried on lines by their first three characters
_ASCII_DIGITS = frozenset("0123456789")


class PhraseIndex:
    """Phrase rules of one case mode indexed by the lower-cased first two characters of a line
    (or the first one, or none for rules that can start with anything).

    A line starting with ``key`` is matched against every rule a line with that beginning can
    match, in rule order: a two-character key's own rules, its first character's and the
    rules that can start anywhere; the first that matches the whole line is its verdict.
    Nothing is compiled at import (compiling every screen was most of ``import textmend``):
    the rule analysis runs on first use, each screen when a line first needs it, and keys
    with the same rules (most two-character keys) share one compiled screen.
    :meth:`compile_all` compiles everything up front.

    The index holds the rules' alternatives (:func:`_alternatives`), and a screen holds, for
    each rule, the union of its alternatives that a line with the screen's keys can match
    (:func:`_restricted`), in an empty group named after the rule: the group closed last
    (``lastgroup``) of a match names the rule, the first in order that matches the whole
    line, as the alternation tries them in order. An alternative that can start anywhere
    but holds a literal (a URL rule holds "http") is not put in every screen: it is tried,
    in a screen of its own, only on lines holding it.

    A rule that would be copied into many screens (the share buttons, the dates: each of
    their beginnings is a key of its own, and each copy carries the rest of the rule) is
    compiled once instead, whole, in a *wide* screen of its own, tried after the keyed
    screen on the lines that start as one of its alternatives can (by up to three
    characters), the wide rules a line can start as in rule order: the first rule in order
    still wins. (One wide screen of all of them cost a try of each, some 35 rules, on every
    line tried; most lines can start as one or two.) That is exact only where the keys are:
    every line an alternative matches starts with one of its keys. They are, except that
    the analysis reads ``\\d`` as the ASCII digits (a line starting with another digit is
    not screened by a rule keyed on digits, as it never was),
    and, with IGNORECASE, a few characters that match another's case without lower-casing
    to it: alternatives keyed on a digit stay in the keyed screens (a wide one whose third
    character may be a digit is tried by its first two), and so do all the rules of the
    case-sensitive index.
    """

    def __init__(self, rules: Iterable[Rule], flags: int) -> None:
        self.rules = tuple(rules)
        self.flags = flags
        self._analysis: _Analysis | None = None
        self._shared: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._gated_screen: re.Pattern[str] | None = None
        # The wide screen of each rule that has one (its ``fullmatch``), by rule number.
        self.wide_screens = _RuleMemo(self._wide_screen)
        # Each rule's verdict and number by the name of its group in the screens.
        self.verdicts: dict[str, Verdict] = {}
        self._number: dict[str, int] = {}
        self.screen_of = _KeyMemo(self._screen_of_key)
        self.wide_of = _KeyMemo(self._wide_of_key)
        self._all_compiled = False

    def _index(self) -> _Analysis:
        if self._analysis is None:
            # Built in locals and published at the end (the analysis last): threads that
            # build it at the same time build the same thing.
            branches = tuple(_branches(rule.source) for rule in self.rules)
            parts = tuple(
                (number, choice if rest is None else f"(?:{choice}){rest}")
                for number, rule_branches in enumerate(branches)
                for choices, rest in rule_branches
                for choice in choices
            )
            by_two: dict[str, set[int]] = {}
            by_one: dict[str, set[int]] = {}
            anywhere: set[int] = set()
            gated: dict[int, str] = {}
            keys_of: dict[int, tuple[list[str], list[str]]] = {}  # (two, one) of sound parts
            for number, (_rule, source) in enumerate(parts):
                two_keys: list[str] = []
                one_keys: list[str] = []
                two = _plain_prefixes(source) or _prefixes(source)
                first = None if two is not None else _first_characters(source)
                if two is not None:
                    for key in two:
                        # Two characters tell letters apart; after a digit or a mark the
                        # second character is mostly another digit or a space, and keys
                        # by it would only copy the same rules into many screens.
                        if len(key) == 2 and key[0].isalpha():
                            two_keys.append(key)
                        else:
                            one_keys.append(key[0])
                elif first is not None:
                    one_keys.extend(first)
                else:
                    literal = None if self.flags & re.IGNORECASE else _required_literal(source)
                    if literal is None:
                        anywhere.add(number)
                    else:
                        gated[number] = literal
                    continue
                for key in two_keys:
                    by_two.setdefault(key, set()).add(number)
                for key in one_keys:
                    by_one.setdefault(key, set()).add(number)
                if _ASCII_DIGITS.isdisjoint("".join(two or first or ())):
                    keys_of[number] = (two_keys, one_keys)
            wide = self._wide_parts(parts, by_two, by_one, anywhere, keys_of)
            wide_starts: dict[str, set[int]] = {}
            for number in wide:
                two_keys, one_keys = keys_of[number]
                # Three characters where they are as exact as two (no digit among them): a
                # line starting "the" is not tried on the dates for "thu".
                source = parts[number][1]
                three = _plain_prefixes(source, _WIDE_PREFIX_CHARS) or _prefixes(
                    source, _WIDE_PREFIX_CHARS
                )
                if three is not None and _ASCII_DIGITS.isdisjoint("".join(three)):
                    beginnings: Iterable[str] = three
                else:
                    beginnings = (*two_keys, *one_keys)
                for start in beginnings:
                    wide_starts.setdefault(start, set()).add(parts[number][0])
                for key in two_keys:
                    by_two[key].discard(number)
                for key in one_keys:
                    by_one[key].discard(number)
            rule_names = {number: f"r{number}" for number in range(len(self.rules))}
            self.verdicts = {
                rule_names[number]: Verdict(rule.category, rule.reason)
                for number, rule in enumerate(self.rules)
            }
            self._number = {name: number for number, name in rule_names.items()}
            starts = {rule: number for number, (rule, _) in reversed(list(enumerate(parts)))}
            self._analysis = _Analysis(
                parts,
                branches,
                tuple(starts.get(number, len(parts)) for number in range(len(self.rules))),
                {key: found for key, found in by_two.items() if found},
                {key: found for key, found in by_one.items() if found},
                frozenset(anywhere),
                gated,
                frozenset(wide),
                {start: frozenset(rules) for start, rules in wide_starts.items()},
            )
        return self._analysis

    def _wide_parts(
        self,
        parts: Sequence[tuple[int, str]],
        by_two: dict[str, set[int]],
        by_one: dict[str, set[int]],
        anywhere: set[int],
        keys_of: dict[int, tuple[list[str], list[str]]],
    ) -> set[int]:
        """The alternatives to compile once, in the wide screen: the sound ones (keyed on no
        digit) of the rules whose sound alternatives the keyed screens would copy at
        ``_WIDE_MIN_SAVING`` characters more than their rule's length (see the class)."""
        if self.flags & re.IGNORECASE:
            return set()
        screens = {
            tuple(sorted(by_two.get(key, set()) | by_one.get(key[0], set()) | anywhere))
            for key in (*by_two, *by_one)
        }
        copied: dict[int, int] = {}
        for members in screens:
            for number in members:
                if number in keys_of:
                    rule = parts[number][0]
                    copied[rule] = copied.get(rule, 0) + len(parts[number][1])
        wide_rules = {
            rule
            for rule, chars in copied.items()
            if chars - len(self.rules[rule].source) >= _WIDE_MIN_SAVING
        }
        return {number for number in keys_of if parts[number][0] in wide_rules}

    def members(self, key: str) -> tuple[int, ...]:
        """Numbers of the alternatives in the keyed screen of lines whose lower-cased core
        starts with ``key``: all those such a line can match but the gated and wide ones."""
        if not key:
            return ()  # an empty line
        analysis = self._index()
        numbers = set(analysis.anywhere)
        numbers |= analysis.by_two.get(key, set())  # keys of two characters only
        numbers |= analysis.by_one.get(key[0], set())
        return tuple(sorted(numbers))

    def _screen(self, members: Sequence[int]) -> re.Pattern[str]:
        """One regex of the alternatives ``members`` (ascending), rule by rule (see the class)."""
        analysis = self._index()
        parts = analysis.parts
        by_rule: dict[int, set[int]] = {}
        for number in members:
            by_rule.setdefault(parts[number][0], set()).add(number)
        sources = []
        for rule, numbers in by_rule.items():  # in rule order, as ``members`` is
            keep = map(numbers.__contains__, count(analysis.starts[rule]))
            sources.append(f"(?:{_restricted(analysis.branches[rule], keep)})(?P<r{rule}>)")
        screen = re.compile("|".join(sources), self.flags)
        if screen.groups != len(sources):  # then a group's name is no longer the last
            raise ValueError(f"a phrase rule has a capturing group: {screen.pattern[:200]!r}")
        return screen

    def _screen_of_key(self, key: str) -> Callable[[str], object]:
        members = self.members(key)
        if not members:
            return _never
        if self._whole_rules():
            members = self._of_rules(members)
        screen = self._shared.get(members)
        if screen is None:
            screen = self._shared[members] = self._screen(members)
        return screen.fullmatch

    def _whole_rules(self) -> bool:
        """True when a keyed screen may hold its rules whole, all their alternatives.

        Why: with IGNORECASE, compiling a class that holds a character above U+00FF
        (``[\\w.\\x27’-]``, the capitals of ``[A-ZÀ-ÖØ-Þ…]``) builds a 64K-character map
        (about 75 µs each), and the case-sensitive index's four rules, with 10 such classes,
        were copied into 16 screens (50 of them, most of its compile time); whole, they make
        5 screens (16). Exact when every alternative is keyed on two ASCII letters (no
        one-character key, none that can start anywhere, none gated or wide): a line reaches
        a screen only by a key of two ASCII letters that its first two characters lower-case
        to, and a character that lower-cases to one ASCII letter matches no other ASCII
        letter under IGNORECASE (``test_ascii_letters_fold_only_to_themselves``), so an
        alternative keyed on other letters cannot match it.
        """
        analysis = self._index()
        return bool(
            self.flags & re.IGNORECASE
            and not (analysis.by_one or analysis.anywhere or analysis.gated or analysis.wide)
            and all(len(key) == 2 and key.isascii() and key.isalpha() for key in analysis.by_two)
        )

    def _of_rules(self, members: tuple[int, ...]) -> tuple[int, ...]:
        """Every alternative of the rules of the alternatives ``members`` (ascending)."""
        parts = self._index().parts
        rules = {parts[number][0] for number in members}
        return tuple(number for number, (rule, _) in enumerate(parts) if rule in rules)

    def _wide_of_key(self, key: str) -> tuple[int, ...]:
        """The numbers (ascending) of the rules whose wide screens hold an alternative a line
        starting with ``key`` (its first three characters) can match; () for none."""
        starts = self._index().wide_starts
        rules: set[int] = set()
        for beginning in {key[:1], key[:2], key}:
            rules.update(starts.get(beginning, ()))
        return tuple(sorted(rules))

    def _gated(self) -> tuple[dict[int, str], re.Pattern[str] | None]:
        gated = self._index().gated
        if gated and self._gated_screen is None:
            self._gated_screen = self._screen(sorted(gated))
        return gated, self._gated_screen

    def _wide_screen(self, rule: int) -> Callable[[str], re.Match[str] | None]:
        """The wide screen of rule number ``rule``: its wide alternatives, in one regex."""
        analysis = self._index()
        parts = analysis.parts
        members = [number for number in sorted(analysis.wide) if parts[number][0] == rule]
        return self._screen(members).fullmatch

    def _keep_first(self, names: dict[int, str], number: int, name: str) -> None:
        """Record ``name`` as line ``number``'s rule unless an earlier rule matched it."""
        known = names.get(number)
        if known is None or self._number[name] < self._number[known]:
            names[number] = name

    def judge(self, texts: list[str], keys: list[str]) -> dict[int, Verdict]:
        """The phrase verdicts of ``texts`` by position, each text judged by the screen of
        its key (the first two characters of its lower-cased core), the wide screens of the
        rules it can start as (by its first three characters), and the gated rules.

        One ``map`` of the keyed screens over all texts, so that no Python runs per text but
        for a match, a line that can start as a wide rule (about one in four) or one that
        holds a gated rule's literal.
        """
        hits = list(map(call, map(self.screen_of.__getitem__, keys), texts))
        # The names of the rules that matched (most pages: none, and no dict is filled).
        names: dict[int, str] = {}
        if any(hits):
            matched = compress(count(), hits)
            names.update((number, hits[number].lastgroup) for number in matched)  # type: ignore[union-attr, misc]
        analysis = self._analysis or self._index()
        # The wide screens: each line is tried on those of the rules it can start as, in
        # rule order, up to the first that matches (one rule's screen is a small regex; the
        # screen of all the wide rules at once cost a try of each on every line tried).
        # (An index without wide rules, as the case-sensitive one, skips the look-up.)
        if analysis.wide:
            wide_rules = list(map(self.wide_of.__getitem__, map(_FIRST_THREE, texts)))
            screens = self.wide_screens
            for number in compress(count(), wide_rules):
                text = texts[number]
                for rule in wide_rules[number]:  # type: ignore[union-attr]
                    match = screens[rule](text)
                    if match is not None:
                        self._keep_first(names, number, match.lastgroup)  # type: ignore[arg-type]
                        break
        if not analysis.gated:
            return {number: self.verdicts[name] for number, name in names.items()}
        gated, screen = self._gated()
        if screen is not None:
            # The lines are joined and searched once for each literal first: most pages hold
            # none (no URL), and then no line is looked at. (A literal is in the joined lines
            # wherever it is in a line, and elsewhere only across a line end.)
            joined = "\n".join(texts)
            holding: set[int] = set()
            for literal in set(gated.values()):
                if literal in joined:
                    holding.update(compress(count(), map(contains, texts, repeat(literal))))
            for number in holding:
                match = screen.fullmatch(texts[number])
                if match is not None:
                    self._keep_first(names, number, match.lastgroup)  # type: ignore[arg-type]
        return {number: self.verdicts[name] for number, name in names.items()}

    def verdict(self, text: str, key: str) -> Verdict | None:
        return self.judge([text], [key]).get(0)

    def compile_all(self) -> None:
        """Compile the screen of every line beginning a rule names (before forking workers)."""
        if self._all_compiled:
            return
        analysis = self._index()
        for key in (*analysis.by_one, *analysis.by_two, "\x00"):  # "\x00": anywhere only
            self.screen_of[key]  # computed and kept by the memo
        self._gated()
        for rule in {self._index().parts[number][0] for number in self._index().wide}:
            self.wide_screens[rule]  # computed and kept by the memo
        self._all_compiled = True


_TABLE = _rules_table()
RULES = _load_rules(_TABLE)
KEYWORD_RULES = _load_keyword_rules(_TABLE)
STRUCTURE = Structure(**_TABLE["structure"])  # type: ignore[arg-type]
# Lower-cased rules (matched on the lower-cased line) and case-sensitive ones (bylines).
_DATELINE_TABLE = _TABLE["dateline"]
assert isinstance(_DATELINE_TABLE, dict)
_DATELINE_MAX_CHARS = int(_DATELINE_TABLE["max_chars"])
_DATELINE_MAX_WORDS = int(_DATELINE_TABLE["max_words"])
_DATELINE_LEAD_MAX_WORDS = int(_DATELINE_TABLE["lead_max_words"])
_DATE = re.compile(_DATELINE_TABLE["date"])
_DATE_HINT = re.compile(_DATELINE_TABLE["date_hint"])
# The hint is searched in the short lines joined by "\n" first (_dateline_verdicts): it must
# find in the joined lines what it finds in any one of them, so it may not look at a line's
# edges (anchors) nor around its match (lookarounds), where "\n" stands for nothing.
assert not re.search(r"(?<!\[)\^|\$|\\[AZ]|\(\?<?[=!]", _DATE_HINT.pattern), _DATE_HINT.pattern
_TIME = re.compile(_DATELINE_TABLE["time"])
_BY = re.compile(_DATELINE_TABLE["by"])
_DATE_BEFORE = re.compile(_DATELINE_TABLE["alone_before"])
_DATE_AFTER = re.compile(_DATELINE_TABLE["alone_after"])
_TEASER_TABLE = _TABLE["teasers"]
assert isinstance(_TEASER_TABLE, dict)
_TEASER_HEADING = re.compile(_TEASER_TABLE["heading"])
_TEASER_HEADING_MAX_WORDS = int(_TEASER_TABLE["heading_max_words"])
_TEASER_MAX_ITEMS = int(_TEASER_TABLE["max_items"])
_TEASER_ITEM_MAX_WORDS = int(_TEASER_TABLE["item_max_words"])
_CUT = re.compile(_TEASER_TABLE["cut"])
_TEASERS_ABOVE_MAX = int(_TEASER_TABLE["above_headline_max"])
_CUT_ENDS = tuple(_TEASER_TABLE["cut_ends"])
_CUT_LAST_CHARS = frozenset(end[-1] for end in _CUT_ENDS)
_CUT_RUN_MIN = int(_TEASER_TABLE["cut_run_min"])
_AUTHOR_TABLE = _TABLE["author_box"]
assert isinstance(_AUTHOR_TABLE, dict)
_AUTHOR_HEADING = re.compile(_AUTHOR_TABLE["heading"])
_AUTHOR_MAX_LINES = int(_AUTHOR_TABLE["max_lines"])
_AUTHOR_MAX_WORDS = int(_AUTHOR_TABLE["max_words"])
_INDEX = PhraseIndex((rule for rule in RULES if not is_case_sensitive(rule)), 0)
_CASED_INDEX = PhraseIndex((rule for rule in RULES if is_case_sensitive(rule)), re.IGNORECASE)


def compile_rules() -> None:
    """Compile every phrase-rule bucket and read the stop-word lists now, not on first use.

    The local batch engine calls this (through ``pipeline.prepare_for_workers``) before it
    forks its workers: every worker of a batch filters boilerplate, so the rules are
    compiled once in the driver and shared, instead of once per worker. Any other process
    compiles only the buckets its lines need.
    """
    _INDEX.compile_all()
    _CASED_INDEX.compile_all()
    _languages()


# Every keyword of the keyword rules once, with the rules anchored on it and the longest line
# any of them can match.
_RULES_OF_KEYWORD: dict[str, tuple[tuple[KeywordRule, ...], int]] = {}
for _rule in KEYWORD_RULES:
    for _keyword in _rule.keywords:
        _rules, _longest = _RULES_OF_KEYWORD.get(_keyword, ((), 0))
        _RULES_OF_KEYWORD[_keyword] = ((*_rules, _rule), max(_longest, _rule.max_chars))
# The same keywords by the longest line their rules can match, each with its rank in
# _RULES_OF_KEYWORD (the order in which a line's candidate rules are tried): a page whose
# lines are all longer than a keyword's reach is not searched for it.
_KEYWORDS_BY_REACH = sorted(
    (longest, rank, keyword, rules)
    for rank, (keyword, (rules, longest)) in enumerate(_RULES_OF_KEYWORD.items())
)
_REACHES = [entry[0] for entry in _KEYWORDS_BY_REACH]
_FOUND = (-1).__lt__  # a position ``str.find`` returned, not -1


@dataclass(frozen=True, slots=True)
class _KeywordTable:
    """Keywords to search, by reach: ``entries`` as in ``_KEYWORDS_BY_REACH``, with their
    ``reaches`` and ``keywords`` in the same order (for ``bisect`` and ``map``)."""

    entries: list[tuple[int, int, str, tuple[KeywordRule, ...]]]
    reaches: list[int]
    keywords: list[str]


def _keyword_table(entries: list[tuple[int, int, str, tuple[KeywordRule, ...]]]) -> _KeywordTable:
    return _KeywordTable(entries, [entry[0] for entry in entries], [entry[2] for entry in entries])


# The credit keywords ("photo:", "credit:", "image:", "foto:") hold a colon, which few lines
# of prose do: a page without one is searched for none of them (one ``in`` instead of a
# search per keyword).
_MARK = ":"
_ALL_KEYWORDS = _keyword_table(_KEYWORDS_BY_REACH)
_UNMARKED_KEYWORDS = _keyword_table([e for e in _KEYWORDS_BY_REACH if _MARK not in e[2]])
assert len(_UNMARKED_KEYWORDS.keywords) < len(_ALL_KEYWORDS.keywords)
_COUNTER_BITS = 16  # per stop-word list, see _Languages
assert _LANGUAGE_SAMPLE_CHARS < 1 << _COUNTER_BITS
_COUNTER_MASK = (1 << _COUNTER_BITS) - 1


@dataclass(frozen=True, slots=True)
class _Languages:
    """The stop-word lists (``lists[i]``), and each stop word with one counter per list that
    holds it, the counters packed in one int (list i in bits [16 i, 16 i + 16)): summing the
    ints of the sampled words counts every list's hits at once in C. A sample has fewer
    words than characters, so no counter overflows."""

    lists: tuple[frozenset[str], ...]
    shifts: tuple[int, ...]
    counters: dict[str, int]


@cache
def _stopword_lists() -> dict[str, frozenset[str]]:
    return _load_stopwords()


@cache
def _languages() -> _Languages:
    """Loaded on first use: ``import textmend`` does not read the stop-word lists."""
    lists = tuple(_stopword_lists().values())
    shifts = tuple(range(0, _COUNTER_BITS * len(lists), _COUNTER_BITS))
    # counters[word] += 1 << shift for every word of each list, a list at a time in C: the
    # word's counter so far (0 before its first list) plus the list's one. (A frozenset
    # unchanged is iterated in the same order twice; a list holds each word once, so no
    # word's counter is read after this list's update of it.)
    counters: dict[str, int] = {}
    for shift, stoplist in zip(shifts, lists, strict=True):
        so_far = map(counters.get, stoplist, repeat(0))
        counters.update(zip(stoplist, map(add, so_far, repeat(1 << shift)), strict=True))
    return _Languages(lists, shifts, counters)


def __getattr__(name: str) -> object:
    if name == "STOPWORDS":  # the stop-word lists by language, read on first use
        return _stopword_lists()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_WORD = re.compile(r"\w+")
# A list-item marker as text renderers write it ("* ", "+ ", "• ", "- ").
_BULLET = re.compile(r"[*+•·▪►◦‣–—-]\s+")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts written without spaces between words: judge prose by characters instead.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _is_unspaced(text: str) -> bool:
    """True for a text with a letter of a script written without spaces (``_UNSPACED``).
    An ASCII text has none, and saying so costs no regex call (most lines are ASCII)."""
    return not text.isascii() and _UNSPACED.search(text) is not None


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
# A short line's phrase verdict, or False when no rule matches it (False, not a falsy Verdict:
# the document pass selects remembered verdicts with ``compress``, whose truth test of False
# and None stays in C).
_short_verdicts: dict[str, Verdict | bool] = {}


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
            return _rule_verdict(rule)
    return None


@cache
def _rule_verdict(rule: KeywordRule) -> Verdict:
    """A keyword rule's verdict, made once (a verdict is a frozen record: equal verdicts
    are interchangeable)."""
    return Verdict(rule.category, rule.reason)


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


def _keyword_verdicts(lowered: list[str]) -> dict[int, Verdict]:
    """Keyword-rule verdicts of lower-cased lines, by index.

    One ``str.find`` per keyword over all the lines joined instead of one test per line and
    keyword: the cost no longer grows with the number of (mostly short) lines. The lines are
    joined shortest first, so that a keyword is searched only in the lines that the rules
    anchored on it can match whole (most of a page's text is in long lines). A line's
    candidate rules are tried in the order of their keywords (the first that matches wins;
    :func:`classify_line` tries all rules in rule order). The keywords are searched by
    their reach, so that those whose rules cannot match the shortest line are skipped at
    once (on a clean article all lines are paragraphs, longer than most rules' reach), and
    the keywords holding ``_MARK`` only in a page that holds it.
    """
    lengths = list(map(len, lowered))
    order = sorted(range(len(lowered)), key=lengths.__getitem__)
    ascending = list(map(lengths.__getitem__, order))
    first = bisect_left(_REACHES, ascending[0]) if ascending else len(_REACHES)
    if first == len(_REACHES):
        return {}
    document = "\n".join(map(lowered.__getitem__, order))
    starts = list(accumulate(_successors(ascending), initial=0))
    found: dict[int, list[tuple[int, tuple[KeywordRule, ...]]]] = {}
    table = _ALL_KEYWORDS if _MARK in document else _UNMARKED_KEYWORDS
    entries = table.entries
    first = bisect_left(table.reaches, ascending[0])
    # The keywords whose rules reach the longest line are searched in the whole page, with
    # one ``map`` (on a page of paragraphs, most of them); the others up to their stop.
    whole = max(first, bisect_left(table.reaches, ascending[-1]))
    for longest, rank, keyword, rules in islice(entries, first, whole):
        stop = starts[bisect_right(ascending, longest)]  # after the last line short enough
        position = document.find(keyword, 0, stop)
        while position >= 0:
            line = bisect_right(starts, position) - 1
            found.setdefault(order[line], []).append((rank, rules))
            position = document.find(keyword, starts[line + 1], stop)
    positions = list(map(document.find, islice(table.keywords, whole, None)))
    for number in compress(count(whole), map(_FOUND, positions)):
        _longest, rank, keyword, rules = entries[number]
        position = positions[number - whole]
        while position >= 0:
            line = bisect_right(starts, position) - 1
            found.setdefault(order[line], []).append((rank, rules))
            position = document.find(keyword, starts[line + 1])
    verdicts: dict[int, Verdict] = {}
    for index, hits in found.items():
        if len(hits) == 1:
            candidates: Iterable[KeywordRule] = hits[0][1]
        else:  # each rule once, in the order of the first of its keywords found
            hits.sort(key=_FIRST_ITEM)
            candidates = dict.fromkeys(chain.from_iterable(map(_SECOND_ITEM, hits)))
        verdict = _keyword_verdict(lowered[index], candidates)
        if verdict is not None:
            verdicts[index] = verdict
    return verdicts


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
    languages = _languages()
    packed = sum(filter(None, map(languages.counters.get, words)))  # stop words only
    hits = [(packed >> shift) & _COUNTER_MASK for shift in languages.shifts]
    count = max(hits)
    if not count:
        return frozenset()
    best = hits.index(count)  # ties: first list
    if count < STRUCTURE.known_language_min_share * len(words):
        return frozenset()
    return languages.lists[best]


def shape_of(line: str, stopwords: frozenset[str]) -> LineShape:
    text = line.strip()
    sample = text[:_MAX_RULE_LINE]
    words = _WORD.findall(sample.lower())
    stop_share = sum(map(stopwords.__contains__, words)) / len(words) if words else 0.0
    sentence_end = ends_sentence(sample)
    bulleted = bool(text) and text[0] in _BULLET_CHARS and bool(_BULLET.match(text))
    s = STRUCTURE
    if len(text) > _MAX_RULE_LINE:
        prose = True
    elif not stopwords or (_is_unspaced(sample) and len(words) < s.prose_min_words):
        prose = len(sample) >= s.prose_min_chars_unspaced and sentence_end
    else:
        prose = len(words) >= s.prose_min_words and stop_share >= s.prose_min_stop_share
    return LineShape(text, len(words), stop_share, bulleted, sentence_end, prose)


def is_prose(text: str, stopwords: frozenset[str]) -> bool:
    """``shape_of(text, stopwords).prose`` for a stripped line, computing only what it needs
    (the span search asks this of every line up to the article's first and after its last)."""
    if len(text) > _MAX_RULE_LINE:
        return True
    s = STRUCTURE
    words = _WORD.findall(text.lower())
    if not stopwords or (len(words) < s.prose_min_words and _is_unspaced(text)):
        return len(text) >= s.prose_min_chars_unspaced and ends_sentence(text)
    if len(words) < s.prose_min_words:
        return False
    return sum(map(stopwords.__contains__, words)) / len(words) >= s.prose_min_stop_share


# Shorter than this, a line can be prose neither by words (8 one-letter words and 7 spaces)
# nor by characters: no need to look at its words.
_PROSE_MIN_CHARS = min(2 * STRUCTURE.prose_min_words - 1, STRUCTURE.prose_min_chars_unspaced)

# Prose lines this many lines apart or closer belong to one run (captions, subheadings, an
# ad or a short list between two paragraphs do not split the article).
_RUN_GAP = 8

_FIRST_ITEM = itemgetter(0)
_SECOND_ITEM = itemgetter(1)
_FIRST = itemgetter(slice(0, 1))
_SECOND = itemgetter(slice(1, 2))
_FROM_SECOND = itemgetter(slice(1, None))
_FIRST_TWO = itemgetter(slice(0, 2))
_FIRST_THREE = itemgetter(slice(0, _WIDE_PREFIX_CHARS))


def _successors(values: Iterable[int]) -> Iterator[int]:
    """Each of ``values`` plus one, in C. (A bound method such as ``(1).__add__`` mapped
    over values costs half as much again: its call goes through a slot wrapper.)"""
    return map(add, values, repeat(1))


class Document:
    """The lines of one document, with what the rules ask of them computed once.

    Per-line work is done column-wise where it can be (``map`` of a C function over all
    lines, ``compress`` to pick the few lines that need Python): most lines of a page are
    short menu items, and a Python loop over them would cost more than the rules themselves.
    Shapes and prose are computed only when a rule asks.
    """

    def __init__(self, lines: Sequence[str], text: str | None = None) -> None:
        """``text``, when given, is the text the lines were split from: a character it does
        not hold need not be looked for line by line."""
        self.stripped = stripped = list(map(str.strip, lines))
        self.lengths = list(map(len, stripped))
        self._text = text
        self._joined: str | None = None
        # List items: a marker character, then white space (``_BULLET``). (Each line's
        # first character cut out once and looked up: half the cost of ``str.startswith``
        # of the tuple of marker characters, which tries them one by one.)
        self._firsts = firsts = list(map(_FIRST, stripped))
        marks = map(_BULLET_CHARS.__contains__, firsts)
        self._marked = marked = list(compress(count(), marks))
        spaced = map(str.isspace, map(_SECOND, map(stripped.__getitem__, marked)))
        self._bullets = list(compress(marked, spaced))
        self._candidates: list[bool] | None = None
        self._bullet_set: frozenset[int] | None = None
        self._lasts: list[str] | None = None
        self._stopwords: frozenset[str] | None = None
        self._shapes: dict[int, LineShape] = {}
        self._prose: dict[int, bool] = {}
        self._span: tuple[int, int] | bool | None = False  # False: not computed yet
        self._run: tuple[int, int] | bool | None = False
        self._sums: list[int] | None = None

    @property
    def stopwords(self) -> frozenset[str]:
        if self._stopwords is None:
            self._stopwords = _stopwords_of_lines(self.stripped)
        return self._stopwords

    def text(self) -> str:
        """The text the lines were split from (their stripped lines joined when not given)."""
        if self._text is not None:
            return self._text
        if self._joined is None:
            self._joined = "\n".join(self.stripped)
        return self._joined

    def _lines_with(self, char: str) -> Iterable[int]:
        """Indices of the lines that hold ``char``."""
        if self._text is not None and char not in self._text:
            return ()
        return compress(count(), map(contains, self.stripped, repeat(char)))

    def cores(self) -> list[str]:
        """:func:`core_of` of every line, "" for a line too long to be chrome.

        Most lines are their own core or lose only a list marker: just the lines with a
        table bar, a no-break space or too many characters are looked at in Python.
        """
        stripped = self.stripped
        # Without the marker: :func:`strip_bullet`, as the white space it ends with is all
        # that str.lstrip() removes.
        items = map(str.lstrip, map(_FROM_SECOND, map(stripped.__getitem__, self._bullets)))
        cores = stripped.copy()  # a copy in C, then only the list items changed
        deque(map(setitem, repeat(cores), self._bullets, items), 0)
        odd = set(self._lines_with("\xa0"))
        if self._text is None or "|" in self._text:
            odd.update(compress(count(), map(eq, self._firsts, repeat("|"))))
        for index in odd:
            cores[index] = core_of(stripped[index])
        # (No line of a text that short is too long: no need to look at every length.)
        if (self._text is None or len(self._text) > _MAX_RULE_LINE) and max(
            self.lengths, default=0
        ) > _MAX_RULE_LINE:
            for index in compress(count(), map(_MAX_RULE_LINE.__lt__, self.lengths)):
                cores[index] = ""
        return cores

    def length_sums(self) -> list[int]:
        """Running sums of the stripped lines' lengths: ``sums[b] - sums[a]`` is the length
        of lines ``a`` to ``b - 1``, 0 when all of them are blank."""
        if self._sums is None:
            self._sums = list(accumulate(self.lengths, initial=0))
        return self._sums

    def shape(self, index: int) -> LineShape:
        shape = self._shapes.get(index)
        if shape is None:
            shape = self._shapes[index] = shape_of(self.stripped[index], self.stopwords)
        return shape

    def bulleted(self, index: int) -> bool:
        """True for a list item: a marker character, then white space (``_BULLET``), as
        :meth:`__init__` found them."""
        if self._bullet_set is None:
            self._bullet_set = frozenset(self._bullets)
        return index in self._bullet_set

    def lasts(self) -> list[str]:
        """The last character of every line ("" for a blank one), cut out once: the rules
        that look at how lines end test it against a set of marks, in C, which costs half
        of a ``str.endswith`` of a tuple of marks."""
        if self._lasts is None:
            self._lasts = list(map(_LAST, self.stripped))
        return self._lasts

    def bullets(self) -> list[int]:
        """Indices of the lines that start with a list-item marker."""
        return self._bullets

    def prose(self, index: int) -> bool:
        text = self.stripped[index]
        if len(text) < _PROSE_MIN_CHARS:
            return False
        prose = self._prose.get(index)
        if prose is None:
            prose = self._prose[index] = is_prose(text, self.stopwords)
        return prose

    def prose_span(self) -> tuple[int, int] | None:
        """First and last line of prose that is not a list item; None without prose."""
        if self._span is False:
            self._span = self._find_prose_span()
        return self._span  # type: ignore[return-value]

    def main_run(self) -> tuple[int, int] | None:
        """First and last line of the article's main run of prose; None without prose.

        The prose span reaches from the first prose line of the page to the last, so a
        teaser or a menu entry that reads like prose stretches it over chrome. The main run
        is the stretch of paragraphs (prose lines that end a sentence: headlines and teasers
        do not), none more than ``_RUN_GAP`` lines from the next, that holds the most
        characters: the article. The rules that look for the article's opening (headline,
        byline) measure from its start.
        """
        if self._run is False:
            self._run = self._find_main_run()
        return self._run  # type: ignore[return-value]

    def knows_main_run(self) -> bool:
        """True when :meth:`main_run` has been computed (asking it again costs nothing)."""
        return self._run is not False

    def prose_candidates(self) -> list[bool]:
        """For each line: long enough to be prose and not starting with a marker character.

        The prose span and the main run are made of such lines; the flags are set once,
        column-wise, from the lengths and the marked lines :meth:`__init__` found.
        """
        if self._candidates is None:
            flags = list(map(le, repeat(_PROSE_MIN_CHARS), self.lengths))
            deque(map(setitem, repeat(flags), self._marked, repeat(False)), 0)
            self._candidates = flags
        return self._candidates

    def _find_main_run(self) -> tuple[int, int] | None:
        span = self.prose_span()
        if span is None:
            return None
        lengths, stripped = self.lengths, self.stripped
        first, last = span
        # Sentence lines long enough to be prose, found column-wise; the run is grouped on
        # them and then trimmed to its first and last prose line, so that the stop words
        # are counted only at the ends and not on every paragraph.
        eligible = self.prose_candidates()[first : last + 1]
        # A final mark ends a sentence; a closing mark ("...said.”") needs a look.
        lasts = self.lasts()[first : last + 1]
        final = map(and_, map(_FINAL_PUNCTUATION.__contains__, lasts), eligible)
        lines = list(compress(count(first), final))
        closing = map(and_, map(_CLOSING_MARKS.__contains__, lasts), eligible)
        closed = [i for i in compress(count(first), closing) if ends_sentence(stripped[i])]
        if closed:
            lines = sorted(lines + closed)
        if not lines:
            return span
        # Runs split where two sentence lines are more than _RUN_GAP lines apart; each
        # run's size is a difference of the running sum of the lines' lengths.
        gaps = map(sub, lines[1:], lines)
        cuts = [0, *compress(count(1), map(_RUN_GAP.__lt__, gaps)), len(lines)]
        sums = list(accumulate(map(lengths.__getitem__, lines), initial=0))
        _size, start, stop = max(map(lambda a, b: (sums[b] - sums[a], a, b), cuts, cuts[1:]))
        chosen = lines[start:stop]
        run_start = next(filter(self.prose, chosen), None)
        if run_start is None:
            return span
        run_end = next(filter(self.prose, reversed(chosen)))
        return run_start, run_end

    def _find_prose_span(self) -> tuple[int, int] | None:
        # The candidates (:meth:`prose_candidates`) are looked at from either end: the first
        # prose line is the end of the search.
        candidates = self.prose_candidates()
        forward = compress(count(), candidates)
        first = next(filter(self.prose, forward), None)
        if first is None:
            return None
        backward = compress(count(len(candidates) - 1, -1), reversed(candidates))
        last = next(filter(self.prose, backward))
        return first, last


def _link_list_verdicts(document: Document) -> dict[int, Verdict]:
    """Runs of bulleted, non-sentence items outside the prose (menus, "related" link lists).

    A list between two paragraphs is the article's own list and stays. The article's extent
    is judged on lines that are not list items: a list of teasers long enough to look like
    prose must not extend the article over itself. Prose lines are never judged.
    """
    s = STRUCTURE
    stripped = document.stripped
    bullets = document.bullets()
    if len(bullets) < s.link_run_min:
        return {}
    span = document.prose_span()
    if span is None:
        return {}  # no article found to measure against: structure proves nothing
    first_prose, last_prose = span
    # A run with an item inside the article is never outside it: those items need no look.
    before = bullets[: bisect_left(bullets, first_prose)]
    after = bullets[bisect_right(bullets, last_prose) :]
    items = _link_items(stripped, before, before_article=True)
    items += _link_items(stripped, after, before_article=False)
    if len(items) < s.link_run_min:
        return {}
    # A run is a stretch of items with only blank lines between them (a blank line does not
    # break a run): an item's position among the non-blank lines is one more than the last's.
    blanks = _positions(document.lengths, 0, items[0], items[-1])
    ranks = list(map(sub, items, map(bisect_right, repeat(blanks), items)))
    breaks = compress(count(1), map(ne, ranks[1:], _successors(ranks)))
    verdicts: dict[int, Verdict] = {}
    start = 0
    for end in (*breaks, len(items)):
        run = items[start:end]
        start = end
        if len(run) >= s.link_run_min and (run[-1] < first_prose or run[0] > last_prose):
            verdict = _link_run_verdict(len(run))
            verdicts.update(zip(run, repeat(verdict)))
    return verdicts


@lru_cache(maxsize=256)
def _link_run_verdict(items: int) -> Verdict:
    """The verdict of a run of ``items`` link items, made once for each length."""
    return Verdict("link-list", f"run of {items} bulleted link items")


def _positions(values: list[int], value: int, start: int, stop: int) -> list[int]:
    """The indices in [start, stop) of ``values`` equal to ``value``, found by
    ``list.index`` (in C: blank lines are few)."""
    found = []
    try:
        while True:
            start = values.index(value, start, stop)
            found.append(start)
            start += 1
    except ValueError:
        return found


def _link_items(stripped: list[str], indices: list[int], *, before_article: bool) -> list[int]:
    """The bulleted lines among ``indices`` (all before the article or all after it) that can
    be link items: no sentence, at least one word before the article and
    ``link_item_min_words`` after it (teaser headlines, not ingredients), at most
    ``link_item_max_words``.

    In bulk: most items of a menu are a word or two, judged by one ``map`` each; only longer
    lines have their words counted in Python.
    """
    s = STRUCTURE
    texts = list(map(stripped.__getitem__, indices))
    lengths = list(map(len, texts))
    if lengths and max(lengths) > _MAX_RULE_LINE:  # as the rules see it (most pages: none)
        texts = list(map(_CAPPED, texts))
        lengths = list(map(len, texts))
    marked = compress(count(), map(_FINAL_OR_CLOSING.__contains__, map(_LAST, texts)))
    sentences = {number for number in marked if ends_sentence(texts[number])}
    if before_article:
        # A line of at most max_words characters has at most that many words.
        few = list(compress(count(), map(le, lengths, repeat(s.link_item_max_words))))
        # Each is a marker, white space and the item: most items have a letter or digit
        # right after a single space.
        worded = _worded(texts, few, 2)
        low, rest = 1, set(range(len(texts))).difference(few)
    else:
        # Shorter than this, a line cannot hold the words of a teaser headline.
        minimum = 2 * s.link_item_min_words + 1
        worded = set()
        long_enough = compress(count(), map(le, repeat(minimum), lengths))
        low, rest = s.link_item_min_words, set(long_enough)
    for number in rest:
        if low <= len(_WORD.findall(texts[number])) <= s.link_item_max_words:
            worded.add(number)
    return [indices[number] for number in sorted(worded - sentences)]


def _worded(texts: list[str], numbers: list[int], at: int) -> set[int]:
    """The ``numbers`` of the ``texts`` that hold a word character (``_WORD``).

    Why not a regex search of each: it costs a microsecond, and this is asked of every item
    of a page's menus. A letter or digit at ``at`` (``str.isalnum``: the letters and
    digits of ``\\w``) is one; only the texts without one there are searched.
    """
    chosen = list(map(texts.__getitem__, numbers))
    letters = list(map(str.isalnum, map(itemgetter(slice(at, at + 1)), chosen)))
    found = set(compress(numbers, letters))
    rest = list(compress(numbers, map(not_, letters)))
    found.update(compress(rest, map(_WORD.search, map(texts.__getitem__, rest))))
    return found


_CAPPED = itemgetter(slice(0, _MAX_RULE_LINE))
_LAST = itemgetter(slice(-1, None))
_CLOSING = "\"'”’»)]"
_FINAL_PUNCTUATION = frozenset(".!?…:;。！？")
_FINAL_OR_CLOSING = _FINAL_PUNCTUATION | frozenset(_CLOSING)
_CLOSING_MARKS = frozenset(_CLOSING)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (then at most 3 closing marks)."""
    if text[-1:] not in _FINAL_OR_CLOSING:
        return False
    core = text.rstrip(_CLOSING)
    return len(text) - len(core) <= 3 and core[-1:] in _FINAL_PUNCTUATION and core != ""


def _line_verdicts(cores: list[str]) -> dict[int, Verdict]:
    """Phrase and keyword verdicts by line index: what :func:`classify_line` says of each
    line (``cores``: the lines' cores).

    These depend on the line alone, so a short line's verdict is remembered across documents
    (chrome recurs on every page of a site) and only the others are judged: each screened by
    its bucket's regex with ``map`` (no Python per line), the few that a screen accepts named
    by the match, and those without a phrase verdict searched for keywords.
    """
    remembered = list(map(_short_verdicts.get, cores))
    verdicts = dict(compress(enumerate(remembered), remembered))  # type: ignore[arg-type]
    todo = list(compress(count(), map(is_, remembered, repeat(None))))
    if not todo:
        return verdicts
    texts = list(map(cores.__getitem__, todo))
    # A page repeats lines (its menu above and below the article, a button under every
    # teaser): each distinct line is judged once, its verdict being the line's alone.
    distinct = list(dict.fromkeys(texts))
    judged = _judge_lines(distinct)
    if len(distinct) == len(texts):
        found = judged
    else:
        found = list(map(dict(zip(distinct, judged, strict=True)).__getitem__, texts))
    verdicts.update(compress(zip(todo, found, strict=True), found))  # type: ignore[arg-type]
    if len(_short_verdicts) + len(todo) > _VERDICT_CACHE_SIZE:
        _short_verdicts.clear()
    short = map(le, map(len, distinct), repeat(_SHORT_LINE))
    _short_verdicts.update(compress(zip(distinct, judged, strict=True), short))
    return verdicts


def _judge_lines(texts: list[str]) -> list[Verdict | bool]:
    """The phrase or keyword verdict of each of ``texts`` (cores), False for none."""
    lows = list(map(str.lower, texts))
    keys = list(map(_FIRST_TWO, lows))
    found: list[Verdict | bool] = [False] * len(texts)
    phrased = _CASED_INDEX.judge(texts, keys)
    phrased.update(_INDEX.judge(lows, keys))  # the lower-cased rules win
    if not phrased:  # most pages: every line is searched for keywords
        for number, verdict in _keyword_verdicts(lows).items():
            found[number] = verdict
        return found
    for number, verdict in phrased.items():
        found[number] = verdict
    rest = list(compress(count(), map(is_, found, repeat(False))))
    for number, verdict in _keyword_verdicts(list(map(lows.__getitem__, rest))).items():
        found[rest[number]] = verdict
    return found


_DATELINE_MARGIN = 12  # bylines and datelines sit this close to the article's prose


_DATELINE_VERDICTS = (
    Verdict("dateline", "date with a time or an author, no sentence"),
    Verdict("dateline", "date alone (with its weekday)"),
    Verdict("dateline", "date opening a meta line above the article"),
)


def _dateline_verdicts(document: Document, cores: list[str]) -> dict[int, Verdict]:
    """Short lines near the article that carry a date with a time or a "by": datelines and
    bylines ("Chris Davies - Nov 19, 2019, 10:31 pm CST", "By admin - 2018-09-16"), or a
    date alone in any of the languages of ``[dateline] date`` ("Mittwoch, 20. November
    2019"; the phrase rules know English dates alone), or a date that opens the article's
    meta line above it (:func:`_leads_meta_line`).

    The date regex is tried only on short lines with the digits every date has
    (``date_hint``): it has no literal to skip ahead with, so it is slow on the others. A
    page without such a line has no dateline, and needs no prose span looked for.
    """
    # Lower-casing never shortens a line nor makes or breaks a digit: the length and the
    # hint can be tested on the cores (the rules are written for lower-cased lines). The
    # lines the hint is tried on: none longer than a dateline (blank lines among them hold
    # no hint, and cost less to keep than to test).
    short = list(compress(count(), map(le, map(len, cores), repeat(_DATELINE_MAX_CHARS))))
    texts = list(map(cores.__getitem__, short))
    # One search of the short lines joined first: the hint (digits, dots and slashes) never
    # spans a line end, so a page whose joined short lines lack it has no hinted line, and
    # many pages have none (one regex call instead of one per short line).
    if _DATE_HINT.search("\n".join(texts)) is None:
        return {}
    span = document.prose_span()
    if span is None:
        return {}
    # Then each short line around the article (not the whole page) is searched.
    start = max(0, span[0] - _DATELINE_MARGIN)
    end = min(len(cores), span[1] + _DATELINE_MARGIN + 1)
    first, stop = bisect_left(short, start), bisect_left(short, end)
    hinted = compress(short[first:stop], map(_DATE_HINT.search, texts[first:stop]))
    verdicts: dict[int, Verdict] = {}
    verdict, alone, meta = _DATELINE_VERDICTS
    for index in hinted:
        low = cores[index].lower()
        # The cheap conditions first; all must hold.
        if len(low) > _DATELINE_MAX_CHARS or len(low.split()) > _DATELINE_MAX_WORDS:
            continue
        if _mentions_a_date(low):
            continue
        date = _DATE.search(low)
        if date is None:
            continue
        if _TIME.search(low) or _BY.search(low):
            verdicts[index] = verdict
        elif _DATE_BEFORE.fullmatch(low, 0, date.start()) and _DATE_AFTER.fullmatch(
            low, date.end()
        ):
            verdicts[index] = alone  # the date, at most its weekday and a time
        elif date.start() == 0 and _leads_meta_line(document, index, low):
            verdicts[index] = meta
    return verdicts


def _mentions_a_date(low: str) -> bool:
    """True for a lower-cased line that ends in a full stop other than that of a time of
    day ("10:31 a.m."): a sentence, which may mention a date but is no dateline."""
    return low.endswith(".") and not low.endswith(("a.m.", "p.m."))


def _leads_meta_line(document: Document, index: int, low: str) -> bool:
    """True for a line that starts with its date, before the article's main run, of at most
    ``[dateline] lead_max_words`` words and without a sentence end: the article's meta line
    ("21/06/2014 Tony Carter All , Books , Kit Reviews"). Why: a sentence of the article that
    starts with a date ends like a sentence, and the article's meta stands above it."""
    if len(low.split()) > _DATELINE_LEAD_MAX_WORDS or ends_sentence(low):
        return False
    run = document.main_run()
    return run is None or index < run[0]


_HEADING_CATEGORIES = frozenset({"widget", "widget-multilingual"})
_TEASER_REACH = 3 * _TEASER_MAX_ITEMS  # lines looked at below a heading, removed ones too


def _teaser_verdicts(document: Document, verdicts: dict[int, Verdict]) -> dict[int, Verdict]:
    """The items of a list of links under a list heading ("Related articles", "Trending
    News", "More from Sportsnet", "Lesen Sie auch").

    Why: a phrase rule recognises the heading, but the items are headlines of other
    articles, which no phrase names; what gives them away is where they stand. Only a
    heading that names a list of links counts (``[teasers] heading``: "related",
    "trending", "more from"... not "Close" or "Video"). Its items are the lines right
    below it that look like headlines: at most ``item_max_words`` words, no sentence end
    other than "?" or "!" (a paragraph of the article ends in a full stop). A run that
    starts with list markers continues only through marked lines, so an unmarked
    subheading of the article after a marked list stays; lines another rule removed do not
    end the run. Prose that ends in a full stop always ends it. Unmarked lines are a list
    only when there are at least two of them: a single line under "Read also" may be the
    article's own sentence.
    """
    stripped = document.stripped
    found: dict[int, Verdict] = {}
    end = len(stripped)
    widgets = compress(
        verdicts, map(_HEADING_CATEGORIES.__contains__, map(_CATEGORY, verdicts.values()))
    )
    for index in widgets:
        heading = stripped[index]
        if not _is_list_heading(heading):
            continue
        verdict = Verdict("link-list", f"item of the list under {heading[:40]!r}")
        items: list[int] = []
        marked: bool | None = None
        line = index + 1
        stop = min(end, line + _TEASER_REACH)
        while line < stop and len(items) < _TEASER_MAX_ITEMS:
            text = stripped[line]
            if not text or line in verdicts or line in found:
                line += 1
                continue
            bulleted = document.bulleted(line)
            if marked is None:
                marked = bulleted
            elif marked and not bulleted:
                break
            if not _headline_shaped(text):
                break
            items.append(line)
            line += 1
        if marked or len(items) >= 2:
            found.update(zip(items, repeat(verdict)))
    return found


@lru_cache(maxsize=4096)
def _is_list_heading_cached(heading: str) -> bool:
    if len(heading.split()) > _TEASER_HEADING_MAX_WORDS:
        return False
    # "Related: <headline>" is a link itself, not the heading of a list.
    return ":" not in heading.rstrip(": ") and bool(_TEASER_HEADING.search(heading.lower()))


def _is_list_heading(heading: str) -> bool:
    """True for a widget line that names a list of links (``[teasers] heading``); headings
    recur on every page of a site, so short ones are remembered."""
    if len(heading) > _SHORT_LINE:
        return False  # more than a heading's words anyway
    return _is_list_heading_cached(heading)


def _headline_shaped(text: str) -> bool:
    """True for a line that can be a headline: at most ``item_max_words`` words and no
    sentence end but "?", "!" or the dots of a cut teaser (paragraphs end in full stops)."""
    if len(text) > _MAX_RULE_LINE:
        return False
    if ends_sentence(text) and not _TRUNCATED_OR_ASKING.search(text):
        return False
    return len(text.split()) <= _TEASER_ITEM_MAX_WORDS


def _author_box_verdicts(document: Document, verdicts: dict[int, Verdict]) -> dict[int, Verdict]:
    """The lines of an author box under its heading (``[author_box]``): "About the author",
    then "Zac Hall", "Zac covers Apple for the site. He lives in ...", "@apollozac".

    Why: a biography reads like the article (it is prose about a person) and a name alone
    like a subheading; what gives them away is the heading above them, which names the box.
    So only under a heading that a phrase rule removed as a widget and that says "about
    the author" in one of the rules' languages: the next ``max_lines`` kept lines of at
    most ``max_words`` words, blank lines and lines other rules removed as bylines (a
    handle, "Jane is a reporter for ...") aside, up to any other removed line. A box holds
    one biography: it ends after its first line of prose. A box above the article's main
    run of paragraphs ends where the run starts (a box of a name alone must not take the
    article's first paragraphs for a biography).
    """
    stripped = document.stripped
    found: dict[int, Verdict] = {}
    headings = compress(
        verdicts, map(_HEADING_CATEGORIES.__contains__, map(_CATEGORY, verdicts.values()))
    )
    for index in headings:
        if len(stripped[index]) > _SHORT_LINE or not _is_author_heading(stripped[index]):
            continue
        verdict = Verdict("byline", f"author box under {stripped[index][:40]!r}")
        run = document.main_run()  # only now: most pages have no author box
        end = run[0] if run is not None and index < run[0] else len(stripped)
        taken = 0
        line = index + 1
        while line < end and taken < _AUTHOR_MAX_LINES:
            text = stripped[line]
            if line in verdicts:
                if verdicts[line].category != "byline":
                    break
            elif text:
                if len(_WORD.findall(text[:_MAX_RULE_LINE])) > _AUTHOR_MAX_WORDS:
                    break
                found[line] = verdict
                taken += 1
                if document.prose(line):
                    break  # the biography: the box ends with it
            line += 1
    return found


@lru_cache(maxsize=4096)
def _is_author_heading(heading: str) -> bool:
    """True for a (short) widget line that names an author box; remembered, as headings
    recur on every page of a site."""
    return _AUTHOR_HEADING.fullmatch(core_of(heading).lower().rstrip(": ")) is not None


def _cut_teaser_verdicts(document: Document) -> dict[int, Verdict]:
    """Runs of at least ``[teasers] cut_run_min`` list items that are all cut short
    (``[teasers] cut``: "* Ceasefire talks resume as the mayor..", "* Harbour bridge reo…").

    Why: a box of links to other stories cuts each headline to the width of the box and
    marks the cut with dots right after a letter; the items of an article's own list are
    written whole, and a list item that trails off is at most a single one among whole
    items. Only list items (with a marker), only runs where every item is cut, with blank
    lines alone between items.
    """
    bullets = document.bullets()
    if len(bullets) < _CUT_RUN_MIN:
        return {}
    stripped = document.stripped
    # Most list items are menu entries: one ``map`` finds the few that end as a cut can
    # (by their last character), and only those are tested for the ends themselves.
    ends = map(_CUT_LAST_CHARS.__contains__, map(document.lasts().__getitem__, bullets))
    dotted = (i for i in compress(bullets, ends) if stripped[i].endswith(_CUT_ENDS))
    cut = [i for i in dotted if _CUT.search(stripped[i][-6:])]
    if len(cut) < _CUT_RUN_MIN:
        return {}
    found: dict[int, Verdict] = {}
    run: list[int] = []
    for index in (*cut, -1):
        if run and index >= 0 and not any(stripped[run[-1] + 1 : index]):
            run.append(index)
            continue
        if len(run) >= _CUT_RUN_MIN:
            found.update(dict.fromkeys(run, _CUT_RUN_VERDICT))
        run = [index]
    return found


_CUT_RUN_VERDICT = Verdict("link-list", "run of cut-short list items")
# A headline may ask or exclaim, and a teaser cut to fit its box ends in dots right after a
# letter ("... as Hurri..."): neither is the full stop of a paragraph.
_TRUNCATED_OR_ASKING = re.compile(r"(?:[?!]|\w(?:\.\.\.?|…))[\"'”’»)\]]{0,3}$")


_CAPTION_VERDICT = Verdict("caption-credit", "caption above a photo credit")


def _caption_verdicts(document: Document, verdicts: dict[int, Verdict]) -> dict[int, Verdict]:
    """The caption above a photo credit ("Burning crop stubble sends smoke into the city."
    over "Sakib Ali/Hindustan Times/Getty Images").

    Why: a credit on a line of its own closes a picture's caption, and the caption, a
    sentence about the picture, reads like the article. What sets it apart is the credit
    below it: the kept line right above a credit alone (:func:`_is_credit_alone`) is the
    caption when it is short (at most ``_CAPTION_MAX_WORDS`` words and
    ``_CAPTION_MAX_SENTENCES`` sentences), not a list item and not a heading of the article
    (a caption either ends a sentence or is longer than a subheading). Not when the credit
    ends the text (extractors put the lead picture's credit last) or heads a caption below
    it.
    """
    stripped = document.stripped
    found: dict[int, Verdict] = {}
    verdict = _CAPTION_VERDICT
    for index, credit in verdicts.items():
        if credit.category != "caption-credit" or index == 0:
            continue
        if not _is_credit_alone(stripped[index]):
            continue
        below = index + 1
        while below < len(stripped) and not stripped[below]:
            below += 1
        if below == len(stripped):
            continue  # a credit that ends the text is the lead picture's, put last
        if below in verdicts and verdicts[below].category == "caption-credit":
            continue  # the credit heads the caption below it ("Image copyright" layout)
        above = index - 1
        while above > 0 and not stripped[above]:
            above -= 1
        text = stripped[above]
        if not text or above in verdicts or document.bulleted(above):
            continue
        words = len(_WORD.findall(text[:_MAX_RULE_LINE]))
        if words > _CAPTION_MAX_WORDS or len(_SENTENCE_END.findall(text)) > _CAPTION_MAX_SENTENCES:
            continue
        if ends_sentence(text) or words >= _CAPTION_MIN_WORDS_UNPUNCTUATED:
            found[above] = verdict
    return found


def _is_credit_alone(text: str) -> bool:
    """True for a credit line that names who made the picture and nothing else: a few
    words with a maker's mark ("Name/Agency", "... via AP", "Photo: Name", "Photo by Name"),
    not a bare agency name (which also stands under videos and quotes), not "Name, Agency"
    (a caption can end that way: "The mayor in 2004, Associated Press"), not a caption that
    ends in its credit ("Protesters in the street (Image: Getty)"), not a credit in
    parentheses that does not name a picture ("(Credit: Name/Outlet)" stands under charts
    and embeds as often as under photos; "(Image credit: Name)" does not) and not a web
    address (a source, not a maker: "Image credit: www.example.com/in/")."""
    if len(text.split()) > _CREDIT_MAX_WORDS or not _CREDIT_MARK.search(text):
        return False
    if _URL_LIKE.search(text):
        return False
    if text.endswith(")"):
        return text.startswith("(") and bool(_PICTURE_CREDIT.match(text))
    return True


_URL_LIKE = re.compile(r"\w\.\w{2,}/|://")
_PICTURE_CREDIT = re.compile(r"\(\s{0,2}(?:photo|image|picture|foto|bild)", re.IGNORECASE)
_CREDIT_MARK = re.compile(
    r"/|\bvia\s|^\(?(?:photo|image|picture|credit|foto|bild)s?(?:\s?credits?)?\s{0,2}(?::|by\s)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_CREDIT_MAX_WORDS = 8
_CAPTION_MAX_WORDS = 30
_CAPTION_MAX_SENTENCES = 2
_CAPTION_MIN_WORDS_UNPUNCTUATED = 6


_HEADLINE_GAP = 2  # a headline is at most this many lines above its byline or dateline
_HEADLINE_MAX_WORDS = 25


_OPENING_CATEGORIES = frozenset({"byline", "dateline", "reading-time"})
# A person's name on a line of its own: two to four capitalised words of letters (initials,
# hyphens and apostrophes allowed), nothing else.
_NAME_WORD = r"[^\W\d_][^\W\d_.'’-]{0,29}(?:[.'’-][^\W\d_]{0,29}){0,3}\.?"
_NAME = re.compile(rf"{_NAME_WORD}(?:[ \t]{{1,3}}{_NAME_WORD}){{1,3}}")
_NAME_WORD_RE = re.compile(_NAME_WORD)


_NAME_JOINERS = frozenset({"and", "&", "und", "et", "y", "e", "en", "i", "og", "och", "и"})
_NAMES_MAX_WORDS = 12


def _is_names(text: str) -> bool:
    """True for a line of several authors, perhaps with their outlet: capitalised words
    joined by "and", "&" or commas ("Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus
    Leader"), nothing else: no lower-case word but the joiners, at least one joiner."""
    words = text.replace(",", " , ").split()
    if not 3 <= len(words) <= _NAMES_MAX_WORDS or len(text) > 120:
        return False
    joined = False
    for word in words:
        if word == "," or word in _NAME_JOINERS:
            joined = True
        elif not (word[0].isupper() and _NAME_WORD_RE.fullmatch(word)):
            return False
    return joined and words[0] not in _NAME_JOINERS and words[-1] not in _NAME_JOINERS


def _is_name(text: str) -> bool:
    """True for a line that is only a person's name ("Rodrigo Campos", "Jean-Luc O’Neil")."""
    return (
        len(text) <= 80
        and _NAME.fullmatch(text) is not None
        and all(word[0].isupper() for word in text.split())
    )


def _name_verdicts(document: Document, anchors: Sequence[int]) -> dict[int, Verdict]:
    """A name alone on its line next to a byline, dateline or reading-time line outside the
    article's prose ("Rodrigo Campos" above "5 Min Read"; "Phil Helsel" above "Phil Helsel
    is a reporter for NBC News."), or several names with their outlet (:func:`_is_names`):
    then the headline rule looks above the names for the title.

    Why: sites print the author's name on its own line beside the date; a name alone says
    nothing, but a name right next to the article's date or author line is its byline. Only
    before the main run or after the prose span (inside the article a short capitalised line
    is a subheading), unless the line beside it starts with the same name or both are list
    items: bylines are often a list of author, date and update time ("* Dan Evon" above
    "* Published 18 November 2019"), and a subheading is no list item. A list marker does
    not hide the name either.
    """
    if not anchors:
        return {}  # most pages: the article's extent is not even looked for
    span, run = document.prose_span(), document.main_run()
    if span is None or run is None:
        return {}
    first, last = run[0], span[1]
    stripped = document.stripped
    found: dict[int, Verdict] = {}
    verdict = _NAME_VERDICT
    for anchor in anchors:
        for step in (-1, 1):
            line = anchor + step
            while 0 <= line < len(stripped) and not stripped[line]:
                line += step
            if not 0 <= line < len(stripped):
                continue
            name = strip_bullet(stripped[line])  # "* Dan Evon" above "* Published ..."
            if not (_is_name(name) or _is_names(name)):
                continue
            if (
                not first <= line <= last
                or strip_bullet(stripped[anchor]).startswith(name)
                or (document.bulleted(line) and document.bulleted(anchor))
            ):
                found[line] = verdict
    return found


_NAME_VERDICT = Verdict("byline", "name alone beside the byline/dateline")


def _headline_verdicts(
    document: Document,
    verdicts: dict[int, Verdict],
    bylines: dict[int, Verdict],
    anchors: Sequence[int],
) -> dict[int, Verdict]:
    """The title above a byline/dateline that opens the article (the page's headline, which
    the article text does not repeat): the nearest kept line above it, when that line is not
    a sentence and at most a headline's length (a headline may read like prose, it does not
    end like a paragraph).

    ``bylines``: the structural datelines and the names beside them; a phrase verdict of a
    byline, a date alone or a reading time ("5 min read", "Updated: ...") opens an article
    too (``anchors``: the lines with such verdicts)."""
    if not bylines and not anchors:
        return {}
    prose = document.prose_span()
    if prose is None:
        return {}
    # The main run starts at the latest on the last prose line: later lines close the page.
    candidates = [i for i in (*bylines, *anchors) if i <= prose[1] + _HEADLINE_GAP]
    # It starts at the earliest on the first prose line: earlier anchors need no main run.
    opening = [i for i in candidates if i <= prose[0] + _HEADLINE_GAP]
    if len(opening) < len(candidates):
        span = document.main_run()
        assert span is not None
        opening = [i for i in candidates if i <= span[0] + _HEADLINE_GAP]
    found: dict[int, Verdict] = {}
    for index in sorted(set(opening)):
        above = index - 1
        summary: int | None = None  # one sentence line between headline and byline
        while above >= 0 and index - above <= _HEADLINE_GAP + 1 + (summary is not None):
            text = document.stripped[above]
            if text and above not in verdicts and above not in bylines:
                if document.bulleted(above):
                    break
                headline = len(text.split()) <= _HEADLINE_MAX_WORDS and not (
                    # Prose that goes on after a full stop is a post or a paragraph.
                    _INNER_SENTENCE_END.search(text) and document.prose(above)
                )
                if headline and _asks_or_has_no_sentence_end(text):
                    found[above] = _HEADLINE_VERDICT
                    if summary is not None:
                        found[summary] = _SUMMARY_VERDICT
                    kicker = _kicker_above(document, above, verdicts)
                    if kicker is not None:
                        found[kicker] = _KICKER_VERDICT
                    else:
                        found.update(_teasers_above(document, above, verdicts))
                    break
                if summary is not None or len(text) > _SUMMARY_MAX_CHARS:
                    break
                summary = above
            above -= 1
    return found


# A sentence end inside a line: not after a capital ASCII letter, which ends an
# abbreviation or an initial ("VW ID. SPACE VIZZION", "U.S. Senate", "J. Smith").
_INNER_SENTENCE_END = re.compile(r"[^\W_A-Z][.!?]\s{1,3}[^\W\d_]")
_KICKER_MAX_WORDS = 3
_SUMMARY_MAX_CHARS = 400  # a summary between headline and byline is one or two sentences
_SUMMARY_VERDICT = Verdict("headline", "summary between the headline and the byline/dateline")
_HEADLINE_VERDICT = Verdict("headline", "title line above the byline/dateline")
_KICKER_VERDICT = Verdict("headline", "section label above the headline")
_TEASER_ABOVE_VERDICT = Verdict("link-list", "teaser above the headline")


def _asks_or_has_no_sentence_end(text: str) -> bool:
    """True for a line without a sentence end, or ending in "?" or "!": a headline may ask
    or exclaim, but it does not end in a full stop like a paragraph."""
    return not ends_sentence(text) or text.rstrip(_CLOSING)[-1:] in "?!"


def _teasers_above(
    document: Document, headline: int, verdicts: dict[int, Verdict]
) -> dict[int, Verdict]:
    """The headlines of other stories between the chrome above and the headline that opens
    the article ("16\" MacBook Pro Now Available", "Mac Pro Shipping in December" under a
    menu): every kept line up to the nearest removed line or list item above, when there are
    at most ``[teasers] above_headline_max`` of them and all are headline-shaped.

    Why: above the headline that opens the article nothing is the article (see
    :func:`_kicker_above`); lines shaped like headlines there are links to other stories.
    A line that is no headline (a paragraph ending in a full stop), more lines than a box of
    links, or no chrome above (the page may start with the article's own text) leave them
    all alone.
    """
    stripped = document.stripped
    items: list[int] = []
    line = headline - 1
    while line >= 0 and line not in verdicts and not document.bulleted(line):
        text = stripped[line]
        if text:
            if len(items) == _TEASERS_ABOVE_MAX or not _headline_shaped(text):
                return {}
            items.append(line)
        line -= 1
    if line < 0 or not items:
        return {}
    return dict.fromkeys(items, _TEASER_ABOVE_VERDICT)


def _kicker_above(document: Document, headline: int, verdicts: dict[int, Verdict]) -> int | None:
    """The section label right above a headline ("AUTO NEWS", "Film"): at most
    ``_KICKER_MAX_WORDS`` words, no sentence. Why: above the headline that opens the
    article, nothing is the article; a short label there names the site's section."""
    above = headline - 1
    while above >= 0 and not document.stripped[above]:
        above -= 1
    if above < 0 or above in verdicts:
        return None
    text = document.stripped[above]
    if len(text.split()) > _KICKER_MAX_WORDS or ends_sentence(text) or document.bulleted(above):
        return None
    return above


def find_boilerplate(lines: Sequence[str]) -> dict[int, Verdict]:
    """Every boilerplate line of a document, by 0-based index (in line order), with its
    verdict."""
    return _find_boilerplate(lines)


def _find_boilerplate(lines: Sequence[str], text: str | None = None) -> dict[int, Verdict]:
    """:func:`find_boilerplate`; ``text``: what the lines were split from, if known."""
    document = Document(lines, text)
    cores = document.cores()
    verdicts = _line_verdicts(cores)
    datelines = _dateline_verdicts(document, cores)
    if not verdicts and not datelines and not document.bullets():
        # Every other structural rule starts from a removed line or a list item: a clean
        # article ends here.
        return {}
    _add_new(verdicts, _link_list_verdicts(document))
    _add_new(verdicts, _caption_verdicts(document, verdicts))
    _add_new(verdicts, _teaser_verdicts(document, verdicts))
    _add_new(verdicts, _cut_teaser_verdicts(document))
    _add_new(verdicts, _author_box_verdicts(document, verdicts))
    _add_new(verdicts, datelines)
    anchors = [i for i, v in verdicts.items() if v.category in _OPENING_CATEGORIES]
    names = _name_verdicts(document, sorted({*anchors, *datelines}))
    _add_new(verdicts, names)
    datelines = {**datelines, **names}
    _add_new(verdicts, _headline_verdicts(document, verdicts, datelines, anchors))
    verdicts.update(_opening_gap_verdicts(document, verdicts))
    _add_new(verdicts, _repeated_opening_verdicts(document, verdicts))
    verdicts.update(_enclosed_verdicts(document, verdicts))
    # In line order; sorting the indices alone (ints) is cheaper than sorting the pairs.
    order = sorted(verdicts)
    return dict(zip(order, map(verdicts.__getitem__, order), strict=True))


def _add_new(verdicts: dict[int, Verdict], found: dict[int, Verdict]) -> None:
    """``verdicts.setdefault(index, verdict)`` for each of ``found`` in its order, in C: an
    earlier rule's verdict of a line stands. (``found``'s keys are distinct, so testing each
    key as the update reaches it is testing it before any of them is added.)"""
    if found:  # most rules find nothing on most pages
        verdicts.update(compress(found.items(), map(not_, map(verdicts.__contains__, found))))


def _repeated_opening_verdicts(
    document: Document, verdicts: dict[int, Verdict]
) -> dict[int, Verdict]:
    """Kept lines of the article's opening that the page says again: the headline repeated
    in a teaser list or a gallery, the lead picture's caption repeated in its gallery
    (``[repeated_opening]``).

    Why: between the last removed line above the article and the first paragraph of its
    main run stand the page's headline, its summary and the lead picture's caption, and the
    page repeats them: the title in the "trending" list that links to this very story, the
    caption again under the gallery's copy of the picture, the summary as a sentence of a
    later paragraph. Looked at: at most ``max_lines`` kept lines, from the run's first
    paragraph upwards to the nearest removed line (none when nothing is removed close above:
    no chrome shows where the opening is). The run's first line is one of them when it does
    not end in a full stop: a headline that asks a question reads like a paragraph and can
    start the run. A line of at least ``min_words`` words that does not end a sentence (as
    headlines and most captions do not) goes when it stands whole inside another line of
    the page (the same characters: a title in capitals elsewhere is not looked for). A
    sentence stays, repeated or not: an article may say its lede twice, and with a short
    article the main run can start below it. Shorter lines
    stay (a label or a name recurs by chance), and so does a line whose words merely come
    again (a paragraph may quote the deck or a pull quote repeat a sentence: measured, such
    near repeats were the article as often as not), and everything the page repeats below
    its opening (a page may hold its article twice).
    """
    # Nothing removed: no chrome above the article. Nor any kept line the rule could take
    # (the cheap half of its test, on every line): then the article's main run, which a
    # short page with one ad marker would otherwise have worked out for this rule alone,
    # is not needed.
    if not verdicts:
        return {}
    # A line ending in a full stop (or another mark that ends a sentence but neither asks
    # nor exclaims) is no headline: such lines, most of a page, are passed over in C.
    stripped = document.stripped
    stops = map(str.endswith, stripped, repeat(_STATEMENT_ENDS))
    if not any(
        _may_repeat_headline(document, index)
        for index in compress(count(), map(not_, stops))
        if stripped[index] and index not in verdicts
    ):
        return {}
    run = document.main_run()
    if run is None:
        return {}
    opening: list[int] = []
    line = run[0]
    if not _asks_or_has_no_sentence_end(stripped[line]):
        line -= 1  # a paragraph ending in a full stop is the article's first: it stays
    while line >= 0 and line not in verdicts:
        if stripped[line]:
            if len(opening) == _REPEAT_MAX_LINES:
                return {}  # no removed line close above: no chrome shows the opening
            opening.append(line)
        line -= 1
    if line < 0:
        return {}
    found: dict[int, Verdict] = {}
    page = document.text()
    for index in opening:
        if _may_repeat_headline(document, index) and page.count(stripped[index]) > 1:
            found[index] = _REPEATED_VERDICT
    return found


def _may_repeat_headline(document: Document, index: int) -> bool:
    """Is line ``index`` shaped like a headline or caption the page might repeat: at least
    ``[repeated_opening] min_words`` words, no sentence end, not a list item?"""
    text = document.stripped[index]
    return (
        _asks_or_has_no_sentence_end(text)
        and len(text.split()) >= _REPEAT_MIN_WORDS
        and not document.bulleted(index)
    )


# The marks that end a sentence without asking or exclaiming (see
# :func:`_asks_or_has_no_sentence_end`): a line ending in one is no headline.
_STATEMENT_ENDS = tuple(_FINAL_PUNCTUATION - {"?", "!"})
_REPEAT_TABLE = _TABLE["repeated_opening"]
_REPEAT_MAX_LINES = int(_REPEAT_TABLE["max_lines"])
_REPEAT_MIN_WORDS = int(_REPEAT_TABLE["min_words"])
_REPEATED_VERDICT = Verdict("headline", "opening line repeated elsewhere on the page")


def _opening_gap_verdicts(document: Document, verdicts: dict[int, Verdict]) -> dict[int, Verdict]:
    """The few short lines between the last removed line above the article and the first
    paragraph of its main run (``[opening_gap]``): "Clay Patrick McBride" and "Doobie
    Brothers" under the share buttons, "Pamela Wilson" under "Email".

    Why: above its first paragraph an article has its chrome (headline, byline, date, share
    buttons) and the lead picture's caption and credit; a line of a few words left between
    that chrome and the first paragraph is the caption, the credit or a label, not the
    article, which starts with a paragraph. Only when all the kept lines there are such
    lines, at most ``max_lines`` of them, each of at most ``max_words`` words without a
    list marker, a sentence end or the commas, colons or semicolons of a clause (a deck or
    summary under the headline is longer or punctuated and stays). Lines of scripts written
    without spaces are left alone: their words cannot be counted.
    """
    if not document.knows_main_run() and not _may_open_gap(document, verdicts):
        return {}
    run = document.main_run()
    if run is None:
        return {}
    stripped = document.stripped
    between: list[int] = []
    line = run[0] - 1
    while line >= 0 and line not in verdicts:
        text = stripped[line]
        if text:
            if len(between) == _GAP_MAX_LINES or document.bulleted(line):
                return {}
            if not _is_gap_label(text):
                return {}
            between.append(line)
        line -= 1
    if line < 0 or not between:
        return {}  # nothing removed above: no chrome to stand between
    return dict.fromkeys(between, Verdict("caption-credit", _GAP_REASON))


def _may_open_gap(document: Document, verdicts: dict[int, Verdict]) -> bool:
    """False when :func:`_opening_gap_verdicts` finds nothing wherever the main run starts.

    Why: the main run costs the page's language and the prose test of its ends, and most
    pages have no gap. The lines of a gap are all the kept lines between a removed line and
    the run, so the first of them is the first line that is not blank below a removed line:
    when no removed line has a gap label there, there is no gap.
    """
    stripped = document.stripped
    end = len(stripped)
    for index in verdicts:
        below = index + 1
        while below < end and not stripped[below]:
            below += 1
        if (
            below < end
            and below not in verdicts
            and _is_gap_label(stripped[below])
            and not document.bulleted(below)
        ):
            return True
    return False


def _is_gap_label(text: str) -> bool:
    """A line of at most ``[opening_gap] max_words`` words, no sentence end, no clause
    punctuation, in a script written with spaces."""
    if len(text) > _SHORT_LINE or ends_sentence(text) or _CLAUSE_MARK.search(text):
        return False
    return len(text.split()) <= _GAP_MAX_WORDS and not _is_unspaced(text)


_GAP_TABLE = _TABLE["opening_gap"]
_GAP_MAX_LINES = int(_GAP_TABLE["max_lines"])
_GAP_MAX_WORDS = int(_GAP_TABLE["max_words"])
_GAP_REASON = "short line between the chrome and the article's first paragraph"
_CLAUSE_MARK = re.compile(r"[,;:]")
_META_CATEGORIES = frozenset({"byline", "dateline", "reading-time", "headline"})
_ENCLOSED_TABLE = _TABLE["enclosed"]
_ENCLOSED_MAX_LINES = int(_ENCLOSED_TABLE["max_lines"])
_ENCLOSED_MAX_WORDS = int(_ENCLOSED_TABLE["max_words"])
_ENCLOSED_REASON = "between boilerplate lines, outside the article"
_BOX_CATEGORIES = frozenset(_ENCLOSED_TABLE["box_categories"])
# A line with a letter or a digit; the others (blank, "*", "...", "|") neither enclose a
# line nor need enclosing.
_WORDY = re.compile(r"\w")


def _enclosed_verdicts(document: Document, verdicts: dict[int, Verdict]) -> dict[int, Verdict]:
    """Short kept lines outside the main run with removed lines directly above and below.

    Why: site chrome comes in blocks (menus, share bars, footers, teaser boxes), and the
    phrase rules know most but not all of a block's entries ("Pin" among "Tweet", "Share",
    "Email"; an unusual section name in a menu). Outside the article's main run of
    paragraphs, a line that is not prose and is enclosed by boilerplate on both sides is
    part of the same block. Inside the run the same position is a subheading between two
    captions or an ad marker and a paragraph, so the run is left alone, and so is any line
    that is prose, ends a sentence (a short paragraph of a short article, between an ad
    marker and a newsletter promo) or is longer than ``[enclosed] max_words`` words, or a
    group of more than ``max_lines`` kept lines (a real list or paragraph group). Between
    two lines of the article's opening (headline, byline, date, reading time) above its
    main run, a sentence or a longer line is enclosed too: the article starts below its
    meta, so a line there is the lead picture's caption ("The Doobie Brothers perform at the
    Beacon." between "Updated Nov 19, 6:55 AM" and "By Troy L. Smith") or the summary.
    """
    if len(verdicts) < 2:
        return {}  # no line is enclosed by one removed line
    if not document.knows_main_run() and not _may_enclose(document, verdicts):
        return {}
    run = document.main_run()
    if run is None:
        return {}
    start, end = run
    stripped = document.stripped

    def kept_paragraph(index: int) -> bool:
        return index not in verdicts and document.prose(index) and ends_sentence(stripped[index])

    # The run as far as it is kept: a paragraph another rule removed (a caption that reads
    # like prose, at the run's edge) is not the article and does not shield its neighbours.
    while start < end and not kept_paragraph(start):
        start += 1
    while end > start and not kept_paragraph(end):
        end -= 1
    found: dict[int, Verdict] = {}
    # Consecutive removed lines on one side of the run, and the lines between them.
    removed = sorted(verdicts)
    before, after = bisect_left(removed, start), bisect_right(removed, end)
    sums = document.length_sums()  # sums[i]: the length of the lines before line i
    for side in (removed[:before], removed[after:]):
        ends = map(sums.__getitem__, _successors(side))
        # Only the pairs with a line that is not blank between them are looked at, in
        # Python: the sum of the lengths of the lines between is a difference of running
        # sums (most pairs are one blank line apart).
        apart = compress(pairwise(side), map(sub, map(sums.__getitem__, side[1:]), ends))
        for above, below in apart:
            found.update(_enclosed_block(document, verdicts, above, below))
    return found


def _may_enclose(document: Document, verdicts: dict[int, Verdict]) -> bool:
    """False when :func:`_enclosed_verdicts` finds nothing wherever the main run lies.

    Why: the main run costs the page's language and the prose test of its ends, and on
    most pages no group of lines could be enclosed anyway. Every pair of removed lines the
    rule looks at is a pair of consecutive removed lines, and every group it takes passes
    :func:`_enclosed_lines` and either lies between two lines of the opening or has short
    lines that end no sentence; the prose test and the run only take more groups away.
    """
    stripped = document.stripped
    removed = sorted(verdicts)
    # As in _enclosed_verdicts: only the pairs with a line that is not blank between them
    # (most removed lines are next to each other) are looked at in Python.
    sums = document.length_sums()
    ends = map(sums.__getitem__, _successors(removed))
    apart = compress(pairwise(removed), map(sub, map(sums.__getitem__, removed[1:]), ends))
    for above, below in apart:
        between = _enclosed_lines(stripped, above, below)
        if not between:
            continue
        if (
            verdicts[above].category in _META_CATEGORIES
            and verdicts[below].category in _META_CATEGORIES
        ):
            return True
        if not any(_long_or_sentence(stripped[i]) for i in between):
            return True
        if _one_box(verdicts, above, below):
            return True
    return False


def _one_box(verdicts: dict[int, Verdict], above: int, below: int) -> bool:
    """True when the removed lines ``above`` and ``below`` are of one kind of box
    (``_BOX_CATEGORIES``): the lines between them are that box's text, sentences too.

    Why: a newsletter box, a share bar, a comment section or a footer has its own sentences
    ("Get the day's big stories, picks and rankings." between "Pick Six Newsletter" and "I
    agree that ... can send me the newsletter"), and outside the article's main run a
    sentence with the same kind of chrome directly above and below is that chrome's. Not
    for ad markers (an article's short paragraph can stand between two of them), nor for
    the catch-all "widget", whose lines above and below may be two different boxes, nor
    for footer links ("copyright": the agency's notice that ends an article is one too).
    """
    category = verdicts[above].category
    return category in _BOX_CATEGORIES and verdicts[below].category == category


def _in_page_language(document: Document, index: int) -> bool:
    """Does line ``index`` hold a stop word of the page's language (none does where the
    language is unknown)?

    Why: a box's own sentences (see :func:`_one_box`) are the site's, written in the page's
    language like the rest of its chrome. A sentence without one of its stop words is
    text of another language or script, the article's (a quotation in the original, a
    paragraph of a bilingual article), not the box's; and where the page's language is
    unknown, nothing tells the two apart.
    """
    return bool(document.stopwords) and document.shape(index).stop_share > 0


def _enclosed_lines(stripped: list[str], above: int, below: int) -> list[int]:
    """The lines with a letter or digit between lines ``above`` and ``below``; none when
    there are more than ``[enclosed] max_lines`` of them."""
    between: list[int] = []
    for index in range(above + 1, below):
        text = stripped[index]
        # (A line that starts with a letter or digit holds one: no regex call for most.)
        if text and (text[0].isalnum() or _WORDY.search(text)):
            if len(between) == _ENCLOSED_MAX_LINES:
                return []  # a longer group: the scan stops here
            between.append(index)
    return between


def _long_or_sentence(text: str) -> bool:
    """True for a line too long to be enclosed, or ending a sentence (tested first: it costs
    no regex, and the paragraphs between two ad markers end sentences)."""
    return ends_sentence(text) or len(_WORD.findall(text)) > _ENCLOSED_MAX_WORDS


def _enclosed_block(
    document: Document, verdicts: dict[int, Verdict], above: int, below: int
) -> dict[int, Verdict]:
    """The verdicts of the lines between the removed lines ``above`` and ``below`` (see
    :func:`_enclosed_verdicts`), or none."""
    stripped = document.stripped
    between = _enclosed_lines(stripped, above, below)
    if not between:
        return {}
    run = document.main_run()
    meta = (
        run is not None
        and below < run[0]
        and verdicts[above].category in _META_CATEGORIES
        and verdicts[below].category in _META_CATEGORIES
    )
    box = _one_box(verdicts, above, below) and all(_in_page_language(document, i) for i in between)
    if (
        not meta
        and not box
        and any(_long_or_sentence(stripped[i]) or document.prose(i) for i in between)
    ):
        return {}
    category = verdicts[above].category
    if verdicts[below].category != category:
        category = "widget"
    return dict.fromkeys(between, _enclosed_verdict(category))


@cache
def _enclosed_verdict(category: str) -> Verdict:
    """The verdict of a line enclosed by lines of ``category``, made once for each."""
    return Verdict(category, _ENCLOSED_REASON)


def filter_text(text: str, *, options: Options = DEFAULT_OPTIONS) -> Filtered:
    """Remove (or mark) boilerplate lines; every removed line is listed with its category."""
    if not options.remove_boilerplate and not options.mark_boilerplate:
        return Filtered(text, [])
    # One split: a line end is whitespace, so the rules see the same stripped lines.
    lines = text.splitlines(keepends=True)
    verdicts = _find_boilerplate(lines, text)
    if not verdicts:
        return Filtered(text, [])
    indices = list(verdicts)  # in line order
    removed_lines = list(map(lines.__getitem__, indices))
    # The line without its end: each line of ``splitlines(keepends=True)`` ends in at most
    # one line boundary ("\r\n" is one) and holds no other, so stripping the boundary
    # characters from its end removes exactly that one (cheaper than splitting it again).
    bare = map(str.rstrip, removed_lines, repeat(_LINE_BOUNDARIES))
    categories = map(_CATEGORY, verdicts.values())
    reasons = map(_REASON, verdicts.values())
    numbers = _successors(indices)
    removed = list(map(RemovedLine, numbers, bare, categories, reasons))
    # The kept lines as they are, the removed ones replaced in place (in C: a copy of the
    # list, one assignment per removed line, not one look-up per line of the page).
    lines_now = lines.copy()
    if options.mark_boilerplate:
        marked = map(options.boilerplate_marker.__add__, removed_lines)
        deque(map(setitem, repeat(lines_now), indices, marked), 0)
    else:
        deque(map(setitem, repeat(lines_now), indices, repeat("")), 0)
    return Filtered("".join(lines_now), removed)


# The characters ``str.splitlines`` splits at.
_LINE_BOUNDARIES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CATEGORY = attrgetter("category")
_REASON = attrgetter("reason")


@cache
def categories() -> tuple[str, ...]:
    """Every category a removed line can carry."""
    phrase = {rule.category for rule in (*RULES, *KEYWORD_RULES)}
    return tuple(sorted(phrase | {"link-list", "dateline", "headline"}))
