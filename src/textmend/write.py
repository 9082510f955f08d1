"""Stage 6: write clean UTF-8 atomically.

The text goes to a temporary file in the destination folder, is flushed (and fsynced when
durability is asked for), and is then renamed over the destination. A rename within one
filesystem is atomic, so a reader (or a rerun after a crash) sees either the old file or the
whole new one, never half of it. Temporary names start with ``.textmend-`` so that a later
run can find and remove leftovers.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".textmend-"
TEMP_SUFFIX = ".tmp"


def atomic_write_bytes(
    path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, durable: bool = True
) -> None:
    """Write ``data`` to ``path`` via a temporary file and an atomic rename.

    The rename is atomic either way: a killed process leaves the old file or the whole new
    one. ``durable`` also fsyncs before the rename, so that a power cut cannot leave a
    renamed but empty file; batch runs into a fresh output folder may skip it for speed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> None:
    """Write ``text`` as UTF-8 (no BOM) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def remove_stale_temp_files(folder: str | os.PathLike[str]) -> int:
    """Delete temporary files left in ``folder`` (recursively) by an interrupted run."""
    removed = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(root, name))
                    removed += 1
    return removed
