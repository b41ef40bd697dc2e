"""Passwords and email addresses of users.

Passwords are hashed with argon2id (``argon2-cffi``, memory-hard; its default parameters are
RFC 9106's second recommended set: 3 passes, 64 MiB, 4 lanes); the hash string carries its
parameters, so stronger defaults later still verify old hashes.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mixwise.errors import MixwiseError
from mixwise.service.schemas.accounts import EMAIL_PATTERN

_hasher = PasswordHasher()
_EMAIL = re.compile(EMAIL_PATTERN)
MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    """The email trimmed and lower-cased; :class:`MixwiseError` when it is not an address."""
    e = email.strip().lower()
    if not _EMAIL.match(e):
        raise MixwiseError(f"{email[:80]!r} is not an email address", "Use name@example.com.")
    return e


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise MixwiseError(
            f"the password is too short ({len(password)} characters)",
            f"Use at least {MIN_PASSWORD} characters.",
        )
    return _hasher.hash(password)


def verify_password(hashed: str | None, password: str) -> bool:
    """Whether ``password`` matches (always False for a user without a password)."""
    if not hashed:
        _hasher.hash("x" * MIN_PASSWORD)  # same time as a real check: no user enumeration
        return False
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
