"""Stage 1: bytes -> text.

Order of evidence, strongest first, following the WHATWG encoding-sniffing order (BOM, then
the transport layer's charset, then the document's own ``<meta>`` prescan, then guessing):

1. a byte-order mark (it beats any declaration, as in browsers);
2. strict UTF-8 validity (random legacy bytes are almost never valid UTF-8, so validity is
   near-proof and beats a declaration that says otherwise);
3. the HTTP ``Content-Type`` charset, then the ``<meta charset>`` (or another caller
   declaration), each kept only when the bytes agree with it;
4. statistical detection by charset-normalizer (via :mod:`textmend.charsets`).

Every declaration that is overridden leaves a note in :attr:`Decoded.notes`. Binary data is
refused by content, never by file name.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from textmend.errors import BinaryInputError, DecodeError
from textmend.models import Decoded

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of formats that are never text. Checked before anything else so that a
# gzip file named .txt is reported as compressed data, not decoded as mojibake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"PK\x03\x04", "zip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\x00\x00\x00\x1cftyp", "MP4 video"),
    (b"OggS", "Ogg media"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document"),
)

# WHATWG: these labels mean windows-1252 on the web, whatever the label says.
_WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "windows-874": "cp874",
}

_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)

# Bytes that never appear in text files: C0 controls other than tab, newlines, form feed
# and escape. Their share separates binary data from text in any 8-bit encoding.
_BINARY_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27}))
_BINARY_TABLE = bytes.maketrans(_BINARY_BYTES, b"\x00" * len(_BINARY_BYTES))

# The fast path of :func:`decode` (see :func:`_plain_text`): the starts it leaves to the
# full path (byte-order marks, magic numbers), and the bytes that send the full path
# elsewhere (NUL for UTF-16/32 and binary data, ESC for ISO-2022, other C0 controls for
# binary data).
_SPECIAL_STARTS = tuple(bom for bom, _ in _BOMS) + tuple(magic for magic, _ in _MAGIC)
_SPECIAL_BYTES = bytes(sorted(set(_BINARY_BYTES) | {27}))


def python_codec(label: str) -> str | None:
    """Map a charset label (HTTP, HTML, detector output) to a Python codec name, or None."""
    label = label.strip().strip("\"'").lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_label_from_content_type(content_type: str | bytes | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header as written (e.g. 'ISO-8859-1')."""
    if not content_type:
        return None
    if isinstance(content_type, str):
        content_type = content_type.encode("latin-1", "replace")
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1).decode("ascii") if match else None


def charset_from_content_type(content_type: str | bytes | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, as a Python codec name."""
    label = charset_label_from_content_type(content_type)
    return python_codec(label) if label else None


def charset_label_from_meta(data: bytes) -> str | None:
    """The charset label an HTML document declares in a <meta> tag in its first 4 KB, as written."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def charset_from_meta(data: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag within its first 4 KB.

    As the WHATWG prescan does, a <meta> that claims UTF-16 means UTF-8 (a document whose
    bytes could be parsed as ASCII-compatible text to find the tag cannot be UTF-16), and
    ``x-user-defined`` means windows-1252.
    """
    label = charset_label_from_meta(data)
    if not label:
        return None
    if label.strip().lower() == "x-user-defined":
        return "cp1252"
    codec = python_codec(label)
    if codec is not None and codec.startswith("utf-16"):
        return "utf-8"
    return codec


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs in every other byte of mostly-ASCII text."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is binary rather than text, or None when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if what == "Windows executable" and b"\x00" not in data[:512]:
                continue
            return what
    sample = data[:65536]
    if not sample or _bom(sample) or _looks_like_utf16(sample):
        return None
    controls = len(sample) - len(sample.translate(_BINARY_TABLE).replace(b"\x00", b""))
    if sample.count(0) > 0 and controls > max(1, len(sample) // 100):
        return f"binary data ({controls} NUL/control bytes in the first {len(sample)} bytes)"
    if controls > len(sample) // 10:
        return f"binary data ({controls} control bytes in the first {len(sample)} bytes)"
    return None


def strict_decode(data: bytes, codec: str) -> str | None:
    """``data`` decoded with ``codec``, or None when any byte does not fit it."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# A text decoded with the wrong single-byte table reads as a soup of accented capitals and
# symbols; charset-normalizer's mess ratio scores that > 1 while real text in any language
# scores < 0.2. Between the two thresholds a declaration is given the benefit of the doubt.
_GARBLED_MESS = 0.5
_CLEAN_MESS = 0.2
_MESS_SAMPLE_CHARS = 16384

_HTTP_SOURCE = "HTTP charset"
_META_SOURCE = "<meta> charset"
_DECLARED_SOURCE = "declared charset"


@dataclass(frozen=True, slots=True)
class Declaration:
    """A charset someone claims the bytes are in: where the claim comes from and its label."""

    source: str
    label: str
    codec: str | None

    def describe(self) -> str:
        return f"{self.source} {self.label}"


def declarations(
    data: bytes, *, declared: str | None = None, content_type: str | bytes | None = None
) -> list[Declaration]:
    """The charset declarations for ``data`` in precedence order (HTTP header, then <meta>).

    ``declared`` is reported as the <meta> charset when the document's own <meta> tag says the
    same thing (that is how :func:`textmend.clean` passes it), so notes quote the label as
    the page wrote it ("ISO-8859-1", not the codec "cp1252" it stands for).
    """
    found: list[Declaration] = []
    http_label = charset_label_from_content_type(content_type)
    if http_label:
        found.append(Declaration(_HTTP_SOURCE, http_label, python_codec(http_label)))
    if declared:
        codec = python_codec(declared)
        meta_label = charset_label_from_meta(data)
        if meta_label and codec is not None and charset_from_meta(data) == codec:
            found.append(Declaration(_META_SOURCE, meta_label, codec))
        else:
            found.append(Declaration(_DECLARED_SOURCE, declared, codec))
    return found


def _mess(text: str) -> float:
    # charset-normalizer is imported where it is used: only bytes that are neither ASCII nor
    # UTF-8 need it, and importing it costs a process more than decoding most files.
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text[:_MESS_SAMPLE_CHARS], maximum_threshold=1.0)


def _literal_reading_note(declaration: Declaration, data: bytes, text: str) -> str | None:
    """A note when the web reading of a label differs from its literal one for these bytes.

    WHATWG maps 'ISO-8859-1' (and 'US-ASCII') to windows-1252: the bytes 0x80-0x9F are then
    curly quotes and dashes, not C1 control codes. That is what the page meant, but a reader
    of the headers should be told why the text differs from a literal Latin-1 decoding.
    """
    try:
        literal = codecs.lookup(declaration.label.strip().strip("\"'")).name
    except LookupError:
        return None
    if declaration.codec is None or literal == declaration.codec:
        return None
    if strict_decode(data, literal) == text:
        return None
    return (
        f"{declaration.describe()} read as {declaration.codec} (the web meaning of that label, "
        "per WHATWG): the bytes differ between the two readings"
    )


def _agreeing_declaration(
    data: bytes, found: list[Declaration], notes: list[str]
) -> Decoded | None:
    """The first declaration the (non-UTF-8) bytes agree with, noting each one overridden."""
    for declaration in found:
        codec = declaration.codec
        if codec is None:
            continue
        if codec == "utf-8":
            notes.append(f"{declaration.describe()} overridden: the bytes are not valid UTF-8")
            continue
        text = strict_decode(data, codec)
        if text is None:
            notes.append(f"{declaration.describe()} overridden: the bytes are invalid in {codec}")
            continue
        mess = _mess(text)
        if mess >= _GARBLED_MESS:
            detected = _detect_or_none(data)
            if (
                detected is not None
                and detected.encoding != codec
                and _mess(detected.text) < min(_CLEAN_MESS, mess / 4)
            ):
                notes.append(
                    f"{declaration.describe()} overridden: the bytes read as garbled text in "
                    f"{codec} and as clean text in {detected.encoding}"
                )
                return Decoded(detected.text, detected.encoding, detected.confidence, tuple(notes))
        literal = _literal_reading_note(declaration, data, text)
        if literal:
            notes.append(literal)
        return Decoded(text, codec, 0.95, tuple(notes))
    return None


def decode(
    data: bytes,
    *,
    declared: str | None = None,
    content_type: str | bytes | None = None,
) -> Decoded:
    """Decode raw bytes to text, detecting the encoding.

    ``content_type`` is an HTTP ``Content-Type`` header; ``declared`` a charset label the
    caller trusts somewhat (the page's <meta> charset, a database column). Precedence follows
    the WHATWG sniffing order: BOM > HTTP charset > <meta>/declared charset > detection.
    Unlike a browser, a declaration is only *honoured when the bytes agree with it*:

    * bytes that are valid (non-ASCII) UTF-8 are read as UTF-8 whatever the label says
      (the classic case: a UTF-8 page served as ISO-8859-1 by a server default);
    * a declared charset under which the bytes are invalid is skipped for the next
      declaration, then for detection;
    * a single-byte charset under which the text comes out garbled (mess ratio) is overridden
      when detection finds an encoding that reads cleanly;
    * 'ISO-8859-1'/'US-ASCII' mean windows-1252 (WHATWG), noted when that changes the text.

    Each override is recorded in :attr:`Decoded.notes`, so the caller can see which header
    was wrong. Pure ASCII satisfies every ASCII-compatible declaration and returns 'ascii'.
    """
    if not data:
        return Decoded("", "utf-8", 1.0)
    if declared is None and not content_type:
        plain = _plain_text(data)
        if plain is not None:
            return plain
    return _decode_in_full(data, declared=declared, content_type=content_type)


def _decode_in_full(
    data: bytes, *, declared: str | None, content_type: str | bytes | None
) -> Decoded:
    """:func:`decode` for non-empty ``data``, every step of the evidence order."""
    found = declarations(data, declared=declared, content_type=content_type)
    notes = [f"{d.describe()} ignored: unknown charset label" for d in found if d.codec is None]
    bom = _bom(data)
    if bom:
        codec, size = bom
        text = strict_decode(data[size:], codec)
        if text is not None:
            notes.extend(
                f"{d.describe()} ignored: the byte-order mark says {codec}"
                for d in found
                if d.codec is not None and d.codec.replace("-sig", "") != codec
            )
            name = codec + "-sig" if codec == "utf-8" else codec
            return Decoded(text, name, 1.0, tuple(notes))
    # ISO-2022 is valid ASCII (UTF-8 would accept it) and BOM-less UTF-16/32 has NUL bytes
    # (it would look binary): both are recognised before those checks.
    from textmend.charsets import sniff_encoding

    sniffed = sniff_encoding(data)
    if sniffed:
        return Decoded(data.decode(sniffed), sniffed, 0.9, tuple(notes))
    reason = binary_reason(data)
    if reason:
        raise BinaryInputError(reason)
    utf16 = _looks_like_utf16(data)
    if utf16:
        text = strict_decode(data, utf16)
        if text is not None:
            return Decoded(text, utf16, 0.9, tuple(notes))

    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", 1.0, tuple(notes))
    text = strict_decode(data, "utf-8")
    if text is not None:
        first = next((d for d in found if d.codec is not None), None)
        if first is not None and first.codec != "utf-8":
            notes.append(f"{first.describe()} overridden: the bytes are valid UTF-8")
        return Decoded(text, "utf-8", 1.0, tuple(notes))
    agreed = _agreeing_declaration(data, found, notes)
    if agreed is not None:
        return agreed
    return _detect(data, notes)


def _plain_text(data: bytes) -> Decoded | None:
    """What :func:`decode` returns for undeclared ASCII or UTF-8 bytes, or None.

    Nearly every input of a batch is such text, and for it the full path (BOM, ISO-2022 and
    UTF-16/32 sniffing, binary check, each slicing and scanning its own sample) is a dozen
    scans that all say no. Their answers are known beforehand for bytes with no BOM or
    magic number at the start and none of NUL, ESC and the C0 controls a text never holds:
    no BOM matches, the sniffers need NUL or ESC, the binary check counts control bytes.
    Such bytes then get exactly what the full path gives them (tests/test_decode.py
    compares the two); anything else (legacy bytes included) takes the full path.
    """
    if data.startswith(_SPECIAL_STARTS):
        return None
    # Deleting the special bytes is a table-driven copy, several times faster than a regex
    # search for them (and the text decoded next costs as much memory).
    if len(data.translate(None, _SPECIAL_BYTES)) != len(data):
        return None
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", 1.0)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0)
    except UnicodeDecodeError:
        return None


def _detect_or_none(data: bytes) -> Decoded | None:
    try:
        return _detect(data, [])
    except DecodeError:
        return None


def _detect(data: bytes, notes: list[str]) -> Decoded:
    from textmend.charsets import choose_legacy_encoding, western_without_detector

    western = western_without_detector(data)
    if western is not None:
        codec, confidence = western
    else:
        from charset_normalizer import from_bytes

        codec, confidence = choose_legacy_encoding(data, from_bytes(data[: 1 << 20]))
    if codec is None:
        raise DecodeError("undecodable bytes: no text encoding fits")
    text = strict_decode(data, codec)
    if text is None:
        text = data.decode(codec, errors="replace")
        notes.append(f"some bytes are invalid in {codec} and were replaced by U+FFFD")
        confidence = min(confidence, 0.5)
    return Decoded(text, codec, confidence, tuple(notes))
