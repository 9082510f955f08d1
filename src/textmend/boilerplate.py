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

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from textmend.models import RemovedLine
from textmend.settings import DEFAULT_OPTIONS, Options

_MAX_RULE_LINE = 2000  # longer lines are article text, never chrome; also caps regex input
_LANGUAGE_SAMPLE_CHARS = 50_000  # enough words to pick the stop-word list


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    pattern: re.Pattern[str]

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.pattern.pattern[:60]}/"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a line is boilerplate."""

    category: str
    reason: str


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


_TABLE = _rules_table()
RULES = _load_rules(_TABLE)
STRUCTURE = Structure(**_TABLE["structure"])  # type: ignore[arg-type]
CREDIT = re.compile(str(_TABLE["credit"]["pattern"]), re.IGNORECASE)  # type: ignore[index]
STOPWORDS = _load_stopwords()
# Every phrase rule in one alternation (one regex call per line instead of one per rule);
# the named group that matched says which rule it was.
_ALL_RULES = re.compile(
    "|".join(f"(?P<r{i}>{rule.pattern.pattern})" for i, rule in enumerate(RULES)), re.IGNORECASE
)

_WORD = re.compile(r"\w+")
# A list-item marker as text renderers write it ("* ", "+ ", "• ", "- ").
_BULLET = re.compile(r"[*+•·▪►◦‣–—-]\s+")
_LETTER = re.compile(r"[^\W\d_]")
# Sentence-final punctuation, optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]{0,3}\Z")
# Scripts written without spaces between words: judge prose by characters instead.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def strip_bullet(text: str) -> str:
    """``text`` without a leading list-item marker."""
    match = _BULLET.match(text)
    return text[match.end() :] if match else text


def classify_line(line: str) -> Verdict | None:
    """The phrase rule that marks ``line`` as boilerplate on its own, or None.

    Context-free: the structural rules of :func:`filter_text` need the whole document.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_RULE_LINE:
        return None
    core = strip_bullet(stripped)
    match = _ALL_RULES.fullmatch(core)
    if match is not None and match.lastgroup is not None:
        rule = RULES[int(match.lastgroup[1:])]
        return Verdict(rule.category, rule.reason)
    if CREDIT.fullmatch(core):
        return Verdict("caption-credit", "ends with a photo credit (slash or © before an agency)")
    return None


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
    words = Counter(w.lower() for w in _WORD.findall(text[:_LANGUAGE_SAMPLE_CHARS]))
    if not words:
        return frozenset()
    best, best_hits = frozenset[str](), 0
    for stoplist in STOPWORDS.values():
        hits = sum(count for word, count in words.items() if word in stoplist)
        if hits > best_hits:
            best, best_hits = stoplist, hits
    total = sum(words.values())
    return best if best_hits >= STRUCTURE.known_language_min_share * total else frozenset()


def shape_of(line: str, stopwords: frozenset[str]) -> LineShape:
    text = line.strip()
    sample = text[:_MAX_RULE_LINE]
    words = [w.lower() for w in _WORD.findall(sample)]
    stop_share = sum(w in stopwords for w in words) / len(words) if words else 0.0
    sentence_end = bool(_SENTENCE_END.search(sample))
    bulleted = bool(_BULLET.match(text))
    s = STRUCTURE
    if len(text) > _MAX_RULE_LINE:
        prose = True
    elif not stopwords or (_UNSPACED.search(sample) and len(words) < s.prose_min_words):
        prose = len(sample) >= s.prose_min_chars_unspaced and sentence_end
    else:
        prose = len(words) >= s.prose_min_words and stop_share >= s.prose_min_stop_share
    return LineShape(text, len(words), stop_share, bulleted, sentence_end, prose)


def _structural_verdicts(shapes: list[LineShape]) -> dict[int, Verdict]:
    """Verdicts from the document's structure, by line index; prose lines are never judged."""
    s = STRUCTURE
    verdicts: dict[int, Verdict] = {}
    if not any(shape.prose and not shape.bulleted for shape in shapes):
        return verdicts  # no article found to measure against: structure proves nothing

    def candidate(shape: LineShape, max_words: int) -> bool:
        return bool(shape.text) and not shape.prose and 0 < shape.words <= max_words

    content = [i for i, shape in enumerate(shapes) if shape.text]
    # Runs of bulleted, non-sentence items outside the prose (menus, "related" link lists);
    # a list between two paragraphs is the article's own list and stays.
    # The article's extent is judged on lines that are not list items: a list of teasers
    # long enough to look like prose must not extend the article over itself.
    prose_rows = [i for i, shape in enumerate(shapes) if shape.prose and not shape.bulleted]
    first_prose = prose_rows[0] if prose_rows else len(shapes)
    last_prose = prose_rows[-1] if prose_rows else -1
    run: list[int] = []
    for index in [*content, -1]:
        shape = shapes[index] if index >= 0 else None
        if (
            shape is not None
            and shape.bulleted
            and 0 < shape.words <= s.link_item_max_words
            and not shape.sentence_end
            and (index < first_prose or shape.words >= s.link_item_min_words)
        ):
            run.append(index)
            continue
        outside = bool(run) and (run[-1] < first_prose or run[0] > last_prose)
        if len(run) >= s.link_run_min and outside:
            for item in run:
                verdicts.setdefault(
                    item, Verdict("link-list", f"run of {len(run)} bulleted link items")
                )
        run = []
    return verdicts


def find_boilerplate(lines: list[str]) -> dict[int, Verdict]:
    """Every boilerplate line of a document, by 0-based index, with its verdict."""
    stopwords = pick_stopwords("\n".join(lines))
    shapes = [shape_of(line, stopwords) for line in lines]
    verdicts = _structural_verdicts(shapes)
    for index, line in enumerate(lines):
        verdict = classify_line(line)
        if verdict is not None:
            verdicts[index] = verdict
    return verdicts


def filter_text(text: str, *, options: Options = DEFAULT_OPTIONS) -> Filtered:
    """Remove (or mark) boilerplate lines; every removed line is listed with its category."""
    if not options.remove_boilerplate and not options.mark_boilerplate:
        return Filtered(text, [])
    lines = text.splitlines(keepends=True)
    verdicts = find_boilerplate([line.rstrip("\r\n") for line in lines])
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for index, line in enumerate(lines):
        verdict = verdicts.get(index)
        if verdict is None:
            kept.append(line)
            continue
        removed.append(
            RemovedLine(index + 1, line.rstrip("\r\n"), verdict.category, verdict.reason)
        )
        if options.mark_boilerplate:
            kept.append(options.boilerplate_marker + line)
    return Filtered("".join(kept), removed)


@cache
def categories() -> tuple[str, ...]:
    """Every category a removed line can carry."""
    phrase = {rule.category for rule in RULES}
    return tuple(sorted(phrase | {"caption-credit", "link-list"}))
