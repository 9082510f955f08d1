"""Stage 1: bytes -> text.

Order of evidence, strongest first: a byte-order mark, strict UTF-8 (random legacy bytes are
almost never valid UTF-8, so validity is near-proof), a declared charset that the bytes agree
with, then statistical detection by charset-normalizer. Binary data is refused by content,
never by file name.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

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


def python_codec(label: str) -> str | None:
    """Map a charset label (HTTP, HTML, detector output) to a Python codec name, or None."""
    label = label.strip().strip("\"'").lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | bytes | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, as a Python codec name."""
    if not content_type:
        return None
    raw = content_type.encode("latin-1", "replace") if isinstance(content_type, str) else content_type
    match = _CHARSET_PARAM.search(raw)
    return python_codec(match.group(1).decode("ascii")) if match else None


def charset_from_meta(data: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag within its first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return python_codec(match.group(1).decode("ascii")) if match else None


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


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(
    data: bytes,
    *,
    declared: str | None = None,
    content_type: str | bytes | None = None,
) -> Decoded:
    """Decode raw bytes to text, detecting the encoding.

    ``declared`` is a charset label the caller trusts somewhat (a <meta> tag, a database
    column); ``content_type`` an HTTP header. A declaration is honoured when the bytes
    agree with it and overridden, with a note, when they clearly do not.
    """
    if not data:
        return Decoded("", "utf-8", 1.0)
    bom = _bom(data)
    if bom:
        codec, size = bom
        text = _strict(data[size:], codec)
        if text is not None:
            return Decoded(text, codec + "-sig" if codec == "utf-8" else codec, 1.0)
    reason = binary_reason(data)
    if reason:
        raise BinaryInputError(reason)
    utf16 = _looks_like_utf16(data)
    if utf16:
        text = _strict(data, utf16)
        if text is not None:
            return Decoded(text, utf16, 0.9)

    label = charset_from_content_type(content_type) or (python_codec(declared) if declared else None)
    notes: list[str] = []
    text = _strict(data, "utf-8")
    if text is not None:
        if label and label != "utf-8" and not data.isascii():
            notes.append(f"declared charset {label} overridden: the bytes are valid UTF-8")
        return Decoded(text, "ascii" if data.isascii() else "utf-8", 1.0, tuple(notes))
    if label:
        text = _strict(data, label)
        if text is not None:
            return Decoded(text, label, 0.95)
        notes.append(f"declared charset {label} overridden: the bytes do not decode with it")
    return _detect(data, notes)


def _detect(data: bytes, notes: list[str]) -> Decoded:
    from textmend.charsets import choose_legacy_encoding

    codec, confidence = choose_legacy_encoding(data, from_bytes(data[: 1 << 20]))
    if codec is None:
        raise DecodeError("undecodable bytes: no text encoding fits")
    text = _strict(data, codec)
    if text is None:
        text = data.decode(codec, errors="replace")
        notes.append(f"some bytes are invalid in {codec} and were replaced by U+FFFD")
        confidence = min(confidence, 0.5)
    return Decoded(text, codec, confidence, tuple(notes))
