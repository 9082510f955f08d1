"""The benchmark's damage recipes (bench/mojibake_recipes.py), for tests that make their
damaged texts the way the benchmark does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_recipes() -> ModuleType:
    """bench/mojibake_recipes.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "mojibake_recipes", REPO / "bench" / "mojibake_recipes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
