"""Reading loose records (JSONL or CSV) for the batch commands, with clear errors per line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import LerendeWijkError


class RecordError(LerendeWijkError):
    pass


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(f"{path}: geen UTF-8 (byte {exc.start}); sla het bestand op als UTF-8") from exc


def read_records(path: str | Path, require: Sequence[str] = ("id", "text")) -> list[dict[str, Any]]:
    """Records from ``.jsonl`` (one JSON object a line) or ``.csv`` (header row)."""
    path = Path(path)
    if not path.exists():
        raise RecordError(f"{path}: bestand bestaat niet")
    text = _decode(path)
    records = list(_csv(text, path) if path.suffix.lower() in (".csv", ".tsv") else _jsonl(text, path))
    seen: set[str] = set()
    for n, record in records:
        missing = [k for k in require if k not in record or record[k] in (None, "")]
        if missing:
            raise RecordError(f"{path}:{n}: veld(en) {', '.join(missing)} ontbreken")
        if "text" in require and not str(record["text"]).strip():
            raise RecordError(f"{path}:{n}: lege tekst")
        if "id" in record:
            record["id"] = str(record["id"])
            if record["id"] in seen:
                raise RecordError(f"{path}:{n}: id '{record['id']}' komt twee keer voor")
            seen.add(record["id"])
    if not records:
        raise RecordError(f"{path}: geen regels gevonden")
    return [r for _, r in records]


def _jsonl(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{path}:{n}: geen geldige JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise RecordError(f'{path}:{n}: verwacht een object {{"id": …, "text": …}}')
        yield n, record


def _csv(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    for n, row in enumerate(reader, start=2):
        yield n, {str(k).strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}


def write_jsonl(path: str | Path | None, records: Sequence[dict[str, Any]]) -> str:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path is not None:
        from .privacy import write_atomic

        write_atomic(Path(path), text.encode("utf-8"))
    return text
