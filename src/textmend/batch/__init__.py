"""Batch cleaning: walking inputs, the per-file worker, and the engines that run it.

The CLI plans the work (:mod:`textmend.batch.sources`), an engine (:mod:`.local` for a
process pool, :mod:`.ray_engine` for a Ray cluster) runs :func:`textmend.batch.worker.process_chunk`
on chunks of tasks, and the driver records results in the report and the resume manifest.
Every engine runs the same worker function, so their outputs are byte-identical.
Nothing here imports ray at module level: only :mod:`.ray_engine` does, inside its functions.
"""

from __future__ import annotations
