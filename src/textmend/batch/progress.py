"""A one-line progress bar on stderr: files, MB, files/s and ETA.

Shown only when stderr is a terminal (and not ``--quiet``); in a pipe or a log it would
only add noise. Redrawn at most ten times a second so it costs nothing measurable.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

_REDRAW_SECONDS = 0.1


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(
        self, total_files: int, total_bytes: int, *, enabled: bool, stream: TextIO | None = None
    ) -> None:
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.files = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._visible = False

    def advance(self, files: int, nbytes: int) -> None:
        self.files += files
        self.bytes += nbytes
        now = time.monotonic()
        if self.enabled and (
            now - self._drawn_at >= _REDRAW_SECONDS or self.files == self.total_files
        ):
            self._drawn_at = now
            self._draw(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.files / elapsed
        remaining = (self.total_files - self.files) / rate if rate > 0 else 0.0
        share = self.files / self.total_files if self.total_files else 1.0
        width = 20
        bar = "#" * int(share * width)
        return (
            f"[{bar:<{width}}] {self.files}/{self.total_files} files "
            f"{self.bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB "
            f"{rate:.0f} files/s ETA {_clock(remaining)}"
        )

    def _draw(self, now: float) -> None:
        columns = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r" + self.line(now)[: columns - 1].ljust(columns - 1))
        self.stream.flush()
        self._visible = True

    def clear(self) -> None:
        """Erase the bar (it is redrawn on the next update)."""
        if self._visible:
            columns = shutil.get_terminal_size((100, 20)).columns
            self.stream.write("\r" + " " * (columns - 1) + "\r")
            self.stream.flush()
            self._visible = False

    def message(self, text: str) -> None:
        """Print ``text`` on its own line without garbling the bar."""
        self.clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.clear()
