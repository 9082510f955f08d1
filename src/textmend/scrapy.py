"""A Scrapy item pipeline that repairs and cleans text fields as items arrive.

Enable it the usual way::

    ITEM_PIPELINES = {"textmend.scrapy.CleanTextPipeline": 300}
    TEXTMEND_FIELDS = ["text"]                 # text fields (str, or bytes + Content-Type)
    TEXTMEND_HTML_FIELDS = {"html": "body"}    # HTML to extract: source -> target field
    TEXTMEND_REPORT_FIELD = "textmend"         # findings/removed lines/notes/errors (off: None)

Why it is shaped this way:

* A crawl runs in one reactor thread; repairing and HTML extraction are CPU work, so each
  item's fields are cleaned in a small dedicated thread pool (``TEXTMEND_THREADS``) and the
  coroutine awaits the result. Scrapy's own reactor thread pool is left alone because DNS
  resolution runs there. The pool is awaited as an asyncio future under the asyncio reactor
  (Scrapy's default) and as a Deferred under any other reactor.
* A scraper must not lose pages: a field that cannot be cleaned keeps its original value,
  the error goes to the log, the crawl stats (``textmend/errors``) and the report field;
  the item is dropped only when ``TEXTMEND_DROP_ON_ERROR`` is set.
* Bytes are decoded by textmend itself, weighing the response's ``Content-Type`` (read from
  ``TEXTMEND_CONTENT_TYPE_FIELD``, default ``"content_type"``) against the bytes; Scrapy's
  ``response.text`` trusts a wrong header and bakes the mojibake in.
* Items of any kind itemadapter supports (dict, ``scrapy.Item``, dataclass, attrs) are read
  and written through :class:`itemadapter.ItemAdapter`. Declared item classes must declare
  the report field and HTML target fields.

Every field goes through :func:`textmend.clean`, so an item cleaned here gives the same text
as the same value cleaned by the API or the CLI.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Self, TypeVar

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from textmend.errors import TextmendError
from textmend.models import Cleaned
from textmend.pipeline import clean
from textmend.settings import DEFAULT_OPTIONS, Options

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

STAT_PREFIX = "textmend/"


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """The pipeline's settings, read once from the crawler settings."""

    text_fields: tuple[str, ...] = ("text",)
    html_fields: tuple[tuple[str, str], ...] = ()
    report_field: str | None = None
    drop_on_error: bool = False
    content_type_field: str | None = "content_type"
    url_field: str | None = "url"
    threads: int = 2
    options: Options = DEFAULT_OPTIONS

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PipelineConfig:
        """Build the config from ``TEXTMEND_*`` settings (see the module docstring)."""
        text_fields = tuple(settings.getlist("TEXTMEND_FIELDS", ["text"]))
        html_fields = _html_field_pairs(settings.get("TEXTMEND_HTML_FIELDS"))
        if not text_fields and not html_fields:
            raise NotConfigured("TEXTMEND_FIELDS and TEXTMEND_HTML_FIELDS are both empty")
        threads = settings.getint("TEXTMEND_THREADS", 2)
        if threads < 1:
            raise NotConfigured(f"TEXTMEND_THREADS must be at least 1, not {threads}")
        options = replace(
            DEFAULT_OPTIONS,
            remove_boilerplate=settings.getbool("TEXTMEND_REMOVE_BOILERPLATE", True),
            allow_inferred=not settings.getbool("TEXTMEND_STRICT", False),
        )
        return cls(
            text_fields=text_fields,
            html_fields=html_fields,
            report_field=settings.get("TEXTMEND_REPORT_FIELD") or None,
            drop_on_error=settings.getbool("TEXTMEND_DROP_ON_ERROR", False),
            content_type_field=settings.get("TEXTMEND_CONTENT_TYPE_FIELD", "content_type") or None,
            url_field=settings.get("TEXTMEND_URL_FIELD", "url") or None,
            threads=threads,
            options=options,
        )


def _html_field_pairs(value: Any) -> tuple[tuple[str, str], ...]:
    """``TEXTMEND_HTML_FIELDS`` as (source, target) pairs.

    A list cleans each field in place (the HTML is replaced by its text); a mapping writes the
    text to another field so the HTML is kept.
    """
    if not value:
        return ()
    if isinstance(value, str):
        value = [name.strip() for name in value.split(",") if name.strip()]
    if isinstance(value, Mapping):
        return tuple((str(source), str(target)) for source, target in value.items())
    return tuple((str(name), str(name)) for name in value)


@dataclass(frozen=True, slots=True)
class FieldJob:
    """One field value to clean, with what is needed to decode and extract it."""

    source: str
    target: str
    value: Any
    html: bool | None
    content_type: str | bytes | None
    url: str | None


@dataclass(slots=True)
class FieldResult:
    """The outcome of one :class:`FieldJob`: the new value and its report, or an error."""

    job: FieldJob
    value: Any = None
    report: Any = None
    error: str | None = None
    fixes: int = 0
    lines_removed: int = 0
    notes: int = 0
    unexpected: bool = False


def _is_text_value(value: Any) -> bool:
    return isinstance(value, str | bytes | bytearray)


def _report(cleaned: Cleaned) -> dict[str, Any]:
    return {"changed": cleaned.changed, **cleaned.to_dict()}


def clean_field(job: FieldJob, options: Options = DEFAULT_OPTIONS) -> FieldResult:
    """Clean one field value (str, bytes, or a list of them); never raises for bad input.

    Runs in a worker thread. A value that cannot be cleaned is reported with its error and
    left for the caller to keep as it was.
    """
    result = FieldResult(job)
    values = job.value if isinstance(job.value, list | tuple) else [job.value]
    try:
        cleaned = [
            clean(
                value,
                html=job.html,
                content_type=job.content_type,
                url=job.url,
                options=options,
            )
            for value in values
        ]
    except TextmendError as error:
        result.error = f"{type(error).__name__}: {error}"
        return result
    except Exception as error:  # a bug must not cost the crawl its page
        result.error = f"{type(error).__name__}: {error}"
        result.unexpected = True
        logger.exception("textmend failed on field %r of %s", job.source, job.url or "an item")
        return result
    texts = [c.text for c in cleaned]
    reports = [_report(c) for c in cleaned]
    if isinstance(job.value, list | tuple):
        result.value, result.report = type(job.value)(texts), reports
    else:
        result.value, result.report = texts[0], reports[0]
    result.fixes = sum(len(c.findings) for c in cleaned)
    result.lines_removed = sum(len(c.removed) for c in cleaned)
    result.notes = sum(len(c.notes) for c in cleaned)
    return result


def clean_fields(jobs: Iterable[FieldJob], options: Options = DEFAULT_OPTIONS) -> list[FieldResult]:
    """Clean every job of one item (the unit of work handed to a worker thread)."""
    return [clean_field(job, options) for job in jobs]


def _first_text(value: Any) -> str | bytes | None:
    """A header or URL stored as str, bytes, or Scrapy's list of values."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bytearray):
        value = bytes(value)
    return value if isinstance(value, str | bytes) else None


def field_jobs(adapter: ItemAdapter, config: PipelineConfig) -> list[FieldJob]:
    """The fields of one item that hold text to clean, as jobs; absent/empty fields are skipped."""
    content_type = (
        _first_text(adapter.get(config.content_type_field)) if config.content_type_field else None
    )
    url = _first_text(adapter.get(config.url_field)) if config.url_field else None
    if isinstance(url, bytes):
        url = url.decode("utf-8", "replace")
    wanted = [(name, name, config.options.html) for name in config.text_fields]
    wanted += [(source, target, True) for source, target in config.html_fields]
    jobs = []
    for source, target, html in wanted:
        value = adapter.get(source)
        if _is_text_value(value) or (
            isinstance(value, list | tuple) and value and all(map(_is_text_value, value))
        ):
            jobs.append(FieldJob(source, target, value, html, content_type, url))
    return jobs


class CleanTextPipeline:
    """Repair mojibake and strip boilerplate in configured item fields, off the reactor thread.

    Stats: ``textmend/items`` (items seen), ``textmend/fields`` (field values cleaned),
    ``textmend/fixes`` (repairs), ``textmend/lines_removed`` (boilerplate lines),
    ``textmend/notes`` (charset overrides and similar), ``textmend/errors`` (fields left as
    they were), ``textmend/dropped`` (items dropped under ``TEXTMEND_DROP_ON_ERROR``).
    """

    def __init__(self, config: PipelineConfig, crawler: Crawler | None = None) -> None:
        self.config = config
        self.crawler = crawler
        self._executor: ThreadPoolExecutor | None = None
        self._warned_fields: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(PipelineConfig.from_settings(crawler.settings), crawler)

    # ``spider`` is optional so that Scrapy 2.13 (which still passes it) and later releases
    # (which do not, and warn about methods that require it) both call these cleanly.
    def open_spider(self, spider: Any = None) -> None:
        self._pool()

    def close_spider(self, spider: Any = None) -> None:
        # Every process_item has been awaited by now, so the pool is idle and this is instant.
        if self._executor is not None:
            executor, self._executor = self._executor, None
            executor.shutdown(wait=True)

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self.config.threads, thread_name_prefix="textmend"
            )
        return self._executor

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self._inc("items")
        jobs = field_jobs(adapter, self.config)
        if not jobs:
            return item
        results = await self._off_reactor(clean_fields, jobs, self.config.options)
        report: dict[str, Any] = {}
        errors = []
        for result in results:
            name = result.job.source
            if result.error is not None:
                errors.append(f"{name}: {result.error}")
                report[name] = {"error": result.error}
                self._inc("errors")
                if not result.unexpected:
                    logger.warning(
                        "textmend could not clean field %r of %s (kept as it was): %s",
                        name,
                        result.job.url or "an item",
                        result.error,
                    )
                continue
            self._set(adapter, result.job.target, result.value)
            report[name] = result.report
            self._inc("fields")
            self._inc("fixes", result.fixes)
            self._inc("lines_removed", result.lines_removed)
            self._inc("notes", result.notes)
        if self.config.report_field:
            self._set(adapter, self.config.report_field, report)
        if errors and self.config.drop_on_error:
            self._inc("dropped")
            raise DropItem("textmend could not clean " + "; ".join(errors))
        return item

    async def _off_reactor(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run ``function`` in the worker pool and await it from the reactor thread."""
        future = self._pool().submit(function, *args)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a non-asyncio Twisted reactor: await a Deferred instead
            return await _deferred_from_future(future)
        return await asyncio.wrap_future(future)

    def _set(self, adapter: ItemAdapter, key: str, value: Any) -> None:
        try:
            adapter[key] = value
        except KeyError:
            if key not in self._warned_fields:
                self._warned_fields.add(key)
                logger.error(
                    "textmend cannot write field %r: the item class %s does not declare it",
                    key,
                    type(adapter.item).__name__,
                )
            self._inc("errors/undeclared_field")

    def _inc(self, stat: str, count: int = 1) -> None:
        if self.crawler is not None and self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(STAT_PREFIX + stat, count)


def _deferred_from_future(future: Future[_T]) -> Deferred[_T]:
    """A Deferred fired in the reactor thread when a concurrent future completes."""
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred
    from twisted.python.failure import Failure

    deferred: Deferred[_T] = Deferred()

    def fire(done: Future[_T]) -> None:
        error = done.exception()
        if error is not None:
            deferred.errback(Failure(error))
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))  # type: ignore[attr-defined]
    return deferred
