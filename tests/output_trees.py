"""The files a batch run left in a folder, for comparing two runs byte for byte."""

from __future__ import annotations

from pathlib import Path


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except textmend's own bookkeeping: the resume manifest and
    temporary files (both named ``.textmend-*``)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".textmend-")
    }
