"""Readers, one per input format, all yielding a RawDocument of RawTurns.

``read_transcript`` is the single entry point; it never modifies the file it reads.
"""

from __future__ import annotations

import hashlib
import io
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
# a transcript of a whole day is a few MB; anything far larger is not a transcript
MAX_FILE_BYTES = 64 * 1024 * 1024
# limits for the zip inside .docx/.xlsx, so a zip bomb is refused before anything is unpacked
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_FORMATS = {"text", "markdown", "vtt", "srt", "csv"}


def _check_container(data: bytes, fmt: str) -> None:
    """Word and Excel files are zip archives: refuse encrypted, old-format and bomb-like ones."""
    import zipfile

    if data.startswith(OLE_MAGIC):
        raise ValueError(f"versleuteld met een wachtwoord, of een oud Office-formaat; sla het op als {fmt} zonder wachtwoord")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"bestand is beschadigd of geen geldig {fmt}-bestand (geen zip)") from exc
    with archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        packed = sum(member.compress_size for member in archive.infolist()) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise ValueError(f"uitgepakt {unpacked // (1024 * 1024)} MB uit {len(data) // 1024} kB: geweigerd (lijkt op een zip-bom)")


def _check_text(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 has NUL bytes by nature
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    if b"\x00" in sample or controls > len(sample) * 0.02:
        raise ValueError("binair bestand, geen tekst (verkeerde extensie?)")


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
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                str(path), f"bestand is te groot ({size // (1024 * 1024)} MB, grens {MAX_FILE_BYTES // (1024 * 1024)} MB); splits het"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"kan bestand niet lezen ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(str(path), "bestand is leeg")
    fmt, reader = READERS[suffix]
    try:
        if fmt in TEXT_FORMATS:
            _check_text(data)
        else:
            _check_container(data, f".{fmt}")
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
