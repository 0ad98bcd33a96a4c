"""Phase 2, verdieping: each theme split into sub-themes, physical and social aspects, who is
called upon, and what residents do, what hinders them and what they ask for; then questions for
the next session, built from templates and the theme's own content (never from invented text).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from .domains import DOMAINS
from .model import DomainPrediction, Fragment
from .themes import ThemeConfig, canonical_order, class_tfidf, cluster, quote, stop_words, topic_features

ASPECT_LABELS = {"fysiek": "fysiek (stenen)", "sociaal": "sociaal (mensen)", "beide": "beide"}
ACTOR_LABELS = {
    "bewoners": "bewoners zelf",
    "overheid": "gemeente en overheid",
    "organisaties": "organisaties",
    "professionals": "professionals",
    "gemengd": "samen / meerdere",
    "onduidelijk": "niemand genoemd",
}
TONE_LABELS = {"sterkte": "wat goed gaat", "probleem": "wat hindert", "wens": "wat men vraagt", "neutraal": "beschrijvend"}


@dataclass
class DeepenConfig:
    min_size_for_subthemes: int = 12
    mirror_threshold: float = 0.35
    max_questions: int = 3
    major_themes: int = 6


def _counts(values: list[str | None], labels: dict[str, str]) -> dict[str, int]:
    counted = Counter(v for v in values if v)
    return {key: counted.get(key, 0) for key in labels}


def subthemes(
    members: list[Fragment], vectors: np.ndarray, documents: dict[int, str], config: DeepenConfig, seed: int
) -> list[dict[str, Any]]:
    """A hierarchical split of one theme: the same (order-independent) clustering, two or three ways."""
    if len(members) < config.min_size_for_subthemes:
        return []
    order = canonical_order(members)
    members = [members[i] for i in order]
    vectors = vectors[order]
    stop = stop_words()
    k = 2 if len(members) < 40 else 3
    # a split in two or three needs far fewer directions than the themes of a whole round
    features = topic_features(members, vectors, stop, ThemeConfig(seed=seed, reduced_dims=5, lexical_dims=30))
    labels = cluster(features, k, seed)
    groups = sorted(set(labels.tolist()))
    vocabulary, weights = class_tfidf([[w for f, lab in zip(members, labels) if lab == g for w in f.lemmas] for g in groups], stop)
    result = []
    for row, group in enumerate(groups):
        idx = [i for i, lab in enumerate(labels) if lab == group]
        centroid = vectors[idx].mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        central = idx[int(np.argmax(vectors[idx] @ centroid))]
        keywords = [vocabulary[j] for j in np.argsort(-weights[row])[:5] if weights[row, j] > 0] if vocabulary else []
        result.append(
            {
                "label": " · ".join(keywords[:3]) if keywords else members[central].text[:50],
                "keywords": keywords,
                "size": len(idx),
                "quote": quote(members[central], documents),
                "centroid": centroid,
            }
        )
    result.sort(key=lambda s: -s["size"])
    return result


def mirror(subs: list[dict[str, Any]], subjects: list[str], subject_vectors: np.ndarray, threshold: float) -> None:
    """Match each sub-theme to the closest of a list of sub-subjects (e.g. a programme item's parts)."""
    if not subjects or not len(subject_vectors):
        return
    for sub in subs:
        sims = subject_vectors @ sub["centroid"]
        best = int(np.argmax(sims))
        sub["spiegeling"] = {"onderwerp": subjects[best], "score": round(float(sims[best]), 4)} if sims[best] >= threshold else None


def questions_for(theme: dict[str, Any]) -> list[dict[str, Any]]:
    """Candidate questions for the next story table, each with its kind and the reason in the data."""
    words = ", ".join(theme["keywords"][:3]) or theme["label"]
    deep = theme["deepening"]
    aspects, actors, tones, subs = deep["aspect"], deep["actor"], deep["tone"], deep.get("subthemes", [])
    total = max(1, sum(aspects.values()))
    actor_total = max(1, sum(actors.values()))
    physical = (aspects["fysiek"] + aspects["beide"]) / total
    social = (aspects["sociaal"] + aspects["beide"]) / total
    residents = (actors["bewoners"] + actors["gemengd"]) / actor_total
    institutions = (actors["overheid"] + actors["organisaties"] + actors["professionals"] + actors["gemengd"]) / actor_total
    silent = [DOMAINS[k] for k, share in theme["domain_profile"].items() if share == 0]
    # (priority, kind, question, reason): templates with {names}, so a report can translate them
    candidates: list[tuple[float, str, str, str]] = []
    values: dict[str, Any] = {"words": words, "silent": silent[0] if silent else "", **tones}
    values["speakers"] = theme["speakers"]
    if len(subs) >= 2:
        values["sub1"], values["sub2"] = subs[0]["label"], subs[1]["label"]
        candidates.append(
            (
                0.95,
                "deelonderwerp",
                "Bij {words} ging het zowel over {sub1} als over {sub2}. Wat weegt voor u het zwaarst, en waarom?",
                "het thema valt uiteen in deelonderwerpen",
            )
        )
    if physical < 0.15:
        candidates.append(
            (
                0.9 - physical,
                "fysiek",
                "Bij {words} ging het vooral over mensen. Speelt de woning, de straat of een voorziening hier ook mee?",
                "het fysieke aspect bleef stil",
            )
        )
    if social < 0.15:
        candidates.append(
            (
                0.9 - social,
                "sociaal",
                "Bij {words} ging het vooral over de stenen. Wat betekent dit voor het contact tussen mensen?",
                "het sociale aspect bleef stil",
            )
        )
    if residents < 0.2:
        candidates.append(
            (
                0.85,
                "bewoners",
                "Wat kunnen bewoners zelf of samen met de buren doen aan {words}?",
                "de rol van bewoners kwam weinig aan bod",
            )
        )
    if institutions < 0.2:
        candidates.append(
            (
                0.8,
                "instanties",
                "Wat vraagt u bij {words} van de gemeente, organisaties of professionals?",
                "instanties werden weinig genoemd",
            )
        )
    if tones["probleem"] > 2 * max(1, tones["wens"]):
        candidates.append(
            (
                0.75,
                "wens",
                "Er werd veel gezegd over wat hindert bij {words}. Wat zou er moeten veranderen?",
                "{probleem} keer een probleem, {wens} keer een wens",
            )
        )
    if theme["speakers"] <= 2:
        candidates.append(
            (0.7, "sprekers", "Herkennen anderen zich in wat over {words} werd gezegd?", "dit thema kwam van {speakers} spreker(s)")
        )
    if tones["sterkte"] > 0:
        candidates.append(
            (0.5, "sterkte", "Wat gaat er goed bij {words} en moet zeker blijven?", "{sterkte} keer werd iets genoemd dat goed gaat")
        )
    if theme["size"] >= 20 and silent:
        candidates.append((0.4, "domein", "Raakt {words} ook aan {silent}?", "geen fragment in dit thema ging over {silent}"))
    candidates.sort(key=lambda c: -c[0])
    return [
        {
            "type": kind,
            "vraag": question.format(**values),
            "grond": reason.format(**values),
            "sjablonen": {"vraag": question, "grond": reason},
            "waarden": {k: v for k, v in values.items() if "{" + k + "}" in question + reason},
        }
        for _, kind, question, reason in candidates
    ]


def deepen_themes(
    themes: list[dict[str, Any]],
    fragments: list[Fragment],
    vectors: np.ndarray,
    predictions: dict[int, DomainPrediction],
    documents: dict[int, str],
    seed: int = 42,
    subjects: list[str] | None = None,
    subject_vectors: np.ndarray | None = None,
    config: DeepenConfig | None = None,
) -> list[dict[str, Any]]:
    """Add a ``deepening`` block to every theme (in place) and return the themes."""
    config = config or DeepenConfig()
    position = {f.id: i for i, f in enumerate(fragments)}
    for theme in themes:
        idx = [position[m[0]] for m in theme["members"] if m[0] in position]
        members = [fragments[i] for i in idx]
        preds = [predictions.get(f.id or -1) for f in members]
        by_tone: dict[str, list[Fragment]] = {}
        for f, p in zip(members, preds):
            if p and p.tone:
                by_tone.setdefault(p.tone, []).append(f)
        subs = subthemes(members, vectors[idx], documents, config, seed)
        if subjects:
            mirror(subs, subjects, subject_vectors if subject_vectors is not None else np.zeros((0, 0)), config.mirror_threshold)
        for sub in subs:
            sub.pop("centroid", None)
        theme["deepening"] = {
            "subthemes": subs,
            "aspect": _counts([p.aspect if p else None for p in preds], ASPECT_LABELS),
            "actor": _counts([p.actor if p else None for p in preds], ACTOR_LABELS),
            "tone": _counts([p.tone if p else None for p in preds], TONE_LABELS),
            "tone_examples": {t: quote(max(fs, key=lambda f: len(f.text)), documents) for t, fs in by_tone.items() if t != "neutraal"},
        }
    used: Counter[str] = Counter()
    for rank, theme in enumerate(themes):
        chosen: list[dict[str, str]] = []
        if rank < config.major_themes:
            # a question of one kind at most twice in a report (the sub-theme one always): each theme its own
            candidates = questions_for(theme)
            for question in candidates:
                if (question["type"] == "deelonderwerp" or used[question["type"]] < 2) and len(chosen) < config.max_questions:
                    chosen.append(question)
                    used[question["type"]] += 1
            # every major theme gets at least two questions, even if the kind was asked before
            for question in candidates:
                if len(chosen) >= 2:
                    break
                if question not in chosen:
                    chosen.append(question)
                    used[question["type"]] += 1
        theme["deepening"]["questions"] = chosen
    return themes
