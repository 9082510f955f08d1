"""Tables derived from the codecs in textmend.layers agree with the codecs themselves."""

from __future__ import annotations

import random
import re
import re._parser as re_parser
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate

import pytest

from textmend.bytetables import decoded_or_empty
from textmend.charclass import COSTS, UNCOMMON
from textmend.layers import (
    _ROLE_NAMES,
    HIGH_PAIR,
    LAYERS,
    NEVER,
    WESTERN_PUNCTUATION,
    Layer,
    _char_class,
    _codec_repertoire,
    _has_two_byte_characters,
    any_trigger,
    siblings_of,
    trigger_of,
)
from textmend.lines import split_lines
from textmend.lostbytes import code_points_led_by, ends_a_written_word, marked_matches

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


SAME_SCRIPT_LAYERS = [layer for layer in LEGACY_LAYERS if layer.same_script]


@pytest.mark.parametrize(
    "layer", UTF8_LAYERS + LEGACY_LAYERS[:2] + SAME_SCRIPT_LAYERS, ids=lambda layer: layer.name
)
def test_trigger_matches_its_plain_definition(layer: Layer) -> None:
    """Same matches, spans included: layer_candidates walks them with finditer."""
    plain = plain_trigger(layer)
    for text in trigger_texts(layer, layer.name):
        assert [m.span() for m in layer.trigger.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_trigger_heads_hold_every_first_character_of_a_match(layer: Layer) -> None:
    """The repair skips a layer on a line with none of its trigger_heads without
    searching the trigger: every match must start with one of them."""
    heads = frozenset().union(*(branch.head for branch in layer.trigger_branches))
    assert heads <= layer.trigger_heads
    for text in trigger_texts(layer, "heads " + layer.name):
        for match in layer.trigger.finditer(text):
            assert text[match.start()] in layer.trigger_heads, text


@pytest.mark.parametrize(
    "layer",
    [layer for layer in LAYERS if layer.trigger_needs_high_pair],
    ids=lambda layer: layer.name,
)
def test_single_byte_triggers_need_a_high_pair(layer: Layer) -> None:
    """The repair skips these triggers on text without a HIGH_PAIR: wherever one
    matches, HIGH_PAIR must find a match inside the trigger's own match."""
    for text in trigger_texts(layer, "pair " + layer.name):
        for match in layer.trigger.finditer(text):
            assert HIGH_PAIR.search(text, match.start(), match.end()) is not None, text


@pytest.mark.parametrize(
    "layer", [layer for layer in LAYERS if layer.utf8], ids=lambda layer: layer.name
)
def test_marked_lines_are_found_from_the_marks(layer: Layer) -> None:
    """The repair selects the lines where a marked layer's ``marked_trigger`` matches by
    looking back from each mark (lostbytes.marked_matches), not by searching the whole
    text: every match must be at most three characters long (the look-back window) and
    the two must find matches on the same lines, once the matches that end a written
    word before a question mark (lostbytes.ends_a_written_word) are left out of both."""
    width = re_parser.parse(layer.marked_trigger.pattern).getwidth()[1]
    assert layer.marked_trigger is NEVER or width <= 3
    for text in trigger_texts(layer, "marked " + layer.name):
        starts = list(accumulate(map(len, split_lines(text)), initial=0))
        from_marks = {bisect_right(starts, m.start()) - 1 for m in marked_matches(text, layer)}
        searched = {
            bisect_right(starts, m.start()) - 1
            for m in layer.marked_trigger.finditer(text)
            if not ends_a_written_word(text, m.start(), m.end())
        }
        assert from_marks == searched, text


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


def test_trigger_of_some_layers_fires_where_one_of_theirs_does() -> None:
    """The repair scans a document with the combined trigger of the layers its screen
    kept: it must match at exactly the positions where one of their triggers does (and
    never for no layer)."""
    assert trigger_of([]) is NEVER
    rng = random.Random("trigger_of")
    for layers in ([*UTF8_LAYERS[:3], LEGACY_LAYERS[0]], rng.sample(UTF8_LAYERS, 4)):
        combined = trigger_of(layers)
        triggers = [layer.trigger for layer in layers]
        for layer in layers:
            for text in trigger_texts(layer, "of " + layer.name)[:100]:
                for position in range(len(text)):
                    expected = any(trigger.match(text, position) for trigger in triggers)
                    assert bool(combined.match(text, position)) == expected, (text, position)


def repertoire_pair_by_pair(codec: str) -> dict[str, bytes]:
    """The slow definition of a codec's repertoire: every byte, then every pair of a byte
    that is no character alone, decoded one by one (the construction before the bulk
    decodes of layers._single_characters)."""
    table: dict[str, bytes] = {}
    for first in range(0x80, 0x100):
        single = bytes((first,))
        char = decoded_or_empty(single, codec)
        if len(char) == 1:
            table.setdefault(char, single)
            continue
        for second in range(0x40, 0x100):
            pair = bytes((first, second))
            char = decoded_or_empty(pair, codec)
            if len(char) == 1 and not char.isascii():
                table.setdefault(char, pair)
    return table


def has_two_byte_characters_pair_by_pair(codec: str) -> bool:
    return any(len(raw) == 2 for raw in repertoire_pair_by_pair(codec).values())


READING_CODECS = sorted({layer.codec for layer in LAYERS})
ALL_CODECS = sorted({layer.codec for layer in LAYERS} | {layer.encoded for layer in LAYERS})


@pytest.mark.parametrize("codec", READING_CODECS)
def test_repertoire_is_the_pair_by_pair_table(codec: str) -> None:
    """The bulk-decoded table is the one decoding byte by byte and pair by pair gives:
    same characters, same bytes for each, same order."""
    assert list(_codec_repertoire(codec).items()) == list(repertoire_pair_by_pair(codec).items())


@pytest.mark.parametrize("codec", ALL_CODECS)
def test_two_byte_characters_as_pair_by_pair(codec: str) -> None:
    assert _has_two_byte_characters(codec) == has_two_byte_characters_pair_by_pair(codec)


def test_layers_share_a_read_only_repertoire() -> None:
    cp1252 = [layer for layer in LAYERS if layer.codec == "sloppy-windows-1252"]
    assert len(cp1252) > 1
    assert all(layer.repertoire is cp1252[0].repertoire for layer in cp1252)
    with pytest.raises(TypeError):
        cp1252[0].repertoire["x"] = b"x"  # type: ignore[index]


def char_class_code_by_code(chars: set[str]) -> str:
    """The slow definition of _char_class: one step per code point."""
    codes = sorted({ord(c) for c in chars})
    if not codes:
        return "[^\\x00-\\U0010ffff]"
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        first, last = re.escape(chr(start)), re.escape(chr(prev))
        parts.append(first if start == prev else f"{first}-{last}")
        start = prev = code
    return "[" + "".join(parts) + "]"


def test_char_class_as_code_by_code() -> None:
    rng = random.Random(5)
    samples: list[set[str]] = [set(), {"a"}, {"-", "]", "^", "\\", "\n", " "}]
    samples += [set(layer.repertoire) for layer in LAYERS[:8]]
    for _ in range(300):
        low = rng.choice([0, 0x20, 0x7E, 0x3000, 0xFFF0, 0x10FF00])
        samples.append({chr(low + rng.randrange(0xFF)) for _ in range(rng.randint(1, 60))})
    for chars in samples:
        assert _char_class(chars) == char_class_code_by_code(chars)


def roles_char_by_char(repertoire: Mapping[str, bytes]) -> dict[str, frozenset[str]]:
    """The slow definition of Layer._roles: each character sorted by its bytes."""
    lead_any, lead_2, lead_3_4 = range(0xC2, 0xF5), range(0xC2, 0xE0), range(0xE0, 0xF5)
    lead_4, continuation = range(0xF0, 0xF5), range(0x80, 0xC0)
    groups: dict[str, set[str]] = {name: set() for name in _ROLE_NAMES}
    for char, raw in repertoire.items():
        first = raw[0]
        if len(raw) == 1:
            if first in lead_any:
                groups["lead"].add(char)
            elif first in continuation:
                groups["continuing"].add(char)
            continue
        second = raw[1]
        if first in continuation:
            if second in continuation:
                groups["middle"].add(char)
            else:
                groups["closing"].add(char)
                if second in lead_any:
                    groups["closing_lead"].add(char)
                if second in lead_2:
                    groups["closing_lead2"].add(char)
        elif second in continuation:
            if first in lead_2:
                groups["whole_pair"].add(char)
            elif first in lead_4:
                groups["lead4_pair"].add(char)
            elif first in lead_3_4:
                groups["lead_pair"].add(char)
                if COSTS[ord(char)] >= UNCOMMON:
                    groups["rare_lead_pair"].add(char)
    return {name: frozenset(chars) for name, chars in groups.items()}


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_roles_and_start_chars_as_char_by_char(layer: Layer) -> None:
    roles = roles_char_by_char(layer.repertoire)
    assert layer._roles == roles
    if layer.utf8:
        expected = frozenset(
            char
            for char, raw in layer.repertoire.items()
            if raw[0] in range(0xC2, 0xF5) and (len(raw) == 1 or raw[1] in range(0x80, 0xC0))
        )
        assert layer.start_chars == expected - WESTERN_PUNCTUATION


def test_roles_whatever_the_order_of_the_repertoire() -> None:
    """_roles bisects the repertoire in byte order, sorting it first if it is not."""
    layer = Layer("utf-8", "gbk", 0)
    shuffled = list(_codec_repertoire("gbk").items())
    random.Random(3).shuffle(shuffled)
    layer.__dict__["repertoire"] = dict(shuffled)  # what the cached property would hold
    assert layer._roles == roles_char_by_char(_codec_repertoire("gbk"))


def test_lost_characters_are_tabled_by_their_true_lead_byte() -> None:
    # The lost-character table is built one lead byte at a time; every character of the
    # Basic Multilingual Plane must fall under exactly the lead its UTF-8 begins with.
    led_by = {lead: set(code_points_led_by(lead)) for lead in range(0x80, 0x100)}
    for code in range(0x80, 0x10000):
        lead = chr(code).encode("utf-8", "surrogatepass")[0]
        assert code in led_by[lead]
    assert sum(map(len, led_by.values())) == 0x10000 - 0x80


def test_same_script_layers_are_the_code_pages_of_one_script() -> None:
    names = {layer.name for layer in SAME_SCRIPT_LAYERS}
    assert {
        "koi8-r read as cp1251",
        "cp1251 read as koi8-r",
        "cp866 read as cp1251",
        "cp1250 read as cp1252",
    } <= names
    assert not names & {"cp1251 read as cp1252", "gbk read as cp1252", "cp1253 read as cp1252"}


@pytest.mark.parametrize(
    "layer",
    [layer for layer in SAME_SCRIPT_LAYERS if not layer.judged_by_words],
    ids=lambda layer: layer.name,
)
def test_same_script_matches_hold_a_start_char_and_a_letter(layer: Layer) -> None:
    """The screen keeps a same-script layer only for a document holding one of its
    start_chars and one of its screen_letters: every trigger match must hold both."""
    assert layer.screen_letters
    for text in trigger_texts(layer, "screen " + layer.name):
        for match in layer.trigger.finditer(text):
            found = set(match.group())
            assert found & layer.start_chars and found & layer.screen_letters, text


# Prose of each expected script, clean as written: capitals only where words start, and
# no sign against a letter but the punctuation clean text uses (quotes, dashes, ·, °).
CLEAN_PROSE = {
    "cyrillic": "Вчера вечером в Москве прошёл «сильный» дождь — 12 мм, +3°, улицы опустели.",
    "latin": "Le café était fermé, mais la boulangerie à côté restait « ouverte » — déjà.",
}
# Text each same-script layer's damage is made from (it must encode in ``encoded``).
DAMAGE_SOURCES = {
    "cyrillic": "Вчера вечером в Москве прошёл сильный дождь, и улицы опустели.",
    "latin": "Zażółć gęślą jaźń, powiedział pan Łukasz.",
}


@pytest.mark.parametrize(
    "layer",
    [layer for layer in SAME_SCRIPT_LAYERS if not layer.judged_by_words],
    ids=lambda layer: layer.name,
)
def test_same_script_trigger_skips_clean_prose_and_fires_on_its_damage(layer: Layer) -> None:
    """Clean prose of the script is never judged under a same-script layer (which would
    read nearly every line of it), while the layer's own damage of such prose is."""
    assert layer.expect is not None
    assert layer.trigger.search(CLEAN_PROSE[layer.expect]) is None
    damaged = DAMAGE_SOURCES[layer.expect].encode(layer.encoded).decode(layer.codec)
    assert layer.trigger.search(damaged) is not None, damaged


def test_only_mac_cyrillic_read_as_cp1251_keeps_most_letters() -> None:
    """Mac Cyrillic and cp1251 share the small letters а-ю; KOI8-R, cp866 and ISO-8859-5
    put every Cyrillic letter elsewhere than cp1251 does."""
    kept = [layer.name for layer in SAME_SCRIPT_LAYERS if layer.keeps_letters]
    assert kept == ["mac-cyrillic read as cp1251"]
    layer = next(layer for layer in SAME_SCRIPT_LAYERS if layer.keeps_letters)
    assert not layer.changed_chars & set("абвгдежзийклмнопрстуфхцчшщъыьэю")
    assert {"Я", "ё", "і"} <= layer.changed_chars


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("”айл не найден", True),  # Ф read as a closing quote before a word
        ("Он ушёл —и вернулся", True),  # Ч as an em dash glued to a word
        ("новаЯ библиотека", True),  # я as Я after a small letter
        ("Он сказал: «сильный» дождь", False),  # a guillemet opens a word
        ("Он сказал: “сильный” дождь", False),
        ("слово—слово", False),  # a dash between two words
        ("…и потом", False),  # an ellipsis before a lowercase continuation
    ],
)
def test_mac_cyrillic_read_as_cp1251_trigger(text: str, fires: bool) -> None:
    layer = next(layer for layer in SAME_SCRIPT_LAYERS if layer.keeps_letters)
    assert (layer.trigger.search(text) is not None) == fires


WORD_JUDGED_LAYERS = [layer for layer in SAME_SCRIPT_LAYERS if layer.judged_by_words]


def test_latin_code_pages_read_as_each_other_are_judged_by_words() -> None:
    """KOI8-R and cp1251 swap the case of the letters they move, which shows; cp1250 and
    ISO-8859-2 read as cp1252 keep it, and only the words can show their damage."""
    names = {layer.name for layer in WORD_JUDGED_LAYERS}
    assert names == {
        "cp1250 read as cp1252",
        "iso8859-2 read as cp1252",
        "cp1254 read as cp1252",
        "cp1257 read as cp1252",
    }
    assert all(layer.expect == "latin" for layer in WORD_JUDGED_LAYERS)


# Per word-judged layer: letters it moves, and letters the same in both code pages.
MOVED_AND_KEPT = {
    "cp1250 read as cp1252": ("õûèø", "áéöüó"),
    "iso8859-2 read as cp1252": ("õûèø", "áéöüó"),
    "cp1254 read as cp1252": ("ðýþÝ", "áéöüç"),
    "cp1257 read as cp1252": ("ðþèàë", "éöüäõ"),
}
# Per word-judged layer: a clean phrase, and the characters its damage fires the trigger on.
TRIGGER_PHRASES = {
    "cp1250 read as cp1252": ("Včera večer", ["è", "è"]),
    "iso8859-2 read as cp1252": ("Včera večer", ["è", "è"]),
    "cp1254 read as cp1252": ("Işık değil", ["þ", "ý", "ð"]),
    "cp1257 read as cp1252": ("Šiandien žiema", ["Ð", "þ"]),
}


@pytest.mark.parametrize("layer", WORD_JUDGED_LAYERS, ids=lambda layer: layer.name)
def test_moved_letters_are_the_letters_the_two_code_pages_part_on(layer: Layer) -> None:
    for char, raw in layer.repertoire.items():
        if char.isascii() or not char.isalpha():
            continue
        written = decoded_or_empty(raw, layer.encoded)
        assert (char in layer.moved_letters) == (written.isalpha() and written != char), char
    moved, kept = MOVED_AND_KEPT[layer.name]
    assert set(moved) <= layer.moved_letters
    assert not set(kept) & layer.moved_letters  # the same letters in both


@pytest.mark.parametrize("layer", WORD_JUDGED_LAYERS, ids=lambda layer: layer.name)
def test_word_judged_trigger_fires_on_one_moved_letter_or_a_sign_on_a_letter(
    layer: Layer,
) -> None:
    """Czech puts one accent on a word as often as two (Včera read as Vèera), and a line
    is judged whole; so one moved letter fires, as does a sign touching any letter. Only
    the Baltic layer screens documents first (see Layer.screen_letters)."""
    assert not layer.trigger_needs_high_pair
    assert layer.screen_letters == (
        frozenset("ðþÐÞ") if layer.name == "cp1257 read as cp1252" else None
    )
    clean, fired = TRIGGER_PHRASES[layer.name]
    damaged = clean.encode(layer.encoded).decode(layer.codec)
    assert [match.group() for match in layer.trigger.finditer(damaged)] == fired
    assert layer.trigger.search("x ± 3 and 5 € each") is None
    assert layer.trigger.search("Slu¾ba").group() == "¾"  # a number form on a letter
    for text in trigger_texts(layer, "moved " + layer.name):
        for match in layer.trigger.finditer(text):
            assert match.group() in layer.start_chars, text


def test_siblings_are_the_code_pages_ftfy_misses_beside_its_own() -> None:
    """ISO-8859-15 writes UTF-8 as cp1252 and Latin-1 do but for 8 bytes, cp850 as cp437
    does but for a third of them; a sibling's moved characters are exactly those whose byte
    differs, checked against the codecs byte by byte."""
    by_name = {layer.name: layer for layer in LAYERS}
    named = {
        layer.name: [sibling.layer.name for sibling in siblings_of(layer)]
        for layer in LAYERS
        if siblings_of(layer)
    }
    assert named["utf-8 read as cp1252"] == ["utf-8 read as cp1257", "utf-8 read as iso8859-15"]
    assert named["utf-8 read as cp437"] == ["utf-8 read as cp850"]
    # ISO-8859-7 shadows cp1253 (Layer.shadowed_codec): 18 of its bytes are C1 controls
    # where cp1253 has punctuation, and ΅ Ά ‘ ’ € sit on other bytes.
    assert named["utf-8 read as cp1253"] == ["utf-8 read as iso8859-7"]
    assert by_name["utf-8 read as iso8859-7"].shadowed_codec == "cp1253"
    # ftfy reads ISO-8859-2 too, but only after cp1250, and both write Š (8A, A9): ftfy's
    # cp1250 readings are read again through it; so with cp1254 and cp1257, which ftfy
    # also tries later, and which write Ć or Ş on other bytes. Latin-1 and cp1252, which
    # ftfy also tries in turn, write no character on different bytes: neither is the
    # other's sibling, nor is cp1254 cp1252's.
    assert named["utf-8 read as cp1250"] == [
        "utf-8 read as cp1254",
        "utf-8 read as cp1257",
        "utf-8 read as iso8859-2",
    ]
    assert "utf-8 read as cp1252" not in named["utf-8 read as latin-1"]
    assert "utf-8 read as cp1254" not in named["utf-8 read as cp1252"]
    # A code page sharing too few bytes is no sibling: cp1251 writes Cyrillic where cp1252
    # writes Latin letters, and mac_roman puts most of them on other bytes.
    assert "utf-8 read as cp1251" not in named["utf-8 read as cp1252"]
    assert "utf-8 read as mac-roman" not in named["utf-8 read as cp1252"]
    assert not siblings_of(by_name["utf-8 read as gbk"])
    assert not siblings_of(by_name["utf-8 read as iso8859-15"])  # not one of ftfy's
    (latin9,) = [
        sibling
        for sibling in siblings_of(by_name["utf-8 read as cp1252"])
        if sibling.layer.read_as == "iso8859_15"
    ]
    assert latin9.moved == frozenset("€ŠšŽžŒœŸ")
    for byte in range(0x80, 0x100):
        char = bytes([byte]).decode("iso8859_15")
        try:
            elsewhere = char.encode("cp1252") != bytes([byte])
        except UnicodeEncodeError:
            elsewhere = False
        assert (char in latin9.moved) == elsewhere, hex(byte)
    # C1 controls that cp1252 writes as characters (0x80 is €): only Latin-9 leaves them.
    assert "\x80" in latin9.only_sibling and "\x81" not in latin9.only_sibling
    assert not latin9.only_sibling & set("éàü€š")


def test_ftfy_codec_order_is_ftfys() -> None:
    """siblings_of relies on the order in which ftfy tries its code pages."""
    from ftfy.chardata import CHARMAP_ENCODINGS

    from textmend.layers import FTFY_CODEC_ORDER

    assert tuple(python_codec_name(c) for c in CHARMAP_ENCODINGS) == FTFY_CODEC_ORDER


def python_codec_name(codec: str) -> str:
    """ftfy's codec names as Python's codec registry spells them (sloppy-windows-1250 is
    cp1250, iso-8859-2 iso8859_2, macroman mac_roman)."""
    import codecs

    name = codecs.lookup(codec.removeprefix("sloppy-").replace("windows-", "cp")).name
    return {"iso8859-1": "latin_1", "iso8859-2": "iso8859_2", "mac-roman": "mac_roman"}.get(
        name, name
    )


MAC_CYRILLIC = next(layer for layer in LAYERS if layer.read_as == "mac_cyrillic")

# Clean text holding Mac Cyrillic's lead characters and its continuation bytes' readings,
# which no shape of its damage may match; and UTF-8 of several scripts read through it.
MAC_CYRILLIC_CLEAN = [
    "—Привет, — сказал он. —Я не знаю. Точность ±0,5 мм, ∞ раз.",
    "черногорска — кирилица с разменени „З“ и „Ж“",
    "Учёные СПбГУ и МГУ — в кВт·ч. ≤ 5 °C",
    "The 2019–2021 figures — © Reuters ™ • ±3 %",
    "Ђорђе и Ћирило — Њујорк, Љубљана, Џон, ќерка, ѕвезда.",
]
MAC_CYRILLIC_DAMAGE = [
    "Он сказал, что выработка ГЭС выросла",
    "ТВ/ПК/МП",
    "Le café de l’École est fermé.",
    "Kyiv’s hopes",
    "Ώρα για καφέ",
    "המחיר הוא",
    "新しいWebサイト",
]


@pytest.mark.parametrize("text", MAC_CYRILLIC_CLEAN)
def test_mac_cyrillic_shapes_are_not_in_clean_text(text: str) -> None:
    assert not MAC_CYRILLIC.shown_in(text, frozenset(text))


@pytest.mark.parametrize("clean", MAC_CYRILLIC_DAMAGE)
def test_mac_cyrillic_shapes_are_in_its_damage(clean: str) -> None:
    damaged = clean.encode("utf-8").decode("mac_cyrillic")
    assert MAC_CYRILLIC.shown_in(damaged, frozenset(damaged))


def test_each_shape_starts_with_its_lead_as_a_literal() -> None:
    # The screen's speed rests on this: a literal prefix is searched for in C.
    for lead, shape in MAC_CYRILLIC.document_patterns.items():
        assert shape.pattern.pattern.startswith(re.escape(lead))
        assert shape.needs <= MAC_CYRILLIC.continuing_chars
