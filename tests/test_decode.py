"""textmend.decode and the legacy-encoding choice in textmend.charsets, on bytes made here."""

from __future__ import annotations

import codecs
import gzip
import random
from pathlib import Path

import pytest

from textmend import BinaryInputError, DecodeError, decode
from textmend.charsets import narrowest, sniff_encoding

REPO = Path(__file__).resolve().parents[1]


def load_short_western() -> tuple[str, ...]:
    """tests/data/short_western.txt: one sentence per line, # comments."""
    path = REPO / "tests" / "data" / "short_western.txt"
    lines = path.read_text("utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


SHORT_WESTERN = load_short_western()

# Legacy text in other scripts and regions: (text, codec it is stored in).
LEGACY = (
    ("Zażółć gęślą jaźń, powiedział wczoraj w Łodzi.", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
    ("Árvíztűrő tükörfúrógép és ő is eljött.", "cp1250"),
    ("Zażółć gęślą jaźń, powiedział wczoraj w Łodzi.", "iso8859-2"),
    ("Ağaç dalında şarkı söyleyen kuş uçtu.", "cp1254"),
    ("Labas rytas, kaip sekasi šiandien? Ačiū.", "cp1257"),
    ("Привет! Сегодня в Москве прошла встреча министров.", "cp1251"),
    ("Привет! Сегодня в Москве прошла встреча министров.", "koi8-r"),
    ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.", "cp1253"),
    ("กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "cp874"),
    ("今天上午，市政府召开新闻发布会，介绍了今年的交通计划。", "gb2312"),
    ("台北市今天天氣晴朗，許多民眾到河濱公園散步。", "big5"),
    ("東京では今朝から雨が降り続いており、午後には風も強まる見込みです。", "shift_jis"),
    ("東京では今朝から雨が降り続いており、午後には風も強まる見込みです。", "euc_jp"),
    ("서울시는 오늘 대중교통 요금 인상 계획을 발표했습니다.", "euc_kr"),
)


def is_mac_or_central(codec: str | None) -> bool:
    name = codecs.lookup(codec or "ascii").name
    return name.startswith("mac") or name in {"cp1250", "cp1258", "iso8859-2"}


def test_empty_input_is_empty_text() -> None:
    assert decode(b"").text == ""


@pytest.mark.parametrize(
    ("bom_codec", "text"),
    [
        ("utf-8-sig", "Ça va — “oui”"),
        ("utf-16", "Ça va — “oui” 你好"),
        ("utf-32", "Ça va — “oui” 你好"),
    ],
)
def test_byte_order_marks_decide(bom_codec: str, text: str) -> None:
    decoded = decode(text.encode(bom_codec))
    assert decoded.text == text
    assert decoded.confidence == 1.0


def test_utf16_be_with_bom() -> None:
    data = codecs.BOM_UTF16_BE + "Grüße aus Köln".encode("utf-16-be")
    decoded = decode(data)
    assert (decoded.text, decoded.encoding) == ("Grüße aus Köln", "utf-16-be")


def test_valid_utf8_is_utf8() -> None:
    text = "Néhány éve — India’s “prime minister” 你好"
    decoded = decode(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


def test_ascii_is_ascii() -> None:
    assert decode(b"plain old text\n").encoding == "ascii"


def test_invalid_utf8_is_not_read_as_utf8() -> None:
    data = "Café au lait, s’il vous plaît".encode("cp1252")
    decoded = decode(data)
    assert decoded.text == "Café au lait, s’il vous plaît"
    assert decoded.encoding == "cp1252"


def test_utf16_without_bom_of_mostly_ascii_text() -> None:
    text = "Hello, this is UTF-16 text without a byte-order mark. Grüße!"
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode(text.encode(codec)).text == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_sniff_recognises_wide_unicode_without_bom(codec: str) -> None:
    text = "我没有埋怨，蹉跎的只是一些时间。今天的天气很好，我们一起去公园散步吧。"
    assert sniff_encoding(text.encode(codec)) == codec


def test_sniff_recognises_iso2022() -> None:
    japanese = "東京では雨が降っています。"
    assert sniff_encoding(japanese.encode("iso2022_jp")) == "iso2022_jp"
    korean = "서울시는 오늘 계획을 발표했습니다."
    assert sniff_encoding(korean.encode("iso2022_kr")) == "iso2022_kr"


@pytest.mark.parametrize(
    "data",
    [
        b"Hello world, nothing special here.",
        "Café crème".encode("cp1252"),
        random.Random(7).randbytes(4000),
    ],
    ids=["ascii", "cp1252", "random-bytes"],
)
def test_sniff_leaves_other_bytes_alone(data: bytes) -> None:
    assert sniff_encoding(data) is None


@pytest.mark.parametrize("sentence", SHORT_WESTERN)
def test_short_western_text_is_cp1252_not_central_european_or_mac(sentence: str) -> None:
    decoded = decode(sentence.encode("cp1252"))
    assert decoded.text == sentence
    assert not is_mac_or_central(decoded.encoding), decoded.encoding


@pytest.mark.parametrize(("text", "codec"), LEGACY, ids=[codec for _, codec in LEGACY])
def test_legacy_text_in_other_regions_decodes(text: str, codec: str) -> None:
    assert decode(text.encode(codec)).text == text


def test_latin1_text_decodes_the_same_as_cp1252() -> None:
    text = "Ça va? Très bien, merci. À bientôt!"
    assert decode(text.encode("latin-1")).text == text


def test_narrowest_standard_is_preferred_to_vendor_extensions() -> None:
    plain = "今天的天气很好".encode("gbk")
    assert narrowest(plain, "gb18030") == "gb2312"
    extended = "今天的天氣很好，喆".encode("gbk")  # traditional forms are GBK-only
    assert narrowest(extended, "gb18030") == "gbk"
    assert narrowest("ｶﾀｶﾅと漢字".encode("cp932"), "cp932") == "shift_jis"
    assert narrowest("①②③".encode("cp932"), "shift_jis") == "cp932"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (gzip.compress(b"some text that was compressed " * 20), "gzip"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
        (random.Random(3).randbytes(4096), "binary"),
    ],
    ids=["png", "gzip", "pdf", "random"],
)
def test_binary_content_is_refused_whatever_the_name(data: bytes, what: str) -> None:
    with pytest.raises(BinaryInputError) as raised:
        decode(data)
    assert what in str(raised.value)


def test_binary_error_is_a_decode_error() -> None:
    assert issubclass(BinaryInputError, DecodeError)


def test_declared_charset_is_honoured_when_the_bytes_agree() -> None:
    text = "Привет, как дела?"
    decoded = decode(text.encode("koi8-r"), declared="koi8-r")
    assert (decoded.text, decoded.encoding) == (text, "koi8-r")
    decoded = decode(text.encode("cp1251"), content_type="text/html; charset=windows-1251")
    assert (decoded.text, decoded.encoding) == (text, "cp1251")


def test_declared_charset_is_overridden_by_valid_utf8() -> None:
    text = "Néhány éve — “quoted”"
    decoded = decode(text.encode("utf-8"), declared="iso-8859-1")
    assert decoded.text == text
    assert decoded.encoding == "utf-8"
    assert any("overridden" in note for note in decoded.notes)


def test_declared_charset_the_bytes_cannot_be_is_overridden() -> None:
    text = "今天上午，市政府召开新闻发布会，介绍了今年城市交通改善计划的主要内容。"
    decoded = decode(text.encode("gb18030"), declared="shift_jis")
    assert decoded.text == text
    assert decoded.notes
