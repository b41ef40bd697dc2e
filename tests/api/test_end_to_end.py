"""The whole service over HTTP: `mixwise keys create`, `mixwise serve` (a real uvicorn server
with a worker process) on loopback, and an httpx client going from upload to report."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.api.support import (
    SMALL_SPEC,
    ServerProcess,
    backend_env,
    client,
    create_key,
    skip_without_postgres,
    upload_pymc,
)

from mixwise.api.headers import REPORT_CSP


def _follow_fit(c, model_id: str) -> tuple[dict, list[tuple[str, float]]]:  # type: ignore[no-untyped-def]
    import time

    seen: list[tuple[str, float]] = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        body = c.get(f"/api/v1/models/{model_id}").json()
        job = body["job"]
        seen.append((job["stage"], job["fraction"]))
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return body, seen
        assert 0.0 <= job["fraction"] <= 1.0
        if job["eta_seconds"] is not None:
            assert job["eta_seconds"] >= 0
        time.sleep(0.3)
    raise AssertionError("the fit did not finish")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upload_fit_plan_report_over_http(kind: str, tmp_path: Path) -> None:
    skip_without_postgres(kind)
    with backend_env(kind, tmp_path / "home") as env:
        key = create_key(env, "acme")
        assert key.startswith("mw_") and len(key) > 40
        with ServerProcess(env, workers=1, log=tmp_path / "server.log") as server:
            _run_flow(server.url, key)
        log = (tmp_path / "server.log").read_text(errors="replace")
        assert key not in log  # no secrets in logs


def _run_flow(url: str, key: str) -> None:
    with client(url, None) as anon:
        health = anon.get("/api/v1/health").json()
        assert health["status"] == "ok" and health["version"]
        assert anon.get("/api/v1/datasets").status_code == 401
    with client(url, key) as c:
        dataset_id = upload_pymc(c)
        mapping = c.get(f"/api/v1/datasets/{dataset_id}/mapping").json()
        assert mapping["proposed"]["mapping"]["date"] == "date_week"
        assert mapping["current"]["mapping"]["kpi"]["column"] == "y"
        findings = c.get(f"/api/v1/datasets/{dataset_id}/findings").json()
        assert findings["ok"] is True and findings["n_errors"] == 0
        eda = c.get(f"/api/v1/datasets/{dataset_id}/eda").json()
        assert eda["period"]["periods"] == 179
        preview = c.get(f"/api/v1/datasets/{dataset_id}/preview", params={"limit": 3}).json()
        assert len(preview["rows"]) == 3 and preview["n_rows"] == 179

        r = c.post(
            "/api/v1/models",
            json={"dataset_id": dataset_id, "spec": SMALL_SPEC, "name": "first fit"},
        )
        assert r.status_code == 202, r.text
        model_id = r.json()["id"]
        model, seen = _follow_fit(c, model_id)
        assert model["status"] == "succeeded", model
        stages = [s for s, _ in seen]
        assert "succeeded" in stages and len(seen) >= 2
        fractions = [f for _, f in seen]
        assert fractions == sorted(fractions)  # progress never goes back
        lines = c.get(f"/api/v1/models/{model_id}/logs").json()["lines"]
        assert any("sampling" in ln["message"] or "compile" in ln["message"] for ln in lines)

        summary = c.get(f"/api/v1/models/{model_id}/summary").json()
        assert set(summary["channels"]) == {"x1", "x2"}
        roas = summary["channels"]["x1"]["roas"]
        assert summary["lift_tests"] == []  # none in this spec; listed with fitted vs measured
        assert roas["lo"] <= roas["mean"] <= roas["hi"]
        for part in (
            "contributions",
            "decomposition",
            "diagnostics",
            "response-curves",
            "adstock",
            "recommendations",
        ):
            assert c.get(f"/api/v1/models/{model_id}/{part}").status_code == 200, part
        _decomposition_window(c, model_id, summary)

        _plan_and_scenarios(c, model_id)
        _report(c, model_id)


def _decomposition_window(c, model_id: str, summary: dict) -> None:  # type: ignore[no-untyped-def]
    """A window's totals: two halves add up to the whole (means are linear), the whole
    window's channel spend and ROAS match the summary, a reversed or outside window is
    refused by name."""
    url = f"/api/v1/models/{model_id}/decomposition"
    whole = c.get(url).json()
    dates = whole["dates"]
    mid = len(dates) // 2
    first = c.get(url, params={"end": dates[mid - 1]}).json()
    second = c.get(url, params={"start": dates[mid]}).json()
    assert first["dates"] == dates[:mid] and second["dates"] == dates[mid:]
    # Items near zero (an intercept part fitted to ~0) are compared on the scale of the largest.
    scale = max(abs(w["total"]["mean"]) for w in whole["items"])
    for w, a, b in zip(whole["items"], first["items"], second["items"], strict=True):
        assert w["name"] == a["name"] == b["name"]
        halves = a["total"]["mean"] + b["total"]["mean"]
        assert halves == pytest.approx(w["total"]["mean"], rel=1e-9, abs=1e-9 * scale)
        if w["kind"] == "channel":
            ch = summary["channels"][w["name"]]
            assert w["spend"] == pytest.approx(ch["spend"], rel=1e-6)
            assert a["spend"] + b["spend"] == pytest.approx(w["spend"], rel=1e-9)
            assert w["roas"]["mean"] == pytest.approx(ch["roas"]["mean"], rel=1e-6)
            assert w["roas"]["lo"] <= w["roas"]["mean"] <= w["roas"]["hi"]
    reversed_ = c.get(url, params={"start": dates[mid], "end": dates[0]})
    assert reversed_.status_code == 422 and "start" in reversed_.json()["detail"]
    outside = c.get(url, params={"start": "1990-01-01"})
    assert outside.status_code == 422 and "outside the fitted periods" in outside.json()["detail"]


def _plan_and_scenarios(c, model_id: str) -> None:  # type: ignore[no-untyped-def]
    sim = c.post(f"/api/v1/models/{model_id}/simulate", json={"periods": 8}).json()
    budget = sum(sim["allocation"].values())
    # a plan that leaves a channel out: refused, naming it, unless the request chooses a fill
    partial = {"spend": {"x1": [100.0] * 3}}
    refused = c.post(f"/api/v1/models/{model_id}/simulate", json=partial)
    assert refused.status_code == 422, refused.text
    assert "x2" in refused.json()["detail"] and "fill" in refused.json()["hint"]
    filled = c.post(f"/api/v1/models/{model_id}/simulate", json={**partial, "fill": "zero"})
    assert filled.status_code == 200 and filled.json()["allocation"]["x2"] == 0.0
    # per-period spend lists obey the periods limit (13,000 values used to end in a 500)
    long = {"spend": {"x1": [1.0] * 13_000, "x2": [1.0] * 13_000}}
    too_long = c.post(f"/api/v1/models/{model_id}/simulate", json=long)
    assert too_long.status_code == 422 and "at most 520" in too_long.text
    opt = c.post(
        f"/api/v1/models/{model_id}/optimize",
        json={"budget": budget, "periods": 8, "objective": "kpi"},
    )
    assert opt.status_code == 200, opt.text
    plan = opt.json()["plan"]
    assert abs(sum(plan["allocation"].values()) - budget) < 1e-6 * budget
    assert plan["expected_kpi"]["mean"] >= plan["current"]["expected_kpi"]["mean"] * 0.999
    shares = c.post(
        f"/api/v1/models/{model_id}/evaluate-shares", json={"shares": {"x1": 0.8, "x2": 0.4}}
    ).json()
    assert shares["normalized_shares"] is not None and shares["warnings"]

    ids = []
    for name, body in (
        ("recent", {"simulate": {"periods": 8}}),
        ("optimized", {"optimize": {"budget": budget, "periods": 8}}),
    ):
        r = c.post("/api/v1/scenarios", json={"model_id": model_id, "name": name, **body})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    listed = c.get("/api/v1/scenarios", params={"model_id": model_id}).json()["items"]
    assert {s["name"] for s in listed} == {"recent", "optimized"}
    cmp = c.post("/api/v1/scenarios/compare", json={"scenario_ids": ids}).json()
    first, second = cmp["scenarios"]
    assert first["vs_first"]["total_kpi"]["mean"] == 0
    gain = second["vs_first"]["media_kpi"]
    assert gain["mean"] >= -1e-6 * abs(first["metrics"]["media_kpi"]["mean"])
    assert gain["lo"] <= gain["mean"] <= gain["hi"]


def _report(c, model_id: str) -> None:  # type: ignore[no-untyped-def]
    r = c.get(f"/api/v1/models/{model_id}/report")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert b"<html" in r.content[:2000].lower()
    assert r.headers["content-security-policy"] == REPORT_CSP  # self-contained, no framing
    assert r.headers["cache-control"] == "no-store"
    x = c.get(f"/api/v1/models/{model_id}/report", params={"format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert x.headers["x-content-type-options"] == "nosniff"
