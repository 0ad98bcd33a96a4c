"""Phase 2: every theme gets sub-themes, splits and questions that come from its own data."""

from __future__ import annotations

import pytest

from lerendewijk.classify import load_profile, view_embedder
from lerendewijk.deepen import deepen_themes, questions_for
from lerendewijk.themes import find_themes

from .test_themes import table_fragments


@pytest.fixture(scope="module")
def deepened():
    document, fragments = table_fragments()
    embed = view_embedder()
    vectors = embed("use", [f.text for f in fragments])
    model = load_profile("snel")
    predictions = dict(zip([f.id for f in fragments], model.predict([f.text for f in fragments], embed, [f.lemmas for f in fragments])))
    themes = find_themes(fragments, vectors, predictions, {1: "tafel"})
    subjects = ["Koffieochtenden in de buurtkamer", "Onderhoud van stoepen en tegels", "Reparatie van de lift"]
    deepen_themes(themes, fragments, vectors, predictions, {1: "tafel"}, subjects=subjects, subject_vectors=embed("use", subjects))
    return document, fragments, themes


def test_splits_count_the_theme_members(deepened) -> None:
    _, _, themes = deepened
    for theme in themes:
        deep = theme["deepening"]
        assert sum(deep["aspect"].values()) <= theme["size"]
        assert sum(deep["actor"].values()) == theme["size"]
        assert sum(deep["tone"].values()) == theme["size"]
        assert set(deep["aspect"]) == {"fysiek", "sociaal", "beide"}


def test_subthemes_partition_large_themes_and_quote_exactly(deepened) -> None:
    document, _, themes = deepened
    large = [t for t in themes if t["size"] >= 12]
    assert large
    for theme in large:
        subs = theme["deepening"]["subthemes"]
        assert 2 <= len(subs) <= 3
        assert sum(s["size"] for s in subs) == theme["size"]
        for sub in subs:
            assert document.text[sub["quote"]["start"] : sub["quote"]["end"]] == sub["quote"]["text"]
            assert sub.get("spiegeling") is None or sub["spiegeling"]["onderwerp"] in {
                "Koffieochtenden in de buurtkamer",
                "Onderhoud van stoepen en tegels",
                "Reparatie van de lift",
            }


def test_questions_name_their_reason_and_vary(deepened) -> None:
    _, _, themes = deepened
    asked = [q for t in themes for q in t["deepening"]["questions"]]
    assert asked and all(q["vraag"].endswith("?") and q["grond"] for q in asked)
    for theme in themes[:6]:
        assert 2 <= len(theme["deepening"]["questions"]) <= 3
    kinds = [q["type"] for q in asked if q["type"] != "deelonderwerp"]
    assert len(set(kinds)) >= 3  # not the same question for every theme


def test_questions_follow_the_data() -> None:
    theme = {
        "keywords": ["lift", "kapot", "trap"],
        "label": "lift · kapot · trap",
        "speakers": 1,
        "size": 10,
        "domain_profile": {"materiele_situatie": 1.0, "lichaam_en_geest": 0.0},
        "deepening": {
            "aspect": {"fysiek": 10, "sociaal": 0, "beide": 0},
            "actor": {"bewoners": 0, "overheid": 0, "organisaties": 5, "professionals": 0, "gemengd": 0, "onduidelijk": 5},
            "tone": {"sterkte": 0, "probleem": 9, "wens": 0, "neutraal": 1},
            "subthemes": [],
        },
    }
    kinds = [q["type"] for q in questions_for(theme)]
    assert kinds[:3] == ["sociaal", "bewoners", "wens"]
    assert "sprekers" in kinds and "sterkte" not in kinds and "fysiek" not in kinds
