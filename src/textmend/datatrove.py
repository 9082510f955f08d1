"""datatrove steps: repair mojibake (and optionally strip boilerplate) in web-scale pipelines.

Two steps, for the two places text cleaning sits in a datatrove pipeline::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from textmend.datatrove import TextmendCleaner, TextmendFormatter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("data/in"),
        TextmendCleaner(),          # or TextmendFormatter() for repair only
        JsonlWriter("data/out"),
    ], tasks=4).run()

* :class:`TextmendFormatter` is a ``BaseFormatter``: it only repairs encoding damage, like
  datatrove's ftfy formatter, and changes nothing else about the text (no normalisation,
  no line removal), so it can sit anywhere in an existing pipeline.
* :class:`TextmendCleaner` runs the full :func:`textmend.clean` (repair, boilerplate lines,
  normalisation; HTML is extracted when a document is HTML) and records what it did in
  ``doc.metadata[METADATA_KEY]`` so a later filter or an audit can use it.

A document that cannot be cleaned keeps its text and gets the error in its metadata; a
datatrove run is never stopped by one bad document. Only ``datatrove[io]`` is needed (its
``processing`` extra pins an old trafilatura that conflicts with textmend's).
"""

from __future__ import annotations

import logging
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.utils.typeshelper import StatHints

from textmend.errors import TextmendError
from textmend.models import Cleaned
from textmend.pipeline import clean
from textmend.repair import Repaired, fix
from textmend.settings import DEFAULT_OPTIONS, Options

logger = logging.getLogger(__name__)

METADATA_KEY = "textmend"
"""Where :class:`TextmendCleaner` stores its report in ``Document.metadata``."""


class TextmendFormatter(BaseFormatter):
    """Repair mojibake in ``doc.text`` (repair only: no boilerplate removal, no normalising).

    ``allow_inferred=False`` applies only proven repairs (characters whose bytes survived).
    Stats: ``textmend_fixes`` (repairs applied) and ``textmend_changed`` (documents changed).
    """

    name = "🩹 textmend repair"

    def __init__(self, allow_inferred: bool = True) -> None:
        super().__init__()
        self.allow_inferred = allow_inferred

    def repair(self, text: str) -> Repaired:
        return fix(text, allow_inferred=self.allow_inferred)

    def format(self, text: str) -> str:
        return self.repair(text).text

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                repaired = self.repair(doc.text)
            if repaired.text != doc.text:
                self.stat_update("textmend_changed")
                doc.text = repaired.text
            if repaired.findings:
                self.stat_update("textmend_fixes", value=len(repaired.findings))
            yield doc


class TextmendCleaner(PipelineStep):
    """Repair, drop boilerplate lines and normalise ``doc.text`` with :func:`textmend.clean`.

    ``doc.metadata[metadata_key]`` receives ``{"changed", "encoding", "findings", "removed",
    "notes"}`` (``detail=False`` stores counts instead of the lists, for corpora where the
    per-document lists would be too bulky) or ``{"error": ...}`` when the document could
    not be cleaned and was passed on unchanged. ``doc.metadata["url"]`` is handed to the
    HTML extractor when the text is HTML.
    """

    name = "🧹 textmend clean"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        options: Options = DEFAULT_OPTIONS,
        metadata_key: str = METADATA_KEY,
        detail: bool = True,
    ) -> None:
        super().__init__()
        self.options = options
        self.metadata_key = metadata_key
        self.detail = detail

    def clean_document(self, doc: Document) -> None:
        """Clean one document in place; errors are recorded in its metadata, never raised."""
        url = doc.metadata.get("url")
        try:
            cleaned = clean(
                doc.text, url=url if isinstance(url, str) else None, options=self.options
            )
        except TextmendError as error:
            self._record_error(doc, error)
            return
        except Exception as error:  # one bad document must not stop a datatrove task
            logger.exception("textmend failed on document %s", doc.id)
            self._record_error(doc, error)
            return
        doc.text = cleaned.text
        doc.metadata[self.metadata_key] = self._report(cleaned)
        if cleaned.changed:
            self.stat_update("textmend_changed")
        self.stat_update("textmend_fixes", value=len(cleaned.findings))
        self.stat_update("textmend_lines_removed", value=len(cleaned.removed))

    def _report(self, cleaned: Cleaned) -> dict[str, Any]:
        if self.detail:
            return {"changed": cleaned.changed, **cleaned.to_dict()}
        return {
            "changed": cleaned.changed,
            "encoding": cleaned.encoding,
            "findings": len(cleaned.findings),
            "removed": len(cleaned.removed),
            "notes": list(cleaned.notes),
        }

    def _record_error(self, doc: Document, error: Exception) -> None:
        doc.metadata[self.metadata_key] = {"error": f"{type(error).__name__}: {error}"}
        self.stat_update("textmend_errors")

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                self.clean_document(doc)
            yield doc
