"""The hand-written cases in tests/data/mojibake_cases.toml.

Clean text in every language there (and the clean side of every damaged case) must come
back from textmend.repair unchanged: a hard assertion, since a false positive destroys
good text. (The clean side of a damaged case is its ``expected`` text where it has one.)
Damaged cases must be repaired to ``expected`` (the clean text unless stated);
cases marked ``pending`` are ones the engine does not handle yet. They are strict xfails:
fixing one fails the run until its ``pending`` line is removed, so a fix is kept for good.
Cases marked ``words`` are repaired on the evidence of the word lists (``textmend[words]``)
and are skipped without them.
"""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import textmend
from damage_recipes import load_recipes
from textmend import lexicon

REPO = Path(__file__).resolve().parents[1]
CASES = tomllib.loads((REPO / "tests" / "data" / "mojibake_cases.toml").read_text("utf-8"))


def clean_params() -> list[Any]:
    texts: dict[str, str] = {}
    for entry in CASES["clean"]:
        texts.setdefault(entry["text"], entry["lang"])
    for entry in CASES["damaged"]:
        # What the repair must give back is clean text too (decomposed text comes back
        # composed, so its ``expected`` is the NFC form).
        texts.setdefault(entry.get("expected", entry["clean"]), entry["lang"])
    return [
        pytest.param(text, id=f"{lang}-{index}") for index, (text, lang) in enumerate(texts.items())
    ]


def damaged_params() -> list[Any]:
    params = []
    for index, entry in enumerate(CASES["damaged"]):
        marks = []
        if "pending" in entry:
            marks.append(pytest.mark.xfail(strict=True, reason=entry["pending"]))
        if entry.get("words") and not lexicon.available():
            marks.append(pytest.mark.skip(reason="needs the word lists (wordfreq)"))
        name = f"{entry['lang']}-{entry['recipe']}-{index}".replace(" ", "_")
        params.append(pytest.param(entry, id=name, marks=marks))
    return params


def test_the_data_covers_many_languages() -> None:
    languages = {entry["lang"] for entry in CASES["clean"] + CASES["damaged"]}
    required = {"zh", "ja", "ko", "ru", "uk", "el", "ar", "he", "th", "vi", "fr", "de", "hu"}
    assert required | {"pl", "tr", "es", "pt"} <= languages


def test_damaged_texts_are_what_their_recipes_produce() -> None:
    recipes = load_recipes().RECIPES_BY_NAME
    for entry in CASES["damaged"]:
        assert recipes[entry["recipe"]].damage(entry["clean"]) == entry["damaged"], entry


@pytest.mark.parametrize("text", clean_params())
def test_clean_text_is_left_unchanged(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert textmend.repair(text) == text


@pytest.mark.parametrize("entry", damaged_params())
def test_damaged_text_is_repaired(entry: dict[str, Any]) -> None:
    expected = entry.get("expected", entry["clean"])
    assert textmend.repair(entry["damaged"]) == expected
