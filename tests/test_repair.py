"""The repair engine on issue 3's damage table, on clean text, and its invariants."""

from __future__ import annotations

import random
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

import textmend
from textmend.charclass import misordered_thai, typical_letters
from textmend.layers import LAYERS
from textmend.lostbytes import (
    _cased_as_word,
    _dropped_byte_places,
    _dropped_place,
    _nbsp_edits,
    _undefined_by,
    ends_a_written_word,
)
from textmend.repair import (
    FEW_LAYERS,
    _misread_shapes,
    _repaired_prefix,
    _whole_line_utf8,
    best_layer_edits,
    fix,
)
from textmend.tracked import Edit, TrackedLine

TABLE = tomllib.loads((Path(__file__).parent / "data" / "repair_table.toml").read_text("utf-8"))


@pytest.mark.parametrize("case", TABLE["case"], ids=[case["name"] for case in TABLE["case"]])
def test_damage_table(case: dict[str, object]) -> None:
    result = fix(str(case["damaged"]))
    assert result.text == case["repaired"]
    if case["damaged"] == case["repaired"]:
        assert not result.findings, "clean text has nothing to report"
    else:
        assert result.findings, "every change must be reported"
    inferred = any(finding.inferred for finding in result.findings)
    assert inferred == bool(case.get("inferred", False))
    # `followed`: some lossless readings rest on the document's other lines (a lone word
    # read the way the rest was read), below a line's own proof and above any guess.
    followed = any(not f.inferred and f.confidence < 0.9 for f in result.findings)
    assert followed == bool(case.get("followed", False))
    for finding in result.findings:
        if finding.inferred:
            assert finding.confidence < 0.9
        else:
            assert finding.confidence >= (0.85 if followed else 0.9)


@pytest.mark.parametrize("text", [entry["text"] for entry in TABLE["clean"]])
def test_clean_text_is_left_alone(text: str) -> None:
    assert textmend.repair(text) == text
    assert textmend.detect(text) == []


@pytest.mark.parametrize("case", TABLE["case"], ids=[case["name"] for case in TABLE["case"]])
def test_repair_is_idempotent(case: dict[str, object]) -> None:
    once = textmend.repair(str(case["damaged"]))
    assert textmend.repair(once) == once


def test_findings_point_at_the_input() -> None:
    text = "first line\nIndia鈥檚 NDTV and 鈥渁re\n"
    findings = textmend.detect(text)
    assert [(f.line, f.column, f.original, f.replacement) for f in findings] == [
        (2, 6, "鈥檚", "’s"),
        (2, 18, "鈥渁", "“a"),
    ]
    for finding in findings:
        line = text.splitlines()[finding.line - 1]
        assert line[finding.column - 1 :].startswith(finding.original)
        assert finding.kind == "utf-8 read as gbk"


def test_two_layers_are_named_as_a_chain() -> None:
    (finding,) = textmend.detect("Indiaéˆ¥æªš")
    assert finding.kind == "utf-8 read as gbk, then utf-8 read as cp1252"
    assert finding.original == "éˆ¥æªš"


def test_only_damaged_part_is_repaired() -> None:
    text = "Clean “quotes” — here.\nDamaged India鈥檚 there; 你好 stays.\n"
    assert textmend.repair(text) == "Clean “quotes” — here.\nDamaged India’s there; 你好 stays.\n"


def test_control_characters_removed_and_reported() -> None:
    result = fix("a\x00b\x07c\tok\n")
    assert result.text == "abc\tok\n"
    assert {f.kind for f in result.findings} == {"control character"}


def test_nfc() -> None:
    assert textmend.repair("cafe\u0301") == "café"


def test_strict_refuses_inferred_characters() -> None:
    text = "WASHINGTON 鈥 U.S. and India鈥檚"
    strict = fix(text, allow_inferred=False)
    assert strict.text == "WASHINGTON 鈥 U.S. and India’s"
    assert not any(f.inferred for f in strict.findings)


@pytest.mark.parametrize(
    "text", ["这是一个鈥，字。", "The character 鈥 (U+9225) is rare.", "WASHINGTON 鈥 U.S."]
)
def test_lone_rare_character_without_evidence_is_not_touched(text: str) -> None:
    # 鈥 is a real (rare) character; a dropped byte is only inferred when the document
    # shows the same damage elsewhere.
    assert textmend.repair(text) == text


def test_screen_tables_match_their_patterns() -> None:
    """The screen looks control characters and marks up in the text's set of characters;
    the sets must hold exactly what the patterns that later find them match."""
    from textmend.repair import _CONTROL, _CONTROL_CHARS, _MARK_CHARS, _MARKS

    for code in [*range(0x30000), 0x10FFFF]:
        char = chr(code)
        assert (char in _CONTROL_CHARS) == bool(_CONTROL.match(char)), hex(code)
        assert (char in _MARK_CHARS) == bool(_MARKS.match(char)), hex(code)


def test_mark_positions_are_the_marks() -> None:
    import random

    from textmend.lostbytes import MARK, mark_positions

    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice("a?\ufffd 中") for _ in range(rng.randint(0, 20)))
        assert mark_positions(text) == [mark.start() for mark in MARK.finditer(text)], text


def test_outside_is_every_character_no_span_covers() -> None:
    import random

    from textmend.repair import _outside

    rng = random.Random(4)
    for _ in range(500):
        text = "".join(rng.choice("ab中文") for _ in range(rng.randint(0, 20)))
        spans = []
        for _ in range(rng.randint(0, 4)):
            start = rng.randint(0, len(text))
            spans.append((start, rng.randint(start, len(text))))
        covered = {index for start, end in spans for index in range(start, end)}
        expected = "".join(char for index, char in enumerate(text) if index not in covered)
        assert _outside(text, spans) == expected, (text, spans)


def test_shared_legacy_verdicts_are_the_layers_own() -> None:
    """One document's Judgements give each layer the candidates it finds on its own, also
    when the verdicts come from the tables (a line judged again in a later round or look)."""
    from textmend.layers import LAYERS
    from textmend.repair import Judgements, layer_candidates

    line = "Ïðèâåò, ìèð! Êàê äåëà ó òåáÿ ñåãîäíÿ? Ñïàñèáî, õîðîøî.\n"
    judged = Judgements()
    found = 0
    for layer in LAYERS:
        alone = layer_candidates(line, layer)
        assert layer_candidates(line, layer, judged=judged) == alone
        assert layer_candidates(line, layer, judged=judged) == alone
        found += len(alone)
    assert found, "the line must be legacy damage some layer repairs"


def test_screen_of_mostly_ascii_text_compares_like_every_character() -> None:
    """The screen builds its set from the non-ASCII characters of mostly-ASCII text: each
    comparison it makes must answer as the set of every character would."""
    import random

    from textmend.layers import FTFY_START_CHARS, LAYERS
    from textmend.repair import _CONTROL_CHARS, _MARK_CHARS, _distinct_chars

    sets = [
        _MARK_CHARS,
        FTFY_START_CHARS,
        *(layer.start_chars for layer in LAYERS),
        *(layer.punctuation_leads | layer.continuing_chars for layer in LAYERS),
    ]
    pool = "abc de\t\n\x01\x1b\x7f’é中Ã©\ufeff\x85\u0412–ø"
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 30)))
        text += "plain ascii text " * rng.randint(0, 4)
        distinct, ascii_controls = _distinct_chars(text)
        every = frozenset(text)
        assert (ascii_controls or not distinct.isdisjoint(_CONTROL_CHARS)) == (
            not every.isdisjoint(_CONTROL_CHARS)
        ), text
        for chars in sets:
            assert distinct.isdisjoint(chars) == every.isdisjoint(chars), text


def test_legacy_readings_hold_no_more_high_characters_than_their_segment() -> None:
    """Judgements skip segments with fewer than two non-ASCII characters for the layers
    where a reading cannot have more non-ASCII characters than its segment."""
    import random

    from textmend.layers import LAYERS
    from textmend.repair import _count_high, _high_chars_bound_reading, _proven_legacy_reading

    rng = random.Random(6)
    checked = 0
    for layer in LAYERS:
        if layer.utf8 or not _high_chars_bound_reading(layer):
            continue
        high = [char for char in layer.repertoire if char != "\ufffd"]
        for _ in range(300):
            segment = "".join(
                rng.choice(high) if rng.random() < 0.5 else chr(rng.randint(0x20, 0x7E))
                for _ in range(rng.randint(1, 12))
            )
            fixed = _proven_legacy_reading(segment, layer)
            if fixed is not None:
                assert _count_high(fixed) <= _count_high(segment), (layer.name, segment)
                checked += 1
    assert checked


def test_no_character_is_both_upper_and_lower_case() -> None:
    """_upper_share counts the cased letters as the upper ones plus the lower ones."""
    import sys

    assert not [
        code for code in range(sys.maxunicode + 1) if chr(code).isupper() and chr(code).islower()
    ]


def test_clean_accented_lines_do_not_hide_a_damaged_one() -> None:
    """Lines that ftfy's start characters alone select (Café) end the repair early only
    when no layer's trigger fires and ftfy finds nothing bad: a damaged line among them is
    still repaired, whether ftfy's badness sees it (cafÃ©) or only a layer does (NГ©hГЎny:
    UTF-8 read as cp1251)."""
    clean = "Café owners said “business” was slow — for now.\n"
    assert fix(clean * 3).text == clean * 3
    assert fix(clean * 3).findings == []
    for damaged, repaired in (
        ("The cafÃ© reopened.\n", "The café reopened.\n"),
        ("NГ©hГЎny nap.\n", "Néhány nap.\n"),
    ):
        result = fix(clean + damaged + clean)
        assert result.text == clean + repaired + clean
        assert {finding.line for finding in result.findings} == {2}


@pytest.mark.parametrize("codec", ["gbk", "cp1251"])
@pytest.mark.parametrize("few", [True, False])
def test_layer_heads_are_found_late_in_a_long_line(codec: str, few: bool) -> None:
    """best_layer_edits asks whether a line holds any of a layer's trigger heads either by
    walking the line itself (few layers: it stops at the first head) or a set of its
    characters (many layers): damage at the end of a long clean line must be repaired as
    it is on its own, both ways."""
    layers = tuple(layer for layer in LAYERS if layer.name == f"utf-8 read as {codec}")
    if not few:
        layers = LAYERS
    assert (len(layers) <= FEW_LAYERS) == few
    damaged = "Привет, как дела у тебя сегодня".encode().decode(codec)
    alone, gain = best_layer_edits(damaged, layers)
    assert alone and gain > 0
    prefix = "plain words and markup <br> " * 200
    late, late_gain = best_layer_edits(prefix + damaged, layers)
    assert late_gain == gain
    assert [(e.start - len(prefix), e.end - len(prefix), e.replacement) for e in late] == [
        (e.start, e.end, e.replacement) for e in alone
    ]


def test_habits_sample_is_the_start_of_the_repaired_text() -> None:
    """The document's habits are read from a prefix joined only until it is long enough:
    it must be exactly the whole repaired text cut to that length, wherever the cut falls
    (inside a line, at a line end, past the end) and whichever lines were repaired (a
    repair changes a line's length, which the prefix must follow)."""
    rng = random.Random(5)
    for _ in range(300):
        lines = ["x" * rng.randint(0, 9) + "\n" for _ in range(rng.randint(0, 12))]
        work = {}
        for index in rng.sample(range(len(lines)), k=min(len(lines), rng.randint(0, 4))):
            tracked = TrackedLine(lines[index])
            replacement = "yyy" if rng.random() < 0.5 else ""
            tracked.apply([Edit(0, min(1, len(lines[index])), replacement, "test")])
            work[index] = tracked
        whole = "".join(work[i].text if i in work else line for i, line in enumerate(lines))
        for size in (0, 1, rng.randint(0, 80), len(whole), len(whole) + 3):
            assert _repaired_prefix(lines, work, size) == whole[:size]


@pytest.mark.parametrize(
    ("clean", "codec", "one_for_one"),
    [
        ("Привет, мир! Как дела у тебя сегодня?\n", "gbk", True),
        ("It’s fine, and that’s all there is.\n", "gbk", False),
        ("Ça coûte 5 € et c’est très joli.\n", "cp1252", False),
    ],
)
def test_utf8_candidates_carry_their_gain(clean: str, codec: str, one_for_one: bool) -> None:
    """UTF-8 readings come unweighed from _utf8_candidate_at and are weighed only once a
    verdict needs their gain: every candidate a layer accepts must carry the gain of its
    reading in context, on both paths (readings judged together, one character for one,
    and readings that carry their own proof)."""
    from textmend.repair import Judgements, _cost_in_context, layer_candidates

    line = clean.encode("utf-8").decode(codec)
    (layer,) = [layer for layer in LAYERS if layer.name == f"utf-8 read as {codec}"]
    judged = Judgements()
    candidates = layer_candidates(line, layer, judged=judged)
    assert candidates, "the line must be damage this layer repairs"
    assert all(bool(candidate.crossings) != one_for_one for candidate in candidates)
    for candidate in candidates:
        start, end = candidate.start, candidate.end
        expected = _cost_in_context(line, start, end, line[start:end], judged) - (
            _cost_in_context(line, start, end, candidate.fixed, judged)
        )
        assert candidate.gain == expected > 0, candidate


def test_inference_needs_evidence_marks_or_a_replacement_character() -> None:
    """fix skips the lost-byte inference (and the habits it reads) when _inference_may_act
    says no line can change: without proven damage, marked layers, lost apostrophes or a
    U+FFFD, inference_edits must find nothing on any line. The same lines with a U+FFFD,
    or with the damage proven, must give it something to do, or the test proves nothing."""
    from textmend.inference import DocumentChars, DocumentHabits
    from textmend.lostbytes import inference_edits
    from textmend.repair import Screen, _inference_may_act

    pool = ["caf", "Ã", "©", "â€", "\x9d", "\xa0", "é", "鈥", "檚", "縺", "?", " ", "don", "’", "t"]
    pool += ["Ð", "Ñ", "ÐŸÑ€", "Привет", "中文", "年", "–", "—", "“", "”", '"', "'", ".", "a"]
    no_checks = Screen(False, False, True, False, False, (), ())
    rng = random.Random(6)
    acted = {"U+FFFD": 0, "evidence": 0}
    for _ in range(400):
        line = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) + "\n"
        habits = DocumentHabits.of(line)
        habits.written = DocumentChars(line)
        tracked = TrackedLine(line)
        assert not _inference_may_act({0: tracked}, set(), no_checks)
        assert inference_edits(tracked, set(), habits, (), False) == [], line
        marked = "That\ufffd\ufffd\ufffds " + line  # a 3-byte ’ read as Big5, then lost
        tracked = TrackedLine(marked)
        assert _inference_may_act({0: tracked}, set(), no_checks)
        acted["U+FFFD"] += bool(inference_edits(tracked, set(), habits, (), False))
        acted["evidence"] += bool(
            inference_edits(TrackedLine(line), {"utf-8 read as cp1252"}, habits, (), False)
        )
    assert all(acted.values()), acted


@pytest.mark.parametrize(
    ("text", "start", "end", "written"),
    [
        ("Чи можна зібрати всі кортежі?", 26, 28, True),  # жі before a question mark
        ("Які?", 1, 3, True),
        ("Indiaâ€?s", 5, 7, False),  # € is no letter
        ("Indiaâ??s", 5, 6, False),  # more marks, then the rest of the word
        ("Das kostet 25 â?¬.", 14, 15, False),  # the mark stands inside E2 ?? AC
        ("He said вЂ? and left", 8, 10, False),  # lower then upper inside one word
        ("WASHINGTON 鈥? U.S.", 11, 12, False),  # ideographs are not such words
    ],
)
def test_a_question_mark_after_a_written_word_is_no_lost_byte(
    text: str, start: int, end: int, written: bool
) -> None:
    assert ends_a_written_word(text, start, end) is written


def test_letters_of_latin_orthographies_are_latin_letters() -> None:
    # Azerbaijani ə, the African open vowels, Uzbek ʻ: written text, not phonetic symbols.
    from textmend.charclass import LATIN, ORTHOGRAPHIC_LETTERS, RARE, char_cost, script_of

    for char in ORTHOGRAPHIC_LETTERS:
        assert char.isalpha(), char
        assert script_of(char) == LATIN, char
        assert char_cost(char) < RARE, char


def test_terminal_escape_sequences_go_whole() -> None:
    from textmend.repair import TERMINAL_ESCAPE_KIND, fix

    repaired = fix("\x1b[1mBold\x1b[0m and \x1b[31;1mred\x1b[m, a lone \x1b stays out.\n")
    assert repaired.text == "Bold and red, a lone  stays out.\n"
    kinds = [finding.kind for finding in repaired.findings]
    assert kinds == [TERMINAL_ESCAPE_KIND] * 4 + ["control character"]


def test_the_scripts_of_living_languages_are_scripts_of_their_own() -> None:
    """Letters and marks of each script block have that block's script and (but for
    SCRIPTS_KEPT_RARE) cost no more than NATURAL; punctuation an Indic script shares (the
    danda) has no script, so it switches none inside a word."""
    from textmend.charclass import (
        NATURAL,
        NO_SCRIPT,
        OTHER_SCRIPTS,
        SCRIPTS_KEPT_RARE,
        char_cost,
        script_of,
    )

    words = {
        "Armenian": "Բարեւ",
        "Thaana": "ދިވެހި",
        "Devanagari": "हिन्दी",
        "Bengali": "বাংলা",
        "Kannada": "ಕನ್ನಡ",
        "Sinhala": "සිංහල",
        "Tibetan": "བོད་",
        "Myanmar": "မြန်မာ",
        "Georgian": "ქართული",
        "Ethiopic": "አማርኛ",
        "Khmer": "ខ្មែរ",
    }
    for name, word in words.items():
        letters = [char for char in word if char.isalpha() or unicodedata.category(char)[0] == "M"]
        assert {script_of(char) for char in letters} == {OTHER_SCRIPTS[name]}, name
        assert all(char_cost(char) <= NATURAL for char in word), name
    assert len(set(OTHER_SCRIPTS.values())) == len(OTHER_SCRIPTS)
    assert script_of("।") == NO_SCRIPT
    assert script_of("ລ") == OTHER_SCRIPTS["Lao"] and "Lao" in SCRIPTS_KEPT_RARE


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        # Kannada and Armenian UTF-8 read as cp1251: Cyrillic letters and symbols, no
        # script switch inside a word, yet each word reads back as a word of one script.
        ("ಕನ್ನಡ ಪಠ್ಯ".encode().decode("cp1251"), "ಕನ್ನಡ ಪಠ್ಯ"),
        ("Բարեւ ձեզ".encode().decode("cp1251"), "Բարեւ ձեզ"),
        # Decomposed Portuguese (o + U+0303) read as GBK and as cp1251 comes back composed.
        ("Sa\u0303o Joa\u0303o".encode().decode("gbk"), "São João"),
        ("Sa\u0303o Joa\u0303o".encode().decode("cp1251"), "São João"),
    ],
)
def test_readings_into_other_scripts_and_decomposed_accents(damaged: str, expected: str) -> None:
    from textmend.repair import fix

    assert fix(damaged).text == expected


def test_a_legacy_reading_that_starts_a_word_with_a_mark_is_not_believed() -> None:
    """Uzbek cp1251 read as cp1252 also reads as Hebrew cp1255 whose first word starts with
    a point (ְדאנ) and whose ¢ splits off a short listed Hebrew word: not a repair. (Its
    Cyrillic reading spells no listed word, but its words without an ASCII letter are the
    damage's own evidence: see _unlisted_language.) Legacy Thai, whose vowel signs and
    tone marks sit on its consonants, still is one."""
    from textmend.repair import fix

    written = "Агар TRUE бўлса тафсилотлар кўрсатилади"
    assert fix(written.encode("cp1251").decode("cp1252")).text == written
    thai = "ภาษาไทยเป็นภาษาที่สวยงามมาก"
    assert fix(thai.encode("cp874").decode("cp1252")).text == thai


def test_a_lone_letter_follows_the_document_only_where_it_holds_no_cjk_text() -> None:
    """Italian è read as GBK is one ideograph, 猫. On a line of its own it stays (clean
    Italian can cite the character); in a document whose next line is the same damage it
    is read the same way, with less confidence than a reading proven on its own line.
    A line of Chinese elsewhere in the document is CJK text of its own: then no lone
    ideograph is read as a letter."""
    lone = "Il governo non è d'accordo.\n".encode().decode("gbk")
    assert fix(lone).text == lone
    proven = "La città è più sicura di un anno fa.\n".encode().decode("gbk")
    repaired = fix(lone + proven)
    assert repaired.text == "Il governo non è d'accordo.\nLa città è più sicura di un anno fa.\n"
    (first, *_) = repaired.findings
    assert (first.line, first.original, first.replacement) == (1, "猫", "è")
    assert first.kind == "utf-8 read as gbk" and first.confidence < 0.99
    chinese = "中文新闻报道。\n"
    assert fix(lone + proven + chinese).text.startswith(lone + "La città è più")


def test_a_lone_sign_follows_the_document_when_its_proof_line_also_lost_a_byte() -> None:
    """Read as Shift_JIS with replacement, the proof line's città lost a byte (cittﾃ�):
    once its letters are read, the only CJK left on it is that sequence cut short, which
    the inference pass reads. It is no CJK text of the document's own, so the first line's
    lone ﾂｷ (a middle dot, which no word around it can prove) still follows the document's
    reading. (A lone one-letter word, ﾃｨ, is read on its own line's evidence: see
    repair._lone_foreign_word.)"""
    clean = "Roma · 25 gennaio\nLa città è più sicura di un anno fa.\n"
    damaged = clean.encode().decode("shift_jis", "replace")
    assert "ﾃ\ufffd" in damaged
    repaired = fix(damaged)
    assert repaired.text == clean
    (first, *_) = repaired.findings
    assert (first.line, first.original, first.replacement) == (1, "ﾂｷ", "·")
    assert first.confidence < 0.99


@pytest.mark.parametrize(
    ("word", "shapes"),
    [
        ("ministÚre", 1),  # a capital after a small letter
        ("ministère", 0),
        ("вжОк-вжОк", 2),
        ("בעבךית", 1),  # a letter after a final form
        ("בעברית", 0),
        ("\u05f9וב", 1),  # no character has this code point
        ("Über", 0),
        ("ÚLTIMAS", 0),
        ("КП", 0),
        ("McDonald", 1),  # names have it too: the two readings' counts are compared
    ],
)
def test_misread_shapes(word: str, shapes: int) -> None:
    assert _misread_shapes(word) == shapes


def test_a_document_follows_a_sibling_code_page_unless_a_word_takes_ftfys() -> None:
    """Once a line proves Latin-9 (býr, not bÜr), a line too close to call follows it
    (Straþe); a word that only cp1252 reads without a misread shape (ÚLTIMAS, not èLTIMAS)
    shows the document is not all Latin-9, and nothing follows."""
    followed = fix("Hann bÃœr hér.\nÃŸað var kalt.")
    assert followed.text == "Hann býr hér.\nþað var kalt."
    assert {finding.kind for finding in followed.findings} == {"utf-8 read as iso8859-15"}
    mixed = fix("Hann bÃœr hér.\nÃšLTIMAS NOTICIAS\nStraÃŸe")
    assert mixed.text == "Hann býr hér.\nÚLTIMAS NOTICIAS\nStraße"


_CP1252 = next(layer for layer in LAYERS if layer.name == "utf-8 read as cp1252")


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("hÃ i", ["à"]),  # inside a word the space was the 0xA0 byte
        ("Ã bien", ["à "]),  # before a plain word it was a space
        ("Å ebest a šťastný", ["Š "]),  # a capital whose small form the line writes
        ("È stato", []),  # Ƞ: no language writes it, and È is a word
        ("CAFÉ DE FLORE", []),  # ɠ
        ("PÅ HOTELLET", []),  # Š, where the line writes no š (Danish på in capitals)
        ("IRMÃ SAIU", []),  # à glued to a capital (Portuguese irmã in capitals)
    ],
)
def test_a_lost_no_break_space_is_read_only_after_a_damaged_lead(
    line: str, read: list[str]
) -> None:
    assert [edit.replacement for edit in _nbsp_edits(TrackedLine(line), _CP1252)] == read


def test_a_letter_a_repair_produced_is_no_lead_of_a_lost_no_break_space() -> None:
    """``Ãˆ stato`` is È stato: the È a first repair made must not be read again as a
    lead byte whose no-break space was lost (Ƞ, C8 A0)."""
    tracked = TrackedLine("Ãˆ stato")
    tracked.apply([Edit(0, 2, "È", _CP1252.name, 0.99)])
    assert tracked.text == "È stato"
    assert _nbsp_edits(tracked, _CP1252) == []


@pytest.mark.parametrize(
    ("line", "whole"),
    [
        # UTF-8 read as cp1252 (with a byte cp1252 leaves undefined, Ð\x9d) and as Latin-1.
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚, Ð\x9dÐ¸ÐºÐ¾Ð»Ð°Ð¹", True),
        ("cafÃ© Ã\xa0 la crÃ¨me", True),
        # UTF-8 read as GBK, then as cp1252: the outer layer's bytes are UTF-8 too.
        ("Indiaéˆ¥æªš Trumpéˆ¥æªš", True),
        # Too few continuation bytes to prove anything, a lost byte, or bytes that are no UTF-8:
        # GBK, cp1251 and Thai text read as cp1252, clean Latin-1, characters no Western
        # code page writes.
        ("cafÃ© Ã\xa0 la", False),
        ("cafÃ© Ã\xa0 la crÃ¨me brÃ\ufffd", False),
        ("ÄãºÃ£¬ÊÀ½ç", False),
        ("Ïðèâåò, ìèð", False),
        ("ÃÒ¤Ò¹éÓÁÑ¹»ÃÑº", False),
        ("café à la crème", False),
        ("cafÃ© Ã\xa0 la crÃ¨me 你好", False),
    ],
)
def test_a_line_whose_bytes_are_utf8_through_a_western_code_page(line: str, whole: bool) -> None:
    """Such a line is UTF-8 read as cp1252 or Latin-1, once or more, and legacy readings of
    it are not tried (see repair._whole_line_utf8)."""
    assert _whole_line_utf8(line) == whole


@pytest.mark.parametrize(
    ("text", "misordered"),
    [
        ("ราคาน้ำมันปรับขึ้นอีกครั้งในสัปดาห์นี้", False),
        ("เด็กๆ ชอบกินขนมหวาน", False),
        ("สิทธิ์ของผู้บริโภค", False),  # a sign on the vowel above its consonant
        ("Price: 40 บาท", False),
        ("no Thai at all", False),
        ("ีก", True),  # a vowel above no consonant
        ("กีั", True),  # two vowels above one consonant
        ("เีก", True),  # a leading vowel before a vowel sign
        ("๕ขแีัข", True),  # cp850 mojibake of Chinese read as TIS-620
        ("กเ", True),  # a leading vowel at the end
    ],
)
def test_misordered_thai(text: str, misordered: bool) -> None:
    assert misordered_thai(text) == misordered


@pytest.mark.parametrize(
    ("text", "typical"),
    [
        ("ตำรวจจับกุมผู้ต้องสงสัยได้ที่สถานีรถไฟ", True),
        ("รถไฟมาช้ามากกกก แต่เราก็ไปถึงสถานีทันเวลา", True),  # chat's lengthening, on a long line
        ("ไปไหนมา", False),  # fewer than ten letters
        # Chinese and Korean bytes read through cp874: rare letters, runs of ก (A1 A1)
        ("\u3000\u3000记:什么专业?".encode("gbk").decode("cp874"), False),
        ("테터툴즈".encode("euc_kr").decode("cp874"), False),  # eight letters
    ],
)
def test_typical_letters(text: str, typical: bool) -> None:
    """A Thai reading weighs as a double-byte decode only when it keeps to the frequent
    letters (see Layer.typical_letters_prove)."""
    assert typical_letters(text, "thai") == typical


def test_the_screen_finds_damage_whose_lead_bytes_are_punctuation() -> None:
    """Mac Roman writes Cyrillic's UTF-8 lead bytes as dashes (see
    Layer.punctuation_lead): the screen keeps its layer for such damage, and not for clean
    text whose dashes and quotes stand beside accented letters only across a space."""
    from textmend.repair import screen

    def layer_names(text: str) -> set[str]:
        return {layer.name for layer in screen(text).layers}

    damaged = "Обычный пустой файл удалён.".encode().decode("mac_roman")
    assert "utf-8 read as mac-roman" in layer_names(damaged)
    assert "utf-8 read as mac-roman" not in layer_names("« Élise » est venue — à l’heure.")
    assert "utf-8 read as mac-roman" not in layer_names("The 2010–2020 decade — “fine”.")


def test_letters_read_losslessly_are_masked_where_runs_of_lost_bytes_are_found() -> None:
    """A UTF-8 reading's letters are settled text (see lostbytes._readings_masked): the
    run of damage after ``mluvÄ�`` must not take in the í read from Ã­, while a piece
    still holding a mark, and text no pass read, stay as they are."""
    from textmend.lostbytes import READ_MASK, _readings_masked

    line = TrackedLine("mluvÄ\ufffdÃ\u00ad a Ã\ufffd")
    assert _readings_masked(line) == line.text  # nothing read yet
    line.apply(
        [Edit(6, 8, "í", "utf-8 read as cp1252"), Edit(11, 13, "\ufffd", "utf-8 read as cp1252")]
    )
    assert line.text == "mluvÄ\ufffdí a \ufffd"
    assert _readings_masked(line) == f"mluvÄ\ufffd{READ_MASK} a \ufffd"
    line.apply([Edit(0, 1, "M", "control character")])
    assert _readings_masked(line) == f"MluvÄ\ufffd{READ_MASK} a \ufffd"


@pytest.mark.parametrize(
    ("text", "codec", "utf8"),
    [
        ("Ã©", "cp1252", True),
        ("ÔÇ£", "cp1252", False),  # D4 C7 A3: no UTF-8
        ("ÔÇ£", "mac_roman", False),  # EF 82 A3: UTF-8 of U+F0A3, private use
        ("├⌐", "cp437", True),
    ],
)
def test_utf8_through_takes_only_assigned_characters(text: str, codec: str, utf8: bool) -> None:
    from textmend.repair import _utf8_through

    assert _utf8_through(text, codec) == utf8


@pytest.mark.parametrize(
    ("line", "start", "end", "found"),
    [
        ("ItÔÇÖs", 2, 5, True),  # capitals glued to a small letter (cp850)
        ("IndiaтАЩs", 5, 8, True),  # a capital after a small letter inside the run (cp866)
        (" тАФ ", 1, 4, True),
        ("Привет", 0, 6, False),  # a word's capital at its start
        ("McÉwan", 2, 3, False),  # one capital: a name in camel case
        ("ÉCOLE", 0, 5, False),  # a word in capitals
        ("sÉCOLE", 1, 6, True),
        ("xПриВет", 1, 7, True),
    ],
)
def test_capitals_after_a_small_letter(line: str, start: int, end: int, found: bool) -> None:
    from textmend.repair import _capitals_after_small_letter

    assert _capitals_after_small_letter(line, start, end) == found


def test_whole_words_of_one_script_may_come_from_symbols() -> None:
    """Hebrew UTF-8 read through cp1255 is symbols alone (שלום is ׳©׳œ׳•׳); a Latin letter
    from box drawing (─┐ -> Ŀ) or a lone letter of another script still needs a word."""
    from textmend.repair import _whole_word_of_one_script

    assert _whole_word_of_one_script("שלום")
    assert _whole_word_of_one_script("Мир")
    assert not _whole_word_of_one_script("ש")  # one letter: ×© in clean text is ש
    assert not _whole_word_of_one_script("Ŀa")  # Latin
    assert not _whole_word_of_one_script("שa")  # two scripts
    assert not _whole_word_of_one_script("ש׳")  # a sign


def test_dos_code_pages_do_not_read_after_an_orphan_lead() -> None:
    """cp852 and cp850 do not read a run from its middle: not after a character their code
    page writes on a UTF-8 lead byte, nor after a letter they cannot write that one of
    ftfy's code pages writes on one (Ð of ÐšÂ», cp1252's D0); after ASCII, a lost byte's
    U+FFFD or punctuation an earlier round made (’ before ├¿) they read as before."""
    from textmend.layers import LAYERS
    from textmend.repair import _after_orphan_lead

    cp852, cp850 = (
        next(layer for layer in LAYERS if layer.read_as == name) for name in ("cp852", "cp850")
    )
    line = "oÐšÂ»qituvchi"
    assert _after_orphan_lead(line, line.index("š"), cp852)
    assert not _after_orphan_lead(line, line.index("Ð"), cp852)  # after ASCII
    line = "c’├¿ pi├╣"
    assert not _after_orphan_lead(line, line.index("├"), cp850)
    assert not _after_orphan_lead("\ufffd├®", 1, cp850)
    # ├ is C3 in cp850, a lead byte: what follows it is the rest of its sequence.
    assert _after_orphan_lead("├├®", 1, cp850)


def test_a_dos_code_page_does_not_read_a_word_alone_into_a_symbol() -> None:
    """A word (a capital, then small letters) is often one symbol through cp852 or cp850
    (``Ôôô`` is ⓓ, ``Ôîé`` ⌂): where that is a line's only reading, the line stays; an
    arrow among other readings, or shaped as no word is (``ÔåÆ``), is read."""
    assert textmend.repair("Ôôô, que saudade da minha terra!") == "Ôôô, que saudade da minha terra!"
    assert not textmend.repair("Ôîéäàëàíèëàäèãàí X-ýêðàíè").startswith("⌂")
    assert textmend.repair("ÔåÆ http://example.com/") == "→ http://example.com/"


CP1252_LAYER = next(layer for layer in LAYERS if layer.name == "utf-8 read as cp1252")


@pytest.mark.parametrize(
    ("clean", "places"),
    [
        ("пустой", [(5,)]),  # Ð¿ÑƒÑÑ‚…: с (D1 81) lost 81, so the mark goes after the lone Ñ
        ("い", [(1,)]),  # E3 81 84 loses 81: the mark goes after the lead, not after 84
        ("friends” and", [(9,)]),  # E2 80 9D loses its last byte
        ("公司", [(4, 5)]),  # å¸: 司 (E5 8F B8) or 帝 (E5 B8 9D), as likely: both are tried
        ("готово, café", []),  # nothing lost
    ],
)
def test_dropped_bytes_are_placed_where_the_sequence_falls_short(
    clean: str, places: list[tuple[int, ...]]
) -> None:
    damaged = clean.encode("utf-8").decode("cp1252", "ignore")
    assert _dropped_byte_places(damaged, CP1252_LAYER) == places


def test_a_dropped_byte_goes_where_its_readings_are_likelier() -> None:
    undefined = _undefined_by("cp1252")
    assert undefined == (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    assert _dropped_place(bytes((0xE3, 0x84)), undefined) == (1,)  # い, not Bopomofo
    assert _dropped_place(bytes((0xE2, 0x80)), undefined) == (2,)  # ” (E2 80 9D)
    assert _undefined_by("latin_1") == ()  # Latin-1 drops nothing


@pytest.mark.parametrize(
    ("choices", "before", "after", "kept"),
    [
        (["Ł", "ş", "š"], "aizvieto", "anas", ["ş", "š"]),  # after a small letter: no capital
        (["Ł", "Ş"], "Belediyesi ", "ehir", ["Ł", "Ş"]),  # a word's first letter may be a capital
        (["Ł", "Ş"], "BAŞK", "", ["Ł", "Ş"]),  # after a capital, at the line's end
        (["č", "Đ", "ā"], "(Q", "ERTY)", ["Đ"]),  # between capitals: no small letter
        (["č", "Đ"], "Q", " key", ["č", "Đ"]),  # a capital, then a space: either
        (["Ł"], "dro", "", []),  # nothing left: the mark stays
    ],
)
def test_a_lost_letter_is_cased_as_its_word(
    choices: list[str], before: str, after: str, kept: list[str]
) -> None:
    assert _cased_as_word(choices, before, after) == kept


def test_no_sign_guessed_for_a_lost_letter_before_its_vowel_sign() -> None:
    """Thaana writes a vowel sign (a combining mark) after each consonant: read as Big5,
    every consonant was lost and the signs named the line's script. Without them, the only
    readings of a lost consonant were signs of no script, and each became a no-break space."""
    text = "ދިވެހި ބަހުން ލިޔުނު ފައިލް ހުޅުވޭކަށް ނެތް."
    repaired = fix(text.encode("utf-8").decode("big5", "replace")).text
    assert "\xa0" not in repaired


def test_a_lost_letter_after_the_greek_question_mark_is_a_capital() -> None:
    """Greek writes its question mark as ";": the word after it starts a sentence. Ν (CE 9D)
    read as Big5 lost both bytes, and the lost letter, taken for one inside a sentence, was
    the small σ (σαι)."""
    text = "Ώρα για καφέ; Ναι, αλλά όχι πριν από τις 9:00."
    repaired = fix(text.encode("utf-8").decode("big5", "replace")).text
    after = repaired.split("; ", 1)[1]
    assert after[0].isupper()


# A Japanese paragraph written for this test: UTF-8 read as cp1252 with its undefined bytes
# (81 8D 8F 90 9D) lost, as in a Japanese page saved by a Western tool.
JAPANESE_WITH_LOST_BYTES = (
    "今年の夏は、友達と一緒に海へ行きました。朝早く起きて電車に乗り、二時間ほどで着きまし"
    "た。浜辺には家族連れが多く、子供たちが砂で大きなお城を作っていました。私たちは泳いだ"
    "後、近くの食堂で冷たいそばを食べました。夕方になると空が赤く染まり、みんなで写真を撮"
    "りました。帰りの電車では疲れて寝てしまいましたが、とても楽しい一日でした。\n"
    "来年もまた行こうと約束しました。次は山にも登ってみたいと思っています。\n"
)


def test_no_reading_starts_inside_a_sequence_a_lost_byte_cut() -> None:
    """A sequence of the line's cp1252 damage that a lost byte cut short (``ã�`` of た,
    E3 81 9F) still owns the bytes after it. ftfy's stretch step and the other code pages'
    layers read from one of them (cp1257 ``ŠæŠ‘`` as пБ, cp1256 as Arabic letters), and
    left the rest of the run as mojibake."""
    repaired = fix(JAPANESE_WITH_LOST_BYTES.encode("utf-8").decode("cp1252", "replace")).text
    for sentence in (
        "子供たちが砂で大きなお城を作っていました。私たちは泳いだ後、近くの食堂で冷たいそば",
        "疲れて寝てしまいましたが、とても楽しい一日でした。",
        "来年もまた行こうと約束しました。次は山にも登ってみたいと思っています。",
    ):
        assert sentence in repaired
    assert not re.search("[\u00c0-\u024f\u0400-\u06ff]", repaired)


def test_a_stretch_read_from_inside_a_sequence_is_not_ftfys_reading() -> None:
    """``ã‚ŠæŠ‘`` is り抑 (E3 82 8A E6 8A 91); after a run whose bytes were lost, ftfy's
    stretch step started at ``Š`` and read ``ŠæŠ‘`` through cp1257 as пБ."""
    damaged = "今年のモデルはかなり抑えられています。".encode().decode("cp1252", "replace")
    assert fix(damaged).text == "今年のモデルはかなり抑えられています。"


def test_a_lost_fullwidth_mark_before_a_space_ends_the_sentence() -> None:
    """！ is EF BC 81, and cp1252 has no 81: before a space after a Japanese word it is the
    sentence's end (its other candidates －／０＝ are not)."""
    damaged = "今日は晴れです！ 明日は雨？".encode().decode("cp1252", "replace")
    assert fix(damaged).text == "今日は晴れです！ 明日は雨？"
