"""Ridge models as FitResult draws: the common parametrisation reproduces the fit exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge.convert import (
    Draws,
    block_bootstrap_rows,
    bootstrap_refits,
    fit_arrays,
)
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.evaluate import RidgeProblem, evaluate
from mixwise.model.forward import forward_contributions

WINDOW = ("2016-01-04", "2018-12-31")


def candidates(problem: RidgeProblem, n: int, seed: int) -> tuple[np.ndarray, Draws]:
    r = problem.ranges
    hyper = r.from_unit(np.random.default_rng(seed).random((n, len(r.names))))
    ev = evaluate(problem, hyper)
    return ev.nrmse, Draws(hyper=hyper, coef=ev.coef, intercept=ev.intercept)


@pytest.mark.parametrize(
    ("adstock", "inflexion"),
    [
        ("geometric", "range"),
        ("weibull_cdf", "range"),
        ("weibull_pdf", "range"),
        ("geometric", "max"),
    ],
)
def test_forward_model_reproduces_the_ridge_contributions(
    adstock: str, inflexion: str, robyn_dataset: MMMDataset, robyn_holidays: pd.DataFrame
) -> None:
    problem = build_problem(
        robyn_dataset,
        robyn_holidays,
        WINDOW,
        adstock,
        inflexion=inflexion,  # type: ignore[arg-type]
    )
    nrmse, draws = candidates(problem, 4, seed=5)
    arrays = fit_arrays(problem, draws)
    # FitResult's forward model over every period (so carry-over from before the window counts)
    spend = xr.DataArray(
        problem.media[:, : problem.n_paid],
        dims=("time", "channel"),
        coords={"time": problem.dates, "channel": list(problem.channels[: problem.n_paid])},
    )
    forward = forward_contributions(arrays.params, spend).sel(time=arrays.contributions["time"])
    scale = float(np.abs(arrays.contributions).max())
    np.testing.assert_allclose(forward.values, arrays.contributions.values, atol=1e-9 * scale)
    # contributions + baseline = the ridge's fitted values: same NRMSE as the search recorded
    y = arrays.observed.values
    got = np.sqrt(((arrays.fitted.values - y) ** 2).mean(axis=1)) / np.ptp(y)
    np.testing.assert_allclose(got, nrmse, rtol=1e-10)
    assert set(arrays.baseline["component"].values) == {
        "intercept", "trend", "seasonality", "controls", "events", "holidays", "organic"
    }  # fmt: skip


def test_bootstrap_refits_are_seeded_non_negative_and_centred(
    robyn_problem: RidgeProblem,
) -> None:
    _, point = candidates(robyn_problem, 1, seed=2)
    a = bootstrap_refits(robyn_problem, point.hyper[0], n_draws=150, seed=4)
    b = bootstrap_refits(robyn_problem, point.hyper[0], n_draws=150, seed=4)
    np.testing.assert_array_equal(a.coef, b.coef)
    n_media = len(robyn_problem.channels)
    assert (a.coef[:, :n_media] >= 0).all()
    assert (a.coef[:, :n_media].std(axis=0) > 0).any()
    # the draws scatter around the full-data fit: its paid total effect lies inside their 95%
    arrays = fit_arrays(robyn_problem, a)
    total = arrays.contributions.sum(["time", "channel"]).values
    point_total = fit_arrays(robyn_problem, point).contributions.sum().item()
    lo, hi = np.quantile(total, [0.025, 0.975])
    assert lo <= point_total <= hi


def test_block_bootstrap_rows() -> None:
    rows = block_bootstrap_rows(10, 3, 4, np.random.default_rng(0))
    assert rows.shape == (3, 10) and rows.min() >= 0 and rows.max() <= 9
    first = rows[:, :4]
    np.testing.assert_array_equal(np.diff(first, axis=1), 1)  # consecutive within a block
