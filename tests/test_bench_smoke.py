"""Smoke test of the scale benchmark (issue 8): the generator and the report, no full cycle.

The benchmark itself takes many minutes; this checks in a few seconds that the corpus generator
is deterministic and varied, that its files are read as the transcripts they claim to be, and
that the measurement and report functions of ``bench_scale.py`` work on made-up timings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_scale  # noqa: E402
import generate_corpus  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    a = generate_corpus.write_corpus(tmp_path / "a", 60, seed=3)
    b = generate_corpus.write_corpus(tmp_path / "b", 60, seed=3)
    generate_corpus.write_corpus(tmp_path / "c", 60, seed=4)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert a == {**b, "map": a["map"]}
    assert 60 <= a["fragmenten"] <= 70


def test_fragments_are_distinct_and_files_say_they_are_fictional(tmp_path: Path) -> None:
    stats = generate_corpus.write_corpus(tmp_path, 60, seed=8)
    assert stats["dubbel"] < 0.02
    text = next(tmp_path.glob("*.txt")).read_text(encoding="utf-8")
    assert "fictief: true" in text and generate_corpus.HEADER_LINE in text
    # a larger draw from the grammar stays distinct too (no files written: fast)
    units = [u for t, _ in generate_corpus.generate(3000, seed=8) for u in t.units]
    assert generate_corpus.duplicate_rate(units) < 0.02


@pytest.mark.parametrize("fmt", ["txt", "md", "vtt", "csv"])
def test_generated_files_are_read_as_story_tables(tmp_path: Path, fmt: str) -> None:
    from lerendewijk.ingest import read_transcript

    generate_corpus.write_corpus(tmp_path, 60, seed=5, fmt=fmt)
    main = next(p for p in tmp_path.iterdir() if p.suffix == f".{fmt}")
    raw = read_transcript(main)
    (transcript, _), *_ = generate_corpus.generate(60, seed=5, fmt=fmt)
    assert len(raw.turns) == len(transcript.turns)
    roles = {t.role for t in raw.turns}
    assert {"facilitator", "bewoner"} <= roles
    assert raw.meta.get("type") == "verhalentafel"


def _fake(n: int, seconds_per_fragment: float) -> dict:
    # every stage linear in n, so each fitted exponent must come out as 1
    timings = {stage: round(seconds_per_fragment * n * (i + 1), 6) for i, stage in enumerate(bench_scale.STAGES)}
    cold_wall = sum(timings.values()) + 10
    return {
        "n": n,
        "corpus": {"fragmenten": n},
        "cold": {"ok": True, "wall_s": cold_wall, "peak_mb": 900.0, "timings": timings, "to_report_s": cold_wall - 1},
        "warm": {"ok": True, "wall_s": cold_wall / 10, "peak_mb": 700.0, "timings": {k: v / 10 for k, v in timings.items()}},
        "floor": {"wall_s": cold_wall / 2, "encode_s": cold_wall / 3},
        "bertopic": {"fit_s": 40.0},
        "store": {"fragments": n, "documents": max(1, n // 300), "duplicate_rate": 0.001, "resident_fragments": n * 3 // 4},
        "incremental": {
            "run": {"timings": {"embed": 1.5}, "wall_s": 30.0},
            "new_fragments": 300,
            "new_distinct_unknown": 300,
            "encoded_texts": 300,
        },
    }


def test_exponents_targets_and_report_on_fake_timings() -> None:
    results = [_fake(n, 1e-4) for n in (300, 1000, 10000)]
    exps = bench_scale.exponents(results)
    for stage in bench_scale.STAGES:
        assert exps[stage] == pytest.approx(1.0, abs=1e-3)
    assert bench_scale.fit_exponent([(10, 1.0)]) is None
    targets = {name: met for name, _, met in bench_scale.targets(results)}
    assert any(name.startswith("10,000 warm") and met for name, met in targets.items())
    assert any("only the new fragments" in name and met for name, met in targets.items())
    estimate = bench_scale.extrapolate(results, 100000)
    assert estimate is not None and estimate["wall_s"] > results[-1]["cold"]["wall_s"] * 3
    section = bench_scale.render_section(results, "2 cores (test)", "2026-01-01", "bench")
    assert "Extrapolated" in section
    assert section.startswith(bench_scale.SECTION)
    assert "| 10,000 (33) |" in section and "ingest" in section


def test_replace_section_keeps_the_other_sections() -> None:
    old = "# R\n\n## A\n\na\n\n## Schaal (issue 8)\n\noud\n\n## B\n\nb\n"
    new = bench_scale.replace_section(old, "## Schaal (issue 8)\n\nnieuw\n")
    assert "oud" not in new and "nieuw" in new
    assert new.index("## A") < new.index("nieuw") < new.index("## B") and new.endswith("b\n")
    appended = bench_scale.replace_section("# R\n\n## A\n\na\n", "## Schaal (issue 8)\n\nx\n")
    assert appended.endswith("## Schaal (issue 8)\n\nx\n") and "## A" in appended
