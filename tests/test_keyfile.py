"""The pseudonym key can be sealed with a passphrase; reports still work without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.errors import WorkspaceError
from lerendewijk.keyfile import read_key_file, write_key_file

from .conftest import PLANTED


def test_encrypted_key_round_trips_and_hides_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LERENDEWIJK_SLEUTEL", raising=False)
    path = tmp_path / "pseudoniemen.json"
    data = {"persons": {"anouk visser": {"pseudonym": "Bewoner 1", "names": ["Anouk Visser"]}}}
    write_key_file(path, data, secret="lange zin met spaties")
    assert b"Anouk" not in path.read_bytes() and b"Bewoner 1" not in path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(WorkspaceError, match="versleuteld"):
        read_key_file(path)
    with pytest.raises(WorkspaceError, match="klopt niet"):
        read_key_file(path, secret="verkeerd")
    assert read_key_file(path, secret="lange zin met spaties") == data
    monkeypatch.setenv("LERENDEWIJK_SLEUTEL", "lange zin met spaties")
    assert read_key_file(path) == data


def test_reports_work_without_the_passphrase_but_new_transcripts_need_it(
    cycled: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LERENDEWIJK_SLEUTEL", raising=False)
    root = tmp_path / "wijk"
    shutil.copytree(cycled["root"], root)
    runner = CliRunner()
    result = runner.invoke(main, ["--sleutel", "geheim wachtwoord", "versleutel-sleutel", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("LERENDEWIJK_SLEUTEL", raising=False)
    key_bytes = (root / "sleutel" / "pseudoniemen.json").read_bytes()
    assert not any(name.encode() in key_bytes for name in PLANTED)

    result = runner.invoke(main, ["cycle", "--workspace", str(root), "--stil"])
    assert result.exit_code == 0, result.output  # the round is computed again from pseudonymised data

    extra = tmp_path / "nieuw.md"
    extra.write_text("Anouk Visser: Ik woon hier al jaren.\nYusuf Demir: Ik ook.\n", encoding="utf-8")
    result = runner.invoke(main, ["cycle", str(extra), "--workspace", str(root), "--stil"])
    assert result.exit_code == 2 and "versleuteld" in result.output
    result = runner.invoke(main, ["--sleutel", "geheim wachtwoord", "cycle", str(extra), "--workspace", str(root), "--stil"])
    assert result.exit_code == 0, result.output
