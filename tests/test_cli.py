"""The command line as a user types it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lerendewijk.cli import main

from .conftest import MINI, PLANTED


def test_cycle_from_the_command_line(tmp_path: Path, mini_corpus: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "cycle",
            str(mini_corpus),
            "--workspace",
            str(tmp_path / "ws"),
            "--programma",
            str(mini_corpus / "programma.yaml"),
            "--ronde",
            "najaar",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "ronde-najaar" in result.output
    report = tmp_path / "ws" / "rapporten" / "ronde-najaar" / "index.html"
    assert report.exists() and str(report) in result.output
    status = runner.invoke(main, ["status", "--workspace", str(tmp_path / "ws")])
    assert "ronde-najaar: 3 gesprek(ken)" in status.output


def test_pseudonymise_one_file(tmp_path: Path) -> None:
    out = tmp_path / "uit.md"
    result = CliRunner().invoke(main, ["pseudonymise", str(MINI / "verhalentafel-zuid.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Bewoner 1:" in text
    for planted in PLANTED:
        assert planted not in text


def test_pseudonymise_refuses_to_overwrite_the_original(tmp_path: Path) -> None:
    source = tmp_path / "t.md"
    source.write_text("Jan: Ik woon op de Dorpsstraat 3.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudonymise", str(source), "-o", str(source)])
    assert result.exit_code == 2 and "origineel" in result.output
    assert source.read_text(encoding="utf-8") == "Jan: Ik woon op de Dorpsstraat 3.\n"


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lerendewijk.cli", "status", "--workspace", str(tmp_path / "nergens")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("fout: ") and "Traceback" not in result.stderr
    assert "lerendewijk init" in result.stderr
