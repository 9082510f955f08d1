"""Shortcuts the repair of damaged text takes for speed give exactly the plain answers.

Each helper that replaces a Python loop over characters (a regex class, a cache) is
compared here with the loop it replaced: on every code point where the helper is a
character class, on random text where it reads a whole string.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import replace
from typing import Any

import pytest

from textmend import layers, lostbytes
from textmend.charclass import (
    HAN,
    LATIN,
    NATURAL,
    NO_SCRIPT,
    char_cost,
    cjk_prose_char,
    script_of,
)
from textmend.inference import DocumentChars, DocumentHabits
from textmend.tracked import Edit, TrackedLine

# (The package's ``repair`` is the function; the module is imported by name.)
repair = importlib.import_module("textmend.repair")
fix = repair.fix


def test_cjk_prose_char_is_a_common_character_of_the_han_class() -> None:
    pattern = cjk_prose_char()
    wrong = [
        code
        for code in range(0x110000)
        if (pattern.match(chr(code)) is not None)
        != (script_of(chr(code)) == HAN and char_cost(chr(code)) <= NATURAL)
    ]
    assert wrong == []


def test_a_copied_line_is_repaired_apart_from_its_source() -> None:
    source = TrackedLine("CafÃ© and Indiaâ€™s")
    source.apply([Edit(0, 5, "Café", "utf-8 read as cp1252")])
    copy = TrackedLine.of_pieces(tuple(source.pieces))
    assert (copy.text, copy.original) == (source.text, source.original)
    copy.apply([Edit(14, 17, "’", "utf-8 read as cp1252")])
    assert source.text == "Café and Indiaâ€™s"
    assert copy.findings(1)[0] == source.findings(1)[0]
    assert len(copy.findings(1)) == 2


def test_repeated_lines_are_repaired_as_each_line_alone() -> None:
    # Judgements.lossless_passes answers a line it has seen with the same layers from
    # memory; every copy must carry the findings the line gets on its own.
    lines = ["Indiaâ€™s NDTV said Ã©tÃ© Ã  Paris\n", "ÐŸÑ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€\n", "plain\n"]
    alone = [fix(line) for line in lines]
    document = fix("".join(lines * 3))
    assert document.text == "".join(result.text for result in alone) * 3
    expected = [
        replace(finding, line=copy * len(lines) + index + 1)
        for copy in range(3)
        for index, result in enumerate(alone)
        for finding in result.findings
    ]
    assert document.findings == expected


def outside_frequent_rows_one_by_one(fixed: str, encoded: str) -> int:
    frequent = repair.FREQUENT_LEAD_BYTES.get(encoded)
    if frequent is None:
        return 0
    return sum(
        1
        for char in fixed
        if not (char.isascii() or script_of(char) != HAN or repair._KANA.match(char))
        and char.encode(encoded)[0] not in frequent
    )


def test_outside_frequent_rows_as_counted_one_by_one() -> None:
    rng = random.Random(6)
    for encoded in repair.FREQUENT_LEAD_BYTES:
        # Characters of the encoding itself: every pair of its bytes that decodes.
        chars = [
            char
            for lead in range(0x81, 0xFF, 3)
            for trail in range(0x40, 0xFF, 7)
            if len(char := bytes((lead, trail)).decode(encoded, "ignore")) == 1
        ] + list("abc 1,。")
        for _ in range(300):
            fixed = "".join(rng.choice(chars) for _ in range(rng.randrange(20)))
            assert repair._outside_frequent_rows(
                fixed, encoded
            ) == outside_frequent_rows_one_by_one(fixed, encoded)


def test_scripts_fit_reads_the_scripts_of_the_whole_line() -> None:
    rng = random.Random(8)
    chars = [*"aZ é Ж ω 中 あ 한 ש ع ก ۷ 1 ,", "\U00020000"]
    for _ in range(20000):
        line = "".join(rng.choice(chars) for _ in range(rng.randrange(10)))
        fixed = "".join(rng.choice(chars) for _ in range(rng.randrange(4)))
        new = {script_of(char) for char in fixed if char.isalnum()} - {NO_SCRIPT, LATIN}
        expected = (
            not new
            or new <= {script_of(char) for char in line if not char.isascii()}
            or all(sum(script_of(char) == script for char in fixed) >= 2 for script in new)
        )
        assert repair._scripts_fit(line, fixed) == expected


def test_has_cjk_prose_as_tested_character_by_character() -> None:
    rng = random.Random(9)
    chars = [*"a é Ж 中 日 あ ｱ ﾂ 縺 鈥 한 ", "\U00020000", "\u3400"]
    for _ in range(20000):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(8)))
        expected = any(script_of(char) == HAN and char_cost(char) <= NATURAL for char in text)
        assert repair._has_cjk_prose(text) == expected


def layer_named(name: str) -> layers.Layer:
    return next(layer for layer in repair.LAYERS if layer.name == name)


def test_gb18030_reads_what_gbk_writes_as_gbk_does() -> None:
    # best_layer_edits skips GB18030 on a line GBK writes whole, having read it as GBK:
    # the premise is that the two layers then make the very same candidates.
    gbk, gb18030 = (layer_named(name) for name in ("utf-8 read as gbk", "utf-8 read as gb18030"))
    assert layers.narrower_twin(gb18030) is gbk
    assert [layer.name for layer in repair.LAYERS if layers.narrower_twin(layer)] == [gb18030.name]
    rng = random.Random(12)
    words = ["India’s", "“are", "friends”", "—", "你好", "中文新聞", "ｱﾂ", "Ж", "é", "a", "1990"]
    seen = 0
    for _ in range(600):
        clean = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 9)))
        line = clean.encode("utf-8").decode("gbk", rng.choice(["replace", "ignore"]))
        if not layers.writes_all_high(gbk, line):
            continue
        seen += 1
        for proven in (False, True):
            made = [
                [
                    (c.start, c.end, c.fixed, c.gain)
                    for c in repair.layer_candidates(line, layer, proven=proven)
                ]
                for layer in (gbk, gb18030)
            ]
            assert made[0] == made[1], line
    assert seen > 300


def test_only_layers_with_a_mark_to_read_are_asked_about_lost_bytes() -> None:
    # inference_edits asks a single-byte layer only on a line with U+FFFD or "?": without
    # them, _wildcard_edits reads nothing, proven layer or not.
    habits = DocumentHabits.of("")
    habits.written = DocumentChars("")
    rng = random.Random(13)
    chars = [*"aé Ã©â€™ Ð¼ ¤ ÄãºÃ ,.!"]
    single = [layer for layer in repair.LAYERS if layer.utf8 and layer.single_byte]
    for _ in range(300):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(1, 30)))
        for layer in single:
            for proven in (False, True):
                assert lostbytes._wildcard_edits(text, layer, habits, proven=proven) == []


def test_a_line_ftfy_reads_but_for_its_lost_bytes_is_not_read_as_legacy_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # English read as cp1252 with its closing quotes lost (” -> â€�): ftfy reads the rest
    # of the line convincingly, so in the first round the legacy layers the screen chose
    # (GBK, Shift_JIS or cp1251 text read as cp1252) are not asked about it; the lost
    # quotes are the inference pass's.
    line = (
        "Officials said the talks were “constructive” and would continue. India’s "
        "delegation — led by the foreign secretary — arrived late on Monday.\n"
    )
    damaged = line.encode("utf-8").decode("cp1252", "replace")
    assert "\ufffd" in damaged
    rounds: list[list[str]] = []
    making, judging = repair.layer_candidates, repair.best_layer_edits

    def recording(text: str, layer: layers.Layer, **options: Any) -> Any:
        rounds[-1].append(layer.name)
        return making(text, layer, **options)

    def new_round(*arguments: Any, **options: Any) -> Any:
        rounds.append([])
        return judging(*arguments, **options)

    monkeypatch.setattr(repair, "layer_candidates", recording)
    monkeypatch.setattr(repair, "best_layer_edits", new_round)
    chosen = repair._select_lines(damaged, [damaged], repair.screen(damaged))[0]
    legacy = {layer.name for layer in repair.LAYERS if not layer.utf8}
    assert legacy & {layer.name for layer in chosen}, "the screen chose legacy layers"
    tracked = repair.TrackedLine(damaged)
    repair._lossless_passes(tracked, chosen, ftfy_may_help=True)
    assert "â€™" not in tracked.text and "India’s" in tracked.text
    assert len(rounds) >= 2  # a first round, and a second on the repaired line
    assert not legacy & set(rounds[0])
