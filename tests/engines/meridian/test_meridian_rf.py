"""Reach & frequency channels in Meridian's worker: the bundle gives Meridian a channel's reach,
frequency and spend (``with_reach``), the worker fits them, and our numpy R&F forward model
(``convert.rf_contributions``: Hill on frequency times scaled reach, then the geometric adstock)
reproduces Meridian's own per-draw incremental outcome of the channel to 1e-6 relative, and our
optimal frequency (``convert.optimal_frequency``) is the one Meridian's Analyzer gives.

The engine itself still refuses R&F channels (their FitResult form and the planner's optimal
frequency are not built yet): this test drives the worker directly, on a real (tiny) fit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.engines.meridian.conftest import N_WEEKS, SMALL

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.engines.meridian import convert, environment
from mixwise.engines.meridian.bundle import build_bundle, write_bundle
from mixwise.engines.meridian.engine import meridian_spec
from mixwise.engines.meridian.process import DONE, run_worker
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # one real Meridian fit (about 3 minutes on 2 shared cores)


def meridian_rf(shared: Path, n_weeks: int = N_WEEKS) -> MMMDataset:
    """The first ``n_weeks`` of Meridian's national R&F sample: 3 paid channels on spend and
    Channel3 as a reach & frequency channel, 2 controls."""
    df = pd.read_csv(shared / "meridian_national_media_rf.csv", parse_dates=["time"])
    df = df.head(n_weeks).copy()
    cols = ["conversions", *(f"Channel{i}_spend" for i in range(4))]
    cols += ["Channel3_reach", "Channel3_frequency", "competitor_activity_score_control"]
    for col in cols:
        df[col] = df[col].astype(float)
    channels: list[dict[str, str]] = [
        {"name": f"Channel{i}", "spend": f"Channel{i}_spend"} for i in range(3)
    ]
    channels.append(
        {
            "name": "Channel3",
            "spend": "Channel3_spend",
            "reach": "Channel3_reach",
            "frequency": "Channel3_frequency",
        }
    )
    mapping = Mapping(
        date="time",
        kpi={"column": "conversions", "type": "conversions"},
        channels=channels,
        controls=["competitor_activity_score_control"],
    )
    return MMMDataset(frame=df, mapping=mapping, frequency="weekly")


def test_rf_forward_model_reproduces_meridians_incremental_outcome(
    shared_datasets: Path, tmp_path: Path
) -> None:
    dataset = meridian_rf(shared_datasets)
    raw = {"sampler": SMALL, "meridian": {"n_burnin": 20, "knots": 3}, "adstock": {"l_max": 4}}
    spec = meridian_spec(ModelSpec.from_dict(raw), dataset)
    frame, bundle = build_bundle(dataset, spec)
    assert bundle["channels"] == ["Channel0", "Channel1", "Channel2"]
    assert bundle["rf_channels"] == ["Channel3"]
    run = tmp_path / "run"
    run.mkdir()
    write_bundle(run, frame, bundle)
    run_worker(environment.require(), run, lambda *a: None)
    with np.load(run / "draws.npz") as f:
        draws = {k: f[k] for k in f.files}
    assert json.loads((run / DONE).read_text())["times"][0] == "2021-01-25"
    assert {"alpha_rf", "ec_rf", "slope_rf", "beta_grf", "reach_scale_grf"} <= set(draws)

    kept = convert.keep(draws, 1000, seed=0)
    ds = dataset.to_xarray()
    reach = ds["reach"].transpose("geo", "time", "rf_channel").values
    frequency = ds["frequency"].transpose("geo", "time", "rf_channel").values
    ours = convert.rf_contributions(draws, kept, reach, frequency, l_max=4)  # (d, g, t, r)

    theirs = draws["incremental_outcome"][kept.chain, kept.chain_draw]
    if theirs.ndim == 3:  # national: Meridian drops the geo axis
        theirs = theirs[:, None]
    theirs = theirs[..., 3:4]  # Meridian's order: paid media (3), then reach & frequency
    assert ours.shape == theirs.shape
    assert np.abs(theirs).max() > 0  # a channel with an effect, not two arrays of zeros
    rel = np.abs(ours - theirs).max() / np.abs(theirs).max()
    assert rel < 1e-6

    # Meridian's optimal frequency (its Analyzer, the frequency its optimizer plans at) is ours
    ours_f = convert.optimal_frequency(draws, kept, reach, frequency, l_max=4)
    np.testing.assert_allclose(ours_f, draws["optimal_frequency"], atol=1e-9)
    assert 1.0 <= float(ours_f[0]) < float(frequency.max())
