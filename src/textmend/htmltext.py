"""HTML path: extract the main text of a page with trafilatura, within a time bound.

The page arrives already decoded by textmend (a wrong or missing charset declaration has been
dealt with, and trafilatura gets ``str`` so it never re-guesses the encoding); what
trafilatura returns then goes through the same repair and line filter as plain text.

Two repairs of trafilatura's output, both from the page's own structure (measured on the
tuning halves of the two peer benchmarks, see bench/boilerplate.py):

* the headline: trafilatura sometimes returns the page title as the first line; the article
  text does not repeat its headline, so a first line equal to the page's title (``og:title``,
  ``<title>`` or an ``<h1>``) is dropped (listed in ``Extraction.dropped``);
* the lead (standfirst): trafilatura often drops the prose paragraph between the headline and
  the first paragraph it keeps; prose lines (stop-word dense, a sentence) found there are put
  back in front of the text.

trafilatura can take very long on huge or pathological pages, and one page must not stall a
batch. So a page over ``MAX_TRAFILATURA_CHARS`` or one that runs past
``Options.html_timeout_seconds`` falls back to :func:`simple_extract` (block-level text without
scripts, navigation and page chrome), and the result says why.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from textmend.settings import DEFAULT_OPTIONS, Options

MAX_TRAFILATURA_CHARS = 5_000_000  # larger pages go straight to the simple extraction

_HTML_SIGNATURE = re.compile(
    r"\A\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.*?-->\s*)?"
    r"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>)",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|article|section|h[1-6]|li|ul|script|table)\b[^>]{0,200}>", re.I
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]{0,200}\?>", re.I)

# Elements whose text is never article text (dropped by the simple extraction).
_CHROME_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "button", "select", "template", "figure",
)  # fmt: skip
# Block elements whose text the simple extraction keeps, one per line.
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}
)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Main text of a page and how it was obtained (``method``: trafilatura or simple).

    ``dropped`` holds the lines taken out of trafilatura's output after extraction (the
    repeated headline), so that the caller can report them; ``restored`` the lead lines put
    back in.
    """

    text: str
    method: str
    notes: tuple[str, ...] = field(default=())
    dropped: tuple[str, ...] = field(default=())
    restored: tuple[str, ...] = field(default=())


class ExtractionTimeout(BaseException):
    """trafilatura ran past its time bound.

    A BaseException so that trafilatura's own ``except Exception`` handlers cannot swallow it.
    """


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document (or a fragment dense with tags)."""
    head = text[:4096]
    if _HTML_SIGNATURE.match(head):
        return True
    return len(_TAG.findall(head)) >= 5


@contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    """Raise ExtractionTimeout in the block after ``seconds`` (main thread, POSIX only).

    A signal is the only way to interrupt pure-Python work in the same process without
    a subprocess per page; where it cannot be used the block runs unbounded and the size
    cap is the only guard.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ExtractionTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


MIN_EXTRACTED_CHARS = 200  # less than this: try again with trafilatura's favor_recall


def _trafilatura(html: str, url: str | None, *, favor_recall: bool = False) -> str:
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=False,
        favor_recall=favor_recall,
        deduplicate=False,
    )
    return text or ""


# Elements whose text is never shown (skipped by the page outline).
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
# Elements that start a new line of rendered text.
_OUTLINE_BLOCK_TAGS = _BLOCK_TAGS | frozenset(
    {"div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
     "figcaption", "ul", "ol", "dl", "table", "tr", "form", "br", "hr", "body"}
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s[|\-–—:·•»]\s")
_NON_WORD = re.compile(r"\W+")
LEAD_SEARCH_BLOCKS = 12  # the headline is at most this many blocks above the first paragraph
LEAD_MIN_WORDS = 10
LEAD_MAX_BLOCKS = 1  # a standfirst is one paragraph; more prose there is captions, bios, quotes
TITLE_SEARCH_LINES = 3  # the repeated headline is one of the first lines of the extraction
TITLE_MIN_CHARS = 10


def normalised(text: str) -> str:
    """Lower-case words joined by single spaces: the key for comparing titles and lines."""
    return _NON_WORD.sub(" ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class PageOutline:
    """What the headline and lead repairs need from a page: its title candidates and its
    visible text as lines, each with the tag of the block element that holds it."""

    titles: frozenset[str]  # normalised
    blocks: tuple[tuple[str, str], ...]  # (tag, text)


def page_outline(html: str) -> PageOutline | None:
    """The outline of ``html``; None when lxml cannot parse it."""
    import lxml.html
    from lxml import etree

    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    titles: set[str] = set()
    for value in root.xpath(
        "//meta[@property='og:title' or @name='twitter:title']/@content | //title//text()"
    )[:6]:
        whole = normalised(str(value))
        titles.add(whole)
        titles.update(normalised(part) for part in _TITLE_SEPARATORS.split(str(value)))
    blocks: list[tuple[str, str]] = []
    pending: list[str] = []
    owner: list[str] = ["body"]
    hidden = 0

    def flush() -> None:
        text = " ".join(" ".join(pending).split())
        pending.clear()
        if text:
            blocks.append((owner[-1], text))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN_TAGS or not tag:
                hidden += 1
                continue
            if hidden:
                continue
            if tag in _OUTLINE_BLOCK_TAGS:
                flush()
                owner.append(tag)
            if element.text:
                pending.append(element.text)
            continue
        if tag in _HIDDEN_TAGS or not tag:
            hidden -= 1
        elif not hidden and tag in _OUTLINE_BLOCK_TAGS:
            flush()
            owner.pop()
        if not hidden and element.tail:
            pending.append(element.tail)
    flush()
    titles.update(normalised(text) for tag, text in blocks if tag == "h1")
    titles.discard("")
    return PageOutline(frozenset(titles), tuple(blocks))


def _is_title(line: str, titles: frozenset[str]) -> bool:
    """True when ``line`` is one of the page's titles (or a title without its site name)."""
    key = normalised(line)
    return len(key) >= TITLE_MIN_CHARS and key in titles


def drop_repeated_title(text: str, titles: frozenset[str]) -> tuple[str, str | None]:
    """``text`` without a headline among its first lines, and the line dropped (or None)."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        if _is_title(line, titles):
            return "\n".join(lines[:index] + lines[index + 1 :]), line
    return text, None


def recover_lead(text: str, outline: PageOutline) -> tuple[str, int]:
    """``text`` with the lead paragraphs trafilatura dropped put back, and how many.

    The lead is prose between the headline block (an ``<h1>`` or a title) and the block that
    holds the first sentence trafilatura kept, at most ``LEAD_SEARCH_BLOCKS`` blocks apart.
    Without both anchors nothing is added: a prose line elsewhere may be a teaser.
    """
    from textmend.boilerplate import ends_sentence, pick_stopwords, shape_of

    lines = text.split("\n")
    first = next((line for line in lines if len(line.split()) >= 6), None)
    if first is None:
        return text, 0
    key = normalised(first)[:80]
    texts = [block for _tag, block in outline.blocks]
    start = next(
        (i for i, block in enumerate(texts) if normalised(block)[:80] == key),
        None,
    )
    if start is None:
        return text, 0
    headline = next(
        (
            i
            for i in range(start - 1, max(-1, start - LEAD_SEARCH_BLOCKS - 1), -1)
            if outline.blocks[i][0] == "h1" or _is_title(texts[i], outline.titles)
        ),
        None,
    )
    if headline is None:
        return text, 0
    stopwords = pick_stopwords("\n".join(texts[headline : start + 20]))
    present = normalised(text)
    lead = []
    for block in texts[headline + 1 : start]:
        shape = shape_of(block, stopwords)
        if (
            shape.prose
            and shape.words >= LEAD_MIN_WORDS
            and ends_sentence(block)
            and normalised(block) not in present
        ):
            lead.append(block)
            if len(lead) >= LEAD_MAX_BLOCKS:
                break
    if not lead:
        return text, 0
    return "\n".join([*lead, text]), len(lead)


def _repaired_extraction(html: str, url: str | None) -> Extraction:
    """trafilatura's text with the headline and lead repairs (see the module docstring)."""
    text = _trafilatura(html, url)
    notes: list[str] = []
    if len(text) < MIN_EXTRACTED_CHARS:
        recall = _trafilatura(html, url, favor_recall=True)
        if len(recall) > len(text):
            text = recall
            notes.append("html: little text found; trafilatura again with favor_recall")
    outline = page_outline(html)
    if outline is None or not text:
        return Extraction(text, "trafilatura", tuple(notes))
    text, added = recover_lead(text, outline)
    restored = tuple(text.split("\n")[:added])
    text, title = drop_repeated_title(text, outline.titles)
    dropped = () if title is None else (title,)
    return Extraction(text, "trafilatura", tuple(notes), dropped, restored)


def simple_extract(html: str) -> str:
    """Block-level text of ``html`` without scripts, navigation, headers, footers and forms.

    Linear in the page size: the fallback when trafilatura is not given (or runs out of)
    time. Each block element (paragraph, heading, list item, cell) becomes one line.
    """
    import lxml.html
    from lxml import etree

    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_CHROME_TAGS, etree.Comment, with_tail=False)
    lines: list[str] = []
    for element in root.iter(*_BLOCK_TAGS):
        if any(ancestor.tag in _BLOCK_TAGS for ancestor in element.iterancestors()):
            continue  # its text is part of the enclosing block's line
        text = " ".join(element.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def extract_main_text(
    html: str, *, url: str | None = None, options: Options = DEFAULT_OPTIONS
) -> Extraction:
    """The main text of ``html`` with the method used and, on a fallback, the reason."""
    if len(html) > MAX_TRAFILATURA_CHARS:
        note = (
            f"html: page of {len(html)} characters is over {MAX_TRAFILATURA_CHARS};"
            " simple extraction"
        )
        return Extraction(simple_extract(html), "simple", (note,))
    try:
        with _time_bound(options.html_timeout_seconds):
            return _repaired_extraction(html, url)
    except ExtractionTimeout:
        note = f"html: trafilatura ran past {options.html_timeout_seconds:g}s; simple extraction"
        return Extraction(simple_extract(html), "simple", (note,))


def extract(html: str, *, url: str | None = None, options: Options = DEFAULT_OPTIONS) -> str:
    """The main text of ``html`` (paragraphs separated by newlines); '' when none is found."""
    return extract_main_text(html, url=url, options=options).text
