"""The unit of work every engine runs: clean one file (or one JSONL shard) into its output.

:func:`process_chunk` is what the process pool and Ray execute; it is a plain module-level
function over picklable dataclasses, so both engines run literally the same code and give
the same bytes. It never raises for a bad input: every failure becomes a
:class:`FileResult` with ``status="error"`` and a one-line reason, so one file cannot stop
the batch.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, BinaryIO

from textmend import __version__
from textmend.batch.documents import DocOutcome, HashingSink, Writer, clean_document
from textmend.batch.jsonl import (
    ShardOutcome,
    clean_shard,
    decompression_errors,
    open_shard_reader,
    open_shard_writer,
)
from textmend.batch.outputs import DEFAULT_FILE_MODE, AtomicOutput, write_atomically, write_backup
from textmend.batch.sources import DETECT, HTML, JSONL, Task, ensure_inside_output
from textmend.errors import InputError, TextmendError
from textmend.models import Cleaned, Finding, RemovedLine
from textmend.settings import Options

WRITE, IN_PLACE, CHECK = "write", "in-place", "check"

# Fault injection for the test suite (tests/test_faults.py), off unless this variable is set:
# ``crash:NAME`` makes the worker process die outright (``os._exit``, like a segfault or the
# OOM killer) when it picks up a file whose base name contains NAME. It exists because a
# real crash of a C extension cannot be produced on demand, and the crash-isolation path
# of the engines must be exercised end to end through the CLI.
FAULT_INJECTION_ENV = "TEXTMEND_FAULT_INJECTION"
CRASH_EXIT_CODE = 70

# Status of one input in the report.
CHANGED, UNCHANGED, PARTIAL, ERROR, SKIPPED = "changed", "unchanged", "partial", "error", "skipped"


@dataclass(frozen=True, slots=True)
class JobConfig:
    """Everything a worker needs besides the task; identical for every task of a run."""

    mode: str
    options: Options
    out_root: str | None = None
    text_field: str = "text"
    meta_key: str = "textmend"
    backup_suffix: str | None = None
    # fsync each output before its rename: atomic either way (a killed run leaves whole
    # files), durable only with it (a power cut cannot empty a renamed file).
    durable: bool = False

    def fingerprint(self) -> str:
        """Changes whenever the same input could give a different output (resume key)."""
        parts = (__version__, self.mode, repr(self.options), self.text_field, self.meta_key)
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


@dataclass(slots=True)
class FileResult:
    """The outcome for one input, as recorded in the report and the resume manifest."""

    path: str
    kind: str
    status: str
    output: str | None = None
    encoding: str | None = None
    bytes: int = 0
    fixes: int = 0
    lines_removed: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    records: int | None = None
    records_changed: int | None = None
    record_errors: list[dict[str, Any]] = field(default_factory=list)
    check_lines: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def failed(self) -> bool:
        return self.status in (ERROR, PARTIAL)

    def report_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "path": self.path,
            "output": self.output,
            "format": self.kind,
            "status": self.status,
            "encoding": self.encoding,
            "bytes": self.bytes,
            "fixes": self.fixes,
            "lines_removed": self.lines_removed,
            "findings": self.findings,
            "removed": self.removed,
            "notes": self.notes,
            "error": self.error,
        }
        if self.kind == JSONL:
            entry["records"] = self.records
            entry["records_changed"] = self.records_changed
            entry["record_errors"] = self.record_errors
        return entry

    def __reduce__(self) -> tuple[type[FileResult], tuple[Any, ...]]:
        # Pickled (from a worker to the driver) as the constructor's arguments, which
        # costs less than the default state of a dataclass with slots.
        return FileResult, _result_fields(self)

    @classmethod
    def from_report_entry(cls, entry: dict[str, Any]) -> FileResult:
        return cls(
            path=entry["path"],
            kind=entry["format"],
            status=entry["status"],
            output=entry.get("output"),
            encoding=entry.get("encoding"),
            bytes=entry.get("bytes", 0),
            fixes=entry.get("fixes", 0),
            lines_removed=entry.get("lines_removed", 0),
            findings=entry.get("findings", []),
            removed=entry.get("removed", []),
            notes=entry.get("notes", []),
            error=entry.get("error"),
            records=entry.get("records"),
            records_changed=entry.get("records_changed"),
            record_errors=entry.get("record_errors", []),
            resumed=True,
        )


_result_fields = attrgetter(*(f.name for f in fields(FileResult)))


def process_chunk(tasks: list[Task], config: JobConfig) -> list[FileResult]:
    """Process ``tasks`` one after the other (a chunk amortises inter-process overhead).

    Output folders are created and checked (:func:`ensure_inside_output`) once per chunk,
    not once per file: the tasks of a chunk are consecutive, so they mostly share a folder.
    """
    ready: set[str] = set()
    # The fault-injection variable is read once per chunk rather than once per file: a
    # lookup in os.environ encodes the name and decodes the value, per call.
    fault = os.environ.get(FAULT_INJECTION_ENV)
    return [_process_task(task, config, ready, fault) for task in tasks]


def run_serial(chunks: Iterable[list[Task]], config: JobConfig) -> Iterator[list[FileResult]]:
    """In the driver process itself: for a single input, where a pool only adds start-up.

    It lives here rather than with the process pool (:mod:`.local`) so that a one-file run
    does not import multiprocessing and concurrent.futures at all.
    """
    for chunk in chunks:
        yield process_chunk(chunk, config)


def process_task(task: Task, config: JobConfig, ready: set[str] | None = None) -> FileResult:
    """Clean one input according to ``config``; never raises for a bad input.

    ``ready`` holds the output folders already created and checked by this caller.
    """
    return _process_task(task, config, ready, os.environ.get(FAULT_INJECTION_ENV))


def _process_task(
    task: Task, config: JobConfig, ready: set[str] | None, fault: str | None
) -> FileResult:
    """:func:`process_task` with the value of :data:`FAULT_INJECTION_ENV` already read."""
    if fault:
        _inject_fault(task, fault)
    try:
        if task.kind == JSONL:
            try:
                return _process_shard(task, config, ready)
            except decompression_errors(task.compression) as exc:
                what = "gzip" if task.compression == "gz" else "zstd"
                raise InputError(f"corrupt or truncated {what} data: {exc}") from exc
        return _process_document(task, config, ready)
    except (TextmendError, OSError, EOFError, UnicodeError, MemoryError) as exc:
        return error_result(task, describe_error(exc))
    except Exception as exc:  # a bug or a library failure: still one file, not the batch
        return error_result(task, f"internal error: {type(exc).__name__}: {exc}")


def _inject_fault(task: Task, spec: str) -> None:
    """Honour :data:`FAULT_INJECTION_ENV`, whose value is ``spec`` (tests only; see its
    comment)."""
    action, _, needle = spec.partition(":")
    if action == "crash" and needle and needle in os.path.basename(task.src):
        os._exit(CRASH_EXIT_CODE)


def error_result(task: Task, reason: str) -> FileResult:
    return FileResult(
        task.display, task.kind, ERROR, output=_shown_output(task), bytes=task.size, error=reason
    )


def describe_error(exc: BaseException) -> str:
    """A one-line reason: the OS message for OS errors, the message for our own errors."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, TextmendError | EOFError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC


def open_input(path: str) -> int:
    """A descriptor of ``path`` open for reading, only if it is a regular file.

    O_NONBLOCK makes opening a FIFO that replaced the file since planning return at once
    instead of blocking; the fstat then refuses it.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def open_regular(path: str, *, buffering: int = 1 << 20) -> Iterator[BinaryIO]:
    """:func:`open_input` as a file object (JSONL shards, which are read line by line).

    ``buffering=0`` gives the raw file, for callers that read in large pieces anyway (no
    1 MB buffer allocated per small file).
    """
    fd = open_input(path)
    try:
        handle = os.fdopen(fd, "rb", buffering=buffering)
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


class DescriptorReader:
    """``read(size)`` straight from a descriptor: what an unbuffered file's ``read(size)``
    does (one ``read`` system call, retried on EINTR), without that file object.

    A document is read in one or two calls, so the object is most of the cost: building an
    ``io.FileIO`` per article costs a second fstat of the descriptor and more Python work
    than the two reads themselves. The caller owns (and closes) the descriptor.
    """

    __slots__ = ("fd",)

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, size: int, /) -> bytes:
        return os.read(self.fd, size)


def _shown_output(task: Task) -> str | None:
    return task.dest


def _target(task: Task, config: JobConfig, ready: set[str] | None) -> tuple[str | None, int]:
    """Where the output goes and with which permission bits (see :func:`process_task`
    for ``ready``)."""
    if config.mode == IN_PLACE:
        real = os.path.realpath(task.src)
        return real, stat.S_IMODE(os.stat(real).st_mode)
    if config.mode == WRITE and task.dest is not None:
        folder = os.path.dirname(task.dest) or "."
        if ready is None or folder not in ready:
            os.makedirs(folder, exist_ok=True)
            if config.out_root is not None:
                ensure_inside_output(task.dest, config.out_root)
            if ready is not None:
                ready.add(folder)
        return task.dest, DEFAULT_FILE_MODE
    return None, DEFAULT_FILE_MODE


def _process_document(task: Task, config: JobConfig, ready: set[str] | None) -> FileResult:
    target, mode = _target(task, config, ready)
    stream: AtomicOutput | None = None

    def open_stream() -> Writer:
        nonlocal stream
        if target is None:
            return HashingSink()
        stream = AtomicOutput(target, mode=mode, durable=config.durable)
        return stream

    html = True if task.kind == HTML else None if task.kind == DETECT else False
    try:
        fd = open_input(task.src)
        try:
            outcome = clean_document(
                DescriptorReader(fd),
                html=html,
                options=config.options,
                open_stream=open_stream,
                size_hint=task.size,
            )
        finally:
            os.close(fd)
        if target is not None:
            _commit_document(task, config, outcome, target, mode, stream)
    finally:
        if stream is not None:
            stream.abort()
    return document_result(
        task.display,
        task.kind,
        task.size,
        outcome,
        output=target if config.mode == WRITE else None,
        check=config.mode == CHECK,
    )


def _commit_document(
    task: Task,
    config: JobConfig,
    outcome: DocOutcome,
    target: str,
    mode: int,
    stream: AtomicOutput | None,
) -> None:
    if config.mode == IN_PLACE:
        if outcome.unchanged:
            return  # nothing to do: the input is left exactly as it was
        if config.backup_suffix:
            write_backup(target, config.backup_suffix)
    if outcome.data is not None:
        write_atomically(target, outcome.data, mode=mode, durable=config.durable)
    elif stream is not None:
        stream.commit()


def document_result(
    path: str,
    kind: str,
    size: int,
    outcome: DocOutcome,
    *,
    output: str | None,
    check: bool = True,
) -> FileResult:
    """The result of one document; its ``check_lines`` only when ``check`` asks for them."""
    result = FileResult(
        path,
        kind,
        UNCHANGED if outcome.unchanged else CHANGED,
        output=output,
        encoding=outcome.encoding,
        bytes=size,
        fixes=len(outcome.findings),
        lines_removed=len(outcome.removed),
        findings=[f.to_dict() for f in outcome.findings],
        removed=[r.to_dict() for r in outcome.removed],
        notes=list(outcome.notes),
    )
    if not check:
        return result
    result.check_lines = check_lines(path, outcome.findings, outcome.removed)
    if not outcome.unchanged and not result.check_lines:
        result.check_lines.append(f"{path}: would be rewritten ({_rewrite_reason(outcome)})")
    return result


def _rewrite_reason(outcome: DocOutcome) -> str:
    if outcome.encoding not in (None, "ascii", "utf-8"):
        return f"re-encoded from {outcome.encoding} to UTF-8"
    return "layout normalised"


def _process_shard(task: Task, config: JobConfig, ready: set[str] | None) -> FileResult:
    target, mode = _target(task, config, ready)
    lines: list[str] = []

    def on_record(line_number: int, original: str, cleaned: Cleaned) -> None:
        if config.mode == CHECK:
            lines.extend(
                record_check_lines(task.display, line_number, config.text_field, original, cleaned)
            )

    with open_regular(task.src) as raw:
        if target is None:
            with open_shard_reader(raw, task.compression) as reader:
                outcome = clean_shard(
                    reader,
                    None,
                    text_field=config.text_field,
                    meta_key=config.meta_key,
                    options=config.options,
                    on_record=on_record,
                )
        else:
            with AtomicOutput(target, mode=mode, durable=config.durable) as out:
                with (
                    open_shard_reader(raw, task.compression) as reader,
                    open_shard_writer(out.handle, task.compression) as writer,
                ):
                    outcome = clean_shard(
                        reader,
                        writer.write,
                        text_field=config.text_field,
                        meta_key=config.meta_key,
                        options=config.options,
                    )
                if config.mode == WRITE or outcome.records_changed:
                    if config.mode == IN_PLACE and config.backup_suffix:
                        write_backup(target, config.backup_suffix)
                    out.commit()
    result = shard_result(
        task.display, task.size, outcome, output=target if config.mode == WRITE else None
    )
    result.check_lines = lines + [
        f"{task.display}:{e.line}: error: {e.reason}" for e in outcome.errors
    ]
    return result


def shard_result(path: str, size: int, outcome: ShardOutcome, *, output: str | None) -> FileResult:
    status = PARTIAL if outcome.errors else CHANGED if outcome.records_changed else UNCHANGED
    return FileResult(
        path,
        JSONL,
        status,
        output=output,
        encoding="utf-8",
        bytes=size,
        fixes=outcome.fixes,
        lines_removed=outcome.lines_removed,
        records=outcome.records,
        records_changed=outcome.records_changed,
        record_errors=[e.to_dict() for e in outcome.errors],
        error=(
            f"{len(outcome.errors)} malformed record(s), first at line "
            f"{outcome.errors[0].line}: {outcome.errors[0].reason}"
        )
        if outcome.errors
        else None,
    )


def quote(text: str) -> str:
    """``text`` in single quotes with quotes, backslashes and control characters escaped,
    other characters (the whole point of a mojibake report) shown as they are."""
    out = []
    for char in text:
        if char in "'\\":
            out.append("\\" + char)
        elif char.isprintable() or char == " ":
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "'" + "".join(out) + "'"


def check_lines(path: str, findings: list[Finding], removed: list[RemovedLine]) -> list[str]:
    lines = [
        f"{path}:{f.line}:{f.column}: {f.kind}: {quote(f.original)} -> {quote(f.replacement)}"
        for f in findings
    ]
    lines.extend(f"{path}:{r.line}: removed ({r.category}): {quote(r.text)}" for r in removed)
    return lines


def record_check_lines(
    path: str, line_number: int, text_field: str, original: str, cleaned: Cleaned
) -> list[str]:
    """Check lines for one JSONL record: ``path:RECORD_LINE:FIELD:LINE:COL: ...``."""
    prefix = f"{path}:{line_number}:{text_field}"
    lines = check_lines(prefix, cleaned.findings, cleaned.removed)
    if not lines and cleaned.text != original:
        lines.append(f"{prefix}: would be rewritten (layout normalised)")
    return lines
