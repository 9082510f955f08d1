"""Stage 4: boilerplate lines in plain text.

A line is removed only with a reason: it matches a phrase rule of a known category (rules
are data, in ``data/boilerplate.toml``, compiled once at import). Ambiguous lines stay.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from textmend.models import RemovedLine
from textmend.settings import DEFAULT_OPTIONS, Options

_MAX_RULE_LINE = 2000  # longer lines are article text, never chrome


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    pattern: re.Pattern[str]

    @property
    def reason(self) -> str:
        return f"phrase rule /{self.pattern.pattern[:60]}/"


@dataclass(frozen=True, slots=True)
class Filtered:
    text: str
    removed: list[RemovedLine]


def _load_rules() -> tuple[Rule, ...]:
    raw = resources.files("textmend").joinpath("data/boilerplate.toml").read_text("utf-8")
    table = tomllib.loads(raw)
    return tuple(
        Rule(category, re.compile(pattern, re.IGNORECASE))
        for category, section in table.items()
        for pattern in section["patterns"]
    )


RULES = _load_rules()


def classify_line(line: str) -> Rule | None:
    """The rule that marks ``line`` as boilerplate, or None when it is (or may be) article."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_RULE_LINE:
        return None
    for rule in RULES:
        if rule.pattern.fullmatch(stripped):
            return rule
    return None


def filter_text(text: str, *, options: Options = DEFAULT_OPTIONS) -> Filtered:
    """Remove (or mark) boilerplate lines; every removed line is listed with its category."""
    if not options.remove_boilerplate and not options.mark_boilerplate:
        return Filtered(text, [])
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        rule = classify_line(line)
        if rule is None:
            kept.append(line)
            continue
        removed.append(RemovedLine(number, line.rstrip("\r\n"), rule.category, rule.reason))
        if options.mark_boilerplate:
            kept.append(options.boilerplate_marker + line)
    return Filtered("".join(kept), removed)
