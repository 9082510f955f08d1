"""Unit tests of the boilerplate stage (plain text)."""

from __future__ import annotations

import re
import time

import pytest

from textmend.boilerplate import (
    KEYWORD_RULES,
    RULES,
    STOPWORDS,
    _is_names,
    categories,
    classify_line,
    filter_text,
    find_boilerplate,
    pick_stopwords,
)
from textmend.pipeline import clean_text
from textmend.settings import Options

PARAGRAPH = (
    "The council voted on Tuesday to extend the program for another year, and the mayor said "
    "that the decision was made after a long debate with residents of the city."
)
SECOND = (
    "Officials said they would publish the full budget in the spring, after the auditors have "
    "finished their review of the accounts and the spending of the previous year."
)


def article(*middle: str) -> str:
    return "\n".join([PARAGRAPH, *middle, SECOND]) + "\n"


def categories_of(lines: list[str]) -> dict[int, str]:
    """The category of each line :func:`find_boilerplate` removes, by index."""
    return {index: verdict.category for index, verdict in find_boilerplate(lines).items()}


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Advertisement", "advertisement"),
        ("People are also reading…", "widget"),
        ("Read more: Council approves the new budget", "widget"),
        ("Copyright © 2025 The Washington Times, LLC.", "copyright"),
        ("Please read our comment policy before commenting.", "comments"),
        ("Share on Facebook", "social"),
        ("* Facebook", "social"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("5 min read", "reading-time"),
        ("Updated: Nov. 19, 2019 6:55 AM", "reading-time"),
        ("November 20, 2019 / 1:07 AM / CBS News", "dateline"),
        ("By Phil Helsel", "byline"),
        ("Image copyright Getty Images", "caption-credit"),
        ("Sanjeev Verma/Hindustan Times/Getty Images", "caption-credit"),
        ("Auch interessant:", "widget-multilingual"),
        ("À lire aussi", "widget-multilingual"),
        ("Czytaj też:", "widget-multilingual"),
        ("Leer más: El consejo aprueba el presupuesto", "widget-multilingual"),
        ("関連記事", "widget-multilingual"),
        ("相关阅读：", "widget-multilingual"),
        ("Photo: Gene J. Puskar", "caption-credit"),
        ("Getty Images", "caption-credit"),
        ("+ 1", "counter"),
        ("Share on Facebook Share on Twitter Share via Email", "social"),
        ("Julius is an LA Entertainment Reporter for Fox News.", "byline"),
        ("|\xa0\xa0Weitere\xa0Artikel\xa0zum\xa0Thema |", "widget-multilingual"),
        ("Le puede interesar: JEP abrirá tres nuevos macrocasos", "widget-multilingual"),
        (
            "À lire aussi » Ballonnements, lourdeurs : quel est votre profil ?",
            "widget-multilingual",
        ),
        ("(Leggi anche su: I Cavalieri dello Zodiaco – FOTO)", "widget-multilingual"),
        ("Letzte Änderung 14.02.2019", "widget-multilingual"),
        (
            "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)",
            "widget-multilingual",
        ),
        ("Image illustrative : Lego Minifigures by Ninja Brick", "caption-credit"),
        ("Informationsschreiben vom 14. Oktober 2021 PDF | 38 KB | nicht barrierefrei", "widget"),
        ("China furious at Macron for Hong Kong protest jibe [INSIGHT]|", "link-list"),
        ("Do you want to be informed of our actions? Sign up here", "newsletter"),
        ("We may earn a commission when you buy through links on our site.", "advertisement"),
        ("Follow AP's full coverage of Brexit at https://www.apnews.com/Brexit", "widget"),
        ("Download: http://po.st/TP_615Download", "widget"),
        ("City Desk Staff Writer", "byline"),
        ("Senior correspondent", "byline"),
        ("You may also be interested in...", "widget"),
        ("About the author", "widget"),
        ("Buffer", "social"),
        ("Von Anna Müller und Jörg Weber", "byline"),
        ("Par Jean Dupont", "byline"),
        ("Lesezeit: 4 Min.", "reading-time"),
        ("3 min de lecture", "reading-time"),
        ("The harbour at dawn on Monday Credit: Jane Doe/City Desk", "caption-credit"),
        ("- Next Auto News", "widget"),
        ("À propos de l\u2019auteur", "widget"),
        ("Sobre el autor:", "widget"),
        ("Why you can trust Sky News", "widget"),
        ("Support Snopes and make a difference for readers everywhere.", "newsletter"),
        ("A Word to Our Loyal Readers", "newsletter"),
        ("Support independent journalism", "newsletter"),
        ("Become a member today and read without limits.", "newsletter"),
        ("Next stories:", "widget"),
        (
            '&lt;span data-mce-type="bookmark" style="display: inline-block;"&gt;&lt;/span&gt;',
            "markup",
        ),
        ("&lt;/div&gt;", "markup"),
        (
            "[button link=”http://example.com/submit/” type=”big”] Send us YOUR review[/button]",
            "markup",
        ),
        ('[caption id="attachment_12" align="alignnone"] The harbour at dawn', "markup"),
    ],
)
def test_phrase_rules_remove_chrome_lines(line: str, category: str) -> None:
    verdict = classify_line(line)
    assert verdict is not None, line
    assert verdict.category == category
    assert verdict.reason


@pytest.mark.parametrize(
    "line",
    [
        "Ceasefire Talks",
        "Kremlin Responds as Talks Gain Momentum",
        "Looking Ahead: Will a Ceasefire Materialize?",
        "By the end of the year the city expects to have hired forty new teachers, the mayor said.",
        "Readers can share their views at the public meeting on Monday.",
        "- Associated Press - Monday, March 17, 2025",
        "He said the advertisement had been approved by the board.",
        "Milk was delivered every morning, and the click here of the gate woke us.",
        "The firm said it may earn more next year [as reported] in March.",
        "He lost 38 kb of data, he said, when the PDF | reader crashed in 2019.",
        "| Pos | Player | Plays | % |",
        "A Note From the Editor",
        "Letters to the editor",
        "The senior editor said the paper would appeal.",
        "She gave credit: the team did the work/the planning.",
        "About the harbour",
        "Am 20. November 2019 kam der Stadtrat zusammen.",
        "Von Berlin aus fuhr der Zug weiter nach Hamburg.",
        "Di solito il sindaco parla il lunedì.",
        "Par ailleurs",
        # Near the markup and "next ... news" rules, article text that stays.
        "[Update: the council replied on Tuesday.]",
        "[VIDEO] Watch the launch of the new ferry",
        "[1] Source: city council minutes",
        'Use <div class="note"> to wrap the note, as the guide says.',
        "The &lt;div&gt; element groups content, the tutorial explains.",
        "Next, the council will vote on the budget",
        "The next news conference is on Monday.",
        "Next week's stories",
        "Nächste Woche",
        "About the author of the report, little is known.",
        "Sobre el autor de la carta no se sabe nada.",
        "Why you can trust your doctor is a question many ask.",
        "Why you can trust the results",
        "Support for local journalism fell, the survey found.",
        "Supporters of the mayor became members of the board.",
        "Support the team and help the coach, the captain told the fans.",
        "",
        "x" * 5000,
    ],
)
def test_article_lines_are_not_boilerplate(line: str) -> None:
    assert classify_line(line) is None


def test_filter_removes_and_reports_with_line_numbers() -> None:
    text = article("Advertisement", "Ceasefire Talks")
    result = filter_text(text)
    assert result.text == article("Ceasefire Talks")
    assert [(r.line, r.text, r.category) for r in result.removed] == [
        (2, "Advertisement", "advertisement")
    ]


@pytest.mark.parametrize("end", ["\r\n", "\r", "\u2028", "\x85", "\x0c", ""])
def test_removed_line_is_reported_without_its_line_end(end: str) -> None:
    rest = f"{SECOND}\n" if end else ""  # "": the last line, without an end
    result = filter_text(f"{PARAGRAPH}\nAdvertisement  {end}{rest}")
    assert [(r.line, r.text) for r in result.removed] == [(2, "Advertisement  ")]
    assert result.text == f"{PARAGRAPH}\n{rest}"


def test_mark_mode_keeps_lines_with_a_marker() -> None:
    text = article("Advertisement")
    options = Options(mark_boilerplate=True)
    result = filter_text(text, options=options)
    assert result.text == article("[boilerplate] Advertisement")
    assert len(result.removed) == 1


def test_keep_mode_changes_nothing() -> None:
    text = article("Advertisement", "Share on Facebook")
    result = filter_text(text, options=Options(remove_boilerplate=False))
    assert result.text == text
    assert result.removed == []


def test_link_list_after_the_article_is_removed_but_an_inline_list_stays() -> None:
    inline = ["* apples from the market", "* pears from the orchard", "* three lemons"]
    teasers = [
        "* Council approves new budget after long debate in the city",
        "* Mayor names new head of the city transport department",
        "* Schools to get forty new teachers next year says council",
    ]
    text = "\n".join([PARAGRAPH, *inline, SECOND, *teasers]) + "\n"
    verdicts = find_boilerplate(text.splitlines())
    assert sorted(verdicts) == [5, 6, 7]  # 0-based: the three teasers after SECOND
    assert {v.category for v in verdicts.values()} == {"link-list"}


def test_no_structural_removal_without_prose() -> None:
    lines = ["* Cars and trucks", "* Bikes", "* Trains of the north"]
    assert find_boilerplate(lines) == {}


def test_stopword_lists_pick_the_language() -> None:
    german = (
        "Der Stadtrat hat am Dienstag beschlossen, dass das Programm um ein weiteres Jahr "
        "verlängert wird, und der Bürgermeister sagte, dass die Entscheidung nach einer "
        "langen Debatte mit den Bewohnern der Stadt gefallen sei."
    )
    assert pick_stopwords(german) == STOPWORDS["german"]
    assert pick_stopwords(PARAGRAPH) == STOPWORDS["english"]
    assert pick_stopwords("") == frozenset()


def test_german_article_with_german_chrome() -> None:
    body = (
        "Der Stadtrat hat am Dienstag beschlossen, dass das Programm um ein weiteres Jahr "
        "verlängert wird, und der Bürgermeister sagte, dass es eine lange Debatte gab."
    )
    text = "\n".join([body, "Auch interessant:", "Zwischenüberschrift", body]) + "\n"
    result = filter_text(text)
    assert [r.text for r in result.removed] == ["Auch interessant:"]
    assert "Zwischenüberschrift" in result.text


def test_every_category_is_listed() -> None:
    listed = set(categories())
    assert {rule.category for rule in (*RULES, *KEYWORD_RULES)} <= listed
    assert {"link-list", "caption-credit"} <= listed


def _unbounded_quantifiers(pattern: str) -> str:
    """The ``+``/``*`` quantifiers of ``pattern`` (escapes and character classes removed)."""
    without_escapes = re.sub(r"\\.", "", pattern)
    without_classes = re.sub(r"\[[^\]]*\]", "", without_escapes)
    return "".join(ch for ch in without_classes if ch in "+*")


def test_every_repetition_in_the_rules_is_bounded() -> None:
    # Bounded repetitions ({0,N}) cannot backtrack catastrophically whatever the nesting.
    keyword_patterns = [p.pattern for rule in KEYWORD_RULES for p in (rule.head, rule.tail)]
    for pattern in [rule.pattern.pattern for rule in RULES] + keyword_patterns:
        assert _unbounded_quantifiers(pattern) == "", pattern
    assert _unbounded_quantifiers("(?:a+)+b") == "++"


def test_huge_lines_are_handled_quickly() -> None:
    # Patterns are bounded and long lines skip the regexes: a 10 MB line must not hang.
    text = PARAGRAPH + "\n" + ("word " * 2_000_000) + "\n" + "a," * 1_000_000 + "\n"
    started = time.perf_counter()
    result = filter_text(text)
    assert result.removed == []
    assert time.perf_counter() - started < 60  # generous: a backtracking bug takes hours


def test_pipeline_reports_removed_lines() -> None:
    cleaned = clean_text(article("Advertisement"))
    assert [r.category for r in cleaned.removed] == ["advertisement"]
    assert "Advertisement" not in cleaned.text


def test_first_character_index() -> None:
    from textmend.boilerplate import _first_characters

    assert _first_characters("(?:ab|cd)x") == frozenset("ac")
    assert _first_characters(r"\d{1,2}:x") == frozenset("0123456789")
    assert _first_characters("(?:x)?y") == frozenset("xy")
    assert _first_characters("[^.]{1,4}z") is None  # can start with anything
    assert _first_characters("a?") is None  # can match the empty string


def test_document_path_agrees_with_single_lines() -> None:
    # find_boilerplate indexes rules by first character and keyword; classify_line tries the
    # line alone: both must reach the same phrase verdicts.
    lines = [
        PARAGRAPH,
        "Advertisement",
        "* Read more: Council approves the new budget",
        "A version of this story appeared in the daily Threat Status newsletter. Click here to "
        "receive Threat Status delivered directly to your inbox each weekday.",
        "The mayor at the town hall on Monday. (AP Photo/Evan Vucci)",
        "Sanjeev Verma/Hindustan Times/Getty Images",
        "Michael Conroy, AP",
        "We use cookies to improve your experience on our site.",
        "Jane Doe is a reporter for the Daily Planet.",
        "Copyright 2019 Hawaii News Now. All rights reserved.",
        "By Phil Helsel",
        "by the end of the year",
        "Ceasefire Talks",
        SECOND,
    ]
    found = find_boilerplate(lines)
    single = {i: v for i, line in enumerate(lines) if (v := classify_line(line)) is not None}
    assert found == single
    assert sorted(found) == list(range(1, 11))


def test_dateline_and_headline_above_the_article() -> None:
    lines = [
        "Council extends the city program",
        "Chris Davies - Nov 19, 2019, 10:31 pm CST",
        PARAGRAPH,
        "- Associated Press - Monday, March 17, 2025",  # a date alone is not enough
        SECOND,
    ]
    assert categories_of(lines) == {0: "headline", 1: "dateline"}


TEASERS_ABOVE = [
    "* All >",
    "Harbour bridge reopens after three weeks of repairs",
    "Will the old tram depot become a market hall?",
    "Council extends the city program for another year",
    "Chris Davies - Nov 19, 2019, 10:31 pm CST",
    PARAGRAPH,
    SECOND,
]


def test_teasers_between_a_menu_and_the_headline() -> None:
    assert categories_of(TEASERS_ABOVE) == {
        1: "link-list",
        2: "link-list",
        3: "headline",
        4: "dateline",
    }


@pytest.mark.parametrize(
    ("index", "line"),
    [
        (2, "The mayor said the bridge would reopen next week."),  # a paragraph's sentence
        (0, "Harbour news from the city desk"),  # no chrome above: the page starts here
    ],
)
def test_lines_above_the_headline_that_stay(index: int, line: str) -> None:
    lines = [*TEASERS_ABOVE[:index], line, *TEASERS_ABOVE[index + 1 :]]
    assert categories_of(lines) == {3: "headline", 4: "dateline"}


def test_meta_line_that_starts_with_its_date() -> None:
    meta = "13/06/2014 Tony Carter All , Books , Kit Reviews"
    found = categories_of(["Clymer workshop manual review", meta, PARAGRAPH, SECOND])
    assert found == {0: "headline", 1: "dateline"}
    # Inside the article, a line that starts with a date is the article's (a timeline).
    timeline = [PARAGRAPH, "2019-11-19 Harbour works begin", SECOND, PARAGRAPH]
    assert categories_of(timeline) == {}
    # A sentence that starts with a date ends like one.
    sentence = "19 November 2019 was the day the council met again."
    assert categories_of([sentence, PARAGRAPH, SECOND]) == {}


def test_headline_with_an_abbreviation_above_the_dateline() -> None:
    headline = "The VW ID. SPACE VIZZION is a weird EV sports wagon with a secret message"
    dateline = "Chris Davies - Nov 19, 2019, 10:31 pm CST"
    assert categories_of([headline, dateline, PARAGRAPH, SECOND]) == {
        0: "headline",
        1: "dateline",
    }
    # A post that goes on after a full stop is no headline.
    post = "The council met on Tuesday. It will vote on the budget for the harbour next week"
    assert categories_of([post, dateline, PARAGRAPH, SECOND]) == {1: "dateline"}


def test_subheading_without_a_byline_stays() -> None:
    lines = [
        PARAGRAPH,
        "Kremlin Responds as Talks Gain Momentum",
        SECOND,
        "Ceasefire Talks",
        SECOND,
    ]
    assert find_boilerplate(lines) == {}


def test_teaser_items_under_a_list_heading() -> None:
    lines = [
        PARAGRAPH,
        "Related stories",
        "* Harbour bridge reopens after three weeks of repairs",
        "* Why the ferry timetable keeps changing this winter",
        SECOND,
        "More from City Desk",
        "Library extends opening hours for exam season",
        "Can the old tram depot become a market hall?",
    ]
    assert categories_of(lines) == {
        1: "widget",
        2: "link-list",
        3: "link-list",
        5: "widget",
        6: "link-list",
        7: "link-list",
    }


def test_teasers_under_a_next_stories_heading() -> None:
    box = [
        "- Next Auto News",
        "Harbour bridge reopens after three weeks of repairs",
        "The new ferry is faster, quieter and runs every twenty minutes",
    ]
    assert categories_of([PARAGRAPH, SECOND, *box]) == {2: "widget", 3: "link-list", 4: "link-list"}
    # "Next" inside an article's sentence names no box: the lines after it stay.
    kept = [PARAGRAPH, "Next, the council will vote on the budget", SECOND, "Harbour news"]
    assert find_boilerplate(kept) == {}


def test_runs_of_cut_short_list_items() -> None:
    lines = [
        "* Ceasefire talks resume as the mayor..",
        "",
        "* \u2018보좌관2\u2019 꿈과 현실 사이, 이정재 앞에..",
        "* Harbour bridge reopens after three wee\u2026",
        PARAGRAPH,
        SECOND,
        "* Library extends opening hours for exam ...",
        "* Can the old tram depot become a market...",
    ]
    assert categories_of(lines) == dict.fromkeys((0, 2, 3, 6, 7), "link-list")


@pytest.mark.parametrize(
    "items",
    [
        # One item trailing off among whole ones: the article's own list.
        ["* The mayor said the talks would resume...", "* The budget is due in May"],
        # A single cut item, and cut lines without list markers (a quote, a pause).
        ["* Wait for it..."],
        ["He paused...", "And then he left..."],
        # An abbreviation's single dot is no cut.
        ["* Apples, pears, plums etc.", "* Oranges, lemons etc."],
    ],
)
def test_list_items_that_are_not_cut_short_stay(items: list[str]) -> None:
    assert find_boilerplate([PARAGRAPH, *items, SECOND]) == {}


@pytest.mark.parametrize("heading", ["About the Author", "Über den Autor:", "Об авторе"])
def test_author_box_under_its_heading(heading: str) -> None:
    lines = [
        PARAGRAPH,
        SECOND,
        heading,
        "Zac Hall",
        "",
        "Zac covers the city council for the paper and lives by the harbour with his family.",
        "@apollozac",
        "The mayor will present the budget in the spring, after the auditors have finished.",
    ]
    # The box ends with its biography: the paragraph after the handle stays.
    assert categories_of(lines) == {2: "widget", 3: "byline", 5: "byline", 6: "byline"}


def test_author_box_above_the_article_ends_where_the_article_starts() -> None:
    lines = ["About the author", "Zac Hall", PARAGRAPH, SECOND, PARAGRAPH]
    assert categories_of(lines) == {0: "widget", 1: "byline"}


def test_about_this_article_takes_no_lines() -> None:
    # Only a heading that names the author box opens one.
    lines = [PARAGRAPH, SECOND, "About this article", "Zac Hall", "Harbour news"]
    assert set(find_boilerplate(lines)) == {2}


def test_name_in_a_byline_list_inside_the_run() -> None:
    # The teaser above the byline list reads like prose, so the article's run starts there:
    # the name is inside the run, but a list item beside a listed date is no subheading.
    lines = [
        "A rumor circulated in November in an attempt to discredit the former ambassador.",
        "* Dan Evon",
        "* Published 18 November 2019",
        PARAGRAPH,
        SECOND,
    ]
    assert categories_of(lines) == {1: "byline", 2: "reading-time"}
    # The article's own list of names, with no date beside it, stays.
    names = [PARAGRAPH, "* Dan Evon", "* Jane Doe", "* Zac Hall", SECOND]
    assert categories_of(names) == {}


def test_several_authors_between_headline_and_date() -> None:
    headline = "South Dakota's new anti-meth campaign draws national attention"
    authors = "Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader"
    published = "Published 10:02 AM EST Nov 19, 2019"
    found = categories_of([headline, authors, published, PARAGRAPH, SECOND])
    assert found == {0: "headline", 1: "byline", 2: "reading-time"}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader", True),
        ("Anna Müller, Jörg Weber und Eva Schmidt", True),
        ("Rodrigo Campos", False),  # one name: _is_name's
        ("Ceasefire Talks Resume", False),  # no joiner
        ("The mayor and the council", False),  # lower-case words
        ("Talks and", False),
        ("Smith and Wesson and Colt and Remington and Ruger and Glock and Beretta", False),
    ],
)
def test_several_names(text: str, names: bool) -> None:
    assert _is_names(text) is names


def test_caption_and_credit_between_the_chrome_and_the_article() -> None:
    lines = ["Share on Facebook", "Clay Patrick McBride", "", "Doobie Brothers", PARAGRAPH, SECOND]
    assert categories_of(lines) == {0: "social", 1: "caption-credit", 3: "caption-credit"}


@pytest.mark.parametrize(
    "gap",
    [
        ["Lights, camera, protest"],  # a deck: a clause with commas
        ["The harbour bridge reopens next week"],  # more than a label's words
        ["Ceasefire talks resume."],  # a sentence
        ["Harbour", "Bridge", "Ferry"],  # more lines than a caption and its credit
        ["* Harbour news"],  # a list item
        ["엘제이의리벤지인가"],  # a script without spaces: words cannot be counted
    ],
)
def test_lines_between_the_chrome_and_the_article_that_stay(gap: list[str]) -> None:
    lines = ["Share on Facebook", *gap, PARAGRAPH, SECOND]
    assert categories_of(lines) == {0: "social"}
    # Nothing removed above: no chrome for a label to stand under.
    assert categories_of(["Clay Patrick McBride", PARAGRAPH, SECOND]) == {}


def test_sentence_inside_a_box_after_the_article() -> None:
    box = "Get the big stories of the day in your inbox, with picks and rankings."
    lines = [
        PARAGRAPH,
        SECOND,
        PARAGRAPH,
        *["Share on Facebook", "Share on Twitter"] * 5,  # the article's run ends above
        "Sign up for our daily newsletter",
        box,  # the newsletter box's own sentence: the same kind of chrome above and below
        "Support independent journalism",
    ]
    found = find_boilerplate(lines)
    assert found[14].category == "newsletter"
    assert "outside the article" in found[14].reason


@pytest.mark.parametrize(
    ("above", "below"),
    [
        ("Advertisement", "Advertisement"),  # a short paragraph between two ad markers
        ("Sign up for our daily newsletter", "Share on Facebook"),  # two different boxes
    ],
)
def test_sentence_between_chrome_after_the_article_that_stays(above: str, below: str) -> None:
    last = "The bridge will stay open through the winter."
    share = ["Share on Facebook", "Share on Twitter"] * 5
    lines = [PARAGRAPH, SECOND, PARAGRAPH, *share, above, last, below]
    found = find_boilerplate(lines)
    assert 13 in found and 15 in found
    assert 14 not in found


def test_lines_after_a_list_heading_that_stay() -> None:
    lines = [
        PARAGRAPH,
        "Related stories",
        "* Harbour bridge reopens after three weeks of repairs",
        "What happens next",  # unmarked after a marked list: the article's subheading
        SECOND,
        "Read also",
        "The mayor said the plan would be published on Friday",  # one unmarked line alone
        SECOND,
        "Related: Harbour bridge reopens after repairs",  # a link, not a list heading
        "Why the budget matters",
        SECOND,
        "Close",  # a widget that introduces no list
        "Why the budget matters",
        SECOND,
    ]
    assert categories_of(lines) == {
        1: "widget",
        2: "link-list",
        5: "widget",
        8: "widget",
        11: "widget",
    }


def test_name_beside_the_dateline_and_headline_above_it() -> None:
    lines = [
        "Harbour Bridge Reopens After Three Weeks",
        "Maria Lopez-Garcia",
        "5 min read",
        PARAGRAPH,
        "Second Phase",  # a short capitalised subheading inside the article stays
        SECOND,
        "Tom Baker",
        "Tom Baker is a reporter for the City Desk.",
    ]
    assert categories_of(lines) == {
        0: "headline",
        1: "byline",
        2: "reading-time",
        6: "byline",
        7: "byline",
    }


def test_headline_found_past_teasers_that_read_like_prose() -> None:
    teasers = [
        "Council approves the new budget for the city in a long session",
        "March 3, 2019",
        "What the mayor said about the plan for the old harbour in the west",
        "April 9, 2019",
    ]
    lines = [*teasers, "City extends the program", "November 19, 2019", PARAGRAPH, SECOND]
    found = find_boilerplate(lines)
    assert found[4].category == "headline"
    assert 6 not in found and 7 not in found


def test_caption_above_a_credit_alone() -> None:
    lines = [
        PARAGRAPH,
        "Fishing boats in the old harbour at dawn on Monday.",
        "Anna Berg/City Desk/Getty Images",
        SECOND,
        "The mayor leaves the town hall after the vote.",
        "Photo by Tom Baker",
        SECOND,
    ]
    assert categories_of(lines) == {
        1: "caption-credit",
        2: "caption-credit",
        4: "caption-credit",
        5: "caption-credit",
    }


def test_paragraphs_above_credits_that_carry_their_own_caption_stay() -> None:
    lines = [
        PARAGRAPH,
        "The mayor said the vote would take place in spring.",  # stays
        "The mayor in 2004, Associated Press",  # a caption ending in its credit
        SECOND,
        "The council will meet again next week.",  # stays
        "Image copyright Getty Images",  # heads the caption below it
        "Image caption The council chamber during the vote",
        SECOND,
        "The budget was approved on Friday.",  # stays: a bare agency name proves nothing
        "Reuters",
        SECOND,
        "Emissions fell by two percent last year.",  # stays: a chart's credit
        "(Credit: Jane Doe / City Desk)",
        SECOND,
        "The new phone is smaller than the last one.",  # stays: a web address is a source
        "Image credit: www.example.com/phones/",
        SECOND,
        "The fire started in the attic on Saturday night.",  # stays: the lead photo's
        "Photo: Tom Baker/City Desk",  # credit, put last
    ]
    found = find_boilerplate(lines)
    assert sorted(found) == [2, 5, 6, 9, 12, 15, 18]


def test_question_headline_and_section_label_above_the_byline() -> None:
    lines = [
        "CITY NEWS",
        "Will the harbour bridge reopen before winter?",
        "By Maria Lopez and Tom Baker",
        PARAGRAPH,
        SECOND,
    ]
    assert categories_of(lines) == {
        0: "headline",
        1: "headline",
        2: "byline",
    }


@pytest.mark.parametrize(
    "date",
    [
        "Mittwoch, 20. November 2019",
        "20 novembre 2019 à 14h30",
        "19 de noviembre de 2019",
        "20 listopada 2019",
        "20 ноября 2019, 14:30",
    ],
)
def test_date_alone_in_other_languages_beside_the_article(date: str) -> None:
    lines = ["Der Stadtrat verlängert das Programm", date, PARAGRAPH, SECOND]
    assert categories_of(lines) == {0: "headline", 1: "dateline"}


def test_sentence_with_a_date_stays() -> None:
    lines = [PARAGRAPH, "Am 20. November 2019 kam der Stadtrat zusammen", SECOND]
    assert find_boilerplate(lines) == {}


def test_headline_above_the_summary_and_the_byline() -> None:
    lines = [
        "Harbour Bridge Reopens After Three Weeks",
        "The city says traffic will be back to normal by Friday.",  # the summary
        "By Maria Lopez",
        PARAGRAPH,
        SECOND,
    ]
    found = find_boilerplate(lines)
    assert {i: v.category for i, v in found.items()} == {0: "headline", 1: "headline", 2: "byline"}
    assert "summary" in found[1].reason


def test_sentence_lines_around_the_byline_that_stay() -> None:
    # No headline above it: a sentence over the byline may be the article's own opening.
    summary = "The city says traffic will be back to normal by Friday."
    assert categories_of([summary, "By Maria Lopez", PARAGRAPH, SECOND]) == {1: "byline"}
    # Below the byline the article starts: its first short paragraph stays.
    lines = ["Harbour Bridge Reopens After Three Weeks", "By Maria Lopez", summary, PARAGRAPH]
    assert categories_of(lines) == {0: "headline", 1: "byline"}
    # Two sentence lines between headline and byline are more than a summary: all stay.
    lines = ["Harbour Bridge Reopens", summary, summary, "By Maria Lopez", PARAGRAPH, SECOND]
    assert categories_of(lines) == {3: "byline"}


TEASER_TITLE = "Harbour bridge reopens after three weeks of repairs"


def test_opening_line_repeated_elsewhere_on_the_page() -> None:
    lines = [
        "Share on Facebook",
        TEASER_TITLE,  # the headline, repeated below in a list that links to this story
        PARAGRAPH,
        SECOND,
        "Trending",
        f"* {TEASER_TITLE}",
        "* Ferry timetable changes for the winter season",
    ]
    found = find_boilerplate(lines)
    assert found[1].category == "headline"
    assert "repeated" in found[1].reason


@pytest.mark.parametrize(
    ("opening", "later"),
    [
        (TEASER_TITLE, "Ferry timetable changes for the winter season"),  # said once only
        ("Bridge reopens, ferries wait", "Bridge reopens, ferries wait"),  # too few words
        (TEASER_TITLE, TEASER_TITLE.upper()),  # other characters: not looked for
    ],
)
def test_opening_lines_that_stay(opening: str, later: str) -> None:
    lines = [
        "Share on Facebook",
        opening,
        PARAGRAPH,
        SECOND,
        "Trending",
        f"* {later}",
        "* Ferry timetable changes for the winter season",
    ]
    assert 1 not in find_boilerplate(lines)


def test_repeated_lines_inside_the_article_stay() -> None:
    # A line the article says twice is the article's (a refrain, a repeated quote); and
    # with nothing removed above it there is no chrome to mark the opening.
    refrain = "We will rebuild the bridge and we will do it together."
    lines = [refrain, PARAGRAPH, refrain, SECOND, "Share on Facebook"]
    assert categories_of(lines) == {4: "social"}
    lines = ["Share on Facebook", PARAGRAPH, refrain, SECOND, refrain, SECOND]
    assert categories_of(lines) == {0: "social"}
    # A short article that repeats its opening sentence, under an ad marker: the sentence
    # is the article's even where the main run starts below it (here at the English line:
    # in so short a mixed page the Greek one is not counted as prose).
    lede = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία και την ενέργεια σήμερα."
    lines = ["Advertisement", "", lede, "The prime minister said the talks went well.", lede]
    assert categories_of(lines) == {0: "advertisement"}


def test_lines_enclosed_by_chrome_after_the_article() -> None:
    lines = [
        PARAGRAPH,
        SECOND,
        "Share on Facebook",
        "Pin",  # unknown to the phrase rules, but between two share buttons
        "Share on Twitter",
        "",
        "Terms of Use",
        "Careers",  # a footer entry between two footer entries
        "*",
        "Weekend Markets",
        "Privacy Policy",
    ]
    found = find_boilerplate(lines)
    assert found[3].category == "social"
    assert found[7].category == "copyright"
    assert found[9].category == "copyright"
    assert "outside the article" in found[3].reason


def test_enclosed_lines_that_stay() -> None:
    long_line = "Harbour works on the eastern pier will continue until the end of the month"
    lines = [
        "Share on Facebook",
        # Before the article but not enclosed: no removed line below. (More words than the
        # label the opening-gap rule takes for a caption or credit.)
        "Harbour Road Works Begin on Monday",
        PARAGRAPH,
        "Advertisement",
        "Harbour Road Works",  # a subheading inside the article: the run is left alone
        "Advertisement",
        SECOND,
        PARAGRAPH,
        "Terms of Use",
        "Flour",  # three kept lines: a list, not a stray menu entry
        "Sugar",
        "Butter",
        "Privacy Policy",
        long_line,  # longer than a menu entry
        "Contact us",
    ]
    found = find_boilerplate(lines)
    kept = {i for i in range(len(lines)) if i not in found}
    assert {1, 4, 9, 10, 11, 13} <= kept


def test_caption_between_the_date_and_the_byline() -> None:
    caption = "The Doobie Brothers perform at the Beacon."
    lines = ["Updated Nov 19, 6:55 AM", caption, "By Troy L. Smith", PARAGRAPH, SECOND]
    assert set(categories_of(lines)) == {0, 1, 2}
    # A caption of more words than a stray menu entry between the headline and the byline,
    # with the page's chrome between the byline and the article.
    caption = (
        "New Horizons took this image of the icy moon Europa rising above the cloud tops of"
        " Jupiter in February 2007, six hours after its closest approach."
    )
    headline = "Scientists use a telescope to spot water vapour on a distant moon"
    byline = "By Staff | November 18, 2019 at 2:26 PM"
    lines = [headline, caption, byline, *["Advertisement"] * 9, PARAGRAPH, SECOND]
    assert set(categories_of(lines)) == set(range(12))
    # Between two ads, the same sentence is a short paragraph: it stays.
    ads = ["Advertisement", caption, "Advertisement", PARAGRAPH, SECOND]
    assert set(categories_of(ads)) == {0, 2}


def test_run_edge_removed_as_a_caption_does_not_shield_its_neighbours() -> None:
    caption = "In this photograph, a long row of unsold cars sits at a dealership in Denver."
    lines = [
        "Image 1 of 9",
        caption,
        "Photo: David Zalubowski, Associated Press",
        "New car sales plunge in October",  # the headline, between gallery chrome
        "1 / 9",
        PARAGRAPH,
        SECOND,
    ]
    assert set(categories_of(lines)) == {0, 1, 2, 3, 4}


def test_short_sentence_between_chrome_in_a_short_article_stays() -> None:
    lines = [
        "The harbour board met on Monday to discuss the new ferry timetable.",
        "Advertisement",
        "Fares stay the same.",  # a paragraph of its own, however short
        "Sign up for our newsletter",
        "The new timetable starts in May.",
    ]
    found = find_boilerplate(lines)
    assert 2 not in found
    assert {1, 3} <= set(found)


def test_name_in_a_list_beside_a_listed_date() -> None:
    lines = [
        "Harbour Bridge Reopens After Three Weeks",
        "* Maria Lopez",  # the byline as a list item, like the date below it
        "* 18 Nov 2019, 19:09",
        PARAGRAPH,
        SECOND,
        "* Anna Berg",  # a list of names after the article, beside no date: stays
        "* Tom Weller",
    ]
    assert categories_of(lines) == {
        0: "headline",
        1: "byline",
        2: "dateline",
    }
