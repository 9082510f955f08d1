"""The Ray engine: the same worker function as Ray tasks, for inputs on a shared filesystem.

``ray`` is imported only here, inside the functions, so ``import textmend`` never needs it
(``pip install textmend[ray]`` adds it). The cluster is the one named by ``--address`` or
``RAY_ADDRESS``; with neither, a local Ray is started for the run (and stopped after). When
the caller already called ``ray.init()`` (a notebook, a test, a larger Ray program) that
cluster is used and left running. Workers write outputs themselves (atomically); the driver
keeps the report and the resume manifest, exactly as with the local engine.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from textmend.batch.sources import Task
from textmend.batch.worker import FileResult, JobConfig, error_result, process_chunk

CRASH_REASON = "Ray task failed while cleaning this file"


class RayUnavailableError(RuntimeError):
    """Ray is not installed or the cluster cannot be reached."""


class RayEngine:
    def __init__(self, *, address: str | None, jobs: int) -> None:
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.jobs = max(1, jobs)

    def run(self, chunks: Iterable[list[Task]], config: JobConfig) -> Iterator[list[FileResult]]:
        try:
            import ray
        except ImportError as exc:
            raise RayUnavailableError(
                "the Ray engine needs ray: pip install 'textmend[ray]'"
            ) from exc
        started_here = False
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level="ERROR",
                )
            except Exception as exc:  # ConnectionError, ValueError, RuntimeError ...
                raise RayUnavailableError(f"cannot start or reach Ray: {exc}") from exc
            started_here = True
        try:
            yield from self._run(ray, chunks, config)
        finally:
            if started_here:
                ray.shutdown()

    def _run(
        self, ray: Any, chunks: Iterable[list[Task]], config: JobConfig
    ) -> Iterator[list[FileResult]]:
        remote_chunk = ray.remote(max_retries=1)(process_chunk)
        config_ref = ray.put(config)
        cpus = int(ray.cluster_resources().get("CPU", self.jobs))
        window_size = max(cpus, self.jobs) * 4
        window: deque[tuple[list[Task], Any]] = deque()
        pending = iter(chunks)
        while True:
            while len(window) < window_size:
                chunk = next(pending, None)
                if chunk is None:
                    break
                window.append((chunk, remote_chunk.remote(chunk, config_ref)))
            if not window:
                return
            chunk, ref = window.popleft()
            try:
                yield ray.get(ref)
            except ray.exceptions.RayError:
                yield [self._one(ray, remote_chunk, task, config_ref) for task in chunk]

    @staticmethod
    def _one(ray: Any, remote_chunk: Any, task: Task, config_ref: Any) -> FileResult:
        try:
            return ray.get(remote_chunk.remote([task], config_ref))[0]
        except ray.exceptions.RayError:
            return error_result(task, CRASH_REASON)
