"""Signals: fragments that suggest someone needs help now, flagged for the facilitator.

Separate from themes: a signal is about one person today (a fall, no food, nobody comes, debts,
loneliness at a crisis level, an unsafe situation, a carer at breaking point), not about a topic.
Detection is two steps: Dutch patterns per kind find candidates (high recall, and they name the
kind), then a small logistic filter on the fragment's embedding and lemmas drops talk that only
shares the words (prevention, the past, policy, jokes). The filter is trained on the ``dev`` half
of ``corpora/signalen/signalen.jsonl`` and measured on the other half.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .evaluate import split_half as split_of

KINDS = {
    "val": "gevallen",
    "geen_eten": "geen eten",
    "niemand_komt": "niemand komt / niet gezien",
    "schulden": "schulden of afsluiting",
    "eenzaamheid": "ernstige eenzaamheid",
    "onveilig": "onveilige situatie",
    "mantelzorg_op": "mantelzorger op",
}

PATTERNS: dict[str, re.Pattern[str]] = {
    "val": re.compile(
        r"\b(gevallen|valt|viel|vallen|uitgegleden|gestruikeld|(op|over) de grond|niet (meer )?overeind|kon(den)? niet (meer )?opstaan|"
        r"niet meer op(staan|komen)|lag (een|twee|drie|de hele|uren|urenlang|op)|heup|gebroken|pols)",
        re.I,
    ),
    "geen_eten": re.compile(
        r"\b(geen eten|niks te eten|niets te eten|niet (meer )?gegeten|eet (ik )?(niet|niks|nauwelijks|maar één keer)|"
        r"lege koelkast|koelkast (is )?leeg|maaltijd overslaan|sla .{0,15}over|honger|voedselpakket|brood .{0,20}(laatste|einde)|"
        r"eind(e)? van de maand|droog brood|alleen (maar )?brood)",
        re.I,
    ),
    "niemand_komt": re.compile(
        r"\b(niet (meer )?gezien|niemand (meer )?(komt|kwam|langs)|komt (er )?niemand|doet (al .{0,20})?niet open|deed niet open|"
        r"post (stapelt|puilt|ligt)|gordijnen (zijn |blijven )?dicht|(thuiszorg|zorg|hulp) (kwam|komt) niet|niet komen opdagen|"
        r"niemand (die )?(naar|om) (me|mij|hem|haar) (om)?kijkt|al (een|twee|drie|vier|vijf) (dagen|weken))",
        re.I,
    ),
    "schulden": re.compile(
        r"\b(schuld(en)?|deurwaarder|afsluit|afgesloten|aanmaning|incasso|achterstand|(kan|kon) .{0,30}niet (meer )?betalen|"
        r"rekening(en)? .{0,20}(open|liggen|betalen)|huur(achterstand)?|beslag|rood staan|geen geld)",
        re.I,
    ),
    "eenzaamheid": re.compile(
        r"\b(spreek .{0,20}(geen|niemand)|zie .{0,15}(niemand|geen mens)|geen mens|helemaal alleen|zo alleen|eenzaam|"
        r"niet (meer )?wakker (te )?worden|liever dood|hoeft (voor mij )?niet meer|zin (in het leven|om te leven)|niemand (meer )?over)",
        re.I,
    ),
    "onveilig": re.compile(
        r"\b(bedreig|dreig|geslagen|slaat|schreeuw|inbr(aak|eker|oken)|ingebroken|durf .{0,25}niet (meer )?(naar buiten|de deur uit|open)|"
        r"bang (voor|dat)|mishandel|verwaarloos|onveilig|agressie|achtervolg|lastiggevallen|geweld|messen?)",
        re.I,
    ),
    "mantelzorg_op": re.compile(
        r"\b(kan (dit|het) niet (meer|langer)|opgebrand|uitgeput|geen nacht|slaap (niet|nauwelijks|maar)|"
        r"(ben|raak) (helemaal |echt |gewoon |zo )?(op|kapot|leeg)\b|houd (het|dit) niet (meer )?vol|trek (het|dit) niet|breekpunt|overbelast|"
        r"nooit (eens )?vrij|24 uur per dag|dag en nacht)",
        re.I,
    ),
}

SIGNALS_CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "signalen" / "signalen.jsonl"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "signalen"


def candidate_kinds(text: str) -> list[str]:
    return [kind for kind, pattern in PATTERNS.items() if pattern.search(text)]


@dataclass
class Signal:
    fragment_id: int | str
    kind: str
    score: float
    text: str
    speaker: str | None = None


class SignalDetector:
    """Patterns for candidates and kind, a logistic filter on embedding + lemmas for the decision."""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold
        self.weights: np.ndarray | None = None
        self.bias = 0.0
        self.vocabulary: list[str] = []
        self.kind_centroids: dict[str, np.ndarray] = {}
        self.meta: dict[str, Any] = {}

    def _features(self, vectors: np.ndarray, lemmas: list[list[str]], texts: list[str]) -> np.ndarray:
        index = {w: i for i, w in enumerate(self.vocabulary)}
        lexical = np.zeros((len(lemmas), len(self.vocabulary)))
        for r, words in enumerate(lemmas):
            for w in words:
                if w in index:
                    lexical[r, index[w]] = 1.0
        flags = np.array([[1.0 if PATTERNS[k].search(t) else 0.0 for k in KINDS] for t in texts]).reshape(len(texts), len(KINDS))
        return np.hstack([vectors, lexical, flags])

    def fit(
        self,
        vectors: np.ndarray,
        lemmas: list[list[str]],
        texts: list[str],
        labels: list[bool],
        kinds: list[str | None] | None = None,
        seed: int = 42,
    ) -> SignalDetector:
        from sklearn.linear_model import LogisticRegression

        counts: dict[str, int] = {}
        for words in lemmas:
            for w in set(words):
                counts[w] = counts.get(w, 0) + 1
        self.vocabulary = sorted(w for w, n in counts.items() if n >= 2)
        features = self._features(vectors, lemmas, texts)
        model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced", random_state=seed).fit(features, labels)
        self.weights = model.coef_[0]
        self.bias = float(model.intercept_[0])
        for kind in KINDS:
            rows = [v for v, k in zip(vectors, kinds or []) if k == kind]
            if rows:
                centroid = np.mean(rows, axis=0)
                self.kind_centroids[kind] = centroid / (np.linalg.norm(centroid) or 1.0)
        return self

    def kind_of(self, text: str, vector: np.ndarray) -> str:
        """The kind a pattern names; otherwise the kind whose examples the fragment is closest to."""
        kinds = candidate_kinds(text)
        if kinds or not self.kind_centroids:
            return kinds[0] if kinds else "onduidelijk"
        return max(self.kind_centroids, key=lambda k: float(self.kind_centroids[k] @ vector))

    def scores(self, vectors: np.ndarray, lemmas: list[list[str]], texts: list[str]) -> np.ndarray:
        if self.weights is None:
            raise RuntimeError("fit() or load() first")
        z = self._features(vectors, lemmas, texts) @ self.weights + self.bias
        return 1 / (1 + np.exp(-z))

    def detect(
        self, ids: list[Any], texts: list[str], vectors: np.ndarray, lemmas: list[list[str]], speakers: list[str] | None = None
    ) -> list[Signal]:
        if not texts:
            return []
        scores = self.scores(vectors, lemmas, texts)
        found = []
        for i, (text, score) in enumerate(zip(texts, scores)):
            # both a pattern of some kind of need and the filter's score: on real talk the filter
            # alone flags far too much (see benchmarks/RESULTS.md)
            if score >= self.threshold and candidate_kinds(text):
                found.append(
                    Signal(ids[i], self.kind_of(text, vectors[i]), round(float(score), 4), text, speakers[i] if speakers else None)
                )
        return found

    def save(self, folder: Path) -> None:
        from .privacy import write_atomic

        assert self.weights is not None
        meta = {
            "kind": "lerendewijk-signalen",
            "threshold": self.threshold,
            "bias": self.bias,
            "vocabulary": self.vocabulary,
            "weights": [round(float(w), 8) for w in self.weights],
            "kind_centroids": {k: [round(float(x), 6) for x in v] for k, v in self.kind_centroids.items()},
            **self.meta,
        }
        write_atomic(folder / "model.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> SignalDetector | None:
        path = folder / "model.json"
        if not path.exists():
            return None
        meta = json.loads(path.read_text(encoding="utf-8"))
        detector = cls(meta["threshold"])
        detector.vocabulary = meta["vocabulary"]
        detector.weights = np.array(meta["weights"])
        detector.bias = meta["bias"]
        detector.kind_centroids = {k: np.array(v) for k, v in meta.get("kind_centroids", {}).items()}
        detector.meta = {k: meta[k] for k in ("metrics", "embedding_model") if k in meta}
        return detector


def load_labelled(path: Path = SIGNALS_CORPUS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def choose_threshold(
    vectors: np.ndarray, lemmas: list[list[str]], texts: list[str], labels: list[bool], folds: int = 5, seed: int = 42
) -> float:
    """Threshold with the best F2 (recall counts double: a missed resident is worse) in k-fold CV on dev."""
    n = len(texts)
    scores = np.zeros(n)
    order = np.random.default_rng(seed).permutation(n)
    for f in range(folds):
        held = order[f::folds]
        keep = np.setdiff1d(order, held)
        part = SignalDetector().fit(
            vectors[keep], [lemmas[i] for i in keep], [texts[i] for i in keep], [labels[i] for i in keep], seed=seed
        )
        scores[held] = part.scores(vectors[held], [lemmas[i] for i in held], [texts[i] for i in held])
    gold = np.array(labels)
    has_pattern = np.array([bool(candidate_kinds(t)) for t in texts])
    best = (-1.0, 0.5)
    for t in np.arange(0.2, 0.81, 0.05):
        flagged = (scores >= t) & has_pattern
        tp = float(np.sum(flagged & gold))
        precision = tp / max(1, flagged.sum())
        recall = tp / max(1, gold.sum())
        f2 = 5 * precision * recall / max(1e-9, 4 * precision + recall)
        if f2 > best[0] + 1e-9:
            best = (f2, round(float(t), 2))
    return best[1]


def train_and_measure(embed: Any, path: Path = SIGNALS_CORPUS) -> tuple[SignalDetector, dict[str, Any]]:
    """Fit the filter on the dev half (threshold by cross-validation there); measure on the test half."""
    from .segment import lemmatise

    rows = load_labelled(path)
    dev = [r for r in rows if split_of(r["id"]) == "dev"]
    test = [r for r in rows if split_of(r["id"]) == "test"]
    texts = [r["text"] for r in dev]
    vectors, lemmas, labels = embed(texts), lemmatise(texts), [bool(r["signaal"]) for r in dev]
    threshold = choose_threshold(vectors, lemmas, texts, labels)
    detector = SignalDetector(threshold).fit(vectors, lemmas, texts, labels, [r["soort"] for r in dev])
    found = detector.detect(
        [r["id"] for r in test], [r["text"] for r in test], embed([r["text"] for r in test]), lemmatise([r["text"] for r in test])
    )
    flagged = {s.fragment_id: s.kind for s in found}
    gold = {r["id"]: r["soort"] for r in test if r["signaal"]}
    tp = len(set(flagged) & set(gold))
    metrics: dict[str, Any] = {
        "n_dev": len(dev),
        "n_test": len(test),
        "threshold": threshold,
        "precision": round(tp / len(flagged), 4) if flagged else 0.0,
        "recall": round(tp / len(gold), 4) if gold else 0.0,
        "kind_accuracy": round(sum(flagged[i] == gold[i] for i in set(flagged) & set(gold)) / tp, 4) if tp else 0.0,
        "per_kind_recall": {
            k: round(sum(1 for i, g in gold.items() if g == k and i in flagged) / max(1, sum(1 for g in gold.values() if g == k)), 4)
            for k in KINDS
        },
    }
    return detector, metrics
