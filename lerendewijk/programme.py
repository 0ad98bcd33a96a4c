"""Programme files (YAML, CSV, XLSX): the policy side that phase 3 connects to."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .domains import DOMAIN_KEYS, DOMAINS
from .errors import ProgrammeError
from .model import ProgrammeItem

_FIELD_ALIASES = {
    "id": ("id", "code", "nummer"),
    "title": ("title", "titel", "naam"),
    "description": ("description", "beschrijving", "omschrijving"),
    "domains": ("domains", "levensdomeinen", "domeinen"),
    "owner": ("owner", "eigenaar", "trekker"),
    "status": ("status",),
    "sub_items": ("sub_items", "subitems", "onderdelen", "deelprojecten"),
}


def domain_key(name: str) -> str | None:
    """'Materiële situatie', 'materiele_situatie' and 'materiele situatie' are the same domain."""
    plain = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower().strip()
    plain = re.sub(r"[\s\-]+", "_", plain)
    if plain in DOMAIN_KEYS:
        return plain
    for key, label in DOMAINS.items():
        if plain == re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()):
            return key
    return None


def _get(entry: dict[str, Any], field: str) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in entry.items()}
    for alias in _FIELD_ALIASES[field]:
        if alias in lowered and lowered[alias] not in (None, ""):
            return lowered[alias]
    return None


def _items_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for row in rows:
        entry = dict(row)
        domains = _get(entry, "domains")
        if isinstance(domains, str):
            entry["levensdomeinen"] = [d.strip() for d in re.split(r"[;,|]", domains) if d.strip()]
        items.append(entry)
    return items


def parse_programme(path: str | Path) -> tuple[dict[str, Any], list[ProgrammeItem]]:
    """Read and validate a programme file; every problem is named with the item it concerns."""
    path = Path(path)
    if not path.exists():
        raise ProgrammeError(f"{path}: programmabestand bestaat niet")
    suffix = path.suffix.lower()
    header: dict[str, Any] = {}
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ProgrammeError(f"{path}: ongeldige YAML ({exc})") from exc
        if isinstance(data, list):
            raw_items = data
        elif isinstance(data, dict):
            raw_items = data.get("items") or data.get("onderdelen") or []
            header = {k: v for k, v in data.items() if k not in ("items", "onderdelen")}
        else:
            raise ProgrammeError(f"{path}: verwacht een lijst 'items' met programma-onderdelen")
    elif suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        try:
            dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        raw_items = _items_from_rows(list(csv.DictReader(io.StringIO(text), dialect=dialect)))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        head = [str(h or "").strip() for h in rows[0]] if rows else []
        raw_items = _items_from_rows([dict(zip(head, r)) for r in rows[1:] if any(c not in (None, "") for c in r)])
    else:
        raise ProgrammeError(f"{path}: onbekend formaat '{suffix}'; gebruik YAML, CSV of XLSX")
    if not isinstance(raw_items, list) or not raw_items:
        raise ProgrammeError(f"{path}: het programma bevat geen onderdelen")
    return header, validate_items(raw_items, str(path))


def validate_items(raw_items: list[Any], source: str) -> list[ProgrammeItem]:
    problems: list[str] = []
    items: list[ProgrammeItem] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw_items, start=1):
        if not isinstance(entry, dict):
            problems.append(f"onderdeel {n}: geen 'sleutel: waarde'-lijst")
            continue
        item_id = _get(entry, "id")
        where = f"onderdeel {n}" + (f" ('{item_id}')" if item_id else "")
        title = _get(entry, "title")
        description = _get(entry, "description")
        for field, value in (("id", item_id), ("titel", title), ("beschrijving", description)):
            if value is None or not str(value).strip():
                problems.append(f"{where}: veld '{field}' ontbreekt")
        if item_id is not None:
            item_id = str(item_id).strip()
            if item_id in seen:
                problems.append(f"{where}: id '{item_id}' komt twee keer voor")
            seen.add(item_id)
        domains: list[str] = []
        raw_domains = _get(entry, "domains") or []
        if isinstance(raw_domains, str):
            raw_domains = [raw_domains]
        for name in raw_domains:
            key = domain_key(str(name))
            if key is None:
                problems.append(f"{where}: onbekend levensdomein '{name}'; kies uit {', '.join(DOMAINS.values())}")
            elif key not in domains:
                domains.append(key)
        subs = _get(entry, "sub_items") or []
        if not isinstance(subs, list):
            problems.append(f"{where}: 'sub_items' moet een lijst zijn")
            subs = []
        if item_id and title and description:
            items.append(
                ProgrammeItem(
                    id=item_id,
                    title=str(title).strip(),
                    description=str(description).strip(),
                    domains=domains,
                    owner=str(_get(entry, "owner")).strip() if _get(entry, "owner") else None,
                    status=str(_get(entry, "status")).strip() if _get(entry, "status") else None,
                    sub_items=[s if isinstance(s, dict) else {"titel": str(s)} for s in subs],
                )
            )
    if problems:
        listed = "\n  - ".join(problems)
        raise ProgrammeError(f"{source}: het programma klopt niet:\n  - {listed}")
    return items
