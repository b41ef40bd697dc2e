"""The security model over real HTTP: every route refuses the unauthenticated, roles, workspace
isolation, revoked and expired keys, sessions (sign-out, CSRF, lockout), injection in fields
that reach the database, tier locks (403), credits (402, idempotent, parallel requests never
below zero) and rate limits (429 + Retry-After). Each refusal changes nothing."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import func, select, update
from tests.api.support import ThreadServer, client, skip_without_postgres, upload_pymc

from mixwise.api.app import create_app
from mixwise.service import billing, users, workspaces
from mixwise.store import Store
from mixwise.store.accounts import AuditEntry, CreditEntry, User
from mixwise.store.models import ApiKey, Dataset, Model, utcnow
from mixwise.store.testing import temporary_store

PASSWORD = "correct horse battery"
PUBLIC = {
    "/api/v1/health",
    "/api/v1/auth/sign-in",
    "/api/v1/auth/reset-request",
    "/api/v1/auth/reset",
    "/api/v1/auth/oidc/start",  # sign-in routes: they start what gives a session
    "/api/v1/auth/oidc/callback",
    "/api/v1/auth/methods",
}


@dataclass
class Env:
    url: str
    store: Store
    keys: dict[str, str]  # role (workspace alpha) or "beta" -> key


def _setup(store: Store) -> dict[str, str]:
    keys = {}
    for ws in ("alpha", "beta"):
        workspaces.ensure_workspace(store, ws)
    op = workspaces.operator(store, "alpha")
    for role in ("viewer", "analyst", "admin", "owner"):
        users.add_member(store, op, f"{role}@example.com", role, PASSWORD)
        _, keys[role] = _user_key(store, f"{role}@example.com", "alpha")
    _, keys["beta"] = workspaces.create_key(store, "beta")
    return keys


def _user_key(store: Store, email: str, ws: str) -> tuple[str, str]:
    from mixwise.service.schemas.accounts import KeyIn

    with store.session() as s:
        uid = s.scalars(select(User.id).where(User.email == email)).one()
    p = users.principal_for(store, uid, workspaces.workspace_named(store, ws).id, via="session")
    made = workspaces.create_user_key(store, p, KeyIn(name="test"))
    return made.id, made.key


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with temporary_store("sqlite", tmp_path, rate_plans=3) as store:
        keys = _setup(store)
        with ThreadServer(store) as server:
            yield Env(server.url, store, keys)


def _count(store: Store, table: type) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def _changes(store: Store) -> tuple[int, ...]:
    return tuple(_count(store, t) for t in (Dataset, Model, ApiKey, User, CreditEntry))


def test_every_route_refuses_a_request_without_session_or_key(env: Env) -> None:
    paths = create_app(store=env.store).openapi()["paths"]
    routes = [
        (method.upper(), path)
        for path, ops in paths.items()
        if path not in PUBLIC
        for method in ops
    ]
    assert len(routes) > 40
    before = _changes(env.store)
    with client(env.url, None) as anon:
        for method, path in routes:
            r = anon.request(method, re.sub(r"\{[^}]+\}", "x", path), json={})
            assert r.status_code == 401, (method, path, r.text[:200])
    assert _changes(env.store) == before


def _alpha_dataset(env: Env) -> tuple[str, tuple[int, ...]]:
    """A dataset of workspace alpha (uploaded by its analyst), and the table counts after it."""
    with client(env.url, env.keys["analyst"]) as c:
        dataset_id = upload_pymc(c)
    return dataset_id, _changes(env.store)


def test_a_viewer_cannot_do_an_analysts_action(env: Env) -> None:
    dataset_id, before = _alpha_dataset(env)
    with client(env.url, env.keys["viewer"]) as v:
        assert v.get(f"/api/v1/datasets/{dataset_id}").status_code == 200  # reads are fine
        assert v.delete(f"/api/v1/datasets/{dataset_id}").status_code == 403
        r = v.post("/api/v1/models", json={"dataset_id": dataset_id})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        assert v.get("/api/v1/audit").status_code == 403  # owners and admins only
        assert (
            v.post("/api/v1/members", json={"email": "m@x.io", "role": "viewer"}).status_code == 403
        )
    assert _changes(env.store) == before


def test_a_key_of_one_workspace_sees_nothing_of_another(env: Env) -> None:
    dataset_id, before = _alpha_dataset(env)
    with client(env.url, env.keys["beta"]) as b:
        assert b.get(f"/api/v1/datasets/{dataset_id}").status_code == 404
        assert b.delete(f"/api/v1/datasets/{dataset_id}").status_code == 404
        alpha = workspaces.workspace_named(env.store, "alpha").id
        assert b.get(f"/api/v1/workspaces/{alpha}").status_code == 404
        assert b.get("/api/v1/keys").json()["items"][0]["name"] == "operator"  # its own only
    assert _changes(env.store) == before


def test_revoked_and_expired_keys_are_refused(env: Env) -> None:
    with client(env.url, env.keys["owner"]) as o:
        key_id = o.get("/api/v1/keys").json()["items"][-1]["id"]
        made = o.post("/api/v1/keys", json={"name": "short-lived", "role": "viewer"}).json()
        assert made["role"] == "viewer" and made["key"].startswith(made["prefix"])
        assert o.delete(f"/api/v1/keys/{made['id']}").json()["revoked_at"]
    with client(env.url, made["key"]) as k:
        assert k.get("/api/v1/workspace").status_code == 401
    with env.store.session() as s:
        s.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    with client(env.url, env.keys["viewer"]) as k:
        r = k.get("/api/v1/workspace")
        assert r.status_code == 401 and "expired" in r.json()["detail"]


def _sign_in(url: str, email: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=url, timeout=60)
    r = c.post("/api/v1/auth/sign-in", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    assert "httponly" in r.headers["set-cookie"].lower()
    return c, r.json()["csrf_token"]


def test_session_sign_in_csrf_and_sign_out(env: Env) -> None:
    c, csrf = _sign_in(env.url, "analyst@example.com")
    with closing(c):
        me = c.get("/api/v1/auth/me").json()
        assert me["user"]["email"] == "analyst@example.com" and me["role"] == "analyst"
        assert c.get("/api/v1/datasets").status_code == 200
        before = _changes(env.store)
        body = {"name": "no-csrf"}
        assert c.post("/api/v1/keys", json=body).status_code == 403
        assert (
            c.post("/api/v1/keys", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
        )
        assert _changes(env.store) == before
        r = c.post("/api/v1/keys", json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201, r.text
        cookie = c.cookies.get("mw_session")
        assert c.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": csrf}).status_code == 204
    with httpx.Client(base_url=env.url, cookies={"mw_session": cookie or ""}) as replay:
        assert replay.get("/api/v1/datasets").status_code == 401  # replayed after sign-out


def test_brute_force_locks_the_account(env: Env) -> None:
    with httpx.Client(base_url=env.url) as c:
        for _ in range(env.store.settings.lockout_attempts):
            r = c.post(
                "/api/v1/auth/sign-in",
                json={"email": "owner@example.com", "password": "guess-guess"},
            )
            assert r.status_code == 401
        r = c.post(
            "/api/v1/auth/sign-in", json={"email": "owner@example.com", "password": PASSWORD}
        )
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 60
        assert "mw_session" not in r.cookies


INJECTIONS = ["x' OR '1'='1", "a@b.co'; DROP TABLE users; --", "evil\r\nSet-Cookie: x=1", "\x00"]


def test_injection_in_fields_that_reach_the_database_changes_nothing(env: Env) -> None:
    before = _changes(env.store)
    with httpx.Client(base_url=env.url) as anon:
        for bad in INJECTIONS:
            r = anon.post("/api/v1/auth/sign-in", json={"email": bad, "password": bad})
            assert r.status_code == 401
    with client(env.url, env.keys["owner"]) as o:
        for bad in INJECTIONS:
            assert (
                o.post("/api/v1/members", json={"email": bad, "role": "viewer"}).status_code == 422
            )
            assert o.post("/api/v1/keys", json={"name": bad}).status_code == 422
            assert o.delete(f"/api/v1/keys/{quote(bad, safe='')}").status_code == 404
    c, _ = _sign_in(env.url, "viewer@example.com")
    with closing(c):
        for bad in ("x' OR '1'='1", "ws_1 OR 1=1"):
            assert c.get("/api/v1/datasets", headers={"X-Workspace": bad}).status_code == 404
    assert _changes(env.store) == before
    assert _count(env.store, User) == 4


def test_audit_log_records_who_what_and_from_where(env: Env) -> None:
    with client(env.url, env.keys["admin"]) as a:
        assert (
            a.post(
                "/api/v1/members", json={"email": "new@example.com", "role": "analyst"}
            ).status_code
            == 201
        )
        upload_pymc(a)
        items = a.get("/api/v1/audit").json()["items"]
    actions = [i["action"] for i in items]
    assert "member.add" in actions and "POST /api/v1/datasets" in actions
    entry = next(i for i in items if i["action"] == "member.add")
    assert entry["actor"].startswith("admin@example.com (key ") and entry["source"].startswith(
        "127.0.0.1"
    )
    with env.store.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) >= len(items)


def test_tier_lock_credits_and_rate_limit_over_http(env: Env) -> None:
    alpha = workspaces.operator(env.store, "alpha")
    billing.set_tier(env.store, alpha, "professional")
    with client(env.url, env.keys["analyst"]) as c:
        r = c.post("/api/v1/models/md_x/optimize", json={})
        assert r.status_code == 403 and r.json()["required_tiers"] == ["advanced"]
        billing.set_tier(env.store, alpha, "advanced")
        r = c.post("/api/v1/models/md_x/optimize", json={})
        assert r.status_code == 402 and (r.json()["balance"], r.json()["cost"]) == (0, 30)
        billing.add_credits(env.store, alpha, "grant", 100)
        r = c.post("/api/v1/models/md_x/optimize", json={})  # charged, then refunded: 404
        assert r.status_code == 404
        assert c.get("/api/v1/credits").json()["balance"] == 100
        r = c.post("/api/v1/models/md_x/optimize", json={})  # the 4th within a minute
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert billing.credits(env.store, alpha.workspace_id).balance == 100


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_parallel_fit_requests_never_overdraw_and_a_retry_is_charged_once(
    kind: str, tmp_path: Path
) -> None:
    skip_without_postgres(kind)
    with temporary_store(kind, tmp_path, rate_fits=100) as store:
        _, key = workspaces.create_key(store, "acme")
        op = workspaces.operator(store, "acme")
        billing.set_tier(store, op, "professional")
        billing.add_credits(store, op, "grant", 35)  # 3 fits of 10 credits
        with ThreadServer(store) as server, client(server.url, key) as c:
            dataset_id = upload_pymc(c)
            answers: dict[int, tuple[int, str | None]] = {}

            def fit(i: int) -> None:
                with client(server.url, key) as ci:
                    r = ci.post(
                        "/api/v1/models",
                        json={"dataset_id": dataset_id},
                        headers={"Idempotency-Key": f"fit-{i}"},
                    )
                    answers[i] = (r.status_code, r.json().get("id"))

            threads = [threading.Thread(target=fit, args=(i,)) for i in range(10)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            codes = sorted(code for code, _ in answers.values())
            assert codes == [202] * 3 + [402] * 7
            i, (_, model_id) = next((i, a) for i, a in answers.items() if a[0] == 202)
            again = c.post(
                "/api/v1/models",
                json={"dataset_id": dataset_id},
                headers={"Idempotency-Key": f"fit-{i}"},
            )
            assert again.status_code == 202 and again.json()["id"] == model_id  # charged once
            assert c.get("/api/v1/credits").json()["balance"] == 5
        assert _count(store, Model) == 3
