"""The facilitator's steering: rename, merge, split and seed, respected in later runs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from lerendewijk.cli import main
from lerendewijk.embed import Embedder
from lerendewijk.steering import Steering, SteeringRules
from lerendewijk.themes import find_themes

from .test_themes import table_fragments


def _setup():
    _, fragments = table_fragments()
    vectors = Embedder().encode([f.text for f in fragments])
    return fragments, vectors, find_themes(fragments, vectors, {}, {1: "tafel"})


def test_rename_merge_split_seed() -> None:
    fragments, vectors, themes = _setup()
    a, b, c = themes[0], themes[1], themes[2]
    rules = SteeringRules(
        [
            Steering("hernoem", {"anchor": c["centroid"], "label": "Mijn eigen naam"}),
            Steering("voeg_samen", {"anchors": [a["centroid"], b["centroid"]]}),
        ]
    )
    steered = find_themes(fragments, vectors, {}, {1: "tafel"}, steering=rules)
    assert len(steered) == len(themes) - 1
    assert any(t["label"] == "Mijn eigen naam" and t.get("named_by") == "gespreksleider" for t in steered)
    biggest = max(t["size"] for t in steered)
    # short remarks join a theme by closeness to its centroid, and a merged centroid is farther from some
    assert biggest >= 0.85 * (a["size"] + b["size"])

    split = find_themes(fragments, vectors, {}, {1: "tafel"}, steering=SteeringRules([Steering("splits", {"anchor": a["centroid"]})]))
    assert len(split) == len(themes) + 1

    lift = next(f for f in fragments if "lift" in f.text.lower())
    seed_vector = Embedder().encode([lift.text])[0]
    seeded = find_themes(
        fragments,
        vectors,
        {},
        {1: "tafel"},
        steering=SteeringRules([Steering("zaai", {"label": "De lift", "vector": seed_vector.tolist()})]),
    )
    lift_theme = next(t for t in seeded if t["label"] == "De lift")
    assert lift.id in {m[0] for m in lift_theme["members"]}


def test_steering_from_the_command_line(tmp_path: Path, mini_corpus: Path) -> None:
    runner = CliRunner()
    ws = str(tmp_path / "ws")
    assert runner.invoke(main, ["cycle", str(mini_corpus), "-w", ws, "--stil"]).exit_code == 0
    listed = runner.invoke(main, ["thema", "lijst", "-w", ws])
    assert "1." in listed.output
    result = runner.invoke(main, ["thema", "hernoem", "-w", ws, "1", "Wat bewoners zelf doen"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["thema", "zaai", "-w", ws, "Vervoer", "de bus rijdt niet, boodschappen doen zonder auto"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["cycle", "-w", ws, "--stil"])  # no files: the latest round again
    assert again.exit_code == 0, again.output
    listed = runner.invoke(main, ["thema", "lijst", "-w", ws])
    assert "Wat bewoners zelf doen" in listed.output
    assert "[1] hernoem" in listed.output and "[2] zaai" in listed.output
    assert runner.invoke(main, ["thema", "verwijder", "-w", ws, "2"]).exit_code == 0
    shown = runner.invoke(main, ["themes", "-w", ws, "--format", "json"])
    assert shown.exit_code == 0 and "Wat bewoners zelf doen" in shown.output
    deep = runner.invoke(main, ["deepen", "-w", ws, "--opnieuw"])
    assert deep.exit_code == 0 and "aspect:" in deep.output
    assert runner.invoke(main, ["thema", "hernoem", "-w", ws, "99", "x"]).exit_code == 2
