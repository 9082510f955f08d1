"""Coverage-guided fuzz target (atheris / libFuzzer) for ``decode``, ``repair`` and ``clean``.

Each input is split by a FuzzedDataProvider into a choice of entry point, option flags and
the payload. A run fails (libFuzzer writes the input to ``crash-*``) when:

* any exception other than a documented :class:`textmend.TextmendError` escapes;
* ``repair`` is not idempotent, or ``clean`` changes its own output again;
* the output is not what textmend promises to write (NFC, ``\\n`` line ends, final newline).

Set ``TEXTMEND_FUZZ_COLLECT=DIR`` to *record* failures there (one JSON file per distinct
failure: the input as hex, the traceback) and keep going instead of stopping at the first
one; that is how a long run finds more than one bug. See fuzz/README.md for the commands.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import traceback
import unicodedata

import atheris

with atheris.instrument_imports(include=["textmend"]):
    import textmend
    from textmend.errors import TextmendError
    from textmend.settings import Options

COLLECT = os.environ.get("TEXTMEND_FUZZ_COLLECT")
_seen: dict[str, int] = {}
EXAMPLES_PER_FAILURE = 3

DECODE, REPAIR, CLEAN_TEXT, CLEAN_BYTES, CLEAN_HTML = range(5)
_OPTIONS = [
    Options(),
    Options(allow_inferred=False),
    Options(remove_boilerplate=False),
    Options(mark_boilerplate=True),
]


class PropertyViolation(AssertionError):
    """An invariant failed without an exception from textmend itself."""


def _check_layout(text: str) -> None:
    if text and not text.endswith("\n"):
        raise PropertyViolation("output lacks a final newline")
    if "\r" in text:
        raise PropertyViolation("output has a carriage return")
    if not unicodedata.is_normalized("NFC", text):
        raise PropertyViolation("output is not NFC")


def exercise(mode: int, options: Options, payload: bytes) -> None:
    """Run one entry point on ``payload`` and check its invariants (raises on failure)."""
    try:
        if mode == DECODE:
            decoded = textmend.decode(payload)
            if not isinstance(decoded.text, str):
                raise PropertyViolation("decode returned no text")
        elif mode == REPAIR:
            text = payload.decode("utf-8", "surrogateescape")
            once = textmend.repair(text)
            twice = textmend.repair(once)
            if once != twice:
                raise PropertyViolation(f"repair not idempotent: {once!r} -> {twice!r}")
        else:
            if mode == CLEAN_TEXT:
                text = payload.decode("utf-8", "surrogateescape")
                cleaned = textmend.clean(text, options=options)
            else:
                html = True if mode == CLEAN_HTML else None
                cleaned = textmend.clean(payload, html=html, options=options)
            _check_layout(cleaned.text)
            again = textmend.clean(cleaned.text, html=False, options=options)
            if again.text != cleaned.text:
                raise PropertyViolation(f"clean not idempotent: {cleaned.text!r} -> {again.text!r}")
    except TextmendError:
        pass


def _record(data: bytes, error: BaseException) -> None:
    assert COLLECT is not None
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    if isinstance(error, PropertyViolation):
        where = str(error).split(":")[0]
    signature = f"{type(error).__name__}@{where}"
    _seen[signature] = _seen.get(signature, 0) + 1
    if _seen[signature] > EXAMPLES_PER_FAILURE:
        return
    digest = hashlib.sha1(data).hexdigest()[:12]
    entry = {
        "signature": signature,
        "input_hex": data.hex(),
        "traceback": "".join(traceback.format_exception(error)),
    }
    path = os.path.join(COLLECT, f"finding-{digest}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, indent=1)
    print(f"\n[fuzz] recorded {signature} -> {path}", file=sys.stderr, flush=True)


def split_input(data: bytes) -> tuple[int, Options, bytes]:
    """(entry point, options, payload): the first byte chooses, the rest is the payload."""
    if not data:
        return DECODE, _OPTIONS[0], b""
    selector = data[0]
    return selector % 5, _OPTIONS[(selector // 5) % len(_OPTIONS)], data[1:]


def test_one_input(data: bytes) -> None:
    mode, options, payload = split_input(data)
    try:
        exercise(mode, options, payload)
    except Exception as error:  # the point: record anything undocumented
        if COLLECT is None:
            raise
        _record(data, error)


def main() -> None:
    if COLLECT:
        os.makedirs(COLLECT, exist_ok=True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
