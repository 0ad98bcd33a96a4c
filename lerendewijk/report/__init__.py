"""The report of one round: a self-contained Dutch HTML page plus data.json.

Everything shown comes from the store's pseudonymised data; the key file is never read here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from ..domains import DOMAIN_KEYS, DOMAINS
from ..model import Document, DomainPrediction, Fragment
from ..privacy import write_atomic
from ..rounds import STATUS_LABELS
from ..store import Store
from ..themes import quote
from .i18n import localised_question, translator

TEMPLATES = Path(__file__).parent / "templates"
DOMAIN_COLOURS = {
    "lichaam_en_geest": "#1b6e5a",
    "sociale_relaties": "#b4531f",
    "materiele_situatie": "#2f5d9c",
    "arbeid_en_prestatie": "#7a4f9a",
    "waarden_en_inspiratie": "#8a6d00",
}
# theme colours for the fragment map: distinguishable, and dark enough on white
PALETTE = [
    "#1b6e5a",
    "#b4531f",
    "#2f5d9c",
    "#7a4f9a",
    "#8a6d00",
    "#a23b5b",
    "#3d7f2a",
    "#5b6b7a",
    "#c0392b",
    "#16708a",
    "#6d4c41",
    "#9c27b0",
]
TYPE_LABELS = {"verhalentafel": "verhalentafel", "wijkwandeling": "wijkwandeling", "interview": "interview", "notities": "notities"}

SILENT_DOMAIN_QUESTIONS = {
    "lichaam_en_geest": "Over gezondheid en zorg werd weinig gezegd. Hoe gaat het met uw gezondheid, en krijgt u de zorg die u nodig hebt, op de plek die u kiest?",
    "sociale_relaties": "Over contact met anderen werd weinig gezegd. Op wie kunt u terugvallen als er iets is, en waar komt u buurtgenoten tegen?",
    "materiele_situatie": "Over wonen, geld en voorzieningen werd weinig gezegd. Kunt u in uw huis en in de buurt goed uit de voeten, en komt u rond?",
    "arbeid_en_prestatie": "Over werk en iets betekenen werd weinig gezegd. Wat geeft u een reden om 's ochtends op te staan? Wat doet u voor anderen?",
    "waarden_en_inspiratie": "Over zingeving werd weinig gezegd. Wat vindt u belangrijk in het leven, en voelt u zich gehoord als het over de wijk gaat?",
}


def _domain_summary(fragments: list[Fragment], predictions: list[DomainPrediction], names: dict[int, str]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    by_domain: dict[str, list[tuple[float, Fragment]]] = {k: [] for k in DOMAIN_KEYS}
    considered = 0
    for fragment, prediction in zip(fragments, predictions):
        if fragment.role == "facilitator" or prediction.status == "geen_domein" or not prediction.domains:
            continue
        considered += 1
        primary = prediction.domains[0]
        counts[primary] += 1
        if len(fragment.text.split()) >= 8:
            by_domain[primary].append((prediction.scores.get(primary, 0.0), fragment))
    summary = []
    for key in DOMAIN_KEYS:
        ranked = sorted(by_domain[key], key=lambda pair: -pair[0])
        picked: list[Fragment] = []
        speakers: set[str] = set()
        for _, fragment in ranked:
            if fragment.speaker not in speakers:
                picked.append(fragment)
                speakers.add(fragment.speaker)
            if len(picked) == 3:
                break
        summary.append(
            {
                "key": key,
                "label": DOMAINS[key],
                "colour": DOMAIN_COLOURS[key],
                "count": counts[key],
                "share": round(counts[key] / considered, 3) if considered else 0.0,
                "quotes": [quote(f, names) for f in picked],
            }
        )
    return summary


def _questions(domains: list[dict[str, Any]], themes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Questions for the next session: for silent domains, then the deepening questions per theme.

    Each keeps its Dutch text and the template it came from, so the report can show it in another language.
    """
    questions: list[dict[str, Any]] = []
    for domain in domains:
        if domain["share"] < 0.08:
            reason = "stil domein: {domain}"
            questions.append(
                {
                    "grond": reason.format(domain=domain["label"]),
                    "vraag": SILENT_DOMAIN_QUESTIONS[domain["key"]],
                    "sjablonen": {"vraag": SILENT_DOMAIN_QUESTIONS[domain["key"]], "grond": reason},
                    "waarden": {"domain": domain["label"]},
                }
            )
    for theme in themes:
        for q in theme.get("deepening", {}).get("questions", [])[:2]:
            questions.append(
                {
                    "grond": f"thema {theme['number']} ({theme['label']}): {q['grond']}",
                    "vraag": q["vraag"],
                    "thema": {"number": theme["number"], "label": theme["label"]},
                    "sjablonen": q.get("sjablonen", {}),
                    "waarden": q.get("waarden", {}),
                }
            )
    return questions


def build_report_data(
    store: Store,
    round_id: str,
    documents: list[Document],
    fragments: list[Fragment],
    predictions: list[DomainPrediction],
    themes: list[dict[str, Any]],
    connection: dict[str, Any],
    programme: dict[str, Any] | None,
    manifest: dict[str, Any],
    signals: list[Any] | None = None,
) -> dict[str, Any]:
    names = {d.id: d.name for d in documents if d.id is not None}
    from ..signals import KINDS

    fragment_by_id = {f.id: f for f in fragments}
    signal_rows = [
        {**quote(fragment_by_id[s.fragment_id], names), "kind": s.kind, "kind_label": KINDS.get(s.kind, s.kind), "score": s.score}
        for s in sorted(signals or [], key=lambda s: -s.score)
        if s.fragment_id in fragment_by_id
    ]
    per_document: dict[int, list[Fragment]] = {}
    for fragment in fragments:
        per_document.setdefault(fragment.document_id, []).append(fragment)
    docs = []
    for d in documents:
        frs = per_document.get(d.id or -1, [])
        docs.append(
            {
                "name": d.name,
                "type": TYPE_LABELS.get(d.doc_type, d.doc_type),
                "datum": d.meta.get("datum"),
                "titel": d.meta.get("titel"),
                "turns": len(d.turns),
                "fragments": len(frs),
                "speakers": len({t.speaker for t in d.turns}),
                "stops": list(dict.fromkeys(t.stop for t in d.turns if t.stop)),
            }
        )
    domains = _domain_summary(fragments, predictions, names)
    theme_by_key = {t["key"]: t for t in themes}
    items = programme["items"] if programme else []
    item_by_id = {i["id"]: i for i in items}
    links = [
        {
            **link,
            "theme_label": theme_by_key[link["theme"]]["label"],
            "theme_number": theme_by_key[link["theme"]]["number"],
            "item_title": item_by_id[link["item"]]["title"],
        }
        for link in connection.get("links", [])
    ]
    previous = _previous_round(store, round_id)
    statuses = Counter(p.status for p in predictions)
    theme_number_of = {m[0]: t["number"] for t in themes for m in t["members"]}
    signal_fragments = {s.fragment_id for s in signals or []}
    from ..connect import CONSEQUENCE_RULES, CONSEQUENCES
    from ..indicators import INDICATORS, monitor

    resident = [(f, p) for f, p in zip(fragments, predictions) if f.role != "facilitator"]
    indicator_table = monitor([p.indicators for _, p in resident], [p.tone for _, p in resident])
    previous_table = previous["indicators"] if previous else None
    indicators = [
        {
            "key": key,
            "label": INDICATORS[key],
            **{tone: indicator_table[key].get(tone, 0) for tone in ("sterkte", "probleem", "wens", "neutraal", "totaal")},
            "share": round(indicator_table[key].get("totaal", 0) / max(1, len(resident)), 4),
            "previous_share": previous_table[key]["share"] if previous_table and key in previous_table else None,
        }
        for key in INDICATORS
    ]
    return {
        "wijk": manifest.get("wijk"),
        "ronde": round_id,
        "label": manifest.get("label"),
        "gemaakt": manifest.get("gemaakt"),
        "documents": docs,
        "counts": {
            "documents": len(documents),
            "fragments": len(fragments),
            "resident_fragments": sum(1 for f in fragments if f.role != "facilitator"),
            "speakers": len({f.speaker for f in fragments}),
            "geen_domein": statuses.get("geen_domein", 0),
            "twijfel": statuses.get("twijfel", 0),
        },
        "domains": domains,
        "silent_domains": [d["label"] for d in domains if d["share"] < 0.08],
        "themes": [{k: v for k, v in t.items() if k not in ("centroid", "members")} for t in themes],
        "theme_status_labels": STATUS_LABELS,
        "programme": {
            "naam": programme["naam"] if programme else None,
            "onderdelen": items,
            "links": links,
            "blind_spots": [theme_by_key[k] | {"centroid": None, "members": None} for k in connection.get("blind_spots", [])],
            "no_resonance": [item_by_id[i] for i in connection.get("no_resonance", []) if i in item_by_id],
            "consequences": connection.get("consequences", []),
            "consequence_labels": CONSEQUENCES,
            "consequence_rules": CONSEQUENCE_RULES,
        },
        "indicators": indicators if any(i["totaal"] for i in indicators) else [],
        "questions": _questions(domains, themes),
        "signals": signal_rows,
        "previous": previous,
        "manifest": manifest,
        "domains_by_role": _domains_by_role(fragments, predictions),
        "walks": _walks(documents, fragments, theme_number_of, signal_fragments, {t["number"]: t["label"] for t in themes}),
        "evolution": _evolution(store, round_id, themes),
        "heatmap": _heatmap(themes, items, links),
        "agreement": coder_agreement(store, {f.id: p for f, p in zip(fragments, predictions) if f.id is not None}),
        "map": [],
    }


def coder_agreement(store: Store, model: dict[int, DomainPrediction]) -> list[dict[str, Any]]:
    """Agreement of each human coding loaded with ``import-coding`` with the model, on the fragments both coded."""
    from ..evaluate import agreement

    rows = []
    for coder, coded in store.human_codings(list(model)).items():
        shared = sorted(coded)
        if not shared:
            continue
        result = agreement([coded[i] for i in shared], [model[i].domains for i in shared])
        rows.append(
            {
                "coder": coder,
                "n": result["n"],
                "primary_kappa": result["primary_kappa"],
                "primary_alpha": result["primary_alpha"],
                "primary_agreement": result["primary_agreement"],
                "per_domain": [{"key": k, "label": DOMAINS[k], **m} for k, m in result["per_domain"].items()],
            }
        )
    return rows


def refresh_agreement(store: Store, folder_of: Any) -> list[Path]:
    """Rewrite the report of every round with the current human codings; ``folder_of(round_id)``
    says where a round's report lies (``Workspace.report_folder``)."""
    written = []
    for round_id in store.round_ids():
        data_path = Path(folder_of(round_id)) / "data.json"
        if not data_path.exists():
            continue
        data = json.loads(data_path.read_text(encoding="utf-8"))
        data["agreement"] = coder_agreement(store, store.annotations(round_id))
        written.append(write_report(data, data_path.parent))
    return written


def _domains_by_role(fragments: list[Fragment], predictions: list[DomainPrediction]) -> list[dict[str, Any]]:
    """Share of each primary domain per speaker role: do residents and professionals talk about the same?"""
    counts: dict[str, Counter[str]] = {}
    for fragment, prediction in zip(fragments, predictions):
        if fragment.role == "facilitator" or not prediction.domains:
            continue
        counts.setdefault(fragment.role, Counter())[prediction.domains[0]] += 1
    rows = []
    for role, counter in sorted(counts.items()):
        total = sum(counter.values())
        rows.append(
            {
                "role": role,
                "n": total,
                "shares": [{"key": k, "label": DOMAINS[k], "colour": DOMAIN_COLOURS[k], "share": counter[k] / total} for k in DOMAIN_KEYS],
            }
        )
    return rows


def _walks(
    documents: list[Document], fragments: list[Fragment], theme_of: dict[Any, int], signal_fragments: set[Any], labels: dict[int, str]
) -> list[dict[str, Any]]:
    """Each walk stop by stop: what was said there, the themes raised and signals, and where it lies."""
    walks = []
    for document in documents:
        stops: dict[str, dict[str, Any]] = {}
        for f in fragments:
            if f.document_id != document.id or not f.stop:
                continue
            stop = stops.setdefault(f.stop, {"name": f.stop, "lat": f.lat, "lon": f.lon, "fragments": 0, "themes": Counter(), "signals": 0})
            stop["fragments"] += 1
            if f.id in theme_of:
                stop["themes"][theme_of[f.id]] += 1
            if f.id in signal_fragments:
                stop["signals"] += 1
        if not stops:
            continue
        ordered = []
        for n, stop in enumerate(stops.values(), start=1):
            ordered.append(
                {**stop, "number": n, "themes": [{"number": t, "label": labels.get(t, "")} for t, _ in stop["themes"].most_common(3)]}
            )
        located = [s for s in ordered if s["lat"] is not None and s["lon"] is not None]
        walk = {"index": len(walks) + 1, "name": document.meta.get("titel") or document.name, "stops": ordered, "points": []}
        if len(located) >= 2:
            import math

            # a degree of longitude is shorter than one of latitude away from the equator
            shrink = math.cos(math.radians(sum(s["lat"] for s in located) / len(located)))
            xs = [s["lon"] * shrink for s in located]
            ys = [s["lat"] for s in located]
            width, height = (max(xs) - min(xs)) or 1e-6, (max(ys) - min(ys)) or 1e-6
            scale = min(520 / width, 300 / height)
            left, top = 40 + (520 - scale * width) / 2, 40 + (300 - scale * height) / 2
            for s, x, y in zip(located, xs, ys):
                # north is up
                walk["points"].append(
                    {"number": s["number"], "x": round(left + scale * (x - min(xs)), 1), "y": round(top + scale * (max(ys) - y), 1)}
                )
        walks.append(walk)
    return walks


def _evolution(store: Store, round_id: str, themes: list[dict[str, Any]]) -> dict[str, Any]:
    """Theme sizes (as a share of the round's themed talk) per round, for the themes of this round."""
    order = store.round_ids()
    rounds = order[: order.index(round_id) + 1] if round_id in order else order
    sizes: dict[str, dict[str, float]] = {}
    for rid, theme in store.all_themes():
        if rid in rounds and rid != round_id and "id" in theme:
            sizes.setdefault(theme["id"], {})[rid] = theme["size"]
    totals = {rid: sum(v.get(rid, 0) for v in sizes.values()) for rid in rounds}
    current_total = sum(t["size"] for t in themes) or 1
    rows = []
    for t in themes:
        history = sizes.get(t.get("id", ""), {})
        cells = [round(history.get(rid, 0) / totals[rid], 3) if totals.get(rid) else 0.0 for rid in rounds if rid != round_id]
        rows.append(
            {
                "id": t.get("id"),
                "number": t["number"],
                "label": t["label"],
                "status": t.get("status"),
                "cells": cells + [round(t["size"] / current_total, 3)],
            }
        )
    return {"rounds": [r for r in rounds if r != round_id] + [round_id], "rows": rows}


def _heatmap(themes: list[dict[str, Any]], items: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, Any]:
    """Theme x programme item: the share of the theme's fragments that link to the item."""
    share = {(link["theme"], link["item"]): link["score"] for link in links}
    if not items:
        return {}
    return {
        "items": [{"id": i["id"], "title": i["title"]} for i in items],
        "rows": [
            {"key": t["key"], "number": t["number"], "label": t["label"], "cells": [share.get((t["key"], i["id"]), 0.0) for i in items]}
            for t in themes
        ],
    }


def fragment_map(
    fragments: list[Fragment], vectors: Any, themes: list[dict[str, Any]], seed: int, most: int = 1500
) -> list[dict[str, Any]]:
    """A 2-D picture of the themed fragments (PCA of their embeddings), sampled for large rounds."""
    import numpy as np

    number_of = {m[0]: t["number"] for t in themes for m in t["members"]}
    index = [i for i, f in enumerate(fragments) if f.id in number_of]
    if len(index) < 3:
        return []
    if len(index) > most:
        index = sorted(np.random.default_rng(seed).choice(index, size=most, replace=False).tolist())
    X = np.asarray(vectors)[index]
    X = X - X.mean(axis=0)
    # the two main directions by SVD: deterministic, no sklearn needed here
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    xy = X @ vt[:2].T
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    scaled = (xy - lo) / np.where(hi - lo == 0, 1, hi - lo)
    return [
        {"x": round(20 + 560 * float(x), 1), "y": round(20 + 360 * float(y), 1), "theme": number_of[fragments[i].id]}
        for i, (x, y) in zip(index, scaled)
    ]


def _previous_round(store: Store, round_id: str) -> dict[str, Any] | None:
    ids = store.round_ids()
    if round_id not in ids or ids.index(round_id) == 0:
        return None
    prev = ids[ids.index(round_id) - 1]
    themes = store.themes(prev)
    docs = store.round_document_ids(prev)
    return {
        "ronde": prev,
        "documents": len(docs),
        "themes": [{"number": t.get("number"), "id": t.get("id"), "label": t["label"], "size": t["size"]} for t in themes],
        "indicators": _stored_indicators(store, prev),
    }


def _stored_indicators(store: Store, round_id: str) -> dict[str, dict[str, Any]]:
    """The indicator table of an earlier round, from its stored annotations (resident fragments only)."""
    from ..indicators import monitor

    annotations = store.annotations(round_id)
    fragments = [f for f in store.fragments(store.round_document_ids(round_id)) if f.role != "facilitator" and f.id in annotations]
    table = monitor([annotations[f.id].indicators for f in fragments if f.id], [annotations[f.id].tone for f in fragments if f.id])
    return {k: {**v, "share": round(v.get("totaal", 0) / max(1, len(fragments)), 4)} for k, v in table.items()}


def pct(x: float) -> str:
    return f"{round(100 * float(x))} %"


def anchor(*parts: object) -> str:
    """An HTML id from free-text parts (programme item ids are the user's own)."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", str(p)) for p in parts)


def template_env(language: str = "nl") -> Any:
    """The jinja2 environment of every HTML page lerendewijk writes: escaped, with the shared CSS,
    and ``_`` translating into ``language``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from ..deepen import ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    env.globals["anchor"] = anchor
    translate = translator(language, html=True)
    env.globals.update(_=translate, question=partial(localised_question, translate), taal=language)
    env.globals.update(aspect_labels=ASPECT_LABELS, actor_labels=ACTOR_LABELS, tone_labels=TONE_LABELS, domains=DOMAINS)
    env.globals["css"] = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return env


def render_html(data: dict[str, Any], language: str | None = None) -> str:
    """The round's report page; in the language stored with the data unless ``language`` is given."""
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    return (
        template_env(language or data.get("taal") or "nl")
        .get_template("report.html.j2")
        .render(d=data, script=script, colours=DOMAIN_COLOURS, palette=PALETTE)
    )


def write_report(data: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(data)
    write_atomic(folder / "data.json", json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    write_atomic(folder / "index.html", html.encode("utf-8"))
    from .markdown import facilitator_markdown, policy_markdown

    write_atomic(folder / "gespreksverslag.md", facilitator_markdown(data).encode("utf-8"))
    write_atomic(folder / "beleidsspiegel.md", policy_markdown(data).encode("utf-8"))
    return folder / "index.html"
