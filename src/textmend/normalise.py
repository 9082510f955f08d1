"""Stage 5: layout normalisation of the text that is kept.

Changes only whitespace layout and Unicode composition, never words: NFC, ``\\n`` line ends,
no trailing spaces, at most one blank line between paragraphs, no leading or trailing blank
lines, one final newline (none for empty text).
"""

from __future__ import annotations

import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029]")
# Trailing spacing, stripped line by line: a "[ ]+$" regex with MULTILINE restarts at every
# space of a long run that is followed by text, which is quadratic.
_SPACING = " \t\u00a0\u3000"
_BLANK_RUNS = re.compile(r"\n{3,}")  # the definition of _collapse_blank_runs (see there)


def unify_line_ends(text: str) -> str:
    """Turn CR LF, lone CR and the Unicode line/paragraph separators into ``\\n``.

    The pipeline calls this *before* the repair as well as here. The repair judges a line
    by its neighbours and splits lines only at ``\\n``; if line ends were unified only at
    the end, cleaning the output again would show the repair different lines than the first
    time, and ``clean`` would not be idempotent (fuzzing found exactly that). This never
    breaks up mojibake: a misread multi-byte sequence never holds byte 0x0D (UTF-8 uses
    bytes >= 0x80 after the lead, the East Asian codecs >= 0x40), and no codec decodes a
    single byte to U+2028 or U+2029.
    """
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text  # the usual case: three substring tests cost less than a regex scan
    return _LINE_ENDS.sub("\n", text)


def normalise(text: str) -> str:
    """Return ``text`` in textmend's output layout (see module docstring)."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = unify_line_ends(text)
    text = "\n".join(line.rstrip(_SPACING) for line in text.split("\n"))
    # Lines holding only whitespace became empty above; collapse runs of empty lines.
    text = _collapse_blank_runs(text)
    text = text.strip("\n")
    return text + "\n" if text else ""


def _collapse_blank_runs(text: str) -> str:
    """``_BLANK_RUNS.sub("\\n\\n", text)``: every run of three or more newlines becomes two.

    A removed boilerplate line leaves a run of three in most articles, and the regex engine
    steps through the whole text one character at a time to find it; ``str.replace`` finds
    runs with a fast substring search (about 3 times faster here) and makes every run of
    k >= 3 newlines one of k - k // 3 >= 2 (runs never meet: text lies between them). Runs
    of three are then done; longer ones, rare, are left to the regex, one linear pass
    whatever their length (repeating the replace would rescan the text per pass).
    """
    if "\n\n\n" not in text:
        return text
    text = text.replace("\n\n\n", "\n\n")
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text
