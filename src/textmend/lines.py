"""Splitting text into lines the way textmend counts them.

Only ``\\n`` ends a line (a ``\\r`` before it stays part of the line until the normaliser
drops it). ``str.splitlines`` also breaks at U+0085, U+2028, form feeds and other
separators, and U+0085 is exactly what UTF-8 read as latin-1 makes of the byte 0x85 in
``…`` or ``公``: splitting there would cut damaged text in two before it can be repaired,
and line numbers in findings would no longer match what editors and ``grep -n`` show.
"""

from __future__ import annotations


def split_lines(text: str) -> list[str]:
    """``text`` as lines that keep their ``\\n``; ``"".join(split_lines(t)) == t``."""
    if not text:
        return []
    lines = [line + "\n" for line in text.split("\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    return lines
