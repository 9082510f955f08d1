"""The ``--report`` file and the final summary.

The report has one JSON line per input (path, output, format, status, encoding, findings,
removed lines, error; for JSONL shards also record counts and malformed-record lines). It
is written to a temporary file and renamed at the end, so readers never see a partial
report; inputs finished by an earlier (interrupted) run are included from the manifest, so
a resumed run's report is as complete as an uninterrupted one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from textmend.batch.outputs import AtomicOutput
from textmend.batch.worker import CHANGED, ERROR, PARTIAL, SKIPPED, UNCHANGED, FileResult

# json.dumps with an option builds a new encoder per call; one made once writes the same.
_READABLE = json.JSONEncoder(ensure_ascii=False)


class ReportWriter:
    def __init__(self, path: str) -> None:
        self.path = path
        self._out = AtomicOutput(path)

    def add(self, result: FileResult) -> None:
        entry = result.report_entry()
        try:
            line = _READABLE.encode(entry).encode("utf-8")
        except UnicodeEncodeError:  # undecodable file names (lone surrogates)
            line = json.dumps(entry).encode("ascii")
        self._out.write(line + b"\n")

    def close(self) -> None:
        self._out.commit()

    def abort(self) -> None:
        self._out.abort()


@dataclass(slots=True)
class Summary:
    """Counts for the final summary line."""

    files: int = 0
    changed: int = 0
    unchanged: int = 0
    repaired: int = 0
    failed: int = 0
    skipped: int = 0
    malformed_records: int = 0
    fixes: int = 0
    lines_removed: int = 0
    resumed: int = 0
    bytes: int = 0

    def add(self, result: FileResult) -> None:
        if result.status == SKIPPED:
            self.skipped += 1
            return
        self.files += 1
        self.bytes += result.bytes
        self.resumed += result.resumed
        if result.status == ERROR:
            self.failed += 1
            return
        if result.status == CHANGED or (result.status == PARTIAL and result.records_changed):
            self.changed += 1
        elif result.status in (UNCHANGED, PARTIAL):
            self.unchanged += 1
        self.repaired += result.fixes > 0
        self.fixes += result.fixes
        self.lines_removed += result.lines_removed
        self.malformed_records += len(result.record_errors)

    def render(self, seconds: float, *, check: bool) -> str:
        verb = "would change" if check else "cleaned"
        mb = self.bytes / 1e6
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        parts = [
            f"{files} ({mb:.2f} MB): {self.changed} {verb}, {self.unchanged} unchanged, "
            f"{self.repaired} repaired, {self.failed} failed",
            f"{self.fixes} fixes",
            f"{self.lines_removed} lines removed",
        ]
        if self.malformed_records:
            parts.append(f"{self.malformed_records} malformed JSONL records passed through")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.resumed:
            parts.append(f"{self.resumed} already done by an earlier run")
        rate = f", {self.files / seconds:.0f} files/s" if seconds > 0 and self.files else ""
        parts.append(f"{seconds:.1f} s{rate}")
        return "; ".join(parts)
