"""Batch throughput and memory of `textmend clean`, against a plain ftfy loop and a raw floor.

Usage: .venv/bin/python bench/batch.py [--small] [--files N] [--large-mb M] [--runs R]
                                      [--stages | --instructions] [--keep]

Generates a corpus in a temporary folder (mostly clean articles, some with mojibake: UTF-8
read as cp1252 or as GBK, some stored in legacy encodings; plus JSONL shards), then measures
in one run, each as a child process:
  * textmend clean --jobs 1 and --jobs 2 (the real CLI),
  * textmend.clean in a plain in-process loop over the same inputs (read, clean, write; the
    JSONL records with the CLI's metadata), i.e. the cleaning without the batch machinery
    (planning, worker processes, atomic writes, the resume manifest, the report), so that
    the difference to --jobs 1 is what the machinery costs,
  * a plain loop: read, decode, ftfy.fix_text, write (what a user would otherwise script),
  * a raw floor: read, decode UTF-8 (replace), write,
  * peak RSS of textmend on one large text file and one large JSONL shard.
Every row is the median of --runs runs (default 3; the machine is shared and noisy), run
round-robin so that a burst of load elsewhere hits one run of each row rather than all
runs of one row. Outputs go to fresh folders and are deleted only at the end: deleting
thousands of files just before a run measurably slows file creation on some filesystems.
Prints a table with files/s, MB/s, ratios and CPU seconds (of all the processes of a run:
far steadier than wall time while other programs load the machine). Speed is reported,
never asserted.

--stages prints instead where the per-input CPU time goes: decode, repair, boilerplate,
normalise and the batch's own I/O and bookkeeping, for clean articles, each kind of
damaged or legacy article, and JSONL records (see stage_table), with ftfy.fix_text's CPU
time on the same articles beside the repair's. --keep leaves the work
folder (corpus and outputs) on disk for profiling.

--instructions counts, instead of timing, the user-space instructions of one run of each
row (perf stat): on a machine whose load or file system moves the times by half, the
counts still compare two versions, or textmend with the loops, to within a percent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_package

BIN = Path(sys.executable).parent
TEXTMEND = str(BIN / "textmend")

SENTENCES = [
    "The ministers met in the capital on Tuesday to discuss the ceasefire proposal.",
    "Officials said the talks were “constructive” and would continue next week.",
    "India’s delegation — led by the foreign secretary — arrived late on Monday.",
    "Markets rose 2% after the announcement, traders said.",
    "Critics argued that the plan did not address the root causes of the crisis.",
    "Café owners in the old town said business had been slow since the spring.",
]
BOILERPLATE = ["Advertisement", "Share this article", "Subscribe to our newsletter"]

FTFY_LOOP = """
import sys, os, ftfy
from charset_normalizer import from_bytes
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for name in files:
        path = os.path.join(root, name)
        data = open(path, "rb").read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            text = str(best) if best else data.decode("utf-8", "replace")
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        open(out, "w", encoding="utf-8").write(ftfy.fix_text(text))
"""

CLEAN_LOOP = """
import sys, os, json
import textmend
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for name in files:
        path = os.path.join(root, name)
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if name.endswith(".jsonl"):
            with open(path, "rb") as lines, open(out, "wb") as sink:
                for line in lines:
                    record = json.loads(line)
                    cleaned = textmend.clean(record["text"])
                    record["text"] = cleaned.text
                    record["textmend"] = cleaned.to_dict()
                    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                    sink.write(line.encode() + b"\\n")
        else:
            data = open(path, "rb").read()
            open(out, "wb").write(textmend.clean(data, html=False).text.encode("utf-8"))
"""

RAW_FLOOR = """
import sys, os
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for name in files:
        path = os.path.join(root, name)
        text = open(path, "rb").read().decode("utf-8", "replace")
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        open(out, "w", encoding="utf-8").write(text)
"""


def article(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        paragraphs.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.15:
            paragraphs.append(rng.choice(BOILERPLATE))
    return "\n\n".join(paragraphs) + "\n"


CLEAN, AS_CP1252, AS_GBK, LEGACY = (
    "clean UTF-8",
    "UTF-8 read as cp1252",
    "UTF-8 read as GBK",
    "stored in cp1252",
)


def damaged_bytes(text: str, rng: random.Random) -> tuple[bytes, str]:
    """UTF-8 bytes of ``text``, some as mojibake, some in a legacy encoding; and which."""
    roll = rng.random()
    if roll < 0.06:  # UTF-8 read as cp1252, saved as UTF-8
        return text.encode("utf-8").decode("cp1252", "replace").encode("utf-8"), AS_CP1252
    if roll < 0.09:  # UTF-8 read as GBK, saved as UTF-8
        return text.encode("utf-8").decode("gbk", "replace").encode("utf-8"), AS_GBK
    if roll < 0.14:  # stored in cp1252
        return text.encode("cp1252", "replace"), LEGACY
    return text.encode("utf-8"), CLEAN


def make_corpus(
    root: Path, files: int, shards: int, seed: int = 7, kinds: dict[Path, str] | None = None
) -> tuple[int, int]:
    """Write the corpus below ``root``; ``kinds`` (if given) gets each article's kind."""
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        folder = root / "articles" / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data, kind = damaged_bytes(article(rng), rng)
        (folder / f"{i:06d}.txt").write_bytes(data)
        if kinds is not None:
            kinds[folder / f"{i:06d}.txt"] = kind
        total += len(data)
    for s in range(shards):
        path = root / "shards" / f"part-{s:03d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for r in range(max(1, files // (shards * 4))):
                text = damaged_bytes(article(rng), rng)[0].decode("utf-8", "replace")
                handle.write(json.dumps({"id": f"{s}-{r}", "text": text}) + "\n")
        total += path.stat().st_size
    return files + shards, total


def cpu_seconds() -> float:
    """User + system CPU time of this process's finished children and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child and its worker processes) of one child run.

    CPU time barely moves when other programs load the machine, wall time does: both are
    shown so that a noisy run can be told from a slow one."""
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 2):
        sys.exit(f"{cmd[:3]} failed: {proc.stderr.decode()[-500:]}")
    return seconds, cpu_seconds() - cpu_before


def median_times(
    commands: dict[str, list[str]], work: Path, runs: int
) -> dict[str, tuple[float, float]]:
    """(median wall, median CPU seconds) of each command over ``runs`` round-robin runs.
    The argument ``{out}`` is replaced by a fresh output folder below ``work`` each run."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for run in range(runs):
        for number, (name, cmd) in enumerate(commands.items()):
            out = str(work / f"out-{number}-{run}")
            times[name].append(timed([out if arg == "{out}" else arg for arg in cmd]))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def user_instructions(cmd: list[str]) -> int | None:
    """User-space instructions of one child run and its worker processes, counted by
    ``perf stat`` (None where perf cannot count them). Unlike time, the count barely
    moves when other programs load the machine or the file system is slow: it compares
    two versions, or two tools, on a noisy machine. What it leaves out, the kernel's
    file-system work, is most of the raw floor's cost and little of anyone else's."""
    perf = shutil.which("perf")
    if perf is None:
        return None
    proc = subprocess.run(
        [perf, "stat", "-x,", "-e", "instructions:u", "--", *cmd],
        capture_output=True,
        check=False,
    )
    for line in proc.stderr.decode(errors="replace").splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("instructions") and fields[0].isdigit():
            return int(fields[0])
    return None


def instruction_table(
    commands: dict[str, list[str]], input_mb: dict[str, float], work: Path
) -> None:
    """Print the user-space instructions of one run of each command (see
    user_instructions), per MB of its input, and each command's count per MB divided by
    the first command's (textmend --jobs 1; above 1: that command does more work per MB)."""
    counted = {}
    for number, (name, cmd) in enumerate(commands.items()):
        out = str(work / f"counted-{number}")
        counted[name] = user_instructions([out if arg == "{out}" else arg for arg in cmd])
    if any(value is None for value in counted.values()):
        print("\n(perf cannot count instructions here: no instruction table)")
        return
    base = next(iter(commands))
    per_mb = {name: counted[name] / input_mb[name] / 1e9 for name in commands}
    width = max(map(len, commands))
    print()
    print(f"{'run (one each)':{width}} {'G instr.':>9} {'G/MB':>7} {'vs jobs 1':>10}")
    for name in commands:
        ratio = per_mb[name] / per_mb[base]
        print(f"{name:{width}} {counted[name] / 1e9:9.2f} {per_mb[name]:7.2f} {ratio:9.2f}x")
    print("(user-space instructions, perf stat -e instructions:u; G/MB: per MB of the")
    print(f" run's input; last column: that G/MB divided by {base}'s)")


def peak_rss_mb(cmd: list[str]) -> tuple[float, float]:
    """Peak RSS of one child, measured by a fresh interpreter so earlier children don't
    mask it (RUSAGE_CHILDREN keeps the maximum over all children)."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        "subprocess.run(sys.argv[1:], capture_output=True);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def large_text(path: Path, megabytes: int) -> None:
    rng = random.Random(3)
    block = "".join(article(rng) + "\n" for _ in range(200)).encode()
    with path.open("wb") as handle:
        while handle.tell() < megabytes * 1_000_000:
            handle.write(block)


def large_jsonl(path: Path, megabytes: int) -> None:
    rng = random.Random(4)
    lines = "".join(json.dumps({"id": i, "text": article(rng)}) + "\n" for i in range(500))
    block = lines.encode()
    with path.open("wb") as handle:
        while handle.tell() < megabytes * 1_000_000:
            handle.write(block)


JSONL_RECORD = "JSONL record (mixed)"
BOOKS = "I/O+books"


def stage_table(corpus: Path, kinds: dict[Path, str], work: Path, runs: int) -> None:
    """Print CPU milliseconds per input by kind and stage, measured in this process.

    Every input goes through the worker's own ``process_task`` (read, clean, atomic write,
    result) into a fresh folder, and its manifest line is recorded, as in ``--jobs N``.
    The stages are timed by the pipeline itself (``pipeline.timing_stages``: the real
    ``clean`` reports the end of each of its stages), so this table cannot drift from
    what ``textmend clean`` runs. What ``process_task`` and the manifest spend outside
    the stages is the batch's own cost (column I/O+books). Median of ``runs`` runs, after
    one warm-up pass over a few inputs (the tables built on first use are start-up, not
    per-file, cost).

    Beside it, in the same runs, ``ftfy.fix_text`` of each article as the ftfy loop above
    decodes it (the peer's cost for the same text, whose ratio to the repair column moves
    far less with the machine's load than either does).
    """
    from collections import defaultdict

    import ftfy
    from charset_normalizer import from_bytes

    from textmend.batch.manifest import Manifest
    from textmend.batch.sources import Planner
    from textmend.batch.worker import WRITE, JobConfig, process_task
    from textmend.pipeline import REPAIR, STAGES, StageClock, timing_stages
    from textmend.settings import DEFAULT_OPTIONS

    clock = StageClock()
    columns = (*STAGES, BOOKS)
    totals: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = defaultdict(int)
    ftfy_seconds: dict[str, list[float]] = defaultdict(list)
    for run in range(runs + 1):
        out = work / f"stages-{run}"
        planner = Planner(format_choice="auto", out_root=str(out))
        tasks = planner.plan([str(corpus)]).tasks
        if run == 0:
            tasks = tasks[:: max(1, len(tasks) // 100)]  # warm-up pass
        config = JobConfig(WRITE, DEFAULT_OPTIONS, out_root=str(out))
        manifest = Manifest(str(out), config.fingerprint(), force=True)
        run_totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        ready: set[str] = set()
        with timing_stages(clock):
            for task in tasks:
                kind = kinds.get(Path(task.src), JSONL_RECORD)
                before = dict(clock.seconds)
                start = clock.clock()
                result = process_task(task, config, ready)
                manifest.record_many([(task, result)])
                total = clock.clock() - start
                if result.failed:
                    raise SystemExit(f"stage table: {task.display}: {result.error}")
                for stage in STAGES:
                    run_totals[kind][stage] += clock.seconds[stage] - before[stage]
                run_totals[kind][BOOKS] += total - (clock.total() - sum(before.values()))
                if run == 1:
                    counts[kind] += result.records if result.records is not None else 1
        manifest.close()
        run_ftfy: dict[str, float] = defaultdict(float)
        for path, kind in kinds.items() if run else ():
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # as FTFY_LOOP decodes it
                best = from_bytes(data).best()
                text = str(best) if best else data.decode("utf-8", "replace")
            start = clock.clock()
            ftfy.fix_text(text)
            run_ftfy[kind] += clock.clock() - start
        if run:
            for kind, by_stage in run_totals.items():
                for stage in columns:
                    totals[kind][stage].append(by_stage[stage])
            for kind, seconds in run_ftfy.items():
                ftfy_seconds[kind].append(seconds)
    # A stage no input of this corpus goes through (HTML extraction) gets no column.
    shown = [c for c in columns if any(sum(by[c]) for by in totals.values()) or c == BOOKS]
    width = max(len(kind) for kind in totals)
    print()
    print("CPU ms per input by stage (in-process, median of runs; JSONL: per record)")
    print(
        f"{'input':{width}} {'n':>5} "
        + " ".join(f"{c:>11}" for c in shown)
        + "   total  ftfy.fix_text  repair/ftfy"
    )
    order = [CLEAN, AS_CP1252, AS_GBK, LEGACY, JSONL_RECORD]
    grand = dict.fromkeys(shown, 0.0)
    for kind in [k for k in order if k in totals]:
        medians = {stage: statistics.median(totals[kind][stage]) for stage in shown}
        for stage in shown:
            grand[stage] += medians[stage]
        per = [medians[stage] / counts[kind] * 1000 for stage in shown]
        cells = " ".join(f"{ms:11.3f}" for ms in per)
        peer = ""
        if ftfy_seconds[kind]:
            ftfy_ms = statistics.median(ftfy_seconds[kind]) / counts[kind] * 1000
            repair_ms = medians[REPAIR] / counts[kind] * 1000
            peer = f" {ftfy_ms:14.3f} {repair_ms / ftfy_ms:11.2f}x"
        print(f"{kind:{width}} {counts[kind]:5} {cells} {sum(per):7.3f}{peer}")
    cells = " ".join(f"{grand[stage]:11.3f}" for stage in shown)
    print(f"{'all inputs, seconds':{width}} {'':5} {cells} {sum(grand.values()):7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="2,000 files, 20 MB large cases")
    parser.add_argument("--files", type=int, default=None)
    parser.add_argument("--large-mb", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3, help="runs per row (median; default 3)")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="instead of the timing rows: CPU per input by stage and kind of input",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (corpus, outputs) and print it"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count user-space instructions of one run of each row (perf) instead of timing",
    )
    args = parser.parse_args()
    files = args.files or (2_000 if args.small else 20_000)
    large_mb = args.large_mb or (20 if args.small else 200)
    runs = max(1, args.runs)

    compile_package()  # time the package as installed, from byte code (see bytecode.py)
    work = Path(tempfile.mkdtemp(prefix="textmend-bench-"))
    try:
        corpus = work / "corpus"
        kinds: dict[Path, str] = {}
        count, nbytes = make_corpus(corpus, files, shards=8, kinds=kinds)
        mb = nbytes / 1e6
        print(
            f"corpus: {count} inputs ({files} articles + 8 JSONL shards), {mb:.1f} MB, "
            f"{os.cpu_count()} CPUs; median of {runs} run{'s' if runs > 1 else ''} per row"
        )
        if args.stages:
            stage_table(corpus, kinds, work, runs)
            return
        articles = str(corpus / "articles")
        textmend = [TEXTMEND, "clean", str(corpus), "-o", "{out}", "--quiet", "--jobs"]
        loop = "textmend.clean in-process loop (no batch machinery)"
        ftfy_name = "ftfy.fix_text loop (articles only)"
        raw_name = "raw floor: read+decode+write"
        commands = {
            "textmend clean --jobs 1": [*textmend, "1"],
            "textmend clean --jobs 2": [*textmend, "2"],
            loop: [sys.executable, "-c", CLEAN_LOOP, str(corpus), "{out}"],
            ftfy_name: [sys.executable, "-c", FTFY_LOOP, articles, "{out}"],
            raw_name: [sys.executable, "-c", RAW_FLOOR, articles, "{out}"],
        }
        # The last two loops only see the articles folder; compare bytes per second.
        art_bytes = sum(p.stat().st_size for p in (corpus / "articles").rglob("*.txt"))
        art_mb = art_bytes / 1e6
        if args.instructions:
            input_mb = {name: art_mb if name in (ftfy_name, raw_name) else mb for name in commands}
            instruction_table(commands, input_mb, work)
            return
        seconds = median_times(commands, work, runs)

        j1, j1_cpu = seconds["textmend clean --jobs 1"]
        width = len(loop)
        print()
        print(
            f"{'run':{width}} {'seconds':>8} {'files/s':>9} {'MB/s':>7} {'vs jobs 1':>10} "
            f"{'CPU s':>7}"
        )
        for name in ("textmend clean --jobs 1", "textmend clean --jobs 2", loop):
            secs, cpu = seconds[name]
            print(
                f"{name:{width}} {secs:8.2f} {count / secs:9.0f} {mb / secs:7.2f} "
                f"{j1 / secs:9.2f}x {cpu:7.2f}"
            )
        for name in (ftfy_name, raw_name):
            secs, cpu = seconds[name]
            print(
                f"{name:{width}} {secs:8.2f} {files / secs:9.0f} {art_mb / secs:7.2f} "
                f"{(mb / j1) / (art_mb / secs):9.2f}x {cpu:7.2f}"
            )
        print("(last column but one for the last two loops: textmend --jobs 1 MB/s divided by")
        print(" the loop's MB/s, below 1 textmend is slower; CPU s: of all processes of a run)")
        wall = j1 - seconds[loop][0]
        cpu = j1_cpu - seconds[loop][1]
        print(
            f"batch machinery (--jobs 1 minus the in-process loop): {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU; per 1,000 files {wall / count * 1000:.3f} s wall, "
            f"{cpu / count * 1000:.3f} s CPU"
        )

        big = work / "big.txt"
        large_text(big, large_mb)
        shard = work / "big.jsonl"
        large_jsonl(shard, large_mb)
        print()
        print(f"{'large input':{width}} {'MB':>8} {'seconds':>9} {'peak RSS MB':>12}")
        for name, path in (("text file", big), ("JSONL shard", shard)):
            measured = [
                peak_rss_mb(
                    [
                        TEXTMEND,
                        "clean",
                        str(path),
                        "-o",
                        str(work / f"o{run}-{path.name}"),
                        "--quiet",
                    ]
                )
                for run in range(runs)
            ]
            secs = statistics.median(m[0] for m in measured)
            rss = statistics.median(m[1] for m in measured)
            print(f"{name:{width}} {path.stat().st_size / 1e6:8.0f} {secs:9.1f} {rss:12.0f}")
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
