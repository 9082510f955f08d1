"""Stage 2: the detector, as a public function that changes nothing.

Detection and repair are one pass in :mod:`textmend.repair` on purpose: a span is flagged
as mojibake only when a repair for it exists and, for lossless damage, re-applying the
damage to the repair gives the span back byte for byte. A detector that flagged "looks
garbled" without that proof would flag real text (鈥 is a real character, and so is Ã
in Portuguese). So :func:`detect` runs the same pass and returns its findings; the text it
would write is thrown away.
"""

from __future__ import annotations

from textmend.models import Finding
from textmend.repair import fix


def detect(text: str, *, allow_inferred: bool = True) -> list[Finding]:
    """What :func:`textmend.repair` would change in ``text``, as findings (input positions).

    ``allow_inferred=False`` leaves out lost-byte guesses, as ``check --strict`` does.
    """
    return fix(text, allow_inferred=allow_inferred).findings
