"""Long work (a cycle, a recomputed round) runs in a background thread; pages poll its state.

One job at a time: the cycle writes the whole round, and a second writer would only wait for
the workspace lock anyway. The state is plain data behind a lock, read by the status endpoint.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import LerendeWijkError

log = logging.getLogger(__name__)

# the stage names run_cycle reports ("<stage> klaar (1.2 s)"), in the order it runs them
STAGES = {
    "ingest": "Inlezen en pseudonimiseren",
    "embed": "Betekenis van de fragmenten",
    "domains": "Levensdomeinen en indicatoren",
    "signals": "Signalen",
    "themes": "Thema's",
    "deepen": "Verdieping",
    "connect": "Verbinding met het programma",
    "store": "Opslaan",
    "report": "Verslag schrijven",
}

Progress = Callable[[str, str], None]


class Busy(LerendeWijkError):
    pass


@dataclass
class Job:
    id: str
    title: str
    state: str = "bezig"  # bezig, klaar, fout
    started: float = field(default_factory=time.time)
    finished: float | None = None
    done: dict[str, float] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    # upload folder prefix, cut from messages: a facilitator knows the file by its own name
    strip: str = ""

    def snapshot(self) -> dict[str, Any]:
        current = next((key for key in STAGES if key not in self.done), None) if self.state == "bezig" else None
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "seconds": round((self.finished or time.time()) - self.started, 1),
            "stages": [
                {
                    "key": key,
                    "label": label,
                    "state": "klaar" if key in self.done else ("bezig" if key == current else "wacht"),
                    "seconds": self.done.get(key),
                }
                for key, label in STAGES.items()
            ],
            "read": list(self.read),
            "notes": list(self.notes),
            "errors": list(self.errors),
            "error": self.error,
            "result": dict(self.result),
        }


class Jobs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._running: Job | None = None

    def running(self) -> Job | None:
        with self._lock:
            return self._running

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.snapshot() if job else None

    def start(
        self,
        title: str,
        work: Callable[[Progress], dict[str, Any]],
        notes: list[str] | None = None,
        errors: list[str] | None = None,
        strip: str = "",
    ) -> str:
        """Run ``work(progress)`` in a thread; its return value becomes the job's result."""
        with self._lock:
            if self._running is not None:
                raise Busy("er loopt al een berekening; wacht tot die klaar is en probeer het dan opnieuw")
            job = Job(id=secrets.token_urlsafe(12), title=title, notes=list(notes or []), errors=list(errors or []), strip=strip)
            self._jobs[job.id] = job
            self._running = job
        thread = threading.Thread(target=self._run, args=(job, work), name=f"lerendewijk-{job.id}", daemon=True)
        thread.start()
        return job.id

    def _progress(self, job: Job) -> Progress:
        def progress(kind: str, message: str) -> None:
            text = message.replace(job.strip, "") if job.strip else message
            with self._lock:
                if kind == "stap":
                    stage, _, rest = text.partition(" klaar (")
                    if stage in STAGES:
                        job.done[stage] = float(rest.split(" ")[0]) if rest else 0.0
                elif kind == "fout":
                    job.errors.append(text)
                elif kind == "ingest":
                    job.read.append(text)
                else:
                    job.notes.append(text)

        return progress

    def _run(self, job: Job, work: Callable[[Progress], dict[str, Any]]) -> None:
        try:
            result = work(self._progress(job))
            with self._lock:
                job.result = result
                job.state = "klaar"
        except LerendeWijkError as exc:
            text = str(exc).replace(job.strip, "") if job.strip else str(exc)
            with self._lock:
                job.error = text
                job.state = "fout"
        except Exception as exc:  # a bug must end the job visibly, not leave the page spinning
            log.exception("berekening mislukt")
            with self._lock:
                job.error = f"er ging iets onverwachts mis ({type(exc).__name__}: {exc})"
                job.state = "fout"
        finally:
            with self._lock:
                job.finished = time.time()
                self._running = None

    def wait(self, job_id: str, timeout: float = 600.0) -> dict[str, Any]:
        """For tests and scripts: block until the job has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snapshot = self.get(job_id)
            if snapshot is None or snapshot["state"] != "bezig":
                return snapshot or {}
            time.sleep(0.2)
        raise TimeoutError(job_id)
