"""A stand-in OpenID Connect provider for tests: discovery, authorize (answers at once for
``email``), token (an RS256-signed ID token with the sign-in's nonce) and its keys."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from tests.api.support import free_port


class Provider:
    """``email`` signs in; ``audience`` overrides the ID token's ``aud`` (to test a refusal)."""

    def __init__(self, client_id: str, email: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client_id, self.email, self.audience = client_id, email, client_id
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
        self.codes: dict[str, str] = {}
        self.server = uvicorn.Server(
            uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
            }

        @app.get("/authorize")
        def authorize(request: Request) -> RedirectResponse:
            q = request.query_params
            code = secrets.token_urlsafe(12)
            self.codes[code] = q["nonce"]
            query = urlencode({"code": code, "state": q["state"]})
            return RedirectResponse(f"{q['redirect_uri']}?{query}", status_code=302)

        @app.post("/token")
        def token(code: str = Form(...)) -> dict[str, Any]:
            now = int(time.time())
            claims = {
                "iss": self.url,
                "aud": self.audience,
                "sub": "user-1",
                "email": self.email,
                "email_verified": True,
                "nonce": self.codes.pop(code),
                "iat": now,
                "exp": now + 300,
            }
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return {"access_token": "at", "token_type": "Bearer", "id_token": id_token}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return KeySet([self.key]).as_dict(private=False)

        return app

    def __enter__(self) -> Provider:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
