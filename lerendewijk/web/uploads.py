"""Uploaded files land under WORKSPACE/uploads/<timestamp>/, with names that cannot point elsewhere."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import UploadFile

from ..ingest import MAX_FILE_BYTES, SUPPORTED_SUFFIXES

TRANSCRIPT_SUFFIXES = tuple(sorted(SUPPORTED_SUFFIXES))
PROGRAMME_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
# metadata beside a transcript that has no front matter: "tafel.vtt.yaml"
SIDECAR = re.compile(r".+(" + "|".join(re.escape(s) for s in SUPPORTED_SUFFIXES) + r")\.ya?ml$", re.I)
CHUNK = 1024 * 1024


class FileTooLarge(Exception):
    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(name)
        self.name, self.size, self.limit = name, size, limit

    def __str__(self) -> str:
        return f"{self.name} is te groot ({human_size(self.size)}, grens {human_size(self.limit)}); splits het bestand"


@dataclass
class Stored:
    folder: Path
    transcripts: list[Path] = field(default_factory=list)
    sidecars: list[Path] = field(default_factory=list)
    programme: Path | None = None
    refused: list[str] = field(default_factory=list)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, round(size / 1024))} kB"


def safe_name(raw: str | None) -> str:
    """A plain file name from whatever the browser sent: no folders, no NUL, no leading dots."""
    name = unicodedata.normalize("NFC", raw or "").replace("\x00", "").replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    name = re.sub(r"[^\w.\-() ]+", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 10:
        name = f"{stem[:100].rstrip(' .')}.{suffix}"
    else:
        name = name[:110]
    return name if name.strip("._- ") else "bestand"


def new_folder(workspace_root: Path) -> Path:
    base = workspace_root / "uploads"
    base.mkdir(mode=0o700, exist_ok=True)
    # originals still hold real names until they are ingested: readable by the owner only
    os.chmod(base, 0o700)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = base / stamp
    folder.mkdir(mode=0o700)
    return folder


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _unique(folder: Path, name: str) -> Path:
    target = folder / name
    counter = 2
    while target.exists():
        target = folder / f"{counter}-{name}"
        counter += 1
    # resolve() after sanitising: belt and braces against any name that still escapes the folder
    if target.resolve().parent != folder.resolve():
        raise ValueError(f"ongeldige bestandsnaam: {name!r}")
    return target


async def _write(upload: UploadFile, target: Path, limit: int) -> None:
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise FileTooLarge(safe_name(upload.filename), written, limit)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def check_sizes(uploads: list[UploadFile], limit: int = MAX_FILE_BYTES) -> None:
    """Refuse the whole upload when one file is over the limit, before anything is stored."""
    for upload in uploads:
        if upload.size is not None and upload.size > limit:
            raise FileTooLarge(safe_name(upload.filename), upload.size, limit)


async def store_uploads(
    workspace_root: Path, transcripts: list[UploadFile], programme: UploadFile | None, limit: int = MAX_FILE_BYTES
) -> Stored:
    """Save the files a facilitator dropped; files of an unknown kind are refused with a reason, the rest kept."""
    check_sizes([*transcripts, *([programme] if programme else [])], limit)
    stored = Stored(folder=new_folder(workspace_root))
    try:
        for upload in transcripts:
            name = safe_name(upload.filename)
            if name.lower().endswith((".yaml", ".yml")) and not SIDECAR.match(name):
                stored.refused.append(
                    f"{name}: een YAML-bestand hoort alleen bij een transcript (zoals tafel.vtt.yaml); een programma kiest u hieronder"
                )
                continue
            if _suffix(name) not in TRANSCRIPT_SUFFIXES and not SIDECAR.match(name):
                stored.refused.append(f"{name}: dit soort bestand kan lerendewijk niet lezen; gebruik {', '.join(TRANSCRIPT_SUFFIXES)}")
                continue
            target = _unique(stored.folder, name)
            await _write(upload, target, limit)
            (stored.sidecars if SIDECAR.match(name) else stored.transcripts).append(target)
        if programme is not None:
            name = safe_name(programme.filename)
            if _suffix(name) not in PROGRAMME_SUFFIXES:
                stored.refused.append(f"{name}: een programma is een YAML-, CSV- of Excel-bestand")
            else:
                folder = stored.folder / "programma"
                folder.mkdir(mode=0o700)
                stored.programme = _unique(folder, name)
                await _write(programme, stored.programme, limit)
    except FileTooLarge:
        _remove(stored.folder)
        raise
    return stored


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def latest_programme(workspace_root: Path, before: Path | None = None) -> Path | None:
    """The programme uploaded most recently (before ``before``), for a round that brings none of its own."""
    base = workspace_root / "uploads"
    if not base.is_dir():
        return None
    for folder in sorted((p for p in base.iterdir() if p.is_dir() and p != before), reverse=True):
        found = sorted((folder / "programma").glob("*")) if (folder / "programma").is_dir() else []
        if found:
            return found[0]
    return None


def remove_transcripts(folder: Path) -> None:
    """Delete the uploaded transcripts (and their sidecars) of one upload; the programme stays for later rounds."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file():
            path.unlink(missing_ok=True)
