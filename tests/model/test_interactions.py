"""Channel synergy on a FitResult without sampling: the spec's pairs, the forward term against
its formula, summary.json's ``interactions`` against their definitions, save/load, simulation
with the term (against the forward model) and the optimizer's and curves' refusal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from tests.model.support import RNG, make_result

from mixwise.errors import SpecError
from mixwise.model.forward import forward_interactions, unit_curves
from mixwise.model.interactions import GAMMA
from mixwise.model.result import FitResult, load_result
from mixwise.model.spec import ModelSpec
from mixwise.plan import optimize, response_curves, simulate
from mixwise.plan.errors import PlanError


def with_synergy(gamma_mean: float = 0.3) -> FitResult:
    result = make_result()
    n_draw = result.n_draws
    gamma = xr.DataArray(
        RNG.normal(gamma_mean, 0.05, (n_draw, 1)),
        dims=("draw", "interaction"),
        coords={
            "draw": result.params["draw"],
            "interaction": ["tv + search"],
            "interaction_a": ("interaction", ["tv"]),
            "interaction_b": ("interaction", ["search"]),
        },
    )
    result.params[GAMMA] = gamma
    result.interactions = forward_interactions(result.params, result.spend)
    assert result.interactions is not None
    result.fitted = (result.fitted + result.interactions.sum("interaction")).rename("fitted")
    return result


def test_spec_pairs() -> None:
    assert ModelSpec(interactions=[["TV", "Social Media"]]).interactions == [("TV", "Social Media")]
    with pytest.raises(SpecError, match=r"interactions\.0: a channel cannot interact with itself"):
        ModelSpec(interactions=[["TV", "TV"]])
    with pytest.raises(SpecError, match=r"interactions\.1: the pair B \+ A is already"):
        ModelSpec(interactions=[["A", "B"], ["B", "A"]])


def test_forward_term_is_its_formula() -> None:
    result = with_synergy()
    _, s = unit_curves(result.params, result.spend)  # (draw, time, channel)
    gamma = result.params[GAMMA].values[:, 0]
    expected = 1000.0 * gamma[:, None] * s[..., 0] * s[..., 1]
    assert result.interactions is not None
    np.testing.assert_allclose(result.interactions.values[..., 0], expected, rtol=1e-12)
    assert float(result.interactions.mean()) > 0


def test_summary_interactions_by_definition() -> None:
    result = with_synergy()
    assert result.interactions is not None
    entry = result.summary_dict()["interactions"]["tv + search"]
    total = result.interactions.sum("time").values[:, 0]
    share = total / float(result.observed.sum())
    alone = result.contributions.sum(("time", "channel")).values
    assert entry["channels"] == ["tv", "search"]
    assert entry["mean"] == pytest.approx(share.mean(), rel=1e-9)
    assert entry["lo"] == pytest.approx(np.quantile(share, 0.05), rel=1e-9)
    assert entry["hi"] == pytest.approx(np.quantile(share, 0.95), rel=1e-9)
    assert entry["lift"]["median"] == pytest.approx(np.median(total / alone), rel=1e-9)
    assert make_result().summary_dict()["interactions"] == {}


def test_save_and_load_keep_the_synergy(tmp_path: Path) -> None:
    result = with_synergy()
    loaded = load_result(result.save(tmp_path / "run"))
    assert loaded.interactions is not None
    np.testing.assert_allclose(loaded.interactions.values, result.interactions.values)  # type: ignore[union-attr]
    assert list(loaded.params[GAMMA]["interaction_a"].values) == ["tv"]
    assert loaded.summary_dict()["interactions"] == result.summary_dict()["interactions"]


def _history_plan(result: FitResult) -> pd.DataFrame:
    spend = result.spend.transpose("time", "channel")
    return pd.DataFrame(spend.values, index=result.dates, columns=result.channels)


def test_simulation_reproduces_the_forward_model_with_synergy() -> None:
    result = with_synergy()
    assert result.interactions is not None
    sim = simulate(result, _history_plan(result))
    media = sim.kpi - sim.baseline  # (draw, period)
    expected = result.contributions.sum("channel") + result.interactions.sum("interaction")
    np.testing.assert_allclose(media, expected.transpose("draw", "time").values, rtol=1e-6)
    np.testing.assert_allclose(sim.contributions.sum(axis=2), media, rtol=1e-9)
    # media KPI also counts the carry-over after the plan's last period
    tail = sim.carryover_out.sum(axis=1)
    np.testing.assert_allclose(sim.media.sum(axis=1), media.sum(axis=1) + tail, rtol=1e-9)
    # each channel carries its own contribution and half of the pair's term
    half = 0.5 * result.interactions.sum(("time", "interaction")).values
    tv = result.contributions.sel(channel="tv").sum("time").values
    np.testing.assert_allclose(sim.contributions[:, :, 0].sum(axis=1), tv + half, rtol=1e-6)


def test_simulated_mroas_includes_the_synergy_slope() -> None:
    result = with_synergy(gamma_mean=1.5)
    plan, eps = _history_plan(result), 1e-6
    sim = simulate(result, plan)
    bumped = plan.copy()
    bumped["tv"] *= 1 + eps
    total = simulate(result, bumped).media.sum(axis=1) - sim.media.sum(axis=1)
    np.testing.assert_allclose(sim._marginal[:, 0], total / eps, rtol=1e-4)


def test_optimizer_and_curves_refuse_a_model_with_synergy() -> None:
    result = with_synergy()
    with pytest.raises(PlanError, match="budget optimization does not model channel synergy"):
        optimize(result, budget=1000.0, periods=4)
    with pytest.raises(PlanError, match="response curves does not model channel synergy"):
        response_curves(result)
