"""Ground-truth line labels for the plain-text boilerplate benchmark.

Each page of the scrapinghub article-extraction-benchmark is rendered to plain text *with* its
boilerplate (inscriptis, one block per line), and every line is labelled by aligning the
page's word stream with the hand-checked ``articleBody``:

* both texts become lower-cased ``\\w+`` tokens; ``difflib.SequenceMatcher`` (no autojunk) finds
  the order-preserving matching blocks, and only blocks of >= 3 words count as aligned (a run
  of three words in the same order is very unlikely by chance, a lone "share" is not);
* the whole page is aligned as one stream, so a two-word subheading between two body
  paragraphs is aligned through its neighbours, while an "Advertisement" line breaks the run;
* a line whose words are >= 90 % aligned is ``body``, <= 10 % is ``boilerplate``, anything in
  between is ``mixed`` and excluded from scoring; lines without a word token are excluded too.

Host split (written down so it is reproducible): a page's host is the URL's netloc without a
leading ``www.``; the page is in the *tune* half when the first byte of
``sha256(host)`` is even, else in the *held-out* half. Pages of one host never straddle halves.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
AEB = SHARED / "peers" / "article-extraction-benchmark"
TRAF_EVAL = SHARED / "peers" / "trafilatura-eval"

_WORD = re.compile(r"\w+")
MIN_RUN = 3
BODY_SHARE = 0.9
BOILERPLATE_SHARE = 0.1
WINDOW_MARGIN = 3


@dataclass(frozen=True, slots=True)
class LabelledPage:
    page_id: str
    host: str
    half: str  # "tune" or "held-out"
    lines: tuple[str, ...]  # rendered page, one block per line (blank lines dropped)
    labels: tuple[str, ...]  # "body", "boilerplate", "mixed", "none" per line
    window: tuple[int, int]  # [start, end) = article span +- WINDOW_MARGIN lines


def host_of(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def half_of(host: str) -> str:
    return "tune" if hashlib.sha256(host.encode()).digest()[0] % 2 == 0 else "held-out"


def render_html(html: str) -> list[str]:
    """The page as plain text with its boilerplate, one non-blank block per line."""
    from inscriptis import get_text

    text = get_text(html)
    return [line.strip() for line in text.splitlines() if line.strip()]


def label_lines(lines: list[str], body: str) -> list[str]:
    page_tokens: list[str] = []
    owner: list[int] = []
    for index, line in enumerate(lines):
        words = [w.lower() for w in _WORD.findall(line)]
        page_tokens.extend(words)
        owner.extend([index] * len(words))
    body_tokens = [w.lower() for w in _WORD.findall(body)]
    aligned = [0] * len(lines)
    matcher = SequenceMatcher(None, page_tokens, body_tokens, autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size >= MIN_RUN:
            for position in range(block.a, block.a + block.size):
                aligned[owner[position]] += 1
    labels: list[str] = []
    for index, line in enumerate(lines):
        total = len(_WORD.findall(line))
        if total == 0:
            labels.append("none")
            continue
        share = aligned[index] / total
        if share >= BODY_SHARE:
            labels.append("body")
        elif share <= BOILERPLATE_SHARE:
            labels.append("boilerplate")
        else:
            labels.append("mixed")
    return labels


def article_window(labels: list[str]) -> tuple[int, int]:
    body_rows = [i for i, label in enumerate(labels) if label == "body"]
    if not body_rows:
        return (0, 0)
    return (
        max(0, body_rows[0] - WINDOW_MARGIN),
        min(len(labels), body_rows[-1] + 1 + WINDOW_MARGIN),
    )


def load_aeb_pages() -> list[tuple[str, str, str]]:
    """(page id, url, articleBody) for every benchmark page, sorted by id."""
    truth = json.loads((AEB / "ground-truth.json").read_text("utf-8"))
    return [(key, value["url"], value["articleBody"]) for key, value in sorted(truth.items())]


def read_aeb_html(page_id: str) -> bytes:
    return gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())


def labelled_page(page_id: str, url: str, body: str) -> LabelledPage:
    html = read_aeb_html(page_id).decode("utf-8", errors="replace")
    lines = render_html(html)
    labels = label_lines(lines, body)
    host = host_of(url)
    return LabelledPage(
        page_id, host, half_of(host), tuple(lines), tuple(labels), article_window(labels)
    )
