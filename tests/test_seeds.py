"""The seed articles: bundled fixtures compared byte for byte with their reviewed output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import textmend

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "fixtures" / "articles"
EXPECTED = ROOT / "fixtures" / "expected"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
NAMES = sorted(path.name for path in ARTICLES.glob("*.txt"))


def test_fixtures_present() -> None:
    assert len(NAMES) == 5
    assert sorted(path.name for path in EXPECTED.glob("*.txt")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_fixture_matches_expected(name: str) -> None:
    cleaned = textmend.clean((ARTICLES / name).read_bytes())
    assert cleaned.text.encode("utf-8") == (EXPECTED / name).read_bytes()


def _seed(prefix: str) -> str:
    (path,) = ARTICLES.glob(prefix + "_*.txt")
    return path.read_text("utf-8")


def test_seed_000_matches_the_ap_copy() -> None:
    cleaned = textmend.clean(_seed("000"))
    text = cleaned.text
    assert not re.search(r"[\u3000-\u9fff\ufffd]", text)
    for phrase in (
        "WASHINGTON — U.S.",
        "India’s NDTV",
        "“are very good friends”",
        "“remove the root causes of the crisis” — a reference",
        "Moscow’s orbit",
        "“coalition of the willing”",
        "in 2022 — the Donetsk",
        "of the country — but",
        "Power Plant — the largest",
        "Kremlin’s demand",
        "membership — a long-sought",
        "backing — what",
    ):
        assert phrase in text
    # The AP copy in seed 003 uses the same punctuation.
    ap = _seed("003")
    for phrase in (
        "India’s NDTV",
        "Moscow controls the Zaporizhzhia Nuclear Power Plant — the largest",
    ):
        assert phrase in ap and phrase in text
    assert [r.text for r in cleaned.removed] == ["People are also reading…"]
    assert len(cleaned.findings) == 16


def test_seed_003_boilerplate_removed_body_kept() -> None:
    original = _seed("003")
    cleaned = textmend.clean(original)
    removed = [r.text for r in cleaned.removed]
    assert removed.count("Advertisement") == 4
    assert any(line.startswith("A version of this story appeared") for line in removed)
    assert any(line.startswith("Copyright ©") for line in removed)
    assert "Please read our comment policy before commenting." in removed
    assert len(removed) == 7
    for line in original.splitlines():
        if line.strip() and line not in removed:
            assert line.strip() in cleaned.text


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_clean_seeds_keep_every_line(prefix: str) -> None:
    original = _seed(prefix)
    cleaned = textmend.clean(original)
    assert cleaned.removed == []
    assert cleaned.findings == []
    assert cleaned.text == original.rstrip("\n") + "\n"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds not present")
def test_bundled_seeds_are_the_shared_seeds() -> None:
    for name in NAMES:
        assert (SHARED_SEEDS / name).read_bytes() == (ARTICLES / name).read_bytes()
