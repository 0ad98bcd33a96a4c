"""Shared fixtures: a small fictional corpus and one workspace that has run the whole cycle."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

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


# the brief's flags for the Debian headless Chromium, shared by the report and the web app tests
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_options(window_size: str) -> tuple[Any, str]:
    """Selenium options for headless Chromium and the chromedriver path; a loud failure when missing."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("headless Chromium is needed for the browser tests: apt-get install chromium chromium-driver (make test does this)")
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--window-size={window_size}"]:
        options.add_argument(flag)
    return options, driver_path


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
