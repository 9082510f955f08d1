"""textmend: repair text-encoding damage (mojibake) and clean scraped articles into UTF-8.

>>> import textmend
>>> textmend.repair("India鈥檚 NDTV")
'India’s NDTV'
"""

from __future__ import annotations

from textmend.decode import decode
from textmend.detect import detect
from textmend.errors import BinaryInputError, DecodeError, InputError, TextmendError
from textmend.models import Cleaned, Decoded, Finding, RemovedLine
from textmend.pipeline import clean
from textmend.repair import repair
from textmend.settings import Options

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
