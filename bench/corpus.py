"""Clean text for the benchmarks, in many languages, as paragraph-size snippets.

Three sources, all read at run time (nothing copied into the repository):
``../shared/peers/char-dataset`` decoded with the codec its folder names, the clean seed
articles in ``../shared/seeds``, and the clean texts written for this project in
``tests/data/mojibake_cases.toml``. The snippets are normalised once here (NFC, ``\\n``
line ends, no leading BOM, no C0/C1 controls) so that "left unchanged" measures the repair,
not the corpus.
"""

from __future__ import annotations

import random
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CHAR_DATASET = SHARED / "peers" / "char-dataset"
SEEDS = SHARED / "seeds"
OWN_CASES = REPO / "tests" / "data" / "mojibake_cases.toml"

# Seed 000 is itself damaged (it is the worked example), so it is no clean text.
DAMAGED_SEEDS = ("000_",)

MIN_SNIPPET = 200
MAX_SNIPPET = 800

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_CJK_SENTENCE_END = re.compile(r"(?<=[。！？])|\n")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
CJK_SENTENCES_PER_DOCUMENT = 2


@dataclass(frozen=True, slots=True)
class Snippet:
    """One clean text: where it came from and its language group (see :func:`language_group`)."""

    source: str
    group: str
    text: str


def tidy(text: str) -> str:
    """NFC, ``\\n`` line ends, no BOM, no control characters, no trailing spaces on lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", text).strip()


def language_group(text: str) -> str:
    """The writing system that dominates the letters of ``text``.

    Recipes use this to stay realistic: GBK bytes come from Chinese text, KOI8-R from
    Russian, and so on. Kana makes text Japanese even among many Han characters.
    """
    counts: dict[str, int] = {}
    for char in text:
        code = ord(char)
        if code < 0x80:
            group = "ascii" if char.isalpha() else ""
        elif 0x3040 <= code <= 0x30FF:
            group = "ja"
        elif 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            group = "ko"
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            group = "han"
        elif 0x400 <= code <= 0x52F:
            group = "cyrillic"
        elif 0x370 <= code <= 0x3FF:
            group = "greek"
        elif 0x590 <= code <= 0x5FF:
            group = "hebrew"
        elif 0x600 <= code <= 0x6FF:
            group = "arabic"
        elif 0xE00 <= code <= 0xE7F:
            group = "thai"
        elif char.isalpha():
            group = "latin"
        else:
            group = ""
        if group:
            counts[group] = counts.get(group, 0) + 1
    if not counts:
        return "ascii"
    if counts.get("ja", 0) >= 5:
        return "ja"
    if counts.get("ko", 0) >= 5:
        return "ko"
    if counts.get("han", 0) >= 5:
        return "zh"
    counts.pop("han", None)
    non_ascii = {group: n for group, n in counts.items() if group != "ascii"}
    if not non_ascii:
        return "ascii"
    return max(sorted(non_ascii), key=lambda group: non_ascii[group])


def split_snippets(text: str) -> list[str]:
    """Cut a document into paragraph-size pieces of about 200–800 characters.

    Paragraphs are joined until a piece reaches the minimum; a paragraph longer than the
    maximum is cut at the last space (or anywhere, for unspaced CJK text) before it.
    """
    pieces: list[str] = []
    current = ""
    for paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        while len(paragraph) > MAX_SNIPPET:
            cut = paragraph.rfind(" ", MIN_SNIPPET, MAX_SNIPPET)
            cut = cut if cut > 0 else MAX_SNIPPET
            if current:
                pieces.append(current)
                current = ""
            pieces.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        current = f"{current}\n{paragraph}" if current else paragraph
        if len(current) >= MIN_SNIPPET:
            pieces.append(current)
            current = ""
    if current and (len(current) >= MIN_SNIPPET // 2 or not pieces):
        pieces.append(current)
    return [piece for piece in pieces if piece]


def cjk_sentences(text: str) -> list[str]:
    """Short CJK sentences (8–80 characters, at least five CJK characters).

    Whole-document damage of CJK text by another CJK codec rarely decodes without errors,
    but a headline or a sentence often does; these also test clean text that is short.
    """
    sentences = (piece.strip() for piece in _CJK_SENTENCE_END.split(text))
    return [
        sentence
        for sentence in sentences
        if 8 <= len(sentence) <= 80 and len(_CJK_CHAR.findall(sentence)) >= 5
    ]


def _is_usable(snippet: str) -> bool:
    """Enough letters to be prose, and no replacement character already in it."""
    if "\ufffd" in snippet or len(snippet) < 8:
        return False
    letters = sum(char.isalpha() for char in snippet)
    return letters >= 0.3 * len(snippet)


def char_dataset_documents() -> Iterator[tuple[str, str]]:
    """(source, text) for every char-dataset file that decodes with its folder's codec."""
    if not CHAR_DATASET.is_dir():
        return
    for folder in sorted(CHAR_DATASET.iterdir()):
        if not folder.is_dir() or folder.name == "None":
            continue
        for path in sorted(folder.iterdir()):
            try:
                text = path.read_bytes().decode(folder.name)
            except (UnicodeDecodeError, LookupError):
                continue
            yield f"char-dataset/{folder.name}/{path.name}", text


def seed_documents() -> Iterator[tuple[str, str]]:
    if not SEEDS.is_dir():
        return
    for path in sorted(SEEDS.glob("*.txt")):
        if not path.name.startswith(DAMAGED_SEEDS):
            yield f"seeds/{path.name}", path.read_text("utf-8")


def own_texts() -> list[Snippet]:
    """The clean texts written for this project (every clean and damaged case's original)."""
    if not OWN_CASES.is_file():
        return []
    data = tomllib.loads(OWN_CASES.read_text("utf-8"))
    texts: dict[str, Snippet] = {}
    for entry in data.get("clean", []) + data.get("damaged", []):
        text = tidy(entry["text"] if "text" in entry else entry["clean"])
        texts.setdefault(text, Snippet(f"own/{entry['lang']}", language_group(text), text))
    return list(texts.values())


def load_snippets(per_document: int, seed: int) -> list[Snippet]:
    """All clean snippets: own texts and seeds whole, up to ``per_document`` per char-dataset file.

    Deterministic for a given ``seed``: the pieces of a long file are sampled with a
    generator seeded by the seed and the file name.
    """
    snippets = list(own_texts())
    for source, text in seed_documents():
        for piece in split_snippets(tidy(text)):
            if _is_usable(piece):
                snippets.append(Snippet(source, language_group(piece), piece))
    for source, text in char_dataset_documents():
        pieces = [piece for piece in split_snippets(tidy(text)) if _is_usable(piece)]
        if len(pieces) > per_document:
            pieces = random.Random(f"{seed}:{source}").sample(pieces, per_document)
        snippets.extend(Snippet(source, language_group(piece), piece) for piece in pieces)
        if language_group(text) in {"zh", "ja", "ko"}:
            sentences = [s for s in cjk_sentences(tidy(text)) if _is_usable(s)]
            if len(sentences) > CJK_SENTENCES_PER_DOCUMENT:
                rng = random.Random(f"{seed}:{source}:sentences")
                sentences = rng.sample(sentences, CJK_SENTENCES_PER_DOCUMENT)
            snippets.extend(Snippet(source, language_group(s), s) for s in sentences)
    return snippets
