"""Industry benchmarks: loading (CLI and API), matching, and the model's figures beside them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from tests.model.support import make_result

from mixwise.api.app import create_app
from mixwise.model.media_figures import media_figures
from mixwise.service import benchmarks, workspaces
from mixwise.service.fitted import RunFolder
from mixwise.store.models import Model
from mixwise.store.testing import temporary_store

EXAMPLE = Path(__file__).parents[2] / "examples" / "benchmarks.example.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run") / "run"
    make_result().save(path)
    return path


def test_media_figures_are_the_draws_ratio(run: Path) -> None:
    result = RunFolder(run).result()
    figs = media_figures(result, 0.9)
    contrib = result.contributions.sum("time").values  # (draw, channel)
    spend = result.spend.sum("time").values
    total = contrib.sum(axis=1) / spend.sum()
    assert figs[""]["roas"]["mean"] == pytest.approx(float(np.mean(total)), rel=1e-9)
    assert figs[""]["roas"]["lo"] == pytest.approx(float(np.quantile(total, 0.05)), rel=1e-9)
    tv = contrib[:, 0] / spend[0]
    assert figs["tv"]["roas"]["hi"] == pytest.approx(float(np.quantile(tv, 0.95)), rel=1e-9)
    assert figs[""]["cpa"] is None and "conversions" in figs[""]["why"]["cpa"]


def test_bad_rows_are_named() -> None:
    good = pd.read_csv(EXAMPLE)
    for col, value, text in (
        ("metric", "ctr", "row 2: metric 'ctr'"),
        ("value", "many", "row 2: value 'many'"),
        ("date", "soon", "row 2: date 'soon'"),
        ("source", None, "row 2: source is empty"),
    ):
        bad = good.astype(object)
        bad.loc[1, col] = value
        with pytest.raises(benchmarks.BenchmarkError, match=text):
            benchmarks.parse_benchmarks(bad)
    with pytest.raises(benchmarks.BenchmarkError, match="no column source"):
        benchmarks.parse_benchmarks(good.drop(columns=["source"]))


def test_cli_load_and_compare(run_cli, run: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MIXWISE_HOME", str(tmp_path / "home"))
    r = run_cli("admin", "benchmarks", "load", str(EXAMPLE))
    assert r.exit_code == 0, r.text
    assert "Loaded 3 benchmark rows" in r.out
    r = run_cli("admin", "benchmarks", "list", "--industry", "example retail")
    assert r.exit_code == 0 and "EXAMPLE ONLY" in r.out
    r = run_cli("admin", "benchmarks", "load", str(EXAMPLE), "--replace")
    assert "(3 replaced)" in r.out


def test_api_compares_matching_rows(run: Path, tmp_path: Path) -> None:
    with temporary_store("sqlite", tmp_path) as store:
        ws, key = workspaces.create_key(store, "team")
        import shutil

        shutil.copytree(run, tmp_path / "copy")
        store.artifacts.place_dir(tmp_path / "copy", "results/mdl_b")
        with store.session() as s:
            s.add(
                Model(
                    id="mdl_b",
                    workspace_id=ws.id,
                    name="b",
                    engine="bayesian",
                    mapping="",
                    spec="",
                    status="succeeded",
                    result_artifact="results/mdl_b",
                )
            )
        with TestClient(create_app(store=store)) as c:
            c.headers["Authorization"] = f"Bearer {key}"
            none = c.get("/api/v1/models/mdl_b/benchmarks").json()
            assert none["items"] == [] and "No benchmark has been loaded" in none["message"]
            up = c.post("/api/v1/benchmarks", files={"file": ("b.csv", EXAMPLE.read_bytes())})
            assert up.status_code == 200, up.text
            assert up.json() == {"loaded": 3, "replaced": 0, "scope": "workspace"}
            doc = c.get(
                "/api/v1/models/mdl_b/benchmarks",
                params={"industry": "Example Retail", "region": "example region"},
            ).json()
            by = {(i["benchmark"]["metric"], i["benchmark"]["channel"]): i for i in doc["items"]}
            total = by[("roas", "")]
            assert total["benchmark"]["source"].startswith("EXAMPLE ONLY")
            assert total["benchmark"]["date"] == "2026-01-01"
            m = total["model"]
            expected = "above" if m["lo"] > 2 else "below" if m["hi"] < 2 else "overlaps"
            assert total["verdict"] == expected
            assert by[("roas", "TV")]["why"] == "the model has no channel 'TV'"
            assert "revenue" in by[("cpa", "")]["why"]
            other = c.get("/api/v1/models/mdl_b/benchmarks", params={"industry": "Banking"})
            assert other.json()["items"] == []
            assert "No benchmark matches industry 'Banking'" in other.json()["message"]
            bad = EXAMPLE.read_bytes().replace(b"2026-01-01", b"someday", 1)
            r = c.post("/api/v1/benchmarks", files={"file": ("bad.csv", bad)})
            assert r.status_code == 422 and "row 1" in r.json()["detail"]
