"""Inferring characters whose bytes were lost.

When a decoder drops a byte (GBK cannot pair 0x9D with a following space), or replaces it
with U+FFFD or ``?``, the character cannot be recovered by decoding; it can only be guessed.
The known bytes usually narrow it to a handful of candidates (E2 80 ?? is one of the General
Punctuation marks), and the surrounding text decides: a mark between two spaces is a dash,
between two digits a range dash, after a word inside an open quotation the closing quote,
between two letters an apostrophe. The document's own habits (spaced em dash or en dash)
break ties. Every guess is reported with a confidence below that of a lossless repair.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from textmend import lexicon
from textmend.layers import regional_code_pages

# Punctuation that news text actually uses, in the order used to break ties; the
# typographic hyphen last, read only where it joins two words (see _joins_words).
PUNCTUATION_PRIORITY = "’”“—–…‘•„‚″′\u2010"

# Each opening quotation mark and the mark that closes it. “ opens in English and closes
# in German („…“), so it is read as a closing mark only when „ is the open one.
QUOTE_PAIRS = {"“": "”", "„": "“", "‘": "’", "‚": "‘", "«": "»", "‹": "›", "「": "」"}
# The brackets of CJK text (quotations 「」『』, titles 《》〈〉, headings 【】) by their
# openers, and its pause signs: the enumeration comma 、, the full stop 。 and the
# full-width comma, full stop, semicolon and colon. A pause sign never stands next to
# another pause sign or to ！ or ？ (two signs of one pause), which a lost byte's candidates
# (E3 80 ?? is 、」』【〝 when the last byte is lost) often leave as the only check.
# Every character open_quote reads: the openers, the closers, and ” (which closes „ too).
_QUOTE_MARK = re.compile("[" + re.escape("".join({*QUOTE_PAIRS, *QUOTE_PAIRS.values(), "”"})) + "]")
CJK_BRACKETS = {"「": "」", "『": "』", "《": "》", "〈": "〉", "【": "】", "〔": "〕", "〖": "〗"}
CJK_PAUSES = frozenset("、。，．；：")
CJK_SENTENCE_ENDS = frozenset("。！？")
_CJK_NOT_BESIDE_PAUSE = CJK_PAUSES | frozenset("！？")
# The candidates the CJK sign rules judge (guess_cjk_sign, without_touching_pauses).
CJK_SIGNS = CJK_PAUSES | frozenset(CJK_BRACKETS.values())
# Quotation styles of languages that space their dashes as en dashes (German „…“, Polish,
# Czech): a hint when the document shows no dash of its own. Guillemets are no such hint:
# Russian pairs them with em dashes.
EN_DASH_QUOTES = frozenset("„‚")

OPENING_DOUBLE = "“"
CLOSING_DOUBLE = "”"
OPENING_SINGLE = "‘"
CLOSING_SINGLE = "’"
EM_DASH = "—"
EN_DASH = "–"
ELLIPSIS = "…"
HYPHEN = "\u2010"  # ‐, E2 80 90: typeset text and software catalogs write it for "-"
TIMES = "\u00d7"  # ×, C3 97: dimensions and resolutions between digits (4×5, 1920×1080)
# The dashes a lost character between digits is read as first (see _guess_by_context).
_DASHES = frozenset((EN_DASH, EM_DASH, HYPHEN))
# What may close a word's trailing ellipsis: sentence punctuation ("so….", "why…?") and
# closing brackets and ASCII quotes ("(and so on…)"). Not a comma (bench/
# punctuation_contexts.py's count found ” – “ ’ there, never …), nor any other sign, which
# may be damage itself (%s…%s for a lost ideograph) or a vowel sign of the word (Thai).
AFTER_ELLIPSIS = ".?!;)]}\"'"
EURO = "€"
# The Currency Symbols block (€ ₹ ₽ ₺ ₩ …): a lost sign there is read by _guess_currency.
CURRENCY_SIGNS = frozenset(map(chr, range(0x20A0, 0x20C1)))

# The characters of a document whose intact words name its language, taken from its
# prose (lexicon.prose_of) in the first PROSE_WINDOW characters: the tags and links of a
# feed or a page are English words whatever its language, and fill its first lines.
LANGUAGE_SAMPLE = 4000
PROSE_WINDOW = 4 * LANGUAGE_SAMPLE


@cache
def _habits_table() -> dict[str, object]:
    raw = resources.files("textmend").joinpath("data/punctuation_habits.toml").read_text("utf-8")
    return tomllib.loads(raw)


@cache
def _habit_languages(habit: str) -> frozenset[str]:
    languages = _habits_table()[habit]
    assert isinstance(languages, list)
    return frozenset(languages)


@cache
def _currency_signs() -> dict[str, str]:
    """The currency sign each listed language writes (data/punctuation_habits.toml)."""
    signs = _habits_table()["currency_sign"]
    assert isinstance(signs, dict)
    return signs


@cache
def english_contraction_hosts() -> dict[str, tuple[str, ...]]:
    """The English words each short form ('d, 'll, 're, 've, 'm) joins, by short form
    (data/punctuation_habits.toml)."""
    hosts = _habits_table()["english_contraction_hosts"]
    assert isinstance(hosts, dict)
    return {short_form: tuple(words) for short_form, words in hosts.items()}


# The confidence of a closing quotation mark read from the quotation open before it.
QUOTE_BALANCE_CONFIDENCE = 0.85

_HABIT_MARKS = re.compile("[" + re.escape(PUNCTUATION_PRIORITY + "".join(EN_DASH_QUOTES)) + "]")
_SPACED_DASHES = re.compile(f"(?<= )[{EM_DASH}{EN_DASH}](?= )")


@dataclass(frozen=True, slots=True)
class Guess:
    char: str
    confidence: float
    rule: str


class DocumentChars:
    """The set of characters a document holds, built on the first question about it.

    Only a "?" that may stand for a lost byte asks (see lostbytes._question_mark_bytes), and
    most repaired documents have none, while building the set costs milliseconds per
    megabyte. It is true exactly when the document is not empty, like the set itself.
    """

    __slots__ = ("_chars", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._chars: frozenset[str] | None = None

    def __contains__(self, char: object) -> bool:
        if self._chars is None:
            self._chars = frozenset(self._text)
        return char in self._chars

    def __bool__(self) -> bool:
        return bool(self._text)

    @property
    def text(self) -> str:
        return self._text


@dataclass(slots=True)
class DocumentHabits:
    """Punctuation habits read from the parts of a document that are not damaged, and
    the characters the document holds at all (``written``: which bytes a converter could
    still write, so that a "?" it left stands for one it could not)."""

    counts: Counter[str]
    written: Container[str] = frozenset()
    # How many "?" one lost character became, and whether the document spaces its
    # question marks (French); read on the first question (see lostbytes).
    mark_width: int | None = None
    spaced_questions: bool = False
    en_dash_language: bool | None = None
    quotes_english: bool | None = None
    low_quote_closer: str | None = None
    language_currency: str | None = None
    regional_page: str | None = None  # "" where asked and none (see regional_code_page)
    # The prose at the start of the document as repaired so far (see LANGUAGE_SAMPLE),
    # whose words name its language.
    sample: str = ""
    # By decoder: does a line of the document show UTF-8 that it read with replacement,
    # unmistakably? Asked on the first short damaged line (see lostbytes).
    double_byte_shown: dict[str, bool] = field(default_factory=dict)
    # Does the document show single-byte text read as UTF-8, and are its marks outside
    # words lost English punctuation (see lostbytes)?
    single_byte_shown: bool | None = None
    single_byte_punctuation: bool | None = None
    # The languages whose letters a U+FFFD of single-byte text read as UTF-8 may stand
    # for, where the document shows that damage (none where not); read on the first such
    # mark (see lostbytes).
    single_byte_languages: tuple[str, ...] | None = None

    @property
    def document_text(self) -> str:
        """The document's text, where ``written`` knows it (else nothing)."""
        return self.written.text if isinstance(self.written, DocumentChars) else ""

    @classmethod
    def of(cls, text: str) -> DocumentHabits:
        """Counts of the habit marks of ``text``; a dash with a space on each side counts
        as a spaced dash only. Two regex scans: this runs on every repaired document."""
        counts = Counter(_HABIT_MARKS.findall(text))
        for dash in _SPACED_DASHES.findall(text):
            counts["spaced" + dash] += 1
            counts[dash] -= 1
        return cls(+counts, sample=lexicon.prose_of(text[:PROSE_WINDOW])[:LANGUAGE_SAMPLE])

    def learn(self, char: str, before: str, after: str) -> None:
        if char in "—–" and before.endswith(" ") and after.startswith(" "):
            self.counts["spaced" + char] += 1
        self.counts[char] += 1

    @property
    def spaced_dash(self) -> str:
        """The dash this document sets between spaces: the one it uses most, else the
        one its quotation marks (German „…“) or its language's typography call for."""
        en, em = self.counts["spaced–"], self.counts["spaced—"]
        if en == em:
            if any(self.counts[q] for q in EN_DASH_QUOTES) or self._en_dash_language():
                return EN_DASH
            return EM_DASH
        return EN_DASH if en > em else EM_DASH

    @property
    def english_quotes(self) -> bool:
        """Does the document quote with “…” (data/punctuation_habits.toml)? True when its
        language cannot be named."""
        if self.quotes_english is None:
            if self._first_language() in _habit_languages("english_quote_languages"):
                self.quotes_english = True  # any() of the languages holds
            else:
                languages = self._languages()
                self.quotes_english = not languages or any(
                    language in _habit_languages("english_quote_languages")
                    for language in languages
                )
        return self.quotes_english

    @property
    def closer_of_low_quote(self) -> str:
        """The mark that closes „ in the document's language (data/punctuation_habits.toml):
        “ or ”; empty when its languages do not open quotations with „ (every language its
        words leave open must agree), or when they cannot be named."""
        if self.low_quote_closer is None:
            habits = (
                (OPENING_DOUBLE, "low_quote_left_close_languages"),
                (CLOSING_DOUBLE, "low_quote_right_close_languages"),
            )
            self.low_quote_closer = ""
            first = self._first_language()
            if first is not None and all(first not in _habit_languages(h) for _, h in habits):
                return self.low_quote_closer  # all() of the languages fails for both
            languages = self._languages()
            for closer, habit in habits:
                if languages and all(lang in _habit_languages(habit) for lang in languages):
                    self.low_quote_closer = closer
        return self.low_quote_closer

    @property
    def currency_sign(self) -> str:
        """The currency sign of the document's language (data/punctuation_habits.toml),
        where every language its words leave open writes the same one; the euro
        otherwise."""
        if self.language_currency is None:
            signs = {_currency_signs().get(language, EURO) for language in self._languages()}
            self.language_currency = signs.pop() if len(signs) == 1 else EURO
        return self.language_currency

    @property
    def regional_code_page(self) -> str:
        """The Windows code page of the document's language (data/damage_layers.toml),
        where every language its words leave open reads with the same one; "" otherwise
        (or where the words name no language)."""
        if self.regional_page is None:
            first = self._first_language()
            languages = (first,) if first is not None else self._languages()
            pages = {regional_code_pages().get(language, "") for language in languages}
            self.regional_page = pages.pop() if len(pages) == 1 else ""
        return self.regional_page

    @property
    def language_sample(self) -> str:
        """The start of the document whose words name its languages: as repaired so far
        where known, else as written."""
        return self.sample or self.document_text[:LANGUAGE_SAMPLE]

    def _languages(self) -> tuple[str, ...]:
        """The document's languages, named by its intact words (lexicon.languages_for, with
        the optional word lists)."""
        sample = self.language_sample
        return lexicon.languages_for(sample) if sample else ()

    def _first_language(self) -> str | None:
        """The first of :meth:`_languages` where the word lists settle it without reading
        them all (lexicon.first_language_for), else None. A habit every language of the
        document must share is refused by the first alone, and one any may show is granted
        by it: an English document then reads one list, not 27."""
        sample = self.language_sample
        return lexicon.first_language_for(sample) if sample else None

    def _en_dash_language(self) -> bool:
        """Is the document in a language that spaces en dashes (data/punctuation_habits.toml)?
        Its intact words name the language (lexicon.languages_for, with the optional word
        lists); every language they leave open must agree."""
        if self.en_dash_language is None:
            first = self._first_language()
            if first is not None and first not in _habit_languages("en_dash_languages"):
                self.en_dash_language = False  # all() of the languages fails
            else:
                languages = self._languages()
                self.en_dash_language = bool(languages) and all(
                    language in _habit_languages("en_dash_languages") for language in languages
                )
        return self.en_dash_language


def open_quote(before: str) -> str | None:
    """The quotation mark still open at the end of ``before``, if any. „ closes with “
    (German) or ” (Polish, Hungarian)."""
    stack: list[str] = []
    # Only the quotation marks of the line matter, picked out in C: the line before a lost
    # mark is read for every lost mark of it.
    for char in _QUOTE_MARK.findall(before):
        if stack and (char == QUOTE_PAIRS[stack[-1]] or (stack[-1] == "„" and char == "”")):
            stack.pop()
        elif char in QUOTE_PAIRS and char != "’":
            stack.append(char)
    return stack[-1] if stack else None


def open_cjk_bracket(before: str) -> str | None:
    """The CJK bracket still open at the end of ``before`` (the innermost), if any."""
    stack: list[str] = []
    for char in before:
        if char in CJK_BRACKETS:
            stack.append(char)
        elif stack and char == CJK_BRACKETS[stack[-1]]:
            stack.pop()
    return stack[-1] if stack else None


def guess_cjk_sign(
    candidates: Sequence[str], before: str, after: str, next_lost: Sequence[str] = ()
) -> Guess | None:
    """The closer of the CJK bracket open before a lost sign, where the place shows that
    a bracket closes there: right after a sentence's end (。」), right before a pause
    sign or the line's end (」，), or right before another lost sign that may be a pause
    (``next_lost``, its candidates: of 」、 both lost, 、」 is no reading, as a pause
    never comes right before a closing bracket); or where the rest of the line, whole,
    never closes the bracket.

    ``before`` is the line up to the lost character (already repaired), ``after`` the
    rest. Between two words inside an open quotation the sign may as well be an
    enumeration comma (「甲、乙」), so it is the closer only where the rest of the line
    shows none and holds no lost character that could be one (see _whole_rest): in the
    Chinese and Japanese files of char-dataset, of the 」 and 、 after a word inside an
    open bracket and before another, 751 against 18 are the closer there, but only 335
    against 150 where the line closes the bracket later.
    """
    opened = open_cjk_bracket(before)
    if opened is None or CJK_BRACKETS[opened] not in candidates:
        return None
    closer = CJK_BRACKETS[opened]
    prev, nxt = before[-1:], after[:1]
    pause_next = nxt in _CJK_NOT_BESIDE_PAUSE or any(char in CJK_PAUSES for char in next_lost)
    if prev in CJK_SENTENCE_ENDS or pause_next or not after.strip():
        return Guess(closer, QUOTE_BALANCE_CONFIDENCE, f"closes the open {opened}")
    if closer not in after and not next_lost and _whole_rest(after):
        return Guess(closer, LOST_CLOSER_CONFIDENCE, f"the only place left to close {opened}")
    return None


# A lost sign read as the closer of its open bracket because the rest of the line never
# closes it: less sure than a closer the place itself shows (a quotation may go on to the
# next line).
LOST_CLOSER_CONFIDENCE = 0.7
# What a line's rest shows when a lost character's damage is still in it: U+FFFD or "?"
# for the lost byte, or a lead byte of a sequence whose continuation was dropped without
# a trace, which cp1252 and Latin-1 write among À-ÿ.
_UNREPAIRED = re.compile("[\ufffd?\u00c0-\u00ff]")


def _whole_rest(after: str) -> bool:
    """Does the rest of a line, ``after``, hold no damage that could hide a character?"""
    return _UNREPAIRED.search(after) is None


def guess_fullwidth_end(
    candidates: Sequence[str], before: str, after: str, next_lost: Sequence[str] = ()
) -> Guess | None:
    """The fullwidth ！ or ？ where a lost sign ends a Chinese or Japanese sentence: after
    a character of the line's own script and before a space, the line's end or a closing
    bracket (or a lost sign that may be one, ``next_lost``: its candidates), where only
    one of the two is a candidate.

    Why: ！ is EF BC 81, and cp1252 leaves 81 undefined: ``買え！ つー`` lost it, and its
    candidates (！－／０＝, EF BC 81 8D 8F 90 9D) are all fullwidth forms that likelihood
    cannot rank. In the Chinese and Japanese files of char-dataset, of the fullwidth forms
    after such a character and before a space, the end or a closer, 477 are ！ and 288 ？,
    and ＝, the next of these candidates, 12.
    """
    ends = [char for char in candidates if char in FULLWIDTH_ENDS]
    if len(ends) != 1:
        return None
    prev, nxt = before[-1:], after[:1]
    if not prev or ord(prev) < _CJK_SCRIPTS_START:
        return None
    closer_next = nxt in _CLOSERS_AFTER_AN_END or not _CLOSERS_AFTER_AN_END.isdisjoint(next_lost)
    if nxt and not nxt.isspace() and not closer_next:
        return None
    return Guess(ends[0], 0.6, "ends the sentence before a space or a closer")


FULLWIDTH_ENDS = frozenset("！？")
_CLOSERS_AFTER_AN_END = frozenset(CJK_BRACKETS.values()) | frozenset("）")
# Where the CJK radicals begin: from here on are the scripts of Chinese, Japanese and
# Korean (kana, ideographs, Hangul) and the fullwidth forms.
_CJK_SCRIPTS_START = 0x2E80


def without_touching_pauses(candidates: Sequence[str], before: str, after: str) -> list[str]:
    """``candidates`` without the CJK pause signs that would touch another pause sign (a
    lost 、 or 。 right after 。 or before ，), where any candidate remains."""
    prev, nxt = before[-1:], after[:1]
    if prev not in _CJK_NOT_BESIDE_PAUSE and nxt not in _CJK_NOT_BESIDE_PAUSE:
        return list(candidates)
    kept = [char for char in candidates if char not in CJK_PAUSES]
    return kept or list(candidates)


def _is_space(char: str) -> bool:
    return char == "" or char.isspace()


def guess_punctuation(
    candidates: str, before: str, after: str, habits: DocumentHabits
) -> Guess | None:
    """Choose among ``candidates`` the mark that fits between ``before`` and ``after``.

    ``before`` is the line up to the lost character (already repaired), ``after`` the rest.
    Returns None when the context does not single one out.
    """
    usable = [
        char
        for char in PUNCTUATION_PRIORITY
        if char in candidates and (char != HYPHEN or _joins_words(before, after))
    ]
    if not usable:
        return _guess_currency(candidates, before, after, habits) or guess_times(
            candidates, before, after
        )
    guess = _guess_by_context(usable, before, after, habits)
    if guess is None and len(usable) == 1:
        # The lost bytes themselves leave one reading (cp1252 cannot decode 0x9D, so
        # "â€" + U+FFFD can only have been ”).
        return Guess(usable[0], 0.6, "only candidate")
    return guess


def _guess_currency(
    candidates: str, before: str, after: str, habits: DocumentHabits
) -> Guess | None:
    """A currency sign beside an amount (25 €, €25, 10€.): the sign the document writes
    intact where it writes exactly one of the candidates, else the one its language writes
    (the euro where the language has none of the block's signs or cannot be named: by
    far the most written sign of the Currency Symbols block, E2 82 ?? in UTF-8, whose last
    byte a double-byte decoder drops before a space or a digit)."""
    signs = [char for char in candidates if char in CURRENCY_SIGNS]
    if not signs or not _beside_amount(before, after):
        return None
    written = [char for char in signs if char in habits.written]
    if len(written) == 1:
        return Guess(written[0], 0.6, "the document's currency, beside an amount")
    sign = habits.currency_sign
    if sign in signs:
        return Guess(sign, 0.5, "the currency of the document's language, beside an amount")
    return None


def guess_times(candidates: Sequence[str], before: str, after: str) -> Guess | None:
    """The multiplication sign between two digits, with no space (4×5 m, 1920×1080), where
    it is among a lost character's readings and no dash is (× is C3 97, its last byte
    cp1252's —, lost to a "?" with the rest of Latin-1's C1 range; its other readings
    there are capitals). A letter is not written glued between two digits; a dash is,
    and is read first (see :func:`guess_punctuation`)."""
    if (
        TIMES in candidates
        and not any(char in _DASHES for char in candidates)
        and before[-1:].isdigit()
        and after[:1].isdigit()
    ):
        return Guess(TIMES, 0.6, "between digits, no dash among the readings")
    return None


def _beside_amount(before: str, after: str) -> bool:
    """Does a number end right before the place, or start right after it, with at most
    one space between?"""
    before = before[:-1] if before.endswith(" ") else before
    after = after[1:] if after.startswith(" ") else after
    return before[-1:].isdigit() or after[:1].isdigit()


def _joins_words(before: str, after: str) -> bool:
    """Does a lost mark between ``before`` and ``after`` touch a word on one side and a
    word or a slash on the other, with no space: where a hyphen stands (Ein‐/Ausgabe,
    Prozess‐ID, 555‐0100), and no quotation mark, which has a space or a sign on one side?

    Why: cp1252 leaves 0x90 undefined as it does 0x9D, so a lost ‐ (E2 80 90) and a lost
    ” (E2 80 9D) leave the same ``â€�``. Read as ” wherever ” was the only mark of the
    two the guesser knew, every hyphenated word of a catalog that writes ‐ became
    ``Shell”Ebene``.
    """
    prev, nxt = before[-1:], after[:1]
    joined = (prev.isalnum() and (nxt.isalnum() or nxt == "/")) or (prev == "/" and nxt.isalnum())
    # (Chinese, Japanese, Thai: quotation marks stand between letters there.)
    return joined and not (lexicon.is_unspaced(prev) or lexicon.is_unspaced(nxt))


def _guess_by_context(
    usable: list[str], before: str, after: str, habits: DocumentHabits
) -> Guess | None:
    prev = before[-1:] if before else ""
    nxt = after[:1]

    def pick(char: str, confidence: float, rule: str) -> Guess | None:
        return Guess(char, confidence, rule) if char in usable else None

    if prev.isdigit() and nxt.isdigit():
        return (
            pick(EN_DASH, 0.8, "between digits")
            or pick(EM_DASH, 0.6, "between digits")
            or pick(HYPHEN, 0.6, "between digits")
        )
    if _is_space(prev) and _is_space(nxt) and before.strip() and after.strip():
        dash = habits.spaced_dash
        return pick(dash, 0.8, "between spaces") or pick(
            EN_DASH if dash == EM_DASH else EM_DASH, 0.6, "between spaces"
        )
    if prev.isalpha() and nxt.isalpha():
        guess = pick(CLOSING_SINGLE, 0.8, "between letters")
        if guess is None and not open_quote(before):
            guess = pick(HYPHEN, 0.7, "between letters, no quotation open")
        return guess

    # „ opens the quotations of some languages, and what closes it depends on which.
    # Asked only where the answer is used: naming the language reads the word lists, and
    # most lost quotes close one the line opened (“…” in English needs no language).
    def low_closer() -> str:
        return habits.closer_of_low_quote if "„" in usable or "“" in usable else ""

    def closing_double() -> str:
        return OPENING_DOUBLE if low_closer() == OPENING_DOUBLE else CLOSING_DOUBLE

    # (At the line's end nothing follows: "" is in every string.)
    if _is_space(prev) and nxt and (nxt.isalnum() or nxt in "‘'%$€£#"):
        if open_quote(before) == OPENING_DOUBLE:
            # A quotation inside a quotation opens with the single mark.
            return pick(OPENING_SINGLE, 0.7, "before a word, inside a quotation")
        if low_closer():
            return pick("„", 0.7, "before a word, in a language that quotes with „")
        return pick(OPENING_DOUBLE, 0.7, "before a word") or pick(
            OPENING_SINGLE, 0.6, "before a word"
        )
    if not _is_space(prev):
        opened = open_quote(before)
        if opened:
            closer = (low_closer() or QUOTE_PAIRS[opened]) if opened == "„" else QUOTE_PAIRS[opened]
            return pick(closer, QUOTE_BALANCE_CONFIDENCE, f"closes the open {opened}")
        if _joins_words(before, after):
            return pick(HYPHEN, 0.6, "joins a word to the next, no quotation open")
        if prev in ".,!?" and _is_space(nxt):
            return pick(closing_double(), 0.6, "after sentence punctuation")
        if prev.isalpha() and _is_space(nxt):
            if prev in "sS" and habits.english_quotes:
                # An English plural possessive (the players’ union); other languages
                # have no such apostrophe.
                return pick(CLOSING_SINGLE, 0.55, "plural possessive")
            # No quotation is open, so a closing quote is the least likely mark here: in
            # the web text of the HTML benchmarks a mark between a word (not ending in s)
            # and a space or the line's end, outside any quotation, was … 161 times in
            # 219 and ” 6 (bench/punctuation_contexts.py counts them).
            rule = "at the end of a line" if nxt == "" else "after a word, no quotation open"
            return pick(ELLIPSIS, 0.5, rule) or pick(closing_double(), 0.5, rule)
        if prev.isalpha() and nxt and nxt in AFTER_ELLIPSIS:
            # "wait….", "(and so on…)": the same count gave … 26 times in 30 before a
            # full stop, and 33 in 39 before any other sign, brackets and quotes among them.
            return pick(ELLIPSIS, 0.5, "between a word and the punctuation that ends it")
    elif prev and nxt == "" and before.strip():
        # A mark after a space that ends a line trails off ("and then …"): 49 times in 60.
        return pick(ELLIPSIS, 0.5, "after a space at the end of a line")
    return None
