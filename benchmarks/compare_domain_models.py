"""Compare approaches for the life-domain classifier on the fixed splits.

    .venv/bin/python benchmarks/compare_domain_models.py

Zero-shot (prototype descriptions, no training data) against supervised heads on each view and
their late fusion: USE multilingual, multilingual-e5-small, lemma TF-IDF. View weights and
thresholds are chosen on dev; test and the generalisation slice are only measured.
"""

from __future__ import annotations

import time

from lerendewijk.classify import train_from_corpus, view_embedder

CANDIDATES = [("use",), ("lex",), ("e5",), ("use", "lex"), ("e5", "lex"), ("use", "e5"), ("use", "e5", "lex")]


def main() -> None:
    embed = view_embedder()
    print(
        "| views | dev macro-F1 | dev primary acc | test macro-F1 | test primary acc | test kappa | generalisation macro-F1 | generalisation primary acc |"
    )
    print("|---|---|---|---|---|---|---|---|")
    zero = None
    for views in CANDIDATES:
        start = time.perf_counter()
        _, metrics = train_from_corpus("nauwkeurig", embed=embed, views=views)
        d, t, g = metrics["dev"], metrics["test"], metrics["generalisatie"]
        zero = t["zero_shot"], g["zero_shot"], d["zero_shot"]
        print(
            f"| {' + '.join(views)} | {d['macro_f1']:.3f} | {d['primary_accuracy']:.3f} | {t['macro_f1']:.3f} | {t['primary_accuracy']:.3f} | "
            f"{t['primary_kappa']:.3f} | {g['macro_f1']:.3f} | {g['primary_accuracy']:.3f} |",
            flush=True,
        )
        _ = time.perf_counter() - start
    if zero:
        t, g, d = zero
        print(
            f"| zero-shot (USE, prototypes) | {d['macro_f1']:.3f} | {d['primary_accuracy']:.3f} | {t['macro_f1']:.3f} | {t['primary_accuracy']:.3f} | "
            f"{t['primary_kappa']:.3f} | {g['macro_f1']:.3f} | {g['primary_accuracy']:.3f} |"
        )


if __name__ == "__main__":
    main()
