"""Pseudonymisation: nothing identifying leaves ingest.

Names, addresses, postcodes, phone numbers, e-mail addresses, BSN, dates and ages are replaced by
stable pseudonyms before anything is stored. Detection combines deduce (the Dutch de-identifier)
with patterns for what it misses in spoken transcripts, and a workspace-wide name memory: a name
found once is replaced everywhere it recurs, also in lower case and possessive forms.

The mapping lives in a key file that is separate from the store; reports and exports never read it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Document, RawDocument, RawTurn, Turn

ROLE_PREFIX = {"bewoner": "Bewoner", "professional": "Professional", "facilitator": "Gespreksleider"}
MENTIONED_PREFIX = "Persoon"
NAME_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "op",
    "in",
    "el",
    "al",
    "la",
    "le",
    "da",
    "di",
    "du",
    "'t",
    "bin",
    "ben",
}

STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|kade|pad|hof|singel|gracht|dreef|park|steeg|dijk|ring|erf|plantsoen|"
    r"markt|wal|baan|veld|hoek|oord|rade|zijde|wijk|burcht|donk|haven|kamp|akker|weide|gaarde)"
)
_ADDRESS = re.compile(
    rf"\b(?:(?:[A-Z][a-z]{{0,2}}\.|[A-Z][\w'’\-]*)\s){{0,2}}[A-Z][\w'’\-]*{STREET_SUFFIX}\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|\s?-\s?\d{{1,3}}\b|\s?(?:hoog|bis)\b)?",
)
_ADDRESS_LOWER = re.compile(rf"\b[a-z][\w'’\-]*{STREET_SUFFIX}\s+\d{{1,4}}\b")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s\-.]?(?:\(0\)\s?)?|0)"
    r"(?:6[\s\-.]?(?:\d[\s\-.]?){7}\d|[1-9]\d{1,2}[\s\-.]?(?:\d[\s\-.]?){5,6}\d)(?!\d)"
)
_EMAIL = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")
_BSN = re.compile(r"(?<!\d)(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?!\d)")
_MONTHS = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
_DATE = re.compile(rf"\b(?:\d{{1,2}}[\-/.]\d{{1,2}}[\-/.](?:19|20)?\d{{2}}|\d{{1,2}}\s+{_MONTHS}\s+(?:19|20)\d{{2}})\b", re.I)
_BIRTH = re.compile(
    rf"\b(?:geboren\s+(?:op\s+|in\s+)?|ik\s+ben\s+van\s+|geboortedatum:?\s*)(?P<v>(?:\d{{1,2}}\s+{_MONTHS}\s+)?(?:19|20)\d{{2}})\b",
    re.I,
)
_AGE = re.compile(
    r"\b(?:(?<=ik ben )|(?<=hij is )|(?<=zij is )|(?<=ze is )|(?<=die is )|(?<=wordt )|(?<=werd )|(?<=van ))"
    r"\d{1,3}(?=\s*(?:jaar\b|jaar oud|\.|,|\s+en\s|$))|\b\d{1,3}(?=[\s\-]jarige?\b)|\b\d{1,3}(?=\s+jaar oud\b)",
    re.I,
)
_AGE_PLAIN = re.compile(
    r"(?<!\d)(1[0-1]\d|[1-9]\d)(?=\s*jaar\b)(?!\s*jaar\s+(?:geleden|lang|later|terug|hier|in|op|bij|al|nu|voor|na|wonen|woon))", re.I
)

_PLACEHOLDER = {
    "adres": "[adres {n}]",
    "postcode": "[postcode]",
    "telefoon": "[telefoon {n}]",
    "email": "[e-mail {n}]",
    "bsn": "[BSN]",
    "datum": "[datum]",
    "leeftijd": "[leeftijd]",
    "id": "[nummer]",
    "url": "[link]",
}

DEDUCE_TAGS = {
    "persoon": "persoon",
    "patient": "persoon",
    "locatie": "adres",
    "telefoonnummer": "telefoon",
    "emailadres": "email",
    "bsn": "bsn",
    "datum": "datum",
    "leeftijd": "leeftijd",
    "id": "id",
    "url": "url",
}


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).strip().strip(".,:;!?\"'’()[]").lower()
    return re.sub(r"\s+", " ", text)


def _surname(key: str) -> str:
    """'truus van der linden' -> 'van der linden'; 'van der linden' -> 'van der linden'."""
    words = key.split()
    if not words:
        return ""
    if words[0] in NAME_PARTICLES:
        return key
    return " ".join(words[1:]) if len(words) > 1 else key


def _strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class Span:
    start: int
    end: int
    kind: str
    text: str


class PseudonymKey:
    """The re-identification key of one workspace: real value -> pseudonym, per kind.

    Stored as JSON beside (not inside) the store, so a facilitator can look up who said what
    for follow-up, while reports and exports never touch it.
    """

    VERSION = 1

    def __init__(self, path: Path | None = None, data: dict[str, Any] | None = None) -> None:
        self.path = path
        data = data or {}
        self.persons: dict[str, dict[str, Any]] = data.get("persons", {})
        self.aliases: dict[str, str] = data.get("aliases", {})
        self.values: dict[str, dict[str, str]] = data.get("values", {})
        self.counters: dict[str, int] = data.get("counters", {})
        self.dirty = False

    @classmethod
    def load(cls, path: Path) -> PseudonymKey:
        if not path.exists():
            return cls(path)
        from .keyfile import read_key_file

        return cls(path, read_key_file(path))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "persons": self.persons,
            "aliases": self.aliases,
            "values": self.values,
            "counters": self.counters,
        }

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        from .keyfile import write_key_file

        write_key_file(self.path, self.to_dict())
        self.dirty = False

    def _next(self, prefix: str) -> int:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        self.dirty = True
        return self.counters[prefix]

    def person(self, name: str, role: str | None = None) -> str:
        """The pseudonym of a person, by full name or by an unambiguous first name."""
        key = normalise_name(name)
        if key in self.persons:
            entry = self.persons[key]
            if role and entry.get("role") is None:
                entry["role"] = role
                self.dirty = True
            return entry["pseudonym"]
        if key in self.aliases:
            return self.persons[self.aliases[key]]["pseudonym"]
        # A first name seen before as part of exactly one full name is that person
        first = key.split()[0] if key.split() else key
        if len(key.split()) == 1:
            owners = [k for k in self.persons if k.split() and k.split()[0] == first]
            if len(owners) == 1:
                self.aliases[key] = owners[0]
                self.dirty = True
                return self.persons[owners[0]]["pseudonym"]
        else:
            # A full name whose first name was seen alone before: the same person, if unique
            if first in self.persons and len(self.persons[first].get("names", [])) == 1:
                entry = self.persons.pop(first)
                entry["names"].append(name.strip())
                self.persons[key] = entry
                self.aliases[first] = key
                if role and entry.get("role") is None:
                    entry["role"] = role
                self.dirty = True
                return entry["pseudonym"]
        # "mevrouw Van der Linden" or "Pinas": a surname that belongs to exactly one known person
        surname_only = len(key.split()) == 1 or key.split()[0] in NAME_PARTICLES
        owners = [k for k in self.persons if len(k.split()) >= 2 and _surname(k) == key] if surname_only else []
        if len(owners) == 1:
            self.aliases[key] = owners[0]
            self.dirty = True
            return self.persons[owners[0]]["pseudonym"]
        prefix = ROLE_PREFIX.get(role or "", MENTIONED_PREFIX)
        pseudonym = f"{prefix} {self._next(prefix)}"
        self.persons[key] = {"pseudonym": pseudonym, "role": role, "names": [name.strip()]}
        self.dirty = True
        return pseudonym

    def value(self, kind: str, text: str) -> str:
        template = _PLACEHOLDER.get(kind, "[{kind}]")
        if "{n}" not in template:
            return template
        key = re.sub(r"[\s\-.()]", "", text.lower()) if kind == "telefoon" else normalise_name(text)
        table = self.values.setdefault(kind, {})
        if key not in table:
            table[key] = template.format(n=self._next(kind))
            self.dirty = True
        return table[key]

    def known_names(self) -> dict[str, str]:
        """Every name form the key knows (full names, first names, surnames) -> pseudonym."""
        forms: dict[str, str] = {}
        first_owner: dict[str, set[str]] = {}
        last_owner: dict[str, set[str]] = {}
        for key, entry in self.persons.items():
            for name in [key, *entry.get("names", [])]:
                forms[normalise_name(name)] = entry["pseudonym"]
            words = key.split()
            if len(words) >= 2:
                first_owner.setdefault(words[0], set()).add(entry["pseudonym"])
                surname = " ".join(w for w in words[1:] if w not in NAME_PARTICLES)
                if len(surname) >= 3:
                    last_owner.setdefault(surname, set()).add(entry["pseudonym"])
                    particles = words[1:]
                    forms.setdefault(" ".join(particles), entry["pseudonym"])
        for alias, key in self.aliases.items():
            if key in self.persons:
                forms[alias] = self.persons[key]["pseudonym"]
        for first, owners in first_owner.items():
            if len(owners) == 1:
                forms.setdefault(first, next(iter(owners)))
        for last, owners in last_owner.items():
            if len(owners) == 1:
                forms.setdefault(last, next(iter(owners)))
        return forms

    def pseudonyms(self) -> set[str]:
        return {e["pseudonym"] for e in self.persons.values()}


class Pseudonymiser:
    """Replaces identifying text by pseudonyms, consistently within a workspace.

    ``local_names`` are names of local people, streets, shops or clubs that a workspace knows
    identify someone (e.g. "Bakkerij De Korenschoof"); they are always replaced.
    """

    def __init__(self, key: PseudonymKey, local_names: Iterable[str] = (), use_deduce: bool = True) -> None:
        self.key = key
        self.local_names = [n for n in local_names if n.strip()]
        self.use_deduce = use_deduce
        self._deduce: Any = None

    # -- detection -------------------------------------------------------
    def _deduce_spans(self, text: str) -> list[Span]:
        if not self.use_deduce:
            return []
        if self._deduce is None:
            self._deduce = load_deduce()
        spans = []
        for ann in self._deduce.deidentify(text).annotations:
            kind = DEDUCE_TAGS.get(ann.tag.split("_")[0])
            if kind is None:
                continue
            # deduce sometimes runs a span over a sentence end ("Kees. Kees Mulder"): split it
            for start, end in _sentence_parts(text, ann.start_char, ann.end_char):
                part = text[start:end]
                if kind == "adres" and not any(ch.isdigit() for ch in part):
                    # a street or place name without a house number identifies nobody and is
                    # what walk themes are about ("de Populierenlaan"); postcodes are caught below
                    continue
                if kind == "leeftijd" and not part.strip().isdigit():
                    continue
                if kind == "persoon":
                    if _street_not_person(text, start, end):
                        continue
                    titled_start, end = _strip_title(text, start, end)
                    titled = titled_start != start  # "meneer Kerkhof": a title makes even a common word a name
                    start = _strip_leading_particle(text, titled_start, end)
                    if not (titled and text[start:end][:1].isupper()) and not _likely_person(text[start:end]):
                        continue
                spans.append(Span(start, end, kind, text[start:end]))
        return spans

    @staticmethod
    def _pattern_spans(text: str) -> list[Span]:
        spans: list[Span] = []
        for kind, pattern in (
            ("email", _EMAIL),
            ("telefoon", _PHONE),
            ("adres", _ADDRESS),
            ("adres", _ADDRESS_LOWER),
            ("postcode", _POSTCODE),
            ("datum", _BIRTH),
            ("datum", _DATE),
            ("leeftijd", _AGE),
            ("leeftijd", _AGE_PLAIN),
        ):
            for m in pattern.finditer(text):
                group = "v" if "v" in pattern.groupindex else 0
                spans.append(Span(m.start(group), m.end(group), kind, m.group(group)))
        for m in _BSN.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if _elfproef(digits):
                spans.append(Span(m.start(), m.end(), "bsn", m.group()))
        return spans

    def _name_spans(self, text: str) -> list[Span]:
        forms = self.key.known_names()
        for local in self.local_names:
            forms.setdefault(normalise_name(local), "")
        spans = []
        for form, pseudonym in forms.items():
            if len(form) < 2:
                continue
            for pattern, case_sensitive in _name_patterns(form):
                for m in pattern.finditer(text):
                    if not case_sensitive and not m.group(1)[0].isupper() and _is_common_word(form):
                        continue
                    kind = "persoon" if pseudonym else "lokaal"
                    spans.append(Span(m.start(1), m.end(1), kind, m.group(1)))
        return spans

    # -- replacement -----------------------------------------------------
    def _replacement(self, span: Span, role_hint: dict[str, str]) -> str:
        if span.kind == "persoon":
            if span.text in self.key.pseudonyms():
                return span.text
            return self.key.person(span.text, role_hint.get(normalise_name(span.text)))
        if span.kind == "lokaal":
            return self.key.value("lokaal", span.text)
        return self.key.value(span.kind, span.text)

    def pseudonymise_text(self, text: str, role_hint: dict[str, str] | None = None) -> str:
        """Replace every identifying span in ``text``; the result holds only pseudonyms."""
        if not text.strip():
            return text
        role_hint = role_hint or {}
        chosen = self.find_spans(text, role_hint)
        pieces = []
        last = 0
        for span in chosen:
            pieces.append(text[last : span.start])
            pieces.append(self._replacement(span, role_hint))
            last = span.end
        pieces.append(text[last:])
        result = "".join(pieces)
        return _tidy_possessives(result, self.key.pseudonyms())

    def find_spans(self, text: str, role_hint: dict[str, str] | None = None) -> list[Span]:
        """The identifying spans of ``text``, without overlaps, in text order; new names are learned."""
        role_hint = role_hint or {}
        # deduce returns a set: order spans by position, so numbering never depends on the hash seed
        spans = sorted(self._deduce_spans(text) + self._pattern_spans(text), key=lambda s: (s.start, -s.end, s.kind))
        # register newly found person names first, so the name pass sees them everywhere
        for span in spans:
            if span.kind == "persoon" and _plausible_name(span.text) and span.text not in self.key.pseudonyms():
                self.key.person(span.text, role_hint.get(normalise_name(span.text)))
        spans = [s for s in spans if s.kind != "persoon" or _plausible_name(s.text)]
        spans += self._name_spans(text)
        return _resolve_overlaps(spans)

    def pseudonymise_document(self, raw: RawDocument) -> Document:
        """Turn a RawDocument into a Document whose every string is pseudonymised."""
        roles = {t.speaker: t.role or "bewoner" for t in raw.turns}
        declared = raw.meta.get("sprekers") or raw.meta.get("speakers") or {}
        if isinstance(declared, dict):
            full_names = {str(n).strip() for n in declared}
        else:
            full_names = set()
        # Speakers first: their role decides their pseudonym (Bewoner 3, Professional 1)
        for name in sorted(full_names | set(roles), key=lambda n: (-len(n.split()), n)):
            if name.lower() in ("onbekend", "unknown"):
                continue
            self.key.person(name, roles.get(name) or _declared_role(raw.meta, name))
        role_hint = {normalise_name(n): r for n, r in roles.items()}
        speaker_pseudonym = {s: (s if s.lower() in ("onbekend", "unknown") else self.key.person(s, roles[s])) for s in roles}
        turns: list[Turn] = []
        pieces: list[str] = []
        offset = 0
        for raw_turn in raw.turns:
            speaker = speaker_pseudonym[raw_turn.speaker]
            text = self.pseudonymise_text(_clean(raw_turn.text), role_hint)
            prefix = f"{speaker}: "
            start = offset + len(prefix)
            pieces.append(prefix + text + "\n\n")
            turns.append(
                Turn(
                    speaker=speaker,
                    role=raw_turn.role or "bewoner",
                    text=text,
                    start=start,
                    end=start + len(text),
                    timestamp=raw_turn.timestamp,
                    stop=self.pseudonymise_text(raw_turn.stop) if raw_turn.stop else None,
                    lat=raw_turn.lat,
                    lon=raw_turn.lon,
                )
            )
            offset += len(prefix) + len(text) + 2
        meta = self._pseudonymise_meta(raw.meta, speaker_pseudonym, roles)
        name = self.pseudonymise_text(Path(raw.path).name.replace("_", " "))
        return Document(
            content_hash=raw.content_hash,
            name=name.replace(" ", "_") if "_" in Path(raw.path).name else name,
            format=raw.format,
            doc_type=meta["type"],
            meta=meta,
            text="".join(pieces),
            turns=turns,
        )

    def _pseudonymise_meta(self, meta: dict[str, Any], speakers: dict[str, str], roles: dict[str, str]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for key, value in meta.items():
            if key in ("sprekers", "speakers") or key.startswith("_"):
                continue
            if key in ("datum", "ronde", "type", "fictief", "wijk"):
                # the session's date, round and type describe the meeting, not a person
                clean[key] = value
                continue
            if isinstance(value, str):
                clean[key] = self.pseudonymise_text(value)
            elif isinstance(value, (int, float, bool)) or value is None:
                clean[key] = value
            else:
                clean[key] = self.pseudonymise_text(json.dumps(value, ensure_ascii=False, default=str))
        clean["sprekers"] = {speakers[s]: roles[s] for s in speakers}
        return clean


def _declared_role(meta: dict[str, Any], name: str) -> str | None:
    from .ingest.meta import speaker_roles

    try:
        return speaker_roles(meta).get(name)
    except ValueError:
        return None


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace("\r", "")).strip()


def _elfproef(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


_TITLES = re.compile(
    r"^(?:(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|heer|juffrouw|juf|meester|tante|oom|opa|oma|dokter|dr\.?|zuster|broeder|"
    r"buurvrouw|buurman|ome|tante)\s+)+",
    re.I,
)


def _sentence_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    cursor = start
    for m in re.finditer(r"[.!?…]+\s+|\n+", text[start:end]):
        parts.append((cursor, start + m.start()))
        cursor = start + m.end()
    parts.append((cursor, end))
    return [(a, b) for a, b in parts if b > a]


def _strip_leading_particle(text: str, start: int, end: int) -> int:
    """'van Riet gehoord': the name is Riet; a lower-case 'van' before a first name is a preposition."""
    m = re.match(r"(?:van|de|bij|met|voor|aan)\s+(?=\S+$)", text[start:end])
    if m and text[start + m.end() : end].lower() in _first_names():
        return start + m.end()
    return start


def _strip_title(text: str, start: int, end: int) -> tuple[int, int]:
    m = _TITLES.match(text[start:end])
    return (start + m.end(), end) if m else (start, end)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """deduce's list of first names: 'Bram' is a name, 'Vallen' at the start of a sentence is not."""
    import deduce

    path = Path(deduce.__file__).parent / "data" / "lookup" / "src" / "names" / "lst_first_name" / "items.txt"
    try:
        return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError:
        return frozenset()


def _street_not_person(text: str, start: int, end: int) -> bool:
    """'Dr. Bakkerlaan' or 'op de Merelstraat' is a street; 'Jan van Dijk' and 'meneer Van Wijk' are people.

    Only a compound word ending in a street suffix counts, and only after an article or preposition
    or behind an abbreviation such as 'Dr.': when in doubt, the span stays a name and is replaced.
    """
    words = text[start:end].split()
    if not words:
        return False
    last = words[-1].strip(".,'’")
    match = re.search(STREET_SUFFIX + r"$", last, re.I)
    if not match or len(last) - len(match.group()) < 3:
        return False
    before = text[max(0, start - 12) : start].lower()
    abbreviated = len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]{0,3}\.", words[0]) is not None
    return abbreviated or re.search(r"\b(de|het|op|aan|in|naar|langs|bij|over|via)\s+([a-z]{1,4}\.\s+)?$", before) is not None


def _likely_person(text: str) -> bool:
    words = text.split()
    if not words or not any(ch.isalpha() for ch in text):
        return False
    if len(words) == 1:
        word = words[0].strip(".,'’").lower()
        if len(word) < 3 or _TITLES.match(word + " "):
            return False
        if _is_common_word(word) and word not in _first_names():
            return False
    return True


def _plausible_name(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and any(ch.isalpha() for ch in stripped) and len(stripped) >= 2


_COMMON_CACHE: dict[str, bool] = {}


def _is_common_word(form: str) -> bool:
    """Names that are also Dutch words ("Roos", "Wil", "Bas") only match when capitalised."""
    if form not in _COMMON_CACHE:
        import simplemma

        _COMMON_CACHE[form] = all(simplemma.is_known(w, lang="nl") for w in form.split())
    return _COMMON_CACHE[form]


_PATTERN_CACHE: dict[str, list[tuple[re.Pattern[str], bool]]] = {}


def _name_patterns(form: str) -> list[tuple[re.Pattern[str], bool]]:
    if form not in _PATTERN_CACHE:
        variants = {form, _strip_diacritics(form)}
        alternation = "|".join(r"\s+".join(re.escape(word) for word in v.split()) for v in sorted(variants, key=len, reverse=True))
        # whole words only; a possessive s or apostrophe stays outside the match and is tidied later
        pattern = re.compile(rf"(?<![\w@])({alternation})(?=(?:['’]s?|s)?(?![\w@]))", re.I)
        _PATTERN_CACHE[form] = [(pattern, False)]
    return _PATTERN_CACHE[form]


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the longest of overlapping spans, so 'Merelstraat 14' wins over 'Merelstraat'."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    chosen: list[Span] = []
    for span in ordered:
        if span.end <= span.start:
            continue
        if chosen and span.start < chosen[-1].end:
            if span.end - span.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = span
            continue
        chosen.append(span)
    return chosen


def _tidy_possessives(text: str, pseudonyms: set[str]) -> str:
    """'Bewoner 2s scootmobiel' -> "Bewoner 2's scootmobiel"; keeps the text readable."""
    text = re.sub(r"\b((?:Bewoner|Professional|Gespreksleider|Persoon) \d+)s\b", r"\1's", text)
    return re.sub(r"\b((?:Bewoner|Professional|Gespreksleider|Persoon) \d+)['’](?=\s)", r"\1's", text)


_DEDUCE: Any = None


def load_deduce() -> Any:
    """Load deduce once per process (its lookup structures take seconds to load)."""
    global _DEDUCE
    if _DEDUCE is None:
        import logging

        logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
        from deduce import Deduce

        _DEDUCE = Deduce()
    return _DEDUCE


def warm_up() -> None:
    """Build deduce's lookup cache at install time instead of in the first user command."""
    load_deduce().deidentify("Warm maken van de opzoektabellen.")


def pseudonymise_file(path: str | Path, key: PseudonymKey, local_names: Iterable[str] = ()) -> Document:
    from .ingest import read_transcript

    return Pseudonymiser(key, local_names).pseudonymise_document(read_transcript(path))


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary file and rename it into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


__all__ = ["PseudonymKey", "Pseudonymiser", "RawTurn", "pseudonymise_file", "warm_up"]
