"""The report of one round: a self-contained Dutch HTML page plus data.json.

Everything shown comes from the store's pseudonymised data; the key file is never read here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..domains import DOMAIN_KEYS, DOMAINS
from ..model import Document, DomainPrediction, Fragment
from ..privacy import write_atomic
from ..rounds import STATUS_LABELS
from ..store import Store
from ..themes import quote

TEMPLATES = Path(__file__).parent / "templates"
DOMAIN_COLOURS = {
    "lichaam_en_geest": "#1b6e5a",
    "sociale_relaties": "#b4531f",
    "materiele_situatie": "#2f5d9c",
    "arbeid_en_prestatie": "#7a4f9a",
    "waarden_en_inspiratie": "#8a6d00",
}
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


def _questions(domains: list[dict[str, Any]], themes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Questions for the next session: for silent domains, then the deepening questions per theme."""
    questions = []
    for domain in domains:
        if domain["share"] < 0.08:
            questions.append({"grond": f"stil domein: {domain['label']}", "vraag": SILENT_DOMAIN_QUESTIONS[domain["key"]]})
    for theme in themes:
        for q in theme.get("deepening", {}).get("questions", [])[:2]:
            questions.append({"grond": f"thema {theme['number']} ({theme['label']}): {q['grond']}", "vraag": q["vraag"]})
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
    }


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


def render_html(data: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{round(100 * float(x))} %"
    from ..deepen import ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS

    env.globals.update(aspect_labels=ASPECT_LABELS, actor_labels=ACTOR_LABELS, tone_labels=TONE_LABELS)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    return env.get_template("report.html.j2").render(d=data, css=css, script=script, colours=DOMAIN_COLOURS, domains=DOMAINS)


def write_report(data: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(data)
    write_atomic(folder / "data.json", json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    write_atomic(folder / "index.html", html.encode("utf-8"))
    return folder / "index.html"
