"""Sign-in through an OpenID Connect provider (a local stand-in): the code flow ends in a
session for a known user; a state that was not started here, a token for another client or an
unknown email are refused (401) and start no session."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select
from tests.api.oidc_provider import Provider
from tests.api.support import ThreadServer

from mixwise.service import users, workspaces
from mixwise.store.accounts import WebSession
from mixwise.store.testing import temporary_store


def test_code_flow_signs_in_a_known_user_and_refuses_the_rest(tmp_path: Path) -> None:
    with (
        Provider("mixwise-test", "ann@example.com") as idp,
        temporary_store(
            "sqlite",
            tmp_path,
            oidc_issuer=idp.url,
            oidc_client_id="mixwise-test",
            oidc_client_secret="s3cret",
        ) as store,
    ):
        workspaces.ensure_workspace(store, "acme")
        users.add_member(store, workspaces.operator(store, "acme"), "ann@example.com", "analyst")
        with ThreadServer(store) as app, httpx.Client(base_url=app.url, timeout=30) as c:
            assert c.get("/api/v1/auth/methods").json() == {"password": True, "oidc": True}
            start = c.get("/api/v1/auth/oidc/start")
            assert start.status_code == 302 and start.headers["location"].startswith(idp.url)
            back = httpx.get(start.headers["location"])  # the provider sends the browser back
            assert back.status_code == 302
            done = c.get(back.headers["location"])
            assert done.status_code == 302 and done.headers["location"] == "/", done.text
            me = c.get("/api/v1/auth/me").json()
            assert me["user"]["email"] == "ann@example.com" and me["role"] == "analyst"

            def sessions() -> int:
                with store.session() as s:
                    return int(s.scalar(select(func.count()).select_from(WebSession)) or 0)

            before = sessions()
            with httpx.Client(base_url=app.url, timeout=30) as other:  # state not started here
                back = httpx.get(other.get("/api/v1/auth/oidc/start").headers["location"])
                forged = back.headers["location"].replace("state=", "state=x")
                assert other.get(forged).status_code == 401
            idp.audience = "another-client"
            with httpx.Client(base_url=app.url, timeout=30) as other:
                back = httpx.get(other.get("/api/v1/auth/oidc/start").headers["location"])
                r = other.get(back.headers["location"])
                assert r.status_code == 401 and "refused" in r.json()["detail"]
            idp.audience, idp.email = "mixwise-test", "stranger@example.com"
            with httpx.Client(base_url=app.url, timeout=30) as other:
                back = httpx.get(other.get("/api/v1/auth/oidc/start").headers["location"])
                r = other.get(back.headers["location"])
                assert r.status_code == 401 and "no mixwise account" in r.json()["detail"]
            assert sessions() == before
