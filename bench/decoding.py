"""Decoding accuracy: textmend.decode against chardet and charset-normalizer, one run.

Corpus: ../shared/peers/char-dataset, whose folder names are the Python codec of each
file. A detector is right on a file when its encoding decodes the bytes to the same text
as the folder's codec ("same text"; a leading BOM is ignored); "same codec" counts only an
identical codec name (after Python's own name normalisation), so latin-1 text detected as
cp1252 is same text but not same codec. Binary files (None/) are right when the detector
refuses them. A second table runs short Western sentences written for this benchmark
(cp1252 bytes, about 30 bytes each), where a detector must not answer cp1250, cp1258 or a
Mac/DOS code page.

    .venv/bin/python bench/decoding.py
    .venv/bin/python bench/decoding.py --show-misses --json /tmp/decoding.json
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import chardet
from charset_normalizer import from_bytes

from textmend.charsets import sniff_encoding
from textmend.decode import decode
from textmend.errors import DecodeError

REPO = Path(__file__).resolve().parents[1]
CHAR_DATASET = REPO.parent / "shared" / "peers" / "char-dataset"


def load_short_western() -> tuple[str, ...]:
    """tests/data/short_western.txt: one sentence per line, # comments."""
    path = REPO / "tests" / "data" / "short_western.txt"
    lines = path.read_text("utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


SHORT_WESTERN = load_short_western()
SLOPPY_SHORT = ("cp1250", "cp1258", "cp1257", "cp1254")


def is_wrong_family(codec: str | None) -> bool:
    """The answers a short cp1252 sentence must never get: other Windows Latin code pages
    whose text differs, and the Mac and DOS code pages."""
    if codec is None:
        return True
    name = codecs.lookup(codec).name
    return name.startswith(("mac", "cp4", "cp8", "hp")) or name in SLOPPY_SHORT


Detector = Callable[[bytes], tuple[str | None, str | None]]


def textmend_detector(data: bytes) -> tuple[str | None, str | None]:
    try:
        decoded = decode(data)
    except DecodeError:
        return None, None
    return decoded.encoding, decoded.text


def textmend_with_sniff(data: bytes) -> tuple[str | None, str | None]:
    """textmend.decode as it will be once decode.py calls charsets.sniff_encoding first."""
    sniffed = sniff_encoding(data)
    if sniffed:
        return sniffed, data.decode(sniffed)
    return textmend_detector(data)


def _decode_with(data: bytes, label: str | None) -> tuple[str | None, str | None]:
    if not label:
        return None, None
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return label, None
    try:
        return codec, data.decode(codec)
    except UnicodeDecodeError:
        return codec, None


def chardet_detector(data: bytes) -> tuple[str | None, str | None]:
    return _decode_with(data, chardet.detect(data)["encoding"])


def charset_normalizer_detector(data: bytes) -> tuple[str | None, str | None]:
    best = from_bytes(data).best()
    return _decode_with(data, best.encoding if best else None)


DETECTORS: dict[str, Detector] = {
    "textmend": textmend_detector,
    "textmend+sniff": textmend_with_sniff,
    "chardet": chardet_detector,
    "charset-normalizer": charset_normalizer_detector,
}


@dataclass(slots=True)
class Tally:
    files: int = 0
    same_text: int = 0
    same_codec: int = 0
    seconds: float = 0.0
    misses: list[tuple[str, str | None]] = field(default_factory=list)


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def same_codec(a: str | None, b: str) -> bool:
    if a is None:
        return False
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False


def corpus() -> list[tuple[str, str | None, bytes]]:
    """(name, folder codec or None for binary, bytes) for every file."""
    files = []
    for folder in sorted(CHAR_DATASET.iterdir()):
        if not folder.is_dir():
            continue
        codec = None if folder.name == "None" else folder.name
        for path in sorted(folder.iterdir()):
            files.append((f"{folder.name}/{path.name}", codec, path.read_bytes()))
    return files


def measure(files: list[tuple[str, str | None, bytes]]) -> dict[str, dict[str, Tally]]:
    """Per detector, per folder: the tallies."""
    results: dict[str, dict[str, Tally]] = {name: {} for name in DETECTORS}
    for name, detector in DETECTORS.items():
        for file_name, codec, data in files:
            folder = codec or "None"
            tally = results[name].setdefault(folder, Tally())
            start = time.perf_counter()
            detected, text = detector(data)
            tally.seconds += time.perf_counter() - start
            tally.files += 1
            if codec is None:
                right = detected is None
                tally.same_text += right
                tally.same_codec += right
            else:
                right = text is not None and strip_bom(text) == strip_bom(data.decode(codec))
                tally.same_text += right
                tally.same_codec += same_codec(detected, codec)
            if not right:
                tally.misses.append((file_name, detected))
    return results


def total(tallies: dict[str, Tally], binary: bool) -> Tally:
    overall = Tally()
    for folder, tally in tallies.items():
        if (folder == "None") != binary:
            continue
        overall.files += tally.files
        overall.same_text += tally.same_text
        overall.same_codec += tally.same_codec
        overall.seconds += tally.seconds
        overall.misses += tally.misses
    return overall


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "   - "


def short_western() -> dict[str, list[tuple[str, str | None, bool]]]:
    """Per detector: (sentence, detected codec, right) for each short cp1252 sentence."""
    outcome: dict[str, list[tuple[str, str | None, bool]]] = {}
    for name, detector in DETECTORS.items():
        rows = []
        for sentence in SHORT_WESTERN:
            data = sentence.encode("cp1252")
            detected, text = detector(data)
            right = text == sentence and not is_wrong_family(detected)
            rows.append((sentence, detected, right))
        outcome[name] = rows
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-misses", action="store_true", help="list every miss")
    parser.add_argument("--json", type=Path, help="write a machine-readable summary here")
    args = parser.parse_args(argv)
    if not CHAR_DATASET.is_dir():
        print(f"{CHAR_DATASET} is absent", file=sys.stderr)
        return 2
    files = corpus()
    results = measure(files)
    names = list(DETECTORS)
    print(f"char-dataset: {len(files)} files; same text (same codec) per detector\n")
    print(f"{'folder':<14} {'n':>4} " + " ".join(f"{name:>20}" for name in names))
    for folder in sorted(results["textmend"]):
        n = results["textmend"][folder].files
        cells = []
        for name in names:
            tally = results[name][folder]
            cells.append(f"{tally.same_text:>4} ({tally.same_codec:>3})")
        print(f"{folder:<14} {n:>4} " + " ".join(f"{cell:>20}" for cell in cells))
    summary: dict[str, dict[str, float | int]] = {}
    print()
    for label, binary in (("text files", False), ("binary (None/)", True)):
        row = []
        for name in names:
            overall = total(results[name], binary)
            same_text = pct(overall.same_text, overall.files)
            row.append(f"{same_text} ({pct(overall.same_codec, overall.files)})")
            key = "binary" if binary else "text"
            summary.setdefault(name, {})[f"{key}_files"] = overall.files
            summary[name][f"{key}_same_text"] = round(
                100.0 * overall.same_text / max(1, overall.files), 2
            )
            summary[name][f"{key}_same_codec"] = round(
                100.0 * overall.same_codec / max(1, overall.files), 2
            )
        print(f"{label:<19} " + " ".join(f"{cell:>20}" for cell in row))
    row = []
    for name in names:
        seconds = sum(tally.seconds for tally in results[name].values())
        summary[name]["seconds"] = round(seconds, 3)
        row.append(f"{seconds:>8.2f} s")
    print(f"{'time, all files':<19} " + " ".join(f"{cell:>20}" for cell in row))

    western = short_western()
    print(f"\nshort Western cp1252 sentences ({len(SHORT_WESTERN)}): right / wrong answers")
    for name in names:
        rows = western[name]
        right = sum(ok for _, _, ok in rows)
        wrong = sorted({str(codec) for _, codec, ok in rows if not ok})
        summary[name]["short_western_right"] = right
        print(f"  {name:<20} {right:>2}/{len(rows)}  {', '.join(wrong)}")

    if args.show_misses:
        for name in names:
            misses = total(results[name], False).misses + total(results[name], True).misses
            print(f"\n{name} misses ({len(misses)}):")
            for file_name, detected in misses:
                print(f"  {file_name:<70} -> {detected}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"\nsummary written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
