"""Readers, one per input format, all yielding a RawDocument of RawTurns.

``read_transcript`` is the single entry point; it never modifies the file it reads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import IngestError
from ..model import RawDocument
from . import docx, subtitles, tables, text
from .meta import finalise_meta, load_sidecar

READERS = {
    ".txt": ("text", text.read),
    ".md": ("markdown", text.read),
    ".markdown": ("markdown", text.read),
    ".docx": ("docx", docx.read),
    ".vtt": ("vtt", subtitles.read_vtt),
    ".srt": ("srt", subtitles.read_srt),
    ".csv": ("csv", tables.read_csv),
    ".tsv": ("csv", tables.read_csv),
    ".xlsx": ("xlsx", tables.read_xlsx),
    ".xlsm": ("xlsx", tables.read_xlsx),
}

SUPPORTED_SUFFIXES = tuple(READERS)


def is_transcript(path: Path) -> bool:
    return path.suffix.lower() in READERS and not path.name.startswith((".", "~$"))


def read_transcript(path: str | Path) -> RawDocument:
    """Read one transcript file; raise IngestError with a clear Dutch message if it can't."""
    path = Path(path)
    if not path.exists():
        raise IngestError(str(path), "bestand bestaat niet")
    if path.is_dir():
        raise IngestError(str(path), "is een map, geen bestand")
    suffix = path.suffix.lower()
    if suffix not in READERS:
        known = ", ".join(sorted(READERS))
        raise IngestError(str(path), f"onbekend bestandsformaat '{suffix or '(geen)'}'; ondersteund: {known}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"kan bestand niet lezen ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(str(path), "bestand is leeg")
    fmt, reader = READERS[suffix]
    try:
        meta, turns = reader(data)
    except IngestError:
        raise
    except ValueError as exc:
        raise IngestError(str(path), str(exc)) from exc
    except Exception as exc:  # a corrupt docx/xlsx raises library-specific errors
        raise IngestError(str(path), f"bestand is beschadigd of geen geldig {fmt}-bestand ({type(exc).__name__})") from exc
    try:
        side_meta, side_bytes = load_sidecar(path)
    except ValueError as exc:
        raise IngestError(str(path), str(exc)) from exc
    meta = {**meta, **side_meta}
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        raise IngestError(str(path), "geen tekst gevonden (geen sprekersbeurten of alinea's)")
    try:
        meta = finalise_meta(path, meta, turns)
    except ValueError as exc:
        raise IngestError(str(path), str(exc)) from exc
    content_hash = hashlib.sha256(data + side_bytes).hexdigest()
    return RawDocument(path=str(path), content_hash=content_hash, format=fmt, meta=meta, turns=turns)
