"""False positives on clean text in every language: names, stop words and real pages.

A second held-out check of "never damage clean text", beside bench/clean_catalogs.py,
with text nobody wrote for textmend:

- ``names``: the Unicode CLDR's display names as Babel ships them (languages, territories,
  scripts, currencies, months, days) in every locale, each name alone and in lines of ten.
  Short, in every script, often capitals: little context to judge by.
- ``stopwords``: jusText's stop-word lists (about a hundred languages), each whole list as
  one document of one word per line, and in lines of twelve words.
- ``pages``: the pages of ../shared/peers (trafilatura-eval and the article-extraction
  benchmark, when present), decoded by textmend and rendered to text twice, by inscriptis
  (the whole page, menus included) and by trafilatura (the article).

Each text is repaired by textmend and by ftfy (as in clean_catalogs.py); dropping
control or format characters and NFC do not count as changes. Some pages hold real
mojibake (``├╝`` for ``ü``: UTF-8 read as cp437), which a repair should fix: the changes
ftfy makes too are nearly always that, so the table splits textmend's changes the same
way, and ``--show N`` lists the ones textmend alone makes.

    .venv/bin/python bench/clean_names.py              # about 4 minutes
    .venv/bin/python bench/clean_names.py --source names --show 20
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from clean_catalogs import TOOLS, counts_as_change, kinds_of
from textmend.decode import charset_label_from_meta, decode

SHARED = Path(__file__).resolve().parents[2] / "shared" / "peers"
PAGE_SETS = ("trafilatura-eval", "article-extraction-benchmark")
NAMES_PER_LINE = 10
WORDS_PER_LINE = 12


def cldr_names() -> Iterator[str]:
    """Every locale's display names, each alone, then in lines of NAMES_PER_LINE."""
    from babel import Locale, localedata

    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (ValueError, LookupError):
            continue
        groups = [
            list(locale.languages.values()),
            list(locale.territories.values()),
            list(locale.scripts.values()),
            list(locale.currencies.values()),
        ]
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                groups.append(list(locale.months.get(context, {}).get(width, {}).values()))
                groups.append(list(locale.days.get(context, {}).get(width, {}).values()))
        for names in groups:
            names = [str(name) for name in names]
            yield from names
            for start in range(0, len(names), NAMES_PER_LINE):
                yield ", ".join(names[start : start + NAMES_PER_LINE])


def stop_words() -> Iterator[str]:
    """jusText's stop-word lists: each whole, and in lines of WORDS_PER_LINE words."""
    import justext

    folder = Path(justext.__file__).parent / "stoplists"
    for path in sorted(folder.glob("*.txt")):
        words = path.read_text(encoding="utf-8").split()
        yield "\n".join(words) + "\n"
        for start in range(0, len(words), WORDS_PER_LINE):
            yield " ".join(words[start : start + WORDS_PER_LINE])


def page_texts() -> Iterator[str]:
    """The peer pages decoded by textmend, rendered by inscriptis and by trafilatura."""
    import inscriptis
    import trafilatura

    for name in PAGE_SETS:
        folder = SHARED / name / "html"
        for path in sorted(folder.glob("*.html.gz")) if folder.is_dir() else []:
            data = gzip.decompress(path.read_bytes())
            html = decode(data, declared=charset_label_from_meta(data)).text
            yield inscriptis.get_text(html) or ""
            yield trafilatura.extract(html) or ""


SOURCES: dict[str, Callable[[], Iterator[str]]] = {
    "names": cldr_names,
    "stopwords": stop_words,
    "pages": page_texts,
}


def distinct_non_ascii(texts: Iterator[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for text in texts:
        if text and not text.isascii() and text not in seen:
            seen.add(text)
            kept.append(text)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", choices=sorted(SOURCES), action="append")
    parser.add_argument("--show", type=int, default=10, help="changes textmend alone makes")
    args = parser.parse_args(argv)
    print(f"{'source':<10} {'texts':>8} {'ftfy':>6} {'textmend':>9} {'also ftfy':>10} {'alone':>6}")
    print("-" * 54)
    alone_all: list[tuple[str, str, str]] = []
    for name in args.source or list(SOURCES):
        texts = distinct_non_ascii(SOURCES[name]())
        if not texts:
            print(f"{name:<10} {'(none found)':>8}")
            continue
        changed = {
            tool: {i for i, text in enumerate(texts) if counts_as_change(text, fix(text))}
            for tool, fix in TOOLS.items()
        }
        ours, theirs = changed["textmend"], changed["ftfy"]
        alone = sorted(ours - theirs)
        alone_all += [(name, texts[i], TOOLS["textmend"](texts[i])) for i in alone]
        print(
            f"{name:<10} {len(texts):>8,} {len(theirs):>6} {len(ours):>9} "
            f"{len(ours & theirs):>10} {len(alone):>6}"
        )
    for name, before, after in alone_all[: args.show]:
        pairs = enumerate(zip(before, after, strict=False))
        at = next((i for i, (a, b) in pairs if a != b), 0)
        start = max(0, at - 60)
        print(f"\n[{name}] {', '.join(kinds_of(before))}")
        print(f"  {before[start : at + 80]!r}\n  -> {after[start : at + 80]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
