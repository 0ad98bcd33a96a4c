"""Exports of one round for researchers: CSV, XLSX, JSON and REFI-QDA (QDPX project, QDC codebook),
and the way back: a researcher's human coding of the same sources, read from a QDPX.

Everything comes from the store's pseudonymised data; the pseudonym key is never read. GUIDs are
derived from the workspace's content (uuid5), so exporting the same round twice gives the same file
apart from timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .connect import consequences
from .deepen import ACTOR_LABELS, ASPECT_LABELS
from .domains import DOMAIN_KEYS, DOMAINS
from .errors import LerendeWijkError
from .model import ProgrammeItem
from .privacy import write_atomic
from .report import DOMAIN_COLOURS
from .store import Store

AUTOMATIC_USER = "lerendewijk (automatisch)"
NAMESPACE = uuid.UUID("5b7f3c1e-2a4d-4e6f-9b1a-6c0d8e2f4a31")
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# at most this many bytes are read from any member of a QDPX a user hands us (a zip bomb stops here)
MAX_MEMBER_BYTES = 200 * 1024 * 1024

TABLE_HEADERS = {
    "fragmenten": {
        "fragment": "Fragment",
        "document": "Document",
        "ronde": "Ronde",
        "spreker": "Spreker (pseudoniem)",
        "rol": "Rol",
        "plek": "Plek (wandeling)",
        "tijd": "Tijd",
        "start": "Begin (teken)",
        "eind": "Eind (teken)",
        "tekst": "Tekst",
        "levensdomeinen": "Levensdomeinen",
        "status": "Status",
        **{f"score_{k}": f"Score {DOMAINS[k]}" for k in DOMAIN_KEYS},
        "aspect": "Aspect",
        "actor": "Aangesproken",
        "toon": "Toon",
        "indicatoren": "Prestatie-indicatoren",
        "thema": "Thema",
        "koppelingen": "Programmaonderdelen",
    },
    "themas": {
        "thema": "Thema",
        "naam": "Naam",
        "status": "Status",
        "fragmenten": "Fragmenten",
        "sprekers": "Sprekers",
        "hoofddomein": "Hoofddomein",
        "trefwoorden": "Trefwoorden",
        "documenten": "Documenten",
    },
    "koppelingen": {
        "thema": "Thema",
        "onderdeel": "Programmaonderdeel",
        "aandeel": "Aandeel fragmenten",
        "besluit": "Besluit",
        "onderbouwing": "Onderbouwing (citaten)",
    },
    "programma": {
        "onderdeel": "Programmaonderdeel",
        "titel": "Titel",
        "levensdomeinen": "Levensdomeinen",
        "eigenaar": "Eigenaar",
        "besproken": "Besproken door bewoners",
        "uitspraken": "Uitspraken",
        "voorstel": "Voorgestelde consequentie",
    },
}


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


def round_tables(store: Store, round_id: str) -> dict[str, list[dict[str, Any]]]:
    """The round as plain tables: fragments, themes, links and programme coverage."""
    info = store.get_round(round_id) or {}
    manifest = info.get("manifest", {})
    documents = {d.id: d for d in store.documents(store.round_document_ids(round_id))}
    fragments = store.fragments(list(documents))
    annotations = store.annotations(round_id)
    themes = store.themes(round_id)
    theme_of = {m[0]: t.get("id", t["key"]) for t in themes for m in t["members"]}
    id_of_key = {t["key"]: t.get("id", t["key"]) for t in themes}
    links = store.links(round_id)
    items_of_fragment: dict[int, list[str]] = {}
    for link in links:
        for fid in link["voters"] or [q["fragment"] for q in link["evidence"]]:
            items_of_fragment.setdefault(fid, []).append(link["item"])
    rows = []
    for f in fragments:
        a = annotations.get(f.id or -1)
        document = documents[f.document_id]
        rows.append(
            {
                "fragment": f.id,
                "document": document.name,
                "ronde": document.ronde or info.get("label"),
                "spreker": f.speaker,
                "rol": f.role,
                "plek": f.stop or "",
                "tijd": f.timestamp or "",
                "start": f.start,
                "eind": f.end,
                "tekst": f.text,
                "levensdomeinen": ";".join(a.domains) if a else "",
                "status": a.status if a else "",
                **{f"score_{k}": round(float(a.scores.get(k, 0.0)), 4) if a else "" for k in DOMAIN_KEYS},
                "aspect": (a.aspect or "") if a else "",
                "actor": (a.actor or "") if a else "",
                "toon": (a.tone or "") if a else "",
                "indicatoren": ";".join(a.indicators) if a else "",
                "thema": theme_of.get(f.id, ""),
                "koppelingen": ";".join(items_of_fragment.get(f.id or -1, [])),
            }
        )
    theme_rows = [
        {
            "thema": t.get("id", t["key"]),
            "naam": t["label"],
            "status": t.get("status", ""),
            "fragmenten": t["size"],
            "sprekers": t.get("speakers", 0),
            "hoofddomein": t.get("primary_domain") or "",
            "trefwoorden": ", ".join(t.get("keywords", [])),
            "documenten": "; ".join(t.get("documents", [])),
        }
        for t in themes
    ]
    link_rows = [
        {
            "thema": id_of_key.get(link["theme"], link["theme"]),
            "onderdeel": link["item"],
            "aandeel": link["score"],
            "besluit": "",
            "onderbouwing": " | ".join(f"{q['speaker']}: {q['text']}" for q in link["evidence"]),
        }
        for link in links
    ]
    decided = {(d["theme_id"], d["item_id"]): d["decision"] for d in store.decisions(up_to_round=round_id)}
    for row in link_rows:
        row["besluit"] = decided.get((row["thema"], row["onderdeel"]), "")
    programme = store.programme(manifest["programma_hash"]) if manifest.get("programma_hash") else None
    items = [ProgrammeItem(**item) for item in (programme or {}).get("items", [])]
    blind = [t["key"] for t in themes if t["key"] not in {link["theme"] for link in links}]
    decided_links = [{**link, "decision": _decision_of(store, round_id, id_of_key.get(link["theme"]), link["item"])} for link in links]
    consequence = {c["item"]: c for c in consequences(items, decided_links, themes, blind, annotations, {}) if c.get("item")}
    linked = {link["item"] for link in links}
    programme_rows = [
        {
            "onderdeel": item["id"],
            "titel": item["title"],
            "levensdomeinen": ";".join(item.get("domains", [])),
            "eigenaar": item.get("owner") or "",
            "besproken": "ja" if item["id"] in linked else "nee",
            "uitspraken": consequence.get(item["id"], {}).get("n", 0),
            "voorstel": consequence.get(item["id"], {}).get("consequence", ""),
        }
        for item in (programme or {}).get("items", [])
    ]
    return {"fragmenten": rows, "themas": theme_rows, "koppelingen": link_rows, "programma": programme_rows}


def _decision_of(store: Store, round_id: str, theme_id: str | None, item_id: str) -> str | None:
    found = [d["decision"] for d in store.decisions(up_to_round=round_id) if d["theme_id"] == theme_id and d["item_id"] == item_id]
    decisive = [d for d in found if d != "notitie"]
    return decisive[-1] if decisive else None


def write_csv(tables: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """One CSV per table, UTF-8 with a byte-order mark so that Excel reads the accents right."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        headers = TABLE_HEADERS[name]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers.values())
        for row in rows:
            writer.writerow([row.get(key, "") for key in headers])
        path = folder / f"{name}.csv"
        write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        written.append(path)
    return written


def write_xlsx(tables: dict[str, list[dict[str, Any]]], path: Path) -> Path:
    """One sheet per table with readable headers, a frozen header row and sensible column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(title=name)
        headers = TABLE_HEADERS[name]
        sheet.append(list(headers.values()))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row.get(key, "")) for key in headers])
        sheet.freeze_panes = "A2"
        for column, key in zip(sheet.columns, headers):
            width = max([len(str(headers[key]))] + [min(60, len(str(r.get(key, "")))) for r in rows[:200]])
            sheet.column_dimensions[column[0].column_letter].width = min(62, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, buffer.getvalue())
    return path


def _cell(value: Any) -> Any:
    # a cell starting with = + - @ would be run as a formula by spreadsheet programs
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_json(store: Store, round_id: str, path: Path) -> Path:
    """The whole round as one JSON document, described by ``schemas/ronde.schema.json``."""
    info = store.get_round(round_id) or {}
    payload = {
        "$schema": "https://lerendewijk.invalid/schemas/ronde.schema.json",
        "ronde": round_id,
        "label": info.get("label"),
        "manifest": info.get("manifest", {}),
        **round_tables(store, round_id),
        "besluiten": [
            {k: d[k] for k in ("round_id", "theme_id", "item_id", "decision", "note", "action", "created_at")}
            for d in store.decisions(up_to_round=round_id)
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    return path


# -- REFI-QDA ----------------------------------------------------------------------------------


def codebook_codes(themes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The code tree: life domains, aspect, actor and (when given) the round's themes."""
    tree = [
        {
            "guid": _guid("code", "levensdomeinen"),
            "name": "Levensdomeinen",
            "codable": False,
            "description": "De vijf levensdomeinen van de methode; het hoofddomein is gecodeerd, nevendomeinen ook.",
            "children": [
                {"guid": _guid("code", "domein", k), "name": DOMAINS[k], "codable": True, "color": DOMAIN_COLOURS[k], "key": k}
                for k in DOMAIN_KEYS
            ],
        },
        {
            "guid": _guid("code", "aspect"),
            "name": "Aspect",
            "codable": False,
            "description": "Gaat het over stenen (fysiek) of over mensen (sociaal)?",
            "children": [{"guid": _guid("code", "aspect", k), "name": v, "codable": True, "key": k} for k, v in ASPECT_LABELS.items()],
        },
        {
            "guid": _guid("code", "actor"),
            "name": "Aangesproken",
            "codable": False,
            "description": "Wie wordt aangesproken of genoemd als degene die iets moet doen.",
            "children": [{"guid": _guid("code", "actor", k), "name": v, "codable": True, "key": k} for k, v in ACTOR_LABELS.items()],
        },
    ]
    if themes:
        tree.append(
            {
                "guid": _guid("code", "themas"),
                "name": "Thema's",
                "codable": False,
                "description": "Thema's uit de vrije ruimte, met hun vaste thema-id over de rondes.",
                "children": [
                    {
                        "guid": _guid("code", "thema", t.get("id", t["key"])),
                        "name": f"{t.get('id', t['key'])} {t['label']}",
                        "codable": True,
                        "description": "Trefwoorden: " + ", ".join(t.get("keywords", [])),
                        "key": t.get("id", t["key"]),
                    }
                    for t in themes
                ],
            }
        )
    return tree


def _codes_xml(codes: list[dict[str, Any]], indent: str = "    ") -> str:
    out = []
    for code in codes:
        attrs = f"guid={quoteattr(code['guid'])} name={quoteattr(code['name'])} isCodable={quoteattr(str(code['codable']).lower())}"
        if code.get("color"):
            attrs += f" color={quoteattr(code['color'])}"
        inner = ""
        if code.get("description"):
            inner += f"{indent}  <Description>{escape(code['description'])}</Description>\n"
        if code.get("children"):
            inner += _codes_xml(code["children"], indent + "  ")
        out.append(f"{indent}<Code {attrs}>\n{inner}{indent}</Code>\n" if inner else f"{indent}<Code {attrs}/>\n")
    return "".join(out)


def codebook_xml(themes: list[dict[str, Any]]) -> str:
    """A QDC file: the code tree alone, for importing into another QDA program."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="{CODEBOOK_NS}" origin="lerendewijk">\n  <Codes>\n'
        + _codes_xml(codebook_codes(themes))
        + "  </Codes>\n</CodeBook>\n"
    )


def project_xml(store: Store, round_id: str, sources: dict[int, str]) -> str:
    """project.qde: users, code tree, and every fragment as a coded plain-text selection."""
    info = store.get_round(round_id) or {}
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    user = _guid("user", AUTOMATIC_USER)
    themes = store.themes(round_id)
    codes = codebook_codes(themes)
    code_of: dict[tuple[str, str], str] = {}
    for group, name in zip(codes, ("domein", "aspect", "actor", "thema")):
        for child in group["children"]:
            code_of[(name, child["key"])] = child["guid"]
    annotations = store.annotations(round_id)
    theme_of = {m[0]: t.get("id", t["key"]) for t in themes for m in t["members"]}
    documents = {d.id: d for d in store.documents(list(sources))}
    by_document: dict[int, list[Any]] = {}
    for f in store.fragments(list(sources)):
        by_document.setdefault(f.document_id, []).append(f)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<Project xmlns="{PROJECT_NS}" name={quoteattr("lerendewijk " + str(info.get("label") or round_id))} origin="lerendewijk"',
        f' creatingUserGUID="{user}" creationDateTime="{now}">\n',
        f'  <Users>\n    <User guid="{user}" name={quoteattr(AUTOMATIC_USER)}/>\n  </Users>\n',
        "  <CodeBook>\n    <Codes>\n",
        _codes_xml(codes, "      "),
        "    </Codes>\n  </CodeBook>\n  <Sources>\n",
    ]
    for document_id, name in sources.items():
        document = documents[document_id]
        source_guid = _guid("source", document.content_hash)
        parts.append(
            f'    <TextSource guid="{source_guid}" name={quoteattr(document.name)} plainTextPath="internal://{name}"'
            f' creatingUser="{user}" creationDateTime="{now}">\n'
        )
        for f in by_document.get(document_id, []):
            a = annotations.get(f.id or -1)
            refs = []
            if a is not None:
                refs += [code_of[("domein", d)] for d in a.domains if ("domein", d) in code_of]
                if a.aspect and ("aspect", a.aspect) in code_of:
                    refs.append(code_of[("aspect", a.aspect)])
                if a.actor and ("actor", a.actor) in code_of:
                    refs.append(code_of[("actor", a.actor)])
            if f.id in theme_of and ("thema", theme_of[f.id]) in code_of:
                refs.append(code_of[("thema", theme_of[f.id])])
            if not refs:
                continue
            selection = _guid("selection", document.content_hash, f.start, f.end)
            parts.append(
                f'      <PlainTextSelection guid="{selection}" name={quoteattr(f"{f.speaker}: {f.text[:40]}")}'
                f' startPosition="{f.start}" endPosition="{f.end}" creatingUser="{user}" creationDateTime="{now}">\n'
            )
            for ref in refs:
                parts.append(
                    f'        <Coding guid="{_guid("coding", selection, ref)}" creatingUser="{user}" creationDateTime="{now}">'
                    f'<CodeRef targetGUID="{ref}"/></Coding>\n'
                )
            parts.append("      </PlainTextSelection>\n")
        parts.append("    </TextSource>\n")
    parts.append("  </Sources>\n</Project>\n")
    return "".join(parts)


def write_qdpx(store: Store, round_id: str, path: Path) -> Path:
    """A REFI-QDA project: project.qde plus every source as plain text under sources/."""
    document_ids = store.round_document_ids(round_id)
    documents = store.documents(document_ids)
    names = {d.id: f"{_guid('source', d.content_hash)}.txt" for d in documents if d.id is not None}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(store, round_id, names))
        for d in documents:
            if d.id is not None:
                archive.writestr(f"sources/{names[d.id]}", d.text.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, buffer.getvalue())
    return path


def write_qdc(themes: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, codebook_xml(themes).encode("utf-8"))
    return path


EXPORT_FORMATS = ("csv", "xlsx", "json", "qdpx", "qdc")


def export_round(store: Store, round_id: str, fmt: str, target: Path) -> list[Path]:
    """One round in one export format (CLI and web app alike); ``target`` is a folder for csv, else a file."""
    if fmt == "csv":
        return write_csv(round_tables(store, round_id), target)
    if fmt == "xlsx":
        return [write_xlsx(round_tables(store, round_id), target)]
    if fmt == "json":
        return [write_json(store, round_id, target)]
    if fmt == "qdpx":
        return [write_qdpx(store, round_id, target)]
    if fmt == "qdc":
        return [write_qdc(store.themes(round_id), target)]
    raise LerendeWijkError(f"onbekend exportformaat '{fmt}' (wel: {', '.join(EXPORT_FORMATS)})")


def read_coding(store: Store, qdpx: Path, user: str | None = None) -> list[dict[str, Any]]:
    """A researcher's coding of the same sources, as gold lines ``{"id", "text", "domains"}``.

    Sources are matched by their text (the exported pseudonymised text); codes by their name
    (a life domain's name or key). Each stored fragment gets the domains of the coded selections
    that cover most of it; fragments nobody coded are left out. ``user`` picks one coder's work
    when the project holds several (by name); by default every coding counts.
    """
    from xml.etree import ElementTree as ET

    try:
        archive = zipfile.ZipFile(qdpx)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LerendeWijkError(f"{qdpx.name}: geen geldig QDPX-bestand ({exc})") from exc
    with archive:
        for member in archive.infolist():
            if member.file_size > MAX_MEMBER_BYTES:
                raise LerendeWijkError(f"{qdpx.name}: onderdeel {member.filename} is te groot ({member.file_size} bytes)")
        if "project.qde" not in archive.namelist():
            raise LerendeWijkError(f"{qdpx.name}: project.qde ontbreekt")
        root = ET.fromstring(archive.read("project.qde"))
        ns = {"q": PROJECT_NS}
        users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:Users/q:User", ns)}
        domain_of_code: dict[str, str] = {}
        by_name = {v.lower(): k for k, v in DOMAINS.items()} | {k: k for k in DOMAIN_KEYS}
        for code in root.iterfind(".//q:CodeBook//q:Code", ns):
            key = by_name.get((code.get("name") or "").strip().lower())
            if key:
                domain_of_code[code.get("guid") or ""] = key
        texts_by_hash = {}
        for document in store.documents():
            texts_by_hash[document.text] = document
        gold: list[dict[str, Any]] = []
        for source in root.iterfind(".//q:Sources/q:TextSource", ns):
            text = _source_text(archive, source, ns)
            document = texts_by_hash.get(text) if text is not None else None
            if document is None:
                continue
            spans: list[tuple[int, int, list[str]]] = []
            for selection in source.iterfind("q:PlainTextSelection", ns):
                domains = []
                for coding in selection.iterfind("q:Coding", ns):
                    if user and users.get(coding.get("creatingUser") or "") != user:
                        continue
                    ref = coding.find("q:CodeRef", ns)
                    key = domain_of_code.get(ref.get("targetGUID") if ref is not None else "")
                    if key and key not in domains:
                        domains.append(key)
                if domains:
                    spans.append((int(selection.get("startPosition", 0)), int(selection.get("endPosition", 0)), domains))
            for fragment in store.fragments([document.id] if document.id is not None else []):
                best, overlap = None, 0
                for start, end, domains in spans:
                    shared = min(end, fragment.end) - max(start, fragment.start)
                    if shared > overlap:
                        best, overlap = domains, shared
                if best is not None and overlap >= 0.5 * (fragment.end - fragment.start):
                    gold.append({"id": fragment.id, "text": fragment.text, "domains": best})
    return gold


def _source_text(archive: zipfile.ZipFile, source: Any, ns: dict[str, str]) -> str | None:
    content = source.find("q:PlainTextContent", ns)
    if content is not None and content.text is not None:
        return content.text
    path = source.get("plainTextPath") or ""
    member = path.removeprefix("internal://")
    for candidate in (member, f"sources/{member}"):
        if candidate in archive.namelist():
            return archive.read(candidate).decode("utf-8")
    return None
