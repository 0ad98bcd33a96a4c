"""Phase 3, verbinding: themes tied to programme items, with evidence, and blind spots both ways."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
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


# -- loose fragments against a programme (``lerendewijk link``), and calibration ---------------

LINK_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "koppeling"
LINK_CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "koppelingen" / "koppelingen.jsonl"


def item_text(item: ProgrammeItem) -> str:
    """What an item is about: title, description and the titles of its parts."""
    parts = [str(s.get("titel") or s.get("title") or "") for s in item.sub_items]
    return " ".join([item.text, *[p for p in parts if p]])


def fragment_scores(
    fragment_vectors: np.ndarray,
    item_vectors: np.ndarray,
    fragment_domains: list[list[str]],
    items: list[ProgrammeItem],
    domain_weight: float,
) -> np.ndarray:
    """Fragments x items: similarity, nudged up where the fragment's domains are the item's."""
    profiles = [{d: (1.0 if n == 0 else 0.5) for n, d in enumerate(domains)} for domains in fragment_domains]
    return score_matrix(fragment_vectors @ item_vectors.T, item_vectors, profiles, items, LinkConfig(domain_weight=domain_weight))


def rank_links(scores: np.ndarray, items: list[ProgrammeItem], threshold: float, top: int = 5) -> list[dict[str, Any]]:
    out = []
    for row in scores:
        order = np.argsort(-row)[:top]
        out.append(
            {
                "links": [{"item": items[j].id, "score": round(float(row[j]), 4)} for j in order],
                "none": bool(row[order[0]] < threshold),
            }
        )
    return out


def split_half(record_id: str) -> str:
    return "dev" if int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def link_accuracy(ranked: list[dict[str, Any]], gold: list[str | None]) -> dict[str, float]:
    """Top-1 accuracy on fragments that have an item, accuracy of ``none``, and overall accuracy."""
    with_item = [(r, g) for r, g in zip(ranked, gold) if g is not None]
    without = [r for r, g in zip(ranked, gold) if g is None]
    top1 = sum(1 for r, g in with_item if not r["none"] and r["links"][0]["item"] == g) / max(1, len(with_item))
    top1_ignoring_none = sum(1 for r, g in with_item if r["links"][0]["item"] == g) / max(1, len(with_item))
    none_accuracy = sum(1 for r, g in zip(ranked, gold) if r["none"] == (g is None)) / max(1, len(gold))
    overall = sum(
        1 for r, g in zip(ranked, gold) if (r["none"] and g is None) or (not r["none"] and g is not None and r["links"][0]["item"] == g)
    ) / max(1, len(gold))
    return {
        "top1": round(top1, 4),
        "top1_ignoring_none": round(top1_ignoring_none, 4),
        "none_accuracy": round(none_accuracy, 4),
        "none_recall": round(sum(1 for r in without if r["none"]) / max(1, len(without)), 4),
        "overall": round(overall, 4),
    }


def calibrate(
    embed: Any, items: list[ProgrammeItem], records: list[dict[str, Any]], predict_domains: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Choose domain weight and ``none`` threshold on the dev half; measure on the test half."""
    item_vectors = embed([item_text(i) for i in items])
    halves = {h: [r for r in records if split_half(r["id"]) == h] for h in ("dev", "test")}
    prepared = {}
    for half, rows in halves.items():
        texts = [r["text"] for r in rows]
        prepared[half] = (embed(texts), predict_domains(texts), [r["item"] for r in rows])
    best = (-1.0, 0.0, 0.3)
    vectors, domains, gold = prepared["dev"]
    for weight in (0.0, 0.1, 0.2, 0.3):
        scores = fragment_scores(vectors, item_vectors, domains, items, weight)
        for threshold in np.arange(0.10, 0.70, 0.01):
            accuracy = link_accuracy(rank_links(scores, items, float(threshold)), gold)["overall"]
            if accuracy > best[0] + 1e-9:
                best = (accuracy, weight, round(float(threshold), 2))
    _, weight, threshold = best
    metrics = {}
    for half, (vectors, domains, gold) in prepared.items():
        metrics[half] = {
            "n": len(gold),
            **link_accuracy(rank_links(fragment_scores(vectors, item_vectors, domains, items, weight), items, threshold), gold),
        }
    return {"domain_weight": weight, "threshold": threshold}, metrics


def load_calibration() -> dict[str, Any]:
    path = LINK_MODEL_DIR / "model.json"
    if not path.exists():
        return {"domain_weight": LinkConfig.domain_weight, "threshold": LinkConfig.threshold}
    return json.loads(path.read_text(encoding="utf-8"))
