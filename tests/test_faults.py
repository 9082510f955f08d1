"""Fault injection for the batch engine, end to end through the real ``textmend`` command.

Faults: SIGKILL of the whole process group at random moments (many runs), a worker process
that dies on one file, and a full disk (a real small tmpfs when this process may mount one,
and always a file-size limit, RLIMIT_FSIZE, under which writes fail with EFBIG). After each
fault: every output present is whole (byte-equal to the uninterrupted run's), no temporary
file is left, the failing files are named on stderr and in the report, and a rerun with the
same arguments ends with exactly the output tree (and report) of an uninterrupted run.

The random kill schedule is reproducible: ``TEXTMEND_FAULT_SEED`` (default 7) seeds it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli_executable import TEXTMEND
from output_trees import tree
from textmend.batch.local import CRASH_REASON
from textmend.batch.manifest import MANIFEST_NAME
from textmend.batch.worker import FAULT_INJECTION_ENV
from textmend.write import TEMP_PREFIX, TEMP_SUFFIX

KILL_RUNS = 30
SEED = int(os.environ.get("TEXTMEND_FAULT_SEED", "7"))

BODIES = [
    "Indiaâ€™s ministers met on Tuesday, officials said.\n\nAdvertisement\n\nTalks went on.\n",
    "A clean article body with nothing to repair.\n\nWith a second paragraph.\n",
    "Caf\u00e9 owners said \u201cyes\u201d to the plan.  \n\n\n\nEnd of the story.\n",
    "India鈥檚 prime minister spoke.\n\nCopyright © 2024 Example News. All rights reserved.\n",
]


def make_corpus(root: Path, count: int, *, big_every: int = 0, big_bytes: int = 0) -> None:
    """Text files (UTF-8 and cp1252, some damaged, some with boilerplate) and two JSONL
    shards (plain and gzip), so both whole-file and streamed outputs get interrupted."""
    import gzip

    for i in range(count):
        folder = root / f"part{i % 8}"
        folder.mkdir(parents=True, exist_ok=True)
        body = BODIES[i % len(BODIES)] * (1 + i % 4)
        if big_every and i % big_every == 0:
            para = "A long and perfectly clean paragraph of ordinary news reporting text. "
            body = (para * 12 + "\n\n") * (big_bytes // (len(para) * 12 + 2) + 1)
        raw = body.encode("cp1252") if i % len(BODIES) == 2 else body.encode("utf-8")
        (folder / f"{i:05d}.txt").write_bytes(raw)
    records = [
        json.dumps({"id": n, "text": BODIES[n % len(BODIES)], "url": f"https://x/{n}"})
        for n in range(300)
    ]
    shard = ("\n".join(records) + "\n").encode()
    (root / "shards").mkdir(exist_ok=True)
    (root / "shards" / "a.jsonl").write_bytes(shard)
    (root / "shards" / "b.jsonl.gz").write_bytes(gzip.compress(shard, mtime=0))


def temp_files(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)
    ]


def command(src: Path, out: Path, report: Path, *extra: str) -> list[str]:
    return [
        str(TEXTMEND),
        "clean",
        str(src),
        "-o",
        str(out),
        "--jobs",
        "2",
        "--report",
        str(report),
        *extra,
    ]


def run(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        preexec_fn=preexec_fn,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def report_entries(report: Path, out: Path) -> list[dict[str, object]]:
    """Report lines with the output folder's name replaced, so two runs compare equal."""
    text = report.read_text("utf-8").replace(str(out), "<OUT>")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, float]:
    """(inputs, uninterrupted output, its report, its wall time)."""
    base = tmp_path_factory.mktemp("faults")
    src, out, report = base / "in", base / "ref", base / "ref-report.jsonl"
    make_corpus(src, 400)
    started = time.monotonic()
    proc = run(command(src, out, report))
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert temp_files(out) == []
    return src, out, report, elapsed


def kill_group_after(args: list[str], delay: float) -> bool:
    """Start ``args`` in its own process group and SIGKILL the group after ``delay`` s.
    True when the kill landed while the run was still going."""
    return kill_group_when(args, lambda: False, give_up_after=delay)


def kill_group_when(
    args: list[str], condition: Callable[[], bool], *, give_up_after: float = 300
) -> bool:
    """Start ``args`` in its own process group and SIGKILL the group as soon as
    ``condition()`` holds (polled every few milliseconds) or ``give_up_after`` s have passed.
    True when the kill landed while the run was still going."""
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + give_up_after
    while proc.poll() is None:
        if condition() or time.monotonic() >= deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    return False


def has_outputs(out: Path, count: int) -> bool:
    return finished_outputs(out) >= count


def finished_outputs(out: Path) -> int:
    """Output files a run has finished so far (temporary files and the manifest excluded)."""
    if not out.exists():
        return 0
    return sum(
        1
        for p in out.rglob("*")
        if p.is_file()
        and p.name != MANIFEST_NAME
        and not (p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX))
    )


def assert_whole(out: Path, expected: dict[str, bytes]) -> int:
    """Every output file present equals the uninterrupted run's file; returns how many."""
    present = tree(out)
    for rel, data in present.items():
        assert data == expected[rel], f"{rel} is not the whole output"
    return len(present)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume(
    reference: tuple[Path, Path, Path, float], tmp_path: Path
) -> None:
    """KILL_RUNS runs, each SIGKILLed (driver and workers), then resumed: each resumed tree
    and report equals the uninterrupted one and no temporary file survives.

    A third of the kills come after a random delay within the first part of a run (start-up,
    the first files); the rest when a random number of outputs has been finished. Moments
    tied to progress, not to the clock, keep the schedule spread over the whole run however
    loaded the machine is (a clock-only schedule measured on one run fell mostly into the
    start-up of slower later runs)."""
    src, ref_out, ref_report, ref_seconds = reference
    expected = tree(ref_out)
    expected_report = report_entries(ref_report, ref_out)
    rng = random.Random(SEED)
    landed = 0
    partial_counts: list[int] = []
    for attempt in range(KILL_RUNS):
        out, report = tmp_path / f"out{attempt}", tmp_path / f"report{attempt}.jsonl"
        if attempt % 3 == 0:
            # Process start-up is part of the run: the delay may fall inside it.
            delay = rng.uniform(0, ref_seconds * 0.5)
            moment = f"after {delay:.3f} s"
            landed += kill_group_after(command(src, out, report), delay)
        else:
            target = rng.randrange(1, len(expected))
            moment = f"at {target} outputs"
            landed += kill_group_when(
                command(src, out, report), functools.partial(has_outputs, out, target)
            )
        if out.exists():
            partial_counts.append(assert_whole(out, expected))
        resumed = run(command(src, out, report))
        assert resumed.returncode == 0, (attempt, moment, resumed.stderr)
        assert temp_files(out) == [], (attempt, moment)
        assert tree(out) == expected, (attempt, moment)
        assert (out / MANIFEST_NAME).exists()
        assert report_entries(report, out) == expected_report, (attempt, moment)
        shutil.rmtree(out)
    # The schedule must really interrupt runs at different stages, or the test proves little.
    assert landed >= KILL_RUNS // 2, f"only {landed} of {KILL_RUNS} kills hit a running batch"
    assert len(set(partial_counts)) >= 3, partial_counts
    print(
        f"\n{KILL_RUNS} SIGKILL runs, {landed} mid-run; outputs present at kill: "
        f"{sorted(partial_counts)}"
    )


@pytest.mark.slow
def test_sigkill_during_in_place_with_backup_loses_nothing(tmp_path: Path) -> None:
    """An --in-place --backup run killed at random moments: each input is either untouched
    or fully cleaned, each rewritten input has a byte-exact backup, and a rerun finishes
    (a backup left by the killed run with the original bytes is reused, not refused)."""
    originals = tmp_path / "originals"
    make_corpus(originals, 160)
    cleaned_ref = tmp_path / "cleaned"
    assert run(command(originals, cleaned_ref, tmp_path / "r.jsonl")).returncode == 0
    expected = tree(cleaned_ref)
    source = tree(originals)
    rng = random.Random(SEED + 1)
    for attempt in range(6):
        work = tmp_path / f"work{attempt}"
        shutil.copytree(originals, work)
        args = [
            str(TEXTMEND),
            "clean",
            str(work),
            "--in-place",
            "--backup",
            ".orig",
            "--jobs",
            "2",
            "--quiet",
        ]
        started = time.monotonic()
        kill_group_after(args, rng.uniform(0.2, 1.5))
        for rel, data in tree(work).items():
            if rel.endswith(".orig"):
                assert data == source[rel.removesuffix(".orig")], rel
            else:
                assert data in (source[rel], expected[rel]), f"{rel} half-rewritten"
                if data != source[rel]:
                    assert (work / (rel + ".orig")).read_bytes() == source[rel]
        rerun = run(args)
        assert rerun.returncode == 0, rerun.stderr
        assert temp_files(work) == []
        final = tree(work)
        for rel, data in source.items():
            assert final[rel] == expected[rel], rel
            if data != expected[rel]:
                assert final[rel + ".orig"] == data
            else:
                assert rel + ".orig" not in final, "an unchanged input got a backup"
        assert time.monotonic() - started < 300
        shutil.rmtree(work)


def test_a_worker_that_dies_on_one_file(
    reference: tuple[Path, Path, Path, float], tmp_path: Path
) -> None:
    """The worker process dies (os._exit, like a segfault) whenever it picks up one file:
    that file is reported and has no output, every other file is done, exit code 2; the
    rerun without the fault completes the tree."""
    src, ref_out, ref_report, _ = reference
    poisoned = "00013.txt"
    out, report = tmp_path / "out", tmp_path / "report.jsonl"
    env = {**os.environ, FAULT_INJECTION_ENV: f"crash:{poisoned}"}
    proc = run(command(src, out, report), env=env)
    assert proc.returncode == 2
    error_lines = [line for line in proc.stderr.splitlines() if CRASH_REASON in line]
    assert error_lines == [f"textmend: {src / 'part5' / poisoned}: {CRASH_REASON}"]
    entries = {e["path"]: e for e in map(json.loads, report.read_text().splitlines())}
    assert entries[str(src / "part5" / poisoned)]["status"] == "error"
    assert sum(e["status"] == "error" for e in entries.values()) == 1
    expected = tree(ref_out)
    produced = tree(out)
    assert set(expected) - set(produced) == {f"part5/{poisoned}"}
    assert assert_whole(out, expected) == len(expected) - 1
    assert temp_files(out) == []

    rerun = run(command(src, out, report))
    assert rerun.returncode == 0, rerun.stderr
    assert "already done by an earlier run" in rerun.stderr
    assert tree(out).keys() == expected.keys()
    assert report_entries(report, out) == report_entries(ref_report, ref_out)


def limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # SIGXFSZ would kill the process; ignored, the write fails with EFBIG instead
        # (the ignored disposition survives exec and is inherited by the workers).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_fails_only_the_big_files(tmp_path: Path) -> None:
    """Under RLIMIT_FSIZE=64 KiB every write past 64 KiB fails with EFBIG: the big files are
    reported with the OS reason, get no (truncated) output and leave no temporary file; the
    small ones complete; the rerun without the limit completes the tree."""
    src = tmp_path / "in"
    make_corpus(src, 40, big_every=10, big_bytes=200_000)
    ref_out, ref_report = tmp_path / "ref", tmp_path / "ref.jsonl"
    assert run(command(src, ref_out, ref_report)).returncode == 0
    limit = 64 * 1024
    big = sorted(src / rel for rel, data in tree(ref_out).items() if len(data) > limit)
    assert len(big) == 5  # four big text files and the plain JSONL shard
    out, report = tmp_path / "out", tmp_path / "report.jsonl"
    proc = run(command(src, out, report), preexec_fn=limit_file_size(limit))
    assert proc.returncode == 2, proc.stderr
    reason = os.strerror(27)  # EFBIG: "File too large"
    failed = sorted(line for line in proc.stderr.splitlines() if reason in line)
    assert failed == sorted(f"textmend: {p}: {reason}" for p in big)
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    statuses = {e["path"]: e["status"] for e in entries}
    errors = {path for path, status in statuses.items() if status == "error"}
    assert errors == {str(p) for p in big}
    expected = tree(ref_out)
    assert assert_whole(out, expected) == len(expected) - len(big)
    assert temp_files(out) == []
    assert run(command(src, out, report)).returncode == 0
    assert tree(out).keys() == expected.keys()
    assert report_entries(report, out) == report_entries(ref_report, ref_out)


def test_a_manifest_that_cannot_grow_costs_only_resumability(tmp_path: Path) -> None:
    """RLIMIT_FSIZE between the largest output and the manifest's size makes appending to
    the resume manifest fail with EFBIG part way: every file is still cleaned, one warning
    says a resumed run will redo work, and a rerun (no limit) completes from the disk."""
    src = tmp_path / "in"
    make_corpus(src, 40)
    for shard in src.rglob("*.jsonl*"):  # outputs as large as the manifest
        shard.unlink()
    ref_out = tmp_path / "ref"
    assert run([str(TEXTMEND), "clean", str(src), "-o", str(ref_out)]).returncode == 0
    expected = tree(ref_out)
    manifest_size = (ref_out / MANIFEST_NAME).stat().st_size
    limit = manifest_size // 2
    assert max(map(len, expected.values())) < limit  # outputs fit, the manifest cannot
    out = tmp_path / "out"
    proc = run(
        [str(TEXTMEND), "clean", str(src), "-o", str(out)], preexec_fn=limit_file_size(limit)
    )
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "resume manifest" in line]
    assert warnings == [
        f"textmend: warning: could not update the resume manifest {out / MANIFEST_NAME} "
        f"({os.strerror(27)}); a resumed run will redo the files finished after that"
    ]
    assert tree(out) == expected
    rerun = run([str(TEXTMEND), "clean", str(src), "-o", str(out)])
    assert rerun.returncode == 0, rerun.stderr
    assert tree(out) == expected


@contextlib.contextmanager
def small_tmpfs(mount_point: Path, size: str) -> Iterator[None]:
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_full_disk_on_a_real_tmpfs(tmp_path: Path) -> None:
    """The output folder is a 400 KiB tmpfs; the corpus needs about three times that. Files
    that hit ENOSPC are reported with the OS reason, no output is truncated and no temporary
    file remains; after moving to a roomy disk the rerun gives the reference tree."""
    src = tmp_path / "in"
    make_corpus(src, 60, big_every=3, big_bytes=40_000)
    ref_out, ref_report = tmp_path / "ref", tmp_path / "ref.jsonl"
    assert run(command(src, ref_out, ref_report)).returncode == 0
    expected = tree(ref_out)
    disk = tmp_path / "disk"
    with small_tmpfs(disk, "400k"):
        out, report = disk / "out", tmp_path / "report.jsonl"
        proc = run(command(src, out, report))
        assert proc.returncode == 2, proc.stderr
        reason = os.strerror(28)  # ENOSPC: "No space left on device"
        # The manifest shares the full disk: failing to append to it costs only
        # resumability, with one warning (checked below), never the rest of the run.
        manifest_warned = any("resume manifest" in line for line in proc.stderr.splitlines())
        failed = [
            line
            for line in proc.stderr.splitlines()
            if line.startswith("textmend: ") and reason in line and "resume manifest" not in line
        ]
        assert failed, proc.stderr
        assert all(line.startswith(f"textmend: {src}") for line in failed), failed
        if report.exists():  # the report lives elsewhere, so it is written completely
            errors = [
                e
                for e in map(json.loads, report.read_text().splitlines())
                if e["status"] == "error"
            ]
            assert len(errors) == len(failed)
            assert all(e["error"] == reason for e in errors)
        done = assert_whole(out, expected)
        assert 0 < done < len(expected)
        assert temp_files(out) == []
        roomy = tmp_path / "roomy"
        shutil.copytree(out, roomy)
    rerun = run(command(src, roomy, tmp_path / "report2.jsonl"))
    assert rerun.returncode == 0, rerun.stderr
    already = re.search(r"(\d+) already done by an earlier run", rerun.stderr)
    skipped = int(already.group(1)) if already else 0
    # Without a manifest failure every whole output is known; with one, those finished
    # after it are redone (and must come out the same, checked below).
    assert skipped == done if not manifest_warned else skipped <= done
    assert tree(roomy).keys() == expected.keys()
    assert assert_whole(roomy, expected) == len(expected)
