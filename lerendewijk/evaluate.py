"""Agreement and quality measures for life-domain coding: model against gold, or coder against coder.

Written out with numpy so a researcher can read how each number is made; the tests check every
one against scikit-learn on hand-made cases.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .domains import DOMAIN_KEYS

NONE_LABEL = "geen_domein"


def _binary(labels: Sequence[Sequence[str]], key: str) -> np.ndarray:
    return np.array([key in row for row in labels], dtype=bool)


def precision_recall_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, int]:
    tp = int(np.sum(gold & pred))
    fp = int(np.sum(~gold & pred))
    fn = int(np.sum(gold & ~pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, int(gold.sum())


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two nominal codings of the same items."""
    if len(a) != len(b) or not a:
        raise ValueError("two codings of the same, non-empty list of items are needed")
    categories = sorted(set(a) | set(b))
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for x, y in zip(a, b):
        table[index[x], index[y]] += 1
    n = table.sum()
    observed = np.trace(table) / n
    expected = float((table.sum(axis=1) @ table.sum(axis=0)) / n**2)
    if expected == 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha_nominal(codings: Sequence[Sequence[str | None]]) -> float:
    """Krippendorff's alpha for nominal data; ``codings[c][i]`` is coder c's value for item i (None = missing)."""
    n_items = len(codings[0])
    values = sorted({v for coder in codings for v in coder if v is not None})
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for i in range(n_items):
        present = [coder[i] for coder in codings if coder[i] is not None]
        m = len(present)
        if m < 2:
            continue
        for a_pos, a in enumerate(present):
            for b_pos, b in enumerate(present):
                if a_pos != b_pos:
                    coincidence[index[a], index[b]] += 1 / (m - 1)
    n = coincidence.sum()
    if n == 0:
        return float("nan")
    marginals = coincidence.sum(axis=1)
    observed_disagreement = n - np.trace(coincidence)
    expected_disagreement = (n * n - float(marginals @ marginals)) / (n - 1)
    if expected_disagreement == 0:
        return 1.0
    return float(1 - observed_disagreement / expected_disagreement)


def primary(labels: Sequence[str]) -> str:
    return labels[0] if labels else NONE_LABEL


def evaluate(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Per-domain precision/recall/F1, macro-F1, primary-domain accuracy and kappa, confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have the same number of fragments")
    per_domain = {}
    for key in DOMAIN_KEYS:
        p, r, f, support = precision_recall_f1(_binary(gold, key), _binary(predicted, key))
        per_domain[key] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": support}
    gold_primary = [primary(g) for g in gold]
    pred_primary = [primary(p) for p in predicted]
    labels = [*DOMAIN_KEYS, NONE_LABEL]
    confusion = [[sum(1 for g, p in zip(gold_primary, pred_primary) if g == a and p == b) for b in labels] for a in labels]
    with_domain = [i for i, g in enumerate(gold_primary) if g != NONE_LABEL]
    return {
        "n": len(gold),
        "per_domain": per_domain,
        "macro_f1": round(float(np.mean([v["f1"] for v in per_domain.values()])), 4),
        "primary_accuracy": round(sum(g == p for g, p in zip(gold_primary, pred_primary)) / len(gold), 4) if gold else 0.0,
        "primary_accuracy_with_domain": round(sum(gold_primary[i] == pred_primary[i] for i in with_domain) / len(with_domain), 4)
        if with_domain
        else 0.0,
        "primary_kappa": round(cohen_kappa(gold_primary, pred_primary), 4) if gold else 0.0,
        "confusion": {"labels": labels, "matrix": confusion},
    }


def agreement(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Inter-coder reliability of two codings: kappa per domain (present/absent) and on the primary domain."""
    per_domain = {}
    for key in DOMAIN_KEYS:
        x = ["ja" if key in row else "nee" for row in a]
        y = ["ja" if key in row else "nee" for row in b]
        per_domain[key] = {
            "kappa": round(cohen_kappa(x, y), 4),
            "alpha": round(krippendorff_alpha_nominal([x, y]), 4),
            "agreement": round(sum(i == j for i, j in zip(x, y)) / len(x), 4),
        }
    pa = [primary(r) for r in a]
    pb = [primary(r) for r in b]
    return {
        "n": len(a),
        "per_domain": per_domain,
        "primary_kappa": round(cohen_kappa(pa, pb), 4),
        "primary_alpha": round(krippendorff_alpha_nominal([pa, pb]), 4),
        "primary_agreement": round(sum(i == j for i, j in zip(pa, pb)) / len(pa), 4),
    }


def split_half(record_id: str) -> str:
    """The fixed half of a small labelled set a record belongs to, by a hash of its id: ``dev``
    (fitting, tuning) or ``test`` (measuring only). Stable across runs, machines and Python versions."""

    return "dev" if int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 0 else "test"
