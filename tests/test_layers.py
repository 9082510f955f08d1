"""Tables derived from the codecs in textmend.layers agree with the codecs themselves."""

from __future__ import annotations

import random
import re

import pytest

from textmend.layers import LAYERS, NEVER, Layer, _char_class, any_trigger

LEGACY_LAYERS = [layer for layer in LAYERS if not layer.utf8]


def encodable_runs_by_encoding(line: str, codec: str) -> list[tuple[int, str]]:
    """The slow definition: maximal runs that ``codec`` encodes, U+FFFD never included."""
    runs: list[tuple[int, str]] = []
    start = None
    for index, char in enumerate([*line, None]):
        ok = False
        if char is not None and char != "\ufffd":
            try:
                char.encode(codec)
                ok = True
            except UnicodeEncodeError:
                pass
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            runs.append((start, line[start:index]))
            start = None
    return runs


@pytest.mark.parametrize("layer", LEGACY_LAYERS, ids=lambda layer: layer.name)
def test_encodable_run_matches_the_codec(layer: Layer) -> None:
    """The per-codec regex must cut a line exactly where encoding it would fail."""
    assert layer.encodable_run is not None  # every legacy reading codec is single-byte
    rng = random.Random(layer.name)
    pool = [chr(code) for code in range(0x500)] + list(layer.repertoire)
    pool += ["\ufffd", "中", "あ", "한", "ก", "א", "ع", "€", "…", "\U0001f600"]
    for _ in range(400):
        line = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        found = [(m.start(), m.group()) for m in layer.encodable_run.finditer(line)]
        assert found == encodable_runs_by_encoding(line, layer.codec), line


UTF8_LAYERS = [layer for layer in LAYERS if layer.utf8 and layer.trigger_branches]


def plain_trigger(layer: Layer) -> re.Pattern[str]:
    """The slow definition of a trigger: its branches as a plain alternation, each
    starting with its own first-character class (what the trigger was before it was
    rewritten to start with one class, see layers._starting_with)."""
    alternatives = []
    for branch in layer.trigger_branches:
        run_start = "(?<![^\\x00-\\x7f])" if branch.run_start else ""
        alternatives.append(f"{run_start}{_char_class(branch.head)}(?:{branch.rest})")
    return re.compile("|".join(alternatives))


def trigger_texts(layer: Layer, seed: str) -> list[str]:
    """Lines of a layer's own characters, ASCII and CJK text mixed: where triggers fire."""
    rng = random.Random(seed)
    pool = [*sorted(layer.repertoire), *"abc 1?.\n", "\ufffd", "中", "あ", "한", "。"]
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(300)]


@pytest.mark.parametrize("layer", UTF8_LAYERS + LEGACY_LAYERS[:2], ids=lambda layer: layer.name)
def test_trigger_matches_its_plain_definition(layer: Layer) -> None:
    """Same matches, spans included: layer_candidates walks them with finditer."""
    plain = plain_trigger(layer)
    for text in trigger_texts(layer, layer.name):
        assert [m.span() for m in layer.trigger.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_any_trigger_fires_where_some_trigger_does() -> None:
    """any_trigger selects lines for all layers at once: it must match at exactly the
    positions where some layer's trigger does."""
    combined = any_trigger()
    triggers = [layer.trigger for layer in LAYERS if layer.trigger is not NEVER]
    for layer in UTF8_LAYERS + LEGACY_LAYERS[:2]:
        for text in trigger_texts(layer, "any " + layer.name):
            for position in range(len(text)):
                expected = any(trigger.match(text, position) for trigger in triggers)
                assert bool(combined.match(text, position)) == expected, (text, position)
