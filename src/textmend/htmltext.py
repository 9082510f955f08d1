"""HTML path: extract the main text of a page with trafilatura, within a time bound.

The page arrives already decoded by textmend (a wrong or missing charset declaration has been
dealt with, and trafilatura gets ``str`` so it never re-guesses the encoding); what
trafilatura returns then goes through the same repair and line filter as plain text.

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
    """Main text of a page and how it was obtained (``method``: trafilatura or simple)."""

    text: str
    method: str
    notes: tuple[str, ...] = field(default=())


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


def _trafilatura(html: str, url: str | None) -> str:
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        favor_precision=False,
        deduplicate=False,
    )
    return text or ""


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
            text = _trafilatura(html, url)
    except ExtractionTimeout:
        note = f"html: trafilatura ran past {options.html_timeout_seconds:g}s; simple extraction"
        return Extraction(simple_extract(html), "simple", (note,))
    return Extraction(text, "trafilatura")


def extract(html: str, *, url: str | None = None, options: Options = DEFAULT_OPTIONS) -> str:
    """The main text of ``html`` (paragraphs separated by newlines); '' when none is found."""
    return extract_main_text(html, url=url, options=options).text
