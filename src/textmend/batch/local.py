"""The local engine: a pool of worker processes on this machine.

Workers are forked from the driver after the pipeline (and its import-time tables) is
loaded, so they start warm. Chunks are submitted through a bounded window and results are
yielded *in submission order* (reports and ``check`` output are deterministic; the window
keeps every worker busy meanwhile). If a worker process dies (a crash in a C extension,
the OOM killer), the pool breaks and every chunk in flight is lost; those tasks are then
rerun one by one in a fresh pool, so the file that kills its worker again is reported as
failed and the batch goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from textmend.batch.sources import Task
from textmend.batch.worker import FileResult, JobConfig, error_result, process_chunk, run_serial
from textmend.pipeline import prepare_for_workers

# run_serial is re-exported: it moved to worker.py (see there) and is still found here.
__all__ = ["CRASH_REASON", "LocalEngine", "run_serial"]

CRASH_REASON = "worker process crashed while cleaning this file"


def _init_worker() -> None:
    # Ctrl-C goes to the whole process group; only the driver should react to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import textmend.pipeline  # noqa: F401  (already loaded when forked; needed under spawn)

    # What the worker starts with (the modules, the tables the driver built before
    # forking) is kept for the worker's life: frozen, it is no longer walked by each full
    # collection of the cyclic garbage collector, nor are its pages (shared by the fork)
    # written to. The pattern the gc module documents for forked workers.
    gc.freeze()


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


ChunkWorker = Callable[[list[Task], JobConfig], list[FileResult]]


class LocalEngine:
    """``work`` is the function run in the workers; tests substitute one that crashes on
    purpose (fault injection) to prove a dead worker costs one file, not the batch."""

    def __init__(
        self, jobs: int, *, work: ChunkWorker = process_chunk, warm_up: bool = True
    ) -> None:
        self.jobs = max(1, jobs)
        self.work = work
        # False: build only what every worker needs before forking, not the tables a few
        # typical documents build (see pipeline.prepare_for_workers); for a run too small
        # to repay that serial warm-up.
        self.warm_up = warm_up
        self._pool: ProcessPoolExecutor | None = None

    def _fresh_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if _context().get_start_method() == "fork":
            # The forked workers inherit what it builds.
            prepare_for_workers(self.jobs if self.warm_up else 1)
        self._pool = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=_init_worker)
        return self._pool

    def run(self, chunks: Iterable[list[Task]], config: JobConfig) -> Iterator[list[FileResult]]:
        pool = self._fresh_pool()
        window: deque[tuple[list[Task], Future[list[FileResult]]]] = deque()
        pending = iter(chunks)
        try:
            while True:
                unsent: list[Task] = []
                try:
                    while len(window) < self.jobs * 4:
                        chunk = next(pending, None)
                        if chunk is None:
                            break
                        unsent = chunk
                        window.append((chunk, pool.submit(self.work, chunk, config)))
                        unsent = []
                    if not window:
                        return
                    chunk, future = window[0]
                    results = future.result()
                    window.popleft()
                except BrokenProcessPool:
                    # submit() or result() saw a dead worker: everything in flight is lost.
                    suspects = [task for lost, _ in window for task in lost] + unsent
                    window.clear()
                    yield from self._isolate(suspects, config)
                    pool = self._pool or self._fresh_pool()
                    continue
                yield results
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _isolate(self, tasks: list[Task], config: JobConfig) -> Iterator[list[FileResult]]:
        """Rerun ``tasks`` one at a time so a crash points at exactly one file."""
        pool = self._fresh_pool()
        for task in tasks:
            try:
                yield pool.submit(self.work, [task], config).result()
            except BrokenProcessPool:
                yield [error_result(task, CRASH_REASON)]
                pool = self._fresh_pool()
