"""Connector secrets encrypted at rest: Fernet (AES-128-CBC + HMAC-SHA256, from
``cryptography``) with the key in ``MIXWISE_SECRET_KEY`` (``mixwise connect keygen`` prints a
new one). The key is read from the environment on each use and never stored; without it, no
secret can be stored or read, and the error says how to set it. Secrets are never logged and
never returned by the API (the response schemas have no field for them)."""

from __future__ import annotations

import json
import os

from cryptography.fernet import Fernet, InvalidToken

from mixwise.errors import MixwiseError

ENV = "MIXWISE_SECRET_KEY"


def new_key() -> str:
    """A fresh key for ``MIXWISE_SECRET_KEY`` (32 random bytes, url-safe base64)."""
    return Fernet.generate_key().decode()


def _fernet() -> Fernet:
    key = os.environ.get(ENV, "").strip()
    if not key:
        raise MixwiseError(
            f"{ENV} is not set: connector secrets are encrypted with it",
            f"Generate one with `mixwise connect keygen`, set {ENV} for the server and the "
            "workers, and keep it safe (without it the stored secrets cannot be read).",
        )
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise MixwiseError(
            f"{ENV} is not a valid key (32 url-safe base64-encoded bytes)",
            "Generate one with `mixwise connect keygen`.",
        ) from exc


def encrypt(secrets: dict[str, str]) -> str:
    """The secrets as one Fernet token (stored in ``connectors.secret``)."""
    return _fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    """The secrets back; a key that does not match says so (never the secret)."""
    try:
        secrets: dict[str, str] = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise MixwiseError(
            f"the connector's secrets cannot be decrypted with this {ENV}",
            "Set the key the secrets were stored with, or enter the secrets again "
            "(`mixwise connect add ... --replace`).",
        ) from exc
    return secrets
