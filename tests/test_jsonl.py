"""JSON Lines shards (.jsonl, .jsonl.gz, .jsonl.zst, stdin) through the real CLI."""

from __future__ import annotations

import gzip
import json
import os
import select
import subprocess
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner

import textmend
from cli_executable import TEXTMEND
from textmend.cli import cli

RECORDS = [
    {"id": 1, "url": "https://example.org/a", "text": "Indiaâ€™s talks were â€œgoodâ€\x9d."},
    {"id": 2, "text": "Already clean text.", "lang": "en", "nested": {"k": [1, 2]}},
    {"id": 3, "text": "Story body.\n\nAdvertisement\n\nMore story.\n"},
]
MALFORMED = b'{"id": 4, "text": "unterminated\n'


def shard_bytes(records: list[dict[str, object]], bad_line_at: int | None = None) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records]
    if bad_line_at is not None:
        lines.insert(bad_line_at, MALFORMED)
    return b"".join(lines)


def compress(data: bytes, suffix: str) -> bytes:
    if suffix.endswith(".gz"):
        return gzip.compress(data)
    if suffix.endswith(".zst"):
        return zstandard.ZstdCompressor().compress(data)
    return data


def decompress(data: bytes, suffix: str) -> bytes:
    if suffix.endswith(".gz"):
        return gzip.decompress(data)
    if suffix.endswith(".zst"):
        return zstandard.ZstdDecompressor().stream_reader(data).read()
    return data


def expected_record(
    record: dict[str, object], field: str = "text", key: str = "textmend"
) -> dict[str, object]:
    original = record[field]
    assert isinstance(original, str)
    cleaned = textmend.clean(original)
    text = cleaned.text
    if text.endswith("\n") and not original.endswith("\n"):
        text = text[:-1]
    return {**record, field: text, key: cleaned.to_dict()}


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_shards_keep_fields_and_report_malformed_lines(suffix: str, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / f"part-0{suffix}").write_bytes(compress(shard_bytes(RECORDS, bad_line_at=1), suffix))
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(
        cli, ["clean", str(src), "-o", str(tmp_path / "out"), "--report", str(report)]
    )
    assert result.exit_code == 2  # a malformed line is a failure the exit code reports
    assert f"{src / f'part-0{suffix}'}:2: malformed JSON" in result.stderr

    lines = decompress((tmp_path / "out" / f"part-0{suffix}").read_bytes(), suffix).splitlines()
    assert len(lines) == 4
    assert lines[1] == MALFORMED.rstrip(b"\n")  # passed through unchanged, same line number
    records = [json.loads(line) for i, line in enumerate(lines) if i != 1]
    assert records == [expected_record(r) for r in RECORDS]
    assert records[0]["text"] != RECORDS[0]["text"]
    assert records[2]["textmend"]["removed"]

    (entry,) = map(json.loads, report.read_text().splitlines())
    assert entry["status"] == "partial"
    assert entry["records"] == 3
    assert entry["records_changed"] == 2
    assert entry["record_errors"][0]["line"] == 2


def test_text_field_and_metadata_key(tmp_path: Path) -> None:
    records = [{"body": r["text"], "text": "left alone"} for r in RECORDS]
    src = tmp_path / "s.jsonl"
    src.write_bytes(shard_bytes(records))
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        cli, ["clean", str(src), "-o", str(out), "--text-field", "body", "--metadata-key", "_clean"]
    )
    assert result.exit_code == 0, result.stderr
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert got == [expected_record(r, "body", "_clean") for r in records]
    assert all(r["text"] == "left alone" for r in got)


def test_format_jsonl_on_other_names_and_odd_records(tmp_path: Path) -> None:
    data = b'["an array"]\n{"text": 5}\n{"no_text": true}\n\n{"text": "lone \\udc80 surrogate"}\n'
    src = tmp_path / "dump.txt"
    src.write_bytes(data)
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--format", "jsonl"])
    assert result.exit_code == 2
    assert ":1: a JSON list, not an object" in result.stderr
    assert ":2: field 'text' is a int, not a string" in result.stderr
    assert ":3: field 'text' is missing" in result.stderr
    lines = out.read_bytes().split(b"\n")
    assert lines[:4] == data.split(b"\n")[:4]
    last = json.loads(lines[4])
    assert "surrogate" in last["text"] and "textmend" in last
    lines[4].decode("ascii")  # lone surrogates force ASCII escapes: still valid UTF-8 JSON


def test_check_on_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "s.jsonl.gz"
    src.write_bytes(gzip.compress(shard_bytes(RECORDS)))
    before = src.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(src)])
    assert result.exit_code == 1
    assert src.read_bytes() == before
    first = textmend.clean(str(RECORDS[0]["text"])).findings[0]
    assert f"{src}:1:text:{first.line}:{first.column}: {first.kind}: " in result.stdout
    assert f"{src}:3:text:3: removed (" in result.stdout


def test_stdin_jsonl_is_streamed_record_by_record() -> None:
    """Each output record appears before stdin is closed: usable inside a Unix pipe."""
    proc = subprocess.Popen(
        [str(TEXTMEND), "clean", "--format", "jsonl", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for record in RECORDS:
            proc.stdin.write(json.dumps(record).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "no output record before the next input record"
            line = proc.stdout.readline()
            assert json.loads(line) == expected_record(record)
        proc.stdin.close()
        assert proc.stdout.read() == b""
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_in_place_shard(tmp_path: Path) -> None:
    src = tmp_path / "s.jsonl.zst"
    original = compress(shard_bytes(RECORDS), ".zst")
    src.write_bytes(original)
    result = CliRunner().invoke(cli, ["clean", "--in-place", "--backup", ".bak", str(src)])
    assert result.exit_code == 0, result.stderr
    assert Path(str(src) + ".bak").read_bytes() == original
    got = [json.loads(x) for x in decompress(src.read_bytes(), ".zst").splitlines()]
    assert got == [expected_record(r) for r in RECORDS]
    mtime = os.stat(src).st_mtime_ns
    result = CliRunner().invoke(cli, ["clean", "--in-place", str(src)])
    assert result.exit_code == 0
    assert os.stat(src).st_mtime_ns == mtime  # already clean: the metadata is kept as is
