"""Dutch language resources shared by the stages: spaCy's stop-word list and a light spaCy import.

spaCy's ``import`` pulls in thinc, and thinc imports torch when it is installed (it is, for the
optional sentence-transformers models). That costs seconds of every cold start while the blank
Dutch pipeline used here (tokenizer, sentencizer, a lemmatizer component) never touches torch.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def dutch_stop_words() -> frozenset[str]:
    """spaCy's Dutch stop words, read from its data file without importing spaCy."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / "nl" / "stop_words.py"
    namespace: dict[str, Any] = {}
    # a plain data module: one set literal built from a string
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
    return frozenset(namespace["STOP_WORDS"])


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """Let thinc find no torch while spaCy is imported; torch stays importable afterwards."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def import_spacy() -> Any:
    with _torch_hidden():
        import spacy

    return spacy
