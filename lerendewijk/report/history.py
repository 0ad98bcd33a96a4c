"""Comparison of two rounds and the learning history, as Markdown and as self-contained HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domains import DOMAINS
from ..indicators import INDICATORS
from ..rounds import STATUS_LABELS
from . import pct, template_env
from .markdown import cell

DECISION_WORDS = {"aanvaard": "aanvaard", "afgewezen": "afgewezen", "notitie": "van een notitie voorzien"}


def feedback_sentences(entry: dict[str, Any], later_round: str) -> list[str]:
    """'Wat is er met uw inbreng gedaan', in plain words, for one theme of the earlier round."""
    out = [f"U sprak over '{entry['label']}' ({entry['size']} uitspraken)."]
    if entry["items"]:
        out.append("Dit is verbonden met " + ", ".join(f"'{i['title']}'" for i in entry["items"]) + ".")
    else:
        out.append("Hiervoor is (nog) geen onderdeel in het programma.")
    for d in entry["decisions"]:
        sentence = f"Over '{d['title']}' is besloten: {DECISION_WORDS.get(d['decision'], d['decision'])}"
        sentence += f" ({d['note']})" if d["note"] else ""
        sentence += f". Gedaan: {d['action']}" if d["action"] else ""
        out.append(sentence + ".")
    if not entry["decisions"]:
        out.append("Er is nog geen besluit over vastgelegd.")
    later = entry["later"]
    out.append(
        f"In {later_round} kwam het niet meer ter sprake."
        if later == "verdwenen"
        else f"In {later_round} was dit thema {STATUS_LABELS.get(later, later)}."
    )
    return out


def compare_markdown(data: dict[str, Any]) -> str:
    a, b = data["a"], data["b"]
    lines = [
        f"# Vergelijking {a['id']} → {b['id']}",
        "",
        f"- {a['id']}: {len(a['documents'])} gesprek(ken), {a['fragments']} uitspraken, {a['themes']} thema's ({str(a['date'])[:10]})",
        f"- {b['id']}: {len(b['documents'])} gesprek(ken), {b['fragments']} uitspraken, {b['themes']} thema's ({str(b['date'])[:10]})",
        "",
        "## Thema's",
        "",
        "| Thema | Naam | Status | Aandeel eerst | Aandeel nu |",
        "|---|---|---|---:|---:|",
    ]
    for t in data["themes"]:
        lines.append(f"| {t['id']} | {cell(t['label'])} | {STATUS_LABELS[t['status']]} | {pct(t['share_a'])} | {pct(t['share_b'])} |")
    lines += ["", "## Levensdomeinen", "", "| Levensdomein | Eerst | Nu | Verschil |", "|---|---:|---:|---:|"]
    for d in data["domains"]:
        lines.append(f"| {DOMAINS[d['key']]} | {pct(d['a'])} | {pct(d['b'])} | {round(100 * d['change']):+d} punten |")
    if any(i["a"] or i["b"] for i in data["indicators"]):
        lines += ["", "## Prestatie-indicatoren", "", "| Indicator | Eerst | Nu |", "|---|---:|---:|"]
        lines += [f"| {INDICATORS[i['key']]} | {pct(i['a'])} | {pct(i['b'])} |" for i in data["indicators"]]
    changes = data["programme_changes"]
    lines += ["", "## Programma", ""]
    if any(changes.values()):
        lines += [f"- {k}: {', '.join(v)}" for k, v in changes.items() if v]
    else:
        lines.append("- Het programma is niet veranderd.")
    if data["coverage"]:
        lines += ["", "| Onderdeel | Besproken eerst | Besproken nu |", "|---|---|---|"]
        lines += [f"| {cell(c['title'])} | {'ja' if c['a'] else 'nee'} | {'ja' if c['b'] else 'nee'} |" for c in data["coverage"]]
    lines += ["", "## Besluiten over koppelingen", ""]
    if data["decisions"]:
        for d in data["decisions"]:
            lines.append(
                f"- {d['round_id']}, thema {d['theme_id']} → {d['title']}: **{d['decision']}**"
                + (f" – {d['note']}" if d["note"] else "")
                + (f" (gedaan: {d['action']})" if d["action"] else "")
            )
    else:
        lines.append("Er zijn nog geen besluiten vastgelegd (`lerendewijk besluit`).")
    lines += ["", "## Wat is er met uw inbreng gedaan?", ""]
    for entry in data["feedback"]:
        lines.append(f"### {entry['id']}: {entry['label']}")
        lines.append("")
        if entry["quote"]:
            lines.append(f"> {cell(entry['quote']['text'])} — {entry['quote']['speaker']}")
            lines.append("")
        lines.append(" ".join(feedback_sentences(entry, b["id"])))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def history_markdown(history: list[dict[str, Any]], wijk: str) -> str:
    lines = [f"# Leergeschiedenis {wijk}", "", "Links wat er gebeurde en werd besloten; rechts de woorden van bewoners en werkers.", ""]
    for entry in history:
        lines += [f"## Ronde {entry['label']} ({str(entry['date'])[:10]})", "", "| Wat er gebeurde | In hun woorden |", "|---|---|"]
        for row in entry["rows"]:
            quotes = "<br>".join(f"“{cell(q['text'])}” — {q['speaker']}" for q in row["quotes"])
            lines.append(f"| {cell(row['left'])} | {quotes} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _env() -> Any:
    env = template_env()
    env.globals.update(status_labels=STATUS_LABELS, indicators=INDICATORS, feedback_sentences=feedback_sentences)
    return env


def compare_html(data: dict[str, Any], wijk: str) -> str:
    return _env().get_template("compare.html.j2").render(d=data, wijk=wijk)


def history_html(history: list[dict[str, Any]], wijk: str) -> str:
    return _env().get_template("history.html.j2").render(history=history, wijk=wijk)


def write_learning_history(store: Any, wijk: str, folder: Path) -> tuple[Path, Path]:
    """The learning history over all rounds as leergeschiedenis.html and .md in FOLDER (CLI and web app alike)."""
    from ..errors import LerendeWijkError
    from ..privacy import write_atomic
    from ..rounds import learning_history

    history = learning_history(store)
    if not history:
        raise LerendeWijkError("deze werkruimte heeft nog geen rondes; draai eerst 'lerendewijk cycle'")
    folder.mkdir(parents=True, exist_ok=True)
    html, markdown = folder / "leergeschiedenis.html", folder / "leergeschiedenis.md"
    write_atomic(html, history_html(history, wijk).encode("utf-8"))
    write_atomic(markdown, history_markdown(history, wijk).encode("utf-8"))
    return html, markdown
