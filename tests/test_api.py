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


def test_stage_clock_is_told_each_stage_by_the_pipeline_itself() -> None:
    from textmend.pipeline import STAGES, StageClock, timing_stages

    ticks = iter(range(1000))
    clock = StageClock(clock=lambda: float(next(ticks)))
    data = b"<p>Body text here.</p>\nAdvertisement\n"
    with timing_stages(clock):
        timed = textmend.clean(data, html=False)
        timed_html = textmend.clean(
            b"<html><body><p>" + b"Body text. " * 30 + b"</p></body></html>"
        )
    # Every call of the clock after start() is one tick: each stage passed once per
    # document, HTML extraction only for the HTML one.
    assert clock.seconds == {stage: 1.0 if stage == "html" else 2.0 for stage in STAGES}
    untimed = textmend.clean(data, html=False)
    assert (timed.text, timed.to_dict()) == (untimed.text, untimed.to_dict())
    assert timed_html.text.startswith("Body text.")
    after = dict(clock.seconds)
    textmend.clean(data)  # outside the with: the clock is no longer told
    assert clock.seconds == after
