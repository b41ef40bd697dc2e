"""Property-based fuzzing of the upload, mapping, spec and planning endpoints (Hypothesis), on
SQLite and PostgreSQL: whatever the request, never a 500; every refusal is a problem document
(4xx, ``code``, ``detail``); nothing is written on refusal (no dataset, file, mapping change,
model or scenario). In-process (the ASGI app through httpx), bounded examples, no deadline."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from tests.api.support import PYMC_CSV, PYMC_MAPPING, skip_without_postgres
from tests.plan.conftest import fit_result_from_truth, three_channel_config

import mixwise.data.synthetic as syn
from mixwise.api.app import create_app
from mixwise.service import workspaces
from mixwise.store import Store
from mixwise.store.models import Dataset, Model, Scenario
from mixwise.store.testing import temporary_store

FUZZ = settings(
    max_examples=int(os.environ.get("MIXWISE_FUZZ_EXAMPLES", "20")),  # more to fuzz harder
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PROBLEM = "application/problem+json"


@dataclass
class Api:
    client: TestClient
    store: Store
    dataset_id: str
    model_id: str
    channels: list[str]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A workspace with the PyMC-Marketing example (mapped) and a model holding a known truth
    as its result (no sampling)."""
    skip_without_postgres(request.param)
    home = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with temporary_store(
        request.param, home, max_upload_bytes=64 * 1024, max_upload_rows=500
    ) as store:
        ws, key = workspaces.create_key(store, "fuzz")
        result = fit_result_from_truth(syn.generate(three_channel_config()))
        with store.artifacts.temp_dir() as tmp:
            result.save(tmp / "r")
            store.artifacts.place_dir(tmp / "r", f"models/{ws.id}/truth")
        with store.session() as s:
            s.add(
                Model(
                    id="md_truth",
                    workspace_id=ws.id,
                    name="truth",
                    engine="truth",
                    mapping="",
                    spec="",
                    status="succeeded",
                    result_artifact=f"models/{ws.id}/truth",
                )
            )
        app = create_app(store=store)
        with TestClient(
            app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {key}"}
        ) as c:
            r = c.post("/api/v1/datasets", files={"file": ("pymc.csv", PYMC_CSV.read_bytes())})
            assert r.status_code == 201, r.text
            dataset_id = r.json()["id"]
            r = c.put(
                f"/api/v1/datasets/{dataset_id}/mapping", json={"yaml": PYMC_MAPPING.read_text()}
            )
            assert r.status_code == 200, r.text
            channels = [str(ch) for ch in result.channels]
            yield Api(c, store, dataset_id, "md_truth", channels)


def _refusal_or(r: httpx.Response, *ok: int) -> bool:
    """Whether ``r`` succeeded (one of ``ok``); a refusal must be a 4xx problem document."""
    assert r.status_code != 500, r.text[:1000]
    if os.environ.get("MIXWISE_FUZZ_TRACE"):
        print("FUZZ", r.request.url.path.rsplit("/", 1)[-1], r.status_code, r.text[:150])
    if r.status_code in ok:
        return True
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == r.status_code and body["code"] and body["detail"]
    return False


def _json(api: Api, method: str, url: str, body: Any) -> httpx.Response:
    """Send ``body`` as JSON as a client might (NaN and Infinity included)."""
    content = json.dumps(body, allow_nan=True)
    return api.client.request(
        method, url, content=content, headers={"content-type": "application/json"}
    )


def _count(store: Store, table: type) -> int:
    with store.session() as s:
        return s.query(table).count()


def _files(store: Store) -> set[Path]:
    return {p for p in (store.settings.artifacts / "uploads").rglob("*") if p.is_file()}


# -- strategies ---------------------------------------------------------------------------------
numbers = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1e308, 1e-308, 13, 520, 521]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
csv_cells = st.one_of(
    st.text(max_size=12),
    numbers.map(str),
    st.dates().map(str),
    st.sampled_from(["", "NA", '"', "=1+1", "2020-02-30", "１２", "-0", "1e999"]),
)
csv_text = st.builds(
    lambda header, rows, sep: "\n".join(sep.join(r) for r in [header, *rows]),
    st.lists(
        st.sampled_from(["date", "y", "x1", "x2", "t", "", " ", "é"]) | st.text(max_size=6),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.lists(csv_cells, min_size=0, max_size=6), max_size=12),
    st.sampled_from([",", ";", "\t", "|"]),
)
file_names = st.one_of(
    st.sampled_from(["a.csv", "a.tsv", "a.parquet", "a.xlsx", "a.xls", "a.csv.gz", "a", ".csv"]),
    st.text(max_size=30),
)
uploads = st.tuples(
    file_names,
    st.one_of(
        csv_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=2048),
        st.sampled_from([b"PAR1" + bytes(40), b"PK\x03\x04" + bytes(40), b"\x1f\x8b" + bytes(8)]),
    ),
)


def _planning(channels: list[str]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    names = st.one_of(st.sampled_from(channels), st.text(max_size=8))
    periods = st.one_of(st.none(), st.integers(-2, 600))
    per_channel = st.dictionaries(names, numbers, max_size=4)
    series = st.dictionaries(names, st.lists(numbers, max_size=8), max_size=3)
    bounds = st.dictionaries(
        names, st.fixed_dictionaries({}, optional={"min": numbers, "max": numbers}), max_size=3
    )
    common = {"periods": periods, "level": st.one_of(st.none(), numbers)}
    bodies = {
        "simulate": st.fixed_dictionaries(
            {},
            optional={
                **common,
                "allocation": per_channel,
                "spend": series,
                "fill": st.sampled_from(["zero", "recent", "x"]),
            },
        ),
        "evaluate-shares": st.fixed_dictionaries(
            {}, optional={**common, "shares": per_channel, "budget": numbers}
        ),
        "optimize": st.fixed_dictionaries(
            {},
            optional={
                **common,
                "budget": numbers,
                "objective": st.sampled_from(["kpi", "roi", "target_kpi", "target_roi", "x"]),
                "target": numbers,
                "bounds": bounds,
                "bounds_unit": st.sampled_from(["amount", "share", "multiple"]),
                "locked": st.one_of(per_channel, st.lists(names, max_size=3)),
                "risk": st.sampled_from(["mean", "mean_sd", "quantile"]),
                "flighting": series,
                "n_starts": st.integers(0, 3),
            },
        ),
        "optimize/periods": st.fixed_dictionaries(
            {},
            optional={
                "periods": st.integers(-1, 6),
                "budget": numbers,
                "objective": st.sampled_from(["kpi", "profit", "npv", "x"]),
                "discount_rate": numbers,
                "max_per_period": per_channel,
                "risk": st.sampled_from(["mean", "cvar", "x"]),
            },
        ),
        "optimize/cells": st.fixed_dictionaries(
            {}, optional={"periods": periods, "budget": numbers, "bounds": st.just({"x": {}})}
        ),
        "frontier": st.fixed_dictionaries(
            {},
            optional={
                **common,
                "budgets": st.lists(numbers, max_size=4),
                "bounds": bounds,
                "locked": st.lists(names, max_size=3),
            },
        ),
    }
    return st.sampled_from(sorted(bodies)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.one_of(bodies[kind], json_values))
    )


# -- properties ---------------------------------------------------------------------------------
@FUZZ
@given(upload=uploads)
def test_uploads(api: Api, upload: tuple[str, bytes]) -> None:
    name, data = upload
    before, files = _count(api.store, Dataset), _files(api.store)
    r = api.client.post("/api/v1/datasets", files={"file": (name, data)})
    if _refusal_or(r, 201):
        assert api.client.delete(f"/api/v1/datasets/{r.json()['id']}").status_code == 200
    assert _count(api.store, Dataset) == before and _files(api.store) == files


@FUZZ
@given(
    body=st.one_of(
        st.builds(lambda t: {"yaml": t}, st.text(max_size=200)),
        st.builds(lambda m: {"mapping": m}, json_values),
        json_values,
    )
)
def test_mappings(api: Api, body: Any) -> None:
    url = f"/api/v1/datasets/{api.dataset_id}/mapping"
    before = api.client.get(url).json()["current"]
    r = _json(api, "PUT", url, body)
    if _refusal_or(r, 200):
        assert api.client.put(url, json={"yaml": PYMC_MAPPING.read_text()}).status_code == 200
    else:
        assert api.client.get(url).json()["current"] == before


@FUZZ
@given(
    spec=st.one_of(
        st.text(max_size=200),
        json_values,
        st.dictionaries(
            st.sampled_from(
                [
                    "sampler",
                    "adstock",
                    "saturation",
                    "trend",
                    "holidays",
                    "max_draws",
                    "priors",
                    "seasonality",
                ]
            ),
            json_values,
            max_size=3,
        ),
    ),
    engine=st.one_of(st.just("bayesian"), st.text(max_size=10)),
)
def test_specs(api: Api, spec: Any, engine: str) -> None:
    before = _count(api.store, Model)
    body = {"dataset_id": api.dataset_id, "spec": spec, "engine": engine}
    r = _json(api, "POST", "/api/v1/models", body)
    if _refusal_or(r, 202):
        assert api.client.post(f"/api/v1/models/{r.json()['id']}/cancel").status_code == 200
    else:
        assert _count(api.store, Model) == before


@FUZZ
@given(data=st.data())
def test_planning(api: Api, data: st.DataObject) -> None:
    kind, body = data.draw(_planning(api.channels))
    r = _json(api, "POST", f"/api/v1/models/{api.model_id}/{kind}", body)
    _refusal_or(r, 200)
    before = _count(api.store, Scenario)
    key = {"evaluate-shares": "shares"}.get(kind, kind)
    if key in ("simulate", "shares", "optimize"):
        scenario = {"model_id": api.model_id, "name": "s", key: body}
        r = _json(api, "POST", "/api/v1/scenarios", scenario)
        if _refusal_or(r, 201):
            assert api.client.delete(f"/api/v1/scenarios/{r.json()['id']}").status_code == 200
        assert _count(api.store, Scenario) == before
