"""Reading and writing the pseudonym key file (kept apart from the store, mode 0600).

The key maps pseudonyms back to people. It can be encrypted with a passphrase, given as
``--sleutel`` or in the environment variable ``LERENDEWIJK_SLEUTEL``: scrypt derives a key from the
passphrase, Fernet (AES-128-CBC with HMAC-SHA256) seals the JSON. Reports never need the key; only
reading new transcripts (which must reuse existing pseudonyms) and ``forget`` do.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from .errors import WorkspaceError

PASSPHRASE_VARIABLE = "LERENDEWIJK_SLEUTEL"
SCHEME = "scrypt-fernet"
# scrypt cost: about 0.1 s on a laptop core, so guessing passphrases is slow
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def passphrase() -> str | None:
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value if value else None


def _fernet(secret: str, salt: bytes, params: dict[str, int]) -> Any:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    derived = Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def is_encrypted(data: dict[str, Any]) -> bool:
    return data.get("versleuteld") == SCHEME


def read_key_file(path: Path, secret: str | None = None) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise WorkspaceError(f"{path}: sleutelbestand kan niet worden gelezen ({exc})") from exc
    if not isinstance(data, dict):
        raise WorkspaceError(f"{path}: sleutelbestand heeft een onbekende vorm")
    if not is_encrypted(data):
        return data
    secret = secret if secret is not None else passphrase()
    if not secret:
        raise WorkspaceError(
            f"{path}: het sleutelbestand is versleuteld; geef het wachtwoord met --sleutel of {PASSPHRASE_VARIABLE} "
            "(verslagen maken kan zonder, nieuwe transcripten inlezen niet)"
        )
    from cryptography.fernet import InvalidToken

    try:
        plain = _fernet(secret, base64.b64decode(data["salt"]), data["scrypt"]).decrypt(data["token"].encode("ascii"))
    except (InvalidToken, KeyError, ValueError) as exc:
        raise WorkspaceError(f"{path}: wachtwoord van het sleutelbestand klopt niet") from exc
    return json.loads(plain.decode("utf-8"))


def write_key_file(path: Path, data: dict[str, Any], secret: str | None = None) -> None:
    """Written encrypted when a passphrase is given (or set in the environment), else as plain JSON."""
    from .privacy import write_atomic

    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    secret = secret if secret is not None else passphrase()
    if secret:
        salt = os.urandom(16)
        token = _fernet(secret, salt, SCRYPT).encrypt(payload).decode("ascii")
        payload = json.dumps(
            {"versleuteld": SCHEME, "salt": base64.b64encode(salt).decode("ascii"), "scrypt": SCRYPT, "token": token}
        ).encode()
    write_atomic(path, payload, mode=0o600)
