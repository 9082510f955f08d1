"""Damage layers and the character classes that reveal them, built once from the codecs.

A layer is "text encoded with E, then read back as R" (``utf-8 read as gbk``). Which
characters such damage can produce follows from R's byte table alone: UTF-8 read as GBK turns
a lead byte E2 and a continuation byte 80 into the one GBK character 鈥. So instead of
listing mojibake characters by hand, each layer enumerates its ``read_as`` codec and sorts
every character by the UTF-8 role of its bytes:

* ``lead_pair``   - bytes [lead of a 3/4-byte sequence][continuation] (GBK 鈥 = E2 80)
* ``whole_pair``  - bytes [lead of a 2-byte sequence][continuation]: a whole UTF-8 character
  (GBK 茅 = C3 A9 = "é")
* ``lead``        - one byte that is a UTF-8 lead (cp1252 Ã = C3)
* ``continuing``  - characters whose first byte is a UTF-8 continuation byte

UTF-8 damage then shows up as a ``lead``/``lead_pair`` followed by ``continuing``
characters, or as a run made only of ``whole_pair`` characters. Those two regexes are all the
detector runs on a line that has no damage, which is what keeps clean text fast.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

_LEAD_ANY = range(0xC2, 0xF5)
_LEAD_2 = range(0xC2, 0xE0)
_LEAD_3_4 = range(0xE0, 0xF5)
_CONTINUATION = range(0x80, 0xC0)


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class for ``chars``, compacted into ranges."""
    codes = sorted({ord(c) for c in chars})
    if not codes:
        return "[^\\x00-\\U0010ffff]"  # matches nothing
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        parts.append(
            re.escape(chr(start))
            if start == prev
            else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
        )
        start = prev = code
    return "[" + "".join(parts) + "]"


def _codec_repertoire(codec: str) -> dict[str, bytes]:
    """Every non-ASCII character ``codec`` can produce from one or two bytes, with its bytes."""
    table: dict[str, bytes] = {}
    for first in range(0x80, 0x100):
        single = bytes((first,))
        try:
            char = single.decode(codec)
        except UnicodeDecodeError:
            char = ""
        if len(char) == 1:
            table.setdefault(char, single)
            continue
        for second in range(0x40, 0x100):
            pair = bytes((first, second))
            try:
                char = pair.decode(codec)
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and not char.isascii():
                table.setdefault(char, pair)
    return table


@dataclass(frozen=True)
class Layer:
    """Text encoded as ``encoded`` and read back as ``read_as``."""

    encoded: str
    read_as: str
    unit: str
    order: int
    expect: str | None = None
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.encoded.replace('_', '-')} read as {self.read_as.replace('_', '-')}"

    @property
    def utf8(self) -> bool:
        return self.encoded == "utf-8"

    @cached_property
    def repertoire(self) -> dict[str, bytes]:
        return _codec_repertoire(self.read_as)

    @cached_property
    def trigger(self) -> re.Pattern[str]:
        """Where damage of this layer may start (see the module docstring)."""
        lead_pair, whole_pair, lead, continuing = [], [], [], []
        for char, raw in self.repertoire.items():
            first = raw[0]
            if first in _CONTINUATION:
                continuing.append(char)
            if len(raw) == 1:
                if first in _LEAD_ANY:
                    lead.append(char)
            elif raw[1] in _CONTINUATION:
                if first in _LEAD_3_4:
                    lead_pair.append(char)
                elif first in _LEAD_2:
                    whole_pair.append(char)
        if not self.utf8:
            # Legacy text read as a single-byte codec: any word with several high characters.
            high = _char_class(self.repertoire)
            return re.compile(f"{high}[^\\s]{{0,3}}{high}")
        starts = "|".join(f"{_char_class(group)}" for group in (lead_pair, lead) if group)
        patterns = [f"(?:{starts}){_char_class(continuing)}"] if starts else []
        if whole_pair:
            # A whole non-ASCII run made of complete 2-byte sequences: accented Latin,
            # Cyrillic, Greek, Hebrew or Arabic UTF-8 read through a double-byte codec.
            pair_class = _char_class(whole_pair)
            patterns.append(f"(?<![^\\x00-\\x7f]){pair_class}+(?![^\\x00-\\x7f])")
        if lead:
            # A lead at the end of a run whose continuation was lost or replaced.
            patterns.append(f"{_char_class(lead)}(?=[\ufffd?])")
        if lead_pair:
            patterns.append(f"{_char_class(lead_pair)}(?=[\ufffd?\\s\\d\\x21-\\x2f\\x3a-\\x3f]|$)")
        return re.compile("|".join(patterns))


def _load_layers() -> tuple[Layer, ...]:
    raw = resources.files("textmend").joinpath("data/damage_layers.toml").read_text("utf-8")
    entries = tomllib.loads(raw)["layer"]
    return tuple(
        Layer(entry["encoded"], entry["read_as"], entry["unit"], order, entry.get("expect"))
        for order, entry in enumerate(entries)
    )


LAYERS: tuple[Layer, ...] = _load_layers()
