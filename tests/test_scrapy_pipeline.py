"""CleanTextPipeline inside a real Scrapy crawl of a local HTTP server.

Each crawl runs in a subprocess (CrawlerProcess cannot restart a Twisted reactor inside the
pytest process) and exports its items with Scrapy's own feed export, which the test reads.
Expected texts are computed by calling :func:`textmend.clean` on the same inputs, so these
tests check the pipeline's plumbing; the charset checks are exact because they do not depend
on the repair engine.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("scrapy")

import scrapy
from itemadapter import ItemAdapter
from scrapy.settings import Settings

import textmend
from textmend.scrapy import CleanTextPipeline, PipelineConfig, field_jobs

CJK = re.compile(r"[\u3400-\u9fff]")

GBK_ARTICLE = (
    "India’s central bank held rates on Friday, the governor’s third pause in a row.\n"
    "“Inflation is easing,” she said, adding that growth was “robust”.\n"
)
QUOTED = "The café on the corner served “quoted” prices — naïve, perhaps, at 5 € a cup.\n"
ADS_PARAGRAPHS = [
    "The council approved the new budget on Tuesday night.",
    "Advertisement",
    "Spending on parks rises by a fifth, the first increase in a decade.",
    "Sign up for our newsletter",
    "Share this article",
    "The vote was seven to two.",
]
BOILERPLATE_LINES = ("Advertisement", "Sign up for our newsletter", "Share this article")
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _gbk_mojibake(text: str) -> str:
    """UTF-8 read as GBK (a Chinese-locale Windows default): 'India’s' -> 'India鈥檚'."""
    return text.encode("utf-8").decode("gb18030", errors="replace")


def _page(title: str, paragraphs: list[str], charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head>{meta}<title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© 2025 News Test</footer></body></html>"
    )


@dataclass(frozen=True)
class Served:
    content_type: str
    body: bytes


def _site() -> dict[str, Served]:
    damaged = _gbk_mojibake(GBK_ARTICLE)
    assert "鈥" in damaged
    return {
        "/gbk.html": Served(
            "text/html; charset=utf-8",
            _page("Rates held", damaged.splitlines()).encode("utf-8"),
        ),
        "/cp1252.html": Served(
            "text/html; charset=windows-1252",
            _page("Café prices", [QUOTED.strip()]).encode("cp1252"),
        ),
        "/mislabelled.html": Served(
            "text/html; charset=ISO-8859-1",
            _page("Café prices", [QUOTED.strip()], charset="utf-8").encode("utf-8"),
        ),
        "/ads.html": Served(
            "text/html; charset=utf-8", _page("Budget passes", ADS_PARAGRAPHS).encode("utf-8")
        ),
        "/notes.txt": Served("text/plain; charset=iso-8859-1", QUOTED.encode("cp1252")),
        "/broken.txt": Served("text/plain", PNG_BYTES),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, dict[str, Served]]]:
    pages = _site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = pages.get(self.path)
            if page is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


# The crawl script: a spider yielding dict, scrapy.Item and dataclass items in turn, plus an
# export-only pipeline after textmend's that turns bytes left in an item (the original of a
# field textmend could not clean) into hex, since JSON cannot hold bytes.
SPIDER = r"""
import dataclasses, json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

base, out, stats_path, settings_json, paths = sys.argv[1:6]

FIELDS = ("page", "url", "status", "content_type", "title", "fetched_by", "text", "raw_text",
          "html", "article_text", "textmend")

class PageItem(scrapy.Item):
    page = scrapy.Field(); url = scrapy.Field(); status = scrapy.Field()
    content_type = scrapy.Field(); title = scrapy.Field(); fetched_by = scrapy.Field()
    text = scrapy.Field(); raw_text = scrapy.Field(); html = scrapy.Field()
    article_text = scrapy.Field(); textmend = scrapy.Field()

@dataclasses.dataclass
class PageRecord:
    page: str = None; url: str = None; status: int = None; content_type: str = None
    title: str = None; fetched_by: str = None; text: object = None; raw_text: object = None
    html: object = None; article_text: str = None; textmend: dict = None

class BytesForExport:
    def process_item(self, item):
        from itemadapter import ItemAdapter
        adapter = ItemAdapter(item)
        for key, value in adapter.items():
            if isinstance(value, bytes):
                adapter[key] = {"bytes_hex": value.hex()}
        return item

class Pages(scrapy.Spider):
    name = "pages"
    async def start(self):
        for index, path in enumerate(paths.split(",")):
            yield scrapy.Request(base + path, cb_kwargs={"index": index, "path": path})

    def parse(self, response, index, path):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        fields = {"page": path, "url": response.url, "status": response.status,
                  "content_type": content_type, "fetched_by": "test-spider"}
        if content_type.startswith("text/plain"):
            fields["text"] = response.body
        else:
            fields["title"] = response.css("title::text").get()
            fields["text"] = "\n".join(response.css("article p::text").getall())
            fields["html"] = response.body
        fields["raw_text"] = fields["text"]
        kind = index % 3
        if kind == 0:
            yield fields
        elif kind == 1:
            yield PageItem(**fields)
        else:
            yield PageRecord(**fields)

settings = {
    "ITEM_PIPELINES": {"textmend.scrapy.CleanTextPipeline": 300, "__main__.BytesForExport": 900},
    "FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}},
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
}
settings.update(json.loads(settings_json))
process = CrawlerProcess(settings)
crawler = process.create_crawler(Pages)
process.crawl(crawler)
process.start()
from twisted.internet import reactor
stats = crawler.stats.get_stats()
stats["test/reactor"] = type(reactor).__name__
with open(stats_path, "w") as handle:
    json.dump(stats, handle, default=str)
"""

BASE_SETTINGS = {
    "TEXTMEND_FIELDS": ["text"],
    "TEXTMEND_HTML_FIELDS": {"html": "article_text"},
    "TEXTMEND_REPORT_FIELD": "textmend",
}


@dataclass
class Crawl:
    items: dict[str, dict[str, Any]]
    stats: dict[str, Any]
    log: str


def _crawl(tmp_path: Path, base: str, paths: list[str], settings: dict[str, Any]) -> Crawl:
    script = tmp_path / "crawl_pages.py"
    script.write_text(SPIDER, encoding="utf-8")
    out, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    command = [
        sys.executable,
        str(script),
        base,
        str(out),
        str(stats),
        json.dumps(settings),
        ",".join(paths),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    lines = out.read_text("utf-8").splitlines() if out.exists() else []
    items = {row["page"]: row for row in map(json.loads, lines)}
    return Crawl(items, json.loads(stats.read_text()), done.stderr)


@pytest.fixture(scope="module")
def crawl(site: tuple[str, dict[str, Served]], tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    base, pages = site
    return _crawl(tmp_path_factory.mktemp("crawl"), base, list(pages), BASE_SETTINGS)


def _raw(value: Any) -> str | bytes:
    return bytes.fromhex(value["bytes_hex"]) if isinstance(value, dict) else value


def test_every_page_is_exported_with_its_other_fields(crawl: Crawl, site: Any) -> None:
    _, pages = site
    assert set(crawl.items) == set(pages)
    for path, item in crawl.items.items():
        assert item["status"] == 200
        assert item["fetched_by"] == "test-spider"
        assert item["content_type"] == pages[path].content_type
        assert item["url"].endswith(path)
    assert crawl.items["/ads.html"]["title"] == "Budget passes"
    assert crawl.stats["item_scraped_count"] == len(pages)
    assert "item_dropped_count" not in crawl.stats
    # current Scrapy conventions: no deprecated pipeline signatures
    assert "ScrapyDeprecationWarning" not in crawl.log
    # Scrapy's default reactor, so the pipeline took its asyncio code path
    assert crawl.stats["test/reactor"] == "AsyncioSelectorReactor"


def test_text_fields_equal_textmend_clean_of_the_same_input(crawl: Crawl) -> None:
    for path, item in crawl.items.items():
        if path == "/broken.txt":
            continue
        expected = textmend.clean(
            _raw(item["raw_text"]), content_type=item["content_type"], url=item["url"]
        )
        assert item["text"] == expected.text, path
        report = item["textmend"]["text"]
        assert report["changed"] == expected.changed
        assert report["notes"] == list(expected.notes)
        assert len(report["findings"]) == len(expected.findings)


def test_html_fields_are_extracted_to_their_target(crawl: Crawl, site: Any) -> None:
    _, pages = site
    for path, item in crawl.items.items():
        if not path.endswith(".html"):
            assert item.get("article_text") is None
            continue
        served = pages[path]
        expected = textmend.clean(
            served.body, html=True, content_type=served.content_type, url=item["url"]
        )
        assert item["article_text"] == expected.text, path
        # the mapping form keeps the HTML itself, untouched
        assert _raw(item["html"]) == served.body


def test_cp1252_page_with_correct_header(crawl: Crawl) -> None:
    item = crawl.items["/cp1252.html"]
    assert "The café on the corner served “quoted” prices — naïve" in item["article_text"]
    assert "5 € a cup" in item["article_text"]
    report = item["textmend"]["html"]
    assert report["encoding"] == "cp1252"
    assert report["notes"] == []


def test_utf8_page_mislabelled_latin1_is_read_as_utf8(crawl: Crawl) -> None:
    item = crawl.items["/mislabelled.html"]
    assert "The café on the corner served “quoted” prices — naïve" in item["article_text"]
    assert "Ã" not in item["article_text"]
    report = item["textmend"]["html"]
    assert report["encoding"] == "utf-8"
    assert "HTTP charset ISO-8859-1 overridden: the bytes are valid UTF-8" in report["notes"]


def test_latin1_text_bytes_with_c1_quotes_read_as_windows_1252(crawl: Crawl) -> None:
    item = crawl.items["/notes.txt"]
    assert item["text"] == QUOTED
    assert item["textmend"]["text"]["encoding"] == "cp1252"
    assert item["textmend"]["text"]["notes"][0].startswith("HTTP charset iso-8859-1 read as cp1252")


def test_boilerplate_lines_are_removed_and_reported(crawl: Crawl) -> None:
    item = crawl.items["/ads.html"]
    for line in BOILERPLATE_LINES:
        assert line not in item["text"].splitlines()
    for line in ADS_PARAGRAPHS:
        if line not in BOILERPLATE_LINES:
            assert line in item["text"]
    removed = [row["text"] for row in item["textmend"]["text"]["removed"]]
    assert removed == list(BOILERPLATE_LINES)


def test_page_that_cannot_be_cleaned_keeps_its_original(crawl: Crawl) -> None:
    item = crawl.items["/broken.txt"]
    assert _raw(item["text"]) == PNG_BYTES
    assert item["textmend"]["text"]["error"].startswith("BinaryInputError: PNG image")
    assert crawl.stats["textmend/errors"] == 1
    assert "could not clean field 'text'" in crawl.log


def test_crawl_stats(crawl: Crawl, site: Any) -> None:
    _, pages = site
    assert crawl.stats["textmend/items"] == len(pages)
    html_pages = sum(path.endswith(".html") for path in pages)
    # every page's text field plus every HTML field, minus the one error
    assert crawl.stats["textmend/fields"] == len(pages) + html_pages - 1
    assert crawl.stats["textmend/lines_removed"] >= len(BOILERPLATE_LINES)
    assert crawl.stats["textmend/notes"] >= 2


def test_gbk_mojibake_is_repaired(crawl: Crawl) -> None:
    item = crawl.items["/gbk.html"]
    assert not CJK.search(item["text"])
    assert not CJK.search(item["article_text"])
    assert "India’s central bank" in item["text"]


def test_drop_on_error_under_a_plain_twisted_reactor(site: Any, tmp_path: Path) -> None:
    """TEXTMEND_DROP_ON_ERROR drops the bad page; also exercises the non-asyncio code path."""
    base, _ = site
    settings = {
        **BASE_SETTINGS,
        "TEXTMEND_DROP_ON_ERROR": True,
        "TWISTED_REACTOR": "twisted.internet.selectreactor.SelectReactor",
    }
    result = _crawl(tmp_path, base, ["/notes.txt", "/broken.txt"], settings)
    assert set(result.items) == {"/notes.txt"}
    assert result.items["/notes.txt"]["text"] == QUOTED
    assert result.stats["textmend/dropped"] == 1
    assert result.stats["item_dropped_count"] == 1
    assert result.stats["test/reactor"] == "SelectReactor"


# Unit-level checks of configuration and item kinds (no reactor needed).


def test_settings_parsing() -> None:
    config = PipelineConfig.from_settings(
        Settings(
            {
                "TEXTMEND_FIELDS": "body,summary",
                "TEXTMEND_HTML_FIELDS": ["raw_html"],
                "TEXTMEND_DROP_ON_ERROR": "1",
                "TEXTMEND_STRICT": True,
            }
        )
    )
    assert config.text_fields == ("body", "summary")
    assert config.html_fields == (("raw_html", "raw_html"),)
    assert config.report_field is None
    assert config.drop_on_error is True
    assert config.options.allow_inferred is False
    assert PipelineConfig.from_settings(Settings()).text_fields == ("text",)


def test_nothing_to_clean_disables_the_pipeline() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        PipelineConfig.from_settings(Settings({"TEXTMEND_FIELDS": []}))


class Article(scrapy.Item):
    text = scrapy.Field()
    url = scrapy.Field()


@dataclass
class ArticleRecord:
    text: Any = None
    url: str | None = None
    paragraphs: list[str] | None = None


@pytest.mark.parametrize(
    "item",
    [
        {"text": "A.\nAdvertisement\nB.\n", "url": "http://x.test/"},
        Article(text="A.\nAdvertisement\nB.\n", url="http://x.test/"),
        ArticleRecord(text="A.\nAdvertisement\nB.\n", url="http://x.test/"),
    ],
    ids=["dict", "scrapy.Item", "dataclass"],
)
def test_process_item_on_each_item_kind(item: Any) -> None:
    import asyncio

    pipeline = CleanTextPipeline(PipelineConfig(report_field="textmend"))
    try:
        result = asyncio.run(pipeline.process_item(item))
    finally:
        pipeline.close_spider()
    assert result is item
    adapter = ItemAdapter(item)
    assert adapter["text"] == "A.\nB.\n"
    assert adapter["url"] == "http://x.test/"
    if isinstance(item, dict):
        assert item["textmend"]["text"]["removed"][0]["text"] == "Advertisement"
    else:  # undeclared report field: the item is still cleaned, the report skipped
        assert "textmend" not in adapter


def test_cleaning_runs_in_the_pipeline_worker_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import textmend.scrapy as textmend_scrapy

    threads: list[str] = []
    original = textmend_scrapy.clean_fields

    def recording_clean_fields(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return original(*args)

    monkeypatch.setattr(textmend_scrapy, "clean_fields", recording_clean_fields)
    pipeline = CleanTextPipeline(PipelineConfig())
    try:
        asyncio.run(pipeline.process_item({"text": "One.\nAdvertisement\n"}))
    finally:
        pipeline.close_spider()
    assert len(threads) == 1
    assert threads[0].startswith("textmend")
    assert threads[0] != threading.main_thread().name


def test_list_fields_are_cleaned_element_by_element() -> None:
    config = PipelineConfig(text_fields=("paragraphs",))
    adapter = ItemAdapter(ArticleRecord(paragraphs=["One.", "Advertisement", 'Two "x".']))
    jobs = field_jobs(adapter, config)
    assert len(jobs) == 1
    from textmend.scrapy import clean_field

    result = clean_field(jobs[0])
    assert result.value == [textmend.clean(p).text for p in ["One.", "Advertisement", 'Two "x".']]
    assert result.value[1] == ""
    assert result.lines_removed == 1
