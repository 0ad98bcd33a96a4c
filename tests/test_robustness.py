"""Crashes, concurrency and logs: a killed or doubled run never leaves a workspace that needs repair."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.keyfile import read_key_file
from lerendewijk.workspace import Workspace

TRANSCRIPTS = 3  # transcripts in tests/data/mini


def _command(root: Path, corpus: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "lerendewijk.cli",
        "cycle",
        str(corpus),
        "--workspace",
        str(root),
        "--programma",
        str(corpus / "programma.yaml"),
    ]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _assert_complete(root: Path, fragments: int) -> None:
    """One round, every transcript once, every fragment once, a report, a readable key, a sound database."""
    conn = sqlite3.connect(root / "lerendewijk.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == TRANSCRIPTS
        assert conn.execute("SELECT COUNT(*) FROM fragments").fetchone()[0] == fragments
        duplicates = conn.execute(
            "SELECT COUNT(*) FROM (SELECT document_id, start FROM fragments GROUP BY document_id, start HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0
        rounds = conn.execute("SELECT id, status, manifest_json != '{}' FROM rounds").fetchall()
        assert rounds == [("ronde-1", "klaar", 1)], rounds
    finally:
        conn.close()
    assert (root / "rapporten" / "ronde-1" / "index.html").exists()
    assert read_key_file(root / "sleutel" / "pseudoniemen.json")["persons"]


def _kill_at(root: Path, corpus: Path, marker: str) -> None:
    process = subprocess.Popen(_command(root, corpus), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_environment())
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL, f"never reached {marker!r}: " + "".join(seen)


def test_killed_runs_are_completed_by_the_next(cycled: dict, tmp_path: Path) -> None:
    """SIGKILL (no cleanup at all) while ingesting, then after embedding, then after linking; the next run completes."""
    root = tmp_path / "ws"
    Workspace.init(root, wijk="Testwijk")
    for marker in ("beurten", "embed klaar", "connect klaar"):
        _kill_at(root, cycled["corpus"], marker)
        conn = sqlite3.connect(root / "lerendewijk.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    result = CliRunner().invoke(
        main, ["cycle", str(cycled["corpus"]), "--workspace", str(root), "--programma", str(cycled["corpus"] / "programma.yaml")]
    )
    assert result.exit_code == 0, result.output
    _assert_complete(root, cycled["result"].data["counts"]["fragments"])


def test_two_cycles_at_once_one_waits_or_fails_clearly(cycled: dict, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.init(root, wijk="Testwijk")
    runs = [
        subprocess.Popen(_command(root, cycled["corpus"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment())
        for _ in range(2)
    ]
    outcomes = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "") for run in runs]
    codes = sorted(code for code, _ in outcomes)
    assert codes in ([0, 0], [0, 2]), outcomes
    for code, stderr in outcomes:
        if code == 2:
            assert "in gebruik door een ander proces" in stderr and "Traceback" not in stderr
    _assert_complete(root, cycled["result"].data["counts"]["fragments"])


def test_every_run_writes_a_log(cycled: dict) -> None:
    log = (cycled["root"] / "logboek" / "lerendewijk.log").read_text(encoding="utf-8")
    for stage in ("ingest", "embed", "themes", "connect", "report"):
        assert f"{stage} klaar in" in log
    assert "ronde-1 klaar:" in log


def test_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    cycled: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(cycled["root"], root)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("thema's konden niet worden gevormd")

    monkeypatch.setattr("lerendewijk.cycle.find_themes", broken)
    started = time.time()
    result = CliRunner().invoke(main, ["cycle", "--workspace", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("fout:")]
    assert len(lines) == 1 and "RuntimeError" in lines[0] and "logboek/lerendewijk.log" in lines[0]
    assert "Traceback" not in result.output
    log = (root / "logboek" / "lerendewijk.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: thema's konden niet worden gevormd" in log
    # the workspace is unchanged and unlocked: the round that was there is still complete
    with Workspace(root) as workspace:
        assert workspace.store.get_round("ronde-1")["manifest"]
    assert time.time() - started < 120
    # with --debug the whole traceback reaches the screen
    debug = CliRunner().invoke(main, ["--debug", "cycle", "--workspace", str(root)])
    assert isinstance(debug.exception, RuntimeError)
