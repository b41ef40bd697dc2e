"""The placebo channel: a real channel's spend shuffled in time (national and geo)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.data.placebo import largest_channel, with_placebo
from mixwise.errors import MixwiseError


def _dataset(geos: list[str] | None = None) -> MMMDataset:
    dates = pd.date_range("2023-01-02", periods=30, freq="W-MON")
    rng = np.random.default_rng(0)
    rows = []
    for g in geos or [None]:
        for d in dates:
            rows.append(
                {
                    "date": d,
                    "geo": g,
                    "sales": 100.0,
                    "tv": rng.uniform(0, 100),
                    "radio": rng.uniform(0, 10),
                }
            )
    frame = pd.DataFrame(rows)
    if geos is None:
        frame = frame.drop(columns="geo")
    mapping = Mapping(
        date="date",
        geo="geo" if geos else None,
        kpi={"column": "sales", "type": "revenue"},
        channels=[{"name": "TV", "spend": "tv"}, {"name": "Radio", "spend": "radio"}],
    )
    return MMMDataset(frame=frame, mapping=mapping, frequency="weekly")


def test_placebo_is_the_source_shuffled() -> None:
    ds = _dataset()
    assert largest_channel(ds) == "TV"
    out, name = with_placebo(ds, "TV", seed=3)
    assert name == "placebo_TV" and out.channels == ["TV", "Radio", "placebo_TV"]
    fake, real = out.frame[name].to_numpy(), ds.frame["tv"].to_numpy()
    assert np.allclose(np.sort(fake), np.sort(real))  # same values ...
    assert not np.allclose(fake, real)  # ... in another order
    assert abs(np.corrcoef(fake, real)[0, 1]) < 0.5
    again, _ = with_placebo(ds, "TV", seed=3)
    assert np.array_equal(again.frame[name].to_numpy(), fake)  # seeded
    assert "placebo_TV" not in ds.frame  # the input is untouched


def test_geo_placebo_uses_one_permutation_of_dates() -> None:
    ds = _dataset(["a", "b"])
    out, name = with_placebo(ds, "Radio", seed=1)
    f = out.frame
    for g in ("a", "b"):
        part = f[f["geo"] == g]
        assert np.allclose(np.sort(part[name]), np.sort(part["radio"]))
    # the same date moves to the same place in every geo
    a = f[f["geo"] == "a"].set_index("date")
    b = f[f["geo"] == "b"].set_index("date")
    src_a = {v: d for d, v in a["radio"].items()}
    src_b = {v: d for d, v in b["radio"].items()}
    assert [src_a[v] for v in a[name]] == [src_b[v] for v in b[name]]


def test_placebo_errors_name_the_channel() -> None:
    with pytest.raises(MixwiseError, match="no channel 'Print'"):
        with_placebo(_dataset(), "Print")
