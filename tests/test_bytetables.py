"""Bulk decodes (textmend.bytetables) answer as decoding each piece alone would."""

from __future__ import annotations

import pytest

from textmend.bytetables import (
    SEPARATOR,
    decoded_or_empty,
    pairs_joined,
    single_characters,
    singles_joined,
)
from textmend.charclass import _double_byte_chars


def one_by_one(joined: bytes, codec: str) -> list[str]:
    answers = []
    for piece in joined.split(SEPARATOR):
        text = decoded_or_empty(piece, codec)
        answers.append(text if len(text) == 1 else "")
    return answers


@pytest.mark.parametrize(
    "codec", ["utf-16-le", "utf-32-be", "utf-7", "iso2022_jp", "hz", "utf-8", "cp1252", "big5"]
)
def test_single_characters_whatever_the_codec(codec: str) -> None:
    """Codecs that read across the separator (UTF-16, UTF-32) or treat it as state
    (UTF-7, ISO-2022, HZ) get the answers of decoding each piece alone all the same."""
    for joined in (
        singles_joined(range(0x80, 0x100)),
        pairs_joined(range(0x80, 0x100, 7), range(0x30, 0x100)),
    ):
        assert single_characters(joined, codec) == one_by_one(joined, codec)


def test_single_characters_tells_a_decoded_replacement_character_from_an_error() -> None:
    """U+FFFD marks undecodable bytes in the bulk decode, but a codec may also read it."""
    joined = b"\xef\xbf\xbd\n\xff\n\xef\xbf\n\xc3\xa9\n\xe2\x82"
    assert single_characters(joined, "utf-8") == ["\ufffd", "", "", "é", ""]


def test_pairs_joined_lists_every_pair_in_order() -> None:
    leads, trails = range(0xB0, 0xB3), range(0xA1, 0xA4)
    expected = [bytes((lead, trail)) for lead in leads for trail in trails]
    assert pairs_joined(leads, trails).split(SEPARATOR) == expected


def double_byte_chars_pair_by_pair(codec: str, leads: range, trails: range) -> list[str]:
    """The slow definition of charclass._double_byte_chars: a decode per pair."""
    chars = []
    for lead in leads:
        for trail in trails:
            try:
                chars.append(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return chars


@pytest.mark.parametrize(
    ("codec", "leads", "trails"),
    [  # the frequent and secondary sets charclass._build_costs reads
        ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
        ("big5", range(0xA4, 0xC7), range(0x40, 0xFF)),
        ("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF)),
        ("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)),
        ("gb2312", range(0xD8, 0xF8), range(0xA1, 0xFF)),
        ("euc_jp", range(0xD0, 0xF5), range(0xA1, 0xFF)),
        ("big5", range(0xC9, 0xFA), range(0x40, 0xFF)),
    ],
)
def test_double_byte_chars_as_pair_by_pair(codec: str, leads: range, trails: range) -> None:
    assert _double_byte_chars(codec, leads, trails) == double_byte_chars_pair_by_pair(
        codec, leads, trails
    )
