"""Accuracy gate on ../shared/peers/char-dataset (each folder names the file's true codec).

textmend.decode must give the same text as the folder's codec on at least the share of
files measured when this gate was set (bench/decoding.py prints the full comparison with
chardet and charset-normalizer). Binary files in None/ must be refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from textmend import DecodeError, decode
from textmend.charsets import sniff_encoding

CHAR_DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "peers" / "char-dataset"

# Measured: 459 of 467 text files (98.3 %) through textmend.decode; 466 (99.8 %) once
# decode.py calls charsets.sniff_encoding first (ISO-2022, BOM-less UTF-16/32).
# chardet 7.7 reaches 98.7 %, charset-normalizer 3.5.2 95.9 %.
MIN_SAME_TEXT = 0.98
MIN_SAME_TEXT_WITH_SNIFF = 0.995

pytestmark = [
    pytest.mark.peers,
    pytest.mark.skipif(not CHAR_DATASET.is_dir(), reason="../shared/peers/char-dataset is absent"),
]


def text_files() -> list[tuple[Path, str]]:
    return [
        (path, folder.name)
        for folder in sorted(CHAR_DATASET.iterdir())
        if folder.is_dir() and folder.name != "None"
        for path in sorted(folder.iterdir())
    ]


def strip_bom(text: str) -> str:
    return text.removeprefix("\ufeff")


def decoded_text(data: bytes, *, sniff: bool) -> str | None:
    if sniff:
        sniffed = sniff_encoding(data)
        if sniffed:
            return data.decode(sniffed)
    try:
        return decode(data).text
    except DecodeError:
        return None


def same_text_share(*, sniff: bool) -> tuple[float, list[str]]:
    files = text_files()
    misses = []
    for path, codec in files:
        data = path.read_bytes()
        text = decoded_text(data, sniff=sniff)
        if text is None or strip_bom(text) != strip_bom(data.decode(codec)):
            misses.append(f"{codec}/{path.name}")
    return 1 - len(misses) / len(files), misses


def test_decode_accuracy_does_not_drop() -> None:
    share, misses = same_text_share(sniff=False)
    assert share >= MIN_SAME_TEXT, misses


def test_decode_accuracy_with_sniffing_first() -> None:
    share, misses = same_text_share(sniff=True)
    assert share >= MIN_SAME_TEXT_WITH_SNIFF, misses


@pytest.mark.parametrize(
    "path",
    sorted((CHAR_DATASET / "None").iterdir()) if (CHAR_DATASET / "None").is_dir() else [],
    ids=lambda path: path.name,
)
def test_binary_files_are_refused(path: Path) -> None:
    data = path.read_bytes()
    assert sniff_encoding(data) is None
    with pytest.raises(DecodeError):
        decode(data)
