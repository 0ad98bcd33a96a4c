"""The SQLite store of one workspace: schema, transactions and the few queries the stages need.

Plain SQLite from the standard library, in WAL mode; every write of a stage happens inside one
transaction, so a crash or Ctrl-C leaves the store as it was before that stage.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .model import Document, DomainPrediction, Fragment, Turn

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    ronde TEXT,
    datum TEXT,
    meta_json TEXT NOT NULL,
    turns_json TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS fragments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    turn_index INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    lemmas TEXT NOT NULL,
    timestamp TEXT,
    stop TEXT,
    lat REAL,
    lon REAL,
    text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fragments_document ON fragments(document_id);
CREATE TABLE IF NOT EXISTS embeddings (
    text_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (text_hash, model_id)
);
CREATE TABLE IF NOT EXISTS rounds (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    status TEXT NOT NULL DEFAULT 'open',
    manifest_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS round_documents (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, document_id)
);
CREATE TABLE IF NOT EXISTS annotations (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    fragment_id INTEGER NOT NULL REFERENCES fragments(id) ON DELETE CASCADE,
    domains_json TEXT NOT NULL,
    status TEXT NOT NULL,
    scores_json TEXT NOT NULL,
    aspect TEXT,
    actor TEXT,
    tone TEXT,
    indicators_json TEXT NOT NULL DEFAULT '[]',
    model_id TEXT NOT NULL,
    PRIMARY KEY (round_id, fragment_id)
);
CREATE TABLE IF NOT EXISTS themes (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    theme_key TEXT NOT NULL,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (round_id, theme_key)
);
CREATE TABLE IF NOT EXISTS theme_fragments (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    theme_key TEXT NOT NULL,
    fragment_id INTEGER NOT NULL REFERENCES fragments(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (round_id, fragment_id)
);
CREATE TABLE IF NOT EXISTS signals (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    fragment_id INTEGER NOT NULL REFERENCES fragments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (round_id, fragment_id)
);
CREATE TABLE IF NOT EXISTS steering (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS programmes (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    content_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    theme_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    score REAL NOT NULL,
    evidence_json TEXT NOT NULL,
    PRIMARY KEY (round_id, theme_key, item_id)
);
CREATE TABLE IF NOT EXISTS human_codings (
    coder TEXT NOT NULL,
    fragment_id INTEGER NOT NULL REFERENCES fragments(id) ON DELETE CASCADE,
    domains_json TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (coder, fragment_id)
);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    round_id TEXT NOT NULL,
    theme_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('aanvaard', 'afgewezen', 'notitie')),
    note TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Store:
    """One SQLite database per workspace."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._create_schema()

    def _create_schema(self) -> None:
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self._migrate()
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _migrate(self) -> None:
        """Bring a workspace made by an earlier version up to date; tables are created above."""
        columns = {r["name"] for r in self.conn.execute("PRAGMA table_info(annotations)")}
        if "tone" not in columns:
            self.conn.execute("ALTER TABLE annotations ADD COLUMN tone TEXT")
        if "indicators_json" not in columns:
            self.conn.execute("ALTER TABLE annotations ADD COLUMN indicators_json TEXT NOT NULL DEFAULT '[]'")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an exception (or Ctrl-C) inside rolls everything back."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- human coding, for agreement with the model --------------------------
    def save_human_coding(self, coder: str, source: str, rows: list[dict[str, Any]]) -> int:
        """Store (or replace) one coder's domains per fragment; ``rows`` are ``{"id", "domains"}``."""
        with self.transaction():
            self.conn.execute("DELETE FROM human_codings WHERE coder = ?", (coder,))
            self.conn.executemany(
                "INSERT INTO human_codings(coder, fragment_id, domains_json, source) VALUES (?,?,?,?)",
                [(coder, int(r["id"]), json.dumps(list(r["domains"])), source) for r in rows],
            )
        return len(rows)

    def human_codings(self, fragment_ids: list[int] | None = None) -> dict[str, dict[int, list[str]]]:
        """coder -> fragment id -> domains (primary first), restricted to ``fragment_ids`` when given."""
        wanted = set(fragment_ids) if fragment_ids is not None else None
        codings: dict[str, dict[int, list[str]]] = {}
        for row in self.conn.execute("SELECT coder, fragment_id, domains_json FROM human_codings ORDER BY coder, fragment_id"):
            if wanted is None or row["fragment_id"] in wanted:
                codings.setdefault(row["coder"], {})[int(row["fragment_id"])] = json.loads(row["domains_json"])
        return codings

    # -- documents and fragments ------------------------------------------
    def document_id_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        return None if row is None else int(row["id"])

    def add_document(self, document: Document) -> int:
        cur = self.conn.execute(
            "INSERT INTO documents(content_hash, name, format, doc_type, ronde, datum, meta_json, turns_json, text)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (
                document.content_hash,
                document.name,
                document.format,
                document.doc_type,
                document.ronde,
                document.meta.get("datum"),
                json.dumps(document.meta, ensure_ascii=False, default=str),
                json.dumps([t.__dict__ for t in document.turns], ensure_ascii=False),
                document.text,
            ),
        )
        return int(cur.lastrowid or 0)

    def add_fragments(self, fragments: list[Fragment]) -> None:
        rows = []
        for f in fragments:
            rows.append(
                (
                    f.document_id,
                    f.turn_index,
                    f.speaker,
                    f.role,
                    f.text,
                    f.start,
                    f.end,
                    json.dumps(f.lemmas, ensure_ascii=False),
                    f.timestamp,
                    f.stop,
                    f.lat,
                    f.lon,
                    text_hash(f.text),
                )
            )
        self.conn.executemany(
            'INSERT INTO fragments(document_id, turn_index, speaker, role, text, start, "end", lemmas, timestamp,'
            " stop, lat, lon, text_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )

    def documents(self, ids: list[int] | None = None) -> list[Document]:
        sql = "SELECT * FROM documents"
        params: tuple[Any, ...] = ()
        if ids is not None:
            sql += f" WHERE id IN ({','.join('?' * len(ids))})"
            params = tuple(ids)
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [_document(row) for row in rows]

    def fragments(self, document_ids: list[int] | None = None) -> list[Fragment]:
        sql = "SELECT * FROM fragments"
        params: tuple[Any, ...] = ()
        if document_ids is not None:
            sql += f" WHERE document_id IN ({','.join('?' * len(document_ids))})"
            params = tuple(document_ids)
        rows = self.conn.execute(sql + " ORDER BY document_id, start", params).fetchall()
        return [_fragment(row) for row in rows]

    # -- embeddings cache --------------------------------------------------
    def cached_embeddings(self, hashes: list[str], model_id: str) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            rows = self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model_id = ? AND text_hash IN ({','.join('?' * len(chunk))})",
                (model_id, *chunk),
            ).fetchall()
            for row in rows:
                found[row["text_hash"]] = np.frombuffer(row["vector"], dtype=np.float32)
        return found

    def cache_embeddings(self, vectors: dict[str, np.ndarray], model_id: str) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO embeddings(text_hash, model_id, vector) VALUES (?,?,?)",
            [(h, model_id, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()],
        )

    # -- rounds --------------------------------------------------------------
    def round_ids(self) -> list[str]:
        return [r["id"] for r in self.conn.execute("SELECT id FROM rounds ORDER BY seq")]

    def get_round(self, round_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if row is None:
            return None
        data = dict(row)
        data["manifest"] = json.loads(data.pop("manifest_json"))
        return data

    def ensure_round(self, round_id: str, label: str) -> None:
        if self.get_round(round_id) is None:
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM rounds").fetchone()[0]
            self.conn.execute("INSERT INTO rounds(id, seq, label) VALUES (?,?,?)", (round_id, seq, label))

    def add_round_documents(self, round_id: str, document_ids: list[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO round_documents(round_id, document_id) VALUES (?,?)",
            [(round_id, d) for d in document_ids],
        )

    def round_document_ids(self, round_id: str) -> list[int]:
        rows = self.conn.execute("SELECT document_id FROM round_documents WHERE round_id = ? ORDER BY document_id", (round_id,))
        return [int(r[0]) for r in rows]

    def finish_round(self, round_id: str, manifest: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE rounds SET status = 'klaar', manifest_json = ? WHERE id = ?",
            (json.dumps(manifest, ensure_ascii=False, default=str), round_id),
        )

    def clear_round_results(self, round_id: str) -> None:
        for table in ("annotations", "themes", "theme_fragments", "links", "signals"):
            self.conn.execute(f"DELETE FROM {table} WHERE round_id = ?", (round_id,))

    # -- annotations, themes, links -----------------------------------------
    def save_annotations(self, round_id: str, fragment_ids: list[int], predictions: list[DomainPrediction], model_id: str) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO annotations(round_id, fragment_id, domains_json, status, scores_json, aspect, actor,"
            " tone, indicators_json, model_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    round_id,
                    fid,
                    json.dumps(p.domains),
                    p.status,
                    json.dumps(p.scores),
                    p.aspect,
                    p.actor,
                    p.tone,
                    json.dumps(p.indicators),
                    model_id,
                )
                for fid, p in zip(fragment_ids, predictions)
            ],
        )

    def annotations(self, round_id: str) -> dict[int, DomainPrediction]:
        rows = self.conn.execute("SELECT * FROM annotations WHERE round_id = ?", (round_id,)).fetchall()
        return {
            int(r["fragment_id"]): DomainPrediction(
                domains=json.loads(r["domains_json"]),
                status=r["status"],
                scores=json.loads(r["scores_json"]),
                aspect=r["aspect"],
                actor=r["actor"],
                tone=r["tone"],
                indicators=json.loads(r["indicators_json"]),
            )
            for r in rows
        }

    def save_themes(self, round_id: str, themes: list[dict[str, Any]]) -> None:
        for theme in themes:
            self.conn.execute(
                "INSERT INTO themes(round_id, theme_key, label, size, data_json) VALUES (?,?,?,?,?)",
                (round_id, theme["key"], theme["label"], theme["size"], json.dumps(theme, ensure_ascii=False)),
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO theme_fragments(round_id, theme_key, fragment_id, score) VALUES (?,?,?,?)",
                [(round_id, theme["key"], fid, score) for fid, score in theme["members"]],
            )

    def themes(self, round_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT data_json FROM themes WHERE round_id = ? ORDER BY size DESC, theme_key", (round_id,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def save_signals(self, round_id: str, signals: list[Any]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO signals(round_id, fragment_id, kind, score) VALUES (?,?,?,?)",
            [(round_id, s.fragment_id, s.kind, s.score) for s in signals],
        )

    def save_programme(self, name: str, content: dict[str, Any]) -> str:
        payload = json.dumps(content, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
        self.conn.execute("INSERT OR IGNORE INTO programmes(hash, name, content_json) VALUES (?,?,?)", (digest, name, payload))
        return digest

    def programme(self, digest: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT content_json FROM programmes WHERE hash = ?", (digest,)).fetchone()
        return None if row is None else json.loads(row[0])

    def save_links(self, round_id: str, links: list[dict[str, Any]]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO links(round_id, theme_key, item_id, score, evidence_json) VALUES (?,?,?,?,?)",
            [
                (
                    round_id,
                    link["theme"],
                    link["item"],
                    link["score"],
                    json.dumps({"evidence": link["evidence"], "voters": link.get("voters", [])}, ensure_ascii=False),
                )
                for link in links
            ],
        )

    def links(self, round_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM links WHERE round_id = ? ORDER BY score DESC", (round_id,)).fetchall()
        out = []
        for r in rows:
            stored = json.loads(r["evidence_json"])
            # workspaces of schema 2 kept the evidence list alone
            evidence, voters = (stored, []) if isinstance(stored, list) else (stored["evidence"], stored.get("voters", []))
            out.append({"theme": r["theme_key"], "item": r["item_id"], "score": r["score"], "evidence": evidence, "voters": voters})
        return out

    def all_themes(self) -> list[tuple[str, dict[str, Any]]]:
        """(round id, theme) for every stored theme, rounds in their order."""
        rows = self.conn.execute(
            "SELECT t.round_id, t.data_json FROM themes t JOIN rounds r ON r.id = t.round_id ORDER BY r.seq, t.size DESC, t.theme_key"
        ).fetchall()
        return [(r[0], json.loads(r[1])) for r in rows]

    # -- decisions of policy staff on links ---------------------------------
    def add_decision(self, round_id: str, theme_id: str, item_id: str, decision: str, note: str = "", action: str = "") -> int:
        cur = self.conn.execute(
            "INSERT INTO decisions(round_id, theme_id, item_id, decision, note, action) VALUES (?,?,?,?,?,?)",
            (round_id, theme_id, item_id, decision, note, action),
        )
        return int(cur.lastrowid or 0)

    def decisions(self, up_to_round: str | None = None) -> list[dict[str, Any]]:
        """Decisions in the order they were taken; with ``up_to_round``, only those of that round and before."""
        sql = "SELECT d.*, r.seq FROM decisions d JOIN rounds r ON r.id = d.round_id"
        params: tuple[Any, ...] = ()
        if up_to_round is not None:
            sql += " WHERE r.seq <= (SELECT seq FROM rounds WHERE id = ?)"
            params = (up_to_round,)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY r.seq, d.id", params)]

    # -- the right to be forgotten -------------------------------------------
    def forget_speaker(self, pseudonym: str) -> dict[str, Any]:
        """Remove every fragment ``pseudonym`` spoke and blank their turns in the stored documents.

        Turns are overwritten with a mask of the same length, so every other fragment keeps its
        exact offsets. Deleted pages are overwritten (secure_delete) and the file compacted.
        """
        self.conn.execute("PRAGMA secure_delete = ON")
        removed = {"fragments": 0, "turns": 0, "documents": [], "rounds": set()}
        with self.transaction():
            rows = self.conn.execute("SELECT id, text_hash, document_id FROM fragments WHERE speaker = ?", (pseudonym,)).fetchall()
            hashes = {r["text_hash"] for r in rows}
            removed["fragments"] = len(rows)
            for row in self.conn.execute("SELECT * FROM documents").fetchall():
                turns = json.loads(row["turns_json"])
                text = row["text"]
                touched = False
                for turn in turns:
                    if turn["speaker"] != pseudonym:
                        continue
                    mask = _mask(turn["end"] - turn["start"])
                    text = text[: turn["start"]] + mask + text[turn["end"] :]
                    turn["text"] = mask
                    touched = True
                    removed["turns"] += 1
                if touched:
                    self.conn.execute(
                        "UPDATE documents SET text = ?, turns_json = ? WHERE id = ?",
                        (text, json.dumps(turns, ensure_ascii=False), row["id"]),
                    )
                    removed["documents"].append(row["name"])
                    for r in self.conn.execute("SELECT round_id FROM round_documents WHERE document_id = ?", (row["id"],)):
                        removed["rounds"].add(r[0])
            self.conn.executemany("DELETE FROM fragments WHERE speaker = ?", [(pseudonym,)])
            for digest in hashes:
                if self.conn.execute("SELECT 1 FROM fragments WHERE text_hash = ?", (digest,)).fetchone() is None:
                    self.conn.execute("DELETE FROM embeddings WHERE text_hash = ?", (digest,))
            # results that quote them are recomputed by the caller; until then they must not survive
            for round_id in removed["rounds"]:
                self.clear_round_results(round_id)
                self.conn.execute("UPDATE rounds SET status = 'opnieuw' WHERE id = ?", (round_id,))
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        removed["rounds"] = sorted(removed["rounds"])
        return removed

    def counts(self) -> dict[str, int]:
        return {
            table: int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("documents", "fragments", "embeddings", "rounds")
        }


def _mask(length: int) -> str:
    """Same length as what it hides, so offsets of everything else stay exact."""
    label = "[verwijderd op verzoek]"
    return label + " " * (length - len(label)) if length >= len(label) else "·" * length


def _document(row: sqlite3.Row) -> Document:
    return Document(
        id=int(row["id"]),
        content_hash=row["content_hash"],
        name=row["name"],
        format=row["format"],
        doc_type=row["doc_type"],
        meta=json.loads(row["meta_json"]),
        text=row["text"],
        turns=[Turn(**t) for t in json.loads(row["turns_json"])],
    )


def _fragment(row: sqlite3.Row) -> Fragment:
    return Fragment(
        id=int(row["id"]),
        document_id=int(row["document_id"]),
        turn_index=int(row["turn_index"]),
        speaker=row["speaker"],
        role=row["role"],
        text=row["text"],
        start=int(row["start"]),
        end=int(row["end"]),
        lemmas=json.loads(row["lemmas"]),
        timestamp=row["timestamp"],
        stop=row["stop"],
        lat=row["lat"],
        lon=row["lon"],
    )
