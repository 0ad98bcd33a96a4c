"""Reports in English (``--taal en``): every text of the page is translated, what people said is not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lerendewijk.connect import CONSEQUENCE_RULES, CONSEQUENCES
from lerendewijk.deepen import ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS, questions_for
from lerendewijk.domains import DOMAINS
from lerendewijk.errors import LerendeWijkError
from lerendewijk.indicators import INDICATORS
from lerendewijk.report import SILENT_DOMAIN_QUESTIONS, TEMPLATES, TYPE_LABELS, render_html
from lerendewijk.report.i18n import catalogue, template_messages, translator
from lerendewijk.report.markdown import facilitator_markdown, policy_markdown
from lerendewijk.rounds import STATUS_LABELS
from lerendewijk.signals import KINDS

PACKAGE = Path(__file__).resolve().parent.parent / "lerendewijk"


def _report_messages() -> set[str]:
    messages: set[str] = set()
    for path in [*TEMPLATES.glob("*.j2"), PACKAGE / "report" / "markdown.py"]:
        messages |= template_messages(path.read_text(encoding="utf-8"))
    for labels in (DOMAINS, STATUS_LABELS, ACTOR_LABELS, ASPECT_LABELS, TONE_LABELS, KINDS, INDICATORS, TYPE_LABELS):
        messages |= set(labels.values())
    messages |= {label.split(":")[0] for label in CONSEQUENCES.values()} | set(CONSEQUENCE_RULES) | set(SILENT_DOMAIN_QUESTIONS.values())
    return messages


def test_every_text_of_the_report_has_an_english_translation() -> None:
    english = catalogue("en")
    missing = sorted(m for m in _report_messages() if m not in english)
    assert missing == []
    # the {fields} of a message are the same in its translation
    for dutch, translated in english.items():
        assert set(re.findall(r"{(\w+)}", dutch)) == set(re.findall(r"{(\w+)}", translated)), dutch


def test_deepening_questions_are_translated_with_their_values() -> None:
    theme = {
        "keywords": ["bankje", "plein"],
        "label": "bankje plein",
        "speakers": 1,
        "size": 4,
        "domain_profile": dict.fromkeys(DOMAINS, 0.2),
        "deepening": {
            "aspect": {"fysiek": 4, "sociaal": 0, "beide": 0},
            "actor": {"bewoners": 0, "overheid": 0, "organisaties": 0, "professionals": 0, "gemengd": 0, "onduidelijk": 4},
            "tone": {"sterkte": 0, "probleem": 3, "wens": 0, "neutraal": 1},
        },
    }
    questions = questions_for(theme)
    english = translator("en")
    assert questions and all(english(q["sjablonen"]["vraag"], **q["waarden"]) != q["vraag"] for q in questions)
    social = next(q for q in questions if q["type"] == "sociaal")
    assert social["vraag"].startswith("Bij bankje, plein ging het vooral over de stenen")
    assert english(social["sjablonen"]["vraag"], **social["waarden"]).startswith("On bankje, plein the talk was mostly about bricks")


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(LerendeWijkError, match="onbekende taal 'fr'"):
        catalogue("fr")


def test_english_report_and_markdown(cycled: dict) -> None:
    data = json.loads(json.dumps(cycled["result"].data, default=str))
    html = render_html(data, "en")
    assert '<html lang="en">' in html
    for heading in ("Conversation report", "Policy mirror", "Life domains", "Questions for the next story table", "Signals to follow up"):
        assert heading in html
    # no sentence of the Dutch page is left (short words such as "in" or "en" may occur in quotes)
    visible = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", html, flags=re.S)
    left = [m for m in catalogue("en") if len(m) > 25 and " " in m and m in visible]
    assert left == []
    # what people said stays in their words
    quote = data["themes"][0]["quotes"][0]["text"]
    from html import escape

    assert escape(quote, quote=False) in html or escape(quote) in html
    data["taal"] = "en"
    assert facilitator_markdown(data).startswith("# Conversation report")
    assert "## Programme and links" in policy_markdown(data)
    assert render_html(data).startswith('<!DOCTYPE html>\n<html lang="en">')


def test_cycle_with_taal_en_writes_the_english_report(cycled: dict, tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from lerendewijk.cli import main

    root = tmp_path / "ws"
    shutil.copytree(cycled["root"], root)
    elsewhere = tmp_path / "gedeeld"
    result = CliRunner().invoke(main, ["cycle", "--workspace", str(root), "--taal", "en", "--stil", "--rapporten", str(elsewhere)])
    assert result.exit_code == 0, result.output
    report = Path(result.output.split("verslag: ", 1)[1].split()[0])
    # a report written elsewhere (--rapporten) is still found by the web app and by import-coding
    from lerendewijk.workspace import Workspace

    assert report.parent == elsewhere / "ronde-1" and Workspace(root).report_folder("ronde-1") == report.parent
    assert '<html lang="en">' in report.read_text(encoding="utf-8")
    assert (report.parent / "gespreksverslag.md").read_text(encoding="utf-8").startswith("# Conversation report")
    bad = CliRunner().invoke(main, ["cycle", "--workspace", str(root), "--taal", "fr"])
    assert bad.exit_code == 2 and "fr" in bad.output


def test_translated_markup_escapes_what_came_from_a_transcript() -> None:
    for language in ("nl", "en"):
        _ = translator(language, html=True)
        assert str(_("<script>x</script>")) == "&lt;script&gt;x&lt;/script&gt;"
        filled = str(_("{n} fragmenten", n="<b>3</b>"))
        assert "<b>" not in filled and "&lt;b&gt;3&lt;/b&gt;" in filled
        assert str(_("Thema's")) in ("Thema's", "Themes")
