"""Segmentation: every fragment is the exact slice of its document at its offsets."""

from __future__ import annotations

from lerendewijk.ingest import read_transcript
from lerendewijk.privacy import Pseudonymiser, PseudonymKey
from lerendewijk.segment import SegmentConfig, segment_document

from .conftest import MINI


def _documents():
    p = Pseudonymiser(PseudonymKey())
    for name in ("verhalentafel-zuid.md", "verhalentafel-west.vtt", "wandeling-noord.csv"):
        document = p.pseudonymise_document(read_transcript(MINI / name))
        document.id = 1
        yield document


def test_offsets_point_into_the_document() -> None:
    for document in _documents():
        fragments = segment_document(document)
        assert fragments
        for fragment in fragments:
            assert document.text[fragment.start : fragment.end] == fragment.text
            turn = document.turns[fragment.turn_index]
            assert turn.start <= fragment.start < fragment.end <= turn.end
            assert fragment.speaker == turn.speaker and fragment.role == turn.role


def test_short_sentences_are_joined_long_ones_split() -> None:
    document = next(_documents())
    fragments = segment_document(document, SegmentConfig(min_tokens=8, max_tokens=60))
    turn_two = [f for f in fragments if f.turn_index == 1]
    assert len(turn_two) >= 2  # a long turn becomes several fragments
    assert all(len(f.text.split()) >= 3 for f in fragments if len(document.turns[f.turn_index].text.split()) >= 8)


def test_lemmas_are_dutch() -> None:
    fragments = segment_document(next(_documents()))
    lemmas = {lemma for f in fragments for lemma in f.lemmas}
    assert {"komen", "zitten", "tegel", "vallen"} <= lemmas  # kom, zit, tegels, gevallen
