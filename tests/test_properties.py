"""Property tests (hypothesis) over the public API: proven repairs, idempotence, totality,
and that injected boilerplate costs no line of the article.

Damage is produced the way it happens in the wild: clean text encoded with one codec and
read back with another, once or twice (``utf-8 read as gbk, then utf-8 read as
windows-1252``). Every lossless finding names that chain in its ``kind``; re-applying the
chain to its ``replacement`` must give back its ``original`` character for character. Only
findings marked ``inferred`` (a byte was lost, the character is a guess) are exempt, and
``--strict`` refuses those.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import textmend
from textmend.cli import cli
from textmend.errors import BinaryInputError, TextmendError
from textmend.models import Finding
from textmend.repair import fix
from textmend.settings import Options

REGRESSIONS = Path(__file__).resolve().parent / "regressions"

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Clean article sentences, by script. Each is prose by the boilerplate filter's measure
# (long enough, with stop words or a sentence end), so it must always survive.
SENTENCES = {
    "english": [
        "India’s prime minister said the talks were “very good” — and would go on.",
        "The ministers met on Tuesday and agreed that the ceasefire should hold for now.",
        "Officials said the new rules, which take effect in May, were long overdue.",
    ],
    "french": [
        "Le café est très apprécié à Paris, a déclaré la ministre à la presse étrangère.",
        "Les élèves ont reçu leurs résultats après une année scolaire très difficile.",
    ],
    "german": [
        "Die Straße über die Brücke nach Köln wird für die nächsten Wochen gesperrt.",
        "Der Bürgermeister sagte, dass die Gebühren im nächsten Jahr steigen würden.",
    ],
    "spanish": ["El niño comió piña por la mañana y después se fue a la escuela con su tía."],
    "polish": ["Rząd ogłosił, że nowe przepisy wejdą w życie w przyszłym miesiącu, jak podano."],
    "turkish": ["Türkiye'nin başkenti Ankara'dır ve şehir her yıl daha da büyüyor, dedi."],
    "russian": [
        "Президент заявил, что переговоры будут продолжены на следующей неделе в Москве.",
        "Министр сказал, что новые правила вступят в силу уже в этом году.",
    ],
    "greek": ["Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία και την ενέργεια σήμερα."],
    "chinese": [
        "中国外交部发言人表示，双方将继续保持密切沟通，共同推动地区和平与稳定。",
        "据新华社报道，今年上半年全国经济运行总体平稳，主要指标好于预期。",
    ],
    "japanese": ["日本政府は新しい経済対策を発表し、物価高への対応を急ぐ方針を示しました。"],
    "korean": ["정부는 새로운 경제 정책을 발표했으며 다음 달부터 시행할 예정이라고 밝혔다."],
}
ALL_SENTENCES = [s for group in SENTENCES.values() for s in group]

# One-layer damage: (encoded, read_as). Legacy double-byte text read as a Western codec
# applies only to text in that script.
UTF8_READINGS = [
    "cp1252", "latin_1", "gbk", "gb18030", "cp932", "euc_jp", "big5", "cp949", "cp1251",
    "cp1250", "cp1253", "cp1254", "cp1257", "koi8_r", "mac_roman", "cp437",
]  # fmt: skip
LEGACY_READINGS = {
    "chinese": [("gbk", "cp1252"), ("gbk", "latin_1"), ("big5", "cp1252")],
    "japanese": [("cp932", "cp1252"), ("euc_jp", "cp1252")],
    "korean": [("cp949", "cp1252")],
    "russian": [("cp1251", "cp1252"), ("koi8_r", "cp1251"), ("koi8_r", "cp1252")],
    "greek": [("cp1253", "cp1252")],
}
# Single-byte Windows codecs leave some bytes undefined; browsers and ftfy read those as the
# C1 control character of the same value ("sloppy" decoding), and so does real damage.
_SLOPPY = re.compile(r"^(?:cp|windows-?)12\d\d$")

_CHAIN_STEP = re.compile(r"^(?P<encoded>[\w-]+) read as (?P<read_as>[\w-]+)$")
_REPEAT = re.compile(r"^(?P<step>.+), (?:twice|(?P<times>\d+) times)$")


def read_as(data: bytes, codec: str) -> str:
    """``data`` decoded with ``codec`` as damage does it (sloppy for Windows codecs)."""
    if _SLOPPY.match(codec.replace("_", "-")):
        out = []
        for byte in data:
            try:
                out.append(bytes([byte]).decode(codec))
            except UnicodeDecodeError:
                out.append(chr(byte))
        return "".join(out)
    return data.decode(codec)


def damage(text: str, encoded: str, reading: str) -> str | None:
    """``text`` encoded as ``encoded`` and read as ``reading``; None when impossible."""
    try:
        return read_as(text.encode(encoded), reading)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def parse_chain(kind: str) -> list[tuple[str, str]] | None:
    """The damage steps a finding's kind names, in the order they happened; None when the
    kind is not a pure codec chain (control characters, NFC, ftfy's other fixes)."""
    steps: list[tuple[str, str]] = []
    for part in kind.split(", then "):
        repeat = _REPEAT.match(part)
        times = 1
        if repeat:
            part = repeat["step"]
            times = int(repeat["times"]) if repeat["times"] else 2
        match = _CHAIN_STEP.match(part)
        if match is None:
            return None
        steps.extend([(match["encoded"], match["read_as"])] * times)
    return steps


def redamage(text: str, chain: list[tuple[str, str]]) -> str | None:
    for encoded, reading in chain:
        damaged = damage(text, encoded, reading)
        if damaged is None:
            return None
        text = damaged
    return text


def unproven(findings: list[Finding], text: str = "") -> list[tuple[Finding, str | None]]:
    """Lossless findings whose chain does not give their original back (should be []).

    With ``text`` (the repaired input), a finding whose span was cut short is accepted
    when extending it by up to three following, unchanged characters makes it round-trip:
    the repair is proven, only the reported span is too narrow (KNOWN BUG in repair.py's
    diff of ftfy's result, see tests/regressions/split-span-double-cp1252.json, xfail
    strict).
    """
    lines = text.split("\n")
    bad = []
    for finding in findings:
        if finding.inferred:
            continue
        chain = parse_chain(finding.kind)
        if chain is None:
            continue
        again = redamage(finding.replacement, chain)
        if again == finding.original:
            continue
        if text and finding.original and _proven_with_following(finding, chain, lines):
            continue
        bad.append((finding, again))
    return bad


def _proven_with_following(
    finding: Finding, chain: list[tuple[str, str]], lines: list[str]
) -> bool:
    line = lines[finding.line - 1] if finding.line <= len(lines) else ""
    end = finding.column - 1 + len(finding.original)
    if line[finding.column - 1 : end] != finding.original:
        return False
    for extra in range(1, 4):
        following = line[end : end + extra]
        if len(following) < extra:
            return False
        if redamage(finding.replacement + following, chain) == finding.original + following:
            return True
    return False


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[str], str]:
    """(lines, language of each line joined) of a small clean article."""
    languages = draw(st.lists(st.sampled_from(sorted(SENTENCES)), min_size=1, max_size=2))
    lines = [
        draw(st.sampled_from(SENTENCES[draw(st.sampled_from(languages))]))
        for _ in range(draw(st.integers(1, 5)))
    ]
    return lines, ",".join(languages)


@st.composite
def chains(draw: st.DrawFn, languages: str) -> list[tuple[str, str]]:
    options = [("utf-8", reading) for reading in UTF8_READINGS]
    if "," not in languages:
        options += LEGACY_READINGS.get(languages, [])
    first = draw(st.sampled_from(options))
    if first[0] != "utf-8" or draw(st.booleans()):
        # A legacy layer under a UTF-8 layer is not undone in one pass yet
        # (regressions/legacy-under-utf8-layer-greek.json).
        return [first]
    second = draw(st.sampled_from([("utf-8", "cp1252"), ("utf-8", "latin_1"), first]))
    return [first, second]


@st.composite
def damaged_documents(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, str]]]:
    """(clean text, damaged text, chain): some or all lines damaged by the same chain."""
    lines, languages = draw(documents())
    chain = draw(chains(languages))
    hit = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    damaged_lines = []
    for line, is_hit in zip(lines, hit, strict=True):
        broken = redamage(line, chain) if is_hit or not any(hit) else line
        assume(broken is not None)
        assert broken is not None
        damaged_lines.append(broken)
    separator = draw(st.sampled_from(["\n", "\n\n"]))
    return separator.join(lines) + "\n", separator.join(damaged_lines) + "\n", chain


# --- proven repairs ------------------------------------------------------------------------


@settings(PROPERTY_SETTINGS, derandomize=True)
@given(damaged_documents())
@example(("India’s “friends”\n", "India鈥檚 鈥渇riends鈥漒n", [("utf-8", "gbk")]))
def test_every_lossless_finding_is_proven_by_its_chain(
    case: tuple[str, str, list[tuple[str, str]]],
) -> None:
    _clean, damaged, _chain = case
    for allow_inferred in (True, False):
        repaired = fix(damaged, allow_inferred=allow_inferred)
        assert unproven(repaired.findings, damaged) == []
        if not allow_inferred:
            assert not any(f.inferred for f in repaired.findings)


@PROPERTY_SETTINGS
@given(documents(), st.sampled_from(["gbk", "cp932", "big5", "cp949", "cp1252"]))
def test_lost_bytes_are_only_ever_inferred_findings(
    doc: tuple[list[str], str], reading: str
) -> None:
    """Damage that loses bytes (undecodable sequences replaced): whatever the engine
    changes is either proven by its chain or marked inferred; --strict infers nothing."""
    lines, _ = doc
    damaged = "\n".join(lines).encode("utf-8").decode(reading, errors="replace") + "\n"
    lenient = fix(damaged)
    assert unproven(lenient.findings, damaged) == []
    for finding in lenient.findings:
        if finding.inferred:
            assert "inferred" in finding.kind or "lost" in finding.kind
            assert 0 < finding.confidence < 1
    strict = fix(damaged, allow_inferred=False)
    assert unproven(strict.findings, damaged) == []
    assert not any(f.inferred for f in strict.findings)


def test_the_chain_checker_can_fail() -> None:
    """The oracle itself: a wrong replacement or a wrong chain is caught."""
    good = Finding(1, 1, "utf-8 read as gbk", "鈥檚", "’s", 0.99)
    assert unproven([good]) == []
    assert unproven([Finding(1, 1, "utf-8 read as gbk", "鈥檚", "'s", 0.99)]) != []
    assert unproven([Finding(1, 1, "utf-8 read as cp1252", "鈥檚", "’s", 0.99)]) != []
    twice = Finding(1, 1, "utf-8 read as cp1252, twice", "Ã¢â‚¬â„¢", "’", 0.99)
    assert unproven([twice]) == []
    assert parse_chain("utf-8 read as gbk, then utf-8 read as windows-1252") == [
        ("utf-8", "gbk"),
        ("utf-8", "windows-1252"),
    ]


def test_findings_are_checked_not_skipped() -> None:
    """The property above is not vacuous: on a fixed sample of chains the engine makes
    lossless findings that name a parseable chain, and all of them are proven."""
    checked = 0
    for text in ALL_SENTENCES:
        for reading in ("cp1252", "gbk", "cp1251", "latin_1"):
            damaged = damage(text, "utf-8", reading)
            if damaged is None:
                continue
            findings = fix(damaged).findings
            assert unproven(findings, damaged) == []
            checked += sum(1 for f in findings if not f.inferred and parse_chain(f.kind))
    assert checked >= 20


LOST_BYTE_TEXT = "India鈥檚 leader called them 鈥渧ery good friends鈥 and left.\n"


def test_check_strict_refuses_inferred_changes(tmp_path: Path) -> None:
    """The closing quote lost its last byte: only an inference can restore it. `check`
    reports the inferred change; `check --strict` does not; `clean --strict` keeps it."""
    lenient = fix(LOST_BYTE_TEXT)
    assert any(f.inferred for f in lenient.findings)
    source = tmp_path / "article.txt"
    source.write_text(LOST_BYTE_TEXT, encoding="utf-8")
    runner = CliRunner()
    normal = runner.invoke(cli, ["check", str(source)])
    strict = runner.invoke(cli, ["check", "--strict", str(source)])
    assert normal.exit_code == strict.exit_code == 1
    assert "(lost byte inferred)" in normal.stdout or "lost in decoding" in normal.stdout
    assert "inferred" not in strict.stdout and "lost in decoding" not in strict.stdout
    assert strict.stdout.count("\n") == sum(1 for f in lenient.findings if not f.inferred)
    out = tmp_path / "out.txt"
    assert runner.invoke(cli, ["clean", "--strict", str(source), "-o", str(out)]).exit_code == 0
    assert out.read_text("utf-8") == fix(LOST_BYTE_TEXT, allow_inferred=False).text


# --- idempotent and total ------------------------------------------------------------------

# Arbitrary text without lone surrogates (those cannot come from decoded bytes; they are
# covered by the regression cases below).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


DAMAGED_TEXT = damaged_documents().map(lambda case: case[1])


@PROPERTY_SETTINGS
@given(DAMAGED_TEXT)
def test_repair_is_idempotent_on_damaged_articles(text: str) -> None:
    once = textmend.repair(text)
    assert textmend.repair(once) == once


@PROPERTY_SETTINGS
@given(DAMAGED_TEXT)
def test_clean_on_its_own_output_changes_nothing(text: str) -> None:
    first = textmend.clean(text)
    second = textmend.clean(first.text)
    assert second.text == first.text
    assert second.findings == [] and second.removed == []


# Arbitrary Unicode: where a repair engine is most tempted to read its own output as new
# damage. A fixed example sequence (derandomize) keeps the run reproducible.
ARBITRARY = settings(PROPERTY_SETTINGS, derandomize=True, max_examples=300)


@ARBITRARY
@given(TEXT)
def test_repair_is_idempotent_on_arbitrary_text(text: str) -> None:
    once = textmend.repair(text)
    assert textmend.repair(once) == once


@ARBITRARY
@given(TEXT)
def test_clean_is_idempotent_on_arbitrary_text(text: str) -> None:
    first = textmend.clean(text)
    assert textmend.clean(first.text).text == first.text


@PROPERTY_SETTINGS
@given(st.binary(max_size=600), st.sampled_from([None, True, False]))
def test_bytes_raise_only_textmend_errors(data: bytes, html: bool | None) -> None:
    with contextlib.suppress(TextmendError):
        textmend.decode(data)
    try:
        cleaned = textmend.clean(data, html=html)
    except TextmendError:
        return
    assert cleaned.text == "" or cleaned.text.endswith("\n")
    cleaned.text.encode("utf-8")  # writable as UTF-8


@PROPERTY_SETTINGS
@given(st.text(max_size=300), st.booleans())
def test_text_raises_only_textmend_errors(text: str, strict: bool) -> None:
    options = Options(allow_inferred=not strict)
    try:
        textmend.repair(text)
        textmend.detect(text)
        textmend.clean(text, options=options)
    except TextmendError:
        pass


# --- injected boilerplate costs no article line --------------------------------------------

BOILERPLATE_LINES = [
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Copyright © 2024 Example News. All rights reserved.",
    "Please read our comment policy before commenting.",
]


@PROPERTY_SETTINGS
@given(damaged_documents(), st.data())
def test_injected_boilerplate_removes_only_itself(
    case: tuple[str, str, list[tuple[str, str]]], data: st.DataObject
) -> None:
    """Boilerplate lines injected between the paragraphs of a (damaged) article: all and
    only those lines are removed, and the article's lines come out exactly as they do
    without the injection (that is, modulo their repair)."""
    _clean, damaged, _chain = case
    body = damaged.rstrip("\n").split("\n")
    injected = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(body)), st.sampled_from(BOILERPLATE_LINES)),
            min_size=1,
            max_size=4,
        )
    )
    lines = list(body)
    for position, line in sorted(injected, key=lambda item: -item[0]):
        lines[position:position] = ["", line, ""]
    with_boilerplate = textmend.clean("\n".join(lines) + "\n")
    without = textmend.clean(damaged)
    kept = [line for line in with_boilerplate.text.split("\n") if line]
    assert kept == [line for line in without.text.split("\n") if line]
    assert sorted(r.text for r in with_boilerplate.removed) == sorted(line for _, line in injected)


# --- inputs found by fuzzing and by these properties ---------------------------------------


def _regression_cases() -> list[pytest.param]:  # type: ignore[valid-type]
    cases = []
    for path in sorted(REGRESSIONS.glob("*.json")):
        case = json.loads(path.read_text("utf-8"))
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=case["xfail"]))
        cases.append(pytest.param(case, id=path.stem, marks=marks))
    return cases


def run_regression(case: dict[str, str]) -> None:
    """Replay one stored input through the entry point and invariant it broke."""
    data = bytes.fromhex(case["input_hex"])
    entry, check = case["entry"], case["check"]
    text = data.decode("utf-8", "surrogateescape")
    if entry == "decode":
        if check == "binary":
            with pytest.raises(BinaryInputError):
                textmend.decode(data)
        else:
            textmend.decode(data)  # must raise nothing but TextmendError (caught by caller)
    elif entry == "repair":
        repaired = fix(text)
        if check == "idempotent":
            assert textmend.repair(repaired.text) == repaired.text
        elif check == "findings_proven":
            assert all(c not in repaired.text for c in "\x00\x1a")
            assert [f for f, _ in unproven(repaired.findings)] == []
        elif check == "repairs_to":
            assert repaired.text == case["expected_text"]
            assert [f for f, _ in unproven(repaired.findings, text)] == []
        elif check != "no_error":
            raise AssertionError(f"unknown check {check}")
    elif entry in ("clean_text", "clean_bytes", "clean_html"):
        source: str | bytes = text if entry == "clean_text" else data
        first = textmend.clean(source, html=True if entry == "clean_html" else None)
        if check == "idempotent":
            assert textmend.clean(first.text, html=False).text == first.text
        elif check == "repairs_to":
            assert first.text == case["expected_text"]
        elif check != "no_error":
            raise AssertionError(f"unknown check {check}")
    else:
        raise AssertionError(f"unknown entry point {entry}")


@pytest.mark.parametrize("case", _regression_cases())
def test_regression_inputs(case: dict[str, str]) -> None:
    with contextlib.suppress(TextmendError):
        run_regression(case)
