"""HTML path: extract the main text of a page with trafilatura.

The page arrives already decoded by textmend (so a wrong or missing charset declaration has
been dealt with); what trafilatura returns then goes through the same repair and line
filter as plain text.
"""

from __future__ import annotations

import re

from textmend.settings import DEFAULT_OPTIONS, Options

_HTML_SIGNATURE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)?(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>)",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?(?:p|div|span|a|br|article|section|h[1-6]|li|ul|script|table)\b[^>]{0,200}>", re.I)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document (or a fragment dense with tags)."""
    head = text[:4096]
    if _HTML_SIGNATURE.match(head):
        return True
    return len(_TAG.findall(head)) >= 5


def extract(html: str, *, url: str | None = None, options: Options = DEFAULT_OPTIONS) -> str:
    """The main text of ``html`` (paragraphs separated by newlines); '' when none is found."""
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
