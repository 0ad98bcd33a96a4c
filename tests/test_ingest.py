"""Each reader on real files in its format, and clear errors for malformed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from lerendewijk.errors import IngestError
from lerendewijk.ingest import read_transcript

from .conftest import MINI


def test_markdown_front_matter_timestamps_and_roles() -> None:
    doc = read_transcript(MINI / "verhalentafel-zuid.md")
    assert doc.format == "markdown"
    assert doc.meta["type"] == "verhalentafel"
    assert doc.meta["datum"] == "2026-10-08"
    assert doc.meta["ronde"] == "1"
    assert len(doc.turns) == 25
    first, second = doc.turns[0], doc.turns[1]
    assert (first.speaker, first.role, first.timestamp) == ("Anouk Visser", "facilitator", "00:00:05")
    # a turn continues over the next line that has no speaker label
    assert second.text.endswith("de trap niet af.")
    assert "Lindenlaan 17" in second.text
    roles = {t.speaker: t.role for t in doc.turns}
    assert roles["Els Bakker"] == "professional"
    assert roles["Cor Hendriksen"] == "bewoner"


def test_plain_text_without_front_matter_guesses_the_facilitator(tmp_path: Path) -> None:
    path = tmp_path / "gesprek.txt"
    path.write_text(
        "Interviewer: Hoe lang woont u hier al?\nJan: Dertig jaar.\nInterviewer: En bevalt het?\n"
        "Jan: Ja, maar de bus rijdt niet meer.\nInterviewer: Wat merkt u daarvan?\n"
        "Jan: Ik kom minder bij mijn zus. Nou ja: zo gaat het.\n",
        encoding="utf-8",
    )
    doc = read_transcript(path)
    assert [t.speaker for t in doc.turns] == ["Interviewer", "Jan"] * 3
    # "Nou ja:" inside a turn is talk, not a new speaker
    assert doc.turns[-1].text.endswith("Nou ja: zo gaat het.")
    assert {t.speaker: t.role for t in doc.turns} == {"Interviewer": "facilitator", "Jan": "bewoner"}


def test_walk_stops_with_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "wijkwandeling.md"
    path.write_text(
        "---\ntype: wijkwandeling\n---\n## Stop 1: Marktplein (52.1001, 5.1001)\nAnouk: Wat zien we hier?\n"
        "Cor: Het bankje is weg.\n\n## Stop 2: Schoolpad\nCor: Hier is het donker.\n",
        encoding="utf-8",
    )
    doc = read_transcript(path)
    assert [(t.stop, t.lat, t.lon) for t in doc.turns] == [
        ("Stop 1: Marktplein", 52.1001, 5.1001),
        ("Stop 1: Marktplein", 52.1001, 5.1001),
        ("Stop 2: Schoolpad", None, None),
    ]


def test_vtt_merges_cues_of_one_speaker_and_reads_sidecar() -> None:
    doc = read_transcript(MINI / "verhalentafel-west.vtt")
    speakers = [t.speaker for t in doc.turns]
    assert speakers == ["Anouk Visser", "Greet Mulders", "Anouk Visser", "Greet Mulders", "Pieter de Jong", "Greet Mulders", "Anouk Visser"]
    assert doc.turns[1].text.startswith("Ik wel.") and doc.turns[1].text.endswith("van een folder.")
    assert doc.turns[1].timestamp == "00:00:04"
    assert doc.meta["datum"] == "2026-10-15"
    assert doc.turns[0].role == "facilitator"


def test_srt_with_name_prefixes(tmp_path: Path) -> None:
    path = tmp_path / "tafel.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nHenk: De lift is kapot.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nHenk: Al drie dagen.\n\n"
        "3\n00:00:05,500 --> 00:00:07,000\nMarieke: Wat betekent dat voor u?\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\nIk zit dan binnen.\n",
        encoding="utf-8",
    )
    doc = read_transcript(path)
    assert [(t.speaker, t.text) for t in doc.turns] == [
        ("Henk", "De lift is kapot. Al drie dagen."),
        ("Marieke", "Wat betekent dat voor u? Ik zit dan binnen."),
    ]


def test_csv_with_semicolons_stops_and_coordinates() -> None:
    doc = read_transcript(MINI / "wandeling-noord.csv")
    assert doc.meta["type"] == "wijkwandeling"
    assert doc.turns[0].stop == "Stop 1: Marktplein" and doc.turns[0].lat == pytest.approx(52.1001)
    assert len({t.stop for t in doc.turns}) == 3


def test_docx_paragraphs_and_front_matter(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in ["---", "type: verhalentafel", "ronde: 2", "sprekers:", "  Marieke: facilitator", "  Ahmet: bewoner", "---"]:
        document.add_paragraph(line)
    document.add_heading("Verhalentafel in de moskee", level=1)
    document.add_paragraph("Marieke: Welkom. Wat is voor u belangrijk?")
    document.add_paragraph("Ahmet: Dat mensen naar elkaar omkijken.")
    document.add_paragraph("Dat leerde ik van mijn vader.")
    path = tmp_path / "moskee.docx"
    document.save(str(path))
    doc = read_transcript(path)
    assert doc.format == "docx"
    assert doc.meta["ronde"] == "2"
    assert [(t.speaker, t.role) for t in doc.turns] == [("Marieke", "facilitator"), ("Ahmet", "bewoner")]
    assert doc.turns[1].text == "Dat mensen naar elkaar omkijken.\nDat leerde ik van mijn vader."


def test_xlsx_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tijd", "Spreker", "Rol", "Tekst"])
    sheet.append(["00:00:01", "Riet", "gespreksleider", "Hoe gaat het met de moestuin?"])
    sheet.append(["00:00:05", "Kees", "bewoner", "Goed, ik ben er elke ochtend."])
    path = tmp_path / "tuin.xlsx"
    workbook.save(path)
    doc = read_transcript(path)
    assert [(t.speaker, t.role, t.timestamp) for t in doc.turns] == [
        ("Riet", "facilitator", "00:00:01"),
        ("Kees", "bewoner", "00:00:05"),
    ]


def test_wrong_encoding_is_detected_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes(
        "Truus: Vroeger was het hier één grote familie, zeker weten.\nHenk: Dat is waar, ook met de Turkse buren. Café's, feesten, alles.\n".encode(
            "cp1252"
        )
    )
    doc = read_transcript(path)
    assert "één grote familie" in doc.turns[0].text
    assert "Café's" in doc.turns[1].text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", b"   \n", "leeg"),
        ("plaatje.png", b"\x89PNG....", "onbekend bestandsformaat"),
        ("kapot.docx", b"dit is geen zip", "beschadigd"),
        ("versleuteld.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "wachtwoord"),
        ("binair.txt", bytes(range(256)) * 8, "binair"),
        ("kapot.xlsx", b"PK\x03\x04 half", "beschadigd"),
        ("zonder-kop.vtt", b"00:00:01.000 --> 00:00:02.000\nHallo\n", "WEBVTT"),
        ("kolommen.csv", b"wie,zin\nJan,Hallo daar\n", "spreker en tekst"),
        ("kop.md", b"---\ntype: [verhalentafel\n---\nJan: hoi\n", "YAML"),
        ("open-kop.md", b"---\ntype: verhalentafel\nJan: hoi\n", "niet afgesloten"),
        ("soort.md", b"---\ntype: feestje\n---\nJan: hoi\n", "onbekend type"),
    ],
)
def test_malformed_files_get_one_clear_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        read_transcript(path)
    text = str(info.value)
    assert name in text and message in text
    assert "\n" not in text
    assert path.read_bytes() == content  # the original is untouched


def test_zip_bomb_disguised_as_docx_is_refused_unopened(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(IngestError, match="zip-bom"):
        read_transcript(path)


def test_utf16_and_oversized_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Truus: Eén keer per week komt de wijkbus.\nHenk: Dat is te weinig.\n".encode("utf-16"))
    assert read_transcript(path).turns[0].text.startswith("Eén keer")
    import lerendewijk.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 16)
    with pytest.raises(IngestError, match="te groot"):
        read_transcript(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="bestaat niet"):
        read_transcript(tmp_path / "weg.md")
