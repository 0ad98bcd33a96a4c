"""Phase 3, verbinding: themes tied to programme items, with evidence, and blind spots both ways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .domains import DOMAIN_KEYS
from .model import ProgrammeItem


@dataclass
class LinkConfig:
    # interim, not yet calibrated on labelled links: see issue 5
    threshold: float = 0.33
    domain_weight: float = 0.15
    evidence: int = 3


def score_matrix(
    theme_vectors: np.ndarray,
    item_vectors: np.ndarray,
    theme_profiles: list[dict[str, float]],
    items: list[ProgrammeItem],
    config: LinkConfig,
) -> np.ndarray:
    """Semantic similarity, nudged up where the theme's life domains match the item's."""
    semantic = theme_vectors
    agreement = np.zeros_like(semantic)
    for j, item in enumerate(items):
        if not item.domains:
            continue
        for i, profile in enumerate(theme_profiles):
            agreement[i, j] = sum(profile.get(d, 0.0) for d in item.domains if d in DOMAIN_KEYS)
    return (1 - config.domain_weight) * semantic + config.domain_weight * agreement


def link_themes(
    themes: list[dict[str, Any]],
    items: list[ProgrammeItem],
    item_vectors: np.ndarray,
    fragment_vectors: dict[int, np.ndarray],
    quote_of: dict[int, dict[str, Any]],
    config: LinkConfig | None = None,
) -> dict[str, Any]:
    config = config or LinkConfig()
    if not themes or not items:
        return {"links": [], "blind_spots": [t["key"] for t in themes], "no_resonance": [i.id for i in items]}
    # a theme's similarity to an item: the mean of its three closest fragments (its evidence),
    # which is robust to a theme whose centroid sits between several sub-topics
    semantic = np.zeros((len(themes), len(items)))
    for i, theme in enumerate(themes):
        member_vectors = np.array([fragment_vectors[m[0]] for m in theme["members"] if m[0] in fragment_vectors])
        if len(member_vectors):
            sims = np.sort(member_vectors @ item_vectors.T, axis=0)
            semantic[i] = sims[-config.evidence :].mean(axis=0)
    scores = score_matrix(semantic, item_vectors, [t["domain_profile"] for t in themes], items, config)
    links = []
    for i, theme in enumerate(themes):
        member_ids = [m[0] for m in theme["members"]]
        for j, item in enumerate(items):
            if scores[i, j] < config.threshold:
                continue
            # evidence: the theme's fragments closest to this item
            sims = [(float(fragment_vectors[f] @ item_vectors[j]), f) for f in member_ids if f in fragment_vectors]
            sims.sort(reverse=True)
            links.append(
                {
                    "theme": theme["key"],
                    "item": item.id,
                    "score": round(float(scores[i, j]), 4),
                    "evidence": [quote_of[f] for _, f in sims[: config.evidence]],
                }
            )
    linked_themes = {link["theme"] for link in links}
    linked_items = {link["item"] for link in links}
    return {
        "links": links,
        "scores": scores.round(4).tolist(),
        "blind_spots": [t["key"] for t in themes if t["key"] not in linked_themes],
        "no_resonance": [item.id for item in items if item.id not in linked_items],
    }
