"""TrackedLine: applying edits in several passes keeps text and provenance consistent."""

from __future__ import annotations

import random

from textmend.tracked import Edit, TrackedLine, describe_chain


def apply_plain(text: str, edits: list[Edit]) -> str:
    out, position = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        out += [text[position : edit.start], edit.replacement]
        position = edit.end
    return "".join([*out, text[position:]])


def random_edits(rng: random.Random, text: str, kind: str) -> list[Edit]:
    edits, position = [], 0
    while position < len(text) and rng.random() < 0.8:
        start = rng.randint(position, len(text))
        end = rng.randint(start, min(len(text), start + 4))
        replacement = "".join(rng.choice("XYZé") for _ in range(rng.randint(0, 3)))
        edits.append(Edit(start, end, replacement, kind))
        position = end + 1
    return edits


def test_random_passes_keep_text_and_original() -> None:
    rng = random.Random(20261121)
    for _ in range(3000):
        text = "".join(rng.choice("abcdé ") for _ in range(rng.randint(0, 24)))
        tracked = TrackedLine(text)
        for round_number in range(3):
            before = tracked.text
            edits = random_edits(rng, before, f"kind {round_number}")
            tracked.apply(edits)
            assert tracked.text == apply_plain(before, edits)
            assert tracked.original == text
        # Findings point at their original text in the input line.
        for finding in tracked.findings(1):
            start = finding.column - 1
            assert text[start : start + len(finding.original)] == finding.original


def test_an_edit_inside_an_earlier_repair_takes_the_whole_piece() -> None:
    tracked = TrackedLine("ab Indiaéˆ¥æªš x")
    tracked.apply([Edit(8, 14, "鈥檚", "utf-8 read as cp1252")])
    tracked.apply([Edit(8, 10, "’s", "utf-8 read as gbk")])
    (finding,) = tracked.findings(3)
    assert (finding.column, finding.original, finding.replacement) == (9, "éˆ¥æªš", "’s")
    assert finding.kind == "utf-8 read as gbk, then utf-8 read as cp1252"


def test_describe_chain() -> None:
    assert describe_chain(("utf-8 read as cp1252",)) == "utf-8 read as cp1252"
    assert describe_chain(("utf-8 read as cp1252", "utf-8 read as cp1252")) == (
        "utf-8 read as cp1252, twice"
    )


def test_a_lost_byte_found_on_its_own_layers_repair_is_one_layer() -> None:
    inferred = "utf-8 read as cp1252 (lost byte inferred from word list he)"
    for kinds in (("utf-8 read as cp1252", inferred), (inferred, "utf-8 read as cp1252")):
        assert describe_chain(kinds) == inferred
    # Two real layers stay two, whichever of them the lost byte was found in.
    assert describe_chain(("utf-8 read as cp1252", "utf-8 read as cp1252", inferred)) == (
        f"{inferred}, then utf-8 read as cp1252"
    )
    assert describe_chain(("utf-8 read as gbk", inferred)) == f"{inferred}, then utf-8 read as gbk"
