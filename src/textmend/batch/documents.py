"""Cleaning one text or HTML document from a byte stream, in bounded memory.

Documents up to :data:`STREAM_THRESHOLD` bytes (nearly every article) go through
:func:`textmend.pipeline.clean` whole. Bigger ones cannot be HTML pages in any useful sense
(HTML extraction needs the whole tree in memory, so they are refused with a clear error)
and are cleaned in *blocks*: the encoding is chosen once from the first
:data:`STREAM_THRESHOLD` bytes, the rest is decoded incrementally, and the text is cut at
paragraph breaks (a blank line) into pieces of about :data:`BLOCK_CHARS` characters, each
cleaned by :func:`textmend.pipeline.clean_text` and written out at once. Memory therefore
stays a small multiple of the block size whatever the file size. Line numbers of findings
and removed lines are shifted so they refer to the whole document. The output is the same
as a whole-document clean, except that exactly at a block boundary a blank line the
boilerplate filter exposed may collapse differently (blocks are cut at existing paragraph
breaks, so in practice the layout matches).
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from textmend.decode import decode
from textmend.errors import DecodeError, InputError
from textmend.models import Finding, RemovedLine
from textmend.normalise import unify_line_ends
from textmend.pipeline import clean, clean_text
from textmend.settings import Options

STREAM_THRESHOLD = 8 * 1024 * 1024
BLOCK_CHARS = 4 * 1024 * 1024
READ_BYTES = 1024 * 1024
MAX_LINE_CHARS = 64 * 1024 * 1024

_STREAM_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_STARTS_BLANK = re.compile(r"\A[^\S\n]*\n")  # anchored: linear under search() too
_ENDS_BLANK = re.compile(r"(?:\A|\n)[^\S\n]*\n\Z")
_HAS_BLANK_LINE = re.compile(r"(?:\A|\n)[^\S\n]*(?:\n|\Z)")


class Reader(Protocol):
    """What a document is read from: a binary file, or the batch worker's bare descriptor
    (:class:`textmend.batch.worker.DescriptorReader`). Only ``read(size)`` is used."""

    def read(self, size: int, /) -> bytes: ...


class Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


class HashingSink:
    """Stands in for an output file when only "would it change?" matters (``check``)."""

    def __init__(self) -> None:
        self.digest = hashlib.blake2b()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)


@dataclass(slots=True)
class DocOutcome:
    """What cleaning one document gave. ``data`` is the output for whole-document cleans;
    for block cleans the output went to the stream and ``data`` is None."""

    encoding: str | None
    findings: list[Finding] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: bytes | None = None
    unchanged: bool = False


def clean_document(
    reader: Reader,
    *,
    html: bool | None,
    options: Options,
    open_stream: Callable[[], Writer],
    size_hint: int | None = None,
) -> DocOutcome:
    """Clean the document ``reader`` yields; see the module docstring for the two paths.

    ``size_hint`` (the size the file had when it was listed) only sizes the first read.
    """
    head = _read_head(reader, STREAM_THRESHOLD + 1, size_hint)
    if len(head) <= STREAM_THRESHOLD:
        cleaned = clean(head, html=html, options=options)
        data = cleaned.text.encode("utf-8")
        return DocOutcome(
            cleaned.encoding, cleaned.findings, cleaned.removed, cleaned.notes, data, data == head
        )
    if html:
        raise InputError(
            f"HTML document larger than {STREAM_THRESHOLD // (1024 * 1024)} MB: HTML is "
            "extracted in memory, so pages this big are refused"
        )
    return _BlockCleaner(options, open_stream(), allow_html_check=html is None).run(head, reader)


def _read_head(reader: Reader, limit: int, size_hint: int | None) -> bytes:
    """Up to ``limit`` bytes from ``reader`` (all of them unless the document is longer).

    Reading ``limit`` bytes at once allocates ``limit`` bytes whatever the file size; with
    the expected size known, a small file takes a read of its size and one at its end.
    """
    if size_hint is None or size_hint >= limit:
        return reader.read(limit)
    pieces = [reader.read(size_hint + 1)]
    total = len(pieces[0])
    while total < limit:  # the file grew since it was listed, or a short read
        piece = reader.read(min(limit - total, READ_BYTES))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _stream_codec(head: bytes) -> tuple[str, str | None, list[str]]:
    """(incremental codec, reported encoding, notes) chosen from the first bytes."""
    for bom, codec in _STREAM_BOMS:
        if head.startswith(bom):
            return codec, codec, []
    newline = head.rfind(b"\n")
    sample = head[: newline + 1] if newline > 0 else head[: _utf8_boundary(head)]
    decoded = decode(sample)
    notes = [*decoded.notes, f"large input: encoding chosen from the first {len(sample)} bytes"]
    encoding = decoded.encoding
    if encoding in (None, "ascii", "utf-8"):
        return "utf-8", encoding, notes
    return encoding, encoding, notes


class _BlockCleaner:
    """State of one block-by-block clean (see the module docstring)."""

    def __init__(self, options: Options, out: Writer, *, allow_html_check: bool) -> None:
        self.options = options
        self.out = out
        self.allow_html_check = allow_html_check
        self.in_digest = hashlib.blake2b()
        self.out_digest = hashlib.blake2b()
        self.outcome = DocOutcome(None)
        self.line_offset = 0
        self.wrote_text = False
        self.blank_pending = False
        self.non_ascii = False
        self.codec = "utf-8"

    def run(self, head: bytes, reader: Reader) -> DocOutcome:
        self.codec, self.outcome.encoding, self.outcome.notes = _stream_codec(head)
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        consumed = 0
        raw = head
        buffer = ""
        first = True
        while True:
            final = not raw
            self.in_digest.update(raw)
            try:
                buffer += decoder.decode(raw, final)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"bytes at offset {consumed + exc.start} are not valid {self.codec} "
                    "(the encoding of a large file is chosen from its first 8 MB)"
                ) from None
            consumed += len(raw)
            if first and self.allow_html_check and _looks_like_html(buffer):
                raise InputError(
                    "HTML document larger than 8 MB: HTML is extracted in memory, "
                    "so pages this big are refused"
                )
            first = False
            buffer = self._flush_full_blocks(buffer, final)
            if final:
                break
            raw = reader.read(READ_BYTES)
        if self.non_ascii and self.outcome.encoding == "ascii":
            self.outcome.encoding = "utf-8"
        self.outcome.unchanged = self.in_digest.digest() == self.out_digest.digest()
        return self.outcome

    def _flush_full_blocks(self, buffer: str, final: bool) -> str:
        while buffer and (final or len(buffer) >= BLOCK_CHARS):
            cut = len(buffer) if final else _cut_point(buffer)
            if cut == 0:
                if len(buffer) > MAX_LINE_CHARS:
                    raise InputError(f"a single line longer than {MAX_LINE_CHARS} characters")
                break
            self._clean_piece(buffer[:cut])
            buffer = buffer[cut:]
        return buffer

    def _clean_piece(self, piece: str) -> None:
        if not self.non_ascii and not piece.isascii():
            self.non_ascii = True
        cleaned = clean_text(piece, encoding=self.outcome.encoding, options=self.options)
        offset = self.line_offset
        self.outcome.findings.extend(
            dataclasses.replace(f, line=f.line + offset) for f in cleaned.findings
        )
        self.outcome.removed.extend(
            dataclasses.replace(r, line=r.line + offset) for r in cleaned.removed
        )
        if cleaned.text:
            if self.wrote_text and (self.blank_pending or _STARTS_BLANK.match(piece)):
                self._write(b"\n")
            self._write(cleaned.text.encode("utf-8"))
            self.wrote_text = True
            self.blank_pending = _ENDS_BLANK.search(piece) is not None
        elif _HAS_BLANK_LINE.search(piece):
            self.blank_pending = True
        # Count lines as clean_text numbered them (a lone CR ends a line there too).
        self.line_offset += unify_line_ends(piece).count("\n")

    def _write(self, data: bytes) -> None:
        self.out_digest.update(data)
        self.out.write(data)


def _looks_like_html(text: str) -> bool:
    """:func:`textmend.htmltext.looks_like_html`, imported on first use: a run over plain
    text files does not load the HTML path at start-up."""
    from textmend.htmltext import looks_like_html

    return looks_like_html(text)


def _utf8_boundary(data: bytes) -> int:
    """Length of ``data`` without a UTF-8 sequence cut off at its end.

    A head without any newline (one huge line) is cut at an arbitrary byte; if that byte
    splits a character, strict UTF-8 fails on the sample and a legacy codec would be chosen
    for a perfectly valid UTF-8 file (found by tests/test_regex_safety.py: a 10 MB line).
    """
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:  # a lead byte: complete only if its sequence fits
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= needed else len(data) - back
    return len(data)


def _cut_point(buffer: str) -> int:
    """Where to end the next piece: after a paragraph break in the second half of the
    buffer if there is one, else after its last newline; 0 when there is no newline."""
    paragraph = buffer.rfind("\n\n", len(buffer) // 2)
    if paragraph >= 0:
        return paragraph + 2
    return buffer.rfind("\n") + 1
