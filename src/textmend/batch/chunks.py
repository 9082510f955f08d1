"""Grouping tasks into chunks: fewer, larger messages between the driver and the workers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textmend.batch.sources import Task

MAX_CHUNK_FILES = 32
MAX_CHUNK_BYTES = 8 * 1024 * 1024


def make_chunks(tasks: Sequence[Task], workers: int) -> Iterator[list[Task]]:
    """Consecutive groups of tasks, small enough that every worker gets several chunks
    (load balance) and capped in bytes so one chunk is never a long tail."""
    per_chunk = max(1, min(MAX_CHUNK_FILES, len(tasks) // max(1, workers * 8)))
    chunk: list[Task] = []
    size = 0
    for task in tasks:
        if chunk and (len(chunk) >= per_chunk or size + task.size > MAX_CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(task)
        size += task.size
    if chunk:
        yield chunk
