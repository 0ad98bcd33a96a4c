"""Signals for the facilitator: the shipped detector flags clear needs and leaves ordinary talk alone."""

from __future__ import annotations

import json

from lerendewijk.embed import Embedder
from lerendewijk.segment import lemmatise
from lerendewijk.signals import MODEL_DIR, SignalDetector, candidate_kinds, split_of


def test_split_halves_are_fixed() -> None:
    assert split_of("sg-0001") == split_of("sg-0001")
    assert {split_of(f"sg-{i:04d}") for i in range(1, 50)} == {"dev", "test"}


def test_patterns_name_the_kind() -> None:
    assert candidate_kinds("Ze dreigen het gas af te sluiten, de deurwaarder was er al.")[0] == "schulden"
    assert "val" in candidate_kinds("Ik ben gisteren gevallen en kon niet meer opstaan.")
    assert candidate_kinds("Ik ga op dinsdag naar de markt.") == []


def test_shipped_detector_flags_clear_signals_only() -> None:
    detector = SignalDetector.load()
    assert detector is not None, f"no signal model in {MODEL_DIR}"
    texts = [
        "Ik ben vannacht gevallen in de badkamer en lag er twee uur voordat iemand kwam.",
        "De buurman op nummer 12 heb ik al een week niet gezien, de post stapelt zich op.",
        "Wat een mooie moestuin hebben jullie hier, zeg.",
        "Zullen we nog een kopje koffie nemen?",
    ]
    vectors = Embedder().encode(texts)
    found = detector.detect(list(range(4)), texts, vectors, lemmatise(texts))
    flagged = {s.fragment_id: s.kind for s in found}
    assert flagged.get(0) == "val"
    assert 2 not in flagged and 3 not in flagged
    meta = json.loads((MODEL_DIR / "model.json").read_text())
    assert meta["metrics"]["precision"] > 0.6
