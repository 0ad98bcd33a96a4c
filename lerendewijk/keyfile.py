"""Reading and writing the pseudonym key file (kept apart from the store, mode 0600)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import WorkspaceError


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise WorkspaceError(f"{path}: sleutelbestand kan niet worden gelezen ({exc})") from exc
    if not isinstance(data, dict):
        raise WorkspaceError(f"{path}: sleutelbestand heeft een onbekende vorm")
    return data


def write_key_file(path: Path, data: dict[str, Any]) -> None:
    from .privacy import write_atomic

    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"), mode=0o600)
