"""The eight performance indicators of the method, scored per fragment for monitoring.

The method asks that a woonservicewijk be monitored "at the level of meaning for the resident":
per round and per indicator, how much residents spoke about it and in which tone (what works, what
hinders, what they ask for). Each fragment gets the indicators it bears on; the tone comes from
the life-domain classifier's tone head. The model is a balanced binary logistic head per indicator
on the sentence embedding joined with lemma TF-IDF, trained on one half of ``corpora/indicatoren`` and measured
on the other half; weights are kept as JSON, never pickle.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .classify import LexicalView
from .evaluate import split_half

INDICATORS: dict[str, str] = {
    "zelfstandigheid": "zelfstandigheid",
    "zelfredzaamheid": "zelfredzaamheid",
    "toegankelijkheid": "toegankelijkheid",
    "veiligheid": "veiligheid",
    "betaalbaarheid": "betaalbaarheid",
    "ontmoeting": "ontmoeting",
    "zorgzaamheid": "zorgzaamheid",
    "gezamenlijke_verantwoordelijkheid": "gezamenlijke verantwoordelijkheid",
}
INDICATOR_KEYS = tuple(INDICATORS)

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "indicatoren" / "indicatoren.jsonl"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "indicatoren"
VIEWS = ("use", "lex")


def indicator_key(name: str) -> str | None:
    plain = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    return plain if plain in INDICATORS else None


def split_of(record_id: str) -> str:
    """The fixed half of the labelled set: ``train`` (fitting and thresholds) or ``test``."""
    return "train" if split_half(record_id) == "dev" else "test"


class IndicatorClassifier:
    """One balanced logistic head per indicator on [embedding, lemma TF-IDF]; a fragment bears on
    every indicator whose probability clears that indicator's threshold."""

    def __init__(self, C: float = 1.0, seed: int = 42) -> None:
        self.C = C
        self.seed = seed
        self.lexical = LexicalView()
        self.weights = np.zeros((0, 0))  # indicators x features
        self.biases = np.zeros(0)
        self.thresholds = {k: 0.5 for k in INDICATOR_KEYS}
        self.meta: dict[str, Any] = {}

    def _features(self, vectors: np.ndarray, lemmas: list[list[str]]) -> Any:
        from scipy import sparse

        return sparse.hstack([sparse.csr_matrix(vectors), self.lexical.transform(lemmas)]).tocsr()

    def fit(self, vectors: np.ndarray, lemmas: list[list[str]], labels: list[list[str]]) -> IndicatorClassifier:
        from sklearn.linear_model import LogisticRegression

        self.lexical.fit(lemmas, min_df=1)
        X = self._features(vectors, lemmas)
        rows, biases = [], []
        for key in INDICATOR_KEYS:
            y = np.array([key in row for row in labels])
            if y.all() or not y.any():
                rows.append(np.zeros(X.shape[1]))
                biases.append(30.0 if y.all() else -30.0)
                continue
            model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000, random_state=self.seed).fit(X, y)
            rows.append(model.coef_[0])
            biases.append(float(model.intercept_[0]))
        self.weights, self.biases = np.array(rows), np.array(biases)
        return self

    def scores(self, vectors: np.ndarray, lemmas: list[list[str]]) -> np.ndarray:
        """Fragments x indicators, probabilities."""
        if self.weights.size == 0:
            raise RuntimeError("fit() or load() first")
        if len(lemmas) == 0:
            return np.zeros((0, len(INDICATOR_KEYS)))
        z = np.asarray(self._features(vectors, lemmas) @ self.weights.T) + self.biases
        return 1 / (1 + np.exp(-z))

    def predict(self, vectors: np.ndarray, lemmas: list[list[str]]) -> list[list[str]]:
        out = []
        for row in self.scores(vectors, lemmas):
            chosen = [(row[j], k) for j, k in enumerate(INDICATOR_KEYS) if row[j] >= self.thresholds[k]]
            out.append([k for _, k in sorted(chosen, reverse=True)])
        return out

    def choose_thresholds(self, vectors: np.ndarray, lemmas: list[list[str]], labels: list[list[str]], folds: int = 5) -> None:
        """Per indicator, the threshold with the best F1 in k-fold cross-validation on the training half."""
        n = len(lemmas)
        scores = np.zeros((n, len(INDICATOR_KEYS)))
        order = np.random.default_rng(self.seed).permutation(n)
        for f in range(folds):
            held = order[f::folds]
            keep = np.setdiff1d(order, held)
            part = IndicatorClassifier(self.C, self.seed).fit(vectors[keep], [lemmas[i] for i in keep], [labels[i] for i in keep])
            scores[held] = part.scores(vectors[held], [lemmas[i] for i in held])
        for j, key in enumerate(INDICATOR_KEYS):
            gold = np.array([key in row for row in labels])
            best = (-1.0, 0.5)
            for t in np.arange(0.15, 0.81, 0.05):
                flagged = scores[:, j] >= t
                tp = float(np.sum(flagged & gold))
                f1 = 2 * tp / max(1.0, float(flagged.sum() + gold.sum()))
                if f1 > best[0] + 1e-9:
                    best = (f1, round(float(t), 2))
            self.thresholds[key] = best[1]

    def save(self, folder: Path = MODEL_DIR) -> Path:
        from .privacy import write_atomic

        payload = {
            "kind": "lerendewijk-indicatoren",
            "format": 2,
            "C": self.C,
            "seed": self.seed,
            "indicators": list(INDICATOR_KEYS),
            "vocabulary": self.lexical.vocabulary,
            "idf": [round(float(x), 6) for x in self.lexical.idf],
            "thresholds": self.thresholds,
            "weights": [[round(float(w), 6) for w in row] for row in self.weights],
            "biases": [round(float(b), 6) for b in self.biases],
            **self.meta,
        }
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "model.json", json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        return folder / "model.json"

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> IndicatorClassifier | None:
        path = folder / "model.json"
        if not path.exists():
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != 2 or payload.get("indicators") != list(INDICATOR_KEYS):
            return None
        model = cls(payload["C"], payload["seed"])
        model.lexical = LexicalView(payload["vocabulary"], np.array(payload["idf"]))
        model.thresholds = payload["thresholds"]
        model.weights = np.array(payload["weights"])
        model.biases = np.array(payload["biases"])
        model.meta = {k: payload[k] for k in ("metrics", "embedding_model", "data_sha256") if k in payload}
        return model


def load_labelled(path: Path = CORPUS) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["indicatoren"] = [k for k in (indicator_key(x) for x in row.get("indicatoren", [])) if k]
    return rows


def measure(predicted: list[list[str]], gold: list[list[str]]) -> dict[str, Any]:
    """Precision, recall and F1 per indicator, their macro average, and micro-F1."""
    per: dict[str, dict[str, float]] = {}
    total_tp = total_p = total_g = 0
    for key in INDICATOR_KEYS:
        tp = sum(1 for p, g in zip(predicted, gold) if key in p and key in g)
        n_p = sum(1 for p in predicted if key in p)
        n_g = sum(1 for g in gold if key in g)
        precision = tp / n_p if n_p else 0.0
        recall = tp / n_g if n_g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[key] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": n_g}
        total_tp, total_p, total_g = total_tp + tp, total_p + n_p, total_g + n_g
    micro = 2 * total_tp / (total_p + total_g) if total_p + total_g else 0.0
    none_right = sum(1 for p, g in zip(predicted, gold) if (not p) == (not g)) / max(1, len(gold))
    return {
        "per_indicator": per,
        "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4),
        "micro_f1": round(micro, 4),
        "first_right": round(sum(1 for p, g in zip(predicted, gold) if p and g and p[0] in g) / max(1, sum(1 for g in gold if g)), 4),
        "none_accuracy": round(none_right, 4),
        "n": len(gold),
    }


def train_and_measure(embed: Callable[[list[str]], np.ndarray], path: Path = CORPUS) -> tuple[IndicatorClassifier, dict[str, Any]]:
    from .segment import lemmatise

    rows = load_labelled(path)
    train = [r for r in rows if split_of(r["id"]) == "train"]
    test = [r for r in rows if split_of(r["id"]) == "test"]
    texts = [r["text"] for r in train]
    vectors, lemmas, labels = embed(texts), lemmatise(texts), [r["indicatoren"] for r in train]
    model = IndicatorClassifier()
    model.choose_thresholds(vectors, lemmas, labels)
    model.fit(vectors, lemmas, labels)
    test_texts = [r["text"] for r in test]
    predicted = model.predict(embed(test_texts), lemmatise(test_texts))
    metrics = {"n_train": len(train), **measure(predicted, [r["indicatoren"] for r in test])}
    model.meta["data_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return model, metrics


def monitor(indicators: list[list[str]], tones: list[str | None]) -> dict[str, dict[str, int]]:
    """Per indicator: how many fragments bear on it, by tone."""
    table: dict[str, Counter[str]] = {k: Counter() for k in INDICATOR_KEYS}
    for found, tone in zip(indicators, tones):
        for key in found:
            table[key][tone or "neutraal"] += 1
            table[key]["totaal"] += 1
    return {k: dict(v) for k, v in table.items()}
