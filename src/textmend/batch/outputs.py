"""Atomic output files for the batch worker: whole (:func:`write_atomically`) or streamed
(:class:`AtomicOutput`).

The protocol is the one of :mod:`textmend.write`: a temporary file named ``.textmend-*.tmp``
in the destination folder (so a rerun's ``remove_stale_temp_files`` finds leftovers of a
killed run), fsync when durability is asked for, then an atomic rename. Until the rename the
destination is untouched. :func:`write_atomically` is the batch's lean twin of
:func:`textmend.write.atomic_write_bytes` (same guarantees, a few system calls and no Python
file objects per file: it runs once per article, where those costs add up); JSONL shards
and very large text files are written piece by piece through :class:`AtomicOutput`.
"""

from __future__ import annotations

import contextlib
import filecmp
import itertools
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

_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
_temp_numbers = itertools.count()
# The process id in temporary names, kept rather than asked for per file (os.getpid is a
# system call each time) and renewed in every child os.fork makes (a worker of the process
# pool). A child forked behind Python's back would reuse its parent's id: its names could
# then be taken, which O_EXCL detects and create_temp answers with a random name.
_pid = os.getpid()


def _renew_pid() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_renew_pid)


def create_temp(folder: str) -> tuple[int, str]:
    """(fd, path) of a new, empty temporary file (mode 0o600) in ``folder``.

    The name is made of the process id and a counter, which is cheaper than
    :func:`tempfile.mkstemp`'s random names; ``O_EXCL`` still guarantees a file of our own,
    and a name taken (say, a leftover of a killed process with the same pid) falls back to
    :func:`tempfile.mkstemp`.
    """
    path = os.path.join(folder, f"{TEMP_PREFIX}{_pid}-{next(_temp_numbers)}{TEMP_SUFFIX}")
    try:
        return os.open(path, _TEMP_FLAGS, 0o600), path
    except FileExistsError:
        return tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)


def write_atomically(path: str, data: bytes, *, mode: int, durable: bool) -> None:
    """Make ``path`` hold exactly ``data`` (permission bits ``mode``), atomically.

    The folder must exist. A failure at any step (a full disk, a file-size limit) removes
    the temporary file and leaves ``path`` as it was.
    """
    fd, temp_path = create_temp(os.path.dirname(path) or ".")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, mode)
        if durable:
            os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            if fd >= 0:
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        raise


class AtomicOutput:
    """A binary file that appears at ``path`` only when :meth:`commit` is called."""

    def __init__(self, path: str, *, mode: int | None = None, durable: bool = True) -> None:
        self.path = path
        self.durable = durable
        self.mode = DEFAULT_FILE_MODE if mode is None else mode
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, self.temp_path = create_temp(folder)
        self.handle: BinaryIO = os.fdopen(fd, "wb")
        self._done = False

    def write(self, data: bytes) -> int:
        return self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fchmod(self.handle.fileno(), self.mode)
        if self.durable:
            os.fsync(self.handle.fileno())
        self.handle.close()
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
