"""Run the real ``lerendewijk`` command line in this process and write what it measured.

    .venv/bin/python benchmarks/_run_cycle.py OUT.json cycle DIR --workspace WS --programma FILE --stil

Used by ``bench_scale.py``, one fresh process per run. The CLI path is the one users run (click
parsing, workspace creation, the cycle, the report); two read-only wrappers record what the
cycle already computes but does not write anywhere: ``RoundResult.timings`` (per-stage seconds;
``data.json`` is written before the timings are added) and how many texts the embedder really
encoded (the embedding-cache misses). Nothing in the library is changed.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    started = time.perf_counter()
    out = Path(sys.argv[1])
    import lerendewijk.cycle as cycle_module
    from lerendewijk import cli
    from lerendewijk.embed import Embedder

    record: dict[str, Any] = {"timings": {}, "encoded_texts": 0, "encode_calls": 0}
    original_run = cycle_module.run_cycle
    original_encode = Embedder.encode

    def run_cycle(*args: Any, **kwargs: Any) -> Any:
        result = original_run(*args, **kwargs)
        record["timings"] = dict(result.timings)
        record["fragments"] = result.data.get("counts", {}).get("fragments")
        record["themes"] = len(result.data.get("themes", []))
        # epoch seconds when the report is on disk: the parent subtracts its spawn time
        record["report_written_epoch"] = time.time()
        return result

    def encode(self: Embedder, texts: list[str]) -> Any:
        # every text that reaches the model missed the cache (embed_cached only passes misses)
        record["encoded_texts"] += len(texts)
        record["encode_calls"] += 1
        return original_encode(self, texts)

    cycle_module.run_cycle = run_cycle  # the CLI imports it from the module at call time
    Embedder.encode = encode  # type: ignore[method-assign]
    imported = time.perf_counter()
    try:
        cli.main(sys.argv[2:], standalone_mode=False)
        record["ok"] = True
    except Exception as exc:  # the bench reports a failed run instead of dying
        record["ok"] = False
        record["error"] = f"{type(exc).__name__}: {exc}"
    record["import_s"] = round(imported - started, 3)
    record["in_process_s"] = round(time.perf_counter() - started, 3)
    record["maxrss_self_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    record["main_done_epoch"] = time.time()
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    code = 0 if record["ok"] else 1
    if hasattr(cli, "run"):
        # the console command (cli.run) ends with os._exit, skipping the teardown of what it
        # loaded; end the same way so the wall time is the one a user waits for
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
