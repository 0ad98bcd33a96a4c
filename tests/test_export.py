"""Exports a researcher takes into other tools, validated against the REFI-QDA schemas."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.errors import LerendeWijkError
from lerendewijk.evaluate import agreement
from lerendewijk.export import read_coding, round_tables, write_qdc, write_qdpx
from lerendewijk.workspace import Workspace

# QDA-XML 1.0 schemas of REFI (MIT licence, notice inside Project.xsd), copied from ../shared/refi-qda
REFI = Path(__file__).resolve().parent / "data" / "refi-qda"
SCHEMA = Path(__file__).resolve().parent.parent / "lerendewijk" / "schemas" / "ronde.schema.json"


def _schema(name: str):  # type: ignore[no-untyped-def]
    etree = pytest.importorskip("lxml.etree")
    if not (REFI / name).exists():
        pytest.skip(f"REFI-QDA schema {name} not found beside the project")
    return etree.XMLSchema(etree.parse(str(REFI / name)))


def test_csv_and_xlsx_have_one_readable_table_each(cycled: dict, tmp_path: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(cycled["root"])]
    assert runner.invoke(main, ["export", *ws, "--format", "csv", "-o", str(tmp_path / "csv")]).exit_code == 0
    with open(tmp_path / "csv" / "fragmenten.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {"Spreker (pseudoniem)", "Levensdomeinen", "Thema", "Tekst"} <= set(rows[0])
    with Workspace(cycled["root"]) as workspace:
        texts = {d.name: d.text for d in workspace.store.documents()}
    for row in rows:
        assert texts[row["Document"]][int(row["Begin (teken)"]) : int(row["Eind (teken)"])] == row["Tekst"]
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"fragmenten.csv", "themas.csv", "koppelingen.csv", "programma.csv"}

    from openpyxl import load_workbook

    assert runner.invoke(main, ["export", *ws, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")]).exit_code == 0
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert book.sheetnames == ["fragmenten", "themas", "koppelingen", "programma"]
    assert next(book["themas"].iter_rows(values_only=True))[:2] == ("Thema", "Naam")


def test_json_export_follows_its_schema(cycled: dict, tmp_path: Path) -> None:
    target = tmp_path / "ronde.json"
    result = CliRunner().invoke(main, ["export", "--workspace", str(cycled["root"]), "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["required"]) <= set(data)
    for table in ("fragmenten", "themas", "koppelingen", "programma", "besluiten"):
        required = set(schema["properties"][table]["items"].get("required", []))
        assert all(required <= set(row) for row in data[table]), table
    # every programme item carries its proposed consequence, computed from the store alone
    assert data["programma"] and all(row["voorstel"] in {"voortzetten", "bijstellen", "opnieuw_vragen"} for row in data["programma"])


def test_qdpx_validates_and_every_selection_is_exact(cycled: dict, tmp_path: Path) -> None:
    from lxml import etree

    schema = _schema("Project.xsd")
    with Workspace(cycled["root"]) as workspace:
        store = workspace.store
        round_id = store.round_ids()[-1]
        path = write_qdpx(store, round_id, tmp_path / "r.qdpx")
        fragments = {(f.start, f.end): f.text for f in store.fragments()}
    with zipfile.ZipFile(path) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(project)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        users = [u.get("name") for u in project.iterfind(".//q:User", ns)]
        assert users == ["lerendewijk (automatisch)"]
        names = [c.get("name") for c in project.iterfind(".//q:CodeBook/q:Codes/q:Code", ns)]
        assert names[:3] == ["Levensdomeinen", "Aspect", "Aangesproken"]
        selections = 0
        for source in project.iterfind(".//q:TextSource", ns):
            text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert fragments[(start, end)] == text[start:end]
                selections += 1
        assert selections > 10


def test_codebook_alone_validates(cycled: dict, tmp_path: Path) -> None:
    from lxml import etree

    schema = _schema("Codebook.xsd")
    with Workspace(cycled["root"]) as workspace:
        path = write_qdc(workspace.store.themes(workspace.store.round_ids()[-1]), tmp_path / "c.qdc")
    schema.assertValid(etree.parse(str(path)))


def test_import_coding_round_trips_with_agreement_one(cycled: dict, tmp_path: Path) -> None:
    with Workspace(cycled["root"]) as workspace:
        store = workspace.store
        round_id = store.round_ids()[-1]
        path = write_qdpx(store, round_id, tmp_path / "r.qdpx")
        gold = read_coding(store, path)
        model = {r["fragment"]: r["levensdomeinen"].split(";") for r in round_tables(store, round_id)["fragmenten"] if r["levensdomeinen"]}
    assert len(gold) == len(model)
    result = agreement([g["domains"] for g in gold], [model[g["id"]] for g in gold])
    assert result["primary_kappa"] == pytest.approx(1.0) and result["primary_agreement"] == 1.0


def test_import_coding_is_kept_and_shown_in_the_report(cycled: dict, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kopie"
    shutil.copytree(cycled["root"], root)
    with Workspace(root) as workspace:
        round_id = workspace.store.round_ids()[-1]
        path = write_qdpx(workspace.store, round_id, tmp_path / "onderzoeker.qdpx")
    result = CliRunner().invoke(main, ["import-coding", "--workspace", str(root), str(path), "--codeur", "lerendewijk (automatisch)"])
    assert result.exit_code == 0, result.output
    assert "bewaard in de werkruimte" in result.output
    with Workspace(root) as workspace:
        codings = workspace.store.human_codings()
    assert list(codings) == ["lerendewijk (automatisch)"] and codings["lerendewijk (automatisch)"]
    data = json.loads((root / "rapporten" / round_id / "data.json").read_text(encoding="utf-8"))
    (row,) = data["agreement"]
    assert row["n"] == len(codings["lerendewijk (automatisch)"]) and row["primary_agreement"] == 1.0
    html = (root / "rapporten" / round_id / "index.html").read_text(encoding="utf-8")
    assert 'id="overeenstemming"' in html and "lerendewijk (automatisch)" in html


def test_import_coding_rejects_what_is_not_a_project(cycled: dict, tmp_path: Path) -> None:
    fake = tmp_path / "codering.qdpx"
    fake.write_bytes(b"dit is geen zip")
    with Workspace(cycled["root"]) as workspace, pytest.raises(LerendeWijkError, match="geen geldig QDPX"):
        read_coding(workspace.store, fake)
    result = CliRunner().invoke(main, ["import-coding", "--workspace", str(cycled["root"]), str(fake)])
    assert result.exit_code == 2 and "codering.qdpx" in result.output


def test_no_planted_identifier_in_any_export(cycled: dict, tmp_path: Path) -> None:
    from .conftest import PLANTED

    runner = CliRunner()
    ws = ["--workspace", str(cycled["root"])]
    for fmt, target in (("csv", "csv"), ("xlsx", "r.xlsx"), ("json", "r.json"), ("qdpx", "r.qdpx"), ("qdc", "r.qdc")):
        result = runner.invoke(main, ["export", *ws, "--format", fmt, "-o", str(tmp_path / target)])
        assert result.exit_code == 0, result.output
    texts = []
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        else:
            texts.append(path.read_text(encoding="utf-8-sig"))
    everything = "\n".join(texts).lower()
    assert len(texts) >= 8
    for planted in PLANTED:
        assert planted.lower() not in everything, planted
