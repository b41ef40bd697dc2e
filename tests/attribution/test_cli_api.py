"""``mixwise attribute`` and ``POST /api/v1/attribution`` call the same use case."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from tests.attribution.support import run_folder

from mixwise.api.app import create_app
from mixwise.attribution.sequences import COLUMNS
from mixwise.attribution.synthetic import SyntheticJourneys
from mixwise.errors import MixwiseError
from mixwise.service import attribution, workspaces
from mixwise.service.schemas.attribution import AttributionOptions
from mixwise.store.testing import temporary_store


@pytest.fixture(scope="module")
def journeys_csv(tmp_path_factory: pytest.TempPathFactory, synthetic: SyntheticJourneys) -> Path:
    path = tmp_path_factory.mktemp("j") / "journeys.csv"
    synthetic.events.iloc[:40_000].to_csv(path, index=False)
    return path


def test_cli_writes_credits_and_compares_an_mmm(run_cli, journeys_csv: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    # the MMM (truth-like) says display adds nothing much and has TV, which journeys lack
    run = run_folder(
        tmp_path,
        "mmm_q3",
        {"search": 500, "social": 220, "video": 100, "display": 5, "email": 110, "TV": 900},
    )
    out = tmp_path / "out"
    r = run_cli(
        "attribute",
        str(journeys_csv),
        "--compare",
        str(run),
        "--out",
        str(out),
        "--models",
        "last_touch,linear,markov_1,shapley",
        "--replicates",
        "20",
    )
    assert r.exit_code == 0, r.text
    credits = pd.read_csv(out / "credits.csv")
    assert list(credits.columns[:6]) == ["channel", "model", "credit", "share", "lo", "hi"]
    assert set(credits["model"]) == {"last_touch", "linear", "markov_1", "shapley", "mmm_q3"}
    tv = credits[(credits["channel"] == "TV") & (credits["model"] == "last_touch")].iloc[0]
    assert pd.isna(tv["credit"]) and tv["note"] == "not trackable"
    mmm = credits[credits["model"] == "mmm_q3"].set_index("channel")
    assert mmm.loc["search", "credit"] == 500 and mmm.loc["search", "share"] == pytest.approx(
        500 / 1835
    )
    seq = pd.read_csv(out / "sequences.csv")
    assert list(seq.columns) == COLUMNS and (seq.iloc[0]["first"], seq.iloc[0]["then"]) == (
        "social",
        "email",
    )
    doc = json.loads((out / "attribution.json").read_text())
    assert doc["recommendations"][0].startswith("Last touch gives display")
    assert "the MMM (mmm_q3)" in doc["recommendations"][0] and "lift test" in r.out


def test_cli_same_seed_same_files(run_cli, journeys_csv: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    texts = []
    for name in ("a", "b"):
        args = ["--models", "linear,markov_2", "--replicates", "10", "--seed", "5"]
        r = run_cli("attribute", str(journeys_csv), "--out", str(tmp_path / name), *args)
        assert r.exit_code == 0, r.text
        texts.append((tmp_path / name / "credits.csv").read_text())
    assert texts[0] == texts[1]


def test_cli_bad_input_exits_2_with_row_and_hint(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "paths.csv"
    bad.write_text("path,conversions,null\nsearch > tv,3,1\nsearch > > tv,1,0\n")
    r = run_cli("attribute", str(bad), "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "row 2" in r.err and "Hint" in r.err
    good = tmp_path / "good.csv"
    good.write_text("path,conversions,null\nsearch > tv,3,1\nsearch,1,0\n")
    for option in (["--models", "magic"], ["--models", ""], ["--position", "0.7", "0.7"]):
        r = run_cli("attribute", str(good), "--out", str(tmp_path / "o"), *option)
        assert r.exit_code == 2 and "Hint" in r.err, option


def test_api_attributes_an_uploaded_dataset(
    tmp_path: Path, journeys_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with temporary_store("sqlite", tmp_path) as store:
        _, key = workspaces.create_key(store, "team")
        with TestClient(create_app(store=store)) as c:
            c.headers["Authorization"] = f"Bearer {key}"
            with journeys_csv.open("rb") as fh:
                up = c.post("/api/v1/datasets", files={"file": ("journeys.csv", fh)})
            assert up.status_code == 201, up.text
            body = {
                "dataset_id": up.json()["id"],
                "models": ["last_touch", "shapley"],
                "replicates": 10,
                "mapping": {"channels": {"search": "Paid Search"}},
            }
            r = c.post("/api/v1/attribution", json=body)
            assert r.status_code == 200, r.text
            doc = r.json()
            assert "Paid Search" in doc["channels"] and doc["models"] == ["last_touch", "shapley"]
            assert len(doc["credits"]) == 2 * len(doc["channels"])
            with monkeypatch.context() as m:  # a request attributes at most SYNC_MAX_ROWS rows
                m.setattr(attribution, "SYNC_MAX_ROWS", 1000)
                big = c.post("/api/v1/attribution", json=body)
                assert big.status_code == 422 and "40,000 rows" in big.json()["detail"]
                assert "mixwise attribute" in big.json()["hint"]
            no_campaign = c.post("/api/v1/attribution", json=body | {"by": "campaign"})
            assert no_campaign.status_code == 422 and "campaign column" in no_campaign.text
            bad = c.post("/api/v1/attribution", json=body | {"models": ["magic"]})
            assert bad.status_code == 422 and bad.json()["code"] == "mixwise_error"
            missing = c.post("/api/v1/attribution", json=body | {"dataset_id": "ds_nope"})
            assert missing.status_code == 404
            no_model = c.post("/api/v1/attribution", json=body | {"compare": ["mdl_nope"]})
            assert no_model.status_code == 404 and no_model.json()["code"] == "not_found"
            bad_csv = b"path,conversions,null\nsearch > tv,3,1\nsearch > > tv,1,0\n"
            up_bad = c.post("/api/v1/datasets", files={"file": ("paths.csv", bad_csv)})
            bad_data = c.post(
                "/api/v1/attribution", json=body | {"dataset_id": up_bad.json()["id"]}
            )
            problem = bad_data.json()
            assert bad_data.status_code == 422 and problem["code"] == "validation_failed"
            assert problem["findings"][0]["code"] == "journey_malformed_path"
            assert problem["findings"][0]["rows"] == [2] and problem["hint"]
            _, other_key = workspaces.create_key(store, "other")
            other = c.post(
                "/api/v1/attribution", json=body, headers={"Authorization": f"Bearer {other_key}"}
            )
            assert other.status_code == 404  # another workspace's dataset is not found


def test_options_reach_the_models_by_name() -> None:
    """Half-life, position shares and target are the use case's options, passed by name."""
    frame = pd.DataFrame(
        [("A > B > C", 2, 1, 20.0), ("B", 1, 0, 10.0), ("C > A", 1, 3, 10.0), ("A > B", 0, 5, 0)],
        columns=["path", "conversions", "null", "value"],
    )
    options = AttributionOptions(
        models=["position", "time_decay"],
        first_share=0.3,
        last_share=0.3,
        half_life=1.0,
        target="value",
        replicates=10,
    )
    doc = attribution.attribute_journeys(frame, options)
    credit = {(c.model, c.channel): c.credit for c in doc.credits}
    # position 30/40/30 of each path's value; 2-touch paths split 50/50
    assert [credit["position", ch] for ch in "ABC"] == pytest.approx([11.0, 18.0, 11.0])
    # time decay in touches (a path table), half-life 1: weights 1/4, 1/2, 1 and 1/2, 1
    expected = [20 * 0.25 / 1.75 + 10 / 1.5, 20 * 0.5 / 1.75 + 10, 20 / 1.75 + 10 * 0.5 / 1.5]
    assert [credit["time_decay", ch] for ch in "ABC"] == pytest.approx(expected)
    assert doc.target == "value" and doc.total == pytest.approx(40.0)


def test_api_errors_name_the_upload_not_the_server_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(source: object, *args: object) -> None:
        raise MixwiseError(f"{source}: cannot read this table", "Check the file.")

    monkeypatch.setattr(attribution, "read_journeys", unreadable)
    with temporary_store("sqlite", tmp_path) as store:
        _, key = workspaces.create_key(store, "team")
        with TestClient(create_app(store=store)) as c:
            c.headers["Authorization"] = f"Bearer {key}"
            csv = b"path,conversions,null\nsearch > tv,3,1\n"
            up = c.post("/api/v1/datasets", files={"file": ("paths.csv", csv)})
            r = c.post("/api/v1/attribution", json={"dataset_id": up.json()["id"]})
    assert r.status_code == 422 and "'paths.csv': cannot read" in r.json()["detail"]
    assert str(tmp_path) not in r.text
