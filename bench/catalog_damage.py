"""Lossless damage of text nobody wrote for textmend: translated message catalogs, damaged.

bench/clean_catalogs.py asks whether textmend leaves the machine's gettext catalogs alone;
this one damages a sample of the same strings with every lossless recipe of
bench/mojibake_recipes.py that fits their script, and counts exact repairs by textmend
and by ftfy (configured as in bench/mojibake.py). The strings are short (25-300
characters, one line), in about 150 locales, many of them languages the project's own
texts and char-dataset do not have (Welsh, Uzbek, Kabyle, Azerbaijani, Belarusian…):
a held-out check of the repair, where bench/mojibake.py's long samples carry more
evidence per case. Up to --per-locale strings are drawn from each locale with --seed.

    .venv/bin/python bench/catalog_damage.py                 # about 15 s
    .venv/bin/python bench/catalog_damage.py --seed 2 --show 20

Nothing is shipped or copied; with no catalogs found the benchmark says so and exits.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import ftfy

import textmend
from clean_catalogs import DEFAULT_ROOTS, TERMINAL_ESCAPE, load_strings
from corpus import language_group
from mojibake import FTFY_CONFIG
from mojibake_recipes import RECIPES

SHORTEST, LONGEST = 25, 300


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sample_by_locale(strings: list, per_locale: int, seed: int) -> list[tuple[str, str]]:
    """Up to ``per_locale`` one-line strings of SHORTEST-LONGEST characters per locale."""
    by_locale: dict[str, list[str]] = defaultdict(list)
    for item in strings:
        if SHORTEST <= len(item.text) <= LONGEST and "\n" not in item.text:
            by_locale[item.language].append(item.text)
    rng = random.Random(seed)
    return [
        (locale, text)
        for locale, texts in sorted(by_locale.items())
        for text in rng.sample(texts, min(per_locale, len(texts)))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-locale", type=int, default=12)
    parser.add_argument("--show", type=int, default=0, metavar="N", help="list N failures")
    args = parser.parse_args(argv)
    _, strings = load_strings(DEFAULT_ROOTS, None)
    sample = sample_by_locale(strings, args.per_locale, args.seed)
    if not sample:
        print("no gettext catalogs with non-ASCII strings found")
        return 0
    locales = len({locale for locale, _ in sample})
    print(f"{len(sample)} strings from {locales} locales, seed {args.seed}")
    header = f"{'recipe':<36} {'cases':>6} {'textmend':>9} {'ftfy':>7}"
    print("\n" + header + "\n" + "-" * len(header))
    totals = [0, 0, 0]
    failures: list[tuple[str, str, str, str]] = []
    for recipe in RECIPES:
        if not recipe.lossless:
            continue
        cases = ours = theirs = 0
        for locale, text in sample:
            damaged = recipe.apply(text, language_group(text))
            if damaged is None or damaged == text:
                continue
            cases += 1
            # Both tools remove terminal escapes (GNU's en@boldquot catalogs are full of
            # them) by design: the text without them counts as exact too.
            expected = {nfc(text), nfc(TERMINAL_ESCAPE.sub("", text))}
            repaired = nfc(textmend.repair(damaged))
            ours += repaired in expected
            theirs += nfc(ftfy.fix_text(damaged, FTFY_CONFIG)) in expected
            if repaired not in expected:
                failures.append((recipe.name, locale, damaged, repaired))
        if cases:
            print(
                f"{recipe.name:<36} {cases:>6} {100 * ours / cases:>8.1f}%"
                f" {100 * theirs / cases:>6.1f}%"
            )
            totals = [totals[0] + cases, totals[1] + ours, totals[2] + theirs]
    print("-" * len(header))
    cases, ours, theirs = totals
    print(f"{'all':<36} {cases:>6} {100 * ours / cases:>8.1f}% {100 * theirs / cases:>6.1f}%")
    for name, locale, damaged, repaired in failures[: args.show]:
        print(f"\n[{locale}] {name}\n  damaged : {damaged[:100]!r}\n  textmend: {repaired[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
