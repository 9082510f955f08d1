"""``ftfyfix.fix_and_explain`` gives exactly ftfy's ``fix_and_explain`` answers.

The driver runs ftfy's own steps in ftfy 6.3's order with textmend's remembered badness
verdict; any difference in the fixed text or in the explanation (which names the damage
in textmend's findings) is a bug. Checked on damage made here from sentences in many
scripts by every single-byte code page ftfy knows (once and twice, with lost bytes, with
no-break spaces turned into spaces, embedded in clean text, C1 controls), on random
mixtures of the characters mojibake is made of, and on ftfy's own test cases when
``../shared`` is present.
"""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textmend import ftfyfix
from textmend.ftfyfix import FTFY_CONFIG, FTFY_LOSSY_CONFIG, fix_and_explain

PEER_CASES = Path(__file__).resolve().parents[2] / "shared" / "peers" / "ftfy"

SENTENCES = [
    "India’s delegation — led by the foreign secretary — arrived “late” on Monday…",
    "Café owners said business had been slow; prices rose 5 % to €3, a ‘rare’ step.",
    "Néhány éve a város főterén új szökőkutat építettek. Zażółć gęślą jaźń.",
    "Привет, как дела? Сегодня в Москве — 21 °C, сказал Žižek.",
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας· «προϊόν».",
    "Türkçe metin: İstanbul’da ağır şartlar; Ørsted à la carte, naïve coöperation.",
    "Lietuvių kalba: ąčęėįšųūž. Latviešu: āčēģīķļņšūž. Eesti: õäöü.",
    "中文新聞：今天天氣很好。日本語の文章です。한국어 문장입니다。",
    "Emoji 😀 and symbols ™ © ® ± × ÷ ¶ § • ‰ ‹ › ¡ ¿ ½ in one line.",
]
# The single-byte code pages ftfy reads mojibake through, by Python's names.
READ_AS = ["cp1252", "latin-1", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257"]
READ_AS += ["iso-8859-2", "mac_roman", "cp437"]
# Bytes cp1252 leaves undefined: a decoder with errors="replace" turns them into U+FFFD.
LOST_IN_CP1252 = b"\x81\x8d\x8f\x90\x9d"


def _damaged_lines() -> list[str]:
    lines: list[str] = []
    for sentence in SENTENCES:
        data = sentence.encode("utf-8")
        for codec in READ_AS:
            once = data.decode(codec, "replace")
            lines.append(once)
            lines.append(once.replace("\xa0", " "))  # a no-break space became a space
            lines.append(f"{sentence} {once}")  # damage embedded in clean text
            lines.append(once.encode("utf-8").decode(codec, "replace"))  # twice
            lines.append(once.replace("\ufffd", "?"))
            lines.append(once.replace("\ufffd", ""))
        lines.append(data.decode("latin-1").encode("latin-1").decode("cp1252", "replace"))
        lines.append("".join(chr(byte) if byte in LOST_IN_CP1252 else "" for byte in data))
        half = len(sentence) // 2
        lines.append(sentence[:half] + sentence[half:].encode("utf-8").decode("cp1252", "replace"))
    lines += ["", "plain ASCII", "\x80\x93\x94 C1 controls \x85", "a \ud800 lone surrogate"]
    lines += ["\ud83d\ude00 a surrogate pair", "sÃ³ voilÃ le travail", "Ã\xa0 Ã  Ã\n"]
    return lines


def _ftfy(text: str, lossy: bool) -> tuple[str, list[tuple[str, str]]]:
    fixed = ftfy.fix_and_explain(text, config=FTFY_LOSSY_CONFIG if lossy else FTFY_CONFIG)
    return fixed.text, list(fixed.explanation or [])


def _assert_same(text: str) -> None:
    for lossy in (False, True):
        ftfyfix.is_bad.cache_clear()
        assert fix_and_explain(text, lossy=lossy) == _ftfy(text, lossy), (text, lossy)


def test_the_driver_follows_this_ftfy_release() -> None:
    assert ftfyfix._DRIVEN, f"ftfy {ftfy.__version__}: check the driver against its release"


@pytest.mark.parametrize("text", _damaged_lines())
def test_damage_is_fixed_and_explained_as_ftfy_does(text: str) -> None:
    _assert_same(text)


MOJIBAKE_PIECES = list("ÃâÂ€™œ¢ž©®±³¹º»¼½¾¿ÅÐÑÒÓÔÕÖ×ØÙ鈥檚\x80\x81\x8d\x9d\x93\x94\ufffd\x1a")
MOJIBAKE_PIECES += ["\xa0", "Ã©", "â€œ", "â€", "Ã ", "Ð¿Ñ€", "Ã\x83Â©", "ï»¿", "Ã¶", "\ud800"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([*MOJIBAKE_PIECES, "a", " ", "Ab.", "\n"]), max_size=12))
def test_mixtures_of_mojibake_characters_are_fixed_as_ftfy_does(pieces: list[str]) -> None:
    _assert_same("".join(pieces))


def test_ftfy_own_cases_are_fixed_as_ftfy_does() -> None:
    if not PEER_CASES.is_dir():
        pytest.skip("../shared/peers/ftfy is not present")
    cases = [
        case
        for path in sorted(PEER_CASES.glob("*.json"))
        for case in json.loads(path.read_text(encoding="utf-8"))
    ]
    assert len(cases) > 150
    for case in cases:
        _assert_same(case["original"])


def test_another_ftfy_release_gets_ftfy_own_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftfyfix, "_DRIVEN", False)
    for text in _damaged_lines()[:40]:
        for lossy in (False, True):
            assert fix_and_explain(text, lossy=lossy) == _ftfy(text, lossy)


def test_stretches_are_read_through_one_code_page() -> None:
    # месяц read as cp1257 with its с dropped: ftfy's stretch step reads ``Š¼Šµ`` through
    # cp1257 and ``Ń¸Ń†`` through cp1250, tried first (¸ is B8 there: Ѹ, D1 B8); cp1257
    # reads both (¸ is 8F: я). The lost byte's ``Ń`` is left for the inference.
    damaged = "месяц".encode().decode("cp1257", "ignore")
    assert fix_and_explain(damaged)[0] == "меŃѸц"  # ftfy's reading
    assert ftfyfix.one_code_page_stretches(damaged) == ("меŃяц", "sloppy-windows-1257")
    # Read through one code page already: named where it is not Western (the step names
    # none), left to the step where it is.
    damaged = "пустой файл".encode().decode("cp1257", "replace")
    reread = ftfyfix.one_code_page_stretches(damaged)
    assert reread is not None and reread[1] == "sloppy-windows-1257"
    assert "файл" in reread[0]
    assert ftfyfix.one_code_page_stretches("CafÃ© Ã©tÃ� dÃ©jÃ ") is None
    # No code page reads every stretch: the step's reading stands.
    assert ftfyfix.one_code_page_stretches("Ã©tÃ© Š¼Šµ") is None
