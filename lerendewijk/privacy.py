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
from functools import cache, lru_cache
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

# upper- and lower-case letters of the Latin alphabets people's names are written in here
# ("Büşra Yıldırım", "Wiśniewska", "Štěpán"); [A-Z] alone would let them through
_UP = "[" + "".join(chr(c) for c in range(0x41, 0x250) if chr(c).isupper()) + "]"
_LOW = "[" + "".join(chr(c) for c in range(0x61, 0x250) if chr(c).islower()) + "]"

STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|kade|pad|hof|singel|gracht|dreef|park|steeg|dijk|ring|erf|plantsoen|"
    r"markt|wal|baan|veld|hoek|oord|rade|zijde|wijk|burcht|donk|haven|kamp|akker|weide|gaarde)"
)
_ADDRESS = re.compile(
    rf"\b(?:(?:[A-Z][a-z]{{0,2}}\.|[A-Z][\w'’\-]*)\s){{0,2}}[A-Z][\w'’\-]*{STREET_SUFFIX}\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|\s?-\s?(?:\d{{1,3}}|[a-zA-Z])\b|\s?(?:hoog|bis)\b)?",
)
_ADDRESS_LOWER = re.compile(rf"\b[a-z][\w'’\-]*{STREET_SUFFIX}\s+\d{{1,4}}\b")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s\-.]?(?:\(0\)\s?)?|0)"
    r"(?:6[\s\-.]?(?:\d[\s\-.]?){7}\d|[1-9]\d{1,2}[\s\-.]?(?:\d[\s\-.]?){5,6}\d)(?!\d)"
)
_PHONE_ABROAD = re.compile(r"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{1,2}(?:[\s\-.]?\d){7,11}(?!\d)")
_EMAIL = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")
# ages said in passing: "ik ben nu 66", "ze is 72 maar", "Pieter, 52, werkt", "mw. Kaya (74)"
_AGE_SAID = re.compile(
    r"\b(?:ben|is|word|wordt|werd|was)\s+(?:(?:nu|al|ook|dus|pas|bijna|net|inmiddels)\s+){0,2}(?P<v>\d{1,3})(?!\d)(?![.,]\d)"
    r"(?!\s*(?:euro|procent|%|keer|minuten|min|uur|kilo|kg|meter|m\b|cm|km|graden|jaar\s+(?:geleden|lang|getrouwd|hier|in|op|bij|weg|terug)|"
    r"mensen|woningen|huizen|flats|kinderen|jongens|meisjes|leden|stuks|dagen|weken|maanden|bussen|plekken|deelnemers|bewoners|euro))",
    re.I,
)
_AGE_APPOSITION = re.compile(r"(?<=[A-Za-zÀ-ÿ]),\s(?P<v>[1-9]\d?|1[01]\d)[,.](?=\s|$)|(?<=[A-Za-zÀ-ÿ.])\s\((?P<w>[1-9]\d?|1[01]\d)\)")
_PARTICLES = r"(?:van|de|der|den|ter|ten|te|het|'t|la|le|du|el|al|ben|bin|von|da|di)"
_INITIALS_NAME = re.compile(
    rf"(?<![\w.])((?:[A-Z]\.\s?){{1,3}}(?:(?:{_PARTICLES}|in|op|El|Al|Ben|Van|De|In|Op)\s+){{0,3}}{_UP}[\w'’]+(?:[\-\s]{_UP}{_LOW}[\w'’]+)?)"
)
_NICKNAME = re.compile(
    r"\b(?:noem\w*|zeg\w*|heet|heten)((?:\s+(?:ze|we|wij|zij|iedereen|de jongens|hij|me|mij|hem|haar|hier|bij|altijd|ook|maar|gewoon|allemaal|nog))+)"
    rf"\s+(?P<v>(?:de\s+)?{_UP}[\w'’]+)"
    rf"|(?P<w>(?:de\s+)?{_UP}[\w'’]+),?\s+zo\s+noem(?:en|t)\s+(?:ze|we|iedereen|de mensen)\s+(?:me|mij|hem|haar)"
)
_SHOP_WORDS = (
    r"(?:bakkerij|bakker|slagerij|slager|kapsalon|kapper|kapperszaak|café|cafe|eethuis|restaurant|snackbar|cafetaria|toko|"
    r"groentezaak|groenteboer|buurtsuper|schoenmakerij|schoenmaker|fietsenmakerij|fietsenmaker|naaiatelier|kleermakerij|"
    r"garage|bloemist|bloemenzaak|kiosk|shoarmazaak|pizzeria|wasserette|rijschool|autorijschool|biljartclub|"
    r"voetbalclub|sportclub|buurtwinkel|winkel|zaak|nagelstudio|theehuis|klussenbedrijf|klusbedrijf|schildersbedrijf|visboer|viskraam|"
    r"supermarkt|koor|zangkoor|vv|sv|voetbalvereniging|vereniging|dansschool|sportschool|kinderopvang|gastouder)"
)
_SHOP = re.compile(
    rf"\b(?i:{_SHOP_WORDS})\s+(?P<v>(?:(?:{_PARTICLES}|Van|De|Den|Der|Het|Al|El|Ben)\s+)*{_UP}[\w'’]+(?:[\s\-](?:{_PARTICLES}\s+)*{_UP}[\w'’]+)*)",
)
_STREET_NAME = rf"(?:[A-Z][a-z]{{0,2}}\.\s|Van\s|De\s)?(?:[A-Z][\w'’\-]*\s)?[A-Z][\w'’\-]*{STREET_SUFFIX}"
_RESIDENCE_AFTER = re.compile(
    rf"\b(?:[Oo]p|[Aa]an) de (?P<v>{_STREET_NAME})\b(?=[^.!?\n]{{0,25}}\b(?:woon|woont|wonen|woonde|woonden)\b)"
    rf"|\b[Bb]ij (?:mij|ons|hem|haar|hen) (?:op|aan|in) de (?P<w>{_STREET_NAME})\b"
    rf"|(?P<x>{_STREET_NAME}),? waar (?:ik|wij|we|hij|zij|ze|jullie) (?:woon|wonen|woont|woonde|woonden)\b"
    rf"|(?<=[A-Za-zÀ-ÿ’']), van de (?P<y>{_STREET_NAME})\b"
)
_TITLED = re.compile(
    rf"\b(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|heer|familie|fam\.|juffrouw|juf|meester|zuster|pastoor|dominee|imam|tante|oom|ome|opa|oma|buurman|buurvrouw)\s+"
    rf"(?P<v>(?:{_PARTICLES}\s+)*{_UP}[\w'’]+(?:-{_UP}[\w'’]+)?)"
)
_NUMBER_WORD = (
    r"(?:nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|"
    r"achttien|negentien|(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën))?(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig))"
)
_SPOKEN_PHONE = re.compile(rf"\bnul[\s,]+{_NUMBER_WORD}(?:[\s,]+{_NUMBER_WORD}){{4,}}\b", re.I)
# ages said in words ("ik ben vierentachtig", "Storm is zes en ..."); 'een' and 'nul' are no ages
_AGE_WORD = (
    r"(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|"
    r"negentien|(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën))?(?:twintig|dertig|veertig|vijftig|zestig|"
    r"zeventig|tachtig|negentig)|honderd(?:en)?(?:een|één|twee|drie|vier|vijf)?)"
)
# what may follow an age: the end of a clause, 'jaar (oud)', 'geworden', a conjunction; never a unit
# ('twee keer', 'vijf uur') or a duration ('twintig jaar geleden', 'dertig jaar verpleegkundige')
_AGE_END = r"(?=\s*(?:jaar(?:\s+oud)?)?(?:\s*[.,!?;:)]|\s*$|\s+(?:en|maar|geworden|hoor|nu|dus|toen|in|of|alweer|inmiddels)\b))"
_AGE_SAID_WORDS = re.compile(
    rf"\b(?:(?:ik|hij|zij|ze|die|u|jij|je)\s+(?:ben|is|was|bent|werd|wordt|word)|(?:ben|is|was|werd|wordt)\s+(?:ik|hij|zij|ze|u)|"
    rf"(?P<subj>{_UP}{_LOW}+)\s+(?:is|was|werd|wordt))"
    rf"\s+(?:(?:nu|al|pas|bijna|net|inmiddels|ook|toen|dit\s+jaar|volgend\s+jaar|volgende\s+(?:week|maand))\s+){{0,2}}"
    rf"(?P<v>{_AGE_WORD}|[1-9]\d?|1[01]\d){_AGE_END}",
    re.I,
)
_AGE_OF = re.compile(
    rf"\b(?:zoon|zoontje|dochter|dochtertje|kind|kindje|jongen|jongetje|meisje|kleinzoon|kleindochter|kleinkind|broer|broertje|"
    rf"zus|zusje|man|vrouw|neef|nicht|baby|leeftijd)(?:\s+van|,)\s+(?P<v>{_AGE_WORD}|[1-9]\d?|1[01]\d){_AGE_END}"
    rf"|\b(?P<w>{_AGE_WORD})(?=\s+jaar\s+(?:oud|geleefd)\b)",
    re.I,
)
# "Kinderen 15 en 11 jaar": the first age of a pair shares the second one's 'jaar'
_AGE_PAIR = re.compile(r"(?<![\d\-–])(?<!tot )(?<!van )(?<!tussen )\b(?P<v>[1-9]\d?)(?=\s+en\s+[1-9]\d?\s+jaar\b(?!\s+(?:geleden|lang)))")
# 'Dr. Bakkerlaan', 'Burg. Smitstraat': abbreviated titles in street names ('Smit.' ends a sentence)
_STREET_ABBREVIATION = r"(?:Dr|Mr|Burg|Prof|St|Ds|Mgr|Past|Jhr|Gen|Kon|Pr)\."
# a street name without a number: a capitalised compound on a suffix that only streets carry
_STREET_ONLY_SUFFIX = r"(?:straat|laan|weg|plein|kade|pad|hof|singel|gracht|dreef|steeg|dijk|erf|plantsoen|wal)"
_STREET_BARE = re.compile(
    rf"(?<![\w@.'’\-])(?:(?P<pre>(?:{_STREET_ABBREVIATION}|{_UP}{_LOW}+))\s)?(?P<name>{_UP}{_LOW}[\w'’\-]*?{_STREET_ONLY_SUFFIX})(?![\w@])"
)
# "frank van den Akker", "roos de Vries": a first name, particles and a capitalised surname
_FIRST_PARTICLE_SURNAME = re.compile(
    rf"(?<![\w@.'’\-])(?P<first>{_UP}?{_LOW}{{2,}})\s+(?:(?:van|de|der|den|ter|ten|te|in|op|'t|het)\s+){{1,3}}{_UP}{_LOW}[\w'’]+(?:-{_UP}{_LOW}+)?(?![\w@])"
)
# "de Okafor's", "de Jansens": a family named by its surname in the plural
_FAMILY_PLURAL = re.compile(rf"\bde\s+(?P<v>{_UP}{_LOW}+)(?=['’]s\b)")
# a street without a number identifies someone when it says where they live
_RESIDENCE = re.compile(
    rf"\b(?:woon|woont|wonen|woonde|woonden|wonend|verhuisd|verhuist|verhuizen|gewoond|adres)\b[^.!?\n]{{0,40}}?"
    rf"\b(?:op|aan|in|naar|van)\s+(?:de\s+|het\s+)?(?P<v>(?:[A-Z][a-z]{{0,2}}\.\s)?(?:[A-Z][\w'’\-]*\s)?[A-Z][\w'’\-]*{STREET_SUFFIX})\b"
)
_BSN = re.compile(r"(?<!\d)(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?!\d)")
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
    r"(?<!\d)(?<!al )(?<!ruim )(?<!bijna )(?<!sinds )(?<!tot )(?<!en )(?<!of )(1[0-1]\d|[1-9]\d)(?=\s*jaar\b)(?!\s*jaar\s+(?:geleden|lang|later|terug|hier|in|op|bij|al|nu|voor|na|wonen|woon))",
    re.I,
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
    "lokaal": "[lokale naam {n}]",
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

    def __init__(self, key: PseudonymKey, local_names: Iterable[str] = (), use_deduce: bool = True, allowed: Iterable[str] = ()) -> None:
        self.key = key
        self.local_names = [n for n in local_names if n.strip()]
        self.use_deduce = use_deduce
        # words that name no one here (the neighbourhood, its buildings): never taken for a person
        self.allowed = frozenset(w.lower() for phrase in allowed for w in [phrase, *phrase.split()] if w.strip())
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
            ("telefoon", _PHONE_ABROAD),
            ("adres", _ADDRESS),
            ("adres", _ADDRESS_LOWER),
            ("postcode", _POSTCODE),
            ("datum", _BIRTH),
            ("datum", _DATE),
            ("leeftijd", _AGE),
            ("leeftijd", _AGE_PLAIN),
            ("leeftijd", _AGE_SAID),
            ("leeftijd", _AGE_APPOSITION),
            ("leeftijd", _AGE_SAID_WORDS),
            ("leeftijd", _AGE_OF),
            ("leeftijd", _AGE_PAIR),
            ("adres", _RESIDENCE),
            ("adres", _RESIDENCE_AFTER),
            ("telefoon", _SPOKEN_PHONE),
            ("lokaal", _SHOP),
        ):
            for m in pattern.finditer(text):
                group: int | str = 0
                for name in ("v", "w", "x", "y"):
                    if name in pattern.groupindex and m.group(name) is not None:
                        group = name
                if kind == "lokaal" and not _shop_name(m.group(group)):
                    continue
                if "subj" in pattern.groupindex and m.group("subj") and not _age_subject(text, m.start("subj"), m.group("subj")):
                    continue
                spans.append(Span(m.start(group), m.end(group), kind, m.group(group)))
        for m in _BSN.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if _elfproef(digits):
                spans.append(Span(m.start(), m.end(), "bsn", m.group()))
        return spans

    def _heuristic_name_spans(self, text: str) -> list[Span]:
        """Names deduce's lists miss: initials with a surname, nicknames, names from anywhere in the
        world (a capitalised word that is no Dutch word and no known place), lower-case first names."""
        spans = []
        for m in _INITIALS_NAME.finditer(text):
            if not _street_not_person(text, m.start(1), m.end(1)):
                spans.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
        for m in _NICKNAME.finditer(text):
            group = "v" if m.group("v") else "w"
            spans.append(Span(m.start(group), m.end(group), "persoon", m.group(group)))
        for m in _TITLED.finditer(text):
            spans.append(Span(m.start("v"), m.end("v"), "persoon", m.group("v")))
        for m in _CAPITALISED.finditer(text):
            if _unknown_name(text, m.start(), m.group(), self.allowed) or _listed_name_mid_sentence(
                text, m.start(), m.group(), self.allowed
            ):
                spans.append(Span(m.start(), m.end(), "persoon", m.group()))
        lower = [
            m
            for m in _LOWER_WORD.finditer(text)
            if m.group() in _first_names()
            and not _is_common_word(m.group())
            and m.group() not in _common_words()
            and m.group() not in _NOT_NAMES
        ]
        for i, m in enumerate(lower):
            # "tai chi": two unknown lower-case words in a row are a foreign phrase, not a name
            pair = (i > 0 and text[lower[i - 1].end() : m.start()] == " ") or (
                i + 1 < len(lower) and text[m.end() : lower[i + 1].start()] == " "
            )
            # "de beste pom", "een goeie dik": an article before makes it a noun
            if not pair and not _DETERMINER_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                spans.append(Span(m.start(), m.end(), "persoon", m.group()))
        for m in _FIRST_PARTICLE_SURNAME.finditer(text):
            if _first_particle_surname(text, m, self.allowed):
                spans.append(Span(m.start(), m.end(), "persoon", m.group()))
        for m in _FAMILY_PLURAL.finditer(text):
            word = m.group("v").lower()
            if not _dutch_word(word) and word not in _place_names() and word not in _NOT_PERSONS and word not in self.allowed:
                spans.append(Span(m.start("v"), m.end("v"), "persoon", m.group("v")))
        spans += self._bare_street_spans(text)
        return spans

    def _bare_street_spans(self, text: str) -> list[Span]:
        """'op het Korenbloemplein', 'hoek Dahliastraat': a street named without a house number.

        Every mention of a street where people live points at them; a public square that names no
        one ('het Stationsplein') belongs in the workspace's ``allowed`` list."""
        spans = []
        for m in _STREET_BARE.finditer(text):
            name, start = m.group("name"), m.start("name")
            plain = name.lower()
            suffix = re.search(_STREET_ONLY_SUFFIX + "$", plain)
            if suffix is None or len(plain) - len(suffix.group()) < 3 or plain in self.allowed:
                continue
            # a place ('Zandvoort'), or a surname or first name that ends like a street ('Hulshof')
            if plain in _place_names() or plain in _surnames() or plain in _first_names():
                continue
            if _sentence_start(text, start) and _is_common_word(plain):
                continue  # 'Snelweg', 'Schoolplein' opening a sentence are words
            pre = m.group("pre")
            if pre and (re.fullmatch(_STREET_ABBREVIATION, pre) or _street_prefix(text, m.start("pre"), pre)):
                start = m.start("pre")
            spans.append(Span(start, m.end("name"), "adres", text[start : m.end("name")]))
        return spans

    def _name_spans(self, text: str) -> list[Span]:
        forms = self.key.known_names()
        for local in self.local_names:
            forms.setdefault(normalise_name(local), "")
        for local in self.key.values.get("lokaal", {}):
            forms.setdefault(local, "")
        spans = []
        for form, pseudonym in forms.items():
            if sum(ch.isalpha() for ch in form) < 2:
                continue  # an initial ('m.') would match inside 'i.v.m.'

            for pattern, case_sensitive in _name_patterns(form):
                for m in pattern.finditer(text):
                    if not case_sensitive and not m.group(1).split()[-1][0].isupper() and _common_form(form):
                        # 'een roos' stays, 'zei roos' goes: a lower-case word is a name only where a person stands
                        single = pseudonym and (" " not in form or form.split()[0] in NAME_PARTICLES)
                        if not (single and _lower_name_in_context(text, m.start(1), m.end(1), form in _stop_words())):
                            continue
                    elif pseudonym and _word_at_sentence_start(text, m.start(1), m.end(1), form):
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
        found = self._deduce_spans(text) + self._pattern_spans(text) + self._heuristic_name_spans(text)
        found = [_trim_person(text, sp) if sp.kind == "persoon" else sp for sp in found]
        # "41 jaar lang", "25 jaar getrouwd": a duration, whoever's detector called it an age
        found = [sp for sp in found if sp.kind != "leeftijd" or not _DURATION_AFTER.match(text, sp.end)]
        # "voor kinderen van 8 tot 12 jaar": the end of a range of ages belongs to no one
        found = [sp for sp in found if sp.kind != "leeftijd" or not _RANGE_BEFORE.search(text, max(0, sp.start - 12), sp.start)]
        found = [sp for sp in found if sp.text and (sp.kind != "persoon" or not _not_a_person(sp.text))]
        # "Dan", "Ook", "Wil" opening a sentence: capitals say nothing there, and these are words first
        found = [sp for sp in found if not (sp.kind == "persoon" and _sentence_start(text, sp.start) and _plain_stop_word(sp.text))]
        found = [sp for sp in found if not (sp.kind == "persoon" and _word_at_sentence_start(text, sp.start, sp.end, sp.text.lower()))]
        # deduce tags a lone '?' or '.' now and then; a span without a letter or digit hides nothing
        found = [sp for sp in found if any(ch.isalnum() for ch in sp.text)]
        spans = sorted(found, key=lambda s: (s.start, -s.end, s.kind))
        # register newly found person names first, so the name pass sees them everywhere
        for span in spans:
            if span.kind == "persoon" and _plausible_name(span.text) and span.text not in self.key.pseudonyms():
                self.key.person(span.text, role_hint.get(normalise_name(span.text)))
        spans = [s for s in spans if s.kind != "persoon" or _plausible_name(s.text)]
        spans += [sp for sp in self._name_spans(text) if sp.kind != "persoon" or not _not_a_person(sp.text)]
        spans = [
            sp
            for sp in spans
            if sp.kind != "persoon" or not (_place_after_preposition(text, sp) or _CHAIN_NAMED_AFTER_PERSON.match(text, sp.start))
        ]
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


@cache
def _deduce_list(folder: str, pattern: str = "items.txt") -> frozenset[str]:
    """Lower-cased entries of deduce's lookup lists under ``folder`` (files matching ``pattern``)."""
    import deduce

    root = Path(deduce.__file__).parent / "data" / "lookup" / "src" / folder
    words: set[str] = set()
    for path in sorted(root.glob(pattern)):
        try:
            words.update(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        except OSError:
            continue
    return frozenset(words)


def _first_names() -> frozenset[str]:
    """deduce's list of first names: 'Bram' is a name, 'Vallen' at the start of a sentence is not."""
    return _deduce_list("names/lst_first_name")


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
    # 'Dr.', 'Burg.', 'St.' shorten words in street names; a bare initial ('B. Hulshof') shortens a first name
    abbreviated = len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]{1,3}\.", words[0]) is not None
    abbreviated = abbreviated or re.search(r"\b[A-Z][a-z]{1,3}\.\s+$", text[max(0, start - 8) : start]) is not None
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
    # 'm.' from 'i.v.m.' is no name: a name has at least two letters
    return sum(ch.isalpha() for ch in text) >= 2


_COMMON_CACHE: dict[str, bool] = {}


def _is_common_word(form: str) -> bool:
    """Names that are also Dutch words ("Roos", "Wil", "Bas") only match when capitalised."""
    if form not in _COMMON_CACHE:
        import simplemma

        _COMMON_CACHE[form] = all(simplemma.is_known(w, lang="nl") for w in form.split())
    return _COMMON_CACHE[form]


def _common_form(form: str) -> bool:
    """A remembered name that is also an ordinary Dutch word replaces only its capitalised uses."""
    plain = [_strip_diacritics(w) for w in form.split()]
    return all(_is_common_word(w) or w in _stop_words() for w in plain)


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
        import gc

        from deduce import Deduce

        # deduce unpickles millions of small lookup objects; the cyclic collector would walk them
        # again and again while they arrive (8 s instead of 3 s), and in every later collection
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            _DEDUCE = Deduce()
        finally:
            if was_enabled:
                gc.enable()
        gc.freeze()
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


_CAPITALISED = re.compile(rf"(?<![\w@.'’\-/]){_UP}{_LOW}[\w'’]*(?:-{_UP}{_LOW}+)?(?:\s+{_UP}{_LOW}[\w'’]*(?:-{_UP}{_LOW}+)?)?(?![\w@])")
_LOWER_WORD = re.compile(rf"(?<![\w@.\-/]){_LOW}{{3,}}(?![\w@])")
_ARTICLE_BEFORE = re.compile(r"(?:\b(?:de|het|een|naar|uit|in|op|bij de|van de|van het)\s+)$", re.I)
# lower-case first names that are ordinary words in transcripts
_NOT_NAMES = frozenset({"ben", "bas", "wil", "mag", "roos", "mees", "hoor", "nou", "hee", "hoi", "joh", "jan", "bene"})
# capitalised words that are neither Dutch words in simplemma's list nor names: countries,
# chains, agencies, feasts and the like, which identify nobody
_NOT_PERSONS = frozenset(
    """
    nederland nederlands nederlandse marokko marokkaans marokkaanse turkije turks turkse suriname surinaams surinaamse
    curaçao curaçaos curaçaose antillen antilliaans antilliaanse aruba bonaire polen pools poolse syrië syrisch syrische
    eritrea eritrees eritrese ethiopië ethiopisch somalië somalisch irak iraaks iran iraans afghanistan afghaans
    china chinees chinese indonesië indonesisch indonesische india indiaas duitsland duits duitse belgië belgisch
    frankrijk frans spanje spaans italië italiaans portugal portugees engeland engels amerika amerikaans
    europa europees europese afrika afrikaans azië bulgarije bulgaars roemenië roemeens oekraïne oekraïens rusland russisch
    kaapverdië kaapverdisch ghana ghanees nigeria egypte tunesië algerije libanon jemen soedan koerdisch koerdistan
    heijn lidl aldi jumbo plus dirk vomar coop spar hema kruidvat etos action blokker zeeman xenos gamma praxis
    karwei ikea mediamarkt bol postnl dhl ziggo kpn vodafone eneco essent vattenfall rabobank ing abn amro sns asn
    whatsapp facebook instagram tiktok youtube google apple samsung microsoft netflix digid mijnoverheid
    wmo aow anw awbz wlz zvw cak uwv svb ggd ggz cjg duo cbr belastingdienst toeslagen nibud juridisch loket
    humanitas zonnebloem leger heils resto vanharte voedselbank vluchtelingenwerk wijkteam thuiszorg buurtzorg
    ramadan suikerfeest offerfeest kerst kerstmis pasen pinksteren hemelvaart sinterklaas koningsdag bevrijdingsdag
    keti koti divali diwali chinees nieuwjaar hanoeka allah god jezus profeet
    geachte beste hierbij sindsdien haha hihi hoi mevrouw meneer mevr dhr mw geb tel nr ps dr drs ing mr prof
    facilitator welzijn zorg
    ach och hè hé nou tja joh jeetje hoor oké oke hm hmm eh ehm uh ah oh oei au hup hallo doei
    tarifit tamazight berbers arabisch papiaments sranan sranantongo tigrinya dari farsi pashtu urdu hindi hindoestaans
    yoruba igbo hausa twi akan swahili amhaars tigrinya vietnamees thais tamil punjabi bengaals philips shell unilever
    heineken randstad asml mandarijn kantonees tagalog couscous inshallah insjallah mashallah wallah habibi oeps kou holi nowruz newroz eid pesach vaisakhi sint-maarten halloween carnaval
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    bewoner bewoners professional professionals gespreksleider persoon
    """.split()
)


def _place_names() -> frozenset[str]:
    """deduce's lists of Dutch places, municipalities, provinces and regions: no person is called Zwolle."""
    return _deduce_list("locations/lst_placename", "*/items.txt")


def _unknown_name(text: str, start: int, candidate: str, allowed: frozenset[str]) -> bool:
    """A capitalised word (or two) that no Dutch dictionary, place list or list of agencies knows:
    in talk about a neighbourhood that is nearly always a person's name ("Yonas", "Kowalski")."""
    words = candidate.split()
    plain = [w.strip("'’").lower() for w in words]
    if any(len(w) < 3 for w in plain) or candidate.lower() in allowed or any(w in allowed for w in plain):
        return False
    if re.search(STREET_SUFFIX + r"$", plain[-1]) and len(plain[-1]) > 6:
        return False  # a street name without a number; where it locates a home, _RESIDENCE has it
    if candidate.lower() in _place_names() or any(w in _place_names() or w in _NOT_PERSONS for w in plain):
        return False
    if all(_dutch_word(w.replace("-", "")) for w in plain):
        return False
    if _ARTICLE_BEFORE.search(text[max(0, start - 12) : start]) and not any(w in _first_names() for w in plain):
        # "de Vlietkamp", "het Kastanjehuis": places and organisations follow an article, people rarely do
        return False
    return True


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """deduce's whitelist (common words, stop words, medical terms) and spaCy's Dutch stop words:
    simplemma's dictionary misses many adverbs ("daarvoor", "anders")."""
    return _deduce_list("whitelist", "**/items.txt") | _stop_words()


_DUTCH_SUFFIX = re.compile(r"(?:ing|ingen|heid|heden|schap|atie|aties|teit|isme|elijk|lijk|baar|achtig)$")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from .language import dutch_stop_words

    return dutch_stop_words()


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?:;"“‘(\n' or text[:start].endswith("\n")


def _plain_stop_word(text: str) -> bool:
    words = text.split()
    return len(words) == 1 and _strip_diacritics(words[0].lower()) in _stop_words()


def _dutch_word(word: str) -> bool:
    # "óók", "wíl": Dutch writes emphasis with accents; the word is still a word
    plain = _strip_diacritics(word)
    if plain != word and _dutch_word(plain):
        return True
    if word in _common_words() or _is_common_word(word) or re.fullmatch(_NUMBER_WORD, word):
        return True
    if len(word) >= 8 and _DUTCH_SUFFIX.search(word):
        return True  # 'inschrijving', 'bereikbaarheid': Dutch derivations, not names
    return word not in _first_names() and word not in _surnames() and _is_compound(word)


@lru_cache(maxsize=20000)
def _is_compound(word: str) -> bool:
    """'buurtfeest', 'daarvoor', 'urgentieaanvraag': Dutch glues known words together (sometimes
    with a linking s or e); a name like 'Kromodimedjo' does not split so."""
    if len(word) < 7:
        return False
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        for link in ("", "s", "e", "en"):
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            known_stem = _is_common_word(stem) or stem in _common_words()
            known_tail = _is_common_word(tail) or tail in _common_words() or _is_compound(tail)
            if len(stem) >= 3 and len(tail) >= 3 and known_stem and known_tail:
                return True
    return False


def _not_a_person(text: str) -> bool:
    """Our own pseudonyms, chains, agencies and salutations that a detector took for a name."""
    if _PSEUDONYM_FORM.match(text.strip()) or _CHAIN_NAMED_AFTER_PERSON.search(text):
        return True
    words = [_strip_diacritics(w.strip(".,:'’").lower()) for w in text.split()]
    if not words or all(w in _NOT_PERSONS or re.fullmatch(_PARTICLES, w) for w in words):
        return bool(words)
    # 'Spreekt Engels', 'Bij Lidl': a word that names no one next to a plain Dutch word
    if any(w in _NOT_PERSONS for w in words) and all(
        w in _NOT_PERSONS or (_dutch_word(w) and w not in _first_names() and w not in _surnames()) for w in words
    ):
        return True
    # "de Populierenlaan" is a street, whatever a detector made of it; "Kerkhof" can be a surname
    street = re.search(STREET_SUFFIX + r"$", words[-1])
    listed = any(w in _first_names() or w in _surnames() for w in words if not re.fullmatch(_PARTICLES, w))
    return bool(street) and len(words[-1]) - len(street.group()) >= 3 and not listed


# words that can open a sentence before a name but are never part of one
_NEVER_IN_NAMES = frozenset(
    """bewoner professional gespreksleider persoon facilitator als bij en maar dus want toen met voor door op in aan naar
    dat die dit deze ook nog dan ja nee nou ik wij we zij hij ze mijn onze jullie u hoi dag beste lieve tante oom opa oma
    buurman buurvrouw zoon dochter moeder vader broer zus neef nicht kleinzoon kleindochter vriend vriendin zei zegt vroeg
    heeft had is was komt kwam gaat ging waar wat wie hoe omdat terwijl sinds tot zonder over onder zoals gewoon
    echt alleen samen behalve""".split()
)


def _trim_person(text: str, span: Span) -> Span:
    """'Bewoner Piotr Nowak', 'Bij Yasmina', 'Als Chaouch': keep the name, drop the word before it."""
    start, end = span.start, span.end
    while True:
        m = re.match(r"([^\s]+)\s+", text[start:end])
        if not m or m.group(1).strip(".,:;'’").lower() not in _NEVER_IN_NAMES:
            break
        start += m.end()
    return Span(start, end, span.kind, text[start:end]) if start != span.start else span


_RANGE_BEFORE = re.compile(r"\d\s*(?:tot|t/m|-|–)\s*$")
_DURATION_AFTER = re.compile(
    r"\s*jaar\s+(?:lang|geleden|getrouwd|samen|terug|later|eerder|gewerkt|gewoond|in dienst)\b"
    # "37 jaar postbode geweest", "20 jaar bij de gemeente gewerkt": years in a job, not an age
    r"|\s*jaar\s+(?:[\w'’]+\s+){1,3}(?:geweest|gewerkt|gewoond|gedaan|gediend)\b",
    re.I,
)
_PSEUDONYM_FORM = re.compile(r"^(?:Bewoner|Professional|Gespreksleider|Persoon|Facilitator)(?:\s+\d+)?$")


def _surnames() -> frozenset[str]:
    return _deduce_list("names/lst_surname")


def _listed_name_mid_sentence(text: str, start: int, candidate: str, allowed: frozenset[str]) -> bool:
    """'ik zag Riet gisteren', 'die van Schouten': inside a sentence Dutch capitalises names, not
    nouns, so a capitalised word from the lists of first names or surnames is a name there."""
    before = text[:start].rstrip()
    if not before or before[-1] in '.!?:;"“‘(\n' or text[:start].endswith("\n"):
        return False
    words = [w.strip("'’").lower() for w in candidate.split() if not re.fullmatch(_PARTICLES, w.lower())]
    if not words or any(w in _NOT_PERSONS or w in allowed or w in _place_names() for w in words):
        return False
    if _ARTICLE_BEFORE.search(text[max(0, start - 12) : start]):
        return False
    # a surname that is also a word ("Goed", "Mooi") needs more than capitals; a first name does not
    return any(w in _first_names() or (w in _surnames() and not _is_common_word(w)) for w in words)


def _shop_name(name: str) -> bool:
    """'bakkerij Van Dongen' or 'café De Zwaan' is a local business that points at people;
    'supermarkt Albert Heijn' is a chain."""
    plain = [w.lower() for w in name.split() if not re.fullmatch(_PARTICLES, w.lower())]
    return bool(plain) and not all(w in _NOT_PERSONS for w in plain)


# chains named after a person: the first name alone stays a name ("niemand zei ooit Albert")
_CHAIN_NAMED_AFTER_PERSON = re.compile(r"\bAlbert\s+Heijn\b", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:de|het|een|geen|elke|ieder|iedere|welke|zo'n)\s+(?:[a-zé]+\s+)?$", re.I)


def _age_subject(text: str, start: int, subject: str) -> bool:
    """'Storm is zes', not 'Het is zes' or 'Koffie is twee': only a name before 'is' has an age."""
    word = subject.lower()
    if not subject[:1].isupper() or word in _stop_words() or word in _NOT_PERSONS or word in _NEVER_IN_NAMES:
        return False
    return word in _first_names() or not _sentence_start(text, start) or not _dutch_word(word)


def _street_prefix(text: str, start: int, word: str) -> bool:
    """'Pastoor Smitsstraat', 'de Van Heemstralaan' keep their first word; 'Bij Kervelstraat' does not."""
    plain = word.lower()
    if plain in ("van", "de", "den", "sint"):
        return not _sentence_start(text, start)
    # 'Gerda Merelstraat' is a person and her street: the first name is no part of the street's name
    return plain not in _stop_words() and plain not in _NEVER_IN_NAMES and plain not in _NOT_PERSONS and plain not in _first_names()


def _first_particle_surname(text: str, m: re.Match[str], allowed: frozenset[str]) -> bool:
    """'frank van den Akker' is a person; 'de man van De Wit' or 'Henk van de Dahliastraat' is not one name."""
    first = m.group("first").lower()
    if first not in _first_names() or first in _stop_words() or first in _NOT_NAMES or first in allowed:
        return False
    if _DETERMINER_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return False
    words = m.group().split()
    last = words[-1].lower()
    if re.search(_STREET_ONLY_SUFFIX + "$", last) or last in _NOT_PERSONS or last in allowed:
        return False
    if first in _NEVER_IN_NAMES or words[1:-1] in (["in"], ["op"], ["te"]):
        return False  # 'mijn zus in Zeist': a kinship word and a preposition
    # 'Kees van Utrecht' may be where Kees comes from; 'van den Akker' is a surname even if a hamlet is so called
    return not (words[1:-1] == ["van"] and last in _place_names())


# words after which a lower-case remembered name is that person: "zei roos", "tegen merel", "buurvrouw roos"
_NAME_CUE_BEFORE = frozenset(
    """ben heet zei zegt vroeg vraagt riep tegen met bij aan voor naar en samen buurvrouw buurman tante oom ome opa oma zus zusje
    broer broertje vriendin vriend collega dochter zoon kleinzoon kleindochter juf meester""".split()
)
# verbs and little words that follow a person at the start of a clause: "roos zei", "noor helpt", "toon is"
_NAME_CUE_AFTER = frozenset(
    """zei zegt vroeg vraagt riep is was heeft had kwam komt helpt hielp kent kende doet deed woont woonde belde belt
    eet at ging gaat zit zat werkt werkte kan kon moet weet wist speelt speelde vertelt vertelde en van d'r z'n met
    die ook""".split()
)
_CLAUSE_START = re.compile(r"(?:^|[.!?:;,\n(]\s*|\b(?:en|maar|want|toen|nou|ach|ja|dat|of)\s+)$", re.I)
_NEXT_WORD = re.compile(r"\s*([\w'’]+)")


def _lower_name_in_context(text: str, start: int, end: int, verb_like: bool) -> bool:
    """A remembered name that is also a word ('roos', 'toon', 'merel') counts in lower case only where
    a person stands: after 'zei', 'tegen', 'buurvrouw', or opening a clause before a verb ('noor helpt').
    Names that are also verbs or function words ('wil', 'door') need both a cue before and a verb after."""
    before = text[max(0, start - 40) : start]
    prev = re.search(r"([\w'’]+)\s+$", before)
    prev_word = prev.group(1).lower() if prev else ""
    nxt = _NEXT_WORD.match(text, end)
    next_word = nxt.group(1).lower() if nxt else ""
    if _DETERMINER_BEFORE.search(before) or prev_word in _stop_words() - _NAME_CUE_BEFORE - {"en", "maar", "want", "toen", "dat", "of"}:
        return False
    cue_before = prev_word in _NAME_CUE_BEFORE
    cue_after = next_word in _NAME_CUE_AFTER or (nxt is None and text[end : end + 1] in ",.:!?")
    if verb_like:
        return cue_before and next_word in _NAME_CUE_AFTER - {"en", "van", "met", "die", "ook"}
    return cue_before or (bool(_CLAUSE_START.search(before)) and cue_after)


# after a sentence-opening word that is both a name and a word ('Wil', 'Door', 'Toon'), these say it is the word
_WORD_NOT_NAME_AFTER = re.compile(
    r"\s+(?:je|u|jij|jullie|ze|we|wij|hij|zij|ik|de|het|een|die|dat|dit|deze|maar|eens|even|toch|nou)\b", re.I
)
# "op de Rijn", "over de Maas": after a preposition of place, 'de X' is a river, hill or square
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:op|in|over|langs|naar|uit|aan)\s+$", re.I)
# "ik kom van Suriname, van Nickerie", "geboren in Kumasi": after words of origin comes a place
_ORIGIN_BEFORE = re.compile(
    r"\b(?:kom|komt|kwam|kwamen|komen|afkomstig|geboren|opgegroeid|gevlucht|gevlogen|vandaan|woonde|woonden)\b[^.!?\n]{0,30}?"
    r"\b(?:van|uit|in)\s+(?:[^\s.!?\n]+,?\s+(?:van|uit|in)\s+)?$",
    re.I,
)


def _word_at_sentence_start(text: str, start: int, end: int, form: str) -> bool:
    """'Wil je koffie?', 'Door de regen', 'Toon maar eens': a name that is also a word, opening a
    sentence before a pronoun, an article or a particle, is the word."""
    if " " in form.strip() or not _sentence_start(text, start) or not _common_form(form):
        return False
    return _WORD_NOT_NAME_AFTER.match(text, end) is not None


def _place_after_preposition(text: str, span: Span) -> bool:
    """'op de Rijn', 'over de Maas', 'ik kom uit Nador': a river, hill or home town, not a person."""
    words = span.text.split()
    if not words:
        return False
    if words[0] == "de" and _PLACE_PREPOSITION_BEFORE.search(text, max(0, span.start - 12), span.start):
        return True
    if re.search(r"\bde\s+$", text[max(0, span.start - 4) : span.start]) and _PLACE_PREPOSITION_BEFORE.search(
        text, max(0, span.start - 16), span.start - 3
    ):
        return True
    return words[-1].lower() not in _first_names() and _ORIGIN_BEFORE.search(text, max(0, span.start - 60), span.start) is not None
