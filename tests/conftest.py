"""Shared fixtures: a small fictional corpus and one workspace that has run the whole cycle."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"

# Every identifier planted in the mini corpus; none may appear in anything the toolkit writes.
PLANTED = [
    "Anouk",
    "Visser",
    "Cor Hendriksen",
    "Hendriksen",
    "Mirjam",
    "Tuinstra",
    "Yusuf",
    "Demir",
    "Els Bakker",
    "Greet",
    "Mulders",
    "Pieter",
    "Lindenlaan 17",
    "Beukenstraat 4",
    "Eikenlaan 8",
    "06-23456781",
    "0543-123456",
    "yusuf.demir@voorbeeldmail.nl",
    "111222333",
]


def file_hashes(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def mini_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini corpus, so tests can check that originals are never modified."""
    target = tmp_path_factory.mktemp("corpus") / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def cycled(tmp_path_factory: pytest.TempPathFactory, mini_corpus: Path) -> dict:
    """A workspace after one full cycle over the mini corpus (run once per test session)."""
    from lerendewijk.cycle import run_cycle
    from lerendewijk.workspace import Workspace

    before = file_hashes(mini_corpus)
    root = tmp_path_factory.mktemp("ws") / "testwijk"
    Workspace.init(root, wijk="Testwijk")
    with Workspace(root) as workspace:
        result = run_cycle(workspace, [mini_corpus], programme=mini_corpus / "programma.yaml")
    # pytest walks all garbage around every test (its unraisable-exception check); with the models
    # loaded each walk takes seconds, so what is alive now (models, caches) is kept out of them
    import gc

    gc.freeze()
    return {"root": root, "result": result, "corpus": mini_corpus, "hashes_before": before}
