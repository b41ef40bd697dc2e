"""Sign-in through an OpenID Connect provider (authorization code flow, Authlib + joserfc).

Configured by ``MIXWISE_OIDC_ISSUER``, ``MIXWISE_OIDC_CLIENT_ID`` and
``MIXWISE_OIDC_CLIENT_SECRET``; the provider's endpoints come from its discovery document
(``<issuer>/.well-known/openid-configuration``). The ID token is verified against the
provider's keys (signature, ``iss``, ``aud``, ``exp``, and the ``nonce`` of this sign-in); its
``email`` (with ``email_verified``) must belong to an existing user: the provider proves who
someone is, an owner or admin still decides what they may see (no accounts are created here).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError as OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from mixwise.service.errors import NotImplementedYet, Unauthorized
from mixwise.service.passwords import normalise_email
from mixwise.service.sessions import SignedIn, start_session
from mixwise.store.accounts import User
from mixwise.store.db import Store
from mixwise.store.settings import Settings

_REFUSED = "the sign-in with the identity provider was refused"


@dataclass(frozen=True)
class Started:
    """Where to send the browser, and the state and nonce to keep until it comes back."""

    url: str
    state: str
    nonce: str


def configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def _config(settings: Settings) -> tuple[str, str, str]:
    if not (settings.oidc_issuer and settings.oidc_client_id):  # not configured(...): for mypy
        raise NotImplementedYet(
            "sign-in with an identity provider is not configured on this server",
            "Set MIXWISE_OIDC_ISSUER, MIXWISE_OIDC_CLIENT_ID and MIXWISE_OIDC_CLIENT_SECRET.",
        )
    return settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret or ""


def _discover(issuer: str) -> dict[str, Any]:
    try:
        r = httpx.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10)
        r.raise_for_status()
        meta: dict[str, Any] = r.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise Unauthorized(
            f"the identity provider {issuer} does not answer ({type(exc).__name__})",
            "Try again later, or sign in with your password.",
        ) from None
    return meta


def start(settings: Settings, redirect_uri: str) -> Started:
    """The provider's authorization URL for a new sign-in (code flow, ``openid email``)."""
    issuer, client_id, secret = _config(settings)
    meta = _discover(issuer)
    nonce = secrets.token_urlsafe(24)
    with OAuth2Client(client_id, secret, scope="openid email", redirect_uri=redirect_uri) as c:
        url, state = c.create_authorization_url(meta["authorization_endpoint"], nonce=nonce)
    return Started(url, state, nonce)


def finish(store: Store, code: str, redirect_uri: str, nonce: str, source: str = "") -> SignedIn:
    """Exchange ``code``, verify the ID token, and start a session for its (known) email."""
    issuer, client_id, secret = _config(store.settings)
    meta = _discover(issuer)
    try:
        with OAuth2Client(client_id, secret, redirect_uri=redirect_uri) as c:
            token = c.fetch_token(meta["token_endpoint"], code=code)
        keys = KeySet.import_key_set(httpx.get(meta["jwks_uri"], timeout=10).json())
        claims = jwt.decode(token["id_token"], keys).claims
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": meta.get("issuer", issuer)},
            aud={"essential": True, "value": client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(claims)
    except (JoseError, KeyError, ValueError, httpx.HTTPError, OAuthError) as exc:
        raise Unauthorized(_REFUSED, f"Sign in again ({type(exc).__name__}).") from None
    if not claims.get("email") or claims.get("email_verified") is not True:
        raise Unauthorized(_REFUSED, "The provider did not give a verified email address.")
    email = normalise_email(str(claims["email"]))
    with store.session() as s:
        user = s.scalars(select(User).where(User.email == email)).first()
        if user is None:
            raise Unauthorized(
                f"{email} has no mixwise account",
                "Ask a workspace's owner or admin to add you, then sign in again.",
            )
        return start_session(s, store.settings.session_hours, user, "oidc", source)
