"""textmend: repair text-encoding damage (mojibake) and clean scraped articles into UTF-8.

>>> import textmend
>>> textmend.repair("India鈥檚 NDTV")
'India’s NDTV'
"""

from __future__ import annotations

import gc as _gc

# Importing the package builds its tables: a few hundred thousand objects, all kept for the
# life of the process. The cyclic garbage collector would walk them again and again while
# they are made (about 5 % of the import time) and could free none of them, so it is paused
# for the import, as it was found (a program that disabled it keeps it disabled).
_collecting = _gc.isenabled()
_gc.disable()
try:
    from textmend.decode import decode
    from textmend.detect import detect
    from textmend.errors import BinaryInputError, DecodeError, InputError, TextmendError
    from textmend.models import Cleaned, Decoded, Finding, RemovedLine
    from textmend.pipeline import clean
    from textmend.repair import repair
    from textmend.settings import Options
finally:
    if _collecting:
        _gc.enable()
    del _collecting

__all__ = [
    "BinaryInputError",
    "Cleaned",
    "DecodeError",
    "Decoded",
    "Finding",
    "InputError",
    "Options",
    "RemovedLine",
    "TextmendError",
    "clean",
    "decode",
    "detect",
    "repair",
]
__version__ = "0.1.0"
