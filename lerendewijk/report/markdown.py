"""The facilitator's and the policy view of a round as Markdown, for pasting into documents."""

from __future__ import annotations

from typing import Any

from ..deepen import ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS
from . import pct
from .i18n import localised_question, translator


def cell(text: Any) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _quote(q: dict[str, Any]) -> str:
    where = q.get("document", "") + (f", {q['stop']}" if q.get("stop") else "")
    return f"> {cell(q['text'])}\n> — {q['speaker']}, {where}"


def _title(d: dict[str, Any], _: Any) -> str:
    return f"{_('ronde')} {d['label']}" if d.get("label") else d["ronde"]


def facilitator_markdown(d: dict[str, Any]) -> str:
    """Gespreksverslag: conversations, signals, domain balance, themes with quotes, questions."""
    _ = translator(d.get("taal") or "nl")
    out = [
        f"# {_('Gespreksverslag')} {_title(d, _)} – {d.get('wijk') or ''}".rstrip(" –"),
        "",
        _(
            "Alle namen, adressen en nummers zijn vervangen door pseudoniemen (zoals Bewoner 3 of [adres 2]). Citaten zijn letterlijk, na pseudonimisering."
        ),
        "",
        f"## {_('Gesprekken')}",
        "",
        f"| {_('Bestand')} | {_('Soort')} | {_('Datum')} | {_('Fragmenten')} | {_('Sprekers')} |",
        "|---|---|---|---:|---:|",
    ]
    out += [
        f"| {cell(x['titel'] or x['name'])} | {_(x['type'])} | {x['datum'] or '–'} | {x['fragments']} | {x['speakers']} |"
        for x in d["documents"]
    ]
    for walk in d.get("walks", []):
        out += ["", f"**{_('Route')} {walk['name']}:** " + " → ".join(s["name"] for s in walk["stops"])]
    out += ["", f"## {_('Signalen om op te volgen')}", ""]
    if d["signals"]:
        out += [f"- **{_(s['kind_label'])}**: “{cell(s['text'])}” ({s['speaker']}, {s['document']})" for s in d["signals"]]
    else:
        out.append(_("Geen signalen gevonden in deze ronde."))
    out += ["", f"## {_('Levensdomeinen')}", "", f"| {_('Levensdomein')} | {_('Fragmenten')} | {_('Aandeel')} |", "|---|---:|---:|"]
    out += [f"| {_(x['label'])} | {x['count']} | {pct(x['share'])} |" for x in d["domains"]]
    if d.get("silent_domains"):
        out += ["", f"{_('Stil gebleven:')} {', '.join(_(label) for label in d['silent_domains'])}."]
    out += ["", "## " + _("Thema's"), ""]
    for t in d["themes"]:
        status = f" ({_(d['theme_status_labels'][t['status']])})" if t.get("status") and d.get("theme_status_labels") else ""
        out += [
            f"### {t['number']}. {t['label']}{status}",
            "",
            f"{_('{n} fragmenten', n=t['size'])}, {_('{n} sprekers', n=t['speakers'])}.",
            "",
        ]
        for q in t["quotes"][:3]:
            out += [_quote(q), ""]
        deepening = t.get("deepening") or {}
        tones = {k: n for k, n in deepening.get("tone", {}).items() if n}
        if tones:
            out += [f"{_('Toon')}: " + ", ".join(f"{_(TONE_LABELS[k])} {n}" for k, n in tones.items()) + ".", ""]
    out += [f"## {_('Vragen voor de volgende verhalentafel')}", ""]
    for n, q in enumerate(d["questions"], start=1):
        theme = q.get("thema")
        where = f"{_('thema {number} ({label})', number=theme['number'], label=theme['label'])}: " if theme else ""
        reason = localised_question(_, q, "grond")
        out.append(f"{n}. {localised_question(_, q, 'vraag')} *({_('Waarom:')} {where}{reason})*")
    return "\n".join(out).rstrip() + "\n"


def policy_markdown(d: dict[str, Any]) -> str:
    """Beleidsspiegel: links with evidence and decisions, blind spots both ways, consequences, indicators."""
    _ = translator(d.get("taal") or "nl")
    p = d["programme"]
    out = [f"# {_('Beleidsspiegel')} {_title(d, _)}", ""]
    if not p.get("naam"):
        missing = _("Er is geen programma opgegeven. Geef er een op met --programma om thema's te koppelen aan het beleid.")
        return "\n".join([*out, missing]) + "\n"
    out += [
        f"{_('Programma:')} **{p['naam']}** ({_('{n} onderdelen', n=len(p['onderdelen']))}).",
        "",
        f"## {_('Programma en koppelingen')}",
        "",
    ]
    out += [
        f"| {_('Thema')} | {_('Programmaonderdeel')} | {_('Aandeel')} | {_('Onderbouwing')} | {_('Besluit')} |",
        "|---|---|---:|---|---|",
    ]
    for link in p["links"]:
        evidence = "<br>".join(f"“{cell(q['text'])}” ({q['speaker']})" for q in link["evidence"][:2])
        decision = _(link.get("decision") or "nog geen")
        out.append(
            f"| {link['theme_number']}. {cell(link['theme_label'])} | {cell(link['item_title'])} | {link['score']:.2f} | {evidence} | {decision} |"
        )
    out += ["", "## " + _("Blinde vlekken: thema's zonder programmaonderdeel"), ""]
    out += [f"- {t['number']}. {t['label']} ({_('{n} fragmenten', n=t['size'])})" for t in p["blind_spots"]] or ["- –"]
    out += ["", f"## {_('Geen weerklank: onderdelen waar niemand over sprak')}", ""]
    out += [f"- {i['title']}" for i in p["no_resonance"]] or ["- –"]
    out += ["", f"## {_('Consequenties')}", "", *[f"- {_(r)}" for r in p.get("consequence_rules", [])], ""]
    out += [
        f"| {_('Onderdeel of thema')} | {_('Uitspraken')} | {_('Wat werkt')} | {_('Wat hindert')} | {_('Wat men vraagt')} | "
        f"{_('Aangesproken')} | {_('Aspect')} | {_('Voorstel')} |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for c in p.get("consequences", []):
        actors = ", ".join(f"{_(ACTOR_LABELS.get(k, k))} {n}" for k, n in c["actor"].items())
        aspects = ", ".join(f"{_(ASPECT_LABELS.get(k, k))} {n}" for k, n in c["aspect"].items())
        proposal = _(p["consequence_labels"][c["consequence"]].split(":")[0])
        out.append(
            f"| {cell(c['title'])} | {c['n']} | {c['toon'].get('sterkte', 0)} | {c['toon'].get('probleem', 0)} | {c['toon'].get('wens', 0)} | {actors} | {aspects} | {proposal} |"
        )
    if d.get("indicators"):
        out += [
            "",
            f"## {_('Prestatie-indicatoren')}",
            "",
            f"| {_('Indicator')} | {_('Uitspraken')} | {_('Aandeel')} | {_('Wat werkt')} | {_('Wat hindert')} | {_('Wat men vraagt')} |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        out += [
            f"| {_(i['label'])} | {i['totaal']} | {pct(i['share'])} | {i['sterkte']} | {i['probleem']} | {i['wens']} |"
            for i in d["indicators"]
        ]
    return "\n".join(out).rstrip() + "\n"
