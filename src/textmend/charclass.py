"""How natural a character is in running text, as a small integer cost per code point.

Mojibake trades common characters for rare ones (``’`` becomes ``鈥檚``, ``é`` becomes
``Ã©``), so a repair is worth making when it lowers the summed cost by a clear margin. The
tables are built once at import, from Unicode ranges and from the legacy codecs' own
character sets: GB2312 level 1, JIS X 0208 level 1, Big5's frequent block and KS X 1001's
Hangul list the characters that their national standards judged frequent, which is the
frequency data every system already ships.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import cache

from textmend.bytetables import pairs_joined, single_characters

COMMON = 0
NATURAL = 1
SOMEWHAT_RARE = 2
UNCOMMON = 3
RARE = 6
INVALID = 9

# Letters of living Latin orthographies beyond Latin-1 and Latin Extended-A, whose blocks
# otherwise hold phonetic and historic letters: Azerbaijani schwa, the open vowels and the
# velar fricative of African alphabets (Twi, Ewe, Lingala, Kabyle: ɛ ɔ ɣ), the hooked
# letters of Hausa and Fula (ɓ ɗ ƙ ƴ), the Pan-Nigerian turned e, and the apostrophe
# letters of Uzbek, Hawaiian and Navajo (ʻ ʼ). Each is a Latin letter, of some rarity.
ORTHOGRAPHIC_LETTERS = "ƏəǝƐɛƆɔƔɣƁɓƊɗƘƙƳƴʻʼ"
# The least frequent letters of Russian and Ukrainian text. KOI8-R read as cp1251 turns
# the most frequent ones (т, и, в) into exactly these (Ф, Й, Ч), while each letter on
# its own stays a plausible Cyrillic letter.
RARE_CYRILLIC = "ФфЙйЧчЩщЪъЭэЮюЦцШшЖжХх"
# Cyrillic spelling that Russian, Ukrainian, Belarusian and Bulgarian words never show,
# while KOI8-R read as cp1251 (and back) produces it at every other word: KOI8-R maps each
# letter to another plausible letter, so letter costs alone barely tell the readings apart
# (ДБТЙ for дари, ЫБВМПОЩ for шаблоны, ФТСВЧБ for трябва). Each shape costs
# CYRILLIC_SPELLING_COST: a word of two or more letters without a vowel; a soft sign, hard
# sign or ы starting a word or following a vowel or sign; й following a consonant.
CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")
CYRILLIC_AFTER_CONSONANT = frozenset("ьъыЬЪЫ")
CYRILLIC_SHORT_I = frozenset("йЙ")
CYRILLIC_SPELLING_COST = 3
# A space between two ideographs: Chinese and Japanese write none, so a reading that puts
# one at every word gap (Cyrillic or Korean bytes read as GBK) is not theirs.
SPACED_IDEOGRAPH_COST = 4
# Greek letters with tonos or dialytika.
GREEK_ACCENTED = frozenset("ΆΈΉΊΌΎΏάέήίόύώΐΰϊϋΪΫ")

# Letters that only end a word: Greek final sigma and the five Hebrew final forms. Inside
# a word they are misreadings (cp1251 read as cp1255: םו for не).
WORD_FINAL = frozenset("ςךםןףץ")
# Greek vowels with a diaeresis, and the vowels it can follow: the diaeresis marks a
# vowel that does not form a diphthong with the one before it, so after a consonant
# (Γειμϊπ, cp1251 read as cp1253) it is a misreading.
GREEK_DIAERESIS = frozenset("ϊϋΐΰΪΫ")
GREEK_VOWELS = frozenset("αεηιουωάέήίόύώϊϋΐΰΑΕΗΙΟΥΩΆΈΉΊΌΎΏΪΫ")

# Scripts, for the cost of switching script inside a word.
NO_SCRIPT, LATIN, CYRILLIC, GREEK, HAN, ARABIC, HEBREW, THAI, OTHER = range(9)

# The other scripts of living languages in the BMP, by block: (first, last code point,
# script). Each script gets a number of its own after OTHER, given to the letters and
# marks of its blocks only: a danda (।) or a digit that several Indic scripts share
# switches no script inside a word. Their blocks cost NATURAL, but for SCRIPTS_KEPT_RARE.
# Without them a Kannada or Armenian word was "no script", like a run of symbols, and a
# repair that recovers one (Kannada UTF-8 read as cp1251: аІ…аІ®аІѕ -> ಅಮಾ) looked like
# letters made of symbols.
OTHER_SCRIPT_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0531, 0x058F, "Armenian"),
    (0x0700, 0x074F, "Syriac"),
    (0x0780, 0x07BF, "Thaana"),
    (0x07C0, 0x07FF, "NKo"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1C90, 0x1CBF, "Georgian"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x13A0, 0x13FF, "Cherokee"),
    (0xAB70, 0xABBF, "Cherokee"),
    (0x1400, 0x167F, "Canadian syllabics"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1C50, 0x1C7F, "Ol Chiki"),
    (0x2D30, 0x2D7F, "Tifinagh"),
    (0xA500, 0xA63F, "Vai"),
)
# Scripts of OTHER_SCRIPT_BLOCKS that keep the rare cost, because damage of a neighbour
# reads as them when a byte is lost: Lao's UTF-8 lies one byte from Thai's (E0 BA against
# E0 B8), and Syriac's (DC, DD) among Arabic's and Armenian's, so that lost bytes were
# guessed as Lao in Thai, and as Syriac marks in Russian and Japanese (Выставки ->
# ÐՄ܄�тавки).
SCRIPTS_KEPT_RARE = frozenset({"Lao", "Syriac"})
OTHER_SCRIPT_NAMES = tuple(dict.fromkeys(name for _, _, name in OTHER_SCRIPT_BLOCKS))
OTHER_SCRIPTS = {name: OTHER + 1 + number for number, name in enumerate(OTHER_SCRIPT_NAMES)}

_BMP = 0x10000


def _fill(table: array, start: int, end: int, value: int) -> None:
    table[start : end + 1] = array("B", [value]) * (end + 1 - start)


def _double_byte_chars(codec: str, leads: range, trails: range) -> list[str]:
    """The characters ``codec`` reads from the pairs [lead][trail], lead by lead (one
    bulk decode: see textmend.bytetables)."""
    return [char for char in single_characters(pairs_joined(leads, trails), codec) if char]


def _build_costs() -> array:
    costs = array("B", [RARE]) * _BMP
    _fill(costs, 0x20, 0x7E, COMMON)
    for code in (0x09, 0x0A, 0x0D):
        costs[code] = COMMON
    _fill(costs, 0x00, 0x08, INVALID)
    _fill(costs, 0x0B, 0x0C, INVALID)
    _fill(costs, 0x0E, 0x1F, INVALID)
    _fill(costs, 0x7F, 0x9F, INVALID)
    # Latin-1: letters are natural, the rarer symbols uncommon.
    _fill(costs, 0xA0, 0xFF, NATURAL)
    for char in "¤¦¨¯´¸¹²³¼½¾×÷µ¶¬ªº¢¥":
        costs[ord(char)] = UNCOMMON
    _fill(costs, 0x100, 0x17F, NATURAL)  # Latin Extended-A: Central European letters
    for code in (0x138, 0x149, 0x17F):
        costs[code] = RARE  # kra, n-apostrophe, long s: archaic or deprecated letters
    for code in (0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x218, 0x219, 0x21A, 0x21B):
        costs[code] = NATURAL  # Vietnamese horn letters, Romanian comma-below letters
    _fill(costs, 0x180, 0x24F, RARE)  # Latin Extended-B: African, phonetic, historic letters
    _fill(costs, 0x1CD, 0x1DC, UNCOMMON)  # pinyin tone letters ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    for code in (0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x218, 0x219, 0x21A, 0x21B):
        costs[code] = NATURAL  # Vietnamese horn letters, Romanian comma-below letters
    for char in ORTHOGRAPHIC_LETTERS:
        costs[ord(char)] = SOMEWHAT_RARE
    _fill(costs, 0x300, 0x36F, UNCOMMON)  # combining marks (decomposed text)
    _fill(costs, 0x370, 0x3FF, NATURAL)  # Greek
    for char in "ΐΰΪΫϐϑϒϓϔϕϖϗ":
        costs[ord(char)] = UNCOMMON  # dialytika with tonos, capital dialytika, symbol forms
    _fill(costs, 0x3D8, 0x3FF, RARE)  # archaic letters and Coptic
    _fill(costs, 0x400, 0x45F, NATURAL)  # Cyrillic
    _fill(costs, 0x460, 0x52F, UNCOMMON)
    _fill(costs, 0x490, 0x491, NATURAL)  # Ukrainian ґ; other extended letters stay uncommon
    for char in RARE_CYRILLIC:
        costs[ord(char)] = SOMEWHAT_RARE
    _fill(costs, 0x591, 0x5F4, NATURAL)  # Hebrew
    _fill(costs, 0x600, 0x6FF, NATURAL)  # Arabic
    _fill(costs, 0xE00, 0xE7F, NATURAL)  # Thai
    # Armenian, the Indic scripts, Georgian, Thaana, Tibetan, Burmese, Ethiopic, Khmer…
    for first, last, name in OTHER_SCRIPT_BLOCKS:
        if name not in SCRIPTS_KEPT_RARE:
            _fill(costs, first, last, NATURAL)
    _fill(costs, 0x1E00, 0x1EFF, NATURAL)  # Latin Extended Additional: Vietnamese
    _fill(costs, 0x2000, 0x206F, UNCOMMON)  # General Punctuation
    for char in (
        "\u2010\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022"
        "\u2026\u2032\u2033\u2039\u203a\u00a0\u2009\u200a\u202f\u200b\u200c\u200d"
    ):
        costs[ord(char)] = NATURAL
    for char in "€™№℃←→↑↓•":
        costs[ord(char)] = NATURAL
    _fill(costs, 0x2100, 0x2BFF, UNCOMMON)  # letterlike, arrows, math, box drawing, shapes
    _fill(costs, 0x3000, 0x303F, NATURAL)  # CJK punctuation
    _fill(costs, 0x3040, 0x30FF, NATURAL)  # kana
    _fill(costs, 0x3400, 0x4DBF, RARE)  # CJK Extension A
    _fill(costs, 0x4E00, 0x9FFF, UNCOMMON)  # CJK unified ideographs: uncommon by default
    _fill(costs, 0xAC00, 0xD7A3, RARE)  # Hangul syllables: rare unless in KS X 1001
    _fill(costs, 0xD800, 0xDFFF, INVALID)  # surrogates
    _fill(costs, 0xE000, 0xF8FF, INVALID)  # private use
    _fill(costs, 0xFF01, 0xFF5E, NATURAL)  # fullwidth ASCII variants
    _fill(costs, 0xFF61, 0xFF9F, RARE)  # halfwidth katakana
    costs[0xFEFF] = UNCOMMON
    costs[0xFFFD] = INVALID
    costs[0xFFFE] = INVALID
    costs[0xFFFF] = INVALID
    # The national standards' frequent sets.
    frequent = (
        _double_byte_chars("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))  # GB2312 level 1
        + _double_byte_chars("big5", range(0xA4, 0xC7), range(0x40, 0xFF))  # Big5 frequent
        + _double_byte_chars("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))  # JIS level 1
        + _double_byte_chars("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # KS X 1001 Hangul
    )
    for char in frequent:
        costs[ord(char)] = NATURAL
    secondary = (
        _double_byte_chars("gb2312", range(0xD8, 0xF8), range(0xA1, 0xFF))
        + _double_byte_chars("euc_jp", range(0xD0, 0xF5), range(0xA1, 0xFF))
        + _double_byte_chars("big5", range(0xC9, 0xFA), range(0x40, 0xFF))
    )
    for char in secondary:
        if costs[ord(char)] > UNCOMMON:
            costs[ord(char)] = UNCOMMON
    for code in range(_BMP):
        if costs[code] < INVALID and unicodedata.category(chr(code)) == "Cn":
            costs[code] = INVALID
    return costs


def _build_scripts() -> array:
    scripts = array("B", [NO_SCRIPT]) * _BMP
    for code in range(0x41, 0x5B):
        scripts[code] = LATIN
    for code in range(0x61, 0x7B):
        scripts[code] = LATIN
    for start, end, script in (
        (0xC0, 0x24F, LATIN),
        (0x1E00, 0x1EFF, LATIN),
        (0x370, 0x3FF, GREEK),
        (0x400, 0x52F, CYRILLIC),
        (0x591, 0x5F4, HEBREW),
        (0x600, 0x6FF, ARABIC),
        (0xE00, 0xE7F, THAI),
        (0x3040, 0x30FF, HAN),
        (0x3400, 0x9FFF, HAN),
        (0xAC00, 0xD7A3, HAN),
        (0xF900, 0xFAFF, HAN),
        (0xFF66, 0xFF9F, HAN),
    ):
        _fill(scripts, start, end, script)
    scripts[0xD7] = NO_SCRIPT
    scripts[0xF7] = NO_SCRIPT
    for first, last, name in OTHER_SCRIPT_BLOCKS:
        script = OTHER_SCRIPTS[name]
        for code in range(first, last + 1):
            if unicodedata.category(chr(code))[0] in "LM":
                scripts[code] = script
    for char in ORTHOGRAPHIC_LETTERS:
        scripts[ord(char)] = LATIN
    return scripts


COSTS = _build_costs()
SCRIPTS = _build_scripts()


def _script_class(script: int) -> re.Pattern[str]:
    """A regex matching one character that :func:`script_of` gives ``script`` (BMP only:
    beyond it every character is OTHER), built from the table's runs (found in C)."""
    runs = re.finditer(re.escape(bytes([script])) + b"+", SCRIPTS.tobytes())
    ranges = "".join(f"\\u{run.start():04x}-\\u{run.end() - 1:04x}" for run in runs)
    return re.compile(f"[{ranges}]")


# One character of the HAN class (ideographs, kana, Hangul), for "does the text hold any".
HAN_CHAR = _script_class(HAN)


@cache
def cjk_prose_char() -> re.Pattern[str]:
    """A regex matching one character of CJK prose: one that :func:`script_of` puts in
    the HAN class and whose :func:`char_cost` is at most NATURAL (the frequent ideographs,
    kana and Hangul, not the rare rows and halfwidth kana that damage produces).

    "Does the text hold any" is then one search in C, not a Python test per character.
    Both tables are reduced to a 0/1 byte per code point and and-ed as two big integers
    (in C). The class has thousands of ranges (the frequent sets are scattered over the
    ideographs) and takes a few hundredths of a second to compile, so it is built on first
    use, not at import. (Beyond the BMP script_of gives OTHER: no character there.)
    """
    han = SCRIPTS.tobytes().translate(bytes(int(value == HAN) for value in range(256)))
    cheap = COSTS.tobytes().translate(bytes(int(value <= NATURAL) for value in range(256)))
    both = int.from_bytes(han, "big") & int.from_bytes(cheap, "big")
    return _class_of_marked(both.to_bytes(_BMP, "big"))


def _class_of_marked(marks: bytes) -> re.Pattern[str]:
    """A regex matching one BMP character whose byte in ``marks`` (one per code point) is
    1, its runs written as ranges of literal characters (which compile faster than escapes;
    ASCII is escaped)."""
    parts = []
    for run in re.finditer(b"\x01+", marks):
        first, last = run.start(), run.end() - 1
        parts.append(_literal(first) if first == last else f"{_literal(first)}-{_literal(last)}")
    return re.compile("[" + "".join(parts) + "]") if parts else re.compile("(?!)")


def _literal(code: int) -> str:
    """``code``'s character as a regex class writes it (re.escape only escapes ASCII)."""
    return re.escape(chr(code)) if code < 0x80 else chr(code)


def char_cost(char: str) -> int:
    code = ord(char)
    if code < _BMP:
        return COSTS[code]
    if 0x1F000 <= code <= 0x1FAFF or 0x20000 <= code <= 0x2FA1F:
        return UNCOMMON  # emoji, CJK extensions B+
    return INVALID if unicodedata.category(char) in ("Cn", "Co") else RARE


def script_of(char: str) -> int:
    code = ord(char)
    return SCRIPTS[code] if code < _BMP else OTHER


# Stretches of ASCII this long or longer are weighed at once (see _cost): measured, the
# few calls that weigh a stretch cost about what the character loop does on 8 characters
# (a 12-character stretch: 40 µs against 59 per 40 of them; a 4-character one: 37 against 25).
LONG_ASCII = 8
_LONG_ASCII_RUN = re.compile(f"[\\x00-\\x7f]{{{LONG_ASCII},}}")
# A lower-case ASCII letter followed by a capital.
_LOWER_THEN_UPPER = re.compile("[a-z](?=[A-Z])")


def text_cost(text: str) -> int:
    """Summed cost of ``text``: character costs plus the shapes mojibake leaves in words.

    Three shapes cost extra because careful writing rarely makes them and mojibake always
    does: a switch of script inside a word (``IndiaŽ``, ``NГ©h``; symbols such as ``©`` do
    not end the word, ASCII punctuation and spaces do; Latin next to Han is cheap because
    Chinese and Japanese embed Latin names without spaces), a lower-case letter followed by
    an upper-case one (``рТЙЧеФ``, KOI8-R read as cp1251), and accented Latin letters in a
    row (``Ïðèâåò``: real words rarely stack more than two). A space between two
    ideographs costs too: Chinese and Japanese do not space their words, so a reading that
    does (Korean read as GBK: ``辑匡矫绰 坷疵``) is not theirs.
    """
    return _cost(text, _LONG_ASCII_RUN)


def _cost(text: str, long_ascii: re.Pattern[str]) -> int:
    """:func:`text_cost`, character by character except on the stretches ``long_ascii``
    matches, which are weighed at once (in C): most of what the repair weighs is Western
    text around a few damaged words.

    On an ASCII stretch the character loop below only adds the costs of its control
    characters and 3 for each lower-case letter followed by a capital; only its first
    character looks at what came before (a script switch into a word, a capital after a
    lower-case letter), and it leaves the state its last character sets. The tests
    compare both ways on random text (a ``long_ascii`` that never matches is the loop).
    """
    total = 0
    previous = NO_SCRIPT
    previous_lower = False
    previous_accented = False
    after_ideograph = False
    spaced_ideograph = False
    greek_accents_in_word = 0
    previous_final_sigma = False
    previous_greek_vowel = False
    # The current run of Cyrillic letters: its length, whether it has a vowel, and whether
    # its last letter was a vowel or sign (0: no letter yet, 1: consonant, 2: vowel/sign).
    cyrillic_letters = 0
    cyrillic_vowel = False
    cyrillic_last = 0
    traits = _TRAITS
    position = 0
    for run in (*long_ascii.finditer(text), None):
        for char in text[position : len(text) if run is None else run.start()]:
            found = traits.get(char)
            if found is None:
                found = _traits(char)
            cost, script, cyrillic, flags = found
            if script < 0:  # ASCII
                if cyrillic_letters:
                    if cyrillic_letters >= 2 and not cyrillic_vowel:
                        total += CYRILLIC_SPELLING_COST
                    cyrillic_letters = cyrillic_last = 0
                    cyrillic_vowel = False
                spaced_ideograph = after_ideograph and char == " "
                after_ideograph = False
                total += cost
                if flags & _ALPHA:
                    if previous and previous != LATIN:
                        total += 1 if previous == HAN else 4
                    previous = LATIN
                    if previous_lower and flags & _UPPER:
                        total += 3
                    previous_lower = flags & _LOWER
                else:
                    greek_accents_in_word = 0
                    previous = NO_SCRIPT
                    previous_lower = False
                previous_accented = previous_final_sigma = previous_greek_vowel = False
                continue
            total += cost
            if cyrillic:
                if cyrillic <= _CYRILLIC_SIGN_VOWEL:  # a sign, or ы
                    if cyrillic_last != 1:
                        total += CYRILLIC_SPELLING_COST
                    cyrillic_vowel = cyrillic_vowel or cyrillic == _CYRILLIC_SIGN_VOWEL
                    cyrillic_last = 2
                elif cyrillic == _CYRILLIC_VOWEL:
                    cyrillic_vowel = True
                    cyrillic_last = 2
                else:
                    if cyrillic_last == 1 and cyrillic == _CYRILLIC_SHORT_I:
                        total += CYRILLIC_SPELLING_COST
                    cyrillic_last = 1
                cyrillic_letters += 1
            elif cyrillic_letters:
                if cyrillic_letters >= 2 and not cyrillic_vowel:
                    total += CYRILLIC_SPELLING_COST
                cyrillic_letters = cyrillic_last = 0
                cyrillic_vowel = False
            ideograph = flags & _IDEOGRAPH
            if ideograph and spaced_ideograph:
                total += SPACED_IDEOGRAPH_COST
            after_ideograph = ideograph
            spaced_ideograph = False
            if not script:
                if flags & _SPACE:
                    greek_accents_in_word = 0
                    previous = NO_SCRIPT
                    previous_lower = previous_accented = False
                previous_final_sigma = False
                previous_greek_vowel = flags & _GREEK_VOWEL
                continue
            if previous and script != previous:
                total += 1 if HAN in (script, previous) and LATIN in (script, previous) else 4
            previous = script
            if flags & _UPPER and previous_lower:
                total += 3
            previous_lower = flags & _LOWER
            accented = flags & _ACCENTED
            if accented and previous_accented:
                total += 2
            if previous_final_sigma and flags & _ALPHA:
                total += 3  # ς ends a Greek word; inside one it is a misreading
            previous_final_sigma = flags & _WORD_FINAL
            if flags & _DIAERESIS and not previous_greek_vowel:
                total += 3  # a diaeresis parts a vowel from the vowel before it (προϊόν)
            previous_greek_vowel = flags & _GREEK_VOWEL
            if flags & _GREEK_ACCENT:
                # Modern Greek writes at most one accent per word; cp1251 text read as cp1253
                # scatters them (ρκΰηΰλ).
                total += 2 * greek_accents_in_word
                greek_accents_in_word += 1
            previous_accented = accented
        if run is None:
            break
        # A long ASCII stretch, as the loop would weigh it character by character.
        stretch = run.group()
        position = run.end()
        if cyrillic_letters:
            if cyrillic_letters >= 2 and not cyrillic_vowel:
                total += CYRILLIC_SPELLING_COST
            cyrillic_letters = cyrillic_last = 0
            cyrillic_vowel = False
        spaced_ideograph = after_ideograph = False  # (a stretch is longer than a space)
        total += sum(stretch.encode("ascii").translate(_ASCII_COSTS))
        first = stretch[0]
        if first.isalpha():
            if previous and previous != LATIN:
                total += 1 if previous == HAN else 4
            if previous_lower and first.isupper():
                total += 3
        total += 3 * len(_LOWER_THEN_UPPER.findall(stretch))
        if not stretch.isalpha():
            greek_accents_in_word = 0
        last = stretch[-1]
        previous = LATIN if last.isalpha() else NO_SCRIPT
        previous_lower = last.islower()
        previous_accented = previous_final_sigma = previous_greek_vowel = False
    if cyrillic_letters >= 2 and not cyrillic_vowel:
        total += CYRILLIC_SPELLING_COST
    return total


# What text_cost needs to know of a character, worked out once per distinct character
# (see _traits): its cost, its script (-1 for ASCII), its kind of Cyrillic letter and
# flags. One dictionary lookup then replaces a dozen set and method tests per character.
_ALPHA, _UPPER, _LOWER, _SPACE, _IDEOGRAPH, _ACCENTED = 1, 2, 4, 8, 16, 32
_WORD_FINAL, _DIAERESIS, _GREEK_VOWEL, _GREEK_ACCENT = 64, 128, 256, 512
# Kinds of Cyrillic letter, in the order text_cost tests them: a soft or hard sign, ы
# (a sign that is also a vowel), another vowel, й, another consonant.
_CYRILLIC_SIGN, _CYRILLIC_SIGN_VOWEL, _CYRILLIC_VOWEL, _CYRILLIC_SHORT_I = 1, 2, 3, 4
_CYRILLIC_CONSONANT = 5
_TRAITS: dict[str, tuple[int, int, int, int]] = {}
# Distinct characters remembered at most (the BMP's worth; beyond it, e.g. for hostile
# input, they are worked out again each time).
MAX_TRAITS = 1 << 16


def _traits(char: str) -> tuple[int, int, int, int]:
    """``(cost, script, Cyrillic kind, flags)`` of ``char`` for text_cost."""
    code = ord(char)
    flags = (
        (_ALPHA if char.isalpha() else 0)
        | (_UPPER if char.isupper() else 0)
        | (_LOWER if char.islower() else 0)
        | (_SPACE if char.isspace() else 0)
        | (_WORD_FINAL if char in WORD_FINAL else 0)
        | (_DIAERESIS if char in GREEK_DIAERESIS else 0)
        | (_GREEK_VOWEL if char in GREEK_VOWELS else 0)
    )
    if code < 0x80:
        found = (COSTS[code], -1, 0, flags)
    else:
        if code < _BMP:
            cost = COSTS[code] - (char in FREQUENT_LETTERS)
            script = SCRIPTS[code]
        else:
            cost = char_cost(char)
            script = OTHER
        if script == HAN:
            # A Han/kana/Hangul character stands for two bytes of a legacy encoding and
            # about two letters of an alphabet; weigh it so, or decoding six Latin-1 bytes
            # as three ideographs would always look "more natural" than as six letters.
            # The most frequent ones of each language (data/frequent_characters.toml) are
            # cheaper: the same bytes read as Korean give 스크랩, read as Chinese 胶农乏.
            cost += 0 if char in FREQUENT_CJK else 1
        cyrillic = 0
        if script == CYRILLIC and char.isalpha():
            if char in CYRILLIC_AFTER_CONSONANT:
                cyrillic = _CYRILLIC_SIGN_VOWEL if char in "ыЫ" else _CYRILLIC_SIGN
            elif char in CYRILLIC_VOWELS:
                cyrillic = _CYRILLIC_VOWEL
            elif char in CYRILLIC_SHORT_I:
                cyrillic = _CYRILLIC_SHORT_I
            else:
                cyrillic = _CYRILLIC_CONSONANT
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            flags |= _IDEOGRAPH
        if script == LATIN or (script == GREEK and char in GREEK_ACCENTED):
            flags |= _ACCENTED
        if script == GREEK and char in GREEK_ACCENTED:
            flags |= _GREEK_ACCENT
        found = (cost, script, cyrillic, flags)
    if len(_TRAITS) < MAX_TRAITS:
        _TRAITS[char] = found
    return found


# The cost of each ASCII character as a bytes.translate table (the upper half unused).
_ASCII_COSTS = bytes(_traits(chr(code))[0] for code in range(0x80)) + bytes(0x80)


# Code point ranges of the scripts a legacy-encoding repair may be expected to produce.
SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3)),
    "cyrillic": ((0x400, 0x52F),),
    "greek": ((0x370, 0x3FF), (0x1F00, 0x1FFF)),
    "hebrew": ((0x591, 0x5F4),),
    "arabic": ((0x600, 0x6FF), (0x750, 0x77F)),
    "thai": ((0xE00, 0xE7F),),
    "latin": ((0xC0, 0x24F), (0x1E00, 0x1EFF)),
}


# One character class per script: counting a script's letters is one regex scan, not a
# Python test per letter (written_in runs on every legacy reading a line is tried under).
_SCRIPT_CLASSES = {
    script: re.compile(
        "[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]"
    )
    for script, ranges in SCRIPT_RANGES.items()
}


# ASCII runs, removed in C before the per-character tests (written_in asks for the
# non-ASCII letters of every reading a legacy layer makes).
_ASCII_RUN = re.compile("[\x00-\x7f]+")


def _count_in_script(text: str, script: str) -> int:
    return len(_SCRIPT_CLASSES[script].findall(text))


def _japanese_repertoire(text: str) -> bool:
    """Are all characters of ``text`` in the Japanese standard's character set (JIS X 0208
    with the Windows extensions)? Japanese text uses no others: a Simplified Chinese form
    (们, 这, 说) or a Chinese bracket (〖) among kana is a misreading."""
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def written_in(text: str, expect: str) -> bool:
    """Is the non-ASCII part of ``text`` mostly (>= 80 %) letters of script ``expect``?

    ``japanese`` means Han or kana with at least one kana once there are twelve or more
    characters: Japanese prose without kana does not exist, so a reading without any is
    a Chinese or Korean byte coincidence. ``chinese`` means Han, or Han and kana when
    every character is in the Japanese standard (see _japanese_repertoire): Japanese text
    stored in a Chinese code page.
    """
    # A bounded sample: the verdict on the first few hundred letters is the verdict.
    letters = "".join(filter(str.isalpha, _ASCII_RUN.sub("", text[:2000])))
    if not letters:
        return False
    if expect == "hangul":
        # Korean prose writes some words in hanja: mostly Hangul, the rest Han.
        hangul = _count_in_script(letters, "hangul")
        han = _count_in_script(letters, "han")
        return hangul >= 0.5 * len(letters) and hangul + han >= 0.8 * len(letters)
    if expect == "chinese":
        kana = _count_in_script(letters, "kana")
        han = _count_in_script(letters, "han")
        if kana and not _japanese_repertoire(text[:2000]):
            return False
        return kana + han >= 0.8 * len(letters)
    if expect == "japanese":
        kana = _count_in_script(letters, "kana")
        han = _count_in_script(letters, "han")
        if len(letters) >= 12 and not kana:
            return False
        return kana + han >= 0.8 * len(letters)
    return _count_in_script(letters, expect) >= 0.8 * len(letters)


def _load_frequency_ranks() -> dict[str, int]:
    """Rank of each listed character within its writing system (0 = most frequent)."""
    import tomllib
    from importlib import resources

    raw = resources.files("textmend").joinpath("data/frequent_characters.toml").read_text("utf-8")
    table = tomllib.loads(raw)
    weights = table.get("weight", {})
    ranks: dict[str, int] = {}
    for name, ordered in table["ranking"].items():
        for rank, char in enumerate(ordered, start=1):
            ranks.setdefault(char, rank * weights.get(name, 1))
            ranks.setdefault(char.upper(), rank * weights.get(name, 1))
    return ranks


FREQUENCY_RANKS = _load_frequency_ranks()
# The dozen most frequent non-ASCII letters of each alphabet: in a Russian text read as
# Greek (or KOI8-R as cp1251) they are exactly what goes missing.
FREQUENT_LETTERS = frozenset(
    char
    for char, rank in FREQUENCY_RANKS.items()
    if len(char) == 1
    and not char.isascii()
    and char.isalpha()
    and rank <= 12
    and script_of(char) != HAN
)


def _load_common_characters() -> frozenset[str]:
    """The unordered lists of common characters (data/frequent_characters.toml, [common])."""
    import tomllib
    from importlib import resources

    raw = resources.files("textmend").joinpath("data/frequent_characters.toml").read_text("utf-8")
    lists = tomllib.loads(raw).get("common", {})
    return frozenset(char for chars in lists.values() for char in chars if not char.isspace())


# Every character data/frequent_characters.toml lists: the ranked ones and the common ones.
_FREQUENT_OR_COMMON = frozenset(FREQUENCY_RANKS.keys() | _load_common_characters())
# Ideographs, kana and Hangul that cost less than the rest of their standard's frequent
# set: the ranked ones and the common ones.
FREQUENT_CJK = frozenset(
    char
    for char in _FREQUENT_OR_COMMON
    if len(char) == 1 and ord(char) >= 0x3040 and script_of(char) == HAN
)
UNRANKED = 1000

# A reading is spelled in its alphabet's frequent letters (typical_letters) when it holds
# this many letters of the alphabet and this share of them are ranked or common ones in
# data/frequent_characters.toml.
TYPICAL_LETTERS_MIN = 10
TYPICAL_LETTERS_SHARE = 0.75
# One character three times or more in a row.
_RUN_OF_THREE = re.compile(r"(.)\1\1+")


def typical_letters(text: str, script: str) -> bool:
    """Are at least TYPICAL_LETTERS_SHARE of the letters of ``script`` in ``text`` its
    frequent ones, with at least TYPICAL_LETTERS_MIN letters?

    Why: a valid GBK or EUC-KR decode is unlikely by chance, but Thai bytes sit in the high
    half like double-byte ones and decode as rare ideographs (ภาษาไทย read as cp1252 is
    also valid GBK: 酪梢浞锣). A Thai reading of the same bytes that keeps to the frequent
    letters is as unlikely by chance: in the char-dataset's lines of ten Thai letters or
    more a median 96 % of the letters are frequent ones (every line passes), in its
    Chinese, Japanese and Korean lines read through cp874 47-56 % (142 of 3,187 pass, and
    their own double-byte readings weigh as much and cost less). A letter three times or
    more in a row does not count as frequent: A1 opens the GB and KS punctuation row, so
    two ideographic spaces (A1 A1 A1 A1) read as กกกก, and ก is the fifth most frequent
    Thai letter; edited Thai does not repeat a letter so (chat's มากกก still passes on a
    long line). Ten letters or more: a four-syllable Korean word read as Thai (테터툴즈,
    ลืลอล๘ม๎) can reach the share by chance.
    """
    letters = _SCRIPT_CLASSES[script].findall(text)
    if len(letters) < TYPICAL_LETTERS_MIN:
        return False
    outside_runs = _SCRIPT_CLASSES[script].findall(_RUN_OF_THREE.sub("", text))
    frequent = sum(letter in _FREQUENT_OR_COMMON for letter in outside_runs)
    return frequent >= TYPICAL_LETTERS_SHARE * len(letters)


def frequency_rank(char: str) -> int:
    """How frequent ``char`` is within its writing system (lower is more frequent)."""
    return FREQUENCY_RANKS.get(char, UNRANKED)


def glued_to_ascii_letter(line: str, start: int, end: int) -> bool:
    """Does ``line[start:end]`` touch an ASCII letter? Mojibake glued into an English word
    (Indiaâ€™s) does; a real foreign character seldom sits against one."""
    before, after = line[start - 1 : start], line[end : end + 1]
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


# Thai is typed in a fixed order (the input sequence rules of the Thai standard, WTT 2.0):
# a vowel written above or below a consonant stands on a consonant, a tone mark and the
# signs ์ ํ on a consonant or on the vowel above or below it, a following vowel after the
# syllable it ends, and a leading vowel (เ แ โ ใ ไ) before a consonant. Each class of
# character, with the classes that may stand just before it.
_THAI_CONSONANT = "consonant"
_THAI_LEADING = "leading vowel"
_THAI_ABOVE_BELOW = "vowel above or below"
_THAI_TONE = "tone mark"
_THAI_SIGN = "sign"
_THAI_FOLLOWING = "following vowel"
_THAI_CLASSES: dict[str, str] = {
    **{chr(code): _THAI_CONSONANT for code in range(0x0E01, 0x0E2F)},
    **dict.fromkeys("\u0e40\u0e41\u0e42\u0e43\u0e44", _THAI_LEADING),
    **dict.fromkeys("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47", _THAI_ABOVE_BELOW),
    **dict.fromkeys("\u0e48\u0e49\u0e4a\u0e4b", _THAI_TONE),
    **dict.fromkeys("\u0e4c\u0e4d\u0e4e", _THAI_SIGN),
    **dict.fromkeys("\u0e30\u0e32\u0e33\u0e45", _THAI_FOLLOWING),
}
_THAI_MAY_FOLLOW: dict[str, frozenset[str | None]] = {
    _THAI_ABOVE_BELOW: frozenset({_THAI_CONSONANT}),
    _THAI_TONE: frozenset({_THAI_CONSONANT, _THAI_ABOVE_BELOW}),
    _THAI_SIGN: frozenset({_THAI_CONSONANT, _THAI_ABOVE_BELOW}),
    _THAI_FOLLOWING: frozenset(
        {_THAI_CONSONANT, _THAI_ABOVE_BELOW, _THAI_TONE, _THAI_SIGN, _THAI_FOLLOWING}
    ),
}
_THAI = re.compile("[\u0e01-\u0e4e]")


def misordered_thai(text: str) -> bool:
    """Does ``text`` write Thai out of the standard's typing order (see _THAI_CLASSES): a
    vowel sign or tone mark on no consonant, two vowels above one consonant, a leading
    vowel before anything but a consonant?

    Why: a legacy reading through TIS-620 (cp874) turns bytes of another encoding into Thai
    letters and marks at random places, and clean Thai never breaks the order (no line of
    the Thai documents in char-dataset does), so a reading that does is the wrong one."""
    if not _THAI.search(text):
        return False
    previous: str | None = None
    for char in text:
        kind = _THAI_CLASSES.get(char)
        if previous == _THAI_LEADING and kind != _THAI_CONSONANT:
            return True
        allowed = _THAI_MAY_FOLLOW.get(kind) if kind is not None else None
        if allowed is not None and previous not in allowed:
            return True
        previous = kind
    return previous == _THAI_LEADING
