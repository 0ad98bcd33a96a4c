"""`lerendewijk link`: loose fragments against a programme, with a calibrated 'none'."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.connect import LINK_MODEL_DIR, link_accuracy
from lerendewijk.programme import parse_programme

ROOT = Path(__file__).parent.parent


def test_link_contract(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Die lift in de galerijflat is alweer kapot, ik kom niet naar beneden."}\n'
        '{"id": "b", "text": "Wie heeft de uitslag van het voetbal gisteren gezien?"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    programme = ROOT / "corpora" / "voorbeeld" / "programma.yaml"
    result = CliRunner().invoke(main, ["link", str(source), "--programma", str(programme), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    _, items = parse_programme(programme)
    ids = {i.id for i in items}
    for row in rows:
        assert set(row) == {"id", "links", "none"}
        scores = [link["score"] for link in row["links"]]
        assert scores == sorted(scores, reverse=True) and all(link["item"] in ids for link in row["links"])
    assert rows[0]["links"][0]["item"] == "galerijflat-vlietkade" and rows[0]["none"] is False


def test_criteria_programme_ships() -> None:
    _, items = parse_programme(ROOT / "corpora" / "programmas" / "woonservicewijk-criteria.yaml")
    assert len(items) == 9


def test_link_accuracy_maths_and_shipped_calibration() -> None:
    ranked = [
        {"links": [{"item": "x", "score": 0.9}], "none": False},
        {"links": [{"item": "y", "score": 0.2}], "none": True},
        {"links": [{"item": "z", "score": 0.8}], "none": False},
    ]
    result = link_accuracy(ranked, ["x", None, "y"])
    assert result["top1"] == 0.5 and result["none_accuracy"] == 1.0 and result["overall"] == round(2 / 3, 4)
    meta = json.loads((LINK_MODEL_DIR / "model.json").read_text())
    assert {"threshold", "domain_weight", "metrics", "embedding_id"} <= set(meta)
