"""The meridian engine on real Meridian fits (small draws; two fits per session, shared)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from mixwise.model.forward import forward_contributions
from mixwise.model.result import FitResult, load_result
from mixwise.plan import optimize, simulate
from mixwise.plan.errors import PlanError
from mixwise.plan.simulate import baseline_plan

pytestmark = pytest.mark.slow


def _relative_error(ours: xr.DataArray, theirs: xr.DataArray) -> float:
    """Largest |ours - theirs| over the largest |theirs| of the same channel."""
    theirs = theirs.transpose(*ours.dims)
    scale = np.abs(theirs).max([d for d in theirs.dims if d != "channel"])
    return float((np.abs(ours - theirs) / scale).max())


@pytest.mark.parametrize("which", ["national_fit", "geo_fit"])
def test_forward_model_reproduces_meridians_incremental_outcome(
    which: str, request: pytest.FixtureRequest
) -> None:
    """``contributions`` are Meridian's own per-draw incremental outcome (its Analyzer, in the
    worker); our numpy forward model on the converted parameters gives them to 1e-6."""
    result: FitResult = request.getfixturevalue(which)
    assert result.provenance["engine"] == "meridian"
    ours = forward_contributions(result.params, result.spend)
    assert float(np.abs(result.contributions).max()) > 0
    assert _relative_error(ours, result.contributions) < 1e-6


def test_national_fit_shape_holdout_and_prior(national_fit: FitResult) -> None:
    r = national_fit
    assert r.n_holdout == 6 and r.is_holdout.sum() == 6
    assert r.params.attrs["adstock"] == "geometric" and r.params.attrs["normalize"] == 1
    assert r.params.attrs["l_max"] == 4 and r.params.attrs["saturation"] == "hill"
    components = set(r.baseline["component"].values)
    assert components == {"intercept", "controls", "organic", "non_media"}
    # the parts add up to Meridian's expected outcome, draw by draw
    total = r.contributions.sum("channel") + r.baseline.sum("component")
    np.testing.assert_allclose(total.values, r.fitted.transpose(*total.dims).values, rtol=1e-9)
    # CPA 0.002 (sd 0.001) -> ROI prior LogNormal with mean 1 / CPA-ish: Channel0's KPI per spend
    # is pulled to the hundreds, far above the data's other channels' Meridian-default scale
    prior = r.provenance["meridian"]["roi_priors"]["Channel0"]
    assert prior["mu"] == pytest.approx(-np.log(0.002) + np.log1p(0.25) / 2)
    assert r.provenance["meridian"]["knots"] and len(r.provenance["meridian"]["knots"]) == 5
    d = r.diagnostics
    assert d.rhat_max is None or d.rhat_max > 0
    assert d.ess_bulk_min is not None and d.ess_bulk_min > 0


def test_saved_and_loaded_meridian_run_keeps_the_forward_model(
    national_fit: FitResult, tmp_path
) -> None:
    loaded = load_result(national_fit.save(tmp_path / "run"))
    ours = forward_contributions(loaded.params, loaded.spend)
    assert _relative_error(ours, loaded.contributions) < 1e-6
    assert loaded.summary_dict()["diagnostics"]["verdict"] == national_fit.diagnostics.verdict


def test_planning_works_on_meridian_fits(national_fit: FitResult, geo_fit: FitResult) -> None:
    """Planning reads a Meridian FitResult as any other: simulate and optimize (national); geo
    models are planned per geo (cells): one budget over the geos, kept."""
    r = national_fit
    plan = baseline_plan(r, 8)
    sim = simulate(r, plan)
    assert sim.kpi.shape == (r.n_draws, 8) and np.isfinite(sim.kpi).all()
    assert (sim.media >= 0).all() and sim.media.sum() > 0
    budget = float(plan.to_numpy().sum())
    opt = optimize(r, budget, 8)
    assert float(opt.allocation.sum()) == pytest.approx(budget, rel=1e-6)
    # the optimum is at least as good as the recent allocation, on the mean
    assert opt.optimal.kpi.sum(1).mean() >= opt.current.kpi.sum(1).mean() * (1 - 1e-9)
    with pytest.raises(PlanError, match="a geo-level model is planned per geo"):
        simulate(geo_fit, baseline_plan(geo_fit, 8))
    from mixwise.plan import cells_from_result, optimize_cells

    cells = cells_from_result(geo_fit)
    per_geo = optimize_cells(cells, budget, 8)
    assert per_geo.table["budget"].sum() == pytest.approx(budget, rel=1e-6)
    assert len(per_geo.cells) == len(cells) > 1
