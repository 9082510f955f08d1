"""Resumability: a run killed with SIGKILL and started again finishes the work, redoes
nothing that was finished, and ends with exactly the tree of an uninterrupted run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

import textmend
from cli_executable import TEXTMEND
from output_trees import tree
from textmend.batch.manifest import MANIFEST_NAME
from textmend.write import TEMP_PREFIX, TEMP_SUFFIX

BODIES = [
    "Indiaâ€™s ministers met on Tuesday.\n\nAdvertisement\n\nThe talks went on.\n",
    "A clean article body.\n\nWith two paragraphs.\n",
    "Caf\u00e9 owners said \u201cyes\u201d.  \n\n\n\nEnd.\n",
]


def make_corpus(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"part{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        data = BODIES[i % len(BODIES)]
        raw = data.encode("cp1252") if i % len(BODIES) == 2 else data.encode()
        (folder / f"{i:05d}.txt").write_bytes(raw)


def clean_run(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(TEXTMEND), "clean", str(src), "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    return proc


def resumed_count(stderr: str) -> int:
    match = re.search(r"(\d+) already done by an earlier run", stderr)
    return int(match.group(1)) if match else 0


@pytest.mark.slow
def test_sigkill_then_resume_gives_the_uninterrupted_tree(tmp_path: Path) -> None:
    src, out, reference = tmp_path / "in", tmp_path / "out", tmp_path / "ref"
    total = 1500
    make_corpus(src, total)
    manifest = out / MANIFEST_NAME
    proc = subprocess.Popen(
        [
            str(TEXTMEND),
            "clean",
            str(src),
            "-o",
            str(out),
            "--jobs",
            "2",
            "--report",
            str(out / "report.jsonl"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.stat().st_size > 40_000:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; enlarge it"
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-write
    proc.wait()

    # Whatever was written is whole: every output present equals the clean of its input.
    partial = tree(out)
    assert 0 < len(partial) < total
    for rel, data in partial.items():
        assert data == textmend.clean((src / rel).read_bytes()).text.encode(), rel
    # A kill can cut the manifest mid-line; the rerun must cope with that as well.
    with manifest.open("ab") as handle:
        handle.write(b'{"rel": "part0/000')

    rerun = clean_run(src, out, "--jobs", "2", "--report", str(out / "report.jsonl"))
    assert rerun.returncode == 0, rerun.stderr
    assert 0 < resumed_count(rerun.stderr) < total
    leftovers = [
        p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)
    ]
    assert leftovers == []

    assert clean_run(src, reference, "--report", str(reference / "report.jsonl")).returncode == 0
    assert tree(out) == {
        k: v.replace(str(reference).encode(), str(out).encode()) for k, v in tree(reference).items()
    }
    report = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert len(report) == total


def test_rerun_skips_finished_work_unless_forced_or_changed(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_corpus(src, 30)
    first = clean_run(src, out)
    assert first.returncode == 0 and resumed_count(first.stderr) == 0
    again = clean_run(src, out)
    assert resumed_count(again.stderr) == 30
    forced = clean_run(src, out, "--force")
    assert resumed_count(forced.stderr) == 0
    # Different options give different outputs: nothing is reused.
    other = clean_run(src, out, "--keep-boilerplate")
    assert resumed_count(other.stderr) == 0
    # An input edited since (new size/mtime) is redone; a deleted output is recreated.
    edited = src / "part0" / "00000.txt"
    edited.write_text("Edited article body.\n")
    (out / "part1" / "00001.txt").unlink()
    last = clean_run(src, out, "--keep-boilerplate")
    assert resumed_count(last.stderr) == 28
    assert (out / "part0" / "00000.txt").read_text() == "Edited article body.\n"
    assert (out / "part1" / "00001.txt").exists()


def test_stale_temp_files_are_removed_at_start(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    make_corpus(src, 3)
    (out / "part0").mkdir(parents=True)
    stale = out / "part0" / f"{TEMP_PREFIX}abc{TEMP_SUFFIX}"
    stale.write_bytes(b"half a file")
    assert clean_run(src, out).returncode == 0
    assert not stale.exists()
