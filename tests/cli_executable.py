"""Where the tests find the ``textmend`` executable they run in a subprocess."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEXTMEND = REPO / ".venv" / "bin" / "textmend"
if not TEXTMEND.exists():  # installed elsewhere (e.g. a CI venv): use the one beside python
    TEXTMEND = Path(sys.executable).with_name("textmend")
