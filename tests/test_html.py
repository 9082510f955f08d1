"""The HTML path: detection, trafilatura extraction of the decoded text, the time bound."""

from __future__ import annotations

import textmend
from textmend import htmltext
from textmend.settings import Options

BODY = (
    "The council voted on Tuesday to extend the program for another year, and the mayor said "
    "that the decision was made after a long debate with residents of the city. "
)


def page(charset_meta: str = "", extra: str = "") -> str:
    paragraphs = "".join(f"<p>{BODY}Paragraph {n} goes on about the café.</p>" for n in range(6))
    return (
        f"<!DOCTYPE html><html><head>{charset_meta}<title>Council</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        f"<article><h1>Council extends program</h1>{paragraphs}{extra}</article>"
        "<footer>Copyright © 2025 Example News. All rights reserved.</footer></body></html>"
    )


def test_detection() -> None:
    assert htmltext.looks_like_html(page())
    assert htmltext.looks_like_html("<?xml version='1.0'?>\n<html><body></body></html>")
    assert not htmltext.looks_like_html(BODY)
    assert not htmltext.looks_like_html("a < b and b > c, said the <teacher>.")


def test_trafilatura_extracts_the_article_and_the_filter_runs_on_it() -> None:
    extra = "<p>Advertisement</p><p>Read more: Mayor names new transport chief</p>"
    cleaned = textmend.clean(page(extra=extra).encode("utf-8"), html=True)
    assert "Paragraph 5 goes on about the café." in cleaned.text
    assert "Home" not in cleaned.text.splitlines()
    removed = {r.text: r.category for r in cleaned.removed}
    assert removed.get("Advertisement") == "advertisement"
    assert "Advertisement" not in cleaned.text.splitlines()


def test_declared_legacy_charset_is_honoured() -> None:
    html = page('<meta charset="windows-1252">')
    cleaned = textmend.clean(html.encode("cp1252"))
    assert "café" in cleaned.text
    assert "cafÃ©" not in cleaned.text


def test_oversized_page_falls_back_with_a_reason() -> None:
    html = page()
    small_cap = len(html) - 1
    original = htmltext.MAX_TRAFILATURA_CHARS
    htmltext.MAX_TRAFILATURA_CHARS = small_cap
    try:
        extraction = htmltext.extract_main_text(html)
    finally:
        htmltext.MAX_TRAFILATURA_CHARS = original
    assert extraction.method == "simple"
    assert "over" in extraction.notes[0]
    assert "Paragraph 3 goes on about the café." in extraction.text
    assert "Home" not in extraction.text  # navigation is dropped by the simple extraction


def test_timeout_falls_back_with_a_reason() -> None:
    # A real page big enough that trafilatura needs far longer than 1 ms on it.
    big = page(extra="".join(f"<div><p>{BODY} item {n}</p></div>" for n in range(3000)))
    extraction = htmltext.extract_main_text(big, options=Options(html_timeout_seconds=0.001))
    assert extraction.method == "simple"
    assert "ran past" in extraction.notes[0]
    assert "item 2999" in extraction.text


def test_fallback_note_reaches_the_result() -> None:
    big = page(extra="".join(f"<div><p>{BODY} item {n}</p></div>" for n in range(3000)))
    cleaned = textmend.clean(big, html=True, options=Options(html_timeout_seconds=0.001))
    assert any("simple extraction" in note for note in cleaned.notes)


def test_simple_extract_edge_cases() -> None:
    assert htmltext.simple_extract("") == ""
    assert htmltext.simple_extract("<?xml version='1.0' encoding='utf-8'?><p>Hi there</p>") == (
        "Hi there"
    )
    nested = "<ul><li><p>One block</p></li></ul><script>var x = 1;</script>"
    assert htmltext.simple_extract(nested) == "One block"


def test_timer_is_cleared_after_extraction() -> None:
    import signal

    htmltext.extract_main_text(page(), options=Options(html_timeout_seconds=5))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


LEAD = (
    "The mayor wants the program to run until the end of next year, and the council has now "
    "agreed to pay for it."
)


def test_headline_repeated_by_trafilatura_is_dropped_and_listed() -> None:
    html = page().replace("<title>Council</title>", "<title>Council extends program</title>")
    extraction = htmltext.extract_main_text(html)
    assert "Council extends program" not in extraction.text.splitlines()
    assert extraction.dropped == ("Council extends program",)
    assert "Paragraph 0 goes on about the café." in extraction.text
    outline = htmltext.page_outline(html)
    assert outline is not None
    assert "council extends program" in outline.titles
    text, dropped = htmltext.drop_repeated_title("Council extends program\nBody.", outline.titles)
    assert (text, dropped) == ("Body.", "Council extends program")


def test_lead_between_headline_and_body_is_restored() -> None:
    html = page().replace(
        "<h1>Council extends program</h1>",
        f"<header><h1>Council extends program</h1><div class='teaser'>{LEAD}</div>"
        "<span>By Jane Roe</span></header>",
    )
    outline = htmltext.page_outline(html)
    assert outline is not None
    body = f"{BODY}Paragraph 0 goes on about the café."
    text, added = htmltext.recover_lead(body, outline)
    assert added == 1
    assert text.splitlines() == [LEAD, body]
    # Without a headline above, a prose block is not taken as a lead.
    headless = htmltext.page_outline(html.replace("<h1>Council extends program</h1>", ""))
    assert headless is not None
    assert htmltext.recover_lead(body, headless) == (body, 0)
