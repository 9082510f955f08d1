"""textmend's windowed use of ftfy's badness regex gives ftfy's own verdict.

``textmend.ftfyfix.is_bad`` searches only around non-ASCII characters, relying on bounds read from
ftfy's regex at import, or the whole text where a third of it or more is non-ASCII. These
tests compare it with ``ftfy.badness.is_bad`` on mojibake made by every codec ftfy's regex
knows, on clean text in many scripts, and on random mixtures of the characters the regex
is made of.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from ftfy.badness import BADNESS_RE
from ftfy.badness import is_bad as ftfy_is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from textmend.ftfyfix import _BADNESS_BOUNDS, WHOLE_SEARCH_SHARE, is_bad

REPO = Path(__file__).resolve().parents[1]
SENTENCES = [
    "India’s delegation — led by the foreign secretary — arrived “late” on Monday.",
    "Café owners in the old town said business had been slow; prices rose 5 % to €3.",
    "Néhány éve a város főterén új szökőkutat építettek.",
    "Привет, как дела? Сегодня в Москве — 21 °C.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.",
    "Thủ đô của Việt Nam là Hà Nội.",
    "中文新聞：今天天氣很好。日本語の文章です。한국어 문장입니다.",
    "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "שלום עולם. مرحبا بالعالم.",
    "Ôôô VIDA MINHA, ¿qué tal? ¡Olé! 50 ± 2 µm × 3 ÷ 4, ½ cup.",
]
CODECS = ["cp1252", "latin-1", "cp1251", "cp1250", "mac_roman", "cp437", "cp1253", "cp1257"]


def damaged_variants() -> list[str]:
    texts = list(SENTENCES)
    for path in sorted((REPO / "fixtures" / "articles").glob("*.txt")):
        texts.extend(path.read_text("utf-8").splitlines())
    variants = list(texts)
    for text in texts:
        for codec in CODECS:
            damaged = text.encode("utf-8").decode(codec, errors="replace")
            variants.append(damaged)
            variants.append(damaged.encode("utf-8").decode(codec, errors="replace"))
    return variants


def test_bounds_were_read_from_ftfys_regex() -> None:
    # None would mean a plain search on every line: correct, but the speed is gone.
    assert _BADNESS_BOUNDS is not None


@pytest.mark.parametrize("text", damaged_variants())
def test_same_verdict_as_ftfy(text: str) -> None:
    is_bad.cache_clear()
    assert is_bad(text) == ftfy_is_bad(text)


def test_same_verdict_on_every_window_of_damaged_lines() -> None:
    rng = random.Random(11)
    variants = damaged_variants()
    for _ in range(3000):
        text = rng.choice(variants)
        start = rng.randrange(len(text) + 1)
        piece = text[start : start + rng.randint(1, 12)]
        assert is_bad(piece) == ftfy_is_bad(piece), piece


# The characters ftfy's regex is built from, plus ASCII letters, spaces and punctuation.
REGEX_CHARS = sorted({char for char in BADNESS_RE.pattern if not char.isspace()})
ALPHABET = st.sampled_from([*REGEX_CHARS, "a", "z", "A", "Z", " ", " ", "\n", ".", "1"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=14).map("".join))
def test_same_verdict_on_random_mixtures(text: str) -> None:
    assert is_bad(text) == ftfy_is_bad(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=14).map("".join))
def test_same_verdict_where_the_runs_are_searched(text: str) -> None:
    """The mixtures above are mostly non-ASCII and searched whole; with ASCII text around
    them they are searched run by run."""
    padding = "plain ASCII text " * (len(text) // 5 + 1)
    padded = f"{padding}{text}{padding}"
    assert WHOLE_SEARCH_SHARE * (len(padded) - len(padded.encode("ascii", "ignore"))) <= len(padded)
    is_bad.cache_clear()
    assert is_bad(padded) == ftfy_is_bad(padded)
