"""The exceptions textmend raises. Every error the API raises derives from TextmendError."""

from __future__ import annotations


class TextmendError(Exception):
    """Base class for every error textmend raises on purpose."""


class DecodeError(TextmendError):
    """Bytes that cannot be turned into text (binary data, unknown encoding)."""


class BinaryInputError(DecodeError):
    """The input looks like binary data (an image, an archive, an executable), not text."""


class InputError(TextmendError):
    """An input that cannot be read or processed (missing, unreadable, not a regular file)."""
