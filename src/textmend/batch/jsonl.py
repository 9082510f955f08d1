"""JSON Lines shards: stream records in, clean one field, stream records out.

A shard is read and written one line at a time (through gzip or zstandard when the name
says so), so memory is bounded by the longest record, whatever the shard size. Each record's
text field is cleaned with :func:`textmend.pipeline.clean`; every other field is kept, and
the findings and removed lines go under a metadata key (``textmend`` by default).

A line that is not a JSON object with a string text field is *passed through unchanged*
and reported with its line number and the reason. Passing through (rather than dropping)
loses nothing and keeps line N of the output equal to line N of the input, so the report's
line numbers point into both files; a downstream JSON reader fails loudly on the same line
instead of silently missing a record. Blank lines are passed through too.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, BinaryIO

from textmend.models import Cleaned
from textmend.pipeline import clean
from textmend.settings import Options

MAX_RECORD_BYTES = 64 * 1024 * 1024
DEFAULT_META_KEY = "textmend"

OnRecord = Callable[[int, str, Cleaned], None]


@dataclass(slots=True)
class RecordError:
    line: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


@dataclass(slots=True)
class ShardOutcome:
    records: int = 0
    records_changed: int = 0
    fixes: int = 0
    lines_removed: int = 0
    errors: list[RecordError] = field(default_factory=list)


def decompression_errors(compression: str) -> tuple[type[BaseException], ...]:
    """What reading a corrupt or truncated ``compression`` stream raises (the library's own
    types, which callers turn into one clear reason instead of an "internal error")."""
    if compression == "gz":
        return (EOFError, zlib.error, gzip.BadGzipFile)
    if compression == "zst":
        import zstandard

        return (zstandard.ZstdError,)
    return ()


@contextmanager
def open_shard_reader(raw: BinaryIO, compression: str) -> Iterator[BinaryIO]:
    """``raw`` decompressed according to ``compression`` ('', 'gz' or 'zst')."""
    if compression == "gz":
        with gzip.GzipFile(fileobj=raw, mode="rb") as reader:
            yield reader  # type: ignore[misc]
    elif compression == "zst":
        import zstandard

        decompressor = zstandard.ZstdDecompressor()
        with decompressor.stream_reader(raw, read_across_frames=True, closefd=False) as stream:
            yield io.BufferedReader(stream, 1 << 20)  # type: ignore[arg-type]
    else:
        yield raw


@contextmanager
def open_shard_writer(raw: BinaryIO, compression: str) -> Iterator[IO[bytes]]:
    """A writer compressing into ``raw``; closing it finishes the stream, not ``raw``.

    gzip output is written with mtime 0 so that the same input always gives the same bytes
    (a resumed run, the local and the Ray engine all agree byte for byte).
    """
    if compression == "gz":
        with gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as writer:
            yield writer  # type: ignore[misc]
    elif compression == "zst":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=3)
        with compressor.stream_writer(raw, closefd=False) as writer:
            yield writer  # type: ignore[misc]
    else:
        yield raw


def clean_shard(
    reader: BinaryIO,
    write: Callable[[bytes], object] | None,
    *,
    text_field: str,
    meta_key: str,
    options: Options,
    on_record: OnRecord | None = None,
) -> ShardOutcome:
    """Clean every record ``reader`` yields, writing each output line with ``write``."""
    outcome = ShardOutcome()
    line_number = 0
    while True:
        raw = reader.readline(MAX_RECORD_BYTES)
        if not raw:
            break
        line_number += 1
        if len(raw) >= MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            _pass_through_long_line(reader, raw, write)
            outcome.errors.append(
                RecordError(
                    line_number, f"record longer than {MAX_RECORD_BYTES} bytes; passed through"
                )
            )
            continue
        if not raw.strip():
            if write is not None:
                write(raw if raw.endswith(b"\n") else raw + b"\n")
            continue
        result = clean_record(raw, text_field=text_field, meta_key=meta_key, options=options)
        if isinstance(result, str):
            outcome.errors.append(RecordError(line_number, result))
            if write is not None:
                write(raw if raw.endswith(b"\n") else raw + b"\n")
            continue
        line, original, cleaned = result
        outcome.records += 1
        outcome.fixes += len(cleaned.findings)
        outcome.lines_removed += len(cleaned.removed)
        if cleaned.text != original:
            outcome.records_changed += 1
        if on_record is not None:
            on_record(line_number, original, cleaned)
        if write is not None:
            write(line)
    return outcome


def _pass_through_long_line(
    reader: BinaryIO, first: bytes, write: Callable[[bytes], object] | None
) -> None:
    chunk = first
    while True:
        if write is not None:
            write(chunk)
        if chunk.endswith(b"\n"):
            return
        chunk = reader.readline(MAX_RECORD_BYTES)
        if not chunk:
            if write is not None:
                write(b"\n")
            return


def clean_record(
    raw: bytes, *, text_field: str, meta_key: str, options: Options
) -> tuple[bytes, str, Cleaned] | str:
    """(output line, original text, result) for one JSON line, or why it was not cleaned."""
    try:
        record = json.loads(raw)
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte {exc.start}): passed through"
    except (ValueError, RecursionError) as exc:
        return f"malformed JSON: {exc}; passed through"
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not an object; passed through"
    original = record.get(text_field)
    if not isinstance(original, str):
        what = "missing" if original is None else f"a {type(original).__name__}"
        return f"field {text_field!r} is {what}, not a string; passed through"
    cleaned = clean(original, html=options.html, options=options)
    if cleaned.text.endswith("\n") and not original.endswith("\n"):
        # The final newline is file layout; a field that had none does not get one. (The
        # result is this call's own object: set in place, not copied by dataclasses.replace.)
        cleaned.text = cleaned.text[:-1]
    record[text_field] = cleaned.text
    record[meta_key] = cleaned.to_dict()
    return encode_record(record), original, cleaned


def encode_record(record: dict[str, Any]) -> bytes:
    """One output line. Non-ASCII stays readable; a record holding lone surrogates (legal
    in JSON escapes, not encodable as UTF-8) is written with ASCII escapes instead."""
    try:
        return _READABLE.encode(record).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return _ESCAPED.encode(record).encode("ascii") + b"\n"


# json.dumps with any option builds a new encoder per call; a record costs less with one
# encoder per setting, made once (same output: json.dumps passes these options through).
_READABLE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ESCAPED = json.JSONEncoder(separators=(",", ":"))
