"""Recall and precision of pseudonymisation per kind of identifier, on corpora/privacy.

    .venv/bin/python benchmarks/bench_privacy.py [--set test|ontwikkel|ontwikkel-2] [--alarms] [--json]

Fragments are processed in file order by one Pseudonymiser, as a workspace ingests transcripts one
after another: a name learned in one fragment is then caught wherever it recurs. A labelled
identifier counts as caught when every letter and digit of it lies inside a detected span (a
partly replaced name still identifies); for a local business that is its name, not the word for
its trade ("bakkerij" stays, "Van Dongen" must go). A detected span is a false alarm when it touches no
labelled identifier; false alarms on the labelled hard negatives are counted separately.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lerendewijk.privacy import Pseudonymiser, PseudonymKey  # noqa: E402

CORPUS = ROOT / "corpora" / "privacy" / "identificatoren.jsonl"
TEST_CORPUS = ROOT / "corpora" / "privacy" / "identificatoren-test.jsonl"
# a second development batch, written later to aim at the kinds of misses the first one showed
CORPUS_2 = ROOT / "corpora" / "privacy" / "identificatoren-2.jsonl"
CORPORA = {"ontwikkel": CORPUS, "ontwikkel-2": CORPUS_2, "test": TEST_CORPUS}
GROUPS = {
    "namen": ("voornaam", "achternaam", "volledige_naam", "bijnaam"),
    "adressen": ("straat", "postcode"),
    "telefoon": ("telefoon",),
}


def covered(start: int, end: int, text: str, spans: list) -> bool:
    inside = [False] * (end - start)
    for s in spans:
        for i in range(max(start, s.start), min(end, s.end)):
            inside[i - start] = True
    return all(ok or not text[start + i].isalnum() for i, ok in enumerate(inside))


def measure(rows: list[dict], pseudonymiser: Pseudonymiser) -> dict:
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: list[dict] = []
    alarms: list[str] = []
    detected = true_detections = on_negatives = 0
    for row in rows:
        text = row["text"]
        spans = pseudonymiser.find_spans(text)
        for gold in row["spans"]:
            total[gold["kind"]] += 1
            start = gold["start"]
            if gold["kind"] == "lokale_zaak" and " " in gold["text"]:
                start += gold["text"].index(" ") + 1
            if covered(start, gold["end"], text, spans):
                caught[gold["kind"]] += 1
            else:
                missed.append({"id": row["id"], "kind": gold["kind"], "text": gold["text"]})
        for span in spans:
            detected += 1
            if any(span.start < g["end"] and g["start"] < span.end for g in row["spans"]):
                true_detections += 1
            elif any(span.start < n["end"] and n["start"] < span.end for n in row.get("negatives", [])):
                on_negatives += 1
                alarms.append(f"{row['id']} {span.kind} {span.text!r} (hard negative)")
            else:
                alarms.append(f"{row['id']} {span.kind} {span.text!r}")
    per_kind = {k: {"n": total[k], "recall": round(caught[k] / total[k], 4)} for k in sorted(total)}
    groups = {g: round(sum(caught[k] for k in kinds) / max(1, sum(total[k] for k in kinds)), 4) for g, kinds in GROUPS.items()}
    negatives = sum(len(r.get("negatives", [])) for r in rows)
    return {
        "fragments": len(rows),
        "identifiers": sum(total.values()),
        "recall": round(sum(caught.values()) / max(1, sum(total.values())), 4),
        "precision": round(true_detections / max(1, detected), 4),
        "false_alarms": detected - true_detections,
        "false_alarms_on_hard_negatives": on_negatives,
        "hard_negatives": negatives,
        "per_kind": per_kind,
        "groups": groups,
        "missed": missed,
        "alarms": alarms,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--alarms", action="store_true", help="also list every false alarm")
    parser.add_argument(
        "--set",
        choices=sorted(CORPORA),
        default="test",
        help="test: the held-out set, never looked at while building the detector (default); ontwikkel, ontwikkel-2: the sets it was tuned on",
    )
    args = parser.parse_args()
    corpus = CORPORA[args.set]
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    result = measure(rows, Pseudonymiser(PseudonymKey()))
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{result['fragments']} fragments, {result['identifiers']} identifiers, {result['seconds']} s")
    for kind, m in result["per_kind"].items():
        print(f"  {kind:16s} n={m['n']:4d}  recall {m['recall']:.3f}")
    print("groups: " + ", ".join(f"{g} {v:.3f}" for g, v in result["groups"].items()))
    print(
        f"recall {result['recall']:.3f}, precision {result['precision']:.3f}, false alarms {result['false_alarms']} "
        f"(on hard negatives {result['false_alarms_on_hard_negatives']} of {result['hard_negatives']})"
    )
    for m in result["missed"]:
        print(f"  missed {m['id']} {m['kind']}: {m['text']!r}")
    if args.alarms:
        for alarm in result["alarms"]:
            print(f"  false alarm {alarm}")


if __name__ == "__main__":
    main()
