"""Progress bars: counts and time left on a terminal, nothing in a notebook, a pipe or CI."""

from __future__ import annotations

import pytest

from lerendewijk import progress


def test_bar_is_silent_unless_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    progress.enable(False)
    with progress.bar("embed", 3, "teksten") as advance:
        advance(3)
    assert capsys.readouterr().err == ""
    progress.enable(True)  # stderr is not a terminal under pytest, as in CI
    assert not progress.enabled()


def test_bar_shows_counts_and_time_left(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "_delay", 0.0)
    progress.enable(True, terminal_only=False)
    try:
        with progress.bar("embed", 4, "teksten") as advance:
            advance(2)
            advance(2)
    finally:
        progress.enable(False)
    err = capsys.readouterr().err
    # "embed:   0%|          | 0/4 [00:00<?, ? teksten/s]": count, total, elapsed<left, rate
    assert "embed" in err and "0/4" in err and "<" in err and "teksten/s" in err
