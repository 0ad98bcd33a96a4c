"""Phase 3, verbinding: themes tied to programme items, with evidence, and blind spots both ways."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .domains import DOMAIN_KEYS
from .evaluate import split_half
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
                    "voters": [members[k] for k in voters],
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


# -- consequences per programme item -----------------------------------------------------------

CONSEQUENCES = {
    "voortzetten": "voortzetten: bewoners noemen vooral wat werkt",
    "bijstellen": "bijstellen: bewoners noemen problemen of wensen",
    "nieuw_onderdeel": "nieuw programmaonderdeel: een thema van bewoners zonder plek in het programma",
    "opnieuw_vragen": "bewoners opnieuw vragen: te weinig gehoord om iets te concluderen",
}
CONSEQUENCE_RULES = [
    "Onder de 3 gekoppelde uitspraken: bewoners opnieuw vragen (te weinig om op te bouwen).",
    "Problemen en wensen samen hooguit een derde van de uitspraken, en niet meer problemen dan sterke punten: voortzetten.",
    "Anders (problemen of wensen wegen zwaarder): bijstellen.",
    "Een thema zonder programmaonderdeel met minstens 5 uitspraken van minstens 2 sprekers: nieuw programmaonderdeel; kleiner: bewoners opnieuw vragen.",
    "Koppelingen die beleidsmedewerkers hebben afgewezen tellen niet mee.",
]
MIN_EVIDENCE = 3
NEW_ITEM_SIZE = 5


def _evidence_profile(fragment_ids: list[int], predictions: dict[int, Any]) -> dict[str, Any]:
    tones: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    aspects: Counter[str] = Counter()
    for fid in fragment_ids:
        p = predictions.get(fid)
        if p is None:
            continue
        tones[p.tone or "neutraal"] += 1
        if p.actor and p.actor != "onduidelijk":
            actors[p.actor] += 1
        if p.aspect:
            aspects[p.aspect] += 1
    return {"toon": dict(tones), "actor": dict(actors), "aspect": dict(aspects)}


def consequence_of(tones: dict[str, int], n: int) -> str:
    """The rule of ``CONSEQUENCE_RULES`` for an item with ``n`` pieces of evidence."""
    if n < MIN_EVIDENCE:
        return "opnieuw_vragen"
    problems, wishes, strengths = tones.get("probleem", 0), tones.get("wens", 0), tones.get("sterkte", 0)
    if problems + wishes <= n / 3 and problems <= strengths:
        return "voortzetten"
    return "bijstellen"


def consequences(
    items: list[ProgrammeItem],
    links: list[dict[str, Any]],
    themes: list[dict[str, Any]],
    blind_spots: list[str],
    predictions: dict[int, Any],
    quote_of: dict[int, dict[str, Any]],
    per_tone: int = 2,
) -> list[dict[str, Any]]:
    """Per item (and per blind-spot theme): what residents said for, against and wished, who is
    called upon, the aspect, and the suggested consequence by the explicit rules above."""
    rows = []
    for item in items:
        voters: list[int] = []
        for link in links:
            if link["item"] == item.id and link.get("decision") != "afgewezen":
                voters.extend(f for f in link.get("voters", []) if f not in voters)
        profile = _evidence_profile(voters, predictions)
        quotes: dict[str, list[dict[str, Any]]] = {"sterkte": [], "probleem": [], "wens": []}
        for fid in voters:
            tone = getattr(predictions.get(fid), "tone", None)
            if tone in quotes and len(quotes[tone]) < per_tone and fid in quote_of:
                quotes[tone].append(quote_of[fid])
        rows.append(
            {
                "item": item.id,
                "title": item.title,
                "owner": item.owner,
                "n": len(voters),
                **profile,
                "quotes": quotes,
                "consequence": consequence_of(profile["toon"], len(voters)),
            }
        )
    by_key = {t["key"]: t for t in themes}
    for key in blind_spots:
        theme = by_key.get(key)
        if theme is None:
            continue
        fids = [m[0] for m in theme["members"]]
        profile = _evidence_profile(fids, predictions)
        big = theme["size"] >= NEW_ITEM_SIZE and theme.get("speakers", 0) >= 2
        rows.append(
            {
                "item": None,
                "theme": theme.get("id", key),
                "title": theme["label"],
                "owner": None,
                "n": theme["size"],
                **profile,
                "quotes": {"probleem": theme["quotes"][:per_tone], "sterkte": [], "wens": []},
                "consequence": "nieuw_onderdeel" if big else "opnieuw_vragen",
            }
        )
    return rows


# -- domains of items that name none ------------------------------------------------------------

OWNER_SECTORS: dict[str, tuple[str, ...]] = {
    "lichaam_en_geest": ("zorg", "huisarts", "gezondheid", "ggd", "ggz", "verpleg", "sport", "fysio"),
    "sociale_relaties": ("welzijn", "buurthuis", "buurtkamer", "vereniging", "ontmoeting", "opbouwwerk"),
    "materiele_situatie": ("wonen", "woning", "corporatie", "vervoer", "inkomen", "schuld", "winkel", "openbare ruimte"),
    "arbeid_en_prestatie": ("werk", "activering", "vrijwillig", "dagbesteding", "participatie", "re-integratie"),
    "waarden_en_inspiratie": ("onderwijs", "school", "cultuur", "bibliothe", "kerk", "moskee", "religie", "zingeving", "geestelijk"),
}


def infer_item_domains(items: list[ProgrammeItem], predict: Callable[[list[str]], list[Any]], most: int = 2) -> None:
    """Items without ``domains`` get them from their text (the domain classifier) and their owner's
    sector (the method's mapping of life domains to sectors); marked ``domains_inferred``."""
    missing = [i for i in items if not i.domains]
    if not missing:
        return
    predictions = predict([item_text(i) for i in missing])
    for item, prediction in zip(missing, predictions):
        found = list(prediction.domains[:most])
        owner = (item.owner or "").lower()
        for key, words in OWNER_SECTORS.items():
            if owner and any(w in owner for w in words) and key not in found:
                found.append(key)
        if not found and prediction.scores:
            found = [max(prediction.scores, key=prediction.scores.get)]
        item.domains = found[: most + 1]
        item.domains_inferred = True


# -- loose fragments against a programme (``lerendewijk link``), and calibration ---------------

LINK_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "koppeling"
LINK_CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "koppelingen"


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
