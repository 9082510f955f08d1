"""Shortcuts the repair takes for speed give exactly the answers of the plain way.

* ``text_cost`` weighs long ASCII stretches at once; its character loop alone (a stretch
  pattern that never matches) is the reference.
* ``charclass.HAN_CHAR`` (a regex built from the script table) matches exactly the
  characters ``script_of`` calls HAN, checked on every code point.
* ``lexicon._letters_by_script`` counts ASCII letters at once; a count letter by letter,
  in the order the scripts first appear, is the reference.
* ``ftfy_edits`` answers ftfy's own recent outputs without asking ftfy again, because they
  are fixed points of ftfy's fix; checked here on mojibake of many codecs, on random
  mixtures of the characters mojibake is made of, and against a fresh call.
* ``inference.open_quote`` reads only the quotation marks of a line, picked out by a
  regex; a loop over every character is the reference.
* ``repair._token_edits`` splits each side once with the gaps captured; separate passes
  for the words and the gaps are the reference.
* ``ftfyfix.is_bad``: see tests/test_badness.py.
* ``repair._damage_in_most_words`` finds the words with two non-ASCII letters in one
  regex pass and counts a line's trigger matches before its words; splitting at white
  space and searching each word is the reference.
* ``repair._utf8_readings`` makes no reading inside a run of one non-Latin alphabet where
  the caller turns down readings of word letters; making them all and dropping those
  is the reference.
"""

from __future__ import annotations

import random
import re

import ftfy
from hypothesis import given, settings
from hypothesis import strategies as st

from textmend.charclass import HAN, HAN_CHAR, LONG_ASCII, _cost, script_of, text_cost
from textmend.ftfyfix import FTFY_CONFIG
from textmend.inference import QUOTE_PAIRS, open_quote
from textmend.layers import LAYERS
from textmend.lexicon import _letters_by_script, script
from textmend.repair import (
    _damage_in_most_words,
    _ftfy_outputs,
    _join_touching,
    _shared_prefix,
    _token_edits,
    _utf8_readings,
    _word_letters,
    ftfy_edits,
)
from textmend.tracked import Edit

NEVER = re.compile("(?!)")

SENTENCES = [
    "India’s delegation — led by the foreign secretary — arrived “late” on Monday.",
    "Café owners said business had been slow; prices rose 5 % to €3, a “rare” step.",
    "Néhány éve a város főterén új szökőkutat építettek.",
    "Привет, как дела? Сегодня в Москве — 21 °C, сказал McDonald.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας· προϊόν.",
    "中文新聞：今天天氣很好。日本語の文章です。한국어 문장입니다.",
    "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.",
]
CODECS = ["cp1252", "latin-1", "cp1251", "cp1250", "mac_roman", "cp1253", "gbk", "shift_jis"]

# Characters that change text_cost's state: letters of every script it knows, signs,
# spaces, controls, ideographs, Greek accents and final sigma, Cyrillic signs.
STATEFUL = list("aZ .\t\x01\x7féÃ©ÏðПрывЬйЩαέϊςΐΆ中文鈥檚あ한אם؟ก\u3000\ufffd😀")
ASCII_PIECE = st.text(alphabet=st.sampled_from(list("abzXYZ ,.-\x01\n")), min_size=LONG_ASCII)
OTHER_PIECE = st.text(alphabet=st.sampled_from(STATEFUL), max_size=6)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(ASCII_PIECE, OTHER_PIECE), max_size=8).map("".join))
def test_text_cost_weighs_ascii_stretches_as_the_loop_does(text: str) -> None:
    assert text_cost(text) == _cost(text, NEVER)


def test_text_cost_stretch_edges() -> None:
    stretch = "Abc defGhi, jkl mno pqr stu vwx"  # a capital first, a capital after a small
    assert len(stretch) >= LONG_ASCII
    before = ["", "é", "Я", "вдр", "中", "中 ", "ς", "ά", "\x01", "x"]
    for left in before:
        for right in ["", "é", "中", "ыы", " 中"]:
            text = left + stretch + right
            assert text_cost(text) == _cost(text, NEVER), text
    assert text_cost("a" * LONG_ASCII + "B") == _cost("a" * LONG_ASCII + "B", NEVER) == 3


def test_han_char_is_the_han_class_of_the_script_table() -> None:
    chars = map(chr, range(0x110000))
    assert [c for c in chars if (HAN_CHAR.match(c) is not None) != (script_of(c) == HAN)] == []


def letters_by_script_one_by_one(text: str) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            counts[script(char)] = counts.get(script(char), 0) + 1
    return list(counts.items())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(ASCII_PIECE, OTHER_PIECE), max_size=8).map("".join))
def test_letters_by_script_as_counted_one_by_one(text: str) -> None:
    # (Compared as lists: the order of the scripts breaks ties in languages_for.)
    assert list(_letters_by_script(text).items()) == letters_by_script_one_by_one(text)


def test_letters_by_script_orders_by_first_letter() -> None:
    for text in ["é then abc", "abc then é", "Привет, mir", "1 2 中文 abc Яя", "", "123 !"]:
        assert list(_letters_by_script(text).items()) == letters_by_script_one_by_one(text)


def damaged_lines() -> list[str]:
    lines = []
    for text in SENTENCES:
        for codec in CODECS:
            once = text.encode("utf-8").decode(codec, errors="replace")
            lines.append(once)
            lines.append(once.encode("utf-8").decode("cp1252", errors="replace"))
    return lines


def test_ftfy_outputs_are_fixed_points() -> None:
    for line in damaged_lines():
        fixed = ftfy.fix_and_explain(line, config=FTFY_CONFIG).text
        assert ftfy.fix_and_explain(fixed, config=FTFY_CONFIG).text == fixed, line


MOJIBAKE_CHARS = sorted(set("".join(damaged_lines())))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(MOJIBAKE_CHARS), max_size=16).map("".join))
def test_ftfy_outputs_are_fixed_points_on_random_mixtures(text: str) -> None:
    fixed = ftfy.fix_and_explain(text, config=FTFY_CONFIG).text
    assert ftfy.fix_and_explain(fixed, config=FTFY_CONFIG).text == fixed


def test_remembered_outputs_answer_as_ftfy_would() -> None:
    rng = random.Random(5)
    lines = damaged_lines()
    rng.shuffle(lines)
    for line in lines:
        _ftfy_outputs.clear()
        edits = ftfy_edits(line)
        if not edits:
            continue
        output = ftfy.fix_and_explain(line, config=FTFY_CONFIG).text
        assert output in _ftfy_outputs
        remembered = ftfy_edits(output)
        _ftfy_outputs.clear()
        assert remembered == ftfy_edits(output) == []


def open_quote_char_by_char(before: str) -> str | None:
    stack: list[str] = []
    for char in before:
        if char not in QUOTE_PAIRS and char not in QUOTE_PAIRS.values() and char != "”":
            continue
        if stack and (char == QUOTE_PAIRS[stack[-1]] or (stack[-1] == "„" and char == "”")):
            stack.pop()
        elif char in QUOTE_PAIRS and char != "’":
            stack.append(char)
    return stack[-1] if stack else None


QUOTE_TEXT = st.text(alphabet=st.sampled_from([*"“”„‘’‚«»‹›「」\"' ab中", "\ufffd"]), max_size=20)


@settings(max_examples=3000, deadline=None)
@given(QUOTE_TEXT)
def test_open_quote_reads_the_marks_as_a_loop_over_every_character_does(before: str) -> None:
    assert open_quote(before) == open_quote_char_by_char(before)


def token_edits_by_four_passes(before: str, after: str) -> list[Edit] | None:
    """The word-by-word diff with the gaps and the words found by separate passes."""
    spacing = re.compile("[ \t\u3000]+")
    old_gaps, new_gaps = spacing.findall(before), spacing.findall(after)
    if len(old_gaps) != len(new_gaps):
        return None
    edits = []
    offset = 0
    for old, new, old_gap, new_gap in zip(
        spacing.split(before), spacing.split(after), [*old_gaps, ""], [*new_gaps, ""], strict=True
    ):
        if old != new:
            head = _shared_prefix(old, new)
            tail = _shared_prefix(old[head:][::-1], new[head:][::-1])
            end = offset + len(old) - tail
            edits.append(Edit(offset + head, end, new[head : len(new) - tail], "k", 1.0))
        offset += len(old)
        if old_gap != new_gap:
            edits.append(Edit(offset, offset + len(old_gap), new_gap, "k", 1.0))
        offset += len(old_gap)
    return _join_touching(edits)


DIFF_TEXT = st.text(alphabet=st.sampled_from(list("ab \t\u3000éÃ\xa0x中")), max_size=14)


@settings(max_examples=3000, deadline=None)
@given(DIFF_TEXT, DIFF_TEXT)
def test_token_edits_pair_words_as_separate_passes_do(before: str, after: str) -> None:
    assert _token_edits(before, after, "k", 1.0) == token_edits_by_four_passes(before, after)


def test_token_edits_of_repaired_lines_pair_words_as_separate_passes_do() -> None:
    for line in damaged_lines():
        fixed = ftfy.fix_and_explain(line, config=FTFY_CONFIG).text
        for before, after in [(line, fixed), (fixed, line), (line, line.replace(" ", "\u3000", 2))]:
            assert _token_edits(before, after, "k", 1.0) == token_edits_by_four_passes(
                before, after
            )


# Letters of several alphabets, signs of code pages, marks and spaces of every kind.
ALPHABET_MIX = list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРЯЁЂЃЄЅІЇЈЉЊЋЌЎЏ")
ALPHABET_MIX += list("αβγδεζηθΑΒΓ abcXYZ 12,.-!«»—–…·°№®©§¤¦¬€‰™╨╤═║▀ёЁ\u00a0\u00ad\t")
ALPHABET_MIX += list("ÃÂÐÑâ€™éèüÜß中文")


SAME_SCRIPT_LAYERS = [layer for layer in LAYERS if layer.same_script]


def damage_in_most_words_word_by_word(
    segment: str, trigger: re.Pattern[str], *, one_is_enough: bool
) -> bool:
    two_high = re.compile(r"[^\W\d_\x00-\x7f].*[^\W\d_\x00-\x7f]")
    words = [token for token in segment.split() if two_high.search(token)]
    damaged = sum(1 for word in words if trigger.search(word))
    if one_is_enough:
        return damaged > 0
    return 2 * damaged >= len(words) > 0


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET_MIX), max_size=40).map("".join))
def test_damage_in_most_words_as_word_by_word(text: str) -> None:
    for layer in SAME_SCRIPT_LAYERS:
        expected = damage_in_most_words_word_by_word(
            text, layer.trigger, one_is_enough=layer.keeps_letters
        )
        assert _damage_in_most_words(text, layer) == expected, layer.name


LETTER_LAYERS = [layer for layer in LAYERS if layer.utf8 and layer.letters_on_continuation_bytes]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET_MIX), max_size=40).map("".join))
def test_alphabet_runs_give_only_readings_that_would_be_turned_down(text: str) -> None:
    assert LETTER_LAYERS  # cp850 and cp866
    for layer in LETTER_LAYERS:
        kept = [
            (reading.start, reading.end, reading.fixed)
            for reading in _utf8_readings(text, layer)
            if not _word_letters(text[reading.start : reading.end])
        ]
        skipped = [
            (reading.start, reading.end, reading.fixed)
            for reading in _utf8_readings(text, layer, skip_alphabet_runs=True)
            if not _word_letters(text[reading.start : reading.end])
        ]
        assert skipped == kept, layer.name
