"""The ``textmend`` command line: ``clean`` and ``check``.

Exit codes: 0 all went well; 1 ``check`` found something that would change; 2 bad usage,
or at least one input could not be processed (the rest of the batch still ran). Errors are
one line on stderr naming the path and the reason; no traceback ever reaches the user
(:func:`main` turns anything unexpected into one line and exit code 2).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import click

from textmend import __version__
from textmend.batch.chunks import make_chunks
from textmend.batch.documents import HashingSink, clean_document
from textmend.batch.jsonl import DEFAULT_META_KEY, clean_shard, open_shard_reader
from textmend.batch.manifest import MANIFEST_NAME, Manifest
from textmend.batch.outputs import AtomicOutput
from textmend.batch.progress import Progress
from textmend.batch.report import ReportWriter, Summary
from textmend.batch.sources import (
    DETECT,
    FORMAT_CHOICES,
    HTML,
    JSONL,
    Plan,
    Planner,
    Skipped,
    Task,
    kind_of,
    single_output_file,
)
from textmend.batch.worker import (
    CHANGED,
    CHECK,
    ERROR,
    IN_PLACE,
    PARTIAL,
    SKIPPED,
    WRITE,
    FileResult,
    JobConfig,
    describe_error,
    document_result,
    record_check_lines,
    run_serial,
    shard_result,
)
from textmend.errors import TextmendError
from textmend.models import Cleaned
from textmend.settings import Options
from textmend.write import remove_stale_temp_files

# "-" as a source is stdin; as the output (-o -), stdout.
STDIN = "-"
STDOUT = "-"
MAX_RECORD_ERRORS_SHOWN = 20
# Below this much input, worker processes start without the warm-up of the tables a few
# typical documents build (pipeline.prepare_for_workers). The warm-up runs in the driver
# before any worker starts, about 0.35 s of CPU (most of it for the GBK mojibake reading
# and the word lists), which pays when it spares every worker building the same tables and
# holding its own copy of them; a run of less than a megabyte of articles (a few hundred)
# costs about as much as the warm-up itself, and its workers may never need those tables:
# with the default --jobs (all CPUs) a 10-file run took twice as long with it.
WARM_UP_MIN_BYTES = 1 << 20


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The options ``clean`` and ``check`` share, after validation."""

    format_choice: str
    text_field: str
    meta_key: str
    options: Options
    jobs: int
    engine: str
    address: str | None
    quiet: bool
    report: str | None
    durable: bool = False


def _shared_options(command: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.option(
            "--format",
            "format_choice",
            type=click.Choice(FORMAT_CHOICES),
            default="auto",
            show_default=True,
            help="Input format; auto goes by file name (.html/.htm, .jsonl[.gz|.zst]; "
            "other files are text, HTML detected by content).",
        ),
        click.option(
            "--text-field",
            default="text",
            show_default=True,
            help="JSONL: the field of each record to clean.",
        ),
        click.option(
            "--metadata-key",
            "meta_key",
            default=DEFAULT_META_KEY,
            show_default=True,
            help="JSONL: key under which findings and removed lines are added.",
        ),
        click.option(
            "--keep-boilerplate", is_flag=True, help="Repair only; do not remove boilerplate lines."
        ),
        click.option(
            "--mark-boilerplate",
            is_flag=True,
            help="Keep boilerplate lines but prefix them with a marker.",
        ),
        click.option("--strict", is_flag=True, help="Refuse inferred (lossy, unproven) repairs."),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes (default: the number of CPUs).",
        ),
        click.option(
            "--engine",
            type=click.Choice(("local", "ray")),
            default="local",
            show_default=True,
            help="Run on local processes or on a Ray cluster.",
        ),
        click.option(
            "--address",
            default=None,
            help="Ray cluster address (default: $RAY_ADDRESS, else a local Ray).",
        ),
        click.option(
            "--report",
            type=str,
            default=None,
            metavar="FILE",
            help="Write one JSON line per input to FILE.",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            help="No progress bar and no summary (errors are still shown).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _settings(kwargs: dict[str, Any]) -> RunSettings:
    options = Options(
        remove_boilerplate=not kwargs["keep_boilerplate"],
        mark_boilerplate=kwargs["mark_boilerplate"],
        allow_inferred=not kwargs["strict"],
    )
    if kwargs["engine"] != "ray" and kwargs["address"]:
        raise click.UsageError("--address is only used with --engine ray")
    return RunSettings(
        format_choice=kwargs["format_choice"],
        text_field=kwargs["text_field"],
        meta_key=kwargs["meta_key"],
        options=options,
        jobs=kwargs["jobs"] or default_jobs(),
        engine=kwargs["engine"],
        address=kwargs["address"],
        quiet=kwargs["quiet"],
        report=kwargs["report"],
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textmend")
def cli() -> None:
    """Repair mojibake and clean scraped articles into clean UTF-8."""


@cli.command("clean")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="OUT",
    help="Output folder (mirrors the input tree), output file for one input, or - for "
    "stdout (one input).",
)
@click.option("--in-place", is_flag=True, help="Rewrite the inputs themselves (atomically).")
@click.option(
    "--backup",
    default=None,
    metavar="SUFFIX",
    help="With --in-place: keep an exact copy of each rewritten input as NAME+SUFFIX.",
)
@click.option(
    "--force", is_flag=True, help="Redo every input, even those an earlier run already finished."
)
@click.option(
    "--fsync",
    "durable",
    is_flag=True,
    help="Flush every output to disk before renaming it into place (survives power loss; "
    "slower). --in-place always does.",
)
@_shared_options
def clean_command(
    sources: tuple[str, ...],
    output: str | None,
    in_place: bool,
    backup: str | None,
    force: bool,
    durable: bool,
    **kwargs: Any,
) -> None:
    """Clean SOURCES (files, folders, or - for stdin) into OUT or in place."""
    settings = dataclasses.replace(_settings(kwargs), durable=durable or in_place)
    _validate_clean(sources, output, in_place, backup)
    if sources == (STDIN,):
        code = _run_stdin(settings, mode=WRITE, output=None if output == STDOUT else output)
    elif output == STDOUT:
        code = _run_file_to_stdout(sources, settings)
    elif in_place:
        code = _run_batch(
            sources, settings, mode=IN_PLACE, out_root=None, force=force, backup=backup
        )
    elif output is not None and single_output_file(sources, output):
        code = _run_single_file(sources[0], output, settings)
    else:
        assert output is not None
        code = _run_batch(sources, settings, mode=WRITE, out_root=output, force=force, backup=None)
    sys.exit(code)


@cli.command("check")
@click.argument("sources", nargs=-1, required=True)
@_shared_options
def check_command(sources: tuple[str, ...], **kwargs: Any) -> None:
    """Report what `clean` would change in SOURCES, changing nothing.

    Prints `path:line:col: kind: 'original' -> 'fixed'` per repair and
    `path:line: removed (category): 'text'` per boilerplate line; exits 1 when anything
    would change. JSONL findings read `path:record_line:field:line:col: ...`.
    """
    settings = _settings(kwargs)
    if STDIN in sources and len(sources) > 1:
        raise click.UsageError("'-' (stdin) cannot be combined with other sources")
    if sources == (STDIN,):
        code = _run_stdin(settings, mode=CHECK, output=None)
    else:
        code = _run_batch(sources, settings, mode=CHECK, out_root=None, force=False, backup=None)
    sys.exit(code)


def _validate_clean(
    sources: Sequence[str], output: str | None, in_place: bool, backup: str | None
) -> None:
    if STDIN in sources and len(sources) > 1:
        raise click.UsageError("'-' (stdin) cannot be combined with other sources")
    if in_place and output is not None:
        raise click.UsageError("--in-place and -o/--output exclude each other")
    if in_place and STDIN in sources:
        raise click.UsageError("--in-place cannot rewrite stdin")
    if backup is not None and not in_place:
        raise click.UsageError("--backup only makes sense with --in-place")
    if backup is not None and (not backup or os.sep in backup):
        raise click.UsageError("--backup SUFFIX must be a non-empty suffix without '/'")
    if not in_place and output is None and sources != (STDIN,):
        raise click.UsageError("say where the output goes: -o OUT, or --in-place")


def _config(
    settings: RunSettings, mode: str, out_root: str | None, backup: str | None = None
) -> JobConfig:
    return JobConfig(
        mode,
        settings.options,
        out_root=out_root,
        text_field=settings.text_field,
        meta_key=settings.meta_key,
        backup_suffix=backup,
        durable=settings.durable,
    )


def _err(message: str) -> None:
    click.echo(f"textmend: {message}", err=True)


# --- stdin / stdout ------------------------------------------------------------------------


def _run_stdin(settings: RunSettings, *, mode: str, output: str | None) -> int:
    """``-``: read stdin; write stdout (or ``-o FILE``); JSONL is streamed record by record."""
    kind, _ = kind_of("", settings.format_choice)
    stdin = click.get_binary_stream("stdin")
    return _run_stream(contextlib.nullcontext(stdin), STDIN, kind, settings, mode, output)


def _run_file_to_stdout(sources: Sequence[str], settings: RunSettings) -> int:
    """``textmend clean FILE -o -``: one file cleaned to stdout, as stdin would be (a
    compressed JSONL shard comes out as plain JSONL: stdout is a pipe, not a shard)."""
    if len(sources) != 1 or not os.path.isfile(sources[0]):
        raise click.UsageError("-o - (stdout) takes exactly one input file")
    source = sources[0]
    kind, compression = kind_of(os.path.basename(source), settings.format_choice)

    @contextlib.contextmanager
    def opened() -> Iterator[IO[bytes]]:
        with open(source, "rb") as raw:
            if kind != JSONL:
                yield raw
            else:
                with open_shard_reader(raw, compression) as reader:
                    yield reader

    return _run_stream(opened(), source, kind, settings, WRITE, None)


def _run_stream(
    source: contextlib.AbstractContextManager[IO[bytes]],
    name: str,
    kind: str,
    settings: RunSettings,
    mode: str,
    output: str | None,
) -> int:
    """Clean one stream (stdin, or a file bound for stdout) into stdout or ``output``."""
    started = time.monotonic()
    target: AtomicOutput | None = None
    stdout: IO[bytes] = click.get_binary_stream("stdout")
    try:
        with source as stream:
            if mode != CHECK and output is not None:
                target = AtomicOutput(output)
            result = _clean_stream(stream, name, stdout, target, kind, settings, mode)
        if target is not None:
            target.commit()
    except (TextmendError, OSError, EOFError, UnicodeError, MemoryError) as exc:
        result = FileResult(name, kind, ERROR, error=describe_error(exc))
    finally:
        if target is not None:
            target.abort()
    return _finish([result], settings, mode=mode, started=started, out=None)


def _clean_stream(
    stream: IO[bytes],
    name: str,
    stdout: IO[bytes],
    target: AtomicOutput | None,
    kind: str,
    settings: RunSettings,
    mode: str,
) -> FileResult:
    sink: IO[bytes] | AtomicOutput = target if target is not None else stdout
    if kind == JSONL:
        lines: list[str] = []

        def write(line: bytes) -> None:
            sink.write(line)
            if target is None:
                stdout.flush()  # one record at a time through a Unix pipe

        def on_record(number: int, original: str, cleaned: Cleaned) -> None:
            lines.extend(record_check_lines(name, number, settings.text_field, original, cleaned))

        outcome = clean_shard(
            stream,
            None if mode == CHECK else write,
            text_field=settings.text_field,
            meta_key=settings.meta_key,
            options=settings.options,
            on_record=on_record if mode == CHECK else None,
        )
        result = shard_result(name, 0, outcome, output=None)
        result.check_lines = lines + [f"{name}:{e.line}: error: {e.reason}" for e in outcome.errors]
        return result
    html = True if kind == HTML else None if kind == DETECT else False
    outcome = clean_document(
        stream,
        html=html,
        options=settings.options,
        open_stream=(HashingSink if mode == CHECK else lambda: sink),
    )
    if outcome.data is not None and mode != CHECK:
        sink.write(outcome.data)
    if target is None and mode != CHECK:
        stdout.flush()
    return document_result(name, kind, len(outcome.data or b""), outcome, output=None)


# --- files and folders ---------------------------------------------------------------------


def _run_single_file(source: str, output: str, settings: RunSettings) -> int:
    """``textmend clean FILE -o OUTFILE``."""
    started = time.monotonic()
    planner = Planner(format_choice=settings.format_choice, out_root=None)
    plan = planner.plan([source])
    if plan.tasks:
        task = plan.tasks[0]
        kind, compression = kind_of(os.path.basename(output), settings.format_choice)
        if task.kind == JSONL and (kind, compression) != (JSONL, task.compression):
            raise click.UsageError(
                "a JSONL output file must have the same compression "
                f"suffix as its input ({task.rel})"
            )
        plan.tasks[0] = Task(
            task.src,
            task.display,
            os.path.basename(output),
            task.kind,
            task.compression,
            os.path.abspath(output),
            task.size,
            task.mtime_ns,
        )
    config = _config(settings, WRITE, None)
    results = _results_in_order(plan, {}, run_serial(make_chunks(plan.tasks, 1), config))
    return _finish(results, settings, mode=WRITE, started=started, out=None)


def _run_batch(
    sources: Sequence[str],
    settings: RunSettings,
    *,
    mode: str,
    out_root: str | None,
    force: bool,
    backup: str | None,
) -> int:
    started = time.monotonic()
    if out_root is not None:
        out_root = os.path.abspath(out_root)
        try:
            os.makedirs(out_root, exist_ok=True)
        except OSError as exc:
            raise click.UsageError(
                f"cannot create output folder {out_root}: {exc.strerror}"
            ) from None
        remove_stale_temp_files(out_root)
    elif mode == IN_PLACE:
        for folder in _written_folders(sources, mode, None):
            remove_stale_temp_files(folder)
    exclude = [settings.report] if settings.report else []
    planner = Planner(
        format_choice=settings.format_choice,
        out_root=out_root,
        exclude_files=exclude,
        backup_suffix=backup,
    )
    if settings.report:
        planner.reserve(settings.report, "--report")
    if out_root is not None:
        planner.reserve(os.path.join(out_root, MANIFEST_NAME), "the resume manifest")
    plan = planner.plan(sources)
    config = _config(settings, mode, out_root, backup)

    manifest = Manifest(out_root, config.fingerprint(), force=force) if out_root else None
    finished: dict[int, FileResult] = {}
    todo: list[Task] = []
    for index, task in enumerate(plan.tasks):
        earlier = manifest.finished(task) if manifest else None
        if earlier is not None:
            finished[index] = earlier
        else:
            todo.append(task)
    try:
        engine_results = _engine_results(todo, config, settings)
        results = _results_in_order(plan, finished, engine_results, manifest=manifest)
        code = _finish(results, settings, mode=mode, started=started, out=out_root, plan=plan)
        # The engine is left suspended after its last chunk (results are taken as they are
        # needed); closing it shuts its workers down here, not whenever the garbage
        # collector frees it. A reference cycle (an exception kept with its traceback, as
        # Manifest.write_error is) can keep it alive until the interpreter exits, when the
        # process pool's own exit handler has already closed its pipes and shutting the
        # pool down fails with a traceback on stderr.
        close = getattr(engine_results, "close", None)
        if close is not None:
            close()
    finally:
        if manifest is not None:
            manifest.close()
            if manifest.write_error is not None:
                _err(
                    f"warning: could not update the resume manifest {manifest.path} "
                    f"({describe_error(manifest.write_error)}); a resumed run will redo "
                    "the files finished after that"
                )
    # A worker that died (and took its pool with it) can leave the temporary file of a
    # write in progress; every worker has finished now, so sweeping cannot race a writer.
    for folder in _written_folders(sources, mode, out_root):
        remove_stale_temp_files(folder)
    return code


def _written_folders(sources: Sequence[str], mode: str, out_root: str | None) -> list[str]:
    if out_root is not None:
        return [out_root]
    if mode == IN_PLACE:
        return [s if os.path.isdir(s) else os.path.dirname(s) or "." for s in sources]
    return []


def _engine_results(
    todo: list[Task], config: JobConfig, settings: RunSettings
) -> Iterator[list[FileResult]]:
    if settings.engine == "ray":
        from textmend.batch.ray_engine import RayEngine

        engine = RayEngine(address=settings.address, jobs=settings.jobs)
        return engine.run(make_chunks(todo, settings.jobs), config)
    if len(todo) <= 1:
        return run_serial(make_chunks(todo, 1), config)
    # Imported here: multiprocessing and concurrent.futures are start-up cost a one-file
    # run does not need.
    from textmend.batch.local import LocalEngine

    engine = LocalEngine(
        min(settings.jobs, len(todo)),
        warm_up=sum(task.size for task in todo) >= WARM_UP_MIN_BYTES,
    )
    return engine.run(make_chunks(todo, settings.jobs), config)


def _results_in_order(
    plan: Plan,
    finished: dict[int, FileResult],
    engine_results: Iterator[list[FileResult]],
    *,
    manifest: Manifest | None = None,
) -> Iterator[tuple[Task | Skipped, FileResult]]:
    """Results in plan order: skipped inputs first, then every task, whether it was
    finished by an earlier run (from the manifest) or just now (from the engine).

    The engine yields the results of the tasks not in ``finished``, in plan order, one
    chunk at a time; each chunk is recorded in the manifest as soon as it arrives."""
    for skipped in plan.skipped:
        status = ERROR if skipped.fatal else SKIPPED
        yield skipped, FileResult(skipped.display, "", status, error=skipped.reason)
    todo = (task for index, task in enumerate(plan.tasks) if index not in finished)
    arrived: deque[FileResult] = deque()
    for index, task in enumerate(plan.tasks):
        if index in finished:
            yield task, finished[index]
            continue
        while not arrived:
            chunk = next(engine_results)
            if manifest is not None:
                manifest.record_many(zip(itertools.islice(todo, len(chunk)), chunk, strict=True))
            arrived.extend(chunk)
        yield task, arrived.popleft()


def _finish(
    results: Iterator[tuple[Task | Skipped, FileResult]] | list[FileResult],
    settings: RunSettings,
    *,
    mode: str,
    started: float,
    out: str | None,
    plan: Plan | None = None,
) -> int:
    """Consume the results: report, stderr lines, check output, progress, summary, exit."""
    summary = Summary()
    total_files = len(plan.tasks) if plan else 1
    total_bytes = plan.total_bytes if plan else 0
    progress = Progress(
        total_files, total_bytes, enabled=not settings.quiet and sys.stderr.isatty()
    )
    report = ReportWriter(settings.report) if settings.report else None
    any_change = False
    try:
        for item in results:
            result = item[1] if isinstance(item, tuple) else item
            summary.add(result)
            if report is not None:
                report.add(result)
            _announce(result, progress)
            if mode == CHECK and result.check_lines:
                progress.clear()
                click.echo("\n".join(result.check_lines))
            any_change = (
                any_change
                or result.status == CHANGED
                or bool(result.status == PARTIAL and result.records_changed)
            )
            if result.status != SKIPPED:
                progress.advance(1, result.bytes)
    finally:
        progress.close()
        if report is not None:
            report.close()
    if not settings.quiet:
        _err(summary.render(time.monotonic() - started, check=mode == CHECK))
        if report is not None:
            _err(f"report: {settings.report}")
        elif out is not None and mode == WRITE:
            _err(f"output: {out}")
    if summary.failed or summary.malformed_records:
        return 2
    if mode == CHECK and any_change:
        return 1
    return 0


def _announce(result: FileResult, progress: Progress) -> None:
    """One stderr line per failed or skipped input (and per malformed JSONL record)."""
    if result.status == ERROR:
        progress.message(f"textmend: {result.path}: {result.error}")
    elif result.status == SKIPPED:
        progress.message(f"textmend: {result.path}: skipped: {result.error}")
    elif result.status == PARTIAL:
        for error in result.record_errors[:MAX_RECORD_ERRORS_SHOWN]:
            progress.message(f"textmend: {result.path}:{error['line']}: {error['reason']}")
        hidden = len(result.record_errors) - MAX_RECORD_ERRORS_SHOWN
        if hidden > 0:
            progress.message(
                f"textmend: {result.path}: {hidden} more malformed records (see --report)"
            )


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="textmend")
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); stop quietly, and keep Python's own final
        # flush of stdout from complaining again.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        sys.exit(2)
    except Exception as exc:
        _err(f"error: {describe_error(exc)}")
        sys.exit(2)
