"""``POST /api/v1/attribution`` with a fitted model of the workspace alongside (a real fit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.api.support import Fitted, client, fitted

from mixwise.attribution.synthetic import SyntheticJourneys
from mixwise.service import results

__all__ = ["fitted"]


@pytest.mark.slow
def test_compare_with_a_stored_model(
    fitted: Fitted, synthetic: SyntheticJourneys, tmp_path: Path
) -> None:
    path = tmp_path / "journeys.csv"
    synthetic.events.iloc[:20_000].to_csv(path, index=False)
    ws = {"x1": "search", "x2": "social"}
    body = {
        "models": ["last_touch", "markov_1"],
        "replicates": 10,
        "mapping": {"channels": {v: k for k, v in ws.items()}},
        "compare": [fitted.model_id],
    }
    with client(fitted.url, fitted.key_a) as c, path.open("rb") as fh:
        up = c.post("/api/v1/datasets", files={"file": ("journeys.csv", fh)})
        assert up.status_code == 201, up.text
        r = c.post("/api/v1/attribution", json=body | {"dataset_id": up.json()["id"]})
        assert r.status_code == 200, r.text
        doc = r.json()
    dataset_id = up.json()["id"]
    assert doc["compared"] == [fitted.model_id]
    mmm = {c["channel"]: c for c in doc["credits"] if c["model"] == fitted.model_id}
    summary = json.loads(
        (
            results.result_dir(fitted.store, _workspace(fitted), fitted.model_id) / "summary.json"
        ).read_text()
    )
    for ch in ("x1", "x2"):
        assert mmm[ch]["credit"] == pytest.approx(summary["channels"][ch]["contribution"]["mean"])
    assert mmm["display"]["note"] == "not in this MMM" and mmm["display"]["credit"] is None
    with client(fitted.url, fitted.key_a) as c:
        page = c.get(f"/api/v1/models/{fitted.model_id}/report", params={"journeys": dataset_id})
        assert page.status_code == 200, page.text
        assert (
            'data-section="attribution"' in page.text and "Where the models disagree" in page.text
        )
        assert (
            c.get(
                f"/api/v1/models/{fitted.model_id}/report", params={"journeys": "ds_nope"}
            ).status_code
            == 404
        )
    with client(fitted.url, fitted.key_b) as other:
        r = other.post("/api/v1/attribution", json=body | {"dataset_id": dataset_id})
        assert r.status_code == 404


def _workspace(f: Fitted) -> str:
    with client(f.url, f.key_a) as c:
        return str(c.get("/api/v1/workspace").json()["id"])
