"""Metadata of a transcript: front matter, sidecar files, speaker roles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from ..model import DOCUMENT_TYPES, RawTurn

ROLE_ALIASES = {
    "facilitator": "facilitator",
    "gespreksleider": "facilitator",
    "begeleider": "facilitator",
    "moderator": "facilitator",
    "interviewer": "facilitator",
    "gespreksbegeleider": "facilitator",
    "bewoner": "bewoner",
    "bewoonster": "bewoner",
    "resident": "bewoner",
    "deelnemer": "bewoner",
    "buurtbewoner": "bewoner",
    "mantelzorger": "bewoner",
    "vrijwilliger": "bewoner",
    "professional": "professional",
    "werker": "professional",
    "beroepskracht": "professional",
    "medewerker": "professional",
    "beleidsmedewerker": "professional",
    "wijkverpleegkundige": "professional",
    "huismeester": "professional",
    "jongerenwerker": "professional",
    "opbouwwerker": "professional",
    "wijkagent": "professional",
    "huisarts": "professional",
    "ambtenaar": "professional",
}

_FACILITATOR_LABELS = re.compile(r"^(gespreksleider|facilitator|interviewer|moderator|begeleider)\b", re.I)

TYPE_ALIASES = {
    "verhalentafel": "verhalentafel",
    "verhalentafels": "verhalentafel",
    "story table": "verhalentafel",
    "wijkwandeling": "wijkwandeling",
    "wandeling": "wijkwandeling",
    "buurtwandeling": "wijkwandeling",
    "walk": "wijkwandeling",
    "interview": "interview",
    "gesprek": "interview",
    "notities": "notities",
    "notitie": "notities",
    "verslag": "notities",
}


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; wrong encodings are detected, not fatal."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Dutch files that are not UTF-8 nearly always come from Windows (cp1252 / latin-1)
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    # cp1252 decodes nearly every byte; a transcript from an old Windows machine is the usual case
    return data.decode("cp1252", errors="replace"), "cp1252"


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, number of lines the front matter took)."""
    stripped = text.lstrip("\ufeff")
    lines = stripped.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, stripped, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            try:
                meta = yaml.safe_load(block) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" (regel {mark.line + 2})" if mark is not None else ""
                raise ValueError(f"ongeldige YAML-kop{where}: {getattr(exc, 'problem', exc)}") from exc
            if not isinstance(meta, dict):
                raise ValueError("de YAML-kop is geen lijst van 'sleutel: waarde'-regels")
            return meta, "\n".join(lines[i + 1 :]), i + 1
    raise ValueError("YAML-kop begint met '---' maar wordt niet afgesloten")


def sidecar_path(path: Path) -> Path | None:
    for candidate in (
        path.with_name(path.name + ".yaml"),
        path.with_name(path.name + ".yml"),
        path.with_suffix(".yaml"),
        path.with_suffix(".yml"),
    ):
        if candidate.exists() and candidate != path:
            return candidate
    return None


def load_sidecar(path: Path) -> tuple[dict[str, Any], bytes]:
    side = sidecar_path(path)
    if side is None:
        return {}, b""
    data = side.read_bytes()
    text, _ = decode_text(data)
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"ongeldige YAML in {side.name}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(meta, dict):
        raise ValueError(f"{side.name} is geen lijst van 'sleutel: waarde'-regels")
    return meta, data


def normalise_role(value: Any) -> str | None:
    if value is None:
        return None
    key = str(value).strip().lower()
    if key in ROLE_ALIASES:
        return ROLE_ALIASES[key]
    for word, role in ROLE_ALIASES.items():
        if word in key:
            return role
    return None


def speaker_roles(meta: dict[str, Any]) -> dict[str, str]:
    """Roles from front matter: ``sprekers: {Naam: rol}`` or a list of {naam, rol}."""
    raw = meta.get("sprekers") or meta.get("speakers") or {}
    roles: dict[str, str] = {}
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = []
        for entry in raw:
            if isinstance(entry, dict):
                name = entry.get("naam") or entry.get("name")
                items.append((name, entry.get("rol") or entry.get("role")))
            elif isinstance(entry, str):
                items.append((entry, None))
    else:
        raise ValueError("'sprekers' in de kop moet een lijst of 'Naam: rol'-paren zijn")
    for name, role in items:
        if not name:
            continue
        normalised = normalise_role(role)
        if role is not None and normalised is None:
            raise ValueError(f"onbekende rol '{role}' voor spreker in de kop; gebruik facilitator, bewoner of professional")
        roles[str(name).strip()] = normalised or "bewoner"
    return roles


def assign_roles(turns: list[RawTurn], declared: dict[str, str]) -> None:
    """Fill in each turn's role: declared > label > question-asking heuristic > bewoner."""
    by_lower = {name.lower(): role for name, role in declared.items()}
    for turn in turns:
        if turn.role:
            turn.role = normalise_role(turn.role) or "bewoner"
            continue
        role = by_lower.get(turn.speaker.lower())
        if role is None:
            first = turn.speaker.split()[0].lower() if turn.speaker.split() else ""
            matches = {r for n, r in by_lower.items() if n.split() and n.split()[0] == first}
            role = matches.pop() if len(matches) == 1 else None
        if role is None and _FACILITATOR_LABELS.match(turn.speaker):
            role = "facilitator"
        turn.role = role
    if all(t.role is None for t in turns):
        _guess_facilitator(turns)
    for turn in turns:
        if turn.role is None:
            turn.role = normalise_role(turn.speaker) or "bewoner"


def _guess_facilitator(turns: list[RawTurn]) -> None:
    """Without declared roles, the speaker who asks most of the questions leads the talk."""
    asked: dict[str, int] = {}
    spoke: dict[str, int] = {}
    for turn in turns:
        spoke[turn.speaker] = spoke.get(turn.speaker, 0) + 1
        if turn.text.rstrip().endswith("?"):
            asked[turn.speaker] = asked.get(turn.speaker, 0) + 1
    if len(spoke) < 2 or not asked:
        return
    leader = max(asked, key=lambda s: (asked[s] / spoke[s], asked[s]))
    if asked[leader] >= 3 and asked[leader] / spoke[leader] >= 0.3:
        for turn in turns:
            if turn.speaker == leader:
                turn.role = "facilitator"


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"datum '{text}' niet herkend; gebruik JJJJ-MM-DD")


def finalise_meta(path: Path, meta: dict[str, Any], turns: list[RawTurn]) -> dict[str, Any]:
    """Normalise keys and values, infer the document type, and assign speaker roles."""
    meta = {str(k).strip().lower(): v for k, v in meta.items()}
    raw_type = meta.get("type") or meta.get("soort")
    if raw_type:
        doc_type = TYPE_ALIASES.get(str(raw_type).strip().lower())
        if doc_type is None:
            raise ValueError(f"onbekend type '{raw_type}'; kies uit {', '.join(DOCUMENT_TYPES)}")
    else:
        name = path.name.lower()
        doc_type = next((v for k, v in TYPE_ALIASES.items() if k in name), None)
        if doc_type is None:
            doc_type = "wijkwandeling" if any(t.stop for t in turns) else "verhalentafel"
    meta["type"] = doc_type
    meta["datum"] = _date(meta.get("datum") or meta.get("date"))
    if meta.get("ronde") is not None:
        meta["ronde"] = str(meta["ronde"]).strip()
    assign_roles(turns, speaker_roles(meta))
    return meta
