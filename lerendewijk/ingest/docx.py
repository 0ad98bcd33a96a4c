"""Word transcripts: paragraphs (and two-column tables) in the same form as plain text."""

from __future__ import annotations

import io
from typing import Any

from ..model import RawTurn
from .meta import split_front_matter
from .text import turns_from_text


def read(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) >= 2 and cells[0] and cells[-1] and cells[0].lower() not in ("spreker", "speaker", "naam"):
                lines.append(f"{cells[0]}: {cells[-1]}")
    text = "\n".join(lines).replace("\r", "\n")
    meta, body, _ = split_front_matter(text)
    return dict(meta), turns_from_text(body, meta)
