"""Byte code for the package before timed runs of it in fresh processes.

An installed textmend runs from byte code: pip compiles a package when it installs it. A
checkout installed in editable mode runs from source, and where PYTHONDONTWRITEBYTECODE is
set (as on the machine these benchmarks run on) no ``.pyc`` is ever written: every
process then compiles each module changed since the last ``.pyc`` from source, about 40 ms
for the boilerplate module alone. The benchmarks that time ``textmend`` in child
processes call :func:`compile_package` first, so that they time the cleaning, as a user
would run it, and not the compiler.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"


def compile_package() -> None:
    """Write the package's missing or stale ``.pyc`` files (ignores PYTHONDONTWRITEBYTECODE,
    like pip's install step)."""
    if not compileall.compile_dir(PACKAGE, quiet=1):
        raise SystemExit(f"could not byte-compile {PACKAGE}")
