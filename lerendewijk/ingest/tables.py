"""CSV and XLSX transcripts: one row per turn, columns spreker/tekst and optional tijd/stop/rol."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import RawTurn
from .meta import decode_text

COLUMNS = {
    "speaker": ("spreker", "speaker", "naam", "name", "deelnemer"),
    "text": ("tekst", "text", "uitspraak", "inhoud", "transcript"),
    "timestamp": ("tijd", "time", "timestamp", "tijdstip", "tijdcode"),
    "stop": ("stop", "locatie", "plek"),
    "role": ("rol", "role"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
}


def _column_map(header: list[str]) -> dict[str, int]:
    normalised = [str(h or "").strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, name in enumerate(normalised):
            if name in names:
                found[key] = i
                break
    missing = [COLUMNS[k][0] for k in ("speaker", "text") if k not in found]
    if missing:
        shown = ", ".join(h for h in normalised if h) or "(leeg)"
        raise ValueError(f"kolom(men) {' en '.join(missing)} ontbreken; gevonden kolommen: {shown}")
    return found


def _float(value: Any) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _rows_to_turns(rows: list[list[Any]]) -> list[RawTurn]:
    if not rows:
        raise ValueError("geen rijen gevonden")
    columns = _column_map(rows[0])
    turns: list[RawTurn] = []

    def cell(row: list[Any], key: str) -> Any:
        i = columns.get(key)
        return row[i] if i is not None and i < len(row) else None

    for row in rows[1:]:
        text = str(cell(row, "text") or "").strip()
        speaker = str(cell(row, "speaker") or "").strip() or "Onbekend"
        if not text:
            continue
        ts = cell(row, "timestamp")
        stop = cell(row, "stop")
        turn = RawTurn(
            speaker=speaker,
            text=text,
            timestamp=str(ts).strip() if ts not in (None, "") else None,
            stop=str(stop).strip() if stop not in (None, "") else None,
            lat=_float(cell(row, "lat")),
            lon=_float(cell(row, "lon")),
            role=str(cell(row, "role")).strip() if cell(row, "role") else None,
        )
        if turns and turns[-1].speaker == turn.speaker and turns[-1].stop == turn.stop:
            turns[-1].text = f"{turns[-1].text} {turn.text}"
        else:
            turns.append(turn)
    return turns


def read_csv(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    text, _ = decode_text(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ValueError(f"CSV kan niet worden gelezen: {exc}") from exc
    return {}, _rows_to_turns([r for r in rows if any(c.strip() for c in r)])


def read_xlsx(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    workbook.close()
    return {}, _rows_to_turns(rows)
