"""Rounds of the cycle: theme identity from round to round, and what changed between two rounds.

A theme found in a round gets a stable id (``T1``, ``T2``, …) for the whole workspace. A theme is
the same theme as an earlier one when they share evidence (the same fragments, as when a round is
run again after steering) or when their centroids are close; each earlier theme can be claimed
once, by the closest candidate (an optimal one-to-one assignment, not first come first served).

Centroids are compared after subtracting the mean embedding of the round's fragments: raw centroids
of large themes all lie near the mean of everything said, so raw cosines rank a big catch-all theme
close to every other big theme; the centred ones separate them. The same reference is taken off the
earlier themes, so the comparison does not depend on how many themes either round has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

STATUS_LABELS = {
    "nieuw": "nieuw",
    "terug": "keert terug na een eerdere ronde",
    "terugkerend": "terugkerend",
    "groeiend": "groeiend",
    "afnemend": "afnemend",
    "verdwenen": "niet meer genoemd",
}


@dataclass
class IdentityConfig:
    # cosine of two centred theme centroids above which they match; on the example corpus the same
    # topic in two rounds lies at 0.55-0.94, unrelated themes below 0.45
    centroid_threshold: float = 0.55
    # share of fragments in common (Jaccard) that makes two themes the same regardless of centroid
    overlap_threshold: float = 0.5
    # relative change in a theme's share of the talk that counts as growing or fading
    trend: float = 0.25


def centred(themes: list[dict[str, Any]], reference: np.ndarray | None = None) -> np.ndarray:
    """Unit centroids minus ``reference`` (the mean of what was said), normalised again."""
    if not themes:
        return np.zeros((0, 0))
    matrix = np.array([t["centroid"] for t in themes], dtype=float)
    if reference is not None:
        matrix = matrix - reference
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _overlap(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def latest_versions(rounds: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The latest version of every theme id over earlier rounds, given in their order."""
    latest: dict[str, dict[str, Any]] = {}
    for themes in rounds:
        for theme in themes:
            if "id" in theme:
                latest[theme["id"]] = theme
    return list(latest.values())


def assign_ids(
    themes: list[dict[str, Any]],
    known: list[dict[str, Any]],
    reference: np.ndarray | None = None,
    config: IdentityConfig | None = None,
) -> dict[str, float]:
    """Give every theme an ``id``: an earlier theme's id when it matches, otherwise the next new one.

    ``known`` holds the latest version of every theme seen before (``id``, ``centroid``, ``members``);
    ``reference`` is the mean embedding of the round's fragments, taken off all centroids alike.
    Returns the match similarity per theme id (1.0 for a shared-evidence match, 0.0 for new).
    """
    from scipy.optimize import linear_sum_assignment

    config = config or IdentityConfig()
    similarity: dict[str, float] = {}
    if known and themes:
        current = centred(themes, reference)
        earlier = centred(known, reference)
        cosine = current @ earlier.T
        members = [{m[0] for m in t["members"]} for t in themes]
        known_members = [{m[0] for m in k.get("members", [])} for k in known]
        overlap = np.array([[_overlap(a, b) for b in known_members] for a in members])
        score = np.where(overlap >= config.overlap_threshold, 1.0 + overlap, cosine)
        rows, cols = linear_sum_assignment(-score)
        for r, c in zip(rows, cols):
            if score[r, c] >= config.centroid_threshold:
                themes[r]["id"] = known[c]["id"]
                similarity[known[c]["id"]] = round(float(min(score[r, c], 1.0)), 4)
    used = [int(k["id"][1:]) for k in known if str(k.get("id", "")).startswith("T") and k["id"][1:].isdigit()]
    next_number = max(used, default=0) + 1
    # new ids in the themes' canonical order, so the numbering does not depend on anything else
    for theme in themes:
        if "id" not in theme:
            theme["id"] = f"T{next_number}"
            similarity[theme["id"]] = 0.0
            next_number += 1
    return similarity


def theme_status(
    themes: list[dict[str, Any]],
    total: int,
    previous: list[dict[str, Any]] | None,
    previous_total: int,
    seen_before: set[str],
    config: IdentityConfig | None = None,
) -> list[dict[str, Any]]:
    """Mark each theme new, returning, recurring, growing or fading against the round before.

    Shares of the round's talk are compared, not sizes, because rounds differ in length. Returns the
    earlier round's themes that did not come back (status ``verdwenen``).
    """
    config = config or IdentityConfig()
    before = {t["id"]: t for t in previous or []}
    for theme in themes:
        share = theme["size"] / max(1, total)
        theme["share"] = round(share, 4)
        earlier = before.get(theme["id"])
        if earlier is None:
            theme["status"] = "terug" if theme["id"] in seen_before else "nieuw"
            continue
        earlier_share = earlier["size"] / max(1, previous_total)
        theme["previous_share"] = round(earlier_share, 4)
        change = (share - earlier_share) / earlier_share if earlier_share else 0.0
        theme["status"] = "groeiend" if change > config.trend else "afnemend" if change < -config.trend else "terugkerend"
    present = {t["id"] for t in themes}
    gone = []
    for earlier in previous or []:
        if earlier["id"] not in present:
            gone.append({k: v for k, v in earlier.items() if k not in ("centroid", "members")} | {"status": "verdwenen"})
    return gone


# -- comparing two rounds, and the learning history over all of them ---------------------------


def resolve_round(store: Any, value: str | None) -> str:
    """'2', 'ronde-2' or nothing (the latest) to the id of a stored round; a clear error otherwise."""
    from .errors import LerendeWijkError

    ids = store.round_ids()
    if not ids:
        raise LerendeWijkError("deze werkruimte heeft nog geen rondes; draai eerst 'lerendewijk cycle'")
    if value is None:
        return str(ids[-1])
    for candidate in (value, f"ronde-{value}"):
        if candidate in ids:
            return candidate
    raise LerendeWijkError(f"ronde {value!r} bestaat niet (wel: {', '.join(ids)})")


DECISIONS = ("aanvaard", "afgewezen", "notitie")


def record_decision(
    store: Any, round_id: str, theme_ref: str, item_id: str, kind: str | None, note: str = "", action: str = ""
) -> tuple[dict[str, Any], str]:
    """Store a policy decision on a theme -> programme item link (also on links the linker did not propose).

    ``theme_ref`` is a stable theme id (T3) or the theme's number in that round. Returns the theme and
    the kind of decision that was stored.
    """
    from .errors import LerendeWijkError

    themes = store.themes(round_id)
    theme = next((t for t in themes if t.get("id") == theme_ref or str(t.get("number")) == str(theme_ref)), None)
    if theme is None:
        raise LerendeWijkError(f"thema {theme_ref!r} bestaat niet in {round_id} (wel: {', '.join(t.get('id', '?') for t in themes)})")
    programme = store.programme((store.get_round(round_id) or {}).get("manifest", {}).get("programma_hash", ""))
    items = {i["id"] for i in (programme or {}).get("items", [])}
    if item_id not in items:
        raise LerendeWijkError(f"onderdeel {item_id!r} staat niet in het programma van {round_id}")
    kind = kind or ("notitie" if note or action else None)
    if kind not in DECISIONS:
        raise LerendeWijkError("geef een besluit: aanvaard, afgewezen, of een notitie")
    with store.transaction():
        store.add_decision(round_id, theme["id"], item_id, str(kind), note, action)
    return theme, str(kind)


def _round_summary(store: Any, round_id: str) -> dict[str, Any]:
    from .domains import DOMAIN_KEYS
    from .indicators import INDICATOR_KEYS

    info = store.get_round(round_id)
    if info is None:
        from .errors import LerendeWijkError

        raise LerendeWijkError(f"ronde {round_id!r} bestaat niet in deze werkruimte (wel: {', '.join(store.round_ids()) or 'geen'})")
    manifest = info["manifest"]
    fragments = [f for f in store.fragments(store.round_document_ids(round_id)) if f.role != "facilitator"]
    annotations = store.annotations(round_id)
    predictions = [annotations[f.id] for f in fragments if f.id in annotations]
    primary = [p.domains[0] for p in predictions if p.domains]
    programme = store.programme(manifest["programma_hash"]) if manifest.get("programma_hash") else None
    return {
        "id": round_id,
        "label": info["label"],
        "date": manifest.get("gemaakt", info["created_at"]),
        "documents": [i["bestand"] for i in manifest.get("invoer", [])],
        "fragments": len(fragments),
        "themes": store.themes(round_id),
        "links": store.links(round_id),
        "domains": {k: round(primary.count(k) / max(1, len(primary)), 4) for k in DOMAIN_KEYS},
        "indicators": {k: round(sum(1 for p in predictions if k in p.indicators) / max(1, len(predictions)), 4) for k in INDICATOR_KEYS},
        "programme": programme,
    }


def _programme_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[str]]:
    old = {i["id"]: i for i in (before or {}).get("items", [])}
    new = {i["id"]: i for i in (after or {}).get("items", [])}
    changed = [
        i
        for i in old.keys() & new.keys()
        if {k: v for k, v in old[i].items() if k != "domains_inferred"} != {k: v for k, v in new[i].items() if k != "domains_inferred"}
    ]
    return {"toegevoegd": sorted(new.keys() - old.keys()), "vervallen": sorted(old.keys() - new.keys()), "gewijzigd": sorted(changed)}


def compare_rounds(store: Any, round_a: str, round_b: str) -> dict[str, Any]:
    """What changed from round A to round B: themes, domains, indicators, programme and its coverage,
    decisions on links, and per theme of A what was done with what residents said."""
    a, b = _round_summary(store, round_a), _round_summary(store, round_b)
    themes_b = [dict(t) for t in b["themes"]]
    gone = theme_status(themes_b, b["fragments"], a["themes"], a["fragments"], set())
    by_id_a = {t["id"]: t for t in a["themes"] if "id" in t}
    themes = [
        {
            "id": t["id"],
            "label": t["label"],
            "status": t["status"],
            "size_a": by_id_a[t["id"]]["size"] if t["id"] in by_id_a else 0,
            "size_b": t["size"],
            "share_a": t.get("previous_share", 0.0),
            "share_b": t["share"],
        }
        for t in themes_b
    ] + [
        {
            "id": t["id"],
            "label": t["label"],
            "status": "verdwenen",
            "size_a": t["size"],
            "size_b": 0,
            "share_a": round(t["size"] / max(1, a["fragments"]), 4),
            "share_b": 0.0,
        }
        for t in gone
    ]
    items = {i["id"]: i["title"] for i in ((b["programme"] or {}).get("items", []) + (a["programme"] or {}).get("items", []))}
    linked_a = {link["item"] for link in a["links"]}
    linked_b = {link["item"] for link in b["links"]}
    decisions = _decisions_between(store, round_a, round_b)
    status_b = {t["id"]: t["status"] for t in themes}
    feedback = []
    for theme in a["themes"]:
        tid = theme.get("id")
        theme_links = [link for link in a["links"] if _theme_id(a["themes"], link["theme"]) == tid]
        taken = [d for d in decisions if d["theme_id"] == tid]
        feedback.append(
            {
                "id": tid,
                "label": theme["label"],
                "size": theme["size"],
                "quote": theme["quotes"][0] if theme.get("quotes") else None,
                "items": [{"item": link["item"], "title": items.get(link["item"], link["item"])} for link in theme_links],
                "decisions": [{**d, "title": items.get(d["item_id"], d["item_id"])} for d in taken],
                "later": status_b.get(tid, "verdwenen"),
            }
        )
    return {
        "a": {k: a[k] for k in ("id", "label", "date", "documents", "fragments")} | {"themes": len(a["themes"])},
        "b": {k: b[k] for k in ("id", "label", "date", "documents", "fragments")} | {"themes": len(b["themes"])},
        "themes": themes,
        "domains": [
            {"key": k, "a": a["domains"][k], "b": b["domains"][k], "change": round(b["domains"][k] - a["domains"][k], 4)}
            for k in a["domains"]
        ],
        "indicators": [{"key": k, "a": a["indicators"][k], "b": b["indicators"][k]} for k in a["indicators"]],
        "programme_changes": _programme_changes(a["programme"], b["programme"]),
        "coverage": [{"item": i, "title": items[i], "a": i in linked_a, "b": i in linked_b} for i in sorted(items, key=lambda x: items[x])],
        "decisions": [{**d, "title": items.get(d["item_id"], d["item_id"])} for d in decisions],
        "feedback": feedback,
    }


def _theme_id(themes: list[dict[str, Any]], key: str) -> str | None:
    return next((t.get("id") for t in themes if t["key"] == key), None)


def _decisions_between(store: Any, round_a: str, round_b: str) -> list[dict[str, Any]]:
    """Decisions taken in round A up to round B: what policy staff did with round A's links."""
    order = store.round_ids()
    window = set(order[order.index(round_a) : order.index(round_b) + 1]) if order.index(round_a) <= order.index(round_b) else {round_a}
    return [d for d in store.decisions() if d["round_id"] in window]


def learning_history(store: Any) -> list[dict[str, Any]]:
    """The rounds in order, each as rows of the classic two columns: what happened and was decided
    (left), and the words of residents and workers that go with it (right)."""
    history = []
    previous: dict[str, Any] | None = None
    decisions = store.decisions()
    for round_id in store.round_ids():
        current = _round_summary(store, round_id)
        themes = [dict(t) for t in current["themes"]]
        gone = theme_status(
            themes, current["fragments"], previous["themes"] if previous else None, previous["fragments"] if previous else 0, set()
        )
        items = {i["id"]: i["title"] for i in (current["programme"] or {}).get("items", [])}
        rows = [
            {
                "left": f"Ronde {current['label']} ({str(current['date'])[:10]}): {len(current['documents'])} gesprek(ken), "
                f"{current['fragments']} uitspraken, {len(themes)} thema's.",
                "quotes": [],
            }
        ]
        if previous is not None:
            changes = _programme_changes(previous["programme"], current["programme"])
            if any(changes.values()):
                parts = [f"{k}: {', '.join(v)}" for k, v in changes.items() if v]
                rows.append({"left": "Het programma is bijgesteld (" + "; ".join(parts) + ").", "quotes": []})
        decided = {d["theme_id"] for d in decisions if d["round_id"] == round_id}
        ranked = sorted(themes, key=lambda t: (t["id"] not in decided, t["status"] not in ("nieuw", "groeiend", "terug"), -t["size"]))
        for theme in [t for t in ranked if t["id"] in decided] + [t for t in ranked if t["id"] not in decided][:8]:
            linked = [items.get(link["item"], link["item"]) for link in current["links"] if link["theme"] == theme["key"]]
            text = f"Thema {theme['id']} '{theme['label']}' ({STATUS_LABELS[theme['status']]}, {theme['size']} uitspraken)"
            text += f", gekoppeld aan {', '.join(linked)}." if linked else ", zonder plek in het programma."
            for d in decisions:
                if d["round_id"] == round_id and d["theme_id"] == theme["id"]:
                    text += f" Besluit over {items.get(d['item_id'], d['item_id'])}: {d['decision']}"
                    text += (f" ({d['note']})" if d["note"] else "") + (f"; gedaan: {d['action']}" if d["action"] else "") + "."
            rows.append({"left": text, "quotes": theme.get("quotes", [])[:2]})
        for theme in gone:
            rows.append({"left": f"Thema {theme['id']} '{theme['label']}' kwam niet meer terug.", "quotes": []})
        history.append({"round": round_id, "label": current["label"], "date": current["date"], "rows": rows})
        previous = current
    return history
