"""EDA summaries against numbers computed independently from the raw file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.data.eda import describe
from mixwise.data.pipeline import load_dataset


@pytest.fixture(scope="module")
def robyn(shared_datasets: Path, mappings_dir: Path):
    name = "robyn_dt_simulated_weekly"
    raw = pd.read_csv(shared_datasets / f"{name}.csv")
    ds = load_dataset(shared_datasets / f"{name}.csv", mappings_dir / f"{name}.yaml")
    return raw, describe(ds)


def test_spend_totals_shares_and_active_periods(robyn) -> None:
    raw, summary = robyn
    spend_cols = {
        "tv": "tv_S",
        "ooh": "ooh_S",
        "print": "print_S",
        "facebook": "facebook_S",
        "search": "search_S",
    }
    total = sum(raw[c].sum() for c in spend_cols.values())
    for ch, col in spend_cols.items():
        row = summary.channels.loc[ch]
        assert row["spend"] == pytest.approx(raw[col].sum())
        assert row["spend_share"] == pytest.approx(raw[col].sum() / total)
        assert row["active_periods"] == int((raw[col] > 0).sum())


def test_correlation_matches_pandas(robyn) -> None:
    raw, summary = robyn
    expected = np.corrcoef(raw["tv_S"], raw["revenue"])[0, 1]
    assert summary.correlation.loc["tv", "KPI"] == pytest.approx(expected)
    assert np.allclose(np.diag(summary.correlation.to_numpy()), 1.0)


def test_to_dict_is_json_ready(robyn) -> None:
    raw, summary = robyn
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["period"]["periods"] == len(raw)
    assert len(data["kpi"]["values"]) == len(raw)
    assert data["kpi"]["values"][0] == pytest.approx(raw["revenue"].iloc[0])
