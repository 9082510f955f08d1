"""The one place where the stages are composed.

decode -> (HTML extraction) -> detect + repair -> boilerplate -> normalise. The API, the CLI,
the batch engines and the integrations all call :func:`clean_text` / :func:`clean`, so a
file cleaned from the command line, inside Scrapy or on Ray gives the same bytes.

Where the time goes is measured *here*, by the functions that do the work: a
:class:`StageClock` installed with :func:`timing_stages` is told when each stage ends. A
benchmark that re-composed the stages to time them would drift from this composition the
first time it changed; the clock cannot, and costs one test of a global per stage when
no clock is installed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from textmend import boilerplate
from textmend.decode import charset_from_meta, decode
from textmend.models import Cleaned, RemovedLine
from textmend.normalise import normalise, unify_line_ends
from textmend.repair import fix
from textmend.settings import DEFAULT_OPTIONS, Options

# The stages a StageClock reports, in pipeline order.
DECODE, HTML_EXTRACTION, REPAIR, BOILERPLATE, NORMALISE = (
    "decode",
    "html",
    "repair",
    "boilerplate",
    "normalise",
)
STAGES: tuple[str, ...] = (DECODE, HTML_EXTRACTION, REPAIR, BOILERPLATE, NORMALISE)


class StageClock:
    """Accumulates the CPU seconds the pipeline spends in each of :data:`STAGES`.

    The pipeline calls :meth:`start` when it takes up a document and :meth:`lap` at the end
    of each stage, which charges the time since the previous call to that stage. CPU time
    (``time.process_time``) by default: it barely moves when other programs load the
    machine, wall time does.
    """

    def __init__(self, clock: Callable[[], float] = time.process_time) -> None:
        self.clock = clock
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._last = clock()

    def start(self) -> None:
        self._last = self.clock()

    def lap(self, stage: str) -> None:
        now = self.clock()
        self.seconds[stage] += now - self._last
        self._last = now

    def total(self) -> float:
        return sum(self.seconds.values())


_clock: StageClock | None = None


@contextmanager
def timing_stages(clock: StageClock) -> Iterator[StageClock]:
    """Report the stages of every document cleaned in this process, inside the ``with``,
    to ``clock``. For measurements (``bench/batch.py --stages``): the clock is global to
    the process, so threads cleaning at the same time would be charged to one clock."""
    global _clock
    previous, _clock = _clock, clock
    try:
        yield clock
    finally:
        _clock = previous


def clean(
    data: str | bytes,
    *,
    html: bool | None = None,
    content_type: str | bytes | None = None,
    url: str | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> Cleaned:
    """Decode (bytes), repair, strip boilerplate and normalise one document."""
    clock = _clock
    if clock is not None:
        clock.start()
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
    if html is not False:
        # Imported here: a run over plain-text files (html=False) never needs the HTML path.
        from textmend import htmltext

        if html is None:
            html = htmltext.looks_like_html(text)
    if clock is not None:
        clock.lap(DECODE)
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
        if clock is not None:
            clock.lap(HTML_EXTRACTION)
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
    clock = _clock
    if clock is not None:
        clock.start()
    repaired = fix(unify_line_ends(text), allow_inferred=options.allow_inferred)
    if clock is not None:
        clock.lap(REPAIR)
    filtered = boilerplate.filter_text(repaired.text, options=options)
    if clock is not None:
        clock.lap(BOILERPLATE)
    cleaned = Cleaned(
        text=normalise(filtered.text),
        encoding=encoding,
        findings=repaired.findings,
        removed=filtered.removed,
        notes=list(notes or ()),
    )
    if clock is not None:
        clock.lap(NORMALISE)
    return cleaned


# What a batch worker meets first: clean UTF-8 with boilerplate, UTF-8 read as cp1252 and as
# GBK, text stored in cp1252, and text in a legacy code page of another script. Cleaning
# these builds the tables that are otherwise built lazily on first use (the repair's
# per-layer repertoires and triggers, the charset detector: plain Western cp1252 is decided
# without it, so the Cyrillic document is what loads it), which costs a worker about as
# much as cleaning a few hundred clean articles.
_WARM_UP_TEXT = (
    "Officials said the talks were \u201cconstructive\u201d \u2014 the caf\u00e9\u2019s "
    "owner agreed.\n\nAdvertisement\n\nMarkets rose 2% after the announcement.\n"
)
_WARM_UP_CYRILLIC = (
    "\u0421\u0435\u0433\u043e\u0434\u043d\u044f \u0432 \u041c\u043e\u0441\u043a\u0432\u0435.\n"
)
_WARM_UP_DOCUMENTS: tuple[bytes, ...] = (
    _WARM_UP_TEXT.encode("utf-8"),
    _WARM_UP_TEXT.encode("utf-8").decode("cp1252", "replace").encode("utf-8"),
    _WARM_UP_TEXT.encode("utf-8").decode("gbk", "replace").encode("utf-8"),
    _WARM_UP_TEXT.encode("cp1252"),
    (_WARM_UP_CYRILLIC + _WARM_UP_TEXT).encode("cp1251", "replace"),
)


def prepare_for_workers(workers: int = 1) -> None:
    """Build, in this process, the tables every batch worker needs, before it forks
    ``workers`` workers that would each build them again.

    The boilerplate rules are always compiled here. With more than one worker, a few
    typical documents are cleaned too, so that the tables the repair and the decoder build
    on first use are built once and shared (copy-on-write) instead of once per worker;
    with one worker that would only move the work, and cost it for nothing on a corpus
    that never needs those tables (pure ASCII, say). The caches filled are pure (their
    values depend on their keys only), so the warm-up cannot change any output.
    """
    boilerplate.compile_rules()
    if workers > 1:
        for document in _WARM_UP_DOCUMENTS:
            clean(document, html=False)
