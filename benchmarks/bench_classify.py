"""Speed of life-domain classification, embeddings included, per profile.

    .venv/bin/python benchmarks/bench_classify.py [--n 10000] [--profiel snel nauwkeurig]

Texts are distinct fragments built from the labelled corpus, with the corpus's length
distribution: each labelled fragment once as it is, then fragments with a short clause of another
one appended, or windows of 4-20 words like the segmenter's fragments (the default), so no text
repeats (repeats would flatter any cache). Nothing is cached between profiles.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_texts(n: int, seed: int = 7, mode: str = "fragment") -> list[str]:
    rows = []
    for name in ("train", "dev", "test", "generalisatie"):
        rows += [json.loads(line)["text"] for line in (ROOT / "corpora" / "levensdomeinen" / f"{name}.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    texts: set[str] = set(rows[:n]) if mode == "gelabeld" else set()
    while len(texts) < n:
        a, b = rng.sample(rows, 2)
        if mode == "lang":
            texts.add(f"{a} {b}")
        elif mode == "gelabeld":
            texts.add(f"{a} {' '.join(b.split()[: rng.randint(2, 6)])}")
        else:
            # a window of 4-20 words, like the fragments the segmenter makes (11 words on average)
            words = f"{a} {b}".split()
            size = rng.randint(4, 20)
            start = rng.randrange(max(1, len(words) - size))
            texts.add(" ".join(words[start : start + size]))
    texts_list = sorted(texts)
    rng.shuffle(texts_list)
    return texts_list


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--profiel", nargs="+", default=["snel", "nauwkeurig"])
    parser.add_argument(
        "--vorm",
        choices=["fragment", "gelabeld", "lang"],
        default="fragment",
        help="fragment: 4-20 word windows (like the segmenter's); gelabeld: labelled fragments (27 words); lang: two joined",
    )
    args = parser.parse_args()
    from lerendewijk.classify import load_profile, view_embedder

    texts = make_texts(args.n, mode=args.vorm)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} distinct texts, {words:.1f} words on average", flush=True)
    for profile in args.profiel:
        model = load_profile(profile)
        assert model is not None
        start = time.perf_counter()
        predictions = model.predict(texts, view_embedder())
        seconds = time.perf_counter() - start
        print(f"{profile}: {len(predictions)} fragments in {seconds:.1f} s ({len(predictions) / seconds:.0f} fragments/s)", flush=True)


if __name__ == "__main__":
    main()
