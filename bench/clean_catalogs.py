"""False positives on clean text nobody wrote for textmend: translated message catalogs.

Every Linux machine carries thousands of gettext catalogs (``.mo`` files: programs' messages
translated into dozens of languages, and the ISO code tables' names of languages,
countries and currencies). Their strings are short, written by people, in every script,
full of capitals, placeholders and option syntax (``-f ФАЙЛ, --file=ФАЙЛ``): the hardest
clean text for a repair, which has little context to go by on a short line. None of it
was seen while textmend was built, so it is a held-out check of "never damage clean text".

Each distinct string holding a non-ASCII character is repaired by textmend and by ftfy
(configured as in bench/mojibake.py, without HTML unescaping, which textmend leaves
alone). A change that only removes control or format characters (BEL, ESC, a stray BOM)
or whole terminal escape sequences (the bold codes of GNU's en@boldquot catalogs), both
tools' documented clean-up, or only normalises to NFC does not count. Some catalogs do
hold real mojibake (``nÃ¥r`` for ``når``), which a repair should fix, so the table splits
textmend's changes into those ftfy makes too (nearly always real damage: ftfy is
conservative) and those only textmend makes, the ones to read: ``--show N`` lists them.

    .venv/bin/python bench/clean_catalogs.py            # every catalog under /usr/share
    .venv/bin/python bench/clean_catalogs.py --show 40 --limit 200000

The catalogs are the machine's own (nothing is shipped or copied); with none found the
benchmark says so and exits.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import ftfy

import textmend
from mojibake import FTFY_CONFIG

# ftfy as bench/mojibake.py runs it, minus the two fixes textmend leaves to other tools:
# HTML entities (&lt; in a message about entities is what the message means) and
# terminal escapes. Both tools then do the same job, encoding repair.
CATALOG_FTFY_CONFIG = FTFY_CONFIG._replace(unescape_html=False, remove_terminal_escapes=False)
TOOLS: dict[str, Callable[[str], str]] = {
    "textmend": textmend.repair,
    "ftfy": lambda text: ftfy.fix_text(text, CATALOG_FTFY_CONFIG),
}

DEFAULT_ROOTS = (Path("/usr/share"), Path(sys.prefix))


@dataclass(frozen=True, slots=True)
class CatalogString:
    language: str
    text: str


def catalog_language(path: Path) -> str:
    """The locale a catalog is for: the folder above LC_MESSAGES (pt_BR, sr@latin)."""
    parts = path.parts
    if "LC_MESSAGES" in parts:
        return parts[parts.index("LC_MESSAGES") - 1]
    return path.parent.name


def load_strings(roots: tuple[Path, ...], limit: int | None) -> tuple[int, list[CatalogString]]:
    """How many catalogs were read, and their distinct translations holding a non-ASCII
    character, in a stable order (sorted paths, catalog order)."""
    paths = sorted({path for root in roots if root.is_dir() for path in root.rglob("*.mo")})
    seen: set[str] = set()
    strings: list[CatalogString] = []
    catalogs = 0
    for path in paths:
        try:
            with path.open("rb") as handle:
                catalog = gettext.GNUTranslations(handle)
        except (OSError, UnicodeDecodeError, LookupError, ValueError):
            continue  # an unreadable or broken catalog is not text to check
        catalogs += 1
        language = catalog_language(path)
        # (_catalog: the translations at once; the public API is a lookup per message.)
        for translation in catalog._catalog.values():
            if (
                isinstance(translation, str)
                and not translation.isascii()
                and translation not in seen
            ):
                seen.add(translation)
                strings.append(CatalogString(language, translation))
        if limit is not None and len(strings) >= limit:
            return catalogs, strings[:limit]
    return catalogs, strings


# An ANSI terminal escape sequence (ESC [ parameters, intermediates, final byte).
TERMINAL_ESCAPE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]")


def counts_as_change(before: str, after: str) -> bool:
    """Did a tool change ``before`` beyond dropping control or format characters and
    terminal escape sequences, and normalising to NFC?"""
    if after == before:
        return False
    normal = unicodedata.normalize("NFC", before)
    return not (
        _only_drops_controls(normal, after)
        or _only_drops_controls(TERMINAL_ESCAPE.sub("", normal), after)
    )


def _only_drops_controls(base: str, after: str) -> bool:
    """Is ``after`` ``base`` with some control or format characters deleted?"""
    if after == base:
        return True
    opcodes = SequenceMatcher(None, base, after, autojunk=False).get_opcodes()
    return all(
        tag == "delete" and all(unicodedata.category(c) in ("Cc", "Cf") for c in base[i1:i2])
        for tag, i1, i2, _j1, _j2 in opcodes
        if tag != "equal"
    )


def changes(
    fixer: Callable[[str], str], strings: list[CatalogString]
) -> tuple[dict[int, str], float]:
    """The outputs that count as changes, by index, and the seconds the tool took."""
    changed: dict[int, str] = {}
    start = time.perf_counter()
    for index, item in enumerate(strings):
        output = fixer(item.text)
        if counts_as_change(item.text, output):
            changed[index] = output
    return changed, time.perf_counter() - start


def kinds_of(text: str) -> list[str]:
    """The kinds of textmend's findings on ``text`` (the damage it believed it saw)."""
    return sorted({f.kind for f in textmend.detect(text)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, action="append", help="folders to search for .mo")
    parser.add_argument("--limit", type=int, help="only the first N strings")
    parser.add_argument(
        "--show", type=int, default=0, metavar="N", help="list N textmend-only changes"
    )
    parser.add_argument("--json", type=Path, help="write a machine-readable summary here")
    args = parser.parse_args(argv)
    roots = tuple(args.root) if args.root else DEFAULT_ROOTS
    catalogs, strings = load_strings(roots, args.limit)
    if not strings:
        print(f"no gettext catalogs with non-ASCII strings under {', '.join(map(str, roots))}")
        return 0
    languages = len({item.language for item in strings})
    print(
        f"{catalogs} catalogs, {len(strings)} distinct non-ASCII strings, {languages} locales"
        f" (textmend {textmend.__version__})"
    )
    results = {name: changes(fixer, strings) for name, fixer in TOOLS.items()}
    ours, _ = results["textmend"]
    theirs, _ = results["ftfy"]
    agreed = [i for i in ours if theirs.get(i) == ours[i]]
    only_ours = [i for i in ours if theirs.get(i) != ours[i]]
    header = f"{'tool':<10} {'changed':>8} {'per million':>12} {'seconds':>8}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, (changed, seconds) in results.items():
        rate = 1e6 * len(changed) / len(strings)
        print(f"{name:<10} {len(changed):>8} {rate:>12.1f} {seconds:>8.1f}")
    print(
        f"\ntextmend's changes: {len(agreed)} made by ftfy too (real mojibake in the catalogs),"
        f" {len(only_ours)} by textmend alone"
    )
    by_kind: Counter[str] = Counter()
    for index in only_ours:
        by_kind.update(kinds_of(strings[index].text))
    for kind, count in by_kind.most_common():
        print(f"  {count:>5}  {kind}")
    for index in only_ours[: args.show]:
        item = strings[index]
        print(f"\n[{item.language}] {item.text[:120]!r}\n  -> {ours[index][:120]!r}")
    if args.json:
        summary = {
            "catalogs": catalogs,
            "strings": len(strings),
            "locales": languages,
            "changed": {name: len(changed) for name, (changed, _) in results.items()},
            "agreed_with_ftfy": len(agreed),
            "textmend_only": len(only_ours),
            "textmend_only_kinds": dict(by_kind),
        }
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
