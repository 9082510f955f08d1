"""Streaming atomic output files (the streaming twin of :mod:`textmend.write`).

:func:`textmend.write.atomic_write_bytes` needs the whole output in memory; JSONL shards and
very large text files are written piece by piece instead. The protocol is the same: a
temporary file named ``.textmend-*.tmp`` in the destination folder (so a rerun's
``remove_stale_temp_files`` finds leftovers of a killed run), fsync, then an atomic rename.
Until :meth:`AtomicOutput.commit` the destination is untouched.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from types import TracebackType
from typing import BinaryIO

from textmend.write import TEMP_PREFIX, TEMP_SUFFIX


def _default_mode() -> int:
    """0o666 minus the process umask: what ``open()`` would have given a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


DEFAULT_FILE_MODE = _default_mode()


class AtomicOutput:
    """A binary file that appears at ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: str, *, mode: int | None = None, durable: bool = True) -> None:
        self.path = path
        self.durable = durable
        self.mode = DEFAULT_FILE_MODE if mode is None else mode
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, self.temp_path = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        self.handle: BinaryIO = os.fdopen(fd, "wb")
        self._done = False

    def write(self, data: bytes) -> int:
        return self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        if self.durable:
            os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.temp_path, self.mode)
        os.replace(self.temp_path, self.path)
        self._done = True

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp_path)

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is thrown away: never a half-written output.
        self.abort()


def write_backup(src: str, suffix: str) -> str:
    """Copy ``src`` byte for byte to ``src + suffix`` (atomically) before it is rewritten.

    An existing backup is never overwritten: it may be the only copy of an original. The
    one exception is a backup that already holds exactly the bytes of ``src``: that is what a
    run killed between writing the backup and rewriting the input leaves behind, and the
    rerun must be able to finish that file (nothing is lost: the copy is already there).
    """
    backup = src + suffix
    if os.path.lexists(backup):
        if _same_regular_file_content(backup, src):
            return backup
        from textmend.errors import InputError

        raise InputError(f"backup {backup} already exists; not overwriting it")
    with open(src, "rb") as source, AtomicOutput(backup, mode=os.stat(src).st_mode & 0o7777) as out:
        shutil.copyfileobj(source, out.handle, 1 << 20)
        out.commit()
    return backup


def _same_regular_file_content(first: str, second: str) -> bool:
    """True when ``first`` is a regular file (not a symlink) with the bytes of ``second``."""
    try:
        if not os.path.isfile(first) or os.path.islink(first):
            return False
        if os.path.getsize(first) != os.path.getsize(second):
            return False
        return filecmp.cmp(first, second, shallow=False)
    except OSError:
        return False
