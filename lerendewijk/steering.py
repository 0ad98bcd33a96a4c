"""Facilitators steer the themes: merge two, split one, rename one, or seed a theme they expect.

Decisions are stored per workspace and applied in every later run. A decision is anchored to a
theme's centroid (its meaning), not to its number or key, because the next round's themes are
new clusters: a later theme that lies close to the anchor receives the decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ACTIONS = ("hernoem", "voeg_samen", "splits", "zaai")


@dataclass
class Steering:
    action: str
    payload: dict[str, Any]
    id: int | None = None


@dataclass
class SteeringRules:
    """The decisions of one workspace, ready to apply to a fresh clustering."""

    rules: list[Steering] = field(default_factory=list)
    match_threshold: float = 0.75
    seed_threshold: float = 0.30

    def seeds(self) -> list[Steering]:
        return [r for r in self.rules if r.action == "zaai"]

    def _best(self, anchor: list[float], centroids: dict[int, np.ndarray]) -> int | None:
        if not centroids:
            return None
        vector = np.asarray(anchor)
        keys = list(centroids)
        sims = np.array([float(centroids[k] @ vector) for k in keys])
        best = int(np.argmax(sims))
        return keys[best] if sims[best] >= self.match_threshold else None

    def seed_assignment(self, vectors: np.ndarray) -> np.ndarray:
        """For each fragment, the index of the seed it belongs to, or -1 (closest seed above threshold)."""
        seeds = self.seeds()
        if not seeds or not len(vectors):
            return np.full(len(vectors), -1)
        matrix = np.array([s.payload["vector"] for s in seeds])
        sims = vectors @ matrix.T
        best = sims.argmax(axis=1)
        return np.where(sims[np.arange(len(vectors)), best] >= self.seed_threshold, best, -1)

    def merges(self, centroids: dict[int, np.ndarray]) -> dict[int, int]:
        """Cluster -> cluster it is merged into."""
        into: dict[int, int] = {}
        for rule in self.rules:
            if rule.action != "voeg_samen":
                continue
            a = self._best(rule.payload["anchors"][0], centroids)
            b = self._best(rule.payload["anchors"][1], centroids)
            if a is not None and b is not None and a != b:
                into[b] = into.get(a, a)
        return into

    def splits(self, centroids: dict[int, np.ndarray]) -> set[int]:
        return {c for r in self.rules if r.action == "splits" for c in [self._best(r.payload["anchor"], centroids)] if c is not None}

    def names(self, centroids: dict[int, np.ndarray]) -> dict[int, str]:
        named = {}
        for rule in self.rules:
            if rule.action == "hernoem":
                target = self._best(rule.payload["anchor"], centroids)
                if target is not None:
                    named[target] = rule.payload["label"]
        return named


def load_rules(store: Any) -> SteeringRules:
    rows = store.conn.execute("SELECT id, action, payload_json FROM steering ORDER BY id").fetchall()
    return SteeringRules([Steering(r["action"], json.loads(r["payload_json"]), int(r["id"])) for r in rows])


def add_rule(store: Any, action: str, payload: dict[str, Any]) -> int:
    if action not in ACTIONS:
        raise ValueError(f"onbekende bijsturing '{action}'")
    with store.transaction():
        cur = store.conn.execute("INSERT INTO steering(action, payload_json) VALUES (?, ?)", (action, json.dumps(payload)))
    return int(cur.lastrowid or 0)


def remove_rule(store: Any, rule_id: int) -> bool:
    with store.transaction():
        cur = store.conn.execute("DELETE FROM steering WHERE id = ?", (rule_id,))
    return cur.rowcount > 0


# -- the actions a facilitator takes, by theme number in a stored round (CLI and web app alike) --


def round_theme(store: Any, round_id: str, number: int) -> dict[str, Any]:
    from .errors import LerendeWijkError

    themes = {t["number"]: t for t in store.themes(round_id)}
    if number not in themes:
        raise LerendeWijkError(f"thema {number} bestaat niet in {round_id} (er zijn {len(themes)} thema's)")
    return themes[number]


def rename_theme(store: Any, round_id: str, number: int, name: str) -> tuple[int, dict[str, Any]]:
    """Give theme NUMBER a new name in this and every later run; returns the rule id and the theme."""
    from .errors import LerendeWijkError

    if not name.strip():
        raise LerendeWijkError("geef een nieuwe naam")
    theme = round_theme(store, round_id, number)
    rule = add_rule(store, "hernoem", {"anchor": theme["centroid"], "label": name.strip(), "was": theme["label"]})
    return rule, theme


def merge_themes(store: Any, round_id: str, first: int, second: int) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """Let theme SECOND go up in theme FIRST."""
    from .errors import LerendeWijkError

    if first == second:
        raise LerendeWijkError("kies twee verschillende thema's")
    a, b = round_theme(store, round_id, first), round_theme(store, round_id, second)
    rule = add_rule(store, "voeg_samen", {"anchors": [a["centroid"], b["centroid"]], "was": [a["label"], b["label"]]})
    return rule, a, b


def split_theme(store: Any, round_id: str, number: int) -> tuple[int, dict[str, Any]]:
    theme = round_theme(store, round_id, number)
    rule = add_rule(store, "splits", {"anchor": theme["centroid"], "was": theme["label"]})
    return rule, theme


def seed_theme(store: Any, embedder: Any, name: str, description: str) -> int:
    """Seed a theme the facilitator expects, described in a sentence or a few key words."""
    from .errors import LerendeWijkError

    if not name.strip():
        raise LerendeWijkError("geef het gezaaide thema een naam")
    vector = embedder.encode([f"{name}. {description}"])[0]
    payload = {"label": name.strip(), "text": description, "vector": [round(float(x), 6) for x in vector]}
    return add_rule(store, "zaai", payload)
