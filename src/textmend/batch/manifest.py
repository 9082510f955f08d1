"""The resume manifest: which outputs a previous run of the same command already finished.

One JSON line per finished input, in ``OUT/.textmend-manifest.jsonl``, appended by the
driver *after* the worker has atomically renamed the output into place: the lines of a
whole chunk go out in one write (flushed to the OS) as soon as the chunk's results arrive,
so a killed run redoes at most the chunks in flight.
A rerun skips a task when its manifest line matches the input's size and mtime, the run's
option fingerprint, and the output still exists. A run killed with SIGKILL can leave a
half-written last line: lines that do not parse are ignored (that input is simply redone)
and a missing final newline is restored before appending, so the next line stays whole.
Inputs that failed are not recorded and are retried by the rerun.

The manifest is a convenience, never a reason to stop: if appending to it fails (the output
disk is full), the run goes on without it and ``write_error`` says why, so the driver can
warn that a resumed run will redo the inputs finished from then on.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from typing import IO, Any

from textmend.batch.sources import Task
from textmend.batch.worker import CHANGED, PARTIAL, UNCHANGED, FileResult

MANIFEST_NAME = ".textmend-manifest.jsonl"


class Manifest:
    def __init__(self, out_root: str, fingerprint: str, *, force: bool) -> None:
        self.path = os.path.join(out_root, MANIFEST_NAME)
        self.fingerprint = fingerprint
        self.write_error: OSError | None = None
        self.entries: dict[str, dict[str, Any]] = {}
        if force:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        else:
            self.entries = self._load()
        os.makedirs(out_root, exist_ok=True)
        self._handle: IO[bytes] = open(self.path, "ab")  # noqa: SIM115 (lives with the run)
        if self._handle.tell() > 0 and not self._ends_with_newline():
            self._handle.write(b"\n")
            self._handle.flush()

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def _load(self) -> dict[str, dict[str, Any]]:
        entries: dict[str, dict[str, Any]] = {}
        try:
            handle = open(self.path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            return entries
        with handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a kill: that input is redone
                if isinstance(entry, dict) and entry.get("fingerprint") == self.fingerprint:
                    entries[entry["rel"]] = entry
        return entries

    def finished(self, task: Task) -> FileResult | None:
        """The recorded result when ``task`` was completed by an earlier identical run."""
        entry = self.entries.get(task.rel)
        if entry is None or (entry.get("size"), entry.get("mtime_ns")) != (
            task.size,
            task.mtime_ns,
        ):
            return None
        if task.dest is None or not os.path.exists(task.dest):
            return None
        result = FileResult.from_report_entry(entry["result"])
        result.path = task.display
        return result

    def record_many(self, done: Iterable[tuple[Task, FileResult]]) -> None:
        """Append the finished inputs among ``done`` in one write."""
        if self.write_error is not None:
            return
        lines = [
            json.dumps(
                {
                    "rel": task.rel,
                    "size": task.size,
                    "mtime_ns": task.mtime_ns,
                    "fingerprint": self.fingerprint,
                    "result": result.report_entry(),
                }
            ).encode("ascii")
            + b"\n"
            for task, result in done
            if result.status in (CHANGED, UNCHANGED, PARTIAL)
        ]
        if not lines:
            return
        try:
            self._handle.write(b"".join(lines))
            self._handle.flush()
        except OSError as exc:
            # A half-written line is ignored by the next run's loader, like after SIGKILL.
            self.write_error = exc

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._handle.flush()
            os.fsync(self._handle.fileno())
        with contextlib.suppress(OSError):  # data a full disk refused is still buffered
            self._handle.close()
