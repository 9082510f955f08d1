"""The batch engine: parallel equality, crash isolation, large files, safe paths."""

from __future__ import annotations

import dataclasses
import gc
import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import textmend
from cli_executable import TEXTMEND
from output_trees import tree
from textmend.batch import documents
from textmend.batch.chunks import make_chunks
from textmend.batch.documents import STREAM_THRESHOLD
from textmend.batch.local import CRASH_REASON, LocalEngine
from textmend.batch.outputs import create_temp, write_atomically
from textmend.batch.sources import Planner, Task
from textmend.batch.worker import (
    WRITE,
    DescriptorReader,
    FileResult,
    JobConfig,
    open_input,
    process_chunk,
)
from textmend.cli import cli
from textmend.settings import Options
from textmend.write import TEMP_PREFIX

PARAGRAPHS = [
    "Indiaâ€™s ministers met on Tuesday, officials said.",
    "The talks were described as â€œconstructiveâ€\x9d by both sides.",
    "Advertisement",
    "A plain paragraph of ordinary reporting that needs no repair at all.",
    "Trailing spaces here   ",
]


def make_corpus(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"d{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(4)) + "\n"
        (folder / f"a{i:04d}.txt").write_text(body, encoding="utf-8")


def test_parallel_output_equals_serial(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 120)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli,
            [
                "clean",
                str(tmp_path / "in"),
                "-o",
                str(tmp_path / f"out{jobs}"),
                "--jobs",
                jobs,
                "--report",
                str(tmp_path / f"r{jobs}.jsonl"),
            ],
        )
        assert result.exit_code == 0, result.stderr
    assert tree(tmp_path / "out1") == tree(tmp_path / "out2")
    assert len(tree(tmp_path / "out1")) == 120
    assert (tmp_path / "r1.jsonl").read_text().replace("out1", "outN") == (
        tmp_path / "r2.jsonl"
    ).read_text().replace("out2", "outN")


def crash_on_poison(tasks: list, config: JobConfig) -> list[FileResult]:  # type: ignore[type-arg]
    """Fault injection: the worker process dies outright on one file (like a segfault)."""
    if any("poison" in task.src for task in tasks):
        os._exit(70)
    return process_chunk(tasks, config)


def test_a_crashing_worker_costs_one_file(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 40)
    (tmp_path / "in" / "d3" / "poison.txt").write_text("this one kills its worker\n")
    out = tmp_path / "out"
    plan = Planner(format_choice="auto", out_root=str(out)).plan([str(tmp_path / "in")])
    config = JobConfig(WRITE, Options(), out_root=str(out))
    engine = LocalEngine(2, work=crash_on_poison)
    results = [r for chunk in engine.run(make_chunks(plan.tasks, 2), config) for r in chunk]
    assert [r.path for r in results] == [t.display for t in plan.tasks]
    failed = [r for r in results if r.status == "error"]
    assert [Path(r.path).name for r in failed] == ["poison.txt"]
    assert failed[0].error == CRASH_REASON
    assert len(tree(out)) == 40


def report_frozen_objects(tasks: list, config: JobConfig) -> list[FileResult]:  # type: ignore[type-arg]
    """A worker that tells how many objects its garbage collector leaves alone."""
    return [
        FileResult(task.display, task.kind, "unchanged", bytes=gc.get_freeze_count())
        for task in tasks
    ]


def test_workers_freeze_what_they_start_with(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 3)
    plan = Planner(format_choice="auto", out_root=None).plan([str(tmp_path / "in")])
    config = JobConfig("check", Options())
    engine = LocalEngine(1, work=report_frozen_objects)
    results = [r for chunk in engine.run(make_chunks(plan.tasks, 1), config) for r in chunk]
    assert len(results) == 3
    assert all(r.bytes > 1000 for r in results)  # the modules and tables at least
    assert gc.get_freeze_count() == 0  # the driver's own objects are left as they were


def test_tasks_and_results_pickle_through_their_constructors() -> None:
    """Tasks and results cross between the driver and the workers as pickles made of the
    constructor's arguments: every field comes back, none with a default in its place."""
    task = Task("/in/a.txt", "in/a.txt", "a.txt", "text", "gz", "/out/a.txt", 12, 34)
    assert pickle.loads(pickle.dumps(task, pickle.HIGHEST_PROTOCOL)) == task
    assert pickle.loads(pickle.dumps(task, 2)) == task
    values = {
        f.name: f"{f.name}-value" if f.type in ("str", "str | None") else 7
        for f in dataclasses.fields(FileResult)
    }
    values.update(
        findings=[{"line": 1}],
        removed=[{"line": 2}],
        notes=["n"],
        record_errors=[{"line": 3}],
        check_lines=["c"],
        resumed=True,
    )
    result = FileResult(**values)  # type: ignore[arg-type]
    back = pickle.loads(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
    assert [getattr(back, f.name) for f in dataclasses.fields(FileResult)] == list(values.values())
    assert back == result


def big_text(target_bytes: int) -> str:
    paragraphs = []
    size = 0
    i = 0
    while size < target_bytes:
        para = " ".join(PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(3 + i % 5))
        if i % 97 == 0:
            para += "\n" + "Advertisement"
        paragraphs.append(para)
        size += len(para.encode()) + 2
        i += 1
    return "\n\n".join(paragraphs) + "\n"


@pytest.mark.parametrize("line_ends", ["lf", "lone cr before ads"])
def test_large_file_is_cleaned_in_blocks_like_a_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line_ends: str
) -> None:
    """Block mode gives the whole-document result, line numbers of findings and removed
    lines included. The thresholds are lowered (they are plain settings) so the test stays
    fast and crosses dozens of block boundaries."""
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 256 * 1024)
    monkeypatch.setattr(documents, "BLOCK_CHARS", 32 * 1024)
    monkeypatch.setattr(documents, "READ_BYTES", 16 * 1024)
    text = big_text(1024 * 1024)
    if line_ends != "lf":
        # A lone CR ends a line too, so every later line number depends on counting it.
        text = text.replace("\nAdvertisement", "\rAdvertisement")
    src = tmp_path / "big.txt"
    src.write_text(text, encoding="utf-8")
    whole = textmend.clean(src.read_bytes(), html=False)
    out = tmp_path / "out.txt"
    report = tmp_path / "r.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text("utf-8") == whole.text
    (entry,) = map(json.loads, report.read_text().splitlines())
    assert entry["findings"] == [f.to_dict() for f in whole.findings]
    assert entry["removed"] == [r.to_dict() for r in whole.removed]
    assert any("large input" in note for note in entry["notes"])


def test_large_html_is_refused_with_a_reason(tmp_path: Path) -> None:
    src = tmp_path / "huge.html"
    src.write_text("<html><body>" + "<p>x</p>\n" * (STREAM_THRESHOLD // 8) + "</body></html>")
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "o.txt")])
    assert result.exit_code == 2
    assert f"{src}: HTML document larger than" in result.stderr
    assert not (tmp_path / "o.txt").exists()


@pytest.mark.slow
def test_large_file_memory_is_bounded(tmp_path: Path) -> None:
    """A 40 MB, mostly clean text file is cleaned by a child process whose peak RSS stays
    bounded. (Findings are kept for the report, so memory also grows with their number.)"""
    src = tmp_path / "big.txt"
    clean_para = "A plain paragraph of ordinary reporting that needs no repair at all. " * 3
    block = ("\n\n".join([clean_para] * 60 + [PARAGRAPHS[0]]) + "\n\n").encode() * 70
    with src.open("wb") as handle:
        for _ in range(40):
            handle.write(block)
    # The peak of the CLI process alone. Linux keeps a process's peak RSS across exec, so a
    # child forked from this (large) test process would report this process's size; and
    # RUSAGE_CHILDREN is the largest of every child this process ever waited for. A small
    # fresh interpreter starts the CLI and reports its one child's peak instead.
    measure = (
        "import resource, subprocess, sys; "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [str(TEXTMEND), "clean", str(src), "-o", str(tmp_path / "o.txt"), "--quiet"]
    proc = subprocess.run(
        [sys.executable, "-c", measure, *command], capture_output=True, timeout=600, check=False
    )
    code, peak_kb = map(int, proc.stdout.split())
    assert code == 0, proc.stderr
    peak_mb = peak_kb / 1024
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB for a 40 MB input"
    assert (tmp_path / "o.txt").stat().st_size > 30 * 1024 * 1024


def test_colliding_outputs_and_undecodable_names(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "same.txt").write_text(f"from {name}\n")
    odd = os.fsencode(tmp_path / "a") + b"/caf\xe9.txt"
    with open(odd, "wb") as handle:
        handle.write(b"name is latin-1\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["clean", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "same.txt: output" in result.stderr and "is already produced from" in result.stderr
    assert (out / "same.txt").read_text() == "from a\n"
    with open(os.fsencode(out) + b"/caf\xe9.txt", "rb") as handle:
        assert handle.read() == b"name is latin-1\n"
    assert "caf\\xe9.txt" not in result.stderr  # it worked, so it is not mentioned


def test_symlinked_output_subfolder_is_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text("hello\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to(elsewhere)
    result = CliRunner().invoke(cli, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "leaves the output folder via a symlink" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_an_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    """The planner refuses an output path that resolves to its input (a symlink in the
    output folder, or the input's own folder as output), but a hard link is just another
    name: the atomic rename replaces it and the input keeps its bytes."""
    damaged = "Indiaâ€™s talks.\n"
    src = tmp_path / "in"
    src.mkdir()
    for name in ("linked.txt", "hard.txt", "plain.txt"):
        (src / name).write_text(damaged, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "linked.txt").symlink_to(src / "linked.txt")
    os.link(src / "hard.txt", out / "hard.txt")
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("the output path is the input itself") == 1
    assert f"{src / 'linked.txt'}: the output path is the input itself" in result.stderr
    for name in ("linked.txt", "hard.txt", "plain.txt"):
        assert (src / name).read_text(encoding="utf-8") == damaged
    assert (out / "hard.txt").read_text(encoding="utf-8") == "India’s talks.\n"
    assert (out / "plain.txt").read_text(encoding="utf-8") == "India’s talks.\n"

    own_folder = CliRunner().invoke(cli, ["clean", str(src / "plain.txt"), "-o", f"{src}/"])
    assert own_folder.exit_code == 2
    assert "the output path is the input itself" in own_folder.stderr
    assert (src / "plain.txt").read_text(encoding="utf-8") == damaged


def test_shallow_to_dict_equals_dataclasses_asdict() -> None:
    """``to_dict()`` builds shallow dicts (cheap); they must be exactly what
    ``dataclasses.asdict`` gives, key order included (the report, the manifest and JSONL
    metadata are written from them)."""
    cleaned = textmend.clean(
        "Indiaâ€™s talks were â€œgoodâ€\x9d.\n\nAdvertisement\n\nShare this article\n"
    )
    assert cleaned.findings and cleaned.removed
    for item in [*cleaned.findings, *cleaned.removed]:
        assert list(item.to_dict().items()) == list(dataclasses.asdict(item).items())


def test_write_atomically_leaves_the_old_file_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    write_atomically(str(target), b"first\n", mode=0o640, durable=False)
    assert target.read_bytes() == b"first\n"
    assert target.stat().st_mode & 0o777 == 0o640

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(str(target), b"second\n", mode=0o644, durable=True)
    assert target.read_bytes() == b"first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_chunks_keep_order_and_balance_bytes() -> None:
    """Chunks are consecutive runs of the tasks, in order, and are capped in bytes as well
    as in files: big inputs (JSONL shards) at the end of a folder do not end up together
    in one chunk that the whole run then waits for."""

    def task(name: str, size: int) -> Task:
        return Task(f"/in/{name}", name, name, "text", "", None, size, 0)

    tasks = [task(f"a{i}", 1_000) for i in range(200)] + [task(f"s{i}", 60_000) for i in range(8)]
    for workers in (1, 2, 4):
        chunks = list(make_chunks(tasks, workers))
        assert [t for chunk in chunks for t in chunk] == tasks
        cap = max(1, sum(t.size for t in tasks) // (workers * 8))
        assert all(len(c) == 1 or sum(t.size for t in c) <= cap for c in chunks)
        shard_chunks = [c for c in chunks if any(t.rel.startswith("s") for t in c)]
        assert len(shard_chunks) >= min(8, workers * 2)


def clean_with_hint(
    data: bytes, hint: int | None, reader: str = "file", folder: Path | None = None
) -> tuple[bytes, bool]:
    """(output, streamed?) of cleaning ``data`` as a document with a size hint, read from
    a file object or (``reader="descriptor"``, as the batch worker reads) from the bare
    descriptor of a file in ``folder`` holding ``data``."""
    sink = io.BytesIO()
    fd = -1
    if reader == "descriptor":
        assert folder is not None
        path = folder / "document.txt"
        path.write_bytes(data)
        fd = open_input(str(path))
    try:
        outcome = documents.clean_document(
            DescriptorReader(fd) if fd >= 0 else io.BytesIO(data),
            html=False,
            options=Options(),
            open_stream=lambda: sink,
            size_hint=hint,
        )
    finally:
        if fd >= 0:
            os.close(fd)
    if outcome.data is not None:
        return outcome.data, False
    return sink.getvalue(), True


@pytest.mark.parametrize("reader", ["file", "descriptor"])
@pytest.mark.parametrize("hint", [0, 5, 4095, 4096, 4097, 10**9, None])
def test_a_wrong_size_hint_never_changes_what_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hint: int | None, reader: str
) -> None:
    """The size from planning only sizes the first read: a file that grew or shrank since
    is still read whole (below the streaming threshold) or streamed (above it), whether
    through a file object or through the worker's bare descriptor (DescriptorReader)."""
    monkeypatch.setattr(documents, "STREAM_THRESHOLD", 4096)
    monkeypatch.setattr(documents, "READ_BYTES", 1000)
    monkeypatch.setattr(documents, "BLOCK_CHARS", 2000)
    for size in (0, 100, 4096, 4097, 20_000):
        data = ("Indiaâ€™s talks went on.\n\n" * 1000).encode()[:size]
        output, streamed = clean_with_hint(data, hint, reader, tmp_path)
        assert output == textmend.clean(data, html=False).text.encode()
        assert streamed == (size > 4096)


def test_the_worker_refuses_what_is_no_longer_a_regular_file(tmp_path: Path) -> None:
    """A file replaced by a FIFO after planning is refused at once (not blocked on)."""
    fifo = tmp_path / "was-a-file.txt"
    os.mkfifo(fifo)
    task = Task(str(fifo), str(fifo), fifo.name, "text", "", str(tmp_path / "o.txt"), 5, 0)
    (result,) = process_chunk([task], JobConfig(WRITE, Options(), out_root=str(tmp_path)))
    assert (result.status, result.error) == ("error", "not a regular file")


def test_temporary_names_carry_the_id_of_the_process_that_writes_them(tmp_path: Path) -> None:
    """The process id in temporary names is kept, not asked per file, and renewed in a
    forked child (a pool worker): two processes never race for the same name."""
    fd, path = create_temp(str(tmp_path))
    os.close(fd)
    assert os.path.basename(path).startswith(f"{TEMP_PREFIX}{os.getpid()}-")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        try:
            fd, path = create_temp(str(tmp_path))
            os.close(fd)
            os.write(write_end, path.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    child_path = os.read(read_end, 4096).decode()
    os.close(read_end)
    os.waitpid(child, 0)
    assert os.path.basename(child_path).startswith(f"{TEMP_PREFIX}{child}-")


def test_one_stat_per_missing_output_folder_plans_as_one_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner settles every output of a missing folder with one stat of the folder;
    the plan (tasks, refusals) is the one of a stat per output file."""
    src = tmp_path / "in"
    for folder in ("new", "linked", "dangling", "exists"):
        (src / folder).mkdir(parents=True)
        (src / folder / "a.txt").write_text("hello\n")
    out = tmp_path / "out"
    (out / "exists").mkdir(parents=True)
    (out / "exists" / "a.txt").write_text("old\n")
    (out / "linked").symlink_to(src / "linked")
    (out / "dangling").symlink_to(tmp_path / "nowhere")

    def planned() -> list[tuple[str, str]]:
        plan = Planner(format_choice="auto", out_root=str(out)).plan([str(src)])
        return [(t.rel, "task") for t in plan.tasks] + [(s.display, s.reason) for s in plan.skipped]

    fast = planned()
    monkeypatch.setattr(Planner, "_dest_folder_missing", lambda self, dest: False)
    assert fast == planned()
    assert (
        str(src / "linked" / "a.txt"),
        "the output path is the input itself (use --in-place)",
    ) in fast
    assert sorted(rel for rel, what in fast if what == "task") == [
        os.path.join(folder, "a.txt") for folder in ("dangling", "exists", "new")
    ]


@pytest.mark.parametrize("floor", [0, 1 << 40])
def test_small_runs_start_their_workers_without_the_warm_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, floor: int
) -> None:
    """The driver warms up the pipeline's tables for its workers only for a run of at
    least WARM_UP_MIN_BYTES; either way the outputs are those of a serial run."""
    from textmend import cli as cli_module
    from textmend.batch import local

    asked: list[int] = []
    real = local.prepare_for_workers

    def spy(workers: int = 1) -> None:
        asked.append(workers)
        real(workers)

    monkeypatch.setattr(local, "prepare_for_workers", spy)
    monkeypatch.setattr(cli_module, "WARM_UP_MIN_BYTES", floor)
    make_corpus(tmp_path / "in", 20)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / f"out{jobs}"), "-j", jobs]
        )
        assert result.exit_code == 0, result.output
    assert tree(tmp_path / "out1") == tree(tmp_path / "out2")
    if local._context().get_start_method() == "fork":
        assert asked == [1, 2 if floor == 0 else 1]


def test_warm_up_before_forking_loads_what_workers_build_on_first_use() -> None:
    """The driver warms up the decoder too, so forked workers share the charset detector
    (Western cp1252 no longer needs it, so a document in another script must load it)."""
    import sys

    probe = (
        "import sys\n"
        "from textmend.pipeline import prepare_for_workers\n"
        "prepare_for_workers(1)\n"
        "print('charset_normalizer.api' in sys.modules)\n"
        "prepare_for_workers(2)\n"
        "print('charset_normalizer.api' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]
