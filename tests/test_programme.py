"""Programme files: valid ones load, invalid ones get every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerendewijk.errors import ProgrammeError
from lerendewijk.programme import parse_programme

from .conftest import MINI

ROOT = Path(__file__).parent.parent


def test_example_programmes_load() -> None:
    header, items = parse_programme(MINI / "programma.yaml")
    assert header["naam"].startswith("Testprogramma")
    assert [i.id for i in items] == ["liften", "stoepen", "mantelzorg", "sensoren"]
    assert items[1].domains == ["materiele_situatie", "lichaam_en_geest"]  # display names accepted
    _, example = parse_programme(ROOT / "corpora" / "voorbeeld" / "programma.yaml")
    assert 12 <= len(example) <= 20


def test_problems_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "items:\n"
        "  - {id: a, titel: A, beschrijving: iets}\n"
        "  - {id: a, titel: B, beschrijving: nog iets}\n"
        "  - {id: c, beschrijving: zonder titel}\n"
        "  - {id: d, titel: D, beschrijving: x, levensdomeinen: [geluk]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProgrammeError) as info:
        parse_programme(path)
    message = str(info.value)
    assert "id 'a' komt twee keer voor" in message
    assert "'titel' ontbreekt" in message
    assert "onbekend levensdomein 'geluk'" in message


def test_csv_programme(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id;titel;beschrijving;levensdomeinen\nbus;Wijkbus;Vervoer voor ouderen;materiële situatie\n", encoding="utf-8")
    _, items = parse_programme(path)
    assert items[0].domains == ["materiele_situatie"]


def test_yaml_cannot_execute_code(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("items: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(ProgrammeError, match="ongeldige YAML"):
        parse_programme(path)
