"""Every tunable of the pipeline in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    """Options shared by the API, the CLI and the batch engines.

    remove_boilerplate: drop boilerplate lines (False = repair only, ``--keep-boilerplate``).
    mark_boilerplate: keep boilerplate lines but prefix them with ``boilerplate_marker``.
    allow_inferred: apply inferred (lossy, unproven) characters; False = ``--strict``.
    html: True/False forces the HTML path; None detects it from the content.
    """

    remove_boilerplate: bool = True
    mark_boilerplate: bool = False
    boilerplate_marker: str = "[boilerplate] "
    allow_inferred: bool = True
    html: bool | None = None
    max_input_bytes: int = 256 * 1024 * 1024
    html_timeout_seconds: float = 30.0


DEFAULT_OPTIONS = Options()
