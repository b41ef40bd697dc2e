"""A key sees only its own workspace: every endpoint that takes an id answers 404 for another
workspace's id. The list of endpoints comes from the app's routes (through its OpenAPI
document), so new endpoints are covered (or make this test fail until they are)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.api.support import Fitted, client

from mixwise.api.app import create_app

MINIMAL_BODIES: dict[str, dict[str, Any]] = {
    "MappingIn": {"yaml": "date: date_week\nkpi: {column: y}\nchannels: [{name: x1, spend: x1}]\n"},
    "SimulateIn": {},
    "SharesIn": {"shares": {"x1": 0.5, "x2": 0.5}},
    "OptimizeIn": {"budget": 1.0, "periods": 4},
    "FrontierIn": {"periods": 4},
    "SelectIn": {"pareto_model": "1_1"},
    "RoleIn": {"role": "viewer"},
    "RefreshIn": {"dataset_id": "ds_0000000000000000"},
    "CellOptimizeIn": {"budget": 1.0, "periods": 4},
    "PeriodOptimizeIn": {"budget": 1.0, "periods": 4},
}
"""A valid body per request schema of routes with ids in the path (else 422 comes first)."""
MINIMAL_QUERIES: dict[str, dict[str, str]] = {
    "/api/v1/datasets/{dataset_id}/export": {"to": "robyn"},
}
"""The required query parameters of routes with ids in the path (else 422 comes first)."""


def _operations() -> list[tuple[str, str, str | None]]:
    """``(method, path, request body schema name)`` of every operation of the app."""
    out = []
    for path, ops in create_app().openapi()["paths"].items():
        for method, op in ops.items():
            ref = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref")
            )
            out.append((method.upper(), path, ref.rsplit("/", 1)[-1] if ref else None))
    return out


def _path_id_routes() -> list[tuple[str, str, str | None]]:
    return [op for op in _operations() if "{" in op[1]]


def _schema_fields(name: str) -> set[str]:
    return set(create_app().openapi()["components"]["schemas"][name]["properties"])


def _ids(f: Fitted) -> dict[str, str]:
    with client(f.url, f.key_a) as c:
        ws = c.get("/api/v1/workspace").json()["id"]
        key_id = c.get("/api/v1/keys").json()["items"][0]["id"]
        member = c.post("/api/v1/members", json={"email": "iso@example.com", "role": "viewer"})
        user_id = (
            member.json()["user_id"]
            if member.status_code == 201
            else c.get("/api/v1/members").json()["items"][0]["user_id"]
        )
    return {
        "user_id": user_id,
        "key_id": key_id,
        "dataset_id": f.dataset_id,
        "model_id": f.model_id,
        "scenario_id": f.scenario_id,
        "workspace_id": ws,
        # none exists in either workspace: the service filters by workspace all the same
        "connector_id": "con_0000000000000000",
        "schedule_id": "sch_0000000000000000",
    }


def test_route_list_is_complete() -> None:
    routes = _path_id_routes()
    assert len(routes) >= 25
    unknown = {b for _, _, b in routes if b is not None and b not in MINIMAL_BODIES}
    assert not unknown, f"add a minimal body for {unknown} to MINIMAL_BODIES"
    params = {p for _, path, _ in routes for p in re.findall(r"{(\w+)}", path)}
    known = {"dataset_id", "model_id", "scenario_id", "workspace_id", "user_id", "key_id"}
    known |= {"connector_id", "schedule_id"}
    assert params <= known, params


@pytest.mark.slow
def test_every_path_id_of_another_workspace_is_404(fitted: Fitted) -> None:
    ids = _ids(fitted)
    checked = []
    with client(fitted.url, fitted.key_b) as other, client(fitted.url, fitted.key_a) as owner:
        for method, path, body in _path_id_routes():
            url = path.format(**ids)
            kwargs: dict[str, Any] = {"json": MINIMAL_BODIES[body]} if body else {}
            kwargs["params"] = MINIMAL_QUERIES.get(path)
            r = other.request(method, url, **kwargs)
            assert r.status_code == 404, (method, url, r.status_code, r.text[:300])
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "not_found"
            if method == "GET":  # the same id is real for its own workspace
                assert owner.get(url, params=kwargs["params"]).status_code != 404, url
            checked.append((method, path))
    assert len(checked) == len(_path_id_routes())


@pytest.mark.slow
def test_ids_in_request_bodies_of_another_workspace_are_404(fitted: Fitted) -> None:
    body_routes = {
        ("POST", "/api/v1/models"): {"dataset_id": fitted.dataset_id},
        ("POST", "/api/v1/models/batch"): {"dataset_id": fitted.dataset_id, "engines": ["ridge"]},
        ("POST", "/api/v1/scenarios"): {"model_id": fitted.model_id, "name": "x", "simulate": {}},
        ("POST", "/api/v1/scenarios/compare"): {
            "scenario_ids": [fitted.scenario_id, fitted.scenario_id]
        },
        ("GET", "/api/v1/scenarios"): None,
        ("POST", "/api/v1/attribution"): {"dataset_id": fitted.dataset_id},
        ("POST", "/api/v1/schedules"): {"name": "x", "cron": "daily", "model_id": fitted.model_id},
    }
    with client(fitted.url, fitted.key_b) as other:
        for (method, url), body in body_routes.items():
            if body is None:  # listing filtered by another workspace's model: empty
                r = other.get(url, params={"model_id": fitted.model_id})
                assert r.status_code == 200 and r.json()["items"] == []
                continue
            r = other.request(method, url, json=body)
            assert r.status_code == 404, (method, url, r.text[:300])
        for url in ("/api/v1/datasets", "/api/v1/models", "/api/v1/scenarios"):
            assert other.get(url).json()["items"] == []
    # every route whose body carries an id is in the table above
    for method, path, body in _operations():
        if "{" in path or body is None:
            continue
        if any(name.endswith(("_id", "_ids")) for name in _schema_fields(body)):
            assert (method, path) in body_routes, (method, path)
