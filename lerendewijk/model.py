"""Plain dataclasses that flow between the stages of the cycle.

Raw* classes hold identifying data and never leave ingest/privacy; everything after
pseudonymisation works on Document and Fragment, whose text is already pseudonymised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOCUMENT_TYPES = ("verhalentafel", "wijkwandeling", "interview", "notities")
ROLES = ("facilitator", "bewoner", "professional")


@dataclass
class RawTurn:
    """One speaker turn as read from a file, before pseudonymisation."""

    speaker: str
    text: str
    timestamp: str | None = None
    stop: str | None = None
    lat: float | None = None
    lon: float | None = None
    role: str | None = None


@dataclass
class RawDocument:
    """A transcript as read from disk: identifying, held in memory only."""

    path: str
    content_hash: str
    format: str
    meta: dict[str, Any]
    turns: list[RawTurn]


@dataclass
class Turn:
    speaker: str
    role: str
    text: str
    start: int
    end: int
    timestamp: str | None = None
    stop: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Document:
    """A pseudonymised transcript. ``text`` is the canonical text all offsets point into."""

    content_hash: str
    name: str
    format: str
    doc_type: str
    meta: dict[str, Any]
    text: str
    turns: list[Turn]
    id: int | None = None

    @property
    def ronde(self) -> str | None:
        value = self.meta.get("ronde")
        return None if value is None else str(value)


@dataclass
class Fragment:
    """A meaningful unit of one speaker's talk, with its exact place in the document."""

    document_id: int
    turn_index: int
    speaker: str
    role: str
    text: str
    start: int
    end: int
    lemmas: list[str] = field(default_factory=list)
    timestamp: str | None = None
    stop: str | None = None
    lat: float | None = None
    lon: float | None = None
    id: int | None = None


@dataclass
class DomainPrediction:
    domains: list[str]
    status: str  # "ok" | "geen_domein" | "twijfel"
    scores: dict[str, float]
    aspect: str | None = None
    actor: str | None = None
    tone: str | None = None  # sterkte | probleem | wens | neutraal
    indicators: list[str] = field(default_factory=list)  # performance indicators, strongest first


@dataclass
class Quote:
    fragment_id: int
    document_id: int
    text: str
    start: int
    end: int
    speaker: str
    document: str = ""


@dataclass
class Theme:
    key: str
    label: str
    keywords: list[str]
    fragment_ids: list[int]
    centroid: list[float]
    domain_profile: dict[str, float]
    speakers: int
    documents: list[str]
    quotes: list[Quote]

    @property
    def size(self) -> int:
        return len(self.fragment_ids)


@dataclass
class ProgrammeItem:
    id: str
    title: str
    description: str
    domains: list[str] = field(default_factory=list)
    owner: str | None = None
    status: str | None = None
    sub_items: list[dict[str, Any]] = field(default_factory=list)
    domains_inferred: bool = False  # True when the file named none and they were inferred from text and owner

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}"


@dataclass
class Link:
    theme_key: str
    item_id: str
    score: float
    evidence: list[Quote]
