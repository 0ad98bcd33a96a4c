"""Theme mining at scale: lerendewijk's themes stage against BERTopic's default pipeline.

    .venv/bin/python benchmarks/bench_themes.py [--n 10000]

Both run on the same embeddings (USE multilingual) of distinct fragments of 4-20 words built
from the labelled corpus; embeddings are computed once, outside the timed part (the stage works
on cached embeddings in a real cycle). BERTopic's default is UMAP + HDBSCAN (seeded), with the
same stop words. Reported: wall time, peak memory of the process (ru_maxrss), number of themes,
share of fragments left unassigned, and order stability (share of fragments whose theme changes
when the input is shuffled).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_texts  # noqa: E402


def fragments_for(texts: list[str]) -> list:
    from lerendewijk.model import Fragment
    from lerendewijk.segment import lemmatise

    return [
        Fragment(
            document_id=1, turn_index=i, speaker=f"Bewoner {i % 40}", role="bewoner", text=t, start=0, end=len(t), lemmas=lem, id=i + 1
        )
        for i, (t, lem) in enumerate(zip(texts, lemmatise(texts)))
    ]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--zonder-bertopic", action="store_true")
    args = parser.parse_args()
    from lerendewijk.embed import Embedder
    from lerendewijk.themes import find_themes, stop_words

    texts = make_texts(args.n)
    fragments = fragments_for(texts)
    vectors = Embedder().encode(texts)
    start = time.perf_counter()
    themes = find_themes(fragments, vectors, {}, {1: "bench"})
    ours = time.perf_counter() - start
    assigned = {m[0]: t["key"] for t in themes for m in t["members"]}
    order = list(range(len(fragments)))
    random.Random(1).shuffle(order)
    shuffled = find_themes([fragments[i] for i in order], vectors[order], {}, {1: "bench"})
    again = {m[0]: t["key"] for t in shuffled for m in t["members"]}
    changed = sum(1 for k, v in assigned.items() if again.get(k) != v) / max(1, len(assigned))
    print(
        f"lerendewijk themes: {args.n} fragments in {ours:.1f} s, {len(themes)} themes, unassigned {1 - len(assigned) / args.n:.3f}, changed on shuffle {changed:.3f}, peak {peak_mb():.0f} MB",
        flush=True,
    )
    if args.zonder_bertopic:
        return
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    from lerendewijk.themes import stored_embedder

    def default_bertopic(docs: list[str], emb: np.ndarray) -> list[int]:
        model = BERTopic(
            embedding_model=stored_embedder(),
            umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
            vectorizer_model=CountVectorizer(stop_words=sorted(stop_words())),
            verbose=False,
        )
        topics, _ = model.fit_transform(docs, embeddings=emb)
        return list(topics)

    docs = [" ".join(f.lemmas) for f in fragments]
    start = time.perf_counter()
    topics = default_bertopic(docs, vectors)
    theirs = time.perf_counter() - start
    outliers = sum(1 for t in topics if t == -1) / len(topics)
    shuffled_topics = default_bertopic([docs[i] for i in order], vectors[order])
    back = {order[n]: t for n, t in enumerate(shuffled_topics)}
    # topic numbers are arbitrary: compare co-membership on a sample of pairs
    rng = random.Random(2)
    pairs = [(rng.randrange(len(docs)), rng.randrange(len(docs))) for _ in range(20000)]
    disagree = sum(1 for a, b in pairs if (topics[a] == topics[b]) != (back[a] == back[b])) / len(pairs)
    print(
        f"BERTopic default (UMAP+HDBSCAN): {theirs:.1f} s, {len(set(topics)) - (1 if -1 in topics else 0)} topics, outliers {outliers:.3f}, "
        f"pair co-membership changed on shuffle {disagree:.3f}, peak {peak_mb():.0f} MB",
        flush=True,
    )
    print(f"ratio themes stage / BERTopic default: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
