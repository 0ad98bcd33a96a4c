"""The right to be forgotten: a resident's words leave the store, the key and every report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.workspace import Workspace


def test_forget_removes_a_speaker_everywhere_and_keeps_other_quotes_exact(tmp_path: Path, mini_corpus: Path) -> None:
    root = tmp_path / "wijk"
    runner = CliRunner()
    result = runner.invoke(
        main, ["cycle", str(mini_corpus), "--workspace", str(root), "--programma", str(mini_corpus / "programma.yaml"), "--stil"]
    )
    assert result.exit_code == 0, result.output
    with Workspace(root) as workspace:
        fragments = workspace.store.fragments()
        residents = sorted({f.speaker for f in fragments if f.role == "bewoner"})
        target = residents[0]
        said = [f.text for f in fragments if f.speaker == target and len(f.text) >= 25]
        assert said and target in workspace.key.pseudonyms()

    result = runner.invoke(main, ["forget", "--workspace", str(root), target])
    assert result.exit_code == 0, result.output
    assert "vergeten" in result.output

    with Workspace(root) as workspace:
        store = workspace.store
        assert all(f.speaker != target for f in store.fragments())
        assert target not in workspace.key.pseudonyms()
        texts = {d.id: d.text for d in store.documents()}
        data = json.loads((workspace.reports_dir / "ronde-1" / "data.json").read_text(encoding="utf-8"))
        quotes = [q for t in data["themes"] for q in t["quotes"]]
        assert quotes and all(texts[q["document_id"]][q["start"] : q["end"]] == q["text"] for q in quotes)
        assert all(q["speaker"] != target for q in quotes)
    # nothing they said survives in any file of the workspace, the database included
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for text in said:
                assert text.encode("utf-8") not in content, (path.name, text)


def test_forget_refuses_what_is_not_a_known_pseudonym(cycled: dict) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["forget", "--workspace", str(cycled["root"]), "Anouk Visser"])
    assert result.exit_code == 2 and "geen pseudoniem" in result.output
    result = runner.invoke(main, ["forget", "--workspace", str(cycled["root"]), "Bewoner 999"])
    assert result.exit_code == 2 and "komt in deze werkruimte niet voor" in result.output
