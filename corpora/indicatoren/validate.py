"""Validate indicatoren.jsonl: parse, unique ids, allowed labels/tones, no duplicate texts; print counts."""

import collections
import json
import re
import sys
from pathlib import Path

INDICATOREN = [
    "zelfstandigheid",
    "zelfredzaamheid",
    "toegankelijkheid",
    "veiligheid",
    "betaalbaarheid",
    "ontmoeting",
    "zorgzaamheid",
    "gezamenlijke verantwoordelijkheid",
]
TONEN = ["probleem", "sterkte", "wens", "neutraal"]
KEYS = {"id", "text", "indicatoren", "toon", "toelichting"}


def norm(t):
    return re.sub(r"\W+", " ", t.lower()).strip()


def main(path=Path(__file__).with_name("indicatoren.jsonl")):
    errors, rows = [], []
    for n, line in enumerate(open(path, encoding="utf8"), 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: {e}")
            continue
        if set(r) != KEYS:
            errors.append(f"line {n}: keys {sorted(r)}")
        if not re.fullmatch(r"ind-\d{4}", r.get("id", "")):
            errors.append(f"line {n}: bad id {r.get('id')}")
        labs = r.get("indicatoren", [])
        if not isinstance(labs, list) or any(label not in INDICATOREN for label in labs) or len(set(labs)) != len(labs):
            errors.append(f"line {n}: bad indicatoren {labs}")
        if r.get("toon") not in TONEN:
            errors.append(f"line {n}: bad toon {r.get('toon')}")
        words = len(r.get("text", "").split())
        if not 4 <= words <= 120:
            errors.append(f"line {n}: {words} words")
        if not r.get("toelichting", "").strip():
            errors.append(f"line {n}: empty toelichting")
        rows.append(r)
    for key, f in (("id", lambda r: r["id"]), ("text", lambda r: norm(r["text"]))):
        dup = [k for k, c in collections.Counter(map(f, rows)).items() if c > 1]
        if dup:
            errors.append(f"duplicate {key}: {dup}")
    first = collections.Counter(r["indicatoren"][0] if r["indicatoren"] else "(none)" for r in rows)
    anyl = collections.Counter(label for r in rows for label in r["indicatoren"])
    print(f"fragments: {len(rows)}")
    print("labels per fragment:", dict(sorted(collections.Counter(len(r["indicatoren"]) for r in rows).items())))
    print(f"{'indicator':36} first  any")
    for k in INDICATOREN + ["(none)"]:
        print(f"{k:36} {first[k]:5} {anyl.get(k, '')!s:>4}")
    print("toon:", dict(collections.Counter(r["toon"] for r in rows)))
    lexical = [
        r["id"]
        for r in rows
        if re.search(r"zelfstandig|zelfredza|toegankelijk|veilig|betaalba|ontmoet|zorgzaam|verantwoordelijk", r["text"], re.I)
    ]
    print(f"fragments containing an indicator word: {len(lexical)} {lexical}")
    for k in INDICATOREN:
        if first[k] < 45:
            errors.append(f"{k}: only {first[k]} fragments with it as first label")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
