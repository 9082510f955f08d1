"""The machinery that makes the boilerplate stage fast must not change what it finds.

The phrase rules are compiled into per-line-beginning screens (alternatives split and
joined again per rule and screen, rules that can start anywhere gated by a literal, rules
many beginnings share in one wide screen, the matching rule named by a group), keyword
rules are searched in length-sorted documents and bounded by width (the keywords that
cannot reach a page's shortest line skipped), dates are pre-screened by a hint, a line's
first and last characters are cut out once and looked up in sets, the article's extent is
looked for only when a rule could fire, and nothing is compiled at import. Each shortcut
is checked here against the plain definition it replaces.
"""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from textmend import boilerplate
from textmend.boilerplate import (
    KEYWORD_RULES,
    RULES,
    Verdict,
    _alternatives,
    _longest_match,
    classify_line,
    core_of,
    find_boilerplate,
    is_case_sensitive,
)
from textmend.models import RemovedLine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"

CHROME = [
    "Advertisement",
    "ADVERTISEMENT:",
    "Sponsored links",
    "People are also reading…",
    "Read more: Council approves the new budget",
    "related stories",
    "Copyright © 2025 The Washington Times, LLC.",
    "(c) 2019 Reuters",
    "Terms of Use | Privacy Policy | Contact Us",
    "Please read our comment policy before commenting.",
    "12 comments",
    "Share on Facebook",
    "Share on Facebook Share on Twitter Share via Email",
    "Facebook Twitter LinkedIn WhatsApp",
    "tweet",
    "x",
    "1,234 shares",
    "Sign up for our daily newsletter",
    "Subscribe now!",
    "5 min read",
    "Updated: Nov. 19, 2019 6:55 AM",
    "November 20, 2019 / 1:07 AM / CBS News",
    "Mon, 12/03/2019 - 10:15",
    "19 Nov 2019, 10:31",
    "2019-11-19",
    "10:31 pm 2019",
    "By Phil Helsel",
    "By Jane Doe and John Smith | Reuters",
    "by the end of the year",
    "Reporter: Jane Doe",
    "Image copyright Getty Images",
    "Sanjeev Verma/Hindustan Times/Getty Images",
    "Photo: Gene J. Puskar",
    "Getty Images",
    "AP",
    "+ 1",
    "0 : 0",
    "76",
    "(12)",
    "3 / 10",
    "Image 3 of 12",
    "Auch interessant:",
    "Mehr zum Thema: Der Haushalt",
    "À lire aussi",
    "Czytaj też:",
    "Leer más: El consejo aprueba el presupuesto",
    "関連記事",
    "相关阅读：",
    "Follow AP's full coverage of Brexit at https://www.apnews.com/Brexit",
    "Download: http://po.st/TP_615Download",
    "Source: https://example.com/a",
    "Read more: https://example.com/story",  # two rules match: the first in order wins
    "Julius is an LA Entertainment Reporter for Fox News.",
    "Jane Doe contributed to this report.",
    "We use cookies to improve your experience on our site.",
    # Two keyword rules match; the scan meets " is a" (shorter reach) before "cookie", and
    # the first in rule order must still win.
    "Jane is a reporter who uses cookies.",
    "The mayor at the town hall on Monday. (AP Photo/Evan Vucci)",
    "Michael Conroy, AP",
    "Informationsschreiben vom 14. Oktober 2021 PDF | 38 KB | nicht barrierefrei",
    "China furious at Macron for Hong Kong protest jibe [INSIGHT]|",
    "We may earn a commission when you buy through links on our site.",
    "Ceasefire Talks",
    "Kremlin Responds as Talks Gain Momentum",
    "Readers can share their views at the public meeting on Monday.",
    "He said the advertisement had been approved by the board.",
    # Beginnings the index keys by one character (a digit or a mark, then anything).
    "5  min read",
    "12\tcomments",
    "3 Nov  2019",
    "Monday, 12 March 2019, 10:31 GMT",
    "( 12 )",
    "# 3",
    "1\t2",
    "2 shares | tweet",
    "x  |  facebook",
    "Home",
    "News",
    "Menu",
    "More",
    "Search",
    "",
]


def sample_lines() -> list[str]:
    """Chrome and article lines, with list markers, table bars, case changes and
    no-break spaces, as the filter meets them."""
    lines = list(CHROME)
    for path in sorted(FIXTURES.iterdir()):
        lines += path.read_text("utf-8", errors="replace").splitlines()
    rng = random.Random(4)
    decorated = []
    for line in lines:
        decorated += [
            line,
            "* " + line,
            "• " + line,
            "| " + line + " |",
            line.upper(),
            line.lower(),
            line.replace(" ", "\xa0"),
        ]
        words = line.split()
        if len(words) > 3:
            start = rng.randrange(len(words) - 2)
            decorated.append(" ".join(words[start : start + 3]))
    return decorated


SAMPLES = sample_lines()


def plain_phrase_verdict(line: str) -> tuple[str, str] | None:
    """The first phrase rule matching the whole line, as the rules file defines it: the
    lower-cased rules on the lower-cased core, then the case-sensitive ones on the core."""
    stripped = line.strip()
    if not stripped or len(stripped) > 2000:
        return None
    core = core_of(stripped)
    if not core:
        return None
    lowered = core.lower()
    for cased, text, flags in ((False, lowered, 0), (True, core, re.IGNORECASE)):
        for rule in RULES:
            if is_case_sensitive(rule) == cased and re.fullmatch(rule.source, text, flags):
                return rule.category, rule.reason
    return None


def plain_keyword_verdict(line: str) -> tuple[str, str] | None:
    """The first keyword rule (in rule order) whose head matches all the text before an
    occurrence of one of its keywords and whose tail all the text from it."""
    stripped = line.strip()
    if not stripped or len(stripped) > 2000:
        return None
    lowered = core_of(stripped).lower()
    for rule in KEYWORD_RULES:
        for keyword in rule.keywords:
            starts = (i for i in range(len(lowered)) if lowered.startswith(keyword, i))
            for position in starts:
                head = rule.head.fullmatch(lowered, 0, position)
                if head and rule.tail.fullmatch(lowered, position):
                    return rule.category, rule.reason
    return None


def verdict_pair(line: str) -> tuple[str, str] | None:
    verdict = classify_line(line)
    return None if verdict is None else (verdict.category, verdict.reason)


@pytest.mark.parametrize("line", [s for s in SAMPLES if s[:2].isascii()])
def test_indexed_rules_find_the_first_matching_rule(line: str) -> None:
    # Lines starting with ASCII: the index's prefixes name digits as 0-9 only (it was built
    # that way before it was made fast, and its verdicts are kept as they were).
    expected = plain_phrase_verdict(line) or plain_keyword_verdict(line)
    assert verdict_pair(line) == expected


def test_document_pass_agrees_with_single_lines() -> None:
    boilerplate.clear_cache()
    for start in range(0, len(SAMPLES), 97):
        lines = SAMPLES[start : start + 97]
        found = find_boilerplate(lines)
        # Structural rules add verdicts; every phrase/keyword verdict must be the same.
        for index, line in enumerate(lines):
            single = classify_line(line)
            if single is not None:
                assert found[index] == single, line
        assert list(found) == sorted(found)  # in line order
    # And again with every short line remembered from the first pass.
    for start in range(0, len(SAMPLES), 97):
        lines = SAMPLES[start : start + 97]
        for index, verdict in find_boilerplate(lines).items():
            single = classify_line(lines[index])
            assert single is None or single == verdict


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:a|b)c", ["(?:a)c", "(?:b)c"]),
        ("(?:a|(?:b|c)d)e", ["(?:a)e", "(?:(?:b|c)d)e"]),
        ("(?:ab|cd)?e", ["(?:ab|cd)?e"]),  # a repeated group is not a choice
        ("(?:ab|cd){0,2}e", ["(?:ab|cd){0,2}e"]),
        ("a|b(?:c|d)", ["a", "b(?:c|d)"]),
        ("x(?:a|b)", ["x(?:a|b)"]),
        ("[(|)]x", ["[(|)]x"]),
        (r"\(a\|b\)", [r"\(a\|b\)"]),
        (r"(?:[]|]|\||x)y", [r"(?:[]|])y", r"(?:\|)y", "(?:x)y"]),
    ],
)
def test_alternatives_split(pattern: str, expected: list[str]) -> None:
    assert _alternatives(pattern) == expected


def test_alternatives_cover_every_rule() -> None:
    texts = [core_of(line.strip()) for line in SAMPLES]
    for rule in RULES:
        whole = re.compile(rule.source, re.IGNORECASE)
        parts = [re.compile(part, re.IGNORECASE) for part in _alternatives(rule.source)]
        for text in texts:
            for candidate in (text, text.lower()):
                matched = whole.fullmatch(candidate) is not None
                assert matched == any(p.fullmatch(candidate) for p in parts), (rule, candidate)


def test_date_hint_is_a_necessary_condition() -> None:
    date, hint = boilerplate._DATE, boilerplate._DATE_HINT
    rng = random.Random(1)
    months = ["nov", "jan", "märz", "sept", "dec", "mai", "déc", "ene"]
    forms = ["{mon} {d}, {y}", "{mon}. {d}th {y}", "{d}. {mon} {y}", "{d} {mon}, {y}"]
    forms += ["{y}-{m:02}-{d:02}", "{d}/{m}/{y}", "{d}.{m}.{y2}", "{d}-{m}-{y}"]
    strings = ["٣/٤/٢٠٢٠", "٢٠١٩-١١-١٩"]
    for _ in range(20000):
        form = rng.choice(forms)
        text = form.format(
            mon=rng.choice(months),
            d=rng.randrange(1, 32),
            m=rng.randrange(1, 13),
            y=rng.randrange(1990, 2030),
            y2=rng.randrange(0, 100),
        )
        # Noise around it and a random edit, to probe the edges of both patterns.
        text = rng.choice(["", "by admin - ", "x", "10:31 "]) + text + rng.choice(["", " x", "."])
        cut = rng.randrange(len(text))
        strings += [
            text,
            text[:cut] + text[cut + 1 :],
            text[:cut] + rng.choice(" ./-0") + text[cut:],
        ]
    strings += [line.lower() for line in SAMPLES]
    dated = [s for s in strings if date.search(s)]
    assert len(dated) > 100
    assert all(hint.search(s) for s in dated)


def test_date_hint_in_joined_lines_agrees_with_each_line() -> None:
    # _dateline_verdicts searches the short lines joined by "\n" before line by line: the
    # hint must be found in the joined lines exactly when it is in one of them.
    hint = boilerplate._DATE_HINT
    lines = [line.lower() for line in SAMPLES] + ["19/11/2019", "2019", "1.2.3", "12/", "/3"]
    lines += ["1", "12", "1.", "2.3", "/", "1.2", "20", "19"]
    rng = random.Random(3)
    for _ in range(3000):
        page = rng.sample(lines, k=rng.randrange(1, 8))
        joined = hint.search("\n".join(page)) is not None
        assert joined == any(hint.search(line) for line in page), page


def test_line_columns_agree_with_the_plain_tests() -> None:
    # The document's columns cut each line's first or last character out once and look it
    # up in a set, instead of ``str.startswith``/``str.endswith`` of a tuple of marks or a
    # regex per line: they must say what those say, on every sample line.
    lines = [*SAMPLES, "*", "* ", "•x", "- ", "|", "| a |", "x…", "..", "é…", "ab.."]
    document = boilerplate.Document(lines)
    stripped = document.stripped
    bullet = boilerplate._BULLET
    marks = tuple(boilerplate._BULLET_CHARS)
    for index, text in enumerate(stripped):
        bulleted = bool(text) and text[0] in boilerplate._BULLET_CHARS and bool(bullet.match(text))
        assert document.bulleted(index) == bulleted, text
        assert document.lasts()[index] == text[-1:]
        candidate = len(text) >= boilerplate._PROSE_MIN_CHARS and not text.startswith(marks)
        assert document.prose_candidates()[index] == candidate, text
        ends = boilerplate._CUT_ENDS
        if text.endswith(ends):
            assert text[-1:] in boilerplate._CUT_LAST_CHARS, text
    # A letter or digit at a position is a word character; only the others are searched.
    numbers = list(range(len(stripped)))
    for at in (0, 2):
        worded = boilerplate._worded(stripped, numbers, at)
        assert worded == {n for n in numbers if boilerplate._WORD.search(stripped[n])}
    for text in [*stripped, "関連記事", "ข่าว", "한국어", "abc", "é"]:
        assert boilerplate._is_unspaced(text) == bool(boilerplate._UNSPACED.search(text))
        assert not boilerplate._never(text)


def test_keyword_rule_width_bound() -> None:
    assert _longest_match(re.compile("a{0,5}b")) == 6
    assert _longest_match(re.compile("a*")) == sys.maxsize
    for rule in KEYWORD_RULES:
        assert rule.max_chars < 2000  # every repetition in the rules file is bounded


def run_python(code: str, *args: str) -> str:
    src = Path(boilerplate.__file__).resolve().parents[1]
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.strip()


def test_import_compiles_no_rule() -> None:
    out = run_python(
        """
        import textmend
        from textmend import boilerplate as b
        print(len(b._INDEX._shared), b._INDEX._analysis is None, b._languages.cache_info().currsize)
        """
    )
    assert out == "0 True 0"


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="POSIX fork")
def test_local_engine_compiles_the_rules_before_forking() -> None:
    out = run_python(
        """
        import os
        from textmend import boilerplate as b
        from textmend.batch.local import LocalEngine
        before = b._INDEX._all_compiled
        engine = LocalEngine(1)
        engine._fresh_pool().shutdown()
        print(before, b._INDEX._all_compiled and b._CASED_INDEX._all_compiled)
        """
    )
    assert out == "False True"


def test_first_use_from_many_threads_agrees() -> None:
    # The index is built on first use; threads that get there together must agree.
    code = """
        import sys, threading
        from pathlib import Path
        from textmend.boilerplate import filter_text
        files = sorted(Path(sys.argv[1]).iterdir())
        text = "\\n".join(p.read_text("utf-8", errors="replace") for p in files)
        text += "\\nAdvertisement\\nShare on Facebook\\nBy Phil Helsel\\n"
        results = []
        def run():
            results.append(filter_text(text))
        threads = [threading.Thread(target=run) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        distinct = {(r.text, tuple(r.removed)) for r in results}
        print(len(results), len(distinct), len(results[0].removed))
        """
    out = run_python(code, str(FIXTURES))
    threads, distinct, removed = out.split()
    assert (threads, distinct) == ("8", "1")
    assert int(removed) >= 3


@pytest.mark.parametrize(
    ("pattern", "matching"),
    [
        (r"\d{1,2}\s{1,3}x", ["1 x", "12\t\tx", "07  x"]),
        (r"(?:ab\s)?c\w{0,3}", ["c", "ab cde", "cat"]),
        (r"(?:mon|tue)\w{0,6},?\s{1,3}\d{1,2}", ["monday, 12", "tue 3", "tuesday  4"]),
        (r"(?:a\sb|cd)e", ["a be", "cde"]),
    ],
)
def test_prefixes_begin_every_match(pattern: str, matching: list[str]) -> None:
    # An index only: every string the pattern matches must start with one of the keys (a
    # key of one character stands for every line starting with it), or the answer is None.
    from textmend.boilerplate import _prefixes

    keys = _prefixes(pattern)
    for text in matching:
        assert re.fullmatch(pattern, text)
        if keys is not None:
            assert text[:2] in keys or text[:1] in keys, (pattern, text, sorted(keys))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("advertisement", frozenset({"ad"})),
        ("Share on (?:x|facebook)", frozenset({"sh"})),
        ("(?:read more) about .{1,40}", frozenset({"re"})),
        ("(?:ab)?cd", None),  # the group may be absent
        ("(?:ab|cd)x", None),  # a choice of beginnings
        ("ab?c", None),  # the second letter may be absent
        ("a{2}b", None),
        ("a", None),  # shorter than a key: left to the parser
        ("\\d\\d", None),
        ("(?-i:Ab)c", None),
    ],
)
def test_plain_prefixes(pattern: str, expected: frozenset[str] | None) -> None:
    from textmend.boilerplate import _plain_prefixes

    assert _plain_prefixes(pattern) == expected


def test_plain_prefixes_agree_with_the_parser() -> None:
    """The shortcut read off the text gives the parser's answer for every rule it reads."""
    from textmend.boilerplate import _plain_prefixes, _prefixes

    for size in (2, 3):  # the keyed screens' keys, and the wide screen's beginnings
        read = 0
        for rule in RULES:
            for part in _alternatives(rule.source):
                plain = _plain_prefixes(part, size)
                if plain is not None:
                    read += 1
                    assert plain == _prefixes(part, size), (part, size)
        assert read > len(RULES)  # most rules start plainly


def random_pages(count: int, seed: int) -> list[list[str]]:
    """Pages mixing the sample lines (chrome, article lines, short labels, names) with
    blank lines, so that removed lines, gaps and enclosed lines meet in every order."""
    rng = random.Random(seed)
    extra = ["", "", "Clay Patrick McBride", "Doobie Brothers", "Rodrigo Campos", "* Home"]
    pool = SAMPLES + extra
    return [[rng.choice(pool) for _ in range(rng.randrange(2, 40))] for _ in range(count)]


def test_extent_gates_change_nothing() -> None:
    # The opening-gap and enclosed rules first check, without the main run, that they can
    # find anything (the run costs the page's language); with the run known they skip the
    # check. Both ways must agree, for the phrase verdicts and for any other verdicts.
    rng = random.Random(6)
    names = boilerplate.categories()
    for lines in random_pages(1500, seed=5):
        cores = boilerplate.Document(lines).cores()
        verdicts = boilerplate._line_verdicts(cores)
        for index in rng.sample(range(len(lines)), k=rng.randrange(0, min(4, len(lines)) + 1)):
            verdicts.setdefault(index, boilerplate.Verdict(rng.choice(names), "test"))
        for rule in (boilerplate._opening_gap_verdicts, boilerplate._enclosed_verdicts):
            gated = boilerplate.Document(lines)
            known = boilerplate.Document(lines)
            known.main_run()
            assert rule(gated, dict(verdicts)) == rule(known, dict(verdicts)), (rule, lines)


def test_keyword_scan_by_reach_agrees_with_single_lines() -> None:
    # The scan skips the keywords that cannot reach a page's shortest line and orders each
    # line's candidate rules by keyword: a line's verdict must not depend on its page.
    lowered = [core_of(line.strip()).lower() for line in SAMPLES if line.strip()]
    rng = random.Random(8)
    for _ in range(300):
        page = rng.sample(lowered, k=rng.randrange(1, 30))
        found = boilerplate._keyword_verdicts(page)
        for index, line in enumerate(page):
            assert found.get(index) == boilerplate._keyword_verdicts([line]).get(0), line


def test_keyword_scan_splits_by_the_longest_line() -> None:
    # The keywords whose rules reach the page's longest line are searched in the whole page
    # at once, the others up to the last line short enough for them. Pages of keyword lines
    # among paragraphs of every length around the reaches (so that the longest line falls
    # between any two reaches, or beyond all) must judge each line as it is judged alone.
    lowered = [core_of(line.strip()).lower() for line in SAMPLES if line.strip()]
    keyworded = [line for line in lowered if boilerplate._keyword_verdicts([line])]
    assert len(keyworded) > 20
    reaches = sorted(set(boilerplate._REACHES))
    filler = "the council met on tuesday, and the budget (as amended) passed / 2019 © all. "
    rng = random.Random(9)
    for _ in range(400):
        longest = rng.choice(reaches) + rng.choice((-1, 0, 1, 40))
        paragraph = (filler * (longest // len(filler) + 1))[:longest]
        page = [*rng.sample(keyworded, k=rng.randrange(1, 6)), paragraph]
        page += rng.sample(lowered, k=rng.randrange(0, 6))
        rng.shuffle(page)
        found = boilerplate._keyword_verdicts(page)
        for index, line in enumerate(page):
            assert found.get(index) == boilerplate._keyword_verdicts([line]).get(0), line


def _may_enclose_plain(document: boilerplate.Document, verdicts: dict[int, Verdict]) -> bool:
    """:func:`boilerplate._may_enclose` as first written: every pair of consecutive removed
    lines looked at in Python, blank lines between them or not."""
    stripped = document.stripped
    removed = sorted(verdicts)
    for above, below in itertools.pairwise(removed):
        between = boilerplate._enclosed_lines(stripped, above, below)
        if not between:
            continue
        meta = boilerplate._META_CATEGORIES
        if verdicts[above].category in meta and verdicts[below].category in meta:
            return True
        if not any(boilerplate._long_or_sentence(stripped[i]) for i in between):
            return True
        if boilerplate._one_box(verdicts, above, below):
            return True
    return False


def test_enclosure_gate_skips_only_blank_gaps() -> None:
    # The gate looks only at pairs of removed lines with a non-blank line between them
    # (found by running sums of line lengths): it must agree with looking at every pair.
    rng = random.Random(11)
    names = boilerplate.categories()
    answers = set()
    # One-character lines too: a gap of one short line between two removed lines counts.
    pages = random_pages(3000, seed=12)
    for lines in pages[::2]:
        for _ in range(3):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(["A", "7", "", "-"]))
    for lines in pages:
        document = boilerplate.Document(lines)
        verdicts = boilerplate._line_verdicts(document.cores())
        for index in rng.sample(range(len(lines)), k=rng.randrange(0, min(6, len(lines)) + 1)):
            verdicts.setdefault(index, Verdict(rng.choice(names), "test"))
        expected = _may_enclose_plain(document, verdicts)
        assert boilerplate._may_enclose(document, verdicts) == expected, lines
        answers.add(expected)
    assert answers == {True, False}  # both answers were put to the test


def test_filter_text_reports_removed_lines_in_order() -> None:
    # The removed lines of a page name each line by its 1-based number,
    # its text without the line end, its verdict's category and reason.
    for lines in random_pages(300, seed=14):
        text = "\r\n".join(lines) + "\n"
        verdicts = boilerplate.find_boilerplate(text.splitlines(keepends=True))
        plain = [
            RemovedLine(index + 1, lines[index], verdict.category, verdict.reason)
            for index, verdict in verdicts.items()
        ]
        assert boilerplate.filter_text(text).removed == plain, lines


def random_match(pattern: str, rng: random.Random) -> str:
    """A random string built along ``pattern``'s parse tree: mostly one the pattern matches,
    with digits now and then written in another script (which ``\\d`` matches too)."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    pool = "ab xZ.:/|-_é٣５"

    def one_of(items: list[tuple[object, object]]) -> str:
        choices: list[str] = []
        for op, value in items:
            if op is c.LITERAL:
                choices.append(chr(value))  # type: ignore[arg-type]
            elif op is c.RANGE:
                low, high = value  # type: ignore[misc]
                choices.append(chr(rng.randint(low, high)))
            elif op is c.CATEGORY and value is c.CATEGORY_DIGIT:
                choices.append(rng.choice("0123456789٣５"))
            elif op is c.CATEGORY and value is c.CATEGORY_SPACE:
                choices.append(rng.choice(" \t\xa0"))
            else:
                choices.append(rng.choice(pool))
        return rng.choice(choices)

    def walk(items: list[tuple[object, object]]) -> str:
        out = []
        for op, value in items:
            if op is c.LITERAL:
                out.append(chr(value))  # type: ignore[arg-type]
            elif op is c.IN:
                out.append(one_of(value))  # type: ignore[arg-type]
            elif op is c.BRANCH:
                out.append(walk(rng.choice(value[1])))  # type: ignore[index]
            elif op is c.SUBPATTERN:
                out.append(walk(value[-1]))  # type: ignore[index]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, high, sub = value  # type: ignore[misc]
                out += [walk(sub) for _ in range(rng.randint(low, min(high, low + 3)))]
            elif op in (c.ANY, c.NOT_LITERAL, c.CATEGORY):
                out.append(rng.choice(pool))
        return "".join(out)

    return walk(list(_parser.parse(pattern)))


def keyed_rule_list(
    index: boilerplate.PhraseIndex,
) -> list[tuple[str, re.Pattern[str], frozenset[str] | None, frozenset[str] | None, str | None]]:
    """Every alternative of every rule of ``index``, in rule order, with its key condition as
    the index was first built: (category, pattern, keys of two characters or a whole short
    match, else first characters, else a literal it holds; all None: tried on every line)."""
    from textmend.boilerplate import _first_characters, _plain_prefixes, _prefixes

    listed = []
    for rule in index.rules:
        for part in _alternatives(rule.source):
            keys = _plain_prefixes(part) or _prefixes(part)
            first = _first_characters(part) if keys is None else None
            literal = None
            if keys is None and first is None and not index.flags:
                literal = boilerplate._required_literal(part)
            listed.append((rule.category, re.compile(part, index.flags), keys, first, literal))
    return listed


def keyed_phrase_verdict(listed: list, text: str) -> str | None:  # type: ignore[type-arg]
    """The category of the first alternative in ``listed`` (:func:`keyed_rule_list`) whose
    key condition a line starting like ``text`` meets and that matches all of ``text``."""
    key = text.lower()[:2]
    if not key:
        return None
    for category, pattern, keys, first, literal in listed:
        if keys is not None:
            keyed = any(
                key == k if len(k) == 2 and k[0].isalpha() else key[0] == k[0] for k in keys
            )
        elif first is not None:
            keyed = key[0] in first
        else:
            keyed = literal is None or literal in text
        if keyed and pattern.fullmatch(text):
            return category
    return None


@pytest.mark.parametrize("cased", [False, True])
def test_screens_give_the_verdicts_of_the_keyed_rule_list(cased: bool) -> None:
    # The screens hold each rule's alternatives for a key as one restricted rule, and the
    # rules copied into many screens whole in the wide screen: on lines made from the rules'
    # own phrases (digits in other scripts too, where the keys name ASCII digits only), the
    # verdict must be the one of trying every alternative in order under its key condition.
    index = boilerplate._CASED_INDEX if cased else boilerplate._INDEX
    rng = random.Random(21 + cased)
    lines = []
    for rule in index.rules:
        for part in _alternatives(rule.source):
            for _ in range(6):
                text = random_match(part, rng).strip()
                lines.append(text)
                lines.append(rng.choice(["", "٣", "x", "a٣", "5"]) + text)
                lines.append(text.upper() if cased else text[:1] + "٣" + text[2:])
    made = len(lines)
    lines += [core_of(line.strip()) for line in SAMPLES]
    lines = [line if cased else line.lower() for line in lines if line]
    listed = keyed_rule_list(index)
    expected = [keyed_phrase_verdict(listed, line) for line in lines]
    keys = [line.lower()[:2] for line in lines]
    found = index.judge(lines, keys)
    assert [found[i].category if i in found else None for i in range(len(lines))] == expected
    assert sum(map(bool, expected[:made])) > made // 4  # most made lines are the rules' phrases
    if not cased:
        # The wide screen is in use, and decides some of the lines.
        analysis = index._index()
        wide_rules = {analysis.parts[number][0] for number in analysis.wide}
        assert wide_rules
        categories = {index.rules[rule].category for rule in wide_rules}
        assert categories & set(filter(None, expected))


@pytest.mark.parametrize(
    ("flags", "sources", "lines"),
    [
        # "\\d" is keyed as the ASCII digits: "c٣y" is screened by the key "c" only, and an
        # alternative keyed "c0".."c9" must not reach it through the wide screen.
        (0, ["(?:c\\d|c|x)y{0,2}", "zz"], ["c٣y", "c1y", "cy", "xy", "٣y", "zz", "c"]),
        # The wide screen is tried on lines by three characters, but by two where the third
        # may be a digit: "ab٣x" starts as "(?:ab\\d)x{0,2}" can, though not as "ab0".."ab9".
        (0, ["(?:ab\\d|abc)x{0,2}", "zz"], ["ab٣x", "ab1x", "abcx", "abx", "zz"]),
        # With IGNORECASE, "İ" matches "i" but lower-cases to "i̇": "İnfo" is screened by
        # the key "i" only, and must not meet "Info" there.
        (re.IGNORECASE, ["(?:Info|I[;,]{0,3})", "Zz"], ["İnfo", "Info", "INFO", "i;", "I"]),
    ],
)
def test_wide_screen_keeps_what_the_keys_cannot_tell(
    monkeypatch: pytest.MonkeyPatch, flags: int, sources: list[str], lines: list[str]
) -> None:
    # Every rule is made wide here: the wide screen must still give the keyed verdicts.
    monkeypatch.setattr(boilerplate, "_WIDE_MIN_SAVING", -sys.maxsize)
    index = boilerplate.PhraseIndex(
        [boilerplate.Rule(f"c{number}", source) for number, source in enumerate(sources)], flags
    )
    index.compile_all()
    assert index._index().wide or flags  # the wide screen is in use where it may be
    listed = keyed_rule_list(index)
    texts = lines if flags else [line.lower() for line in lines]
    found = index.judge(texts, [line.lower()[:2] for line in lines])
    got = [found[i].category if i in found else None for i in range(len(lines))]
    assert got == [keyed_phrase_verdict(listed, text) for text in texts]


def test_wide_screens_try_a_line_in_rule_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each wide rule has a screen of its own, and a line is tried on those of the rules it
    # can start as, in rule order: the first that matches wins, as in one screen of all.
    monkeypatch.setattr(boilerplate, "_WIDE_MIN_SAVING", -sys.maxsize)
    sources = ["share(?: this)?", "sha\\w{0,9}", "(?:mon|share)day", "(?:s|m)hare it", "zz"]
    index = boilerplate.PhraseIndex(
        [boilerplate.Rule(f"c{number}", source) for number, source in enumerate(sources)], 0
    )
    analysis = index._index()
    assert {analysis.parts[number][0] for number in analysis.wide} >= {0, 1, 2, 3}
    assert index.wide_of["sha"] == (0, 1, 2, 3)  # "s" and "sha": the beginnings of them all
    assert index.wide_of["mon"] == (2,)
    assert index.wide_of["xyz"] == ()
    lines = ["share", "share this", "sharex", "shareday", "monday", "share it", "mhare it"]
    lines += ["shall", "zz", "mo", "s", "", "shareday!"]
    found = index.judge(lines, [line[:2] for line in lines])
    got = [found[i].category if i in found else None for i in range(len(lines))]
    listed = keyed_rule_list(index)
    assert got == [keyed_phrase_verdict(listed, line) for line in lines]
    assert got[:7] == ["c0", "c0", "c1", "c1", "c2", "c3", "c3"]
    # Every wide rule's screen is compiled up front, once.
    index.compile_all()
    screens = dict(index.wide_screens)
    assert set(screens) == {analysis.parts[number][0] for number in analysis.wide}
    index.judge(lines, [line[:2] for line in lines])
    assert index.wide_screens == screens


def test_gated_rules_are_looked_for_only_on_pages_holding_their_literal() -> None:
    # The lines are searched once, joined, for a gated rule's literal: a page without it has
    # no line tried; a page with it has every line holding it tried (and a literal found only
    # across two lines joined tries no line).
    index = boilerplate._INDEX
    gated, screen = index._gated()
    assert screen is not None and set(gated.values()) == {"http"}
    listed = keyed_rule_list(index)
    pages = [
        ["see https://example.com/a", "home", "http://x.org"],
        ["no link here", "htt", "p://example.com", "menu"],
        ["https://example.com/news/today", "read the story at http://b.c/d then stop"],
        ["plain words", "and more"],
    ]
    for page in pages:
        found = index.judge(page, [line[:2] for line in page])
        got = [found[i].category if i in found else None for i in range(len(page))]
        assert got == [keyed_phrase_verdict(listed, line) for line in page]
    assert any(keyed_phrase_verdict(listed, line) for line in pages[0])


@pytest.mark.parametrize("seed", range(3))
def test_restricted_rule_is_the_union_of_its_kept_alternatives(seed: int) -> None:
    from textmend.boilerplate import _branches, _restricted

    rng = random.Random(seed)
    for rule in RULES:
        parts = _alternatives(rule.source)
        keep = [rng.random() < 0.5 for _ in parts]
        if not any(keep):
            continue
        union = re.compile(_restricted(_branches(rule.source), keep), re.IGNORECASE)
        kept = [re.compile(p, re.IGNORECASE) for p, k in zip(parts, keep, strict=True) if k]
        for part in parts:
            for _ in range(3):
                text = random_match(part, rng)
                assert bool(union.fullmatch(text)) == any(p.fullmatch(text) for p in kept)
        # All of them kept: the rule as written.
        assert _restricted(_branches(rule.source), [True] * len(parts)) == rule.source


def test_stopword_counters_count_every_list_of_a_word() -> None:
    # Set a list at a time, summed word by word only for words of several lists: each
    # word's packed counters must be one per list that holds it.
    languages = boilerplate._languages()
    words = set().union(*languages.lists)
    assert set(languages.counters) == words
    shared = 0
    for word in words:
        holders = [
            s for s, lst in zip(languages.shifts, languages.lists, strict=True) if word in lst
        ]
        shared += len(holders) > 1
        assert languages.counters[word] == sum(1 << shift for shift in holders), word
    assert shared > 100  # words of several lists were put to the test
    assert not any(word.startswith("#") or not word for word in words)  # no comment, no ""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:реклама)\\s{0,3}", frozenset({"ре"})),
        ("(?:广告)\\s{0,3}", frozenset({"广告"})),
        ("à lire", frozenset({"à "})),
        ("ΣΑ", None),  # upper case: left to the parser
        ("aΣ", None),
        ("a٣b", None),  # a digit of another script: left to the parser
        ("(?:éa|b)", None),
    ],
)
def test_plain_prefixes_of_other_scripts(pattern: str, expected: frozenset[str] | None) -> None:
    from textmend.boilerplate import _plain_prefixes, _prefixes

    assert _plain_prefixes(pattern) == expected
    if expected is not None:
        assert expected == _prefixes(pattern)


def test_repeated_lines_are_judged_once_with_their_own_verdict() -> None:
    # _line_verdicts judges each distinct line of a page once and gives every copy its
    # verdict: on pages that repeat lines in any order (cold and warm cache), each line's
    # verdict must be what classify_line says of it alone.
    rng = random.Random(23)
    for warm in (False, True):
        if not warm:
            boilerplate.clear_cache()
        for _ in range(60):
            pool = [*rng.sample(SAMPLES, 12), "", "Share", "Advertisement"]
            lines = [rng.choice(pool) for _ in range(rng.randrange(1, 80))]
            cores = boilerplate.Document(lines).cores()
            found = boilerplate._line_verdicts(cores)
            plain = {i: v for i, v in enumerate(map(classify_line, lines)) if v is not None}
            assert found == plain, lines


def test_new_verdicts_are_added_as_setdefault_adds_them() -> None:
    # _add_new: an earlier rule's verdict of a line stands, new lines come in their order.
    rng = random.Random(5)
    kinds = [Verdict("a", "x"), Verdict("b", "y"), Verdict("c", "z")]
    for _ in range(500):
        before = {rng.randrange(30): rng.choice(kinds) for _ in range(rng.randrange(12))}
        found = {rng.randrange(30): rng.choice(kinds) for _ in range(rng.randrange(12))}
        plain = dict(before)
        for index, verdict in found.items():
            plain.setdefault(index, verdict)
        fast = dict(before)
        boilerplate._add_new(fast, found)
        assert list(fast.items()) == list(plain.items())


@pytest.mark.parametrize("mark", [False, True])
def test_filter_text_output_is_the_plain_splice(mark: bool) -> None:
    # The removed lines are replaced in a copy of the line list and their records built
    # field by field: the text and the records must be those of the plain construction.
    from textmend.settings import Options

    options = Options(mark_boilerplate=mark)
    for lines in random_pages(200, seed=31):
        text = "\n".join(lines) + ("\r\n" if len(lines) % 2 else "")
        parts = text.splitlines(keepends=True)
        verdicts = boilerplate.find_boilerplate(parts)
        marker = options.boilerplate_marker
        kept = [
            (marker + part if mark else "") if index in verdicts else part
            for index, part in enumerate(parts)
        ]
        records = [
            RemovedLine(index + 1, parts[index].rstrip("\r\n"), v.category, v.reason)
            for index, v in verdicts.items()
        ]
        result = boilerplate.filter_text(text, options=options)
        assert result.text == "".join(kept)
        assert result.removed == records
        assert all(type(record) is RemovedLine for record in result.removed)
        assert [r.__repr__() for r in result.removed] == [r.__repr__() for r in records]


def test_ascii_letters_fold_only_to_themselves() -> None:
    # The lemma behind PhraseIndex._whole_rules: a character whose lower case starts with an
    # ASCII letter matches no other ASCII letter under re.IGNORECASE.
    any_letter = re.compile("[a-z]", re.IGNORECASE)
    letters = [re.compile(letter, re.IGNORECASE) for letter in "abcdefghijklmnopqrstuvwxyz"]
    folded = 0
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if not any_letter.fullmatch(char):
            continue
        first = char.lower()[:1]
        for letter in letters:
            if letter.fullmatch(char) and first.isascii() and first.isalpha():
                assert first == letter.pattern, (char, letter.pattern)
                folded += 1
    assert folded >= 52  # the letters of both cases were seen


def test_whole_rule_screens_give_the_keyed_verdicts() -> None:
    # The case-sensitive index puts its rules whole into its screens: on its rules' phrases
    # with the first characters written as other characters that fold to letters ("ſ",
    # "ı", "İ", "K", capitals), the verdicts must be those of the keyed rule list.
    index = boilerplate._CASED_INDEX
    assert index._whole_rules()
    index.compile_all()
    assert len(set(index._shared.values())) < len(index._index().by_two)  # screens shared
    rng = random.Random(8)
    swaps = {"s": "ſ", "i": "ıİ", "k": "K", "a": "Aª", "b": "B", "p": "P", "d": "D"}
    lines = []
    for rule in index.rules:
        for part in _alternatives(rule.source):
            for _ in range(8):
                text = random_match(part, rng).strip()
                for position in (0, 1):
                    if len(text) > position and text[position].lower() in swaps:
                        swapped = rng.choice(swaps[text[position].lower()])
                        text2 = text[:position] + swapped + text[position + 1 :]
                        lines.append(text2)
                lines.append(text)
    listed = keyed_rule_list(index)
    expected = [keyed_phrase_verdict(listed, line) for line in lines]
    found = index.judge(lines, [line.lower()[:2] for line in lines])
    assert [found[i].category if i in found else None for i in range(len(lines))] == expected
    assert sum(map(bool, expected)) > len(lines) // 4


def test_whole_rules_only_where_every_key_is_two_letters() -> None:
    # A one-character key lets "İnfo" (lower case "i̇nfo", key "i") reach a screen keyed
    # "i": the rule whole would meet it with "Info". Such an index keeps restricted screens.
    index = boilerplate.PhraseIndex([boilerplate.Rule("c0", "(?:Info|I)")], re.IGNORECASE)
    assert not index._whole_rules()
    found = index.judge(["İnfo", "Info", "I"], ["i̇", "in", "i"])
    assert [found[i].category if i in found else None for i in range(3)] == [None, "c0", "c0"]
    two = boilerplate.PhraseIndex([boilerplate.Rule("c0", "(?:Info|Ab)")], re.IGNORECASE)
    assert two._whole_rules()
    assert not boilerplate._INDEX._whole_rules()  # no IGNORECASE: keyed and wide screens
