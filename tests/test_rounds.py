"""Phase 3 across rounds: stable theme ids, status, consequences, decisions, comparison, history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.connect import consequence_of, consequences, infer_item_domains
from lerendewijk.model import DomainPrediction, ProgrammeItem
from lerendewijk.rounds import assign_ids, latest_versions, theme_status
from lerendewijk.store import SCHEMA_VERSION, Store


def _theme(key: str, direction: list[float], members: list[int], size: int | None = None) -> dict:
    v = np.array(direction, dtype=float)
    return {
        "key": key,
        "label": key,
        "centroid": list(v / np.linalg.norm(v)),
        "members": [(m, 1.0) for m in members],
        "size": size or len(members),
    }


def _round_one() -> list[dict]:
    themes = [_theme("lift", [1, 0, 0, 0.2], [1, 2, 3]), _theme("bus", [0, 1, 0, 0.2], [4, 5]), _theme("geld", [0, 0, 1, 0.2], [6, 7])]
    assign_ids(themes, [])
    return themes


def test_new_themes_are_numbered_in_their_canonical_order() -> None:
    assert [t["id"] for t in _round_one()] == ["T1", "T2", "T3"]


def test_a_theme_keeps_its_id_by_centroid_and_a_new_topic_gets_a_new_id() -> None:
    first = _round_one()
    known = latest_versions([first])
    # the same topics in another order and slightly shifted, plus one new topic; no shared fragments
    second = [
        _theme("bus2", [0.1, 1, 0, 0.2], [14, 15, 16]),
        _theme("lift2", [1, 0.1, 0, 0.2], [11, 12]),
        _theme("zorg", [0, 0, 0, 1], [17, 18]),
        _theme("geld2", [0, 0.1, 1, 0.2], [19, 20]),
    ]
    assign_ids(second, known)
    assert {t["key"]: t["id"] for t in second} == {"bus2": "T2", "lift2": "T1", "zorg": "T4", "geld2": "T3"}


def test_shared_fragments_decide_the_identity_when_a_round_is_run_again() -> None:
    first = _round_one()
    known = latest_versions([first])
    # after steering, the lift theme moved far (other centroid) but holds the same fragments
    again = [_theme("lift-again", [0.2, 0.2, 0.2, 1], [1, 2, 3]), _theme("bus", [0, 1, 0, 0.2], [4, 5])]
    assign_ids(again, known)
    assert [t["id"] for t in again] == ["T1", "T2"]


def test_each_earlier_theme_is_claimed_once() -> None:
    first = _round_one()
    known = latest_versions([first])
    twins = [_theme("a", [1, 0, 0, 0.2], [21, 22]), _theme("b", [1, 0.05, 0, 0.2], [23, 24]), _theme("c", [0, 1, 0, 0.2], [25])]
    assign_ids(twins, known)
    ids = [t["id"] for t in twins]
    assert len(set(ids)) == 3 and "T1" in ids and "T4" in ids


def test_status_compares_shares_of_the_talk() -> None:
    before = [
        {"id": "T1", "label": "lift", "size": 10},
        {"id": "T2", "label": "bus", "size": 10},
        {"id": "T3", "label": "geld", "size": 10},
    ]
    now = [{"id": "T1", "size": 30}, {"id": "T2", "size": 10}, {"id": "T4", "size": 5}, {"id": "T5", "size": 5}]
    gone = theme_status(now, total=200, previous=before, previous_total=100, seen_before={"T5"})
    assert [t["status"] for t in now] == ["groeiend", "afnemend", "nieuw", "terug"]
    assert [t["id"] for t in gone] == ["T3"] and gone[0]["status"] == "verdwenen"


def test_consequence_rules() -> None:
    assert consequence_of({"sterkte": 2}, 2) == "opnieuw_vragen"
    assert consequence_of({"sterkte": 4, "probleem": 1, "neutraal": 1}, 6) == "voortzetten"
    assert consequence_of({"sterkte": 1, "probleem": 3, "wens": 2}, 6) == "bijstellen"


def test_consequences_table_skips_rejected_links_and_proposes_new_items() -> None:
    items = [ProgrammeItem("lift", "Lift", "De lift"), ProgrammeItem("bus", "Bus", "De bus")]
    predictions = {i: DomainPrediction(["materiele_situatie"], "ok", {}, "fysiek", "organisaties", "probleem") for i in range(1, 20)}
    quote_of = {i: {"text": f"fragment {i}", "speaker": "Bewoner 1"} for i in range(1, 20)}
    links = [
        {"theme": "t1", "item": "lift", "voters": [1, 2, 3, 4]},
        {"theme": "t2", "item": "bus", "voters": [5, 6, 7], "decision": "afgewezen"},
    ]
    themes = [
        {"key": "t3", "id": "T3", "label": "bankje", "size": 6, "speakers": 3, "members": [(i, 1.0) for i in range(10, 16)], "quotes": []}
    ]
    rows = {r["item"] or r["theme"]: r for r in consequences(items, links, themes, ["t3"], predictions, quote_of)}
    assert rows["lift"]["n"] == 4 and rows["lift"]["consequence"] == "bijstellen" and rows["lift"]["actor"] == {"organisaties": 4}
    assert len(rows["lift"]["quotes"]["probleem"]) == 2
    assert rows["bus"]["n"] == 0 and rows["bus"]["consequence"] == "opnieuw_vragen"
    assert rows["T3"]["consequence"] == "nieuw_onderdeel"


def test_items_without_domains_get_them_from_text_and_owner() -> None:
    items = [
        ProgrammeItem("a", "Ontmoeting", "Koffie", owner="Stichting Welzijn Oost"),
        ProgrammeItem("b", "Lift", "x", domains=["materiele_situatie"]),
    ]
    infer_item_domains(items, lambda texts: [DomainPrediction(["lichaam_en_geest"], "ok", {"lichaam_en_geest": 0.8})] * len(texts))
    assert items[0].domains == ["lichaam_en_geest", "sociale_relaties"] and items[0].domains_inferred
    assert items[1].domains == ["materiele_situatie"] and not items[1].domains_inferred


def test_a_store_of_an_earlier_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "oud.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE annotations (round_id TEXT NOT NULL, fragment_id INTEGER NOT NULL, domains_json TEXT NOT NULL,"
        " status TEXT NOT NULL, scores_json TEXT NOT NULL, aspect TEXT, actor TEXT, model_id TEXT NOT NULL,"
        " PRIMARY KEY (round_id, fragment_id))"
    )
    conn.execute("INSERT INTO annotations VALUES ('ronde-1', 1, '[]', 'geen_domein', '{}', NULL, NULL, 'x')")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.annotations("ronde-1")[1].indicators == []
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory, mini_corpus: Path) -> Path:
    """The mini corpus as round 1; round 2 adds a copy of one transcript with a new date."""
    root = tmp_path_factory.mktemp("rondes") / "wijk"
    runner = CliRunner()
    programme = str(mini_corpus / "programma.yaml")
    result = runner.invoke(main, ["cycle", str(mini_corpus), "--workspace", str(root), "--programma", programme, "--ronde", "1", "--stil"])
    assert result.exit_code == 0, result.output
    extra = tmp_path_factory.mktemp("ronde2") / "verhalentafel-zuid-2.md"
    extra.write_text(
        (mini_corpus / "verhalentafel-zuid.md").read_text(encoding="utf-8") + "\nAnouk: En de lift is nu gerepareerd, eindelijk.\n",
        encoding="utf-8",
    )
    args = ["cycle", str(extra), str(mini_corpus / "verhalentafel-west.vtt"), "--workspace", str(root), "--programma", programme]
    result = runner.invoke(main, [*args, "--ronde", "2", "--stil"])
    assert result.exit_code == 0, result.output
    return root


def test_theme_ids_are_stable_from_round_to_round(two_rounds: Path) -> None:
    store = Store(two_rounds / "lerendewijk.db")
    first = {t["id"] for t in store.themes("ronde-1")}
    second = store.themes("ronde-2")
    assert all("status" in t and t["id"].startswith("T") for t in second)
    # round 2 repeats much of round 1: most of its themes are recognised
    assert sum(t["id"] in first for t in second) >= len(second) // 2


def test_a_round_run_again_keeps_its_theme_ids(two_rounds: Path) -> None:
    store = Store(two_rounds / "lerendewijk.db")
    before = {t["key"]: t["id"] for t in store.themes("ronde-2")}
    result = CliRunner().invoke(main, ["cycle", "--workspace", str(two_rounds), "--stil"])
    assert result.exit_code == 0, result.output
    assert {t["key"]: t["id"] for t in Store(two_rounds / "lerendewijk.db").themes("ronde-2")} == before


def test_decision_compare_and_learning_history(two_rounds: Path, tmp_path: Path) -> None:
    store = Store(two_rounds / "lerendewijk.db")
    # staff may also connect a theme to an item that the linker did not propose
    links = store.links("ronde-1")
    theme = next((t for t in store.themes("ronde-1") if links and t["key"] == links[0]["theme"]), store.themes("ronde-1")[0])
    theme_id = theme["id"]
    item = links[0]["item"] if links else store.programme(store.get_round("ronde-1")["manifest"]["programma_hash"])["items"][0]["id"]
    runner = CliRunner()
    ws = ["--workspace", str(two_rounds)]
    result = runner.invoke(
        main, ["besluit", *ws, "--ronde", "1", "--thema", theme_id, "--onderdeel", item, "--aanvaard", "--gedaan", "Monteur besteld"]
    )
    assert result.exit_code == 0, result.output
    bad = runner.invoke(main, ["besluit", *ws, "--ronde", "1", "--thema", theme_id, "--onderdeel", "bestaat-niet", "--aanvaard"])
    assert bad.exit_code == 2 and "bestaat-niet" in bad.output

    result = runner.invoke(main, ["compare", *ws, "1", "2"])
    assert result.exit_code == 0, result.output
    for heading in (
        "## Thema's",
        "## Levensdomeinen",
        "## Programma",
        "## Besluiten over koppelingen",
        "## Wat is er met uw inbreng gedaan?",
    ):
        assert heading in result.output
    assert "Monteur besteld" in result.output
    html = tmp_path / "vergelijking.html"
    assert runner.invoke(main, ["compare", *ws, "ronde-1", "ronde-2", "-o", str(html)]).exit_code == 0
    assert "Wat is er met uw inbreng gedaan?" in html.read_text(encoding="utf-8") and "http" not in html.read_text(encoding="utf-8")

    result = runner.invoke(main, ["leergeschiedenis", *ws, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "leergeschiedenis.md").read_text(encoding="utf-8")
    assert "## Ronde 1" in markdown and "## Ronde 2" in markdown and "Monteur besteld" in markdown
    assert "| Wat er gebeurde | In hun woorden |" in markdown
    assert '<table class="history">' in (tmp_path / "leergeschiedenis.html").read_text(encoding="utf-8")


def test_round_two_report_carries_decisions_and_status(two_rounds: Path) -> None:
    import json

    data = json.loads((two_rounds / "rapporten" / "ronde-2" / "data.json").read_text(encoding="utf-8"))
    assert all(t.get("status") for t in data["themes"])
    assert data["programme"]["consequences"] and data["programme"]["consequence_rules"]
    assert {r["consequence"] for r in data["programme"]["consequences"]} <= {
        "voortzetten",
        "bijstellen",
        "nieuw_onderdeel",
        "opnieuw_vragen",
    }
    assert data["manifest"]["model_bestanden"] and "lokale_namen" in data["manifest"]["configuratie"]
