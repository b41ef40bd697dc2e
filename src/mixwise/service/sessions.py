"""Dashboard sign-in: sessions, sign-out, password change and reset, and the lock after
repeated failed sign-ins.

A session is two random tokens: the session token (an HTTP-only cookie) and the CSRF token
(a readable cookie the dashboard echoes in ``X-CSRF-Token``); only their SHA-256 hashes are
stored. After ``MIXWISE_LOCKOUT_ATTEMPTS`` failed sign-ins in a row an account is locked for
``MIXWISE_LOCKOUT_S`` seconds (answered 429 with ``Retry-After``), whatever the password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mixwise.service import audit
from mixwise.service.errors import Forbidden, TooManyRequests, Unauthorized
from mixwise.service.mailer import mailer
from mixwise.service.passwords import hash_password, normalise_email, verify_password
from mixwise.store.accounts import ResetToken, User, WebSession
from mixwise.store.db import Store
from mixwise.store.models import new_id, utcnow

RESET_VALID = timedelta(hours=1)
INVITE_VALID = timedelta(days=7)
_BAD_SIGN_IN = "the email or the password is not right"


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """A new session: the tokens to set as cookies (shown once) and who signed in."""

    session_token: str
    csrf_token: str
    user_id: str
    max_age_s: int


@dataclass(frozen=True)
class SessionUser:
    session_id: str
    user_id: str
    csrf_hash: str


def sign_in(store: Store, email: str, password: str, source: str = "") -> SignedIn:
    """Check the password; a new session, or :class:`Unauthorized` / :class:`TooManyRequests`."""
    settings = store.settings
    try:
        email = normalise_email(email)
    except Exception:
        raise Unauthorized(_BAD_SIGN_IN, "Check the email and the password.") from None
    now = utcnow()
    with store.session() as s:
        user = s.scalars(select(User).where(User.email == email)).first()
        if user is not None and user.locked_until is not None and user.locked_until > now:
            left = (user.locked_until - now).total_seconds()
            raise TooManyRequests(
                "too many failed sign-ins: the account is locked for now",
                int(left) + 1,
                "Wait, or reset the password (POST /api/v1/auth/reset-request).",
            )
        ok = verify_password(user.password_hash if user else None, password)
        if user is None:
            raise Unauthorized(_BAD_SIGN_IN, "Check the email and the password.")
        if not ok:
            user.failed_logins += 1
            if user.failed_logins >= settings.lockout_attempts:
                user.locked_until = now + timedelta(seconds=settings.lockout_s)
                user.failed_logins = 0
                audit.record(s, email, "user.locked", None, email, source)
            audit.record(s, email, "user.sign_in_failed", None, email, source)
        else:
            user.failed_logins, user.locked_until = 0, None
            return start_session(s, settings.session_hours, user, "password", source)
    raise Unauthorized(_BAD_SIGN_IN, "Check the email and the password.")


def start_session(s: Session, hours: float, user: User, how: str, source: str) -> SignedIn:
    """A new session of ``user`` (signed in by ``how``: password or oidc), in ``s``."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    max_age = int(hours * 3600)
    s.add(
        WebSession(
            id=new_id("ses"),
            token_hash=_sha(token),
            csrf_hash=_sha(csrf),
            user_id=user.id,
            expires_at=utcnow() + timedelta(seconds=max_age),
        )
    )
    audit.record(s, user.email, "user.sign_in", None, user.email, source, method=how)
    return SignedIn(token, csrf, user.id, max_age)


def authenticate(store: Store, token: str) -> SessionUser:
    """The live session of ``token`` (not signed out, not expired); :class:`Unauthorized`."""
    with store.session() as s:
        row = s.scalars(
            select(WebSession).where(
                WebSession.token_hash == _sha(token),
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > utcnow(),
            )
        ).first()
        if row is None:
            raise Unauthorized(
                "the session has ended", "Sign in again (POST /api/v1/auth/sign-in)."
            )
        return SessionUser(row.id, row.user_id, row.csrf_hash)


def check_csrf(session: SessionUser, header: str | None, cookie: str | None) -> None:
    """Double submit: the ``X-CSRF-Token`` header equals the CSRF cookie and the session's."""
    if not header or not cookie or not hmac.compare_digest(header, cookie):
        raise Forbidden(
            "a change from a signed-in browser needs its CSRF token",
            "Send the mw_csrf cookie's value in the X-CSRF-Token header.",
        )
    if not hmac.compare_digest(_sha(header), session.csrf_hash):
        raise Forbidden("the CSRF token does not belong to this session", "Sign in again.")


def sign_out(store: Store, session_id: str, actor: str, source: str = "") -> None:
    with store.session() as s:
        s.execute(
            update(WebSession)
            .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        audit.record(s, actor, "user.sign_out", None, actor, source)


def change_password(
    store: Store, user_id: str, current: str, new: str, keep_session: str | None, source: str = ""
) -> None:
    """Set a new password after checking the current one; every other session ends."""
    with store.session() as s:
        user = s.get(User, user_id)
        if user is None or not verify_password(user.password_hash, current):
            raise Forbidden("the current password is not right", "Type your current password.")
        user.password_hash = hash_password(new)
        _end_sessions(s, user_id, keep=keep_session)
        audit.record(s, user.email, "user.password_change", None, user.email, source)


def send_reset(store: Store, email: str, invitation: str | None = None, source: str = "") -> None:
    """Mail a one-use reset link to ``email`` if it has an account (silently nothing if not:
    the answer must not tell who has an account)."""
    try:
        email = normalise_email(email)
    except Exception:
        return
    token = secrets.token_urlsafe(32)
    with store.session() as s:
        user = s.scalars(select(User).where(User.email == email)).first()
        if user is None:
            return
        valid = INVITE_VALID if invitation else RESET_VALID
        s.add(ResetToken(token_hash=_sha(token), user_id=user.id, expires_at=utcnow() + valid))
        audit.record(s, email, "user.reset_requested", None, email, source)
    link = f"/#/reset?token={token}"
    if invitation:
        subject = f"You are invited to the mixwise workspace {invitation}"
        body = f"Set your password to join: {link}\nThe link is valid for 7 days."
    else:
        subject = "Reset your mixwise password"
        body = f"Set a new password: {link}\nThe link is valid for one hour, once."
    mailer().send(email, subject, body)


def reset_password(store: Store, token: str, new: str, source: str = "") -> None:
    """Use a reset token (once, before it expires) to set a new password; sessions end."""
    with store.session() as s:
        row = s.get(ResetToken, _sha(token))
        if row is None or row.used_at is not None or row.expires_at <= utcnow():
            raise Unauthorized(
                "the reset link is not valid (used, expired or mistyped)",
                "Ask for a new one (POST /api/v1/auth/reset-request).",
            )
        user = s.get(User, row.user_id)
        assert user is not None
        user.password_hash = hash_password(new)
        user.failed_logins, user.locked_until = 0, None
        row.used_at = utcnow()
        _end_sessions(s, user.id, keep=None)
        audit.record(s, user.email, "user.password_reset", None, user.email, source)


def _end_sessions(s: Session, user_id: str, keep: str | None) -> None:
    q = update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
    if keep:
        q = q.where(WebSession.id != keep)
    s.execute(q.values(revoked_at=utcnow()))
