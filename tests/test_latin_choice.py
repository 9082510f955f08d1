"""The Latin code-page choice judges candidates by their distinct non-ASCII bytes; it must
choose, cost and rate exactly as decoding the whole sample once per candidate does."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pytest

from textmend import charsets
from textmend.decode import strict_decode

REPO = Path(__file__).resolve().parents[1]
_LISTED = (REPO / "tests" / "data" / "short_western.txt").read_text("utf-8").splitlines()
SENTENCES = (
    *(line for line in _LISTED if line and not line.startswith("#")),
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Zażółć gęślą jaźń, powiedział wczoraj w Łodzi.",
    "Ağaç dalında şarkı söyleyen kuş uçtu.",
    "India’s delegation — led by the foreign secretary — arrived late. Café “open”.",
)
ENCODINGS = ("cp1252", "cp1250", "iso8859-2", "cp1254", "cp1257", "cp850", "mac-roman")


def reference_choice(data: bytes, named: Iterable[str]) -> tuple[str, float, int] | None:
    """The choice as first written: every candidate decoded whole, readings deduplicated
    by their text."""
    sample = charsets._sample(data)
    candidates = list(charsets.LATIN_CODECS)
    candidates += [codec for codec in named if codec not in candidates]
    costs: list[tuple[int, int, str]] = []
    cost_of_reading: dict[str, int] = {}
    for rank, codec in enumerate(candidates):
        if strict_decode(data, codec) is None:
            continue
        text = sample.decode(codec, errors="replace")
        if text not in cost_of_reading:
            cost_of_reading[text] = charsets._reading_cost(text)
        costs.append(
            (cost_of_reading[text] + (charsets._NOT_CP1252_COST if rank else 0), rank, codec)
        )
    if not costs:
        return None
    costs.sort()
    best_cost, _, best = costs[0]
    margin = costs[1][0] - best_cost if len(costs) > 1 else best_cost + 10
    non_ascii = charsets._non_ascii_bytes(sample) or 1
    return best, min(0.99, 0.6 + 0.4 * min(1.0, margin / non_ascii)), best_cost


def samples() -> list[bytes]:
    found = []
    for encoding in ENCODINGS:
        for sentence in SENTENCES:
            try:
                found.append(((sentence + "\n") * 3).encode(encoding))
            except UnicodeEncodeError:
                continue
    rng = random.Random(5)
    found += [bytes(rng.randrange(256) for _ in range(300)) for _ in range(20)]
    # Longer than the sample the costs are judged on, with a byte only the tail holds.
    found.append(b"Caf\xe9 au lait.\n" * 6000 + b"Tail \x81 byte.\n")
    return found


@pytest.mark.parametrize(
    "named",
    [(), ("cp850", "mac-roman", "cp437", "mac-iceland"), ("gbk", "cp1252", "cp037")],
)
def test_choice_matches_whole_file_decoding(named: tuple[str, ...]) -> None:
    for data in samples():
        assert charsets._choose_latin(data, named) == reference_choice(data, named), data[:60]


def test_byte_tables_only_for_ascii_compatible_single_byte_pages() -> None:
    table = charsets._byte_table("cp1252")
    assert table is not None
    assert table.chars[0x92] == "\u2019"
    assert 0x81 in table.invalid and 0x92 not in table.invalid
    assert charsets._byte_table("gbk") is None  # double-byte
    assert charsets._byte_table("cp037") is None  # EBCDIC: ASCII bytes are not ASCII
    assert charsets._byte_table("utf-16-le") is None
    assert charsets._byte_table("no-such-codec") is None


SINGLE_BYTE_PAGES = (
    *charsets.LATIN_CODECS,
    *("cp850", "cp437", "mac-roman", "mac-iceland", "cp1251", "koi8-r", "cp1253", "cp874"),
)


@pytest.mark.parametrize("codec", SINGLE_BYTE_PAGES)
def test_stretches_of_the_bytes_are_those_of_every_byte_table_reading(codec: str) -> None:
    """_choose_latin finds the stretches a reading's cost looks at once, in the bytes, and
    decodes them per candidate: for a byte table that must be what finding them in each
    decoded reading gives, marks' context included."""
    table = charsets._byte_table(codec)
    assert table is not None
    rng = random.Random(codec)
    usable = [byte for byte in range(256) if byte not in table.invalid]
    high = [byte for byte in usable if byte >= 0x80]
    datas = [b"".join(s.encode(codec, "ignore") for s in SENTENCES)]
    for _ in range(30):  # random bytes, about two thirds high: alone and in runs
        datas.append(bytes(rng.choice(high if rng.random() < 0.3 else usable) for _ in range(200)))
    for data in datas:
        text = data.decode(codec)
        pieces, runs, spans = charsets._stretches(data, charsets._NON_ASCII_BYTE_RUN, b" ")
        want_pieces, want_runs, want_spans = charsets._stretches(text, charsets._NON_ASCII_RUN, " ")
        assert (pieces.decode(codec), runs.decode(codec), spans) == (
            want_pieces,
            want_runs,
            want_spans,
        )
        if spans:
            around = charsets._around(data, spans, b" ").decode(codec)
            assert around == charsets._around(text, spans, " ")
