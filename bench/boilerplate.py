"""Benchmark of the boilerplate stage against ground truth (issue 4).

Run from the repository root:

    .venv/bin/python bench/boilerplate.py            # plain text + HTML, all sets
    .venv/bin/python bench/boilerplate.py --plain    # plain-text line labels only
    .venv/bin/python bench/boilerplate.py --html     # end-to-end HTML only

1. Plain text: pages of ../shared/peers/article-extraction-benchmark rendered with their
   boilerplate and labelled line by line (see bench/boilerplate_labels.py for the labelling
   and the host split). Scores the *boilerplate* class (precision, recall, F1) and the share of
   body lines kept, on the article window (span +- 3 lines) and on the whole page, for the tune
   and held-out halves, with textmend, C4's line rules and jusText in the same run.
2. HTML end to end: the same benchmark with its own metric (token 4-gram shingles, macro P/R,
   F1 of the means) and ../shared/peers/trafilatura-eval with trafilatura's metric
   (must / must-not snippets, micro-summed), textmend vs plain ``trafilatura.extract``.
3. Cost: CPU time of the line filter vs the whole ``clean_text`` on plain text, and vs a
   real ``textmend clean --jobs 1`` batch run over the same texts written as files (CPU
   time: far steadier than wall time on a shared machine).
"""

from __future__ import annotations

import argparse
import gzip
import html as html_lib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_labels import (
    AEB,
    SHARED,
    TRAF_EVAL,
    LabelledPage,
    half_of,
    host_of,
    labelled_page,
    load_aeb_pages,
    read_aeb_html,
)
from bytecode import compile_package

Predictor = Callable[[Sequence[str]], list[bool]]


# ----------------------------------------------------------------------------- predictors
def textmend_predict(lines: Sequence[str]) -> list[bool]:
    """True for each line textmend's boilerplate stage removes."""
    from textmend.boilerplate import filter_text

    filtered = filter_text("\n".join(lines) + "\n")
    removed = [False] * len(lines)
    for item in filtered.removed:
        removed[item.line - 1] = True
    return removed


_C4_END_MARKS = (".", "?", "!", '"', "”")
_C4_POLICY = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


def c4_predict(lines: Sequence[str]) -> list[bool]:
    """C4's line rules (Raffel et al. 2020): a line stays only if it ends in terminal
    punctuation (not an ellipsis), has >= 5 words, and mentions neither javascript nor a
    cookie/terms policy."""
    removed = []
    for line in lines:
        text = line.strip()
        lower = text.lower()
        drop = (
            not text.endswith(_C4_END_MARKS)
            or text.endswith("...")
            or len(text.split()) < 5
            or "javascript" in lower
            or any(phrase in lower for phrase in _C4_POLICY)
        )
        removed.append(drop)
    return removed


_JUSTEXT_LANGUAGES = (
    "English",
    "German",
    "French",
    "Spanish",
    "Italian",
    "Portuguese",
    "Dutch",
    "Polish",
    "Russian",
    "Swedish",
)


def _justext_stoplist(lines: Sequence[str]) -> frozenset[str]:
    import justext

    words = [w.lower() for line in lines for w in re.findall(r"\w+", line)]
    best: frozenset[str] = frozenset()
    best_share = -1.0
    for language in _JUSTEXT_LANGUAGES:
        stoplist = justext.get_stoplist(language)
        share = sum(w in stoplist for w in words) / max(1, len(words))
        if share > best_share:
            best, best_share = stoplist, share
    return best


def justext_predict(lines: Sequence[str]) -> list[bool]:
    """jusText (default parameters, context-sensitive) with each line as one paragraph; the
    stop-list is the one of the language with the highest stop-word share on the page."""
    import justext

    page = "<html><body>" + "".join(f"<p>{html_lib.escape(line)}</p>" for line in lines)
    paragraphs = justext.justext(page + "</body></html>", _justext_stoplist(lines))
    removed = [False] * len(lines)
    cursor = 0
    for paragraph in paragraphs:
        key = " ".join(paragraph.text.split())
        while cursor < len(lines) and " ".join(lines[cursor].split()) != key:
            cursor += 1
        if cursor < len(lines):
            removed[cursor] = paragraph.is_boilerplate
            cursor += 1
    return removed


PREDICTORS: dict[str, Predictor] = {
    "textmend": textmend_predict,
    "C4 line rules": c4_predict,
    "jusText": justext_predict,
}


# ----------------------------------------------------------------------------- plain text
@dataclass(slots=True)
class LineScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    body_total: int = 0
    body_kept: int = 0

    def add(self, label: str, removed: bool) -> None:
        if label == "boilerplate":
            self.tp += removed
            self.fn += not removed
        elif label == "body":
            self.fp += removed
            self.body_total += 1
            self.body_kept += not removed

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def kept(self) -> float:
        return self.body_kept / self.body_total if self.body_total else 1.0


def score_pages(
    pages: Sequence[LabelledPage], predict: Predictor
) -> dict[tuple[str, str], LineScore]:
    scores: dict[tuple[str, str], LineScore] = {}
    for page in pages:
        removed = predict(page.lines)
        start, end = page.window
        for index, label in enumerate(page.labels):
            for scope in ("window", "page"):
                if scope == "window" and not start <= index < end:
                    continue
                for half in (page.half, "all"):
                    scores.setdefault((half, scope), LineScore()).add(label, removed[index])
    return scores


def labelled_pages() -> list[LabelledPage]:
    return [labelled_page(pid, url, body) for pid, url, body in load_aeb_pages()]


def plain_benchmark(show_errors: str | None) -> None:
    pages = labelled_pages()
    halves = Counter(page.half for page in pages)
    labels = Counter(label for page in pages for label in page.labels)
    print(
        f"plain text: {len(pages)} pages ({halves['tune']} tune, {halves['held-out']} held-out),"
        f" lines: {dict(labels)}"
    )
    print(
        f"{'method':<15} {'half':<9} {'scope':<7} {'P':>6} {'R':>6} {'F1':>6} {'body kept':>10}"
        f" {'tp':>5} {'fp':>5} {'fn':>5}"
    )
    for name, predict in PREDICTORS.items():
        scores = score_pages(pages, predict)
        for half in ("tune", "held-out", "all"):
            for scope in ("window", "page"):
                s = scores[(half, scope)]
                print(
                    f"{name:<15} {half:<9} {scope:<7} {s.precision:6.3f} {s.recall:6.3f}"
                    f" {s.f1:6.3f} {s.kept:10.4f} {s.tp:5d} {s.fp:5d} {s.fn:5d}"
                )
    if show_errors:
        print_errors([p for p in pages if p.half == show_errors])


def print_errors(pages: Sequence[LabelledPage]) -> None:
    """Window errors of textmend and per-category precision (for tuning on one half only)."""
    from textmend.boilerplate import find_boilerplate

    by_category: dict[str, Counter[str]] = {}
    for page in pages:
        start, end = page.window
        for index, verdict in find_boilerplate(list(page.lines)).items():
            if start <= index < end:
                by_category.setdefault(verdict.category, Counter())[page.labels[index]] += 1
    for category, counts in sorted(by_category.items()):
        print(f"category {category:<15} {dict(counts)}")
    for page in pages:
        verdicts = find_boilerplate(list(page.lines))
        removed = [i in verdicts for i in range(len(page.lines))]
        start, end = page.window
        for index in range(start, end):
            label = page.labels[index]
            if label == "body" and removed[index]:
                category = verdicts[index].category
                print(f"FP {page.host:<22} {category:<14} {page.lines[index][:110]}")
            elif label == "boilerplate" and not removed[index]:
                print(f"FN {page.host:<25} {page.lines[index][:120]}")


# ----------------------------------------------------------------------------- HTML
_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """The scrapinghub benchmark's per-page score: 4-gram shingle TP/FP/FN normalised to sum 1."""
    truth, guess = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in truth.keys() | guess.keys():
        t, g = truth.get(key, 0), guess.get(key, 0)
        tp += min(t, g)
        fp += max(0, g - t)
        fn += max(0, t - g)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def shingle_metrics(rows: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return p, r, 2 * p * r / (p + r)


def _extract_both(html_bytes: bytes, url: str | None) -> tuple[str, str]:
    """(plain trafilatura 2.x default output, textmend.clean output) for one page."""
    import trafilatura

    import textmend

    decoded = textmend.decode(html_bytes)
    plain = trafilatura.extract(decoded.text, url=url) or ""
    ours = textmend.clean(html_bytes, html=True, url=url).text
    return plain, ours


def _aeb_job(item: tuple[str, str]) -> tuple[str, str, str]:
    page_id, url = item
    plain, ours = _extract_both(read_aeb_html(page_id), url)
    return page_id, plain, ours


def _traf_job(item: tuple[str, str]) -> tuple[str, str, str]:
    url, file_name = item
    raw = gzip.decompress((TRAF_EVAL / "html" / f"{file_name}.gz").read_bytes())
    plain, ours = _extract_both(raw, url)
    return url, plain, ours


def _collapse(text: str) -> str:
    return " ".join(text.split())


HALVES = ("tune", "held-out", "all")


def in_half(url: str, half: str) -> bool:
    """The host split of bench/boilerplate_labels.py, applied to any page URL."""
    return half == "all" or half_of(host_of(url)) == half


def html_benchmark(jobs: int, limit: int | None) -> None:
    pages = load_aeb_pages()[:limit]
    truth = {pid: body for pid, _, body in pages}
    url_of = {pid: url for pid, url, _ in pages}
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        outputs = list(pool.map(_aeb_job, [(pid, url) for pid, url, _ in pages], chunksize=4))
    seconds = time.perf_counter() - started
    print(
        f"\nscrapinghub article-extraction-benchmark, {len(outputs)} pages (shingle metric;"
        f" {seconds:.0f}s for both methods, {jobs} processes)"
    )
    print(f"{'method':<22} {'half':<9} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for column, name in ((1, "trafilatura default"), (2, "textmend")):
        for half in HALVES:
            chosen = [o for o in outputs if in_half(url_of[o[0]], half)]
            rows = [shingle_tp_fp_fn(truth[o[0]], o[column]) for o in chosen]
            p, r, f = shingle_metrics(rows)
            print(f"{name:<22} {half:<9} {len(rows):5d} {p:6.3f} {r:6.3f} {f:6.3f}")

    evaldata = json.loads((TRAF_EVAL / "evaldata.json").read_text("utf-8"))
    items = sorted(evaldata.items())[:limit]
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(_traf_job, [(url, e["file"]) for url, e in items], chunksize=8))
    print(f"\ntrafilatura-eval, {len(results)} pages (snippet metric, micro-summed)")
    print(
        f"{'method':<22} {'half':<9} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}"
        f" {'tp':>5} {'fn':>5} {'fp':>5} {'tn':>5}"
    )
    for column, name in ((1, "trafilatura default"), (2, "textmend")):
        for half in HALVES:
            chosen = [(item, result) for item, result in zip(items, results, strict=True)]
            chosen = [(item, result) for item, result in chosen if in_half(item[0], half)]
            tp, fn, fp, tn = snippet_counts(
                [item for item, _ in chosen], [result[column] for _, result in chosen]
            )
            p, r = tp / (tp + fp), tp / (tp + fn)
            acc = (tp + tn) / (tp + tn + fp + fn)
            print(
                f"{name:<22} {half:<9} {len(chosen):5d} {p:6.3f} {r:6.3f}"
                f" {2 * p * r / (p + r):6.3f} {acc:6.3f} {tp:5d} {fn:5d} {fp:5d} {tn:5d}"
            )


def snippet_counts(
    items: Sequence[tuple[str, dict[str, list[str]]]], texts: Sequence[str]
) -> tuple[int, int, int, int]:
    """trafilatura-eval's metric: (tp, fn, fp, tn) over must / must-not snippets."""
    tp = fn = fp = tn = 0
    for (_url, entry), output in zip(items, texts, strict=True):
        text = _collapse(output)
        for snippet in entry["with"]:
            found = _collapse(snippet) in text
            tp += found
            fn += not found
        for snippet in entry["without"]:
            found = _collapse(snippet) in text
            fp += found
            tn += not found
    return tp, fn, fp, tn


def snippet_f1(tp: int, fn: int, fp: int, tn: int) -> float:
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)


# ----------------------------------------------------------------------------- cost
TEXTMEND = Path(sys.executable).with_name("textmend")


def cost_texts() -> list[str]:
    """The cost benchmark's plain texts: the shared seeds and the labelled pages."""
    texts = [p.read_text("utf-8", errors="replace") for p in sorted((SHARED / "seeds").iterdir())]
    texts += ["\n".join(page.lines) + "\n" for page in labelled_pages()]
    return texts


def batch_seconds(texts: Sequence[str], rounds: int) -> list[float]:
    """CPU time of ``textmend clean DIR -o OUT --jobs 1 --quiet`` over ``texts`` written as
    .txt files (the CLI and its worker process), one subprocess per round (interpreter start
    and import included, as a user running the batch pays them), with this checkout's
    ``src`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    times = []
    with tempfile.TemporaryDirectory(prefix="textmend-cost-") as work:
        source = Path(work) / "in"
        source.mkdir()
        for number, text in enumerate(texts):
            (source / f"{number:04d}.txt").write_text(text, "utf-8")
        for round_number in range(rounds):
            output = Path(work) / f"out{round_number}"
            cmd = [str(TEXTMEND), "clean", str(source), "-o", str(output), "--jobs", "1"]
            started = _children_cpu()
            proc = subprocess.run([*cmd, "--quiet"], capture_output=True, env=env, check=False)
            times.append(_children_cpu() - started)
            if proc.returncode not in (0, 2):  # 2: some file changed (not an error)
                sys.exit(f"textmend clean failed: {proc.stderr.decode()[-500:]}")
    return times


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_seconds(rounds: int) -> list[float]:
    """One-off cost of the filter in a fresh process: compiling every phrase-rule screen and
    reading the stop-word lists (the batch does it once, before it forks its workers)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    code = (
        "import time, textmend.boilerplate as b; t = time.process_time(); b.compile_rules();"
        " print(time.process_time() - t)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
        for _ in range(rounds)
    ]
    return [float(run.stdout) for run in runs]


def cost_benchmark(rounds: int = 5) -> None:
    """Share of plain-text cleaning time spent in the line filter: of ``clean_text`` in this
    process (stricter: no I/O, no start-up) and of a real ``textmend clean`` batch run."""
    from textmend.boilerplate import clear_cache, filter_text
    from textmend.pipeline import clean_text

    compile_package()  # the batch runs below load byte code, as installed (see bytecode.py)
    texts = cost_texts()
    filter_times, clean_times = [], []
    for _ in range(rounds):
        clear_cache()  # each round starts cold: no verdict remembered from the last one
        t0 = time.process_time()
        for text in texts:
            filter_text(text)
        t1 = time.process_time()
        clear_cache()
        t2 = time.process_time()
        for text in texts:
            clean_text(text)
        t3 = time.process_time()
        filter_times.append(t1 - t0)
        clean_times.append(t3 - t2)
    f, c = statistics.median(filter_times), statistics.median(clean_times)
    b = statistics.median(batch_seconds(texts, rounds))
    once = statistics.median(compile_seconds(rounds))
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(
        f"\nCPU cost on {len(texts)} plain texts ({mb:.1f} MB), median of {rounds} rounds:"
        f" filter_text {f:.3f}s, whole clean_text {c:.3f}s, filter share {f / c:.1%}"
    )
    print(
        f"batch run (textmend clean --jobs 1, start-up included) {b:.3f}s,"
        f" filter share of the batch {f / b:.1%}; with the one-off rule compile"
        f" ({once:.3f}s) {(f + once) / b:.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plain", action="store_true", help="plain-text line labels only")
    parser.add_argument("--html", action="store_true", help="end-to-end HTML only")
    parser.add_argument("--cost", action="store_true", help="filter cost only")
    parser.add_argument("--errors", choices=("tune", "held-out"), help="list window errors")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="first N pages of each HTML set")
    args = parser.parse_args()
    if not AEB.is_dir():
        sys.exit(f"peer data not found: {AEB}")
    everything = not (args.plain or args.html or args.cost)
    if args.plain or everything:
        plain_benchmark(args.errors)
    if args.cost or everything:
        cost_benchmark()
    if args.html or everything:
        html_benchmark(args.jobs, args.limit)


if __name__ == "__main__":
    main()
