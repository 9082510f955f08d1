"""Accuracy gate for the boilerplate stage on the peer benchmarks (issue 4).

Fails when quality drops below the level measured when the stage was written (floors a
little under the measured numbers so that noise-free refactorings pass, real regressions do
not). Skips when ../shared is absent. About 30 s: the plain-text part and the scrapinghub
part use every page, the trafilatura-eval part its held-out half (the host split of
bench/boilerplate_labels.py), whose pages were never looked at while tuning.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCH = Path(__file__).resolve().parents[1] / "bench"

pytestmark = [
    pytest.mark.peers,
    pytest.mark.skipif(
        not (SHARED / "peers" / "article-extraction-benchmark").is_dir(),
        reason="../shared peer data absent",
    ),
]


@pytest.fixture(scope="module")
def bench_module():  # type: ignore[no-untyped-def]
    pytest.importorskip("inscriptis")
    pytest.importorskip("justext")
    sys.path.insert(0, str(BENCH))
    try:
        import boilerplate as bench  # bench/boilerplate.py

        yield bench
    finally:
        sys.path.remove(str(BENCH))


def test_plain_text_held_out_window(bench_module) -> None:  # type: ignore[no-untyped-def]
    pages = bench_module.labelled_pages()
    scores = bench_module.score_pages(pages, bench_module.textmend_predict)
    held_out = scores[("held-out", "window")]
    # Measured: P 0.972, R 0.538, body kept 0.9954 (issue targets: P 0.97, R 0.90, 0.995).
    assert held_out.kept >= 0.995
    assert held_out.precision >= 0.965
    assert held_out.recall >= 0.53
    tune = scores[("tune", "window")]
    # Measured on the tuning half: P 0.986, R 0.833.
    assert tune.precision >= 0.98
    assert tune.recall >= 0.82
    c4 = bench_module.score_pages(pages, bench_module.c4_predict)[("held-out", "window")]
    assert held_out.precision > c4.precision + 0.3
    assert held_out.kept > c4.kept


def test_scrapinghub_beats_plain_trafilatura(bench_module) -> None:  # type: ignore[no-untyped-def]
    pages = bench_module.load_aeb_pages()
    outputs = [bench_module._aeb_job((pid, url)) for pid, url, _ in pages]
    truth = {pid: body for pid, _, body in pages}
    f1 = {}
    for column in (1, 2):
        rows = [bench_module.shingle_tp_fp_fn(truth[o[0]], o[column]) for o in outputs]
        f1[column] = bench_module.shingle_metrics(rows)[2]
    # Measured on all 181 pages: trafilatura 0.953, textmend 0.966 (issue target 0.965).
    assert f1[2] >= f1[1] + 0.01, f1
    assert f1[2] >= 0.963, f1


@pytest.mark.slow
def test_trafilatura_eval_held_out_beats_plain_trafilatura(bench_module) -> None:  # type: ignore[no-untyped-def]
    import json

    evaldata = json.loads((bench_module.TRAF_EVAL / "evaldata.json").read_text("utf-8"))
    items = [item for item in sorted(evaldata.items()) if bench_module.in_half(item[0], "held-out")]
    results = [bench_module._traf_job((url, entry["file"])) for url, entry in items]
    f1 = {
        column: bench_module.snippet_f1(
            *bench_module.snippet_counts(items, [r[column] for r in results])
        )
        for column in (1, 2)
    }
    # Measured on the 539 held-out pages: trafilatura 0.913, textmend 0.929 (all 990 pages:
    # 0.921 and 0.940; issue target 0.93 on all).
    assert f1[2] >= f1[1] + 0.01, f1
    assert f1[2] >= 0.925, f1
