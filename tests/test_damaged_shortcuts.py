"""Shortcuts the repair of damaged text takes for speed give exactly the plain answers.

Each helper that replaces a Python loop over characters (a regex class, a cache) is
compared here with the loop it replaced: on every code point where the helper is a
character class, on random text where it reads a whole string.
"""

from __future__ import annotations

from textmend.charclass import HAN, NATURAL, char_cost, cjk_prose_char, script_of


def test_cjk_prose_char_is_a_common_character_of_the_han_class() -> None:
    pattern = cjk_prose_char()
    wrong = [
        code
        for code in range(0x110000)
        if (pattern.match(chr(code)) is not None)
        != (script_of(chr(code)) == HAN and char_cost(chr(code)) <= NATURAL)
    ]
    assert wrong == []
