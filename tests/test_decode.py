"""textmend.decode and the legacy-encoding choice in textmend.charsets, on bytes made here."""

from __future__ import annotations

import codecs
import gzip
import random
from pathlib import Path

import pytest

from textmend import BinaryInputError, Decoded, DecodeError, charsets, decode
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


# cp1252 news text with apostrophes inside words and dashes between spaces, written for
# textmend: (paragraph, how many times the article repeats it). The bytes of ’ — “ ” are
# í ó ì î in mac-iceland, letters that cost less than the marks once did, so such articles
# were read as Mac pages, the more surely the longer they were.
WESTERN_TYPOGRAPHY = (
    ("India’s delegation — led by the foreign secretary — arrived late on Monday.", 3),
    ("It’s what we’ve said all along — they’re late, and she’ll say they’d won’t go.", 1),
    ("The council’s budget — approved on Tuesday — doesn’t cover the city’s schools.", 1),
    ("“We’re not finished,” the mayor’s spokesman said — and he didn’t smile.", 6),
    ("Brazil’s central bank — under pressure from the government — held rates at 10.5%.", 3),
    ("The company’s shares fell 4% — the steepest drop since 2020–2021 — after the report.", 3),
    ("Europe’s leaders met in Brussels — again — as the bloc’s café owners protested.", 6),
    ("L’équipe d’Italia n’a pas joué — c’est la première fois qu’il pleut.", 6),
)

# Text really stored in a DOS or Mac code page, written for textmend: (paragraph, codec,
# repeats). Their accented letters are cp1252 punctuation in odd places (canci—n, sch”n,
# Hab’a) or invalid cp1252 bytes, and they must keep their own reading.
MAC_DOS = (
    ("El presidente dijo que la política económica del país está en buen camino.", "mac-roman", 8),
    ("Él llegó a Málaga el miércoles por la mañana, según la información oficial.", "mac-roman", 1),
    ("Die Bürger äußerten ihre Sorge über die Schließung der Schule.", "mac-roman", 8),
    ("O governo anunciou ontem as novas medidas para a educação e a saúde.", "mac-roman", 1),
    ("Le ministre a déclaré à la presse qu'il était très déçu par la décision.", "mac-roman", 8),
    ("Ríkisstjórnin kynnti í dag nýjar aðgerðir í efnahagsmálum þjóðarinnar.", "mac-iceland", 8),
    ("Die Bürger äußerten ihre Sorge über die Schließung der Schule.", "cp437", 1),
    ("Der Bär öffnet schön früh.", "cp437", 8),
    ("Él llegó a Málaga el miércoles por la mañana.", "cp437", 8),
    ("Le ministre a déclaré à la presse qu'il était très déçu.", "cp437", 1),
    ("El presidente dijo que la política económica del país está en buen camino.", "cp850", 1),
    ("Le ministre a déclaré à la presse qu'il était très déçu.", "cp850", 8),
    ("Die Bürger äußerten ihre Sorge über die Schließung der Schule.", "cp850", 8),
)

# The Latin choice itself, with every Mac and DOS page charset-normalizer may name among
# the candidates (whichever it names for a given text): (paragraph, codec, repeats).
_MAC_DOS_NAMES = ("mac-roman", "mac-iceland", "mac-latin2", "mac-turkish", "cp437", "cp850")
LATIN_CHOICE = (
    ("India’s delegation — led by the foreign secretary — arrived late on Monday.", "cp1252", 10),
    ("It’s what we’ve said: they’re late, and she’ll say they’d go — or won’t.", "cp1252", 1),
    ("Café owners said business was slow. India’s delegation — led by the minister.", "cp1252", 10),
    ("The 2010–2012 figures ‘surprised’ O’Brien’s team — again.", "cp1252", 10),
    ("Le naïf maître d’hôtel a reçu l’invité à l’entrée — très “poli”.", "cp1252", 10),
    # Spanish í is ’ in cp1252, but not in the shape of an English or French apostrophe.
    ("Había mucha gente en la plaza y la policía vigilaba cada esquina.", "mac-roman", 10),
    ("La reunión de los ministros terminó sin acuerdo; la oposición pidió más.", "mac-roman", 1),
    ("È così: la città è più bella di sera, perché è tranquilla.", "mac-roman", 10),
    ("Die Bürger äußerten ihre Sorge über die Schließung der Schule.", "cp437", 10),
    ("El presidente dijo que la política económica del país está en buen camino.", "cp850", 10),
)

# Where the Latin choice credits typographic marks: (text, marks in their usual places).
PLACED_PUNCTUATION = (
    ("India’s, won’t, we’ve, they’re, she’ll, I’d, I’m", 7),
    ("l’homme, d’après, qu’il, jusqu’ici, O’Brien", 5),
    ("left — right – centre, 2010–2012", 3),
    ("“quoted” and ‘quoted’", 4),
    ("“open only", 0),
    ("Hab’a, polic’a, aqu’ ya", 0),  # mac-roman í read as cp1252
    ("canci—n, sch”n, M„rz, word—word", 0),  # Mac and DOS letters read as cp1252
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


@pytest.mark.parametrize(("paragraph", "repeats"), WESTERN_TYPOGRAPHY)
def test_western_typography_is_cp1252_not_mac(paragraph: str, repeats: int) -> None:
    article = "\n\n".join([paragraph] * repeats) + "\n"
    decoded = decode(article.encode("cp1252"))
    assert decoded.text == article
    assert not is_mac_or_central(decoded.encoding), decoded.encoding


@pytest.mark.parametrize(("paragraph", "codec", "repeats"), MAC_DOS)
def test_mac_and_dos_text_keeps_its_reading(paragraph: str, codec: str, repeats: int) -> None:
    text = (paragraph + "\n") * repeats
    assert decode(text.encode(codec)).text == text


@pytest.mark.parametrize(("paragraph", "codec", "repeats"), LATIN_CHOICE)
def test_latin_choice_with_mac_and_dos_candidates(paragraph: str, codec: str, repeats: int) -> None:
    data = ((paragraph + "\n") * repeats).encode(codec)
    chosen = charsets._choose_latin(data, _MAC_DOS_NAMES)
    assert chosen is not None
    assert data.decode(chosen[0]) == data.decode(codec), chosen


@pytest.mark.parametrize(("text", "placed"), PLACED_PUNCTUATION)
def test_placed_punctuation(text: str, placed: int) -> None:
    assert charsets._placed_punctuation(text) == placed


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


def _detector_choice(data: bytes) -> str | None:
    """What the charset-normalizer path alone would choose for ``data``."""
    from charset_normalizer import from_bytes

    return charsets.choose_legacy_encoding(data, from_bytes(data))[0]


# Every text above in every Latin code page it fits and in the other scripts' code pages:
# the shortcut past the detector must either decline or read the bytes as the detector
# path does.
_SHORTCUT_TEXTS = (
    *(text for text, _ in LEGACY),
    *(paragraph * repeats for paragraph, repeats in WESTERN_TYPOGRAPHY),
    *((paragraph + "\n") * repeats for paragraph, _, repeats in MAC_DOS),
    *((paragraph + "\n") * repeats for paragraph, _, repeats in LATIN_CHOICE),
    *SHORT_WESTERN,
)
_SHORTCUT_CODECS = (
    *charsets.LATIN_CODECS,
    *_MAC_DOS_NAMES,
    "cp852",
    "cp775",
    "cp1251",
    "koi8-r",
    "cp1253",
    "cp874",
    "gb2312",
    "big5",
    "shift_jis",
    "euc_kr",
)


_OTHER_SCRIPTS = frozenset(_SHORTCUT_CODECS[len(charsets.LATIN_CODECS) + len(_MAC_DOS_NAMES) + 2 :])


@pytest.mark.parametrize("codec", _SHORTCUT_CODECS)
def test_western_shortcut_reads_the_bytes_as_the_detector_path_does(codec: str) -> None:
    for text in _SHORTCUT_TEXTS:
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        if data.isascii():
            continue
        shortcut = charsets.western_without_detector(data)
        if shortcut is None:
            continue
        detector = _detector_choice(data)
        assert detector is not None
        assert data.decode(shortcut[0]) == data.decode(detector), (codec, text[:60])
        if codec in _OTHER_SCRIPTS:
            # Only Western text these code pages share with cp1252 (’ and — are the same
            # bytes in cp1251), never text in their own script.
            assert data.decode(shortcut[0]) == text, (codec, text[:60])
            assert text.encode("cp1252") == data


def test_western_shortcut_takes_plain_western_articles_and_leaves_mac_pages() -> None:
    for paragraph, repeats in WESTERN_TYPOGRAPHY:
        article = "\n\n".join([paragraph] * repeats) + "\n"
        assert charsets.western_without_detector(article.encode("cp1252")) is not None, paragraph
    for sentence in (
        "Le naïf maître d’hôtel a reçu l’invité à la réunion de ce matin.",
        "Die Bürger der Stadt äußerten am Montag ihre Sorge über die Schließung der Schule.",
    ):
        shortcut = charsets.western_without_detector(sentence.encode("cp1252"))
        assert shortcut is not None and shortcut[0] == "cp1252", sentence
    for paragraph, codec, repeats in MAC_DOS:
        data = ((paragraph + "\n") * repeats).encode(codec)
        shortcut = charsets.western_without_detector(data)
        assert shortcut is None or data.decode(shortcut[0]) == data.decode(codec), paragraph


# --- the fast path for undeclared ASCII/UTF-8 bytes gives what the full path gives --------

_PIECES = [
    b"Plain ASCII words. ",
    "caf\u00e9 \u201cquoted\u201d \u2014 \u4e2d\u6587 \U0001f600 ".encode(),
    "caf\u00e9".encode("cp1252"),
    "\u0421\u0435\u0433\u043e\u0434\u043d\u044f".encode("cp1251"),
    "\u65e5\u672c\u8a9e".encode("iso2022_jp"),
    "\u65e5\u672c\u8a9e".encode("shift_jis"),
    b"\n",
    b"\r\n",
    b"\t",
    b"\x0c",
    b"\x1b",
    b"\x00",
    b"\x01",
    b"\x7f",
    b"\xff",
    b"\x80",
]
_STARTS = [b"", b"MZ", b"PK\x03\x04", b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe", b"B", b"%PDF-"]


def _fast_path_cases() -> list[bytes]:
    rng = random.Random(5)
    cases = [start + piece for start in _STARTS for piece in _PIECES]
    for _ in range(3000):
        body = b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        cases.append(rng.choice(_STARTS) + body)
    text = "Caf\u00e9 \u201cnews\u201d, \u4e2d\u6587.\n" * 4
    cases += [text.encode(codec) for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-8")]
    return cases


@pytest.mark.parametrize("start", [0, 1000, 2000, 3000])
def test_the_plain_text_shortcut_decodes_as_the_full_path(start: int) -> None:
    from textmend.decode import _decode_in_full

    for data in _fast_path_cases()[start : start + 1000]:
        if not data:
            continue
        try:
            expected: Decoded | str = _decode_in_full(data, declared=None, content_type=None)
        except DecodeError as exc:
            expected = f"{type(exc).__name__}: {exc}"
        try:
            got: Decoded | str = decode(data)
        except DecodeError as exc:
            got = f"{type(exc).__name__}: {exc}"
        assert got == expected, data
