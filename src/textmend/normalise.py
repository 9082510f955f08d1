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
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """Return ``text`` in textmend's output layout (see module docstring)."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _LINE_ENDS.sub("\n", text)
    text = "\n".join(line.rstrip(_SPACING) for line in text.split("\n"))
    # Lines holding only whitespace became empty above; collapse runs of empty lines.
    text = _BLANK_RUNS.sub("\n\n", text)
    text = text.strip("\n")
    return text + "\n" if text else ""
