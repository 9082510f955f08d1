"""Clean names in every language stay as they are: the Unicode CLDR's display names.

Babel (installed with trafilatura's dependencies) ships the CLDR's names of languages,
territories, scripts, currencies, months and days for about a thousand locales: short,
written by people, in every script and often in capitals, the hardest clean text for a
repair. None of them may change, alone or ten to a line (bench/clean_names.py measures
the same with ftfy beside it, and on stop-word lists and real pages).
"""

from __future__ import annotations

import pytest

import textmend

babel = pytest.importorskip("babel")
NAMES_PER_LINE = 10


def cldr_names() -> list[str]:
    from babel import Locale, localedata

    seen: set[str] = set()
    names: list[str] = []
    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (ValueError, LookupError):
            continue
        groups = [
            [str(name) for name in group.values()]
            for group in (
                locale.languages,
                locale.territories,
                locale.scripts,
                locale.currencies,
                locale.months.get("format", {}).get("wide", {}),
                locale.days.get("format", {}).get("wide", {}),
            )
        ]
        for group in groups:
            lines = [
                ", ".join(group[start : start + NAMES_PER_LINE])
                for start in range(0, len(group), NAMES_PER_LINE)
            ]
            for text in group + lines:
                if not text.isascii() and text not in seen:
                    seen.add(text)
                    names.append(text)
    return names


def test_no_cldr_name_is_repaired() -> None:
    names = cldr_names()
    assert len(names) > 50_000
    changed = [(name, fixed) for name in names if (fixed := textmend.repair(name)) != name]
    assert changed == []
