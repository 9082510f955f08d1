"""ftfy's own test cases (../shared/peers/ftfy), run against textmend.repair.

The expected text is ``fixed-encoding`` (the output of ftfy's encoding-only fixer) or
``fixed`` (ftfy.fix_text, which also removes control characters, as textmend.repair does).
``fixed`` is the output of ftfy.fix_text, which also straightens curly quotes, expands
Latin ligatures and narrows full-width characters; textmend deliberately keeps all three,
so before comparing with ``fixed`` textmend's output gets those three presentational folds
(ftfy's own functions for them). Nothing else is folded: a case passes only if textmend
restored the same characters.

Where ftfy's expected text has U+FFFD, a byte of the character was lost and ftfy leaves
the character unknown; textmend infers it (reported as an inferred finding), so there any
single character is accepted, and nothing else. Everything around it must match exactly.

The 151 ``expect: pass`` cases must pass. The 10 known failures are ftfy's own open
problems. The ones textmend solves are listed in ``SOLVED_KNOWN_FAILURES`` and must pass
too, so losing one fails the run; the rest are strict xfails, so solving one fails the run
until it is added to the list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from ftfy import fixes

import textmend

FTFY_CASES = Path(__file__).resolve().parents[1].parent / "shared" / "peers" / "ftfy"

# Labels of ftfy's known failures that textmend repairs (a ratchet: only ever grows).
SOLVED_KNOWN_FAILURES = frozenset(
    {
        "Misleading mix-up in Spanish",
        "subtle UTF-8 / codepage 437 mixup in Spanish",
        "An example with 'à' in windows-1251 where we need our heuristic to be bolder",
        "Italian UTF-8 / MacRoman mojibake that looks like math",
        "Synthetic: Incomplete UTF-8 / Windows-1252 mixup in Arabic",
    }
)

pytestmark = [
    pytest.mark.peers,
    pytest.mark.skipif(not FTFY_CASES.is_dir(), reason="../shared/peers/ftfy is absent"),
]


def load_cases() -> list[Any]:
    if not FTFY_CASES.is_dir():
        return []
    params = []
    for path in sorted(FTFY_CASES.glob("*.json")):
        for index, case in enumerate(json.loads(path.read_text("utf-8"))):
            marks = []
            if case["expect"] == "fail" and case["label"] not in SOLVED_KNOWN_FAILURES:
                marks.append(pytest.mark.xfail(strict=True, reason="ftfy known failure"))
            params.append(pytest.param(case, id=f"{path.stem}-{index}", marks=marks))
    return params


def fold_presentation(text: str) -> str:
    """What ftfy.fix_text changes beyond the encoding and textmend keeps on purpose."""
    return fixes.fix_character_width(fixes.fix_latin_ligatures(fixes.uncurl_quotes(text)))


def test_case_count_matches_the_source() -> None:
    """SOURCE.md says 161 cases, 151 to pass: a changed copy must not silently shrink the gate."""
    cases = [param.values[0] for param in load_cases()]
    assert len(cases) == 161
    assert sum(case["expect"] == "pass" for case in cases) == 151


def matches(expected: str, output: str) -> bool:
    """``output`` equals ``expected``, except that each U+FFFD there stands for one character."""
    if "\ufffd" not in expected:
        return output == expected
    pattern = ".".join(re.escape(part) for part in expected.split("\ufffd"))
    return re.fullmatch(pattern, output, flags=re.DOTALL) is not None


def test_lost_characters_match_one_character_only() -> None:
    assert matches("“bb+\ufffd from", "“bb+” from")
    assert matches("“bb+\ufffd from", "“bb+\ufffd from")
    assert not matches("“bb+\ufffd from", "“bb+ from")
    assert not matches("“bb+\ufffd from", "“bb+”” from")
    assert not matches("a.b", "axb")


@pytest.mark.parametrize("case", load_cases())
def test_ftfy_case(case: dict[str, Any]) -> None:
    # textmend.repair fixes the encoding and removes stray control characters, so it sits
    # between ftfy's encoding-only fixer (``fixed-encoding``) and ftfy.fix_text (``fixed``):
    # a case passes when the output is either one. (Only the two cases whose control
    # characters fix_encoding keeps and fix_text removes depend on this.)
    output = textmend.repair(case["original"])
    by_encoding = "fixed-encoding" in case and matches(case["fixed-encoding"], output)
    by_full_fix = matches(case["fixed"], fold_presentation(output))
    assert by_encoding or by_full_fix, (case["label"], output)
