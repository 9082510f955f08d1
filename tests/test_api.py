"""The public API: clean, decode, detect, and the Cleaned record."""

from __future__ import annotations

import codecs

import pytest

import textmend
from textmend.errors import BinaryInputError


def test_clean_bytes_reports_encoding_findings_and_removed_lines() -> None:
    data = "Headline\nIndia鈥檚 economy grew.\nAdvertisement\nMore text here.\n".encode()
    cleaned = textmend.clean(data)
    assert cleaned.text == "Headline\nIndia’s economy grew.\nMore text here.\n"
    assert cleaned.encoding == "utf-8"
    assert [(f.line, f.original) for f in cleaned.findings] == [(2, "鈥檚")]
    assert [(r.line, r.text, r.category) for r in cleaned.removed] == [
        (3, "Advertisement", "advertisement")
    ]
    assert cleaned.changed


def test_clean_str_has_no_encoding() -> None:
    cleaned = textmend.clean("Just text.")
    assert cleaned.encoding is None
    assert cleaned.text == "Just text.\n"
    assert not cleaned.changed


def test_keep_boilerplate_option() -> None:
    cleaned = textmend.clean(
        "Body.\nAdvertisement\n", options=textmend.Options(remove_boilerplate=False)
    )
    assert cleaned.text == "Body.\nAdvertisement\n"
    assert cleaned.removed == []


def test_decode_prefers_bom_then_utf8() -> None:
    assert textmend.decode(codecs.BOM_UTF8 + "é".encode()).text == "é"
    decoded = textmend.decode("Größe".encode("utf-16"))
    assert decoded.text == "Größe"
    assert decoded.encoding.startswith("utf-16")
    assert textmend.decode("Größe".encode()).encoding == "utf-8"


def test_decode_cp1252_file() -> None:
    text = "“Café” costs 5 € – naïve Größe déjà vu, très élégant."
    decoded = textmend.decode(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding == "cp1252"


def test_decode_refuses_binary() -> None:
    with pytest.raises(BinaryInputError):
        textmend.decode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(BinaryInputError):
        textmend.decode(bytes(range(256)) * 8)


def test_errors_are_textmend_errors() -> None:
    assert issubclass(BinaryInputError, textmend.TextmendError)


def test_detect_does_not_change_anything() -> None:
    text = "India鈥檚"
    findings = textmend.detect(text)
    assert text == "India鈥檚"
    assert findings[0].replacement == "’s"


def test_output_layout() -> None:
    cleaned = textmend.clean("\ufeffLine one   \r\n\r\n\r\n\r\nLine two\t\r\n\n\n")
    assert cleaned.text == "Line one\n\nLine two\n"
