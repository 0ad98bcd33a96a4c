"""The evaluation maths, checked against scikit-learn and a textbook case."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score, precision_recall_fscore_support

from lerendewijk.domains import DOMAIN_KEYS
from lerendewijk.evaluate import agreement, cohen_kappa, evaluate, krippendorff_alpha_nominal

L, S, M, A, W = DOMAIN_KEYS
GOLD = [[L], [L, S], [S], [M], [M, L], [A], [W], [W, S], [], [A, M], [S], [L]]
PRED = [[L], [S, L], [S, W], [M], [L], [A], [S], [W], [], [M], [], [L, M]]


def _indicator(rows: list[list[str]]) -> np.ndarray:
    return np.array([[k in r for k in DOMAIN_KEYS] for r in rows], dtype=int)


def test_per_domain_and_macro_f1_match_scikit_learn() -> None:
    result = evaluate(GOLD, PRED)
    p, r, f, support = precision_recall_fscore_support(_indicator(GOLD), _indicator(PRED), zero_division=0)
    for j, key in enumerate(DOMAIN_KEYS):
        assert result["per_domain"][key]["precision"] == pytest.approx(p[j], abs=1e-4)
        assert result["per_domain"][key]["recall"] == pytest.approx(r[j], abs=1e-4)
        assert result["per_domain"][key]["f1"] == pytest.approx(f[j], abs=1e-4)
        assert result["per_domain"][key]["support"] == support[j]
    assert result["macro_f1"] == pytest.approx(f1_score(_indicator(GOLD), _indicator(PRED), average="macro", zero_division=0), abs=1e-4)


def test_primary_accuracy_kappa_and_confusion() -> None:
    result = evaluate(GOLD, PRED)
    gold = [g[0] if g else "geen_domein" for g in GOLD]
    pred = [p[0] if p else "geen_domein" for p in PRED]
    assert result["primary_accuracy"] == pytest.approx(np.mean([a == b for a, b in zip(gold, pred)]), abs=1e-4)
    assert result["primary_kappa"] == pytest.approx(cohen_kappa_score(gold, pred), abs=1e-4)
    matrix = np.array(result["confusion"]["matrix"])
    assert matrix.sum() == len(GOLD) and np.trace(matrix) == sum(a == b for a, b in zip(gold, pred))


def test_kappa_edge_cases() -> None:
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0
    with pytest.raises(ValueError):
        cohen_kappa(["a"], [])


def test_krippendorff_alpha_by_hand() -> None:
    # Two coders, ten units; they disagree on units 1 (a/b) and 5 (d/b).
    coder_a = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d"]
    coder_b = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d"]
    # 20 pairable values: a 3, b 6, c 6, d 3, e 2. Observed disagreement: 2 units x 2 ordered pairs = 4.
    expected_disagreement = (20 * 20 - (9 + 36 + 36 + 9 + 4)) / 19
    assert krippendorff_alpha_nominal([coder_a, coder_b]) == pytest.approx(1 - 4 / expected_disagreement, abs=1e-12)
    # a missing value leaves that unit out
    with_missing = krippendorff_alpha_nominal([coder_a + ["a"], coder_b + [None]])
    assert with_missing == pytest.approx(1 - 4 / expected_disagreement, abs=1e-12)


def test_agreement_of_identical_codings_is_perfect() -> None:
    result = agreement(GOLD, GOLD)
    assert result["primary_kappa"] == 1.0 and result["primary_alpha"] == 1.0
    assert all(v["agreement"] == 1.0 for v in result["per_domain"].values())
