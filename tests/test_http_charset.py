"""Declared charsets (HTTP Content-Type, <meta>) weighed against what the bytes say."""

from __future__ import annotations

import pytest

import textmend
from textmend.decode import (
    charset_from_content_type,
    charset_from_meta,
    charset_label_from_content_type,
    declarations,
    decode,
)

FRENCH = "Le café de la gare était plein ; « où est-il ? » demanda l'élève naïf.\n"
QUOTED = "She said “quoted” words — it’s fine… the bill was 5 € at the café.\n"
RUSSIAN = "Москва — столица России, крупнейший город страны. Сегодня хорошая погода.\n"


def _html(body: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("header", "label", "codec"),
    [
        ("text/html; charset=ISO-8859-1", "ISO-8859-1", "cp1252"),
        ('text/html; charset="utf-8"', "utf-8", "utf-8"),
        (b"text/plain;charset=windows-1252", "windows-1252", "cp1252"),
        ("text/html; charset=gbk", "gbk", "gb18030"),
        ("text/html", None, None),
        (None, None, None),
    ],
)
def test_content_type_parsing(header: str | bytes | None, label: str | None, codec: str | None):
    assert charset_label_from_content_type(header) == label
    assert charset_from_content_type(header) == codec


def test_meta_prescan_follows_whatwg_for_utf16_and_user_defined():
    assert charset_from_meta(b'<meta charset="utf-16le">') == "utf-8"
    assert charset_from_meta(b'<meta charset="x-user-defined">') == "cp1252"
    assert (
        charset_from_meta(b'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">')
        == "cp949"
    )


def test_correct_header_is_honoured_without_notes():
    decoded = decode(QUOTED.encode("cp1252"), content_type="text/html; charset=windows-1252")
    assert decoded.text == QUOTED
    assert decoded.encoding == "cp1252"
    assert decoded.notes == ()


def test_latin1_header_on_plain_latin1_bytes_is_silent():
    decoded = decode(FRENCH.encode("latin-1"), content_type="text/plain; charset=ISO-8859-1")
    assert decoded.text == FRENCH
    assert decoded.notes == ()


def test_utf8_page_mislabelled_latin1_is_read_as_utf8_with_a_note():
    decoded = decode(QUOTED.encode("utf-8"), content_type="text/html; charset=ISO-8859-1")
    assert decoded.text == QUOTED
    assert decoded.encoding == "utf-8"
    assert decoded.notes == ("HTTP charset ISO-8859-1 overridden: the bytes are valid UTF-8",)


def test_latin1_label_with_c1_bytes_is_windows_1252_with_a_note():
    data = QUOTED.encode("cp1252")
    assert any(0x80 <= byte <= 0x9F for byte in data)
    decoded = decode(data, content_type="text/plain; charset=iso-8859-1")
    assert decoded.text == QUOTED
    assert decoded.encoding == "cp1252"
    assert len(decoded.notes) == 1
    assert decoded.notes[0].startswith("HTTP charset iso-8859-1 read as cp1252")


def test_us_ascii_label_on_8bit_bytes_is_windows_1252():
    decoded = decode(FRENCH.encode("cp1252"), content_type="text/plain; charset=us-ascii")
    assert decoded.text == FRENCH
    assert "HTTP charset us-ascii read as cp1252" in decoded.notes[0]


def test_header_under_which_bytes_are_invalid_is_overridden():
    data = QUOTED.encode("cp1252")
    decoded = decode(data, content_type="text/html; charset=utf-8")
    assert decoded.notes[0] == "HTTP charset utf-8 overridden: the bytes are not valid UTF-8"
    assert decoded.encoding != "utf-8"


def test_invalid_header_falls_back_to_an_agreeing_meta():
    data = _html(QUOTED, meta="windows-1252").encode("cp1252")
    decoded = decode(
        data, content_type="text/html; charset=utf-8", declared=charset_from_meta(data)
    )
    assert QUOTED in decoded.text
    assert decoded.encoding == "cp1252"
    assert decoded.notes == ("HTTP charset utf-8 overridden: the bytes are not valid UTF-8",)


def test_http_header_beats_meta_when_both_agree_with_the_bytes():
    # cp1251 vs koi8-r: both decode these bytes; the header is first in WHATWG order.
    data = _html(RUSSIAN, meta="koi8-r").encode("cp1251")
    found = declarations(
        data, declared=charset_from_meta(data), content_type="text/html; charset=windows-1251"
    )
    assert [d.source for d in found] == ["HTTP charset", "<meta> charset"]
    decoded = decode(
        data, declared=charset_from_meta(data), content_type="text/html; charset=windows-1251"
    )
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "cp1251"


def test_single_byte_header_that_garbles_the_text_is_overridden():
    decoded = decode(RUSSIAN.encode("cp1251"), content_type="text/html; charset=iso-8859-1")
    assert decoded.text == RUSSIAN
    assert decoded.encoding == "cp1251"
    assert "overridden: the bytes read as garbled text in cp1252" in decoded.notes[0]


def test_bom_beats_every_declaration():
    data = b"\xef\xbb\xbf" + QUOTED.encode("utf-8")
    decoded = decode(data, content_type="text/html; charset=iso-8859-1", declared="koi8-r")
    assert decoded.text == QUOTED
    assert decoded.encoding == "utf-8-sig"
    assert decoded.notes == (
        "HTTP charset iso-8859-1 ignored: the byte-order mark says utf-8",
        "declared charset koi8-r ignored: the byte-order mark says utf-8",
    )


def test_unknown_label_is_noted_and_ignored():
    decoded = decode(QUOTED.encode("utf-8"), content_type="text/html; charset=klingon-8")
    assert decoded.text == QUOTED
    assert decoded.notes == ("HTTP charset klingon-8 ignored: unknown charset label",)


def test_ascii_bytes_agree_with_any_ascii_compatible_label():
    decoded = decode(b"plain words\n", content_type="text/plain; charset=iso-8859-1")
    assert decoded.text == "plain words\n"
    assert decoded.notes == ()


def test_clean_passes_http_charset_and_surfaces_notes():
    cleaned = textmend.clean(
        QUOTED.encode("utf-8"), content_type="text/plain; charset=ISO-8859-1", html=False
    )
    assert cleaned.text == QUOTED
    assert cleaned.encoding == "utf-8"
    assert cleaned.notes == ["HTTP charset ISO-8859-1 overridden: the bytes are valid UTF-8"]


def test_clean_honours_meta_charset_of_html_bytes():
    data = _html(f"<article><p>{QUOTED}</p><p>{FRENCH}</p></article>", meta="ISO-8859-1")
    cleaned = textmend.clean(data.encode("cp1252"), url="http://example.test/a")
    assert "“quoted”" in cleaned.text
    assert "café" in cleaned.text
    assert cleaned.encoding == "cp1252"
    assert cleaned.notes[0].startswith("<meta> charset ISO-8859-1 read as cp1252")
