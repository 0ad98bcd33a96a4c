"""Plain text and Markdown transcripts: ``Naam: tekst`` turns, timestamps, walk stops."""

from __future__ import annotations

import re
from typing import Any

from ..model import RawTurn
from .meta import decode_text, split_front_matter

_TIMESTAMP = r"\[?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?"
# A speaker label: up to six words, starting with a capital or a name prefix, optionally
# bold in Markdown and followed by a role in parentheses: "**Truus van der Linden (bewoner):**"
_LABEL = (
    r"(?P<speaker>(?:[A-ZÀ-ÖØ-Þ]|(?:van|de|den|der|ter|ten|el|al|op)\s)[\w.'’\-]*(?:\s+[\w.'’\-]+){0,5}?)(?:\s*\((?P<role>[^)]{1,40})\))?"
)
TURN_RE = re.compile(rf"^\s*(?:{_TIMESTAMP}\s*[-–]?\s*)?\**{_LABEL}\**\s*:\**\s*(?P<text>.*)$")
STOP_RE = re.compile(r"^\s*#{1,6}\s*(?P<stop>.+?)\s*(?:\(\s*(?P<lat>-?\d{1,3}\.\d+)\s*[,;]\s*(?P<lon>-?\d{1,3}\.\d+)\s*\))?\s*$")
_NOT_SPEAKERS = {"let op", "noot", "opmerking", "tip", "vraag", "antwoord", "datum", "tijd", "locatie", "http", "https"}


def parse_lines(lines: list[str], known_speakers: set[str] | None = None, walk: bool = False) -> list[RawTurn]:
    """Turn lines into speaker turns. Lines without a speaker label continue the turn above."""
    known_lower = {s.lower() for s in known_speakers or set()}
    turns: list[RawTurn] = []
    stop: str | None = None
    lat = lon = None
    for line in lines:
        heading = STOP_RE.match(line)
        if heading:
            label = heading.group("stop").strip().strip("*")
            is_stop = walk or heading.group("lat") is not None or label.lower().startswith("stop")
            if is_stop:
                stop = label
                lat = float(heading.group("lat")) if heading.group("lat") else None
                lon = float(heading.group("lon")) if heading.group("lon") else None
            continue
        match = TURN_RE.match(line)
        speaker = match.group("speaker").strip() if match else ""
        if match and _is_speaker(speaker, known_lower):
            turns.append(
                RawTurn(
                    speaker=speaker,
                    text=match.group("text").strip(),
                    timestamp=_normalise_ts(match.group("ts")),
                    stop=stop,
                    lat=lat,
                    lon=lon,
                    role=match.group("role"),
                )
            )
        elif line.strip() and turns:
            turns[-1].text = f"{turns[-1].text}\n{line.strip()}".strip()
    return turns


def _is_speaker(label: str, known_lower: set[str]) -> bool:
    if not label or label.lower() in _NOT_SPEAKERS:
        return False
    if known_lower:
        return label.lower() in known_lower or label.split()[0].lower() in {k.split()[0] for k in known_lower}
    return len(label.split()) <= 5


def _normalise_ts(ts: str | None) -> str | None:
    if not ts:
        return None
    parts = ts.replace(",", ".").split(".")[0].split(":")
    if len(parts) == 2:
        parts = ["0", *parts]
    return ":".join(p.zfill(2) for p in parts)


def paragraphs_as_turns(body: str) -> list[RawTurn]:
    """Notes without speaker labels: each paragraph becomes one turn of an unknown speaker."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    blocks = [b for b in blocks if not b.startswith("#")]
    return [RawTurn(speaker="Onbekend", text=" ".join(b.split("\n"))) for b in blocks]


def _recurring_labels(lines: list[str]) -> set[str]:
    """Labels that start two or more lines: a one-off 'Nou ja: ...' is talk, not a speaker."""
    counts: dict[str, int] = {}
    for line in lines:
        match = TURN_RE.match(line)
        if match and _is_speaker(match.group("speaker").strip(), set()):
            label = match.group("speaker").strip()
            counts[label] = counts.get(label, 0) + 1
    return {label for label, n in counts.items() if n >= 2 or not _looks_like_phrase(label)}


def _looks_like_phrase(label: str) -> bool:
    """'Nou ja' or 'Let op' are ordinary Dutch words; 'Anouk' or 'Spreker 2' are not."""
    import simplemma

    from ..privacy import _first_names

    words = [w.strip(".'’").lower() for w in label.split()]
    if words and words[0] in _first_names():
        return False
    return all(w.isalpha() and simplemma.is_known(w, lang="nl") for w in words)


def turns_from_text(body: str, meta: dict[str, Any]) -> list[RawTurn]:
    roles = meta.get("sprekers") or meta.get("speakers")
    known = set(roles) if isinstance(roles, dict) else None
    walk = str(meta.get("type", "")).lower() in ("wijkwandeling", "wandeling")
    lines = body.split("\n")
    if not known:
        known = _recurring_labels(lines) or None
    turns = parse_lines(lines, known, walk=walk)
    if not turns and known:
        turns = parse_lines(body.split("\n"), None, walk=walk)
    if not turns:
        turns = paragraphs_as_turns(body)
    return turns


def read(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, _ = split_front_matter(text)
    meta = dict(meta)
    meta.setdefault("_encoding", encoding)
    return meta, turns_from_text(body, meta)
