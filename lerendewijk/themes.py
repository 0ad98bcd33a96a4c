"""Phase 1, vrije ruimte: themes from what residents said, in an unordered whole.

Fragments of residents and professionals (not the facilitator's questions) are clustered on their
embeddings; each theme gets extractive keywords (class-based TF-IDF over Dutch lemmas), a label
made of those keywords, its life-domain profile, the number of distinct speakers, and quotes
chosen for centrality and diversity of speakers. Every quote is an exact slice of the
pseudonymised document.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from .domains import DOMAIN_KEYS
from .model import DomainPrediction, Fragment

FILLERS = {
    "ja",
    "nee",
    "nou",
    "eh",
    "ehm",
    "uh",
    "hè",
    "he",
    "hoor",
    "zo",
    "toch",
    "gewoon",
    "even",
    "wel",
    "maar",
    "weet",
    "je",
    "jij",
    "jullie",
    "zeg",
    "zeggen",
    "ok",
    "oké",
    "okay",
    "mm",
    "hm",
    "precies",
    "klopt",
    "echt",
    "eigenlijk",
    "natuurlijk",
    "dus",
    "want",
    "beetje",
    "heel",
    "erg",
    "ook",
    "nog",
    "al",
    "hier",
    "daar",
    "gaan",
    "komen",
    "doen",
    "zien",
    "zitten",
    "staan",
    "liggen",
    "worden",
    "hebben",
    "zijn",
    "kunnen",
    "moeten",
    "willen",
    "zullen",
    "mogen",
    "laten",
    "krijgen",
    "vinden",
    "denken",
    "lacht",
    "onverstaanbaar",
    "iemand",
    "iets",
    "niks",
    "niets",
    "alles",
    "allemaal",
    "mens",
    "mensen",
    "keer",
    "ding",
    "dingen",
    "jaar",
    "dag",
    "week",
    "tijd",
    "goed",
    "leuk",
    "mooi",
    "groot",
    "klein",
    "veel",
    "weinig",
    "meer",
    "gaat",
    "ga",
    "zei",
    "zegt",
    "bewoner",
    "professional",
    "gespreksleider",
    "persoon",
    "adres",
    "telefoon",
    "leeftijd",
    "datum",
    "nummer",
    "soms",
    "altijd",
    "nooit",
    "weer",
    "steeds",
    "eens",
    "gelach",
    "bla",
    "via",
    "twee",
    "drie",
    "vier",
    "vijf",
    "tien",
    "uur",
    "ergens",
    "staat",
    "horen",
    "kijken",
    "merken",
    "snappen",
    "weten",
    "zeker",
    "helemaal",
    "trouwens",
    "inderdaad",
}


def stop_words() -> set[str]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    return set(STOP_WORDS) | FILLERS


@dataclass
class ThemeConfig:
    seed: int = 42
    min_words: int = 5
    min_themes: int = 3
    max_themes: int = 12
    quotes: int = 4
    keywords: int = 8
    lexical_dims: int = 80
    lexical_weight: float = 1.0


def eligible(fragment: Fragment, prediction: DomainPrediction | None, config: ThemeConfig) -> bool:
    """Theme material: what residents and workers said, not the facilitator's prompts or 'ja'."""
    if fragment.role == "facilitator":
        return False
    if prediction is not None and prediction.status == "geen_domein":
        return False
    return len(fragment.text.split()) >= config.min_words


def number_of_themes(n: int, config: ThemeConfig) -> int:
    """Size-based: a 60-fragment table gets about 5 themes, a large archive at most max_themes."""
    if n < 2 * config.min_themes:
        return max(1, n // 2)
    return int(min(config.max_themes, max(config.min_themes, round(math.sqrt(n / 2.5)))))


def class_tfidf(docs: list[list[str]], vocabulary_stop: set[str]) -> tuple[list[str], np.ndarray]:
    """c-TF-IDF (as in BERTopic): term frequency per theme, weighted by rarity across themes."""
    counts = [Counter(w for w in doc if w not in vocabulary_stop and len(w) > 2 and not w.isdigit()) for doc in docs]
    vocabulary = sorted(set().union(*counts)) if counts else []
    index = {w: i for i, w in enumerate(vocabulary)}
    matrix = np.zeros((len(docs), len(vocabulary)), dtype=np.float64)
    for row, counter in enumerate(counts):
        for word, n in counter.items():
            matrix[row, index[word]] = n
    if not vocabulary:
        return vocabulary, matrix
    tf = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    avg_words = matrix.sum() / max(len(docs), 1)
    idf = np.log(1 + avg_words / np.maximum(matrix.sum(axis=0), 1))
    return vocabulary, tf * idf


def topic_features(fragments: list[Fragment], vectors: np.ndarray, stop: set[str], config: ThemeConfig) -> np.ndarray:
    """Sentence embeddings joined with reduced lemma TF-IDF.

    Embeddings of short spoken fragments group by tone ("nou ja, weet je") as much as by topic;
    the content words (lift, scootmobiel, mantelzorg) pull fragments about the same thing together.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(w for w in f.lemmas if w not in stop and len(w) > 2) for f in fragments]
    if sum(1 for d in docs if d) < 10:
        return vectors
    tfidf = TfidfVectorizer(min_df=2, sublinear_tf=True).fit_transform(docs)
    if tfidf.shape[1] < 10:
        return vectors
    components = min(config.lexical_dims, tfidf.shape[1] - 1, len(fragments) - 1)
    lexical = TruncatedSVD(n_components=components, random_state=config.seed).fit_transform(tfidf)
    lexical /= np.maximum(np.linalg.norm(lexical, axis=1, keepdims=True), 1e-9)
    return np.hstack([vectors, config.lexical_weight * lexical])


def cluster(vectors: np.ndarray, k: int) -> np.ndarray:
    """Ward clustering: deterministic, and independent of the order of the input."""
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) <= 1 or k <= 1:
        return np.zeros(len(vectors), dtype=int)
    model = AgglomerativeClustering(n_clusters=min(k, len(vectors)), linkage="ward")
    return model.fit_predict(vectors)


def find_themes(
    fragments: list[Fragment],
    vectors: np.ndarray,
    predictions: dict[int, DomainPrediction],
    documents: dict[int, str],
    config: ThemeConfig | None = None,
) -> list[dict[str, Any]]:
    """Cluster eligible fragments into themes; returns plain dicts ready for the store and report."""
    config = config or ThemeConfig()
    chosen = [i for i, f in enumerate(fragments) if eligible(f, predictions.get(f.id or -1), config)]
    if len(chosen) < 2:
        return []
    # Sort by fragment id so that the order of input files cannot change the result
    chosen.sort(key=lambda i: fragments[i].id or 0)
    subset = [fragments[i] for i in chosen]
    matrix = vectors[chosen]
    stop = stop_words()
    labels = cluster(topic_features(subset, matrix, stop, config), number_of_themes(len(subset), config))
    groups = sorted(set(labels.tolist()))
    per_theme = [[w for f, lab in zip(subset, labels) if lab == g for w in f.lemmas] for g in groups]
    vocabulary, weights = class_tfidf(per_theme, stop)
    themes: list[dict[str, Any]] = []
    for row, group in enumerate(groups):
        member_idx = [i for i, lab in enumerate(labels) if lab == group]
        members = [subset[i] for i in member_idx]
        member_vectors = matrix[member_idx]
        centroid = member_vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        centrality = member_vectors @ centroid
        keywords = []
        if vocabulary:
            order = np.argsort(-weights[row])
            keywords = [vocabulary[j] for j in order[: config.keywords] if weights[row, j] > 0]
        profile = Counter()
        for f in members:
            pred = predictions.get(f.id or -1)
            if pred and pred.domains:
                profile[pred.domains[0]] += 1
        total = sum(profile.values()) or 1
        domain_profile = {k: round(profile.get(k, 0) / total, 3) for k in DOMAIN_KEYS}
        quotes = representative_quotes(members, centrality, documents, config.quotes)
        central = members[int(np.argmax(centrality))]
        label = " · ".join(keywords[:3]) if keywords else central.text[:60]
        key = "t" + hashlib.sha1(",".join(str(f.id) for f in members).encode()).hexdigest()[:8]
        themes.append(
            {
                "key": key,
                "label": label,
                "keywords": keywords,
                "size": len(members),
                "speakers": len({f.speaker for f in members}),
                "documents": sorted({documents.get(f.document_id, str(f.document_id)) for f in members}),
                "domain_profile": domain_profile,
                "primary_domain": max(domain_profile, key=lambda k: domain_profile[k]) if profile else None,
                "central_fragment": central.id,
                "quotes": quotes,
                "centroid": [round(float(x), 6) for x in centroid],
                "members": [(f.id, round(float(c), 4)) for f, c in zip(members, centrality)],
            }
        )
    themes.sort(key=lambda t: (-t["size"], t["key"]))
    for n, theme in enumerate(themes, start=1):
        theme["number"] = n
    return themes


def representative_quotes(members: list[Fragment], centrality: np.ndarray, documents: dict[int, str], n: int) -> list[dict[str, Any]]:
    """The most central fragments, one per speaker first, so one talkative person can't fill the list."""
    order = list(np.argsort(-centrality))
    picked: list[int] = []
    seen: set[str] = set()
    for i in order:
        if members[i].speaker not in seen and len(members[i].text.split()) >= 6:
            picked.append(i)
            seen.add(members[i].speaker)
        if len(picked) == n:
            break
    for i in order:
        if len(picked) == n:
            break
        if i not in picked:
            picked.append(i)
    return [quote(members[i], documents) for i in picked]


def quote(fragment: Fragment, documents: dict[int, str]) -> dict[str, Any]:
    return {
        "fragment": fragment.id,
        "document": documents.get(fragment.document_id, str(fragment.document_id)),
        "document_id": fragment.document_id,
        "speaker": fragment.speaker,
        "role": fragment.role,
        "text": fragment.text,
        "start": fragment.start,
        "end": fragment.end,
        "timestamp": fragment.timestamp,
        "stop": fragment.stop,
    }
