"""The per-fragment stages as pure functions over batches, for archives that outgrow one machine.

Embedding and life-domain classification look at one fragment at a time: given the same texts
they return the same result on any machine. Here they take a batch and return plain values
(numpy arrays, dicts), so any map engine can run them: Dask (``client.map``), Ray, or a process
pool. The global stages (themes, linking, the report) then work on the gathered results in the
workspace, as in a normal ``lerendewijk cycle``, which finds the embeddings in its cache.

Ingest and pseudonymisation stay on the machine that holds the workspace, on purpose: the
pseudonym key must be one (the same person keeps one pseudonym across files) and it never
leaves that machine; only pseudonymised fragment texts are sent to workers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np

from .embed import Embedder, embed_cached
from .store import text_hash
from .workspace import Workspace


def embed_batch(texts: Sequence[str], model: str = "use-multilingual") -> np.ndarray:
    """Vectors of ``texts`` (L2-normalised float32); the model is loaded once per worker process."""
    return Embedder(model).encode(list(texts))


def classify_batch(texts: Sequence[str], lemmas: Sequence[Sequence[str]] | None = None, profile: str = "snel") -> list[dict[str, Any]]:
    """Life domains, status, scores, aspect, actor and tone per text, as plain dicts."""
    from .classify import load_profile

    classifier = load_profile(profile)
    if classifier is None:
        raise ValueError(f"levensdomeinmodel '{profile}' niet gevonden")
    texts = list(texts)

    def embed(view: str, batch: list[str]) -> np.ndarray:
        from .classify import EMBEDDING_OF_VIEW

        return embed_batch(batch, EMBEDDING_OF_VIEW[view])

    predictions = classifier.predict(texts, embed, lemmas=[list(x) for x in lemmas] if lemmas is not None else None)
    return [asdict(p) for p in predictions]


def batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def embed_workspace_on(client: Any, workspace: Workspace, model: str | None = None, batch_size: int = 2048) -> int:
    """Embed every fragment of the workspace that is not in its cache yet on a Dask ``client``.

    Returns how many texts were embedded. A ``lerendewijk cycle`` run afterwards finds them all in
    the cache, so its embed stage only reads.
    """
    model = model or workspace.config.embedding
    embedder = Embedder(model)
    store = workspace.store
    texts = sorted({f.text for f in store.fragments()})
    cached = store.cached_embeddings(sorted({text_hash(t) for t in texts}), embedder.model_id)
    missing = [t for t in texts if text_hash(t) not in cached]
    if not missing:
        return 0
    parts = list(batches(missing, batch_size))
    futures = client.map(embed_batch, parts, model=model, pure=True)
    for part, future in zip(parts, futures):
        vectors = future.result()
        with store.transaction():
            store.cache_embeddings({text_hash(t): v for t, v in zip(part, vectors)}, embedder.model_id)
    # the vectors now come from the cache: the same numbers as a local run would compute
    embed_cached(missing[:1], embedder, store)
    return len(missing)
