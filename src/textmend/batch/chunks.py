"""Grouping tasks into chunks: fewer, larger messages between the driver and the workers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textmend.batch.sources import Task

MAX_CHUNK_FILES = 32
MAX_CHUNK_BYTES = 8 * 1024 * 1024
CHUNKS_PER_WORKER = 8


def make_chunks(tasks: Sequence[Task], workers: int) -> Iterator[list[Task]]:
    """Consecutive groups of tasks, small enough that every worker gets several chunks
    (load balance), by count and by bytes: cleaning time follows the bytes, so a chunk of
    a few JSONL shards (each worth dozens of articles) must not become the run's long tail."""
    slots = max(1, workers * CHUNKS_PER_WORKER)
    per_chunk = max(1, min(MAX_CHUNK_FILES, len(tasks) // slots))
    byte_cap = max(1, min(MAX_CHUNK_BYTES, sum(task.size for task in tasks) // slots))
    chunk: list[Task] = []
    size = 0
    for task in tasks:
        if chunk and (len(chunk) >= per_chunk or size + task.size > byte_cap):
            yield chunk
            chunk, size = [], 0
        chunk.append(task)
        size += task.size
    if chunk:
        yield chunk
