"""ftfy's fix of single-byte mojibake, asked one line at a time (repair's pass 2).

ftfy stays the authority on the damage it knows (UTF-8 read as cp1252, latin-1, macroman,
…): repair asks it about every line that looks damaged, and on a damaged document that
asking was the largest single cost, as large as ``ftfy.fix_text`` of the whole document.
Most of it was ftfy asking its badness regex about the same line again: before its first
encoding step, after it, and on the whole second pass that proves its output a fixed
point (three times on a line damaged throughout, more where damaged words sit among
clean ones). Two things here make the asking cheap without changing a single answer:

- :func:`is_bad` is ftfy's verdict searched only around non-ASCII characters, and
  remembered (the same line is asked about by several steps and passes);
- :func:`fix_and_explain` runs ftfy's own steps (``ftfy.chardata``, ``ftfy.fixes``) in the
  order and under the conditions of ftfy 6.3's ``fix_and_explain`` for
  :data:`FTFY_CONFIG`, with that verdict. ``tests/test_ftfyfix.py`` compares the two on
  ftfy's own test cases and on generated damage. Under another ftfy release the steps
  may differ, and ftfy's own driver is used instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ftfy
from ftfy import ExplanationStep, chardata, fixes
from ftfy.badness import BADNESS_RE

# ftfy's fixes that textmend takes. Curly quotes, ligatures, character widths and line
# breaks are the writer's text, not damage; HTML entities and terminal escapes are left to
# the HTML path and the control-character pass; normalisation is the normalise stage's.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)
# The same, turning each sequence that stood for a lost character into one U+FFFD (the
# fallback for a line every pass left damaged).
FTFY_LOSSY_CONFIG = FTFY_CONFIG._replace(replace_lossy_sequences=True)

# The ftfy releases whose fix_and_explain this module's driver follows step by step.
DRIVEN_FTFY_RELEASES = ("6.3.",)
# The fixers ftfy runs after the encoding steps in each pass, under FTFY_CONFIG, in its order.
_AFTER_ENCODING = (
    ("fix_c1_controls", fixes.fix_c1_controls),
    ("fix_surrogates", fixes.fix_surrogates),
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _badness_bounds() -> tuple[int, int] | None:
    """``(lead, width)``: every match of ftfy's badness regex holds a non-ASCII character
    at most ``lead`` characters after its start, and is at most ``width`` long.

    Read from the regex itself, so a newer ftfy whose regex has another shape (a
    lookaround, an all-ASCII branch, unbounded repeats) gives None and the plain search.
    """
    from re import _constants as sre
    from re import _parser

    def non_ascii(op: object, arg: object) -> bool:
        if op is sre.LITERAL:
            return isinstance(arg, int) and arg >= 0x80
        if op is sre.IN and isinstance(arg, list):
            return all(
                (kind is sre.LITERAL and value >= 0x80) or (kind is sre.RANGE and value[0] >= 0x80)
                for kind, value in arg
            )
        return False

    def free_of_lookarounds(pattern: _parser.SubPattern) -> bool:
        """No lookaround, backreference or anchor but ``^`` (which a search from a later
        position cannot match, just as the whole search would not there)."""
        for op, arg in pattern.data:
            if op in (sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF):
                return False
            if op is sre.AT and arg is not sre.AT_BEGINNING:
                return False
            inner: list[_parser.SubPattern] = []
            if op is sre.BRANCH:
                inner = arg[1]
            elif op is sre.SUBPATTERN:
                inner = [arg[3]]
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                inner = [arg[2]]
            if not all(free_of_lookarounds(sub) for sub in inner):
                return False
        return True

    try:
        parsed = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        ((op, arg),) = parsed.data
        branches = arg[1] if op is sre.BRANCH else [parsed]
        lead = width = 0
        for branch in branches:
            if not free_of_lookarounds(branch):
                return None
            offset = 0
            for item_op, item_arg in branch.data:
                if non_ascii(item_op, item_arg):
                    break
                offset += _parser.SubPattern(branch.state, [(item_op, item_arg)]).getwidth()[1]
            else:
                return None  # a branch that can match ASCII alone
            lead = max(lead, offset)
            width = max(width, branch.getwidth()[1])
    except (AttributeError, TypeError, ValueError, re.error):
        return None
    return (lead, width) if width < 64 else None


_BADNESS_BOUNDS = _badness_bounds()
# Text whose non-ASCII characters are more than one in this many is searched whole.
WHOLE_SEARCH_SHARE = 3


@lru_cache(maxsize=1024)
def is_bad(text: str) -> bool:
    """ftfy's badness verdict (``ftfy.badness.is_bad``), searched only around non-ASCII
    characters, and remembered.

    Every match of ftfy's regex holds a non-ASCII character near its start (checked on
    the regex at import, see _badness_bounds), so ASCII stretches need no search: the
    whole-line search costs more than any other step on lines with an accented word. The
    same line is asked about again by the next round, the fallback check and the
    second look, hence the cache.
    """
    if _BADNESS_BOUNDS is None:
        return BADNESS_RE.search(text) is not None
    if text.isascii():
        return False
    if WHOLE_SEARCH_SHARE * (len(text) - len(text.encode("ascii", "ignore"))) > len(text):
        # Text of another alphabet is all short runs (a Russian word each): one search of
        # the whole line is the same verdict at half the cost of one search per run.
        return BADNESS_RE.search(text) is not None
    lead, width = _BADNESS_BOUNDS
    return any(
        BADNESS_RE.search(text, max(0, run.start() - lead), run.end() + width)
        for run in _NON_ASCII_RUN.finditer(text)
    )


_DRIVEN = ftfy.__version__.startswith(DRIVEN_FTFY_RELEASES)


def fix_and_explain(text: str, *, lossy: bool = False) -> tuple[str, list[ExplanationStep]]:
    """``ftfy.fix_and_explain(text, config=FTFY_CONFIG)`` (FTFY_LOSSY_CONFIG when
    ``lossy``): the fixed text and ftfy's explanation of it.

    Like ftfy, a pass runs the encoding steps until one changes nothing, then the fixers
    that follow them, and passes repeat until a whole pass changes nothing.
    """
    if not _DRIVEN:
        fixed = ftfy.fix_and_explain(text, config=FTFY_LOSSY_CONFIG if lossy else FTFY_CONFIG)
        return fixed.text, list(fixed.explanation or [])
    steps: list[ExplanationStep] = []
    while True:
        before_pass = text
        text, settling_steps = _settle_encoding(text, lossy, steps)
        encoded = text
        for name, fixer in _AFTER_ENCODING:
            fixed = fixer(text)
            if fixed != text:
                steps.append(ExplanationStep("apply", name))
                text = fixed
        if text == before_pass:
            return text, steps
        if text == encoded:
            # The fixers changed nothing, so the next pass would begin with the very
            # encoding step that just settled this text: it would add the same steps,
            # change nothing again, and so would the fixers. Its outcome is known without
            # reading the line once more (the costliest part of a repaired line's check).
            steps.extend(settling_steps)
            return text, steps


def _encoding_step(text: str, lossy: bool, steps: list[ExplanationStep]) -> str:
    """One of ftfy's encoding steps (its ``_fix_encoding_one_step_and_explain``): the
    first single-byte code page whose bytes decode as UTF-8, else the UTF-8 embedded in
    the line, else C1 controls read as cp1252. The steps taken are added to ``steps``."""
    if not text or text.isascii() or not is_bad(text):
        return text
    readable_as: list[str] = []
    for encoding in chardata.CHARMAP_ENCODINGS:
        if not chardata.possible_encoding(text, encoding):
            continue
        readable_as.append(encoding)
        encoded = text.encode(encoding)
        transcodes: list[ExplanationStep] = []
        if encoding != "macroman" and chardata.ALTERED_UTF8_RE.search(encoded):
            restored = fixes.restore_byte_a0(encoded)
            if restored != encoded:
                transcodes.append(ExplanationStep("transcode", "restore_byte_a0"))
                encoded = restored
        if lossy and encoding.startswith("sloppy"):
            marked = fixes.replace_lossy_sequences(encoded)
            if marked != encoded:
                transcodes.append(ExplanationStep("transcode", "replace_lossy_sequences"))
                encoded = marked
        decoding = "utf-8-variants" if 0xED in encoded or 0xC0 in encoded else "utf-8"
        try:
            fixed = encoded.decode(decoding)
        except UnicodeDecodeError:
            continue
        steps.append(ExplanationStep("encode", encoding))
        steps.extend(transcodes)
        steps.append(ExplanationStep("decode", decoding))
        return fixed
    if chardata.UTF8_DETECTOR_RE.search(text):
        fixed = _decode_inconsistent_utf8(text)
        if fixed != text:
            steps.append(ExplanationStep("apply", "decode_inconsistent_utf8"))
            return fixed
    if "latin-1" in readable_as and "windows-1252" not in readable_as:
        try:
            fixed = text.encode("latin-1").decode("windows-1252")
        except UnicodeDecodeError:
            fixed = text
        if fixed != text:
            steps.append(ExplanationStep("encode", "latin-1"))
            steps.append(ExplanationStep("decode", "windows-1252"))
            return fixed
    if chardata.C1_CONTROL_RE.search(text):
        steps.append(ExplanationStep("transcode", "fix_c1_controls"))
        return fixes.fix_c1_controls(text)
    return text


def _fix_encoding(text: str, lossy: bool, steps: list[ExplanationStep]) -> str:
    """ftfy's ``fix_encoding``: encoding steps until one changes nothing."""
    return _settle_encoding(text, lossy, steps)[0]


def _settle_encoding(
    text: str, lossy: bool, steps: list[ExplanationStep]
) -> tuple[str, list[ExplanationStep]]:
    """:func:`_fix_encoding`, with the steps its last encoding step added (the one that
    changed nothing: a C1 control the sloppy code page keeps is still named a step)."""
    while True:
        before_step = text
        taken = len(steps)
        text = _encoding_step(text, lossy, steps)
        if text == before_step:
            return text, steps[taken:]


# The code pages whose readings ftfy's stretch step is named after (see reading_code_page).
_WESTERN_CODE_PAGES = ("latin-1", "sloppy-windows-1252")


def reading_code_page(damaged: str, fixed: str) -> str | None:
    """The code page (ftfy's name) through which ``damaged``, read back as UTF-8, gives
    ``fixed``: the first of ftfy's that does, as its encoding step tries them; None where
    a Western one does (the name ftfy's stretch step is known by) or none does.

    Why: ftfy's step that reads stretches of a line (decode_inconsistent_utf8, taken where
    a lost byte keeps the whole line from decoding) names no code page, and the repair
    named its readings cp1252's. But a stretch may be read through cp1250 (``Ć¤`` as Ƥ,
    C6 A4), and which code page read it decides which sibling may read it again
    (cp1257's ä, C3 A4: Estonian read as cp1257, with a lost Ü on the line).
    """
    for encoding in chardata.CHARMAP_ENCODINGS:
        try:
            if damaged.encode(encoding).decode("utf-8") != fixed:
                continue
        except UnicodeError:
            continue
        return None if encoding in _WESTERN_CODE_PAGES else encoding
    return None


def one_code_page_stretches(text: str) -> tuple[str, str] | None:
    """``text`` with the stretches that ftfy's stretch step (see
    :func:`_decode_inconsistent_utf8`) reads whole read through the one code page that
    reads them all (the first in ftfy's order), and that code page's name (ftfy's); None
    where no code page reads them all, or where the Western one that does reads each of
    them first (the step's reading, under the name it has).

    Why: the step reads each stretch through the first of ftfy's code pages that decodes
    it, one stretch at a time, and a lost byte splits a word into stretches. Russian read
    as cp1257 whose lost bytes were dropped, ``Š¼ŠµŃ`` + ``Ń¸Ń†`` (месяц without its
    с), has its first stretch read through cp1257 (Š is D0 only there) and its second
    through cp1250, tried earlier, where ¸ is B8: ``Ѹц`` (D1 B8), a letter of Old Church
    Slavonic, where cp1257's 8F makes ``яц``. A line went through one code page: where
    one reads every stretch, it reads them all. And the step names no code page, so the
    repair took its readings for cp1252's: a line whose stretches cp1257 read was not
    proven to be cp1257's, and its lost bytes were read as cp1250's or cp1252's would be
    (``псстой`` for пустой, whose у and с were both lost). Named, the code page's own
    undefined bytes and the word lists read them. Stretches no code page reads whole (a
    lost byte inside) are left to the step, as is the rest of the line.
    """
    readings: list[tuple[re.Match[str], dict[str, str]]] = []
    for match in chardata.UTF8_DETECTOR_RE.finditer(text):
        stretch = match.group()
        if len(stretch) == len(text) or not is_bad(stretch):
            continue  # the step leaves it alone
        readable: dict[str, str] = {}
        for encoding in chardata.CHARMAP_ENCODINGS:
            try:
                readable[encoding] = stretch.encode(encoding).decode("utf-8")
            except UnicodeError:
                continue
        if readable:
            readings.append((match, readable))
    firsts = {next(iter(readable)) for _match, readable in readings}
    shared = [
        encoding
        for encoding in chardata.CHARMAP_ENCODINGS
        if all(encoding in readable for _match, readable in readings)
    ]
    if not shared or (len(firsts) < 2 and shared[0] in _WESTERN_CODE_PAGES):
        return None
    pieces: list[str] = []
    position = 0
    for match, readable in readings:
        pieces += [text[position : match.start()], readable[shared[0]]]
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), shared[0]


def _decode_inconsistent_utf8(text: str) -> str:
    """ftfy's ``decode_inconsistent_utf8``: each stretch that looks like UTF-8 read as a
    single-byte code page, and that is bad on its own, fixed by ftfy's ``fix_encoding``
    with its default settings (which turn lost sequences into U+FFFD). A stretch as long
    as the text is left alone, so the recursion ends."""

    def fix_stretch(match: re.Match[str]) -> str:
        stretch = match.group()
        if len(stretch) < len(text) and is_bad(stretch):
            return _fix_encoding(stretch, True, [])
        return stretch

    return chardata.UTF8_DETECTOR_RE.sub(fix_stretch, text)
