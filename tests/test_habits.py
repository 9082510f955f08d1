"""The document's punctuation habits (inference.DocumentHabits) choose lost dashes."""

from __future__ import annotations

from collections import Counter

import pytest

import textmend
from damage_recipes import load_recipes
from textmend import lexicon
from textmend.inference import (
    EM_DASH,
    EN_DASH,
    DocumentChars,
    DocumentHabits,
    _currency_signs,
    _habit_languages,
    guess_punctuation,
)

needs_words = pytest.mark.skipif(not lexicon.available(), reason="wordfreq is not installed")


def test_the_documents_own_dash_wins() -> None:
    habits = DocumentHabits.of("„Der Preis — so hieß es — stieg“, sagt die Stadt – nicht das Land.")
    assert habits.spaced_dash == EM_DASH
    habits.learn(EN_DASH, "a ", " b")
    habits.learn(EN_DASH, "a ", " b")
    assert habits.spaced_dash == EN_DASH


def test_german_quotation_marks_call_for_an_en_dash() -> None:
    assert DocumentHabits.of("„Ja“, sagte er.").spaced_dash == EN_DASH


@needs_words
@pytest.mark.parametrize(
    ("damaged", "dash"),
    [
        # cp1252 mojibake saved as Latin-1: the dash's last two bytes became "?".
        ("Das MenÃ¼ kostet 25 â?¬ â?? gÃ¼nstiger als im Vorjahr, sagt die KÃ¶chin.", EN_DASH),
        ("KlÃ\xadmavÃ¡ltozÃ¡s â?? a vilÃ¡g nÃ©gy Ã©gtÃ¡jÃ¡n, Ã­rja a lap.", EN_DASH),
        ("The cafÃ© owner â?? a local man â?? said it would reopen soon.", EM_DASH),
        ("El alcalde â?? segÃºn el diario de la ciudad â?? llegÃ³ muy tarde.", EM_DASH),
    ],
)
def test_a_lost_spaced_dash_follows_the_languages_typography(damaged: str, dash: str) -> None:
    repaired = textmend.repair(damaged)
    assert f" {dash} " in repaired
    assert "?" not in repaired


@needs_words
def test_quotation_marks_are_put_back_only_in_languages_that_quote_with_the_english_pair() -> None:
    german = "?Ja?, sagte er, ?das stimmt? ? und ging nach Hause. Wie geht?s dir?"
    # The apostrophe is the same in German; the quotation („…“) and the dash are left.
    assert textmend.repair(german) == german.replace("geht?s", "geht’s")


def test_a_quotation_inside_a_quotation_opens_with_the_single_mark() -> None:
    damaged = "?The ?yes, but? from Russia is not good enough,? he said."
    assert textmend.repair(damaged) == "“The ‘yes, but’ from Russia is not good enough,” he said."


@needs_words
@pytest.mark.parametrize(
    ("clean", "recipe"),
    [
        # The closing mark of a quotation opened on an earlier line, after a comma.
        (
            "Prý to nebylo snadné, ale nakonec se to podařilo,“ řekl včera mluvčí úřadu.",
            "utf-8 read as gbk, bytes replaced",
        ),
        ("Das war nicht leicht, aber es hat am Ende geklappt,“ sagte der Sprecher.", None),
        ("Nie było łatwo, ale w końcu się udało,” powiedział wczoraj rzecznik urzędu.", None),
        # A quotation opened and closed on the line: „ closes with the language's mark.
        ("Az „egyetemi tanács” döntése szerint a hallgatók kedden írnak vizsgát.", None),
        ("Der Rat hat „keine Einwände“ gegen den Plan, sagte die Sprecherin.", None),
    ],
)
def test_a_lost_quotation_mark_is_the_one_of_the_documents_language(
    clean: str, recipe: str | None
) -> None:
    from damage_recipes import load_recipes

    damage = load_recipes().RECIPES_BY_NAME[recipe or "utf-8 read as gbk, bytes replaced"]
    damaged = damage.damage(clean)
    assert damaged is not None and damaged != clean
    assert textmend.repair(damaged) == clean


@pytest.mark.parametrize(
    "recipe",
    [
        "utf-8 read as gbk, bytes replaced",
        "utf-8 read as cp932, bytes replaced",
        "utf-8 read as cp1252, saved as latin-1 with '?'",
    ],
)
@pytest.mark.parametrize(
    "clean",
    [
        "“The ‘yes, but’ from Russia is not good enough,” Starmer said.",
        "Analysts asked how “some assets” might be divided between the parties.",
    ],
)
def test_a_quotation_an_earlier_run_opened_is_closed_by_its_own_mark(
    recipe: str, clean: str
) -> None:
    # The opening mark is read from its own run (losslessly, or inferred) before the run
    # that lost the closing one: the context of the later run is the line as read so far,
    # not the damage, or the open quotation is not seen and a plural possessive or a
    # double mark is put where the single one (or the double one) closes it.
    damaged = load_recipes().RECIPES_BY_NAME[recipe].damage(clean)
    assert damaged is not None and damaged != clean
    assert textmend.repair(damaged) == clean


# Every mark the General Punctuation block holds from U+2018 to U+2026, the candidates a
# lost last byte of E2 80 ?? leaves.
_GENERAL_PUNCTUATION = "".join(map(chr, range(0x2018, 0x2027)))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # After a word, outside any quotation: the mark trails off.
        ("She paused", " then spoke", "…"),
        ("She paused", "", "…"),
        ("Wait", ". Then", "…"),
        ("(and so on", ") next", "…"),
        # After a space, at the end of a line: nothing follows to open a quotation for.
        ("and then ", "", "…"),
        # Inside an open quotation the same place closes it.
        ("He said “yes", " and left", "”"),
        # A plural possessive in English.
        ("the players", " union", "’"),
    ],
)
def test_a_lost_mark_is_what_its_context_writes(before: str, after: str, expected: str) -> None:
    habits = DocumentHabits.of(before + after)
    guess = guess_punctuation(_GENERAL_PUNCTUATION, before, after, habits)
    assert guess is not None and guess.char == expected


_CURRENCY_BLOCK = "".join(map(chr, range(0x20A0, 0x20C1)))


@pytest.mark.parametrize(
    ("before", "after", "written", "expected"),
    [
        ("It costs 25 ", " now", "", "€"),
        ("It costs 25", ".", "", "€"),
        ("It costs ", "25 now", "", "€"),
        # The document's own sign, where it writes one of the candidates intact.
        ("It costs 25 ", " now", "Rent is 900 ₹ a month.", "₹"),
        # No amount beside it: no guess.
        ("The sign ", " is new", "", None),
    ],
)
def test_a_lost_currency_sign_is_read_beside_an_amount(
    before: str, after: str, written: str, expected: str | None
) -> None:
    habits = DocumentHabits.of(before + after)
    habits.written = DocumentChars(written + before + after)
    guess = guess_punctuation(_CURRENCY_BLOCK, before, after, habits)
    assert (guess.char if guess else None) == expected


@needs_words
def test_a_lost_currency_sign_is_the_one_of_the_documents_language() -> None:
    # Hebrew read as GBK: the shekel sign lost its last byte before the space.
    damaged = "המחיר הוא 50 ₪ בלבד, כולל מע״מ.".encode().decode("gbk", "ignore")
    assert textmend.repair(damaged) == "המחיר הוא 50 ₪ בלבד, כולל מע״מ."


def test_every_language_with_a_currency_sign_is_one_the_word_lists_name() -> None:
    named = {
        language for languages in lexicon._table()["scripts"].values() for language in languages
    }
    signs = _currency_signs()
    assert set(signs) <= named
    assert all(sign in _CURRENCY_BLOCK for sign in signs.values())


@pytest.mark.parametrize(
    ("damaged", "shown"),
    [
        # cp1252 German read as UTF-8: one mark per letter, between letters.
        ("Der B\ufffdrgermeister sagte, die Stra\ufffde sei gro\ufffd.", True),
        # English: its lost apostrophes and quotation marks sit beside letters too.
        ("The mayor\ufffds office said it \ufffdwon\ufffdt comment\ufffd.", True),
        # UTF-8 read as ASCII leaves two marks per letter, never one.
        ("Der B\ufffd\ufffdrgermeister sagte, die Stra\ufffd\ufffde sei gro\ufffd\ufffd.", False),
        # Other non-ASCII text: read some other way (UTF-8 read as Big5 leaves ideographs).
        ("Der B\ufffdrgermeister sagte, die Stra\ufffde sei gro\ufffd 鈥.", False),
        # One mark proves nothing.
        ("A file named caf\ufffd.txt", False),
    ],
)
def test_single_byte_text_read_as_utf8_is_told_by_its_marks(damaged: str, shown: bool) -> None:
    from textmend.lostbytes import shows_single_byte_read_as_utf8

    assert shows_single_byte_read_as_utf8(damaged) is shown


def test_single_byte_text_read_as_utf8_keeps_its_letters_through_the_second_look() -> None:
    """The second look sees the letters the first chose, which no such text holds; its
    marks must still be letters, not English apostrophes (três, not tr’s)."""
    if not lexicon.available():
        pytest.skip("needs the words extra")
    damaged = "Lisboa e S\ufffdo Paulo s\ufffdo tr\ufffds cidades com muitos sotaques."
    assert "’" not in textmend.repair(damaged)


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        (
            "India?s team said they?ll stay; I?m sure we?ve seen it.",
            "India’s team said they’ll stay; I’m sure we’ve seen it.",
        ),
        (
            "You?d think they?re done, but don?t count on it.",
            "You’d think they’re done, but don’t count on it.",
        ),
        # No English word takes 've, 're, 'd after these: the marks are lost letters.
        ("Na?ve readers don?t know it.", "Na?ve readers don’t know it."),
        (
            "The Cor?d and the Mo?re stay; India?s team left.",
            "The Cor?d and the Mo?re stay; India’s team left.",
        ),
    ],
)
def test_a_lost_apostrophe_before_a_short_form_follows_a_word_that_takes_it(
    damaged: str, repaired: str
) -> None:
    assert textmend.repair(damaged) == repaired


def test_a_feed_in_another_language_is_named_by_its_words_not_its_english_chrome() -> None:
    """Single-byte text read as UTF-8 in a feed: its tags, links and English chrome are
    left out of naming its language, and where English still comes first its many lost
    letters name the second language (lostbytes._single_byte_languages)."""
    if not lexicon.available():
        pytest.skip("needs the words extra")
    clean = (
        '<?xml version="1.0"?>\n<feed><title>Blogger: This is an Atom format feed of the'
        " blog, and you can read it in any feed reader that you like, or on the web page of"
        " the blog where it was written</title>\n"
        '<link href="http://www.example.com/feeds/posts/default"/>\n'
        "<entry><content>A magyar kormány szerint a gazdaság növekedése lassul, de a"
        " munkanélküliség csökken. Az új törvény szerint a családok több támogatást"
        " kapnak.</content></entry></feed>\n"
    )
    repaired = textmend.repair(clean.encode("cp1250").decode("utf-8", errors="replace"))
    for word in ("kormány", "gazdaság", "növekedése", "munkanélküliség", "családok"):
        assert word in repaired


# Samples of several scripts and languages, and some no list can name.
LANGUAGE_SAMPLES = [
    "The ministers met in the capital on Tuesday to discuss the ceasefire proposal.",
    "Officials said the talks were “constructive” and would continue next week.",
    "Der Preis stieg, sagt die Stadt, und die Gäste kamen trotzdem in großer Zahl.",
    "Večer jsme šli do divadla a potom domů, kde jsme dlouho mluvili.",
    "Le ministre a annoncé hier que les négociations reprendraient lundi.",
    "Wij gingen gisteren naar de markt en kochten verse groenten.",
    "Сегодня утром в Москве стояла ясная погода.",
    "東京では新しい図書館が開かれました。",
    "中华人民共和国的首都是北京。",
    "Ang mga ministro ay nagpulong sa kabisera noong Martes.",
    "12345 !!!",
    "xq zzv kkrt bplm",
    "",
]


@needs_words
@pytest.mark.parametrize("sample", LANGUAGE_SAMPLES)
def test_the_first_language_settled_early_is_the_first_of_the_languages(sample: str) -> None:
    first = lexicon.first_language_for(sample)
    languages = lexicon.languages_for(sample)
    assert first is None or first == languages[0]


@needs_words
def test_an_english_document_reads_one_word_list_for_its_habits() -> None:
    # Whether the document's languages space en dashes, quote with “…” or open with „ is
    # refused or granted by its first language alone: an English document no longer
    # reads the small lists of all 27 languages of the Latin script (0.15 s).
    sample = LANGUAGE_SAMPLES[0]
    lexicon.first_language_for.cache_clear()
    lexicon.frequent_words.cache_clear()
    habits = DocumentHabits.of(sample)
    assert habits.spaced_dash == EM_DASH
    assert habits.english_quotes
    assert habits.closer_of_low_quote == ""
    assert lexicon.frequent_words.cache_info().currsize == 1
    assert lexicon.first_language_for(sample) == "en"


@needs_words
@pytest.mark.parametrize("sample", LANGUAGE_SAMPLES)
def test_habits_read_through_the_first_language_are_those_of_all_languages(sample: str) -> None:
    # The answers as first written, from every language languages_for names.
    languages = lexicon.languages_for(sample) if sample else ()
    habits = DocumentHabits.of(sample)
    en_dash = _habit_languages("en_dash_languages")
    assert habits._en_dash_language() == (
        bool(languages) and all(lang in en_dash for lang in languages)
    )
    quoting = _habit_languages("english_quote_languages")
    assert habits.english_quotes == (not languages or any(lang in quoting for lang in languages))
    closer = ""
    for mark, habit in (
        ("“", "low_quote_left_close_languages"),
        ("”", "low_quote_right_close_languages"),
    ):
        if languages and all(lang in _habit_languages(habit) for lang in languages):
            closer = mark
    assert habits.closer_of_low_quote == closer


SINGLE_BYTE_DOCUMENTS = [
    "The mayor\ufffds office said it \ufffdwon\ufffdt comment\ufffd. India\ufffds team said"
    " they\ufffdll stay, and we\ufffdve seen the plan the council\ufffds members wrote.",
    "Der B\ufffdrgermeister sagte, die Stra\ufffde sei gro\ufffd und sch\ufffdn gewesen.",
    "Lisboa e S\ufffdo Paulo s\ufffdo tr\ufffds cidades com muitos sotaques.",
    "Blogger: This is an Atom format feed of the blog, and you can read it in any feed reader"
    " that you like. A magyar korm\ufffdny szerint a gazdas\ufffdg n\ufffdveked\ufffdse"
    " lassul, de a munkan\ufffdlk\ufffdlis\ufffdg cs\ufffdkken.",
]


@needs_words
@pytest.mark.parametrize("text", SINGLE_BYTE_DOCUMENTS)
def test_single_byte_languages_through_the_first_language_are_the_named_ones(text: str) -> None:
    from textmend import lostbytes

    habits = DocumentHabits(Counter(), written=DocumentChars(text))
    assert lostbytes._single_byte_shown(habits)
    # As first written: every language the prose's words name.
    sample = text[: lostbytes.SINGLE_BYTE_LANGUAGE_SAMPLE]
    named = lexicon.languages_for(lexicon.prose_of(sample))
    expected: tuple[str, ...] = ()
    if named and lostbytes._single_byte_letters(named[0]):
        expected = named
    elif len(named) > 1 and lostbytes._mostly_lost_letters(sample):
        expected = tuple(lang for lang in named[1:] if lostbytes._single_byte_letters(lang))
    assert lostbytes._single_byte_languages(habits) == expected


@needs_words
def test_an_english_documents_lost_apostrophes_read_one_word_list() -> None:
    from textmend import lostbytes

    text = SINGLE_BYTE_DOCUMENTS[0]
    lexicon.first_language_for.cache_clear()
    lexicon.frequent_words.cache_clear()
    habits = DocumentHabits(Counter(), written=DocumentChars(text))
    assert lostbytes._single_byte_languages(habits) == ()
    assert lexicon.frequent_words.cache_info().currsize == 1


def test_prose_leaves_out_markup_and_addresses_and_keeps_cdata_text() -> None:
    feed = (
        "<item><title>Klímaváltozás</title><description><![CDATA[寒霜冷雪]]></description>"
        " &amp; <link>http://www.bbc.co.uk/hungarian</link> írta: szerk@bbc.co.uk</item>"
    )
    assert lexicon.prose_of(feed) == "Klímaváltozás 寒霜冷雪 írta:"


@needs_words
def test_a_feed_is_named_by_its_prose_not_its_english_tags() -> None:
    # A Hungarian feed's tags are English words; its lost spaced dash is the Hungarian en
    # dash, as its prose says (an English em dash when the tags named the language).
    items = "".join(
        f"<item><title>{title}</title><link>http://www.bbc.co.uk/hungarian/{n}</link>"
        "<description>Read the full story at the BBC</description></item>\n"
        for n, title in enumerate(
            [
                "A kormány szerint a gazdaság növekedése lassul",
                "Klímaváltozás a világ négy égtáján",
                "A munkanélküliség csökken az országban",
            ]
        )
    )
    habits = DocumentHabits.of(items)
    assert "<title>" not in habits.language_sample
    assert habits.spaced_dash == "–"
