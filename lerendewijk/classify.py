"""The trained life-domain classifier: supervised heads on sentence embeddings and Dutch lemmas.

Each *view* of a fragment (USE embedding, e5 embedding, lemma TF-IDF) gets its own logistic
regression per head; the heads' log-probabilities are combined with weights chosen on the dev
split (late fusion). Heads:

- ``primary``: the primary life domain, or ``geen_domein`` (six classes);
- ``presence``: one yes/no head per domain, whose probabilities are the scores a user reads and,
  above a per-domain threshold chosen on dev, add secondary domains;
- ``aspect`` (fysiek / sociaal / beide) and ``actor`` (bewoners ... onduidelijk).

The model is saved as ``weights.npz`` (plain arrays, loaded with ``allow_pickle=False``) and
``model.json`` (labels, views, thresholds, vocabulary, data hash, metrics): no pickle anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .domains import DOMAIN_KEYS
from .model import DomainPrediction

NONE = "geen_domein"
PRIMARY_LABELS = [*DOMAIN_KEYS, NONE]
ASPECTS = ["fysiek", "sociaal", "beide"]
ACTORS = ["bewoners", "overheid", "organisaties", "professionals", "gemengd", "onduidelijk"]
TONES = ["sterkte", "probleem", "wens", "neutraal"]
PROFILES = {
    # fast: 10,000 fragments in seconds; accurate: adds multilingual-e5-small (about 25 fragments/s)
    "snel": ("use", "lex"),
    "nauwkeurig": ("use", "e5", "lex"),
}
EMBEDDING_OF_VIEW = {"use": "use-multilingual", "e5": "e5-small"}
FORMAT_VERSION = 1


@dataclass
class Example:
    id: str
    text: str
    domains: list[str]
    aspect: str | None = None
    actor: str | None = None
    tone: str | None = None


def load_examples(path: str | Path) -> list[Example]:
    from .io import read_records

    examples = []
    for record in read_records(path, require=("id", "text", "domains")):
        domains = record["domains"]
        if isinstance(domains, str):
            domains = [d.strip() for d in re.split(r"[;,|]", domains) if d.strip()]
        examples.append(
            Example(str(record["id"]), record["text"], list(domains), record.get("aspect"), record.get("actor"), record.get("toon"))
        )
    return examples


class LexicalView:
    """Lemma TF-IDF with a fixed vocabulary, stored as plain lists and arrays."""

    def __init__(self, vocabulary: list[str] | None = None, idf: np.ndarray | None = None) -> None:
        self.vocabulary = vocabulary or []
        self.idf = idf if idf is not None else np.zeros(0)
        self._index = {w: i for i, w in enumerate(self.vocabulary)}

    def fit(self, lemma_lists: list[list[str]], min_df: int = 2) -> LexicalView:
        df: dict[str, int] = {}
        for lemmas in lemma_lists:
            for w in set(lemmas):
                df[w] = df.get(w, 0) + 1
        self.vocabulary = sorted(w for w, n in df.items() if n >= min_df and len(w) > 1)
        self._index = {w: i for i, w in enumerate(self.vocabulary)}
        n = len(lemma_lists)
        self.idf = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in self.vocabulary])
        return self

    def transform(self, lemma_lists: list[list[str]]) -> Any:
        from scipy import sparse

        rows, cols, vals = [], [], []
        for r, lemmas in enumerate(lemma_lists):
            counts: dict[int, int] = {}
            for w in lemmas:
                j = self._index.get(w)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            weights = {j: (1 + np.log(c)) * self.idf[j] for j, c in counts.items()}
            norm = np.sqrt(sum(v * v for v in weights.values()))
            for j, v in weights.items():
                rows.append(r)
                cols.append(j)
                vals.append(v / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(lemma_lists), len(self.vocabulary)))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@dataclass
class Head:
    """One prediction target, a linear model per view, fused by weighted log-probabilities."""

    labels: list[str]
    weights: dict[str, np.ndarray] = field(default_factory=dict)  # view -> (n_labels, n_features)
    biases: dict[str, np.ndarray] = field(default_factory=dict)
    view_weights: dict[str, float] = field(default_factory=dict)

    def fit(self, views: dict[str, Any], y: Sequence[str], C: dict[str, float], seed: int) -> Head:
        from sklearn.linear_model import LogisticRegression

        present = sorted(set(y))
        for name, X in views.items():
            model = LogisticRegression(C=C.get(name, 1.0), max_iter=5000, random_state=seed)
            model.fit(X, list(y))
            W = np.zeros((len(self.labels), X.shape[1]))
            b = np.full(len(self.labels), -30.0)  # a label never seen in training gets no mass
            if len(present) == 2 and model.coef_.shape[0] == 1:
                # scikit-learn keeps one row for two classes: expand to one row per class
                pos = self.labels.index(model.classes_[1])
                neg = self.labels.index(model.classes_[0])
                W[pos], b[pos] = model.coef_[0], model.intercept_[0]
                W[neg], b[neg] = 0.0, 0.0
            else:
                for row, cls in enumerate(model.classes_):
                    W[self.labels.index(cls)] = model.coef_[row]
                    b[self.labels.index(cls)] = model.intercept_[row]
            self.weights[name] = W
            self.biases[name] = b
            self.view_weights.setdefault(name, 1.0)
        return self

    def log_proba(self, views: dict[str, Any]) -> np.ndarray:
        total = None
        for name, weight in self.view_weights.items():
            if weight == 0:
                continue
            z = np.asarray(views[name] @ self.weights[name].T) + self.biases[name]
            part = weight * _log_softmax(z)
            total = part if total is None else total + part
        assert total is not None
        return _log_softmax(total)

    def proba(self, views: dict[str, Any]) -> np.ndarray:
        return np.exp(self.log_proba(views))


@dataclass
class TrainConfig:
    profile: str = "snel"
    seed: int = 42
    C: dict[str, float] = field(default_factory=lambda: {"use": 4.0, "e5": 16.0, "lex": 4.0})
    weight_grid: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5)
    views: tuple[str, ...] | None = None  # overrides the profile's views (for comparisons)


class DomainClassifier:
    """Trained classifier of the five life domains, with aspect and actor; scikit-learn style."""

    model_kind = "getraind"

    def __init__(self, config: TrainConfig | None = None) -> None:
        self.config = config or TrainConfig()
        self.views = list(self.config.views or PROFILES[self.config.profile])
        self.lexical = LexicalView()
        self.primary = Head(PRIMARY_LABELS)
        self.presence = {k: Head(["nee", "ja"]) for k in DOMAIN_KEYS}
        self.aspect = Head(ASPECTS)
        self.actor = Head(ACTORS)
        self.tone = Head(TONES)
        self.thresholds = {k: 0.5 for k in DOMAIN_KEYS}
        self.doubt = {"max_probability": 0.4, "margin": 0.1}
        self.meta: dict[str, Any] = {}

    # -- features ----------------------------------------------------------------
    def features(
        self, texts: list[str], embed: Callable[[str, list[str]], np.ndarray], lemmas: list[list[str]] | None = None
    ) -> dict[str, Any]:
        """The views of ``texts``; ``embed(view, texts)`` returns unit vectors of that view's model."""
        from .segment import lemmatise

        out: dict[str, Any] = {}
        for view in self.views:
            if view == "lex":
                out[view] = self.lexical.transform(lemmas if lemmas is not None else lemmatise(texts))
            else:
                out[view] = embed(view, texts)
        return out

    # -- training -------------------------------------------------------------------
    def fit(self, train: list[Example], dev: list[Example], embed: Callable[[str, list[str]], np.ndarray]) -> DomainClassifier:
        from .segment import lemmatise

        train_lemmas = lemmatise([e.text for e in train])
        self.lexical.fit(train_lemmas)
        X = self.features([e.text for e in train], embed, train_lemmas)
        D = self.features([e.text for e in dev], embed)
        seed, C = self.config.seed, self.config.C
        self.primary.fit(X, [e.domains[0] if e.domains else NONE for e in train], C, seed)
        for key in DOMAIN_KEYS:
            self.presence[key].fit(X, ["ja" if key in e.domains else "nee" for e in train], C, seed)
        with_domain = [i for i, e in enumerate(train) if e.domains and e.aspect in ASPECTS]
        self.aspect.fit(_rows(X, with_domain), [train[i].aspect for i in with_domain], C, seed)
        with_actor = [i for i, e in enumerate(train) if e.actor in ACTORS]
        self.actor.fit(_rows(X, with_actor), [train[i].actor for i in with_actor], C, seed)
        with_tone = [i for i, e in enumerate(train) if e.tone in TONES]
        self.tone.fit(_rows(X, with_tone), [train[i].tone for i in with_tone], C, seed)
        self._tune(D, dev)
        return self

    def _tune(self, D: dict[str, Any], dev: list[Example]) -> None:
        """Choose the view weights of the primary head and the presence thresholds on dev."""
        from itertools import product

        gold = [e.domains[0] if e.domains else NONE for e in dev]
        best = (-1.0, dict(self.primary.view_weights))
        for combo in product(self.config.weight_grid, repeat=len(self.views)):
            if not any(combo):
                continue
            self.primary.view_weights = dict(zip(self.views, combo))
            predicted = [PRIMARY_LABELS[i] for i in self.primary.log_proba(D).argmax(axis=1)]
            accuracy = float(np.mean([p == g for p, g in zip(predicted, gold)]))
            if accuracy > best[0] + 1e-9:
                best = (accuracy, dict(self.primary.view_weights))
        self.primary.view_weights = best[1]
        for key in DOMAIN_KEYS:
            self.presence[key].view_weights = dict(best[1])
        for head in (self.aspect, self.actor, self.tone):
            head.view_weights = dict(best[1])
        from .evaluate import evaluate

        golds = [e.domains for e in dev]
        for key in DOMAIN_KEYS:
            scores = []
            for t in np.arange(0.20, 0.91, 0.05):
                self.thresholds[key] = round(float(t), 2)
                scores.append((evaluate(golds, [p.domains for p in self._decide(D)])["macro_f1"], -abs(t - 0.5), round(float(t), 2)))
            self.thresholds[key] = max(scores)[2]

    # -- prediction -----------------------------------------------------------------
    def _decide(self, views: dict[str, Any]) -> list[DomainPrediction]:
        primary = self.primary.proba(views)
        presence = np.stack([self.presence[k].proba(views)[:, 1] for k in DOMAIN_KEYS], axis=1)
        aspect = self.aspect.proba(views)
        actor = self.actor.proba(views)
        tone = self.tone.proba(views)
        out = []
        for i in range(primary.shape[0]):
            scores = {k: round(float(presence[i, j]), 4) for j, k in enumerate(DOMAIN_KEYS)}
            order = np.argsort(-primary[i])
            best = PRIMARY_LABELS[order[0]]
            if best == NONE:
                out.append(DomainPrediction([], "geen_domein", scores, None, ACTORS[int(actor[i].argmax())], TONES[int(tone[i].argmax())]))
                continue
            domains = [best]
            for j in np.argsort(-presence[i]):
                key = DOMAIN_KEYS[j]
                if key not in domains and presence[i, j] >= self.thresholds[key] and len(domains) < 3:
                    domains.append(key)
            top = primary[i, order[0]]
            runner_up = primary[i, order[1]]
            doubtful = top < self.doubt["max_probability"] and top - runner_up < self.doubt["margin"]
            status = "twijfel" if doubtful else "ok"
            if doubtful and PRIMARY_LABELS[order[1]] != NONE and PRIMARY_LABELS[order[1]] not in domains:
                domains.append(PRIMARY_LABELS[order[1]])
            out.append(
                DomainPrediction(
                    domains, status, scores, ASPECTS[int(aspect[i].argmax())], ACTORS[int(actor[i].argmax())], TONES[int(tone[i].argmax())]
                )
            )
        return out

    def predict(
        self, texts: list[str], embed: Callable[[str, list[str]], np.ndarray], lemmas: list[list[str]] | None = None
    ) -> list[DomainPrediction]:
        if not texts:
            return []
        return self._decide(self.features(texts, embed, lemmas))

    # -- persistence ----------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"lex/idf": self.lexical.idf}
        heads = {"primary": self.primary, "aspect": self.aspect, "actor": self.actor, "tone": self.tone}
        heads.update({f"presence/{k}": h for k, h in self.presence.items()})
        for name, head in heads.items():
            for view in head.weights:
                arrays[f"{name}/{view}/W"] = head.weights[view].astype(np.float32)
                arrays[f"{name}/{view}/b"] = head.biases[view].astype(np.float32)
        import io

        from .privacy import write_atomic

        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        write_atomic(folder / "weights.npz", buffer.getvalue())
        meta = {
            "format": FORMAT_VERSION,
            "kind": "lerendewijk-levensdomeinen",
            "profile": self.config.profile,
            "views": self.views,
            "embedding_models": {v: _embedding_id(v) for v in self.views if v != "lex"},
            "labels": {"primary": PRIMARY_LABELS, "aspect": ASPECTS, "actor": ACTORS, "tone": TONES, "domains": list(DOMAIN_KEYS)},
            "view_weights": {name: head.view_weights for name, head in heads.items()},
            "thresholds": self.thresholds,
            "doubt": self.doubt,
            "vocabulary": self.lexical.vocabulary,
            "train_config": {"seed": self.config.seed, "C": self.config.C, "weight_grid": list(self.config.weight_grid)},
            "weights_sha256": hashlib.sha256((folder / "weights.npz").read_bytes()).hexdigest(),
            **self.meta,
        }
        write_atomic(folder / "model.json", json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))

    @classmethod
    def load(cls, folder: str | Path) -> DomainClassifier:
        folder = Path(folder)
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{folder}: geen geldig levensdomeinmodel ({exc})") from exc
        if meta.get("kind") != "lerendewijk-levensdomeinen" or meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{folder}: onbekend modelformaat")
        digest = hashlib.sha256((folder / "weights.npz").read_bytes()).hexdigest()
        if digest != meta.get("weights_sha256"):
            raise ValueError(f"{folder}: weights.npz hoort niet bij model.json (andere hash)")
        model = cls(TrainConfig(profile=meta["profile"], seed=meta["train_config"]["seed"], C=meta["train_config"]["C"]))
        with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
            model.lexical = LexicalView(meta["vocabulary"], arrays["lex/idf"])
            heads = {"primary": model.primary, "aspect": model.aspect, "actor": model.actor, "tone": model.tone}
            heads.update({f"presence/{k}": h for k, h in model.presence.items()})
            for name, head in heads.items():
                head.view_weights = {v: float(w) for v, w in meta["view_weights"][name].items()}
                for view in model.views:
                    head.weights[view] = arrays[f"{name}/{view}/W"].astype(np.float64)
                    head.biases[view] = arrays[f"{name}/{view}/b"].astype(np.float64)
        model.thresholds = meta["thresholds"]
        model.doubt = meta["doubt"]
        model.meta = {k: meta[k] for k in ("metrics", "data_sha256", "trained_on") if k in meta}
        return model


def _rows(views: dict[str, Any], index: list[int]) -> dict[str, Any]:
    return {name: X[index] for name, X in views.items()}


def _embedding_id(view: str) -> str:
    from .embed import model_id

    return model_id(EMBEDDING_OF_VIEW[view])


def data_hash(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "levensdomeinen"
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "levensdomeinen"


def view_embedder(cache: dict[tuple[str, str], np.ndarray] | None = None) -> Callable[[str, list[str]], np.ndarray]:
    """``embed(view, texts)`` over the bundled models, remembering vectors within the process."""
    from .embed import Embedder

    cache = {} if cache is None else cache
    embedders: dict[str, Embedder] = {}

    def embed(view: str, texts: list[str]) -> np.ndarray:
        if view not in embedders:
            embedders[view] = Embedder(EMBEDDING_OF_VIEW[view])
        missing = list(dict.fromkeys(t for t in texts if (view, t) not in cache))
        if missing:
            for text, vector in zip(missing, embedders[view].encode(missing)):
                cache[(view, text)] = vector
        return np.vstack([cache[(view, t)] for t in texts]) if texts else np.zeros((0, embedders[view].dimension))

    return embed


def train_from_corpus(
    profile: str = "snel",
    corpus: Path = CORPUS,
    seed: int = 42,
    embed: Callable[[str, list[str]], np.ndarray] | None = None,
    limit: int | None = None,
    views: tuple[str, ...] | None = None,
) -> tuple[DomainClassifier, dict[str, Any]]:
    """Train on train.jsonl, tune on dev.jsonl, and measure on test.jsonl and generalisatie.jsonl."""
    from .domains import ZeroShotDomainClassifier
    from .evaluate import evaluate

    if profile not in PROFILES:
        raise ValueError(f"onbekend profiel '{profile}'; kies uit {', '.join(PROFILES)}")
    embed = embed or view_embedder()
    train = load_examples(corpus / "train.jsonl")[:limit]
    dev = load_examples(corpus / "dev.jsonl")[:limit]
    model = DomainClassifier(TrainConfig(profile=profile, seed=seed, views=views)).fit(train, dev, embed)
    metrics: dict[str, Any] = {}
    zero_shot = ZeroShotDomainClassifier().fit(lambda texts: embed("use", texts))
    for name in ("dev", "test", "generalisatie"):
        examples = load_examples(corpus / f"{name}.jsonl")[:limit]
        texts = [e.text for e in examples]
        gold = [e.domains for e in examples]
        predictions = model.predict(texts, embed)
        metrics[name] = evaluate(gold, [p.domains for p in predictions])
        with_aspect = [(p.aspect, e.aspect) for p, e in zip(predictions, examples) if e.aspect]
        metrics[name]["aspect_accuracy"] = round(float(np.mean([a == b for a, b in with_aspect])), 4) if with_aspect else None
        metrics[name]["actor_accuracy"] = round(float(np.mean([p.actor == e.actor for p, e in zip(predictions, examples)])), 4)
        with_tone = [(p.tone, e.tone) for p, e in zip(predictions, examples) if e.tone]
        metrics[name]["tone_accuracy"] = round(float(np.mean([a == b for a, b in with_tone])), 4) if with_tone else None
        shot = zero_shot.predict(embed("use", texts), texts)
        metrics[name]["zero_shot"] = {
            k: v for k, v in evaluate(gold, [p.domains for p in shot]).items() if k in ("macro_f1", "primary_accuracy", "primary_kappa")
        }
    files = [corpus / f"{n}.jsonl" for n in ("train", "dev")]
    model.meta = {"metrics": metrics, "data_sha256": data_hash(files), "trained_on": {"train": len(train), "dev": len(dev)}}
    return model, metrics


def load_profile(name_or_path: str) -> DomainClassifier | None:
    """A shipped profile ("snel", "nauwkeurig") or a model folder; None when it is not there."""
    folder = MODEL_DIR / name_or_path if name_or_path in PROFILES else Path(name_or_path)
    if not (folder / "model.json").exists():
        return None
    return DomainClassifier.load(folder)
