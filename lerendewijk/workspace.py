"""A workspace: one folder per neighbourhood with its config, store, key file and reports.

WIJK/lerendewijk.toml        settings (wijk, language, models, programme)
WIJK/lerendewijk.db          the SQLite store (pseudonymised data only)
WIJK/sleutel/pseudoniemen.json   the re-identification key, never read by reports or exports
WIJK/rapporten/<ronde>/      one report per round
WIJK/logboek/lerendewijk.log what each run did, and the full traceback of any unexpected error
"""

from __future__ import annotations

import errno
import fcntl
import logging
import logging.handlers
import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import WorkspaceError
from .privacy import PseudonymKey
from .store import Store

CONFIG_NAME = "lerendewijk.toml"
LOG_NAME = "logboek/lerendewijk.log"
log = logging.getLogger("lerendewijk")
log.propagate = False  # the screen gets one clear line per problem; the log file gets the details
# the log file of the workspace opened last in this process, so an error message can point to it
last_log: Path | None = None
DEFAULT_CONFIG = """# Werkruimte van lerendewijk
[wijk]
naam = "{naam}"
taal = "nl"  # taal van de verslagen: "nl" of "en"

[modellen]
# "use-multilingual" is het meegeleverde model; of een pad naar een lokaal sentence-transformers-model
embedding = "use-multilingual"
# levensdomeinen: "snel" (USE + lemma's), "nauwkeurig" (ook multilingual-e5-small) of een modelmap
levensdomeinen = "snel"

[programma]
# pad naar het programmabestand (YAML, CSV of XLSX), relatief aan de werkruimte
pad = "{programma}"

[privacy]
# namen van lokale mensen, straten, winkels of clubs die iemand herkenbaar maken
lokale_namen = []

[themas]
seed = 42
"""


@dataclass
class Config:
    wijk: str = "onbekende wijk"
    taal: str = "nl"
    embedding: str = "use-multilingual"
    levensdomeinen: str = "snel"
    programma: str = ""
    lokale_namen: list[str] = field(default_factory=list)
    seed: int = 42

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Config:
        return cls(
            wijk=str(data.get("wijk", {}).get("naam", cls.wijk)),
            taal=str(data.get("wijk", {}).get("taal", cls.taal)),
            embedding=str(data.get("modellen", {}).get("embedding", cls.embedding)),
            levensdomeinen=str(data.get("modellen", {}).get("levensdomeinen", cls.levensdomeinen)),
            programma=str(data.get("programma", {}).get("pad", "")),
            lokale_namen=[str(n) for n in data.get("privacy", {}).get("lokale_namen", [])],
            seed=int(data.get("themas", {}).get("seed", 42)),
        )


class Workspace:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        config_path = self.root / CONFIG_NAME
        if not config_path.exists():
            raise WorkspaceError(f"{self.root}: geen werkruimte (maak er een met 'lerendewijk init {self.root}')")
        try:
            self.config = Config.from_toml(tomllib.loads(config_path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise WorkspaceError(f"{config_path}: ongeldige instellingen ({exc})") from exc
        self._lock_fd: int | None = None
        self._store: Store | None = None
        self._key: PseudonymKey | None = None
        self._log_handler: logging.Handler | None = None

    @classmethod
    def init(cls, root: str | Path, wijk: str | None = None, programma: str = "") -> Workspace:
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        config_path = root / CONFIG_NAME
        if not config_path.exists():
            naam = (wijk or root.resolve().name).replace('"', "'")
            config_path.write_text(DEFAULT_CONFIG.format(naam=naam, programma=programma), encoding="utf-8")
        (root / "sleutel").mkdir(exist_ok=True)
        os.chmod(root / "sleutel", 0o700)
        (root / "sleutel" / "LEESMIJ.txt").write_text(
            "Deze map bevat de sleutel die pseudoniemen terugvertaalt naar echte namen.\n"
            "Deel deze map nooit; verslagen en exports lezen hem niet.\n",
            encoding="utf-8",
        )
        workspace = cls(root)
        workspace.store.close()
        workspace._store = None
        return workspace

    @property
    def db_path(self) -> Path:
        return self.root / "lerendewijk.db"

    @property
    def key_path(self) -> Path:
        return self.root / "sleutel" / "pseudoniemen.json"

    @property
    def reports_dir(self) -> Path:
        return self.root / "rapporten"

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path)
        return self._store

    @property
    def key(self) -> PseudonymKey:
        if self._key is None:
            self._key = PseudonymKey.load(self.key_path)
        return self._key

    def lock(self, wait_seconds: float = 10.0) -> None:
        """Only one process writes to a workspace; a second one waits, then fails clearly."""
        path = self.root / ".lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise WorkspaceError(
                        f"{self.root}: de werkruimte is in gebruik door een ander proces (pid {holder}); probeer het later opnieuw"
                    ) from exc
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def report_folder(self, round_id: str) -> Path:
        """Where the report of a round lies: where the cycle last wrote it (``--rapporten``), else rapporten/<ronde>."""
        manifest = (self.store.get_round(round_id) or {}).get("manifest") or {}
        written = manifest.get("verslagmap")
        if written and (self.root / written / "index.html").exists():
            return self.root / written  # a relative path is inside the workspace; an absolute one stays as it is
        return self.reports_dir / round_id

    @property
    def log_path(self) -> Path:
        return self.root / LOG_NAME

    def open_log(self) -> None:
        """Log this run to the workspace (pseudonymised data only: counts, timings, file names, errors)."""
        global last_log
        if self._log_handler is not None:
            return
        try:
            self.log_path.parent.mkdir(exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(self.log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        except OSError:
            return  # a read-only workspace can still be read; it just keeps no log
        handler.setFormatter(logging.Formatter("%(asctime)s pid %(process)d %(levelname)s %(message)s"))
        handler.setLevel(logging.INFO)
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        self._log_handler = handler
        last_log = self.log_path

    def close_log(self) -> None:
        if self._log_handler is not None:
            log.removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self.unlock()
        self.close_log()

    def __enter__(self) -> Workspace:
        self.lock()
        self.open_log()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc is not None:
            from .errors import LerendeWijkError

            if isinstance(exc, LerendeWijkError):
                # the message went to the screen; it may repeat what the user typed (a real name
                # given to 'forget'), so the log keeps only that the run stopped
                log.error("gestopt: %s (de melding staat op het scherm)", type(exc).__name__)
            elif isinstance(exc, KeyboardInterrupt):
                log.warning("afgebroken door de gebruiker")
            else:
                log.error("onverwachte fout", exc_info=(exc_type, exc, tb))  # type: ignore[arg-type]
        self.close()
