"""Which punctuation mark real web text writes in each context a lost mark is guessed in.

The lost-byte inference (textmend.inference.guess_punctuation) picks a mark from the
characters around it: between digits a range dash, between spaces a dash, after a word
inside an open quotation its closing quote. Its rules for the other contexts should follow
what writers actually do, counted on text the mojibake benchmark never sees: the
ground-truth article texts of ../shared/peers/article-extraction-benchmark and the main
text trafilatura extracts from the 990 pages of ../shared/peers/trafilatura-eval (about
half of them German). For each context (the character class before and after the mark,
and whether a quotation is open before it on the line) the table gives how often each
mark of inference.PUNCTUATION_PRIORITY was written.

    .venv/bin/python bench/punctuation_contexts.py            # about 20 s
    .venv/bin/python bench/punctuation_contexts.py --top 60
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from textmend.inference import PUNCTUATION_PRIORITY, open_quote

REPO = Path(__file__).resolve().parents[1]
PEERS = REPO.parent / "shared" / "peers"
GROUND_TRUTH = PEERS / "article-extraction-benchmark" / "ground-truth.json"
TRAFILATURA_EVAL = PEERS / "trafilatura-eval" / "html"

Context = tuple[str, str, str]


def char_class(char: str) -> str:
    """The class of a neighbour, as the guessing rules see it."""
    if char == "":
        return "line end"
    if char.isspace():
        return "space"
    if char.isdigit():
        return "digit"
    if char.isalpha():
        return "letter"
    if char in ".,!?;:":
        return char
    return "other"


def before_class(char: str) -> str:
    """A letter before the mark is split by whether it may end a plural possessive
    (players’), which has a rule of its own."""
    kind = char_class(char)
    if kind == "letter":
        return "letter s" if char in "sS" else "letter"
    return "line start" if kind == "line end" else kind


def count_contexts(texts: list[str]) -> dict[Context, Counter[str]]:
    """Each mark of PUNCTUATION_PRIORITY in ``texts``, by (before, after, open quotation)."""
    counts: dict[Context, Counter[str]] = defaultdict(Counter)
    marks = frozenset(PUNCTUATION_PRIORITY)
    for text in texts:
        for line in text.splitlines():
            if marks.isdisjoint(line):
                continue
            for at, char in enumerate(line):
                if char not in marks:
                    continue
                before = line[at - 1] if at else ""
                opened = open_quote(line[:at]) or "none"
                counts[(before_class(before), char_class(line[at + 1 : at + 2]), opened)][char] += 1
    return counts


def _extract(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(gzip.decompress(path.read_bytes()), fast=True) or ""


def load_texts() -> list[str]:
    texts = [page["articleBody"] for page in json.loads(GROUND_TRUTH.read_text("utf-8")).values()]
    pages = sorted(TRAFILATURA_EVAL.glob("*.gz"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        texts.extend(pool.map(_extract, pages, chunksize=16))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30, help="contexts to print, most common first")
    args = parser.parse_args()
    if not GROUND_TRUTH.exists() or not TRAFILATURA_EVAL.exists():
        print(f"skipped: {PEERS} is not here (the benchmark pages are not shipped)")
        return 0
    texts = load_texts()
    counts = count_contexts(texts)
    print(f"{len(texts)} texts, {sum(map(len, texts)):,} characters\n")
    print("| before | after | quotation open | marks written (count) |")
    print("|---|---|---|---|")
    ranked = sorted(counts.items(), key=lambda item: -sum(item[1].values()))
    for (before, after, opened), marks in ranked[: args.top]:
        written = ", ".join(f"{mark} {n}" for mark, n in marks.most_common())
        print(f"| {before} | {after} | {opened} | {written} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
