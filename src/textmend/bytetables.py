"""Decoding many short byte strings at once: what each single byte and byte pair of a
codec reads as.

The codec tables (layers' repertoires, charclass's frequent ideographs) ask a codec about
every high byte and up to 24,576 byte pairs. A decode call costs far more than its one or
two bytes, and each undecodable pair raises an exception; asked one by one they cost a
batch process a tenth of a second of start-up. Here the pieces are joined by an ASCII
separator and decoded in one call, each piece's answer read from its part of the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

# The byte between the pieces of a bulk decode: ASCII, and a trail byte of no codec the
# tables ask about (double-byte trails start at 0x40, GB18030's four-byte ones at 0x30).
SEPARATOR = b"\n"
_SEPARATOR_TEXT = SEPARATOR.decode()
# Each undecodable byte as a lone surrogate (see single_characters).
_ESCAPED = ("\udc80", "\udcff")


def decoded_or_empty(raw: bytes, codec: str) -> str:
    """``raw`` decoded alone, or "" where it cannot be."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return ""


def singles_joined(bytes_: Iterable[int]) -> bytes:
    """Each of ``bytes_`` alone, separated: the pieces of :func:`single_characters`."""
    return SEPARATOR.join(bytes((byte,)) for byte in bytes_)


def pairs_joined(leads: Iterable[int], trails: range) -> bytes:
    """Every pair [lead][trail] of ``leads`` and ``trails``, lead by lead, trails in order,
    separated: the pieces of :func:`single_characters`."""
    template = _pairs_template(trails)
    blocks = []
    for lead in leads:
        block = bytearray(template)
        block[0::3] = bytes((lead,)) * len(trails)
        blocks.append(bytes(block))
    return SEPARATOR.join(blocks)


@cache
def _pairs_template(trails: range) -> bytes:
    """The pairs of one lead, the lead left 0 (every third byte, from the first)."""
    return SEPARATOR.join(bytes((0, trail)) for trail in trails)


def single_characters(joined: bytes, codec: str) -> list[str]:
    """For each piece of ``joined`` (byte strings separated by :data:`SEPARATOR`), the one
    character it decodes to alone, or "" where it decodes to none, or to more than one.

    One decode of all the pieces gives the answers decoding each alone would: a piece
    starts at a character boundary (after the ASCII separator, which no codec reads as
    a trail byte), so a piece that decodes alone decodes the same in the stream, and one
    that does not leaves U+FFFD for its undecodable bytes, which with what follows them
    is one character only where U+FFFD is all. Those pieces (a byte that is no character
    alone; a UTF-8 sequence cut short) are decoded again, each undecodable byte escaped
    as a lone surrogate, which no codec reads: U+FFFD may also be what a codec reads.
    tests/test_bytetables.py and tests/test_layers.py hold the tables built so to those
    built piece by piece, for every codec the tables ask about.
    """
    answers = [text if len(text) == 1 else "" for text in _decoded_apart(joined, codec, "replace")]
    if "\ufffd" in answers:
        pieces = joined.split(SEPARATOR)
        unsure = [index for index, answer in enumerate(answers) if answer == "\ufffd"]
        again = SEPARATOR.join(pieces[index] for index in unsure)
        low, high = _ESCAPED
        for index, text in zip(
            unsure, _decoded_apart(again, codec, "surrogateescape"), strict=True
        ):
            answers[index] = text if len(text) == 1 and not low <= text <= high else ""
    return answers


def _decoded_apart(joined: bytes, codec: str, errors: str) -> list[str]:
    """Each piece of ``joined`` decoded, in one decode (see :func:`single_characters`).

    Where that cannot tell the pieces apart, each is decoded alone ("" where it cannot
    be): a codec that reads across a separator (UTF-16) gives fewer pieces back, and
    ``surrogateescape`` refuses an ASCII byte in an undecodable sequence.
    """
    try:
        decoded = joined.decode(codec, errors).split(_SEPARATOR_TEXT)
    except UnicodeDecodeError:
        decoded = []
    if len(decoded) == joined.count(SEPARATOR) + 1:
        return decoded
    return [decoded_or_empty(piece, codec) for piece in joined.split(SEPARATOR)]
