"""The one place where the stages are composed.

decode -> (HTML extraction) -> detect + repair -> boilerplate -> normalise. The API, the CLI,
the batch engines and the integrations all call :func:`clean_text` / :func:`clean`, so a
file cleaned from the command line, inside Scrapy or on Ray gives the same bytes.
"""

from __future__ import annotations

from textmend import boilerplate, htmltext
from textmend.decode import charset_from_meta, decode
from textmend.models import Cleaned, RemovedLine
from textmend.normalise import normalise, unify_line_ends
from textmend.repair import fix
from textmend.settings import DEFAULT_OPTIONS, Options


def clean(
    data: str | bytes,
    *,
    html: bool | None = None,
    content_type: str | bytes | None = None,
    url: str | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> Cleaned:
    """Decode (bytes), repair, strip boilerplate and normalise one document."""
    if html is None:
        html = options.html
    encoding: str | None = None
    notes: list[str] = []
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        declared = charset_from_meta(raw) if html is not False else None
        decoded = decode(raw, declared=declared, content_type=content_type)
        text, encoding = decoded.text, decoded.encoding
        notes.extend(decoded.notes)
    else:
        text = data
    if html is None:
        html = htmltext.looks_like_html(text)
    extracted_away: list[RemovedLine] = []
    if html:
        extraction = htmltext.extract_main_text(text, url=url, options=options)
        text = extraction.text
        notes.extend(extraction.notes)
        # Nothing is dropped silently: lines the extraction took out of trafilatura's
        # output are reported too (line 0: before the first line of the extracted text).
        extracted_away = [
            RemovedLine(0, line, "headline", "page title repeated at the top of the article")
            for line in extraction.dropped
        ]
    cleaned = clean_text(text, encoding=encoding, options=options, notes=notes)
    cleaned.removed[:0] = extracted_away
    return cleaned


def clean_text(
    text: str,
    *,
    encoding: str | None = None,
    options: Options = DEFAULT_OPTIONS,
    notes: list[str] | None = None,
) -> Cleaned:
    """Repair, strip boilerplate and normalise text that is already decoded (and not HTML).

    Line ends are unified first so that the repair sees the lines the output will have
    (see :func:`textmend.normalise.unify_line_ends`).
    """
    repaired = fix(unify_line_ends(text), allow_inferred=options.allow_inferred)
    filtered = boilerplate.filter_text(repaired.text, options=options)
    return Cleaned(
        text=normalise(filtered.text),
        encoding=encoding,
        findings=repaired.findings,
        removed=filtered.removed,
        notes=list(notes or ()),
    )


def prepare_for_workers() -> None:
    """Build, in this process, the tables every batch worker needs (the boilerplate rules),
    before it forks workers that would each build them again."""
    boilerplate.compile_rules()
