"""The trained life-domain classifier: reproducible, safe to load, and the batch command contracts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from lerendewijk.classify import MODEL_DIR, DomainClassifier, load_profile, train_from_corpus, view_embedder
from lerendewijk.cli import main
from lerendewijk.domains import DOMAIN_KEYS

EMBED = view_embedder()


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model, _ = train_from_corpus("snel", embed=EMBED, limit=160)
    folder = tmp_path_factory.mktemp("model") / "snel"
    model.save(folder)
    return folder


def test_training_is_reproducible(small_model: Path, tmp_path: Path) -> None:
    again, _ = train_from_corpus("snel", embed=EMBED, limit=160)
    again.save(tmp_path / "again")
    with np.load(small_model / "weights.npz") as a, np.load(tmp_path / "again" / "weights.npz") as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    first = json.loads((small_model / "model.json").read_text())
    second = json.loads((tmp_path / "again" / "model.json").read_text())
    assert first["thresholds"] == second["thresholds"] and first["view_weights"] == second["view_weights"]


def test_saved_model_is_plain_arrays_and_json(small_model: Path) -> None:
    with np.load(small_model / "weights.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    meta = json.loads((small_model / "model.json").read_text())
    assert meta["labels"]["domains"] == list(DOMAIN_KEYS)
    assert set(meta["thresholds"]) == set(DOMAIN_KEYS)
    assert "metrics" in meta and "data_sha256" in meta and meta["embedding_models"]["use"].startswith("use-multilingual")


def test_round_trip_gives_the_same_predictions(small_model: Path) -> None:
    texts = [
        "De lift is weer kapot en ik kom mijn flat niet uit.",
        "Zullen we beginnen?",
        "Sinds mijn man er niet meer is, zie ik niemand.",
    ]
    model = DomainClassifier.load(small_model)
    first = model.predict(texts, EMBED)
    second = DomainClassifier.load(small_model).predict(texts, EMBED)
    assert [p.domains for p in first] == [p.domains for p in second]
    assert all(0.0 <= s <= 1.0 for p in first for s in p.scores.values())


def test_tampered_weights_are_refused(small_model: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(small_model, copy)
    (copy / "weights.npz").write_bytes((copy / "weights.npz").read_bytes() + b"x")
    with pytest.raises(ValueError, match="hash"):
        DomainClassifier.load(copy)


def test_shipped_model_places_clear_sentences() -> None:
    model = load_profile("snel")
    assert model is not None, f"no model in {MODEL_DIR / 'snel'}"
    texts = {
        "Ik kan de energierekening niet meer betalen en de huur gaat weer omhoog.": "materiele_situatie",
        "Sinds mijn vrouw overleden is, komt er niemand meer bij mij op bezoek.": "sociale_relaties",
        "Ik doe twee ochtenden vrijwilligerswerk bij de voedselbank, dat geeft me een doel.": "arbeid_en_prestatie",
        "Ik ben gevallen in de badkamer en mijn heup doet nog steeds pijn.": "lichaam_en_geest",
        "Mijn geloof geeft me houvast, elke vrijdag ga ik naar de moskee.": "waarden_en_inspiratie",
    }
    predictions = model.predict(list(texts), EMBED)
    assert [p.domains[0] for p in predictions] == list(texts.values())
    meta = json.loads((MODEL_DIR / "snel" / "model.json").read_text())
    assert meta["metrics"]["test"]["macro_f1"] >= 0.65


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_predict_jsonl_and_csv_contract(tmp_path: Path, small_model: Path) -> None:
    source = _write(tmp_path / "in.jsonl", '{"id": "a", "text": "De stoep ligt vol losse tegels."}\n{"id": 2, "text": "Ja."}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["domains", "predict", str(source), "-o", str(out), "--model", str(small_model)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "2"]
    for row in rows:
        assert set(row) == {"id", "domains", "status", "scores", "aspect", "actor", "tone"}
        assert row["status"] in ("ok", "geen_domein", "twijfel")
        assert set(row["scores"]) == set(DOMAIN_KEYS)
        assert (row["domains"] == []) == (row["status"] == "geen_domein")
    csv_source = _write(tmp_path / "in.csv", "id,text\nx,Ik mis mijn werk als lasser.\n")
    result = CliRunner().invoke(main, ["domains", "predict", str(csv_source), "--model", str(small_model)])
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["id"] == "x"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"id": "a"}\n', "text ontbreken"),
        (b'{"id": "a", "text": "   "}\n', "lege tekst"),
        (b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n', "twee keer"),
        (b'{"id": "a", "text": "x"\n', "geen geldige JSON"),
        ('{"id": "a", "text": "één"}\n'.encode("cp1252"), "geen UTF-8"),
    ],
)
def test_predict_bad_input_gets_a_clear_error(tmp_path: Path, small_model: Path, content: bytes, message: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    result = CliRunner().invoke(main, ["domains", "predict", str(source), "--model", str(small_model)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_evaluate_and_agreement_commands(tmp_path: Path, small_model: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        '{"id": "1", "text": "De lift is kapot.", "domains": ["materiele_situatie"]}\n'
        '{"id": "2", "text": "Ik voel me eenzaam.", "domains": ["sociale_relaties", "lichaam_en_geest"]}\n'
        '{"id": "3", "text": "Koffie?", "domains": []}\n',
    )
    result = CliRunner().invoke(main, ["domains", "evaluate", str(gold), "--model", str(small_model), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"per_domain", "macro_f1", "primary_accuracy", "primary_kappa", "confusion"} <= set(data)
    other = _write(
        tmp_path / "b.jsonl",
        '{"id": "1", "domains": ["materiele_situatie"]}\n{"id": "2", "domains": ["sociale_relaties"]}\n{"id": "3", "domains": []}\n',
    )
    result = CliRunner().invoke(main, ["domains", "agreement", str(gold), str(other)])
    assert result.exit_code == 0, result.output
    assert "primair domein: kappa 1.000" in result.output
    bad = _write(tmp_path / "c.jsonl", '{"id": "1", "domains": ["geluk"]}\n')
    result = CliRunner().invoke(main, ["domains", "agreement", str(gold), str(bad)])
    assert result.exit_code == 2 and "onbekend levensdomein" in result.output
