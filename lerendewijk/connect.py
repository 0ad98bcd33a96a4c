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
    # fragment-level rule; calibrated values come from models/koppeling/model.json
    threshold: float = 0.18
    domain_weight: float = 0.1
    evidence: int = 3
    min_votes: int = 2
    min_share: float = 0.1


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
    """A theme is linked to an item when enough of its fragments are, each by the calibrated rule.

    Every fragment of the theme is scored against every item the same way ``lerendewijk link`` does
    (similarity plus agreement with the theme's life domains); a fragment votes for its best item
    when that clears the calibrated threshold. An item that gets at least ``min_votes`` votes and
    ``min_share`` of the theme's fragments is linked; the link's score is that share, and its
    evidence are the voting fragments closest to the item.
    """
    config = config or LinkConfig()
    if not themes or not items:
        return {"links": [], "blind_spots": [t["key"] for t in themes], "no_resonance": [i.id for i in items]}
    links = []
    for theme in themes:
        members = [m[0] for m in theme["members"] if m[0] in fragment_vectors]
        if not members:
            continue
        vectors = np.array([fragment_vectors[m] for m in members])
        scores = score_matrix(vectors @ item_vectors.T, item_vectors, [theme["domain_profile"]] * len(members), items, config)
        best = scores.argmax(axis=1)
        voting = scores[np.arange(len(members)), best] >= config.threshold
        for j, item in enumerate(items):
            voters = [k for k in range(len(members)) if voting[k] and best[k] == j]
            share = len(voters) / len(members)
            if len(voters) < config.min_votes or share < config.min_share:
                continue
            voters.sort(key=lambda k: -scores[k, j])
            links.append(
                {
                    "theme": theme["key"],
                    "item": item.id,
                    "score": round(share, 4),
                    "votes": len(voters),
                    "evidence": [quote_of[members[k]] for k in voters[: config.evidence]],
                }
            )
    linked_themes = {link["theme"] for link in links}
    linked_items = {link["item"] for link in links}
    return {
        "links": links,
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
