"""textmend.normalise: the shortcuts give exactly what their plain definitions give."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from textmend.normalise import _BLANK_RUNS, _collapse_blank_runs, normalise


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a \t\n\r\u00a0\u3000\u2028é")), max_size=60))
def test_blank_runs_collapse_as_the_regex_does(text: str) -> None:
    assert _collapse_blank_runs(text) == _BLANK_RUNS.sub("\n\n", text)


def test_blank_runs_of_every_length() -> None:
    rng = random.Random(3)
    for _ in range(500):
        pieces = [rng.choice(["x", "yz", "é"]) + "\n" * rng.randint(0, 12) for _ in range(8)]
        text = "".join(pieces)
        assert _collapse_blank_runs(text) == _BLANK_RUNS.sub("\n\n", text)


def test_normalise_layout() -> None:
    text = "\n\nOne  \t\n\n\n\nTwo\u00a0\r\n\r\n\r\nThree\u3000\n\n\n\n\n\nCafe\u0301\n\n"
    assert normalise(text) == "One\n\nTwo\n\nThree\n\nCaf\u00e9\n"
    assert normalise(normalise(text)) == normalise(text)
    assert normalise("") == ""
    assert normalise("\n \n\t\n") == ""
