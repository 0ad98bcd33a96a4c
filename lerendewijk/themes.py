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
import re
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
    "lachen",
    "merken",
    "snappen",
    "weten",
    "zeker",
    "helemaal",
    "trouwens",
    "inderdaad",
    "één",
    "hoeven",
    "enig",
    "enige",
    "begin",
    "beginnen",
    "eerlijk",
    "nemen",
    "zetten",
    "stuk",
    "half",
    "houden",
    "vragen",
    "zodat",
    "erop",
    "erom",
    "ervan",
    "eromheen",
    "per",
    "voelen",
}


def _number_words() -> set[str]:
    """'achtenzestig', 'tweeëntwintig': ages and amounts in words say nothing about a theme."""
    units = ["een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
    tens = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
    words = (
        set(units)
        | set(tens)
        | {
            "tien",
            "elf",
            "twaalf",
            "dertien",
            "veertien",
            "vijftien",
            "zestien",
            "zeventien",
            "achttien",
            "negentien",
            "honderd",
            "duizend",
        }
    )
    for ten in tens:
        for unit in units:
            joint = "ën" if unit.endswith("e") else "en"
            words.add(f"{unit}{joint}{ten}")
            words.add(f"{unit}en{ten}")
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
    return words | set(months)


def stop_words() -> set[str]:
    from .language import dutch_stop_words

    return set(dutch_stop_words()) | FILLERS | _number_words()


@dataclass
class ThemeConfig:
    seed: int = 42
    min_words: int = 4
    min_content_words: int = 2
    min_themes: int = 3
    max_themes: int = 12
    max_themes_large: int = 40
    quotes: int = 4
    keywords: int = 8
    lexical_dims: int = 80
    lexical_weight: float = 1.0
    reduced_dims: int = 10
    assign_threshold: float = 0.25
    # "intern": c-TF-IDF computed here exactly as BERTopic's ClassTfidfTransformer does, without
    # importing BERTopic (whose import of UMAP, HDBSCAN and numba costs seconds of every cold start);
    # "bertopic": the same clusters handed to BERTopic itself
    engine: str = "intern"


def content_words(fragment: Fragment, stop: set[str]) -> list[str]:
    return [w for w in fragment.lemmas if w not in stop and len(w) > 2]


def eligible(fragment: Fragment, prediction: DomainPrediction | None, config: ThemeConfig) -> bool:
    """Theme material: what residents and workers said, not the facilitator's prompts or 'ja'."""
    if fragment.role == "facilitator":
        return False
    if prediction is not None and prediction.status == "geen_domein":
        return False
    return len(fragment.text.split()) >= config.min_words


def number_of_themes(n: int, config: ThemeConfig) -> int:
    """Size-based: a 60-fragment table gets about 5 themes, an archive of thousands up to 40."""
    if n < 2 * config.min_themes:
        return max(1, n // 2)
    if n <= 2000:
        return int(min(config.max_themes, max(config.min_themes, round(math.sqrt(n / 2.5)))))
    return int(min(config.max_themes_large, round(config.max_themes + math.log2(n / 2000) * 6)))


# the tokens BERTopic's CountVectorizer keeps here: letters only, three or more
WORD = re.compile(r"(?u)\b[^\W\d_]{3,}\b")


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
    # BERTopic's ClassTfidfTransformer(reduce_frequent_words=True): l1-normalised frequencies,
    # square-rooted, times log(1 + average words per class / frequency of the word over all classes)
    tf = np.sqrt(matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1))
    avg_words = int(matrix.sum(axis=1).mean())
    idf = np.log(1 + avg_words / np.maximum(matrix.sum(axis=0), 1))
    return vocabulary, tf * idf


def topic_features(fragments: list[Fragment], vectors: np.ndarray, stop: set[str], config: ThemeConfig) -> np.ndarray:
    """Sentence embeddings joined with reduced lemma TF-IDF, then reduced to a few dimensions.

    Embeddings of short spoken fragments group by tone ("nou ja, weet je") as much as by topic;
    the content words (lift, scootmobiel, mantelzorg) pull fragments about the same thing
    together. PCA (deterministic, unlike UMAP) then concentrates the topical structure so that
    k-means finds balanced themes instead of one catch-all.
    """
    from sklearn.decomposition import PCA, TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    features = vectors
    docs = [" ".join(content_words(f, stop)) for f in fragments]
    if sum(1 for d in docs if d) >= 10:
        tfidf = TfidfVectorizer(min_df=2, sublinear_tf=True).fit_transform(docs)
        if tfidf.shape[1] >= 10:
            components = min(config.lexical_dims, tfidf.shape[1] - 1, len(fragments) - 1)
            lexical = TruncatedSVD(n_components=components, random_state=config.seed).fit_transform(tfidf)
            lexical /= np.maximum(np.linalg.norm(lexical, axis=1, keepdims=True), 1e-9)
            features = np.hstack([vectors, config.lexical_weight * lexical])
    dims = min(config.reduced_dims, features.shape[0] - 1, features.shape[1])
    if dims < 2:
        return features
    return PCA(n_components=dims, random_state=config.seed).fit_transform(features)


def cluster_model(k: int, n: int, seed: int) -> Any:
    from sklearn.cluster import KMeans, MiniBatchKMeans

    if n > 20000:
        return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    # ten restarts matter for a story table; on thousands of fragments the best of three is as good
    return KMeans(n_clusters=k, n_init=10 if n <= 2000 else 3, random_state=seed)


def cluster(features: np.ndarray, k: int, seed: int = 42) -> np.ndarray:
    if len(features) <= 1 or k <= 1:
        return np.zeros(len(features), dtype=int)
    return cluster_model(min(k, len(features)), len(features), seed).fit_predict(features)


def canonical_order(fragments: list[Fragment]) -> list[int]:
    """Order fragments by content, not by position: shuffling the input files changes nothing."""
    return sorted(range(len(fragments)), key=lambda i: (hashlib.sha1(fragments[i].text.encode()).hexdigest(), fragments[i].speaker))


def stored_embedder() -> Any:
    """Hands BERTopic the embeddings we already have, so it never loads (or downloads) a model."""
    from bertopic.backend import BaseEmbedder

    class StoredEmbeddings(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            raise RuntimeError("themes use stored embeddings; nothing is embedded inside BERTopic")

    return StoredEmbeddings()


def bertopic_keywords(
    docs: list[str], features: np.ndarray, labels: np.ndarray, stop: set[str], config: ThemeConfig
) -> dict[int, list[str]]:
    """Run BERTopic with our fixed reduction and clusters; its c-TF-IDF gives the keywords."""
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    class FixedClusters:
        """The clustering is done before BERTopic (canonical order, chosen k); BERTopic reads it."""

        def fit(self, X: np.ndarray, y: Any = None) -> FixedClusters:
            self.labels_ = labels
            return self

        def predict(self, X: np.ndarray) -> np.ndarray:
            return labels

    model = BERTopic(
        embedding_model=stored_embedder(),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=FixedClusters(),
        vectorizer_model=CountVectorizer(stop_words=sorted(stop), token_pattern=r"(?u)\b[^\W\d_]{3,}\b"),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=config.keywords,
        calculate_probabilities=False,
        verbose=False,
    )
    topics, _ = model.fit_transform(docs, embeddings=features)
    keywords = {}
    for group in set(labels.tolist()):
        # BERTopic renumbers clusters by size; map each of our clusters to its topic through a member
        topic = topics[int(np.flatnonzero(labels == group)[0])]
        words = model.get_topic(topic) or []
        keywords[group] = [w for w, score in words if score > 0][: config.keywords]
    return keywords


def find_themes(
    fragments: list[Fragment],
    vectors: np.ndarray,
    predictions: dict[int, DomainPrediction],
    documents: dict[int, str],
    config: ThemeConfig | None = None,
    steering: Any = None,
) -> list[dict[str, Any]]:
    """Cluster eligible fragments into themes; returns plain dicts ready for the store and report.

    ``steering`` (a ``SteeringRules``) applies the facilitator's decisions: seeded themes take
    their fragments first, then merges, splits and names are applied to the clusters they match.
    """
    config = config or ThemeConfig()
    stop = stop_words()
    candidates = [i for i, f in enumerate(fragments) if eligible(f, predictions.get(f.id or -1), config)]
    core = [i for i in candidates if len(content_words(fragments[i], stop)) >= config.min_content_words]
    if len(core) < 2:
        return []
    order = canonical_order([fragments[i] for i in core])
    core = [core[i] for i in order]
    subset = [fragments[i] for i in core]
    features = topic_features(subset, vectors[core], stop, config)
    seeded = steering.seed_assignment(vectors[core]) if steering is not None else np.full(len(core), -1)
    free = np.flatnonzero(seeded < 0)
    labels = np.full(len(core), -1)
    if len(free):
        labels[free] = cluster(features[free], number_of_themes(len(free), config), config.seed)
    offset = int(labels.max()) + 1 if len(free) else 0
    labels[seeded >= 0] = offset + seeded[seeded >= 0]
    names: dict[int, str] = {}
    if steering is not None:
        labels, names = _apply_steering(labels, vectors[core], features, steering, offset, config)
    groups = sorted(set(labels.tolist()))
    if config.engine == "bertopic":
        keywords_of = bertopic_keywords([" ".join(f.lemmas) for f in subset], features, labels, stop, config)
    else:
        words = [WORD.findall(" ".join(f.lemmas).lower()) for f in subset]
        vocabulary, weights = class_tfidf([[w for ws, lab in zip(words, labels) if lab == g for w in ws] for g in groups], stop)
        keywords_of = {
            g: [vocabulary[j] for j in np.argsort(-weights[row])[: config.keywords] if weights[row, j] > 0] for row, g in enumerate(groups)
        }
    members_of: dict[int, list[int]] = {g: [core[i] for i, lab in enumerate(labels) if lab == g] for g in groups}
    centroids = {}
    for g, idx in members_of.items():
        c = vectors[idx].mean(axis=0)
        centroids[g] = c / (np.linalg.norm(c) or 1.0)
    # outlier reduction: short but real remarks join the theme they are closest to, if close enough
    in_core = set(core)
    keys = list(centroids)
    matrix = np.array([centroids[g] for g in keys])
    for i in candidates:
        if i in in_core:
            continue
        sims = matrix @ vectors[i]
        best = int(np.argmax(sims))
        if sims[best] >= config.assign_threshold:
            members_of[keys[best]].append(i)
    themes = [_theme(g, members_of[g], fragments, vectors, predictions, documents, keywords_of.get(g, []), config) for g in groups]
    for g, theme in zip(groups, themes):
        if g in names:
            theme["label"] = names[g]
            theme["named_by"] = "gespreksleider"
    themes.sort(key=lambda t: (-t["size"], t["key"]))
    assigned = sum(t["size"] for t in themes)
    for n, theme in enumerate(themes, start=1):
        theme["number"] = n
        theme["unassigned_share"] = round(1 - assigned / len(candidates), 4) if candidates else 0.0
    return themes


def _centroids(labels: np.ndarray, vectors: np.ndarray) -> dict[int, np.ndarray]:
    out = {}
    for g in sorted(set(labels.tolist())):
        c = vectors[labels == g].mean(axis=0)
        out[g] = c / (np.linalg.norm(c) or 1.0)
    return out


def _apply_steering(
    labels: np.ndarray, vectors: np.ndarray, features: np.ndarray, steering: Any, offset: int, config: ThemeConfig
) -> tuple[np.ndarray, dict[int, str]]:
    """Merges, then splits, then names; seeds keep the name the facilitator gave them."""
    labels = labels.copy()
    for source, target in steering.merges(_centroids(labels, vectors)).items():
        labels[labels == source] = target
    next_label = int(labels.max()) + 1
    for target in sorted(steering.splits(_centroids(labels, vectors))):
        idx = np.flatnonzero(labels == target)
        if len(idx) >= 4:
            parts = cluster(features[idx], 2, config.seed)
            labels[idx[parts == 1]] = next_label
            next_label += 1
    names = steering.names(_centroids(labels, vectors))
    for n, seed in enumerate(steering.seeds()):
        if np.any(labels == offset + n):
            names[offset + n] = seed.payload["label"]
    return labels, names


def _theme(
    group: int,
    member_idx: list[int],
    fragments: list[Fragment],
    vectors: np.ndarray,
    predictions: dict[int, DomainPrediction],
    documents: dict[int, str],
    keywords: list[str],
    config: ThemeConfig,
) -> dict[str, Any]:
    members = sorted((fragments[i] for i in member_idx), key=lambda f: f.id or 0)
    member_vectors = np.array([vectors[i] for i in sorted(member_idx, key=lambda i: fragments[i].id or 0)])
    centroid = member_vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = member_vectors @ centroid
    profile: Counter[str] = Counter()
    for f in members:
        pred = predictions.get(f.id or -1)
        if pred and pred.domains:
            profile[pred.domains[0]] += 1
    total = sum(profile.values()) or 1
    domain_profile = {k: round(profile.get(k, 0) / total, 3) for k in DOMAIN_KEYS}
    central = members[int(np.argmax(centrality))]
    label = " · ".join(keywords[:3]) if keywords else central.text[:60]
    # the key is a hash of the members' texts: the same theme gets the same key in every run
    key = "t" + hashlib.sha1("\n".join(sorted(f.text for f in members)).encode()).hexdigest()[:8]
    return {
        "key": key,
        "label": label,
        "keywords": keywords,
        "size": len(members),
        "speakers": len({f.speaker for f in members}),
        "documents": sorted({documents.get(f.document_id, str(f.document_id)) for f in members}),
        "domain_profile": domain_profile,
        "primary_domain": max(domain_profile, key=lambda k: domain_profile[k]) if profile else None,
        "central_fragment": central.id,
        "quotes": representative_quotes(members, centrality, documents, config.quotes),
        "centroid": [round(float(x), 6) for x in centroid],
        "members": [(f.id, round(float(c), 4)) for f, c in zip(members, centrality)],
    }


def representative_quotes(members: list[Fragment], centrality: np.ndarray, documents: dict[int, str], n: int) -> list[dict[str, Any]]:
    """The most central fragments, one per speaker first, so one talkative person can't fill the list."""
    order = list(np.argsort(-centrality))
    picked: list[int] = []
    seen: set[str] = set()
    for i in order:
        if members[i].speaker not in seen and len(members[i].text.split()) >= 4:
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
