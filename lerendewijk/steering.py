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
