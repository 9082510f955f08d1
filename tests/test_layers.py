"""Tables derived from the codecs in textmend.layers agree with the codecs themselves."""

from __future__ import annotations

import random

import pytest

from textmend.layers import LAYERS, Layer

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
