"""The whole cycle on the mini corpus: store contents, report, quotes and privacy end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from lerendewijk.cycle import ingest, run_cycle
from lerendewijk.workspace import Workspace

from .conftest import PLANTED, file_hashes


def test_report_and_data_are_written(cycled: dict) -> None:
    result = cycled["result"]
    assert result.round_id == "ronde-1"
    assert result.report.exists()
    data = json.loads((result.report.parent / "data.json").read_text(encoding="utf-8"))
    assert data["counts"]["documents"] == 3
    assert data["themes"], "a first clustering must produce themes"
    assert sum(d["count"] for d in data["domains"]) > 0
    html = result.report.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Levensdomeinen" in html and "Thema's" in html
    facilitator = (result.report.parent / "gespreksverslag.md").read_text(encoding="utf-8")
    assert facilitator.startswith("# Gespreksverslag") and "## Vragen voor de volgende verhalentafel" in facilitator
    assert data["themes"][0]["quotes"][0]["text"].split()[0] in facilitator
    policy = (result.report.parent / "beleidsspiegel.md").read_text(encoding="utf-8")
    assert policy.startswith("# Beleidsspiegel") and "## Consequenties" in policy


def test_originals_are_never_modified(cycled: dict) -> None:
    assert file_hashes(cycled["corpus"]) == cycled["hashes_before"]


def test_nothing_identifying_in_store_or_outputs(cycled: dict) -> None:
    root: Path = cycled["root"]
    written = [p for p in root.rglob("*") if p.is_file() and "sleutel" not in p.parts]
    assert any(p.name == "index.html" for p in written)
    conn = sqlite3.connect(root / "lerendewijk.db")
    dump = "\n".join(conn.iterdump())
    conn.close()
    for path in written:
        if path.suffix in (".db", ".db-wal", ".db-shm") or path.name.startswith("lerendewijk.db"):
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for planted in PLANTED:
            assert planted.lower() not in text.lower(), f"{planted} in {path.name}"
    for planted in PLANTED:
        assert planted.lower() not in dump.lower(), f"{planted} in the store"
    # the key file, kept apart, is what can re-identify people
    key = (root / "sleutel" / "pseudoniemen.json").read_text(encoding="utf-8")
    assert "Cor Hendriksen" in key


def test_every_quote_is_an_exact_slice_of_its_document(cycled: dict) -> None:
    with Workspace(cycled["root"]) as workspace:
        texts = {d.id: d.text for d in workspace.store.documents()}
    data = cycled["result"].data
    quotes = [q for t in data["themes"] for q in t["quotes"]]
    quotes += [q for d in data["domains"] for q in d["quotes"]]
    quotes += [q for link in data["programme"]["links"] for q in link["evidence"]]
    assert quotes
    for q in quotes:
        assert texts[q["document_id"]][q["start"] : q["end"]] == q["text"]


def test_facilitator_turns_are_context_not_themes(cycled: dict) -> None:
    data = cycled["result"].data
    for theme in data["themes"]:
        assert all(q["role"] != "facilitator" for q in theme["quotes"])


def test_reingest_is_idempotent(cycled: dict) -> None:
    with Workspace(cycled["root"]) as workspace:
        before = workspace.store.counts()
        again = ingest(workspace, [cycled["corpus"]])
        assert again.new == [] and len(again.known) == 3
        assert workspace.store.counts() == before


def test_bad_files_are_reported_and_the_rest_is_processed(tmp_path: Path, cycled: dict) -> None:
    folder = tmp_path / "invoer"
    folder.mkdir()
    (folder / "kapot.docx").write_bytes(b"geen word-bestand")
    (folder / "goed.md").write_text(
        "Anouk: Hoe gaat het met de buurtkamer?\nCor: Die is nu ook op woensdag open, fijn.\n", encoding="utf-8"
    )
    root = tmp_path / "ws"
    Workspace.init(root)
    with Workspace(root) as workspace:
        result = run_cycle(workspace, [folder])
        assert len(result.errors) == 1 and "kapot.docx" in result.errors[0]
        assert workspace.store.counts()["documents"] == 1


def test_interrupted_stage_leaves_the_store_usable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_corpus: Path) -> None:
    import lerendewijk.cycle as cycle_module

    root = tmp_path / "ws"
    Workspace.init(root)

    def boom(*args: object, **kwargs: object) -> list:
        raise KeyboardInterrupt

    with Workspace(root) as workspace:
        monkeypatch.setattr(cycle_module, "segment_document", boom)
        with pytest.raises(KeyboardInterrupt):
            ingest(workspace, [mini_corpus / "verhalentafel-zuid.md"])
        # the document insert was rolled back together with its fragments
        assert workspace.store.counts()["documents"] == 0
        monkeypatch.undo()
        result = ingest(workspace, [mini_corpus / "verhalentafel-zuid.md"])
        assert len(result.new) == 1 and workspace.store.counts()["fragments"] > 0


def test_second_process_fails_clearly(cycled: dict) -> None:
    from lerendewijk.errors import WorkspaceError

    first = Workspace(cycled["root"])
    first.lock()
    try:
        second = Workspace(cycled["root"])
        with pytest.raises(WorkspaceError, match="in gebruik"):
            second.lock(wait_seconds=0.3)
    finally:
        first.close()
