"""The facilitator's and the policy view of a round as Markdown, for pasting into documents."""

from __future__ import annotations

from typing import Any

from ..deepen import ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS
from . import pct


def cell(text: Any) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _quote(q: dict[str, Any]) -> str:
    where = q.get("document", "") + (f", {q['stop']}" if q.get("stop") else "")
    return f"> {cell(q['text'])}\n> — {q['speaker']}, {where}"


def facilitator_markdown(d: dict[str, Any]) -> str:
    """Gespreksverslag: conversations, signals, domain balance, themes with quotes, questions."""
    title = f"ronde {d['label']}" if d.get("label") else d["ronde"]
    out = [
        f"# Gespreksverslag {title} – {d.get('wijk') or ''}".rstrip(" –"),
        "",
        "Alle namen, adressen en nummers zijn vervangen door pseudoniemen. Citaten zijn letterlijk, na pseudonimisering.",
        "",
        "## Gesprekken",
        "",
        "| Gesprek | Soort | Datum | Fragmenten | Sprekers |",
        "|---|---|---|---:|---:|",
    ]
    out += [
        f"| {cell(x['titel'] or x['name'])} | {x['type']} | {x['datum'] or '–'} | {x['fragments']} | {x['speakers']} |"
        for x in d["documents"]
    ]
    for walk in d.get("walks", []):
        out += ["", f"**Route {walk['name']}:** " + " → ".join(s["name"] for s in walk["stops"])]
    out += ["", "## Signalen om op te volgen", ""]
    if d["signals"]:
        out += [f"- **{s['kind_label']}**: “{cell(s['text'])}” ({s['speaker']}, {s['document']})" for s in d["signals"]]
    else:
        out.append("Geen signalen gevonden in deze ronde.")
    out += ["", "## Levensdomeinen", "", "| Levensdomein | Fragmenten | Aandeel |", "|---|---:|---:|"]
    out += [f"| {x['label']} | {x['count']} | {pct(x['share'])} |" for x in d["domains"]]
    if d.get("silent_domains"):
        out += ["", f"Stil gebleven: {', '.join(d['silent_domains'])}."]
    out += ["", "## Thema's", ""]
    for t in d["themes"]:
        status = f" ({d['theme_status_labels'][t['status']]})" if t.get("status") and d.get("theme_status_labels") else ""
        out += [f"### {t['number']}. {t['label']}{status}", "", f"{t['size']} fragmenten, {t['speakers']} sprekers.", ""]
        for q in t["quotes"][:3]:
            out += [_quote(q), ""]
        deepening = t.get("deepening") or {}
        tones = {k: n for k, n in deepening.get("tone", {}).items() if n}
        if tones:
            out += ["Toon: " + ", ".join(f"{TONE_LABELS[k]} {n}" for k, n in tones.items()) + ".", ""]
    out += ["## Vragen voor de volgende verhalentafel", ""]
    out += [f"{n}. {q['vraag']} *(waarom: {q['grond']})*" for n, q in enumerate(d["questions"], start=1)]
    return "\n".join(out).rstrip() + "\n"


def policy_markdown(d: dict[str, Any]) -> str:
    """Beleidsspiegel: links with evidence and decisions, blind spots both ways, consequences, indicators."""
    p = d["programme"]
    title = f"ronde {d['label']}" if d.get("label") else d["ronde"]
    out = [f"# Beleidsspiegel {title}", ""]
    if not p.get("naam"):
        return "\n".join([*out, "Er is geen programma opgegeven voor deze ronde."]) + "\n"
    out += [f"Programma: **{p['naam']}** ({len(p['onderdelen'])} onderdelen).", "", "## Koppelingen", ""]
    out += ["| Thema | Programmaonderdeel | Aandeel | Onderbouwing | Besluit |", "|---|---|---:|---|---|"]
    for link in p["links"]:
        evidence = "<br>".join(f"“{cell(q['text'])}” ({q['speaker']})" for q in link["evidence"][:2])
        decision = link.get("decision") or "nog geen"
        out.append(
            f"| {link['theme_number']}. {cell(link['theme_label'])} | {cell(link['item_title'])} | {link['score']:.2f} | {evidence} | {decision} |"
        )
    out += ["", "## Blinde vlekken", "", "Thema's zonder programmaonderdeel:", ""]
    out += [f"- {t['number']}. {t['label']} ({t['size']} fragmenten)" for t in p["blind_spots"]] or ["- geen"]
    out += ["", "Onderdelen waar niemand over sprak:", ""]
    out += [f"- {i['title']}" for i in p["no_resonance"]] or ["- geen"]
    out += ["", "## Consequenties", "", *[f"- {r}" for r in p.get("consequence_rules", [])], ""]
    out += [
        "| Onderdeel of thema | Uitspraken | Wat werkt | Wat hindert | Wat men vraagt | Aangesproken | Aspect | Voorstel |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for c in p.get("consequences", []):
        actors = ", ".join(f"{ACTOR_LABELS.get(k, k)} {n}" for k, n in c["actor"].items())
        aspects = ", ".join(f"{ASPECT_LABELS.get(k, k)} {n}" for k, n in c["aspect"].items())
        proposal = p["consequence_labels"][c["consequence"]].split(":")[0]
        out.append(
            f"| {cell(c['title'])} | {c['n']} | {c['toon'].get('sterkte', 0)} | {c['toon'].get('probleem', 0)} | {c['toon'].get('wens', 0)} | {actors} | {aspects} | {proposal} |"
        )
    if d.get("indicators"):
        out += [
            "",
            "## Prestatie-indicatoren",
            "",
            "| Indicator | Uitspraken | Aandeel | Wat werkt | Wat hindert | Wat men vraagt |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        out += [
            f"| {i['label']} | {i['totaal']} | {pct(i['share'])} | {i['sterkte']} | {i['probleem']} | {i['wens']} |"
            for i in d["indicators"]
        ]
    return "\n".join(out).rstrip() + "\n"
