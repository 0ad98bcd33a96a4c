"""Phase 1 themes: small-corpus behaviour, determinism across processes, order stability, quotes."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lerendewijk.embed import Embedder
from lerendewijk.ingest import read_transcript
from lerendewijk.privacy import Pseudonymiser, PseudonymKey
from lerendewijk.segment import segment_document
from lerendewijk.themes import ThemeConfig, find_themes

ROOT = Path(__file__).parent.parent
TABLE = ROOT / "corpora" / "voorbeeld" / "ronde-1" / "verhalentafel-1-buurtkamer.md"


def table_fragments(limit: int | None = None):
    document = Pseudonymiser(PseudonymKey(), use_deduce=False).pseudonymise_document(read_transcript(TABLE))
    document.id = 1
    fragments = segment_document(document)
    for n, fragment in enumerate(fragments, start=1):
        fragment.id = n
    residents = [f for f in fragments if f.role != "facilitator" and len(f.text.split()) >= 4]
    chosen = residents[:limit] if limit else residents
    return document, chosen


@pytest.fixture(scope="module")
def table():
    document, fragments = table_fragments()
    vectors = Embedder().encode([f.text for f in fragments])
    return document, fragments, vectors


def test_a_small_table_gives_a_handful_of_themes(table) -> None:
    document, fragments, vectors = table
    small = fragments[:60]
    themes = find_themes(small, vectors[:60], {}, {1: "tafel"}, ThemeConfig(engine="intern"))
    assert 3 <= len(themes) <= 8
    assert themes[0]["unassigned_share"] < 0.15
    assert sum(t["size"] for t in themes) >= 0.85 * 60


def test_theme_fields_and_quote_fidelity(table) -> None:
    document, fragments, vectors = table
    themes = find_themes(fragments, vectors, {}, {1: "tafel"})
    assert themes
    for theme in themes:
        assert theme["key"].startswith("t") and theme["label"] and theme["keywords"]
        assert theme["speakers"] == len({f.speaker for f in fragments if f.id in {m[0] for m in theme["members"]}})
        assert 1 <= len(theme["quotes"]) <= 4
        speakers = [q["speaker"] for q in theme["quotes"]]
        assert len(set(speakers)) == min(len(speakers), theme["speakers"])  # one quote per speaker first
        for q in theme["quotes"]:
            assert document.text[q["start"] : q["end"]] == q["text"]
        # the label is extractive: every word in it is one of the theme's keywords
        assert all(word in theme["keywords"] for word in theme["label"].split(" · "))


def _assignment(themes) -> dict[int, str]:
    return {m[0]: t["key"] for t in themes for m in t["members"]}


def test_order_of_the_input_does_not_change_themes(table) -> None:
    document, fragments, vectors = table
    first = find_themes(fragments, vectors, {}, {1: "tafel"})
    order = list(range(len(fragments)))
    random.Random(3).shuffle(order)
    # a different order of ingest gives other ids as well: renumber them
    shuffled = [replace(fragments[i], id=1000 + n) for n, i in enumerate(order)]
    back = {1000 + n: fragments[i].id for n, i in enumerate(order)}
    second = find_themes(shuffled, vectors[order], {}, {1: "tafel"})
    a = _assignment(first)
    b = {back[fid]: key for fid, key in _assignment(second).items()}
    changed = sum(1 for fid in a if a[fid] != b.get(fid))
    assert changed / len(a) <= 0.05
    assert sorted(t["label"] for t in first) == sorted(t["label"] for t in second)


SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_themes import table_fragments
from lerendewijk.embed import Embedder
from lerendewijk.themes import find_themes
document, fragments = table_fragments()
vectors = Embedder().encode([f.text for f in fragments])
themes = find_themes(fragments, vectors, {{}}, {{1: "tafel"}})
print(json.dumps([[t["key"], t["label"], [m[0] for m in t["members"]]] for t in themes]))
"""


def test_same_input_same_themes_in_separate_processes(table) -> None:
    document, fragments, vectors = table
    here = [[t["key"], t["label"], [m[0] for m in t["members"]]] for t in find_themes(fragments, vectors, {}, {1: "tafel"})]
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(tests=str(Path(__file__).parent))], capture_output=True, text=True, check=True
    )
    there = json.loads(out.stdout.strip().splitlines()[-1])
    assert here == there


def test_bertopic_and_internal_keywords_describe_the_same_clusters(table) -> None:
    document, fragments, vectors = table
    with_bertopic = find_themes(fragments, vectors, {}, {1: "tafel"}, ThemeConfig(engine="bertopic"))
    internal = find_themes(fragments, vectors, {}, {1: "tafel"}, ThemeConfig(engine="intern"))
    assert _assignment(with_bertopic) == _assignment(internal)
    lift = next(t for t in with_bertopic if any("lift" in q["text"].lower() for q in t["quotes"][:2]))
    assert any(k.startswith("lift") for k in lift["keywords"][:3])
    assert np.isfinite([t["size"] for t in internal]).all()
