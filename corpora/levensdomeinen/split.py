"""Fix the train/dev/test split of the labelled life-domain fragments.

A hash of each fragment's id decides its split (train 70 %, dev 15 %, test 15 %), so adding new
fragments never moves old ones between splits. ``generalisatie.jsonl`` is kept apart as a second
test slice and is never used for training or tuning.

    python corpora/levensdomeinen/split.py          # writes train.jsonl, dev.jsonl, test.jsonl
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).parent
DOMAINS = {"lichaam_en_geest", "sociale_relaties", "materiele_situatie", "arbeid_en_prestatie", "waarden_en_inspiratie"}
ASPECTS = {"fysiek", "sociaal", "beide", None}
ACTORS = {"bewoners", "overheid", "organisaties", "professionals", "gemengd", "onduidelijk"}


def split_of(fragment_id: str) -> str:
    bucket = int(hashlib.sha256(fragment_id.encode("utf-8")).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def check(row: dict, where: str) -> None:
    assert row.get("id") and row.get("text", "").strip(), f"{where}: id and text are required"
    assert set(row["domains"]) <= DOMAINS and len(row["domains"]) == len(set(row["domains"])) <= 3, f"{where}: domains"
    assert row.get("aspect") in ASPECTS and row.get("actor") in ACTORS, f"{where}: aspect/actor"
    assert (row["aspect"] is None) == (not row["domains"]), f"{where}: aspect is null exactly when there is no domain"


def main() -> None:
    rows = []
    for source in sorted((HERE / "bronnen").glob("*.jsonl")):
        for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                check(row, f"{source.name}:{n}")
                rows.append(row)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    # the same text under two ids (short back-channels such as "Ja, klopt.") would leak across splits
    kept: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        kept.setdefault(re.sub(r"\W+", " ", row["text"].lower()).strip(), row)
    dropped = len(rows) - len(kept)
    rows = list(kept.values())
    held_out = {
        re.sub(r"\W+", " ", json.loads(line)["text"].lower()).strip() for line in (HERE / "generalisatie.jsonl").open(encoding="utf-8")
    }
    rows = [r for r in rows if re.sub(r"\W+", " ", r["text"].lower()).strip() not in held_out]
    for line in (HERE / "generalisatie.jsonl").read_text(encoding="utf-8").splitlines():
        check(json.loads(line), "generalisatie.jsonl")
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for row in sorted(rows, key=lambda r: r["id"]):
        splits[split_of(row["id"])].append(row)
    for name, part in splits.items():
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (HERE / f"{name}.jsonl").write_text(text, encoding="utf-8")
        print(f"{name}: {len(part)}")
    print(f"duplicate texts left out: {dropped}")


if __name__ == "__main__":
    main()
