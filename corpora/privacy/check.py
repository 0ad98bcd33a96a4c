"""Validate identificatoren.jsonl, the labelled Dutch pseudonymisation test set.

Plain Python, no dependencies:

    python corpora/privacy/check.py [--no-minimum] [path/to/identificatoren.jsonl]

Checks that every line parses as JSON with the expected fields, that every span and every
negative matches text[start:end], that kinds come from the fixed list, that no two spans (or a
span and a negative) overlap, that BSN spans pass the Dutch 11-test, and that a labelled name or
street is not left unlabelled elsewhere in the set. Prints counts per kind and the number of
negatives, and compares them with the minimum counts the set promises (skip that comparison with
--no-minimum, for instance for a smaller set in the same format). Exits 1 on any error.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

KINDS = (
    "voornaam",
    "achternaam",
    "volledige_naam",
    "bijnaam",
    "straat",
    "postcode",
    "telefoon",
    "email",
    "bsn",
    "geboortedatum",
    "leeftijd",
    "lokale_zaak",
)
MINIMUM = {
    "voornaam": 60,
    "achternaam": 40,
    "volledige_naam": 25,
    "bijnaam": 10,
    "straat": 35,
    "postcode": 15,
    "telefoon": 35,
    "email": 15,
    "bsn": 12,
    "geboortedatum": 15,
    "leeftijd": 20,
    "lokale_zaak": 12,
}
MIN_SPANS = 320
MIN_NEGATIVES = 80
BRONNEN = {"verhalentafel", "wijkwandeling", "notitie", "email"}
# kinds whose labelled strings must not appear unlabelled elsewhere in the set
CONSISTENT_KINDS = {"voornaam", "achternaam", "volledige_naam", "bijnaam", "straat", "lokale_zaak"}


def bsn_valid(value: str) -> bool:
    digits = re.sub(r"[.\s]", "", value)
    if not re.fullmatch(r"\d{9}", digits):
        return False
    total = sum(int(digits[i]) * (9 - i) for i in range(8)) - int(digits[8])
    return total % 11 == 0


def check_items(items, where, text, errors):
    for item in items:
        try:
            start, end, value = item["start"], item["end"], item["text"]
        except (KeyError, TypeError):
            errors.append(f"{where}: item without start/end/text: {item!r}")
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            errors.append(f"{where}: bad offsets {start}-{end} for {value!r}")
        elif text[start:end] != value:
            errors.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {value!r}")
        elif value != value.strip():
            errors.append(f"{where}: {value!r} has surrounding whitespace")


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--no-minimum"]
    enforce_minimum = len(args) == len(argv) - 1
    path = Path(args[0]) if args else Path(__file__).with_name("identificatoren.jsonl")
    errors: list[str] = []
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append((lineno, json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(f"line {lineno}: invalid JSON: {exc}")

    kinds: Counter[str] = Counter()
    bronnen: Counter[str] = Counter()
    n_negatives = 0
    seen_ids = set()
    for lineno, rec in records:
        where = f"line {lineno} ({rec.get('id', '?')})"
        missing = {"id", "text", "spans", "negatives", "bron"} - set(rec)
        if missing:
            errors.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if rec["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(rec["id"])
        if rec["bron"] not in BRONNEN:
            errors.append(f"{where}: unknown bron {rec['bron']!r}")
        bronnen[rec["bron"]] += 1
        text = rec["text"]
        check_items(rec["spans"], where, text, errors)
        check_items(rec["negatives"], where, text, errors)
        for span in rec["spans"]:
            kind = span.get("kind")
            if kind not in KINDS:
                errors.append(f"{where}: unknown kind {kind!r}")
                continue
            kinds[kind] += 1
            if kind == "bsn" and not bsn_valid(span["text"]):
                errors.append(f"{where}: BSN {span['text']!r} fails the 11-test")
        n_negatives += len(rec["negatives"])
        ranges = sorted(
            [(s["start"], s["end"], "span", s["text"]) for s in rec["spans"]]
            + [(n["start"], n["end"], "negative", n["text"]) for n in rec["negatives"]]
        )
        for a, b in zip(ranges, ranges[1:]):
            if b[0] < a[1]:
                errors.append(f"{where}: {a[2]} {a[3]!r} overlaps {b[2]} {b[3]!r}")

    # completeness: a string labelled as a name, street or business somewhere must not occur
    # unlabelled (outside every span and negative) anywhere in the set
    labelled = {s["text"] for _, r in records for s in r.get("spans", []) if s.get("kind") in CONSISTENT_KINDS and len(s["text"]) >= 2}
    if labelled:
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(labelled, key=len, reverse=True)) + r")(?!\w)")
        for lineno, rec in records:
            covered = [(s["start"], s["end"]) for s in rec.get("spans", [])]
            covered += [(n["start"], n["end"]) for n in rec.get("negatives", [])]
            for m in pattern.finditer(rec.get("text", "")):
                if not any(a <= m.start() and m.end() <= b for a, b in covered):
                    errors.append(f"line {lineno} ({rec.get('id')}): {m.group(1)!r} at {m.start()} is labelled elsewhere but not here")

    total = sum(kinds.values())
    print(f"{path.name}: {len(records)} fragments, {total} spans, {n_negatives} negatives")
    print("bron: " + ", ".join(f"{b} {n}" for b, n in sorted(bronnen.items())))
    for kind in KINDS:
        flag = "" if kinds[kind] >= MINIMUM[kind] else f"   below minimum {MINIMUM[kind]}"
        print(f"  {kind:<15} {kinds[kind]:>4}{flag}")
        if flag and enforce_minimum:
            errors.append(f"{kind}: {kinds[kind]} spans, minimum is {MINIMUM[kind]}")
    if enforce_minimum and total < MIN_SPANS:
        errors.append(f"{total} spans in total, minimum is {MIN_SPANS}")
    if enforce_minimum and n_negatives < MIN_NEGATIVES:
        errors.append(f"{n_negatives} negatives, minimum is {MIN_NEGATIVES}")

    for error in errors:
        print("ERROR " + error, file=sys.stderr)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
