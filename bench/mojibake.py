"""Mojibake repair benchmark: textmend.repair against ftfy.fix_text, side by side, one run.

Clean snippets in many languages (see corpus.py) are damaged by every recipe that applies
to them (see mojibake_recipes.py). For each recipe the table shows how many cases were made
and the share each tool restores exactly (output == clean original, both NFC). A second
part checks that clean text is left byte-identical, and a third measures speed in MB/s of
UTF-8 input on clean English, clean CJK, clean text of other alphabets and damaged text
(median of several repeats, ratio to ftfy measured in the same run).

    .venv/bin/python bench/mojibake.py                 # full run
    .venv/bin/python bench/mojibake.py --quick         # a subset, for a quick look
    .venv/bin/python bench/mojibake.py --show-failures 3 --recipe gbk
    .venv/bin/python bench/mojibake.py --json /tmp/mojibake.json
    .venv/bin/python bench/mojibake.py --speed-only    # the speed section alone (~1 min)

ftfy runs with uncurl_quotes, fix_latin_ligatures and fix_character_width off, so that it is
judged on encoding repair only, as textmend is.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ftfy

import textmend
from corpus import CHAR_DATASET, Snippet, load_snippets
from mojibake_recipes import RECIPES, WIDER_RECIPES, Recipe

FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False
)

Fixer = Callable[[str], str]


def textmend_fix(text: str) -> str:
    return textmend.repair(text)


def ftfy_fix(text: str) -> str:
    return ftfy.fix_text(text, FTFY_CONFIG)


TOOLS: dict[str, Fixer] = {"textmend": textmend_fix, "ftfy": ftfy_fix}


@dataclass(frozen=True, slots=True)
class Case:
    recipe: Recipe
    snippet: Snippet
    damaged: str


@dataclass(slots=True)
class Outcome:
    """How one tool did on one set of cases."""

    passed: int = 0
    total: int = 0
    failures: list[tuple[Case | Snippet, str]] = field(default_factory=list)
    # Failed cases whose output holds a wrong guess (see holds_wrong_guess).
    wrong: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.total if self.total else float("nan")

    @property
    def wrong_percent(self) -> float:
        return 100.0 * self.wrong / self.total if self.total else float("nan")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def run_tool(fixer: Fixer, text: str) -> str:
    """The tool's output, or a marker naming the exception (a crash is a failed case)."""
    try:
        return fixer(text)
    except Exception as error:  # the benchmark reports crashes instead of stopping
        return f"<{type(error).__name__}: {error}>"


def candidate_order(snippets: list[Snippet], seed: int) -> list[Snippet]:
    """Own texts and seeds first, then char-dataset snippets alternating between languages.

    The alternation keeps a capped recipe from being filled by whichever language has the
    most files.
    """
    own = [snippet for snippet in snippets if not snippet.source.startswith("char-dataset/")]
    by_group: dict[str, list[Snippet]] = {}
    for snippet in snippets:
        if snippet.source.startswith("char-dataset/"):
            by_group.setdefault(snippet.group, []).append(snippet)
    rng = random.Random(seed)
    queues = []
    for group in sorted(by_group):
        members = by_group[group]
        rng.shuffle(members)
        queues.append(members)
    interleaved: list[Snippet] = []
    for index in range(max((len(queue) for queue in queues), default=0)):
        interleaved.extend(queue[index] for queue in queues if index < len(queue))
    return own + interleaved


def build_cases(snippets: list[Snippet], recipes: Iterable[Recipe], cap: int, seed: int):
    ordered = candidate_order(snippets, seed)
    cases: dict[str, list[Case]] = {}
    for recipe in recipes:
        made: list[Case] = []
        for snippet in ordered:
            damaged = recipe.apply(snippet.text, snippet.group)
            if damaged is not None:
                made.append(Case(recipe, snippet, damaged))
                if len(made) >= cap:
                    break
        cases[recipe.name] = made
    return cases


def holds_wrong_guess(expected: str, damaged: str, output: str) -> bool:
    """Does ``output``, where it differs from ``expected``, hold a character that the
    damaged text does not hold at all (and that is no U+FFFD)? Such a character was put
    there by the tool: a wrong guess (才 for 扁, Á for Ð), not damage left as it was or a
    character left open. A guess that happens to be a character found elsewhere in the
    damaged text is missed, so this counts a lower bound."""
    found = set(damaged)
    matcher = difflib.SequenceMatcher(None, expected, output, autojunk=False)
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert") and any(
            char not in found and char != "\ufffd" for char in output[start:end]
        ):
            return True
    return False


def score_cases(cases: list[Case], fixer: Fixer) -> Outcome:
    outcome = Outcome()
    for case in cases:
        output = run_tool(fixer, case.damaged)
        outcome.total += 1
        expected = nfc(case.snippet.text)
        if nfc(output) == expected:
            outcome.passed += 1
        else:
            outcome.failures.append((case, output))
            outcome.wrong += holds_wrong_guess(expected, nfc(case.damaged), nfc(output))
    return outcome


def score_clean(snippets: list[Snippet], fixer: Fixer) -> Outcome:
    outcome = Outcome()
    for snippet in snippets:
        output = run_tool(fixer, snippet.text)
        outcome.total += 1
        if output == snippet.text:
            outcome.passed += 1
        else:
            outcome.failures.append((snippet, output))
    return outcome


def difference_window(expected: str, got: str, width: int = 50) -> tuple[str, str, int]:
    """The stretch around the first difference, so a failure is readable in one line."""
    start = next(
        (i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
        min(len(expected), len(got)),
    )
    low = max(0, start - width // 2)
    return expected[low : start + width], got[low : start + width], start


def show_failures(title: str, outcome: Outcome, limit: int) -> None:
    if not outcome.failures or limit <= 0:
        return
    print(f"\n  textmend failures, {title} ({len(outcome.failures)} of {outcome.total}):")
    for item, output in outcome.failures[:limit]:
        if isinstance(item, Case):
            snippet, damaged = item.snippet, item.damaged
        else:
            snippet, damaged = item, item.text
        expected, got, at = difference_window(nfc(snippet.text), nfc(output))
        print(f"    [{snippet.source} · {snippet.group} · first difference at {at}]")
        if isinstance(item, Case):
            damaged_window = damaged[max(0, at - 25) : at + 50]
            print(f"      damaged : {damaged_window!r}")
        print(f"      expected: {expected!r}")
        print(f"      textmend: {got!r}")


def print_by_language(cases: list[Case], outcome: Outcome) -> None:
    """One line: for each language group, textmend's exact repairs out of the cases."""
    failed = {id(item) for item, _ in outcome.failures}
    totals: dict[str, list[int]] = {}
    for case in cases:
        counts = totals.setdefault(case.snippet.group, [0, 0])
        counts[0] += id(case) not in failed
        counts[1] += 1
    cells = [f"{group} {ok}/{n}" for group, (ok, n) in sorted(totals.items())]
    print("    by language: " + ", ".join(cells))


def speed_mb_per_s(fixer: Fixer, text: str, repeats: int) -> float:
    size = len(text.encode("utf-8")) / 1e6
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        fixer(text)
        timings.append(time.perf_counter() - start)
    return size / statistics.median(timings)


def fill_to(pieces: Iterable[str], size: int) -> str:
    """Join pieces (cycling through them) until the UTF-8 size reaches ``size`` bytes."""
    items = [piece for piece in pieces if piece]
    if not items:
        return ""
    parts: list[str] = []
    total = 0
    index = 0
    while total < size:
        piece = items[index % len(items)]
        parts.append(piece)
        total += len(piece.encode("utf-8")) + 2
        index += 1
    return "\n\n".join(parts)


# Language groups (see corpus.language_group) written in alphabets other than Latin.
OTHER_ALPHABETS = frozenset({"cyrillic", "greek", "arabic", "hebrew", "thai"})


def speed_corpora(snippets: list[Snippet], cases: dict[str, list[Case]], size: int):
    articles = [s.text for s in snippets if s.source.startswith("seeds/")]
    english = [s.text for s in snippets if s.source.startswith("seeds/") or s.group == "ascii"]
    cjk = [s.text for s in snippets if s.group in {"zh", "ja", "ko"}]
    alphabets = [s.text for s in snippets if s.group in OTHER_ALPHABETS]
    damaged = [
        case.damaged for made in cases.values() for case in made if case.recipe.total == "lossless"
    ]
    return {
        "clean English news articles": fill_to(articles, size),
        "clean English": fill_to(english, size),
        "clean CJK": fill_to(cjk, size),
        "clean Cyrillic, Greek, Arabic, Hebrew, Thai": fill_to(alphabets, size),
        "damaged (lossless recipes)": fill_to(damaged, size),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer cases and repeats")
    parser.add_argument("--seed", type=int, default=20240611, help="sampling seed")
    parser.add_argument("--cap", type=int, help="cases per recipe (default 250, quick 40)")
    parser.add_argument("--recipe", help="only recipes whose name contains this")
    parser.add_argument(
        "--wider", action="store_true", help="only the recipes beyond the issue's damage table"
    )
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    parser.add_argument(
        "--by-language", action="store_true", help="per-recipe textmend rates by language group"
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the speed section")
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="skip the accuracy and clean-text parts (the speed section alone)",
    )
    parser.add_argument("--json", type=Path, help="write a machine-readable summary here")
    return parser.parse_args(argv)


def accuracy(
    args: argparse.Namespace,
    snippets: list[Snippet],
    recipes: list[Recipe],
    cases: dict[str, list[Case]],
) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    """The accuracy table (per recipe) and the clean-text check, printed as they go."""
    header = (
        f"{'recipe':<48} {'kind':<8} {'n':>5} {'textmend':>9} {'ftfy':>7}"
        f" {'wrong: textmend':>16} {'ftfy':>6}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    print(
        "(wrong: cases whose output, where it differs from the clean text, holds a character\n"
        " the damaged text does not: a wrong guess; a lower bound, see holds_wrong_guess)"
    )
    rows = []
    totals = {
        kind: {"n": 0, "textmend": 0, "ftfy": 0, "textmend_wrong": 0, "ftfy_wrong": 0}
        for kind in ("lossless", "lossy", "wider")
    }
    for recipe in recipes:
        made = cases[recipe.name]
        outcomes = {name: score_cases(made, fixer) for name, fixer in TOOLS.items()}
        row = {
            "recipe": recipe.name,
            "kind": recipe.kind,
            "n": len(made),
            **{name: round(outcome.percent, 2) for name, outcome in outcomes.items()},
            **{
                name + "_wrong": round(outcome.wrong_percent, 2)
                for name, outcome in outcomes.items()
            },
        }
        rows.append(row)
        totals[recipe.total]["n"] += len(made)
        for name, outcome in outcomes.items():
            totals[recipe.total][name] += outcome.passed
            totals[recipe.total][name + "_wrong"] += outcome.wrong
        print(
            f"{recipe.name:<48} {recipe.kind:<8} {len(made):>5} "
            f"{outcomes['textmend'].percent:>8.1f}% {outcomes['ftfy'].percent:>6.1f}%"
            f" {outcomes['textmend'].wrong_percent:>15.1f}%"
            f" {outcomes['ftfy'].wrong_percent:>5.1f}%"
        )
        if args.by_language:
            print_by_language(made, outcomes["textmend"])
        show_failures(recipe.name, outcomes["textmend"], args.show_failures)
    print("-" * len(header))
    summary = {}
    for kind, total in totals.items():
        n = total["n"]
        names = [*TOOLS, *(name + "_wrong" for name in TOOLS)]
        summary[kind] = {
            "n": n,
            **{name: round(100.0 * total[name] / n, 2) if n else None for name in names},
        }
        if n:
            label = "all wider recipes" if kind == "wider" else f"all {kind} recipes"
            print(
                f"{label:<48} {'both' if kind == 'wider' else kind:<8} {n:>5} "
                f"{summary[kind]['textmend']:>8.1f}% {summary[kind]['ftfy']:>6.1f}%"
                f" {summary[kind]['textmend_wrong']:>15.1f}%"
                f" {summary[kind]['ftfy_wrong']:>5.1f}%"
            )
    clean = {name: score_clean(snippets, fixer) for name, fixer in TOOLS.items()}
    print(
        f"{'clean texts left byte-identical':<48} {'clean':<8} {len(snippets):>5} "
        f"{clean['textmend'].percent:>8.1f}% {clean['ftfy'].percent:>6.1f}%"
    )
    show_failures("clean texts changed", clean["textmend"], args.show_failures)
    summary["clean"] = {
        "n": len(snippets),
        **{name: round(outcome.percent, 2) for name, outcome in clean.items()},
        "textmend_changed_sources": [item.source for item, _ in clean["textmend"].failures],
    }
    return rows, summary


def prepare(
    args: argparse.Namespace,
) -> tuple[list[Snippet], list[Recipe], dict[str, list[Case]], int]:
    """The clean snippets, the recipes, the damaged cases and the cap per recipe that
    ``args`` ask for (also used by tests/test_mojibake_gate.py)."""
    cap = args.cap or (40 if args.quick else 250)
    snippets = load_snippets(per_document=1 if args.quick else 3, seed=args.seed)
    recipes = [
        recipe
        for recipe in (WIDER_RECIPES if args.wider else (*RECIPES, *WIDER_RECIPES))
        if not args.recipe or args.recipe in recipe.name
    ]
    return snippets, recipes, build_cases(snippets, recipes, cap, args.seed), cap


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not CHAR_DATASET.is_dir():
        print(f"note: {CHAR_DATASET} is absent; only the project's own texts are used")
    snippets, recipes, cases, cap = prepare(args)
    print(
        f"{len(snippets)} clean snippets, {sum(map(len, cases.values()))} damaged cases, "
        f"{len(recipes)} recipes, seed {args.seed}, cap {cap} per recipe"
    )
    print(f"textmend {textmend.__version__}, ftfy {ftfy.__version__}")

    rows: list[dict[str, object]] = []
    summary: dict[str, dict[str, object]] = {}
    if not args.speed_only:
        rows, summary = accuracy(args, snippets, recipes, cases)
    speed: dict[str, dict[str, float]] = {}
    if not args.no_speed:
        size = 256_000 if args.quick else 1_000_000
        repeats = 3 if args.quick else 5
        print(f"\nspeed: MB/s of UTF-8 input, median of {repeats} runs on ~{size // 1000} KB")
        corpora = speed_corpora(snippets, cases, size)
        width = max(map(len, corpora))
        print(f"{'text':<{width}} {'textmend':>9} {'ftfy':>7} {'ratio':>7}")
        for label, text in corpora.items():
            if not text:
                continue
            rates = {name: speed_mb_per_s(fixer, text, repeats) for name, fixer in TOOLS.items()}
            ratio = rates["textmend"] / rates["ftfy"]
            speed[label] = {**{k: round(v, 3) for k, v in rates.items()}, "ratio": round(ratio, 2)}
            print(
                f"{label:<{width}} {rates['textmend']:>9.2f} {rates['ftfy']:>7.2f} {ratio:>6.1f}x"
            )

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "seed": args.seed,
                    "quick": args.quick,
                    "cap": cap,
                    "versions": {"textmend": textmend.__version__, "ftfy": ftfy.__version__},
                    "recipes": rows,
                    "summary": summary,
                    "speed": speed,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"\nsummary written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
