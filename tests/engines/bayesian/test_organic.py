"""Organic media and non-media treatments in the bayesian engine: their own regressors and
baseline components (``organic``, ``non_media``), never channels (no spend, no ROAS)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.engines.meridian.conftest import meridian_national

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.engines.bayesian.design import build_design
from mixwise.fitting import fit
from mixwise.model.spec import ModelSpec
from mixwise.plan.errors import PlanError
from mixwise.service import planning
from mixwise.service.fitted import RunFolder
from mixwise.service.results import summary_of
from mixwise.service.schemas.plans import SimulateIn

ORGANIC, PROMO = "Organic_channel0_impression", "Promo"


def test_design_has_organic_and_non_media_regressors(shared_datasets: Path) -> None:
    """Meridian's national sample: the organic channel and Promo enter as prefixed regressors,
    scaled by their max |value| over the training window, not as channels."""
    dataset = meridian_national(shared_datasets)
    spec = ModelSpec(holdout=6).resolved(dataset.frequency, dataset.n_periods)
    design = build_design(dataset, spec)
    assert f"organic:{ORGANIC}" in design.regressors
    assert f"non_media:{PROMO}" in design.regressors
    assert ORGANIC not in design.channels and PROMO not in design.channels
    train = design.frame["date"].isin(design.train_dates)
    for column, raw_name in ((f"organic:{ORGANIC}", ORGANIC), (f"non_media:{PROMO}", PROMO)):
        raw = dataset.frame[raw_name].to_numpy(float)
        scale = design.control_scale[column]
        assert scale == pytest.approx(float(np.abs(raw[train.to_numpy()]).max()))
        np.testing.assert_allclose(design.frame[column], raw / scale, rtol=1e-12)


# Synthetic truth: KPI = 2000 + 0.8 spend_a + 0.5 spend_b + ORGANIC_EFFECT * newsletters
#                        + PRICE_EFFECT * price + noise(sd 40), 104 weeks.
ORGANIC_EFFECT, PRICE_EFFECT = 0.6, -60.0


def _synthetic(seed: int = 11, n: int = 104) -> MMMDataset:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-03", periods=n, freq="W-MON")
    spend_a = rng.uniform(200, 800, n)
    spend_b = rng.uniform(100, 600, n)
    newsletters = rng.uniform(0, 1000, n)
    price = 10 + rng.normal(0, 1.5, n)
    kpi = 2000 + 0.8 * spend_a + 0.5 * spend_b + ORGANIC_EFFECT * newsletters
    kpi = kpi + PRICE_EFFECT * price + 700 + rng.normal(0, 40, n)
    frame = pd.DataFrame(
        {
            "week": dates,
            "sales": kpi,
            "a": spend_a,
            "b": spend_b,
            "newsletters": newsletters,
            "price": price,
        }
    )
    mapping = Mapping(
        date="week",
        kpi={"column": "sales", "type": "revenue"},
        channels=[{"name": "a", "spend": "a"}, {"name": "b", "spend": "b"}],
        organic=["newsletters"],
        non_media=["price"],
    )
    return MMMDataset(frame=frame, mapping=mapping, frequency="weekly")


@pytest.mark.slow
def test_organic_and_price_effects_are_recovered(tmp_path: Path) -> None:
    """The per-unit effect implied by each component (contribution / input, constant over
    time in every draw) has the truth inside its 94% interval and its mean within 20%; the
    components appear in summary.json's baseline and no organic/non-media entry in channels."""
    dataset = _synthetic()
    spec = ModelSpec.from_dict(
        {
            "sampler": {"chains": 2, "tune": 300, "draws": 200, "seed": 1},
            "trend": {"enabled": False},
            "seasonality": {"yearly_order": 0},
            "adstock": {"l_max": 2},
        }
    )
    result = fit(dataset, spec)
    components = [str(c) for c in result.baseline["component"].values]
    assert "organic" in components and "non_media" in components
    for component, column, truth in (
        ("organic", "newsletters", ORGANIC_EFFECT),
        ("non_media", "price", PRICE_EFFECT),
    ):
        contrib = result.baseline.sel(component=component).transpose("draw", "time").values
        values = dataset.frame[column].to_numpy(float)
        per_unit = contrib / values  # (draw, time): the same in every period of a draw
        np.testing.assert_allclose(
            per_unit, np.broadcast_to(per_unit[:, :1], per_unit.shape), rtol=1e-6
        )
        draws = per_unit[:, 0]
        low, high = np.quantile(draws, [0.03, 0.97])
        assert low <= truth <= high, (component, low, high)
        assert draws.mean() == pytest.approx(truth, rel=0.2), component
    summary = result.summary_dict()
    assert set(summary["channels"]) == {"a", "b"}
    assert {"organic", "non_media"} <= set(summary["baseline"]["components"])
    # each on its own: the per-unit effect (KPI per unit per period) with its interval
    own = summary["treatments"]
    assert own["newsletters"]["role"] == "organic" and own["price"]["role"] == "non_media"
    for name, truth in (("newsletters", ORGANIC_EFFECT), ("price", PRICE_EFFECT)):
        effect = own[name]["per_unit"]
        assert effect["lo"] <= truth <= effect["hi"], (name, effect)
        assert effect["mean"] == pytest.approx(truth, rel=0.2)
    organic_share = float(result.baseline.sel(component="organic").sum("time").mean("draw"))
    total = float(result.observed.sum())
    assert own["newsletters"]["share"]["mean"] == pytest.approx(organic_share / total, rel=1e-3)
    # as the API serves it (the run folder's summary.json)
    run = result.save(tmp_path / "run")
    api = summary_of(run, "run")
    assert api.treatments is not None and api.treatments["price"].role == "non_media"
    # a scenario: price one unit above its recent level in each of 4 planned periods moves
    # the KPI by 4 x the per-unit effect (truth -60 per period); organic cannot be planned
    recent = float(result.params["treatment_level"].sel(treatment="price"))
    assert recent == pytest.approx(dataset.frame["price"].tail(13).mean(), rel=1e-9)
    model = RunFolder(run)
    same = planning.simulate(model, SimulateIn(periods=4))
    dearer = planning.simulate(model, SimulateIn(periods=4, treatments={"price": recent + 1}))
    change = dearer.metrics["total_kpi"].mean - same.metrics["total_kpi"].mean
    assert change == pytest.approx(4 * PRICE_EFFECT, rel=0.2)
    assert dearer.metrics["media_kpi"].mean == pytest.approx(same.metrics["media_kpi"].mean)
    with pytest.raises(PlanError, match=r"treatments\.newsletters: not a non-media treatment"):
        planning.simulate(model, SimulateIn(periods=4, treatments={"newsletters": 5.0}))
