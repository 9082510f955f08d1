"""A bad-input corpus, generated here (no committed binaries), run through the real CLI.

Every class from the hardening issue: binary files by content, compressed data with a text
name, NUL-laden files, undecodable bytes, malformed and truncated JSONL, missing paths,
special files (FIFO, socket), symlinks (loop, dangling, outside the tree, to a FIFO), names
that are not UTF-8, and an output folder inside the input folder. Asserted: exit code 2,
exactly one stderr line per bad input naming the path and the reason, the same reason in
the report, every good file done, no output for a bad one, no input touched, nothing
written outside the output folder, and never a traceback. Then random bytes under every
file kind: still no traceback, and every file accounted for in the report.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import socket
import subprocess
from pathlib import Path

import pytest
import zstandard

import textmend
from cli_executable import TEXTMEND

GOOD = "Indiaâ€™s ministers met on Tuesday.\n\nAdvertisement\n\nThe talks went on.\n"

# name -> (content, reason expected on the file's stderr line)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
    "program": (b"\x7fELF\x02\x01\x01\x00" + bytes(300), "ELF executable"),
    "archive.txt": (gzip.compress(GOOD.encode() * 20, mtime=0), "gzip-compressed data"),
    "archive2.txt": (zstandard.ZstdCompressor().compress(GOOD.encode() * 20), "zstd-compressed"),
    "nul-laden.txt": (b"hello\x00\x00\x00world " * 40, "NUL/control bytes"),
    "undecodable.txt": (bytes(range(128, 256)) * 4, "no text encoding fits"),
    "truncated.jsonl.gz": (
        gzip.compress(b'{"text": "a"}\n' * 400, mtime=0)[:60],
        "corrupt or truncated gzip data",
    ),
}
MALFORMED_JSONL = (
    b'{"text": "Caf\\u00c3\\u00a9 ok", "id": 1}\n'
    b'{"text": "broken\n'
    b"[1, 2, 3]\n"
    b'{"id": 4}\n'
    b'{"text": 5}\n'
    b'\xff\xfe{"text": "x"}\n'
    b'{"text": "fine again"}\n'
)


def snapshot(root: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry below ``root`` (not following symlinks): its type and content/target."""
    state: dict[str, tuple[str, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, os.fsencode(root)).decode("utf-8", "backslashreplace")
            if os.path.islink(path):
                state[rel] = ("link", os.readlink(path))
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    state[rel] = ("file", hashlib.sha256(handle.read()).digest())
            elif os.path.isdir(path):
                state[rel] = ("dir", b"")
            else:
                state[rel] = ("special", b"")
    return state


def run_cli(
    *args: str | os.PathLike[str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(TEXTMEND), *map(str, args)],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """(input folder, a folder outside it that symlinks point into)."""
    src, outside = tmp_path / "in", tmp_path / "outside"
    (src / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("must never be read or written\n")
    for name, (data, _) in BAD_FILES.items():
        (src / name).write_bytes(data)
    (src / "records.jsonl").write_bytes(MALFORMED_JSONL)
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "sub" / "cp1252.txt").write_bytes(
        "Caf\u00e9 cr\u00e8me \u201cquoted\u201d.\n".encode("cp1252")
    )
    with open(os.fsencode(src / "sub") + b"/caf\xe9-latin1-name.txt", "wb") as handle:
        handle.write(GOOD.encode())
    os.mkfifo(src / "pipe.txt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(src / "sock.txt"))
    listener.close()
    (src / "loop").symlink_to(src)
    (src / "dangling.txt").symlink_to(src / "nowhere.txt")
    (src / "escape.txt").symlink_to(outside / "secret.txt")
    (src / "escape-dir").symlink_to(outside)
    (src / "to-pipe.txt").symlink_to(src / "pipe.txt")
    (src / "alias.txt").symlink_to(src / "good.txt")  # inside the tree: followed
    return src, outside


def test_bad_input_corpus_through_the_cli(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    src, outside = corpus
    out = src / "cleaned"  # the output folder lies inside the input folder
    report = tmp_path / "report.jsonl"
    missing = tmp_path / "does-not-exist.txt"
    before_src, before_outside = snapshot(src), snapshot(outside)

    proc = run_cli("clean", src, missing, "-o", out, "--report", report, "--jobs", "2")
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()

    def lines_for(path: Path | str) -> list[str]:
        return [line for line in lines if line.startswith(f"textmend: {path}:")]

    entries = {e["path"]: e for e in map(json.loads, report.read_text("utf-8").splitlines())}
    for name, (_, reason) in BAD_FILES.items():
        (line,) = lines_for(src / name)
        assert reason in line, line
        assert entries[str(src / name)]["status"] == "error"
        assert entries[str(src / name)]["error"] and reason in entries[str(src / name)]["error"]
        assert line == f"textmend: {src / name}: {entries[str(src / name)]['error']}"
        assert not (out / name).exists()
    (line,) = lines_for(missing)
    assert "No such file or directory" in line
    # Malformed records: one line each, the shard itself is otherwise cleaned.
    record_lines = lines_for(src / "records.jsonl")
    assert [int(line.split(":")[2]) for line in record_lines] == [2, 3, 4, 5, 6]
    shard = entries[str(src / "records.jsonl")]
    assert shard["status"] == "partial" and len(shard["record_errors"]) == 5
    output_records = (out / "records.jsonl").read_bytes().splitlines()
    assert len(output_records) == 7
    assert json.loads(output_records[0])["text"] == "Café ok"
    assert output_records[1:6] == MALFORMED_JSONL.splitlines()[1:6]  # passed through as is
    # Special files and symlinks: skipped with a reason, never opened, never followed out.
    skipped = {
        "pipe.txt": "named pipe (FIFO)",
        "sock.txt": "socket",
        "to-pipe.txt": "named pipe (FIFO)",
        "dangling.txt": "dangling symlink",
        "escape.txt": "symlink points outside the input folder",
        "escape-dir": "symlink points outside the input folder",
        "loop": "symlink loop",
    }
    for name, reason in skipped.items():
        (line,) = lines_for(src / name)
        assert "skipped" in line and reason in line, line
        assert entries[str(src / name)]["status"] == "skipped"
    # Good files, including the symlink inside the tree and the non-UTF-8 name, are done.
    good = textmend.clean(GOOD.encode()).text.encode()
    assert (out / "good.txt").read_bytes() == good
    assert (out / "alias.txt").read_bytes() == good
    assert (out / "empty.txt").read_bytes() == b""
    assert (out / "sub" / "cp1252.txt").read_text("utf-8") == "Café crème “quoted”.\n"
    with open(os.fsencode(out / "sub") + b"/caf\xe9-latin1-name.txt", "rb") as handle:
        assert handle.read() == good
    assert not lines_for(src / "good.txt") and not lines_for(src / "sub" / "cp1252.txt")
    # The output folder was not read back as input, and nothing else moved.
    assert not any("cleaned" in path for path in entries)
    after = snapshot(src)
    assert {k: v for k, v in after.items() if not k.startswith("cleaned")} == before_src
    assert snapshot(outside) == before_outside
    produced = {p.name for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert "secret.txt" not in produced and "pipe.txt" not in produced

    # Checking the same corpus: same one-line errors, nothing written, exit code 2.
    check = run_cli("check", src / "image.txt", src / "records.jsonl", src / "pipe.txt")
    assert check.returncode == 2
    assert f"textmend: {src / 'image.txt'}: PNG image" in check.stderr
    assert "not a regular file: named pipe (FIFO)" in check.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "secret.txt").write_text("x\n")
    (src / "good.txt").write_text(GOOD)
    os.chmod(src / "secret.txt", 0)
    os.chmod(src / "locked", 0)
    try:
        proc = run_cli("clean", src, "-o", tmp_path / "out")
    finally:
        os.chmod(src / "secret.txt", 0o644)
        os.chmod(src / "locked", 0o755)
    assert proc.returncode == 2
    assert f"textmend: {src / 'secret.txt'}: Permission denied" in proc.stderr
    assert f"textmend: {src / 'locked'}: cannot list folder: Permission denied" in proc.stderr
    assert (tmp_path / "out" / "good.txt").exists()


SUFFIXES = [".txt", ".html", ".jsonl", ".jsonl.gz", ".jsonl.zst", ".md", ""]


def random_payload(rng: random.Random) -> bytes:
    """Random bytes, sometimes dressed as a valid container or text so deeper code runs."""
    size = rng.choice([0, 1, 7, 100, 1000, 20000])
    raw = rng.randbytes(size)
    shape = rng.randrange(6)
    if shape == 0:
        return gzip.compress(raw, mtime=0)
    if shape == 1:
        return zstandard.ZstdCompressor().compress(raw)
    if shape == 2:  # JSON lines with random text fields
        texts = [raw[i : i + 50].decode("latin-1") for i in range(0, len(raw), 50)]
        return "".join(json.dumps({"text": t}) + "\n" for t in texts).encode()
    if shape == 3:  # mostly text with random bytes spliced in
        text = (GOOD * (1 + size // 100)).encode()
        cut = rng.randrange(len(text))
        return text[:cut] + raw[:64] + text[cut:]
    if shape == 4:
        return b"<html><body><p>" + raw + b"</p></body></html>"
    return raw


def test_random_bytes_files_never_crash_the_cli(tmp_path: Path) -> None:
    rng = random.Random(20240607)
    src = tmp_path / "in"
    src.mkdir()
    names = []
    for i in range(60):
        name = f"r{i:02d}{rng.choice(SUFFIXES)}"
        (src / name).write_bytes(random_payload(rng))
        names.append(name)
    report = tmp_path / "report.jsonl"
    proc = run_cli("clean", src, "-o", tmp_path / "out", "--report", report, "--jobs", "2")
    assert proc.returncode in (0, 2), proc.stderr
    entries = [json.loads(line) for line in report.read_text("utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in entries) == sorted(names)
    for entry in entries:
        assert entry["status"] in ("changed", "unchanged", "partial", "error"), entry
        if entry["status"] == "error":
            assert entry["error"] and "internal error" not in entry["error"], entry
            assert not (tmp_path / "out" / Path(entry["path"]).name).exists()
        else:
            assert (tmp_path / "out" / Path(entry["path"]).name).exists()
    assert proc.returncode == (
        2 if any(e["status"] in ("error", "partial") for e in entries) else 0
    )
    for name in names[:8]:  # stdin path as well
        data = (src / name).read_bytes()
        piped = subprocess.run(
            [str(TEXTMEND), "clean", "-"], input=data, capture_output=True, timeout=120, check=False
        )
        assert b"Traceback" not in piped.stderr
        assert piped.returncode in (0, 2)
