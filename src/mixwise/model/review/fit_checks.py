"""Reviewer checks of how the model fits the KPI: convergence, baseline, posterior predictive
check, fit in sample and on the holdout, residual autocorrelation. Engine-neutral: they read
a :class:`~mixwise.model.result.FitResult` and its summary only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from mixwise.model.review.base import Check, Skipped, Status, graded, outcome, worst
from mixwise.model.review.thresholds import THRESHOLDS as T

if TYPE_CHECKING:
    from mixwise.model.result import FitResult

PPC_SEED = 0
"""Seed of the noise draws of the posterior predictive check (the same result, the same
p-values)."""


def convergence(result: FitResult) -> Check | Skipped:
    """The engine's own convergence verdict: NUTS diagnostics, or the ridge search's rule."""
    d = result.diagnostics
    numbers = {
        k: v
        for k, v in d.to_dict().items()
        if k in ("rhat_max", "ess_bulk_min", "ess_tail_min", "divergences", "bfmi_min")
        and v is not None
    }
    if d.approximate:
        return Check(
            "convergence",
            "warn",
            "Approximate posterior (quick mode): refit without --quick before deciding anything.",
        )
    if d.converged is not None:
        if d.converged:
            return Check("convergence", "pass", "The sampler converged.", numbers)
        return Check("convergence", "fail", d.verdict[:1].upper() + d.verdict[1:], numbers)
    search = result.provenance.get("search", {}).get("convergence", [])
    if search:
        bad = [c for c in search if not c.get("converged")]
        numbers = {str(c["objective"]): bool(c["converged"]) for c in search}
        if bad:
            return Check(
                "convergence",
                "warn",
                "The hyperparameter search did not settle: "
                + "; ".join(str(c["message"]) for c in bad)
                + ".",
                numbers,
            )
        return Check("convergence", "pass", "The hyperparameter search converged.", numbers)
    return Skipped("convergence", "the engine reports no convergence diagnostics")


def _train(da: xr.DataArray, result: FitResult) -> xr.DataArray:
    return da.isel(time=slice(0, len(result.dates) - result.n_holdout))


def baseline(result: FitResult) -> Check:
    """Periods (per geo) whose posterior-mean baseline is below zero: a baseline that goes
    negative means media is credited with more than all of the KPI there."""
    base = result.baseline.sum("component").mean("draw")
    values = np.asarray(base.values, dtype=float).ravel()
    negative = int((values < 0).sum())
    share = negative / values.size if values.size else 0.0
    numbers = {"negative_periods": negative, "periods": int(values.size), "share": share}
    numbers["min"] = float(values.min()) if values.size else float("nan")
    if negative == 0:
        return Check("baseline", "pass", "The baseline stays positive in every period.", numbers)
    status: Status = "fail" if share > T.baseline_negative_fail else "warn"
    return Check(
        "baseline",
        status,
        f"The baseline is below zero in {negative} of {values.size} periods "
        f"(lowest {values.min():.4g}): media is credited with more than the whole KPI there. "
        "Add the controls or events that explain those periods, or give the channels "
        "tighter priors.",
        numbers,
    )


def noise_draws(result: FitResult) -> np.ndarray | None:
    """``(draw, 1[, geo])`` noise standard deviation of the KPI per draw (the engine's
    ``noise_sd``), or None when the engine has no noise model (ridge: bootstrap refits)."""
    if "noise_sd" not in result.params:
        return None
    sd = result.params["noise_sd"]
    if "geo" in sd.dims:
        return np.asarray(sd.transpose("draw", "geo").values, dtype=float)[:, None, :]
    ones = (1,) * result.observed.ndim  # one noise level for every period (and geo)
    return np.asarray(sd.values, dtype=float).reshape(-1, *ones)


def ppc(result: FitResult) -> Check | Skipped:
    """Posterior predictive check: y_rep = fitted + Normal(0, noise) per draw on the training
    periods; p(T) = P(T(y_rep) >= T(y)) for T = mean and sd of the KPI. A p-value near 0 or 1
    says the model cannot reproduce that feature of the data."""
    sd = noise_draws(result)
    if sd is None:
        return Skipped(
            "posterior_predictive",
            "the engine has no noise model to replicate the KPI from",
        )
    obs = _train(result.observed, result)
    fit = _train(result.fitted, result).transpose("draw", *obs.dims)
    mu = np.asarray(fit.values, dtype=float)
    rng = np.random.default_rng(PPC_SEED)
    y_rep = mu + rng.standard_normal(mu.shape) * sd
    y = np.asarray(obs.values, dtype=float)
    flat = y_rep.reshape(y_rep.shape[0], -1)
    p = {
        "mean": float(np.mean(flat.mean(axis=1) >= y.mean())),
        "sd": float(np.mean(flat.std(axis=1) >= y.std())),
    }
    two_sided = {k: min(v, 1 - v) for k, v in p.items()}
    status = worst([graded(v, T.ppc_warn, T.ppc_fail, above=False) for v in two_sided.values()])
    numbers: dict[str, Any] = {"p_mean": p["mean"], "p_sd": p["sd"]}
    if status == "pass":
        return Check(
            "posterior_predictive",
            "pass",
            "Data replicated from the model have the KPI's mean and spread.",
            numbers,
        )
    off = [k for k, v in two_sided.items() if v < T.ppc_warn]
    return Check(
        "posterior_predictive",
        status,
        f"The model does not reproduce the KPI's {' and '.join(off)} "
        f"(Bayesian p-values {', '.join(f'{k} {p[k]:.3f}' for k in off)}): look for a "
        "missing trend, seasonality or control, or outliers in the KPI.",
        numbers,
    )


def fit_in_sample(summary: dict[str, Any]) -> Check:
    """R² and MAPE of the posterior-mean fit on the training periods."""
    m = summary["fit"]["in_sample"]
    r2, mape = m.get("r2"), m.get("mape")
    r2_v = float("nan") if r2 is None else float(r2)
    mape_v = float("nan") if mape is None else float(mape)
    status = worst(
        [
            graded(r2_v, T.r2_warn, T.r2_fail, above=False),
            graded(mape_v, T.mape_warn, T.mape_fail),
        ]
    )
    numbers = {"r2": r2, "mape": mape, "r2_warn": T.r2_warn, "mape_warn": T.mape_warn}
    return outcome(
        "fit_in_sample",
        status,
        "The model fits the training periods.",
        f"The fit is weak (R² {r2_v:.2f}, MAPE {mape_v:.1%}; wanted R² >= {T.r2_warn}, MAPE <= "
        f"{T.mape_warn:.0%}): something that moves the KPI is missing from the model "
        "(a control, an event, seasonality).",
        numbers,
    )


def fit_holdout(summary: dict[str, Any]) -> Check | Skipped:
    """MAPE (and R², reported) of the posterior-mean forecast on the holdout periods."""
    m = summary["fit"].get("holdout")
    if not m or m.get("mape") is None:
        return Skipped("fit_holdout", "no holdout: set `holdout` in the spec or run mixwise cv")
    mape = float(m["mape"])
    status = graded(mape, T.holdout_mape_warn, T.holdout_mape_fail)
    numbers = {"r2": m.get("r2"), "mape": mape, "mape_warn": T.holdout_mape_warn}
    return outcome(
        "fit_holdout",
        status,
        "The model forecasts the holdout well.",
        f"The holdout forecast is off by {mape:.1%} on average (wanted <= "
        f"{T.holdout_mape_warn:.0%}): the model explains the past better than it predicts; "
        "simplify it or add what changed in the holdout.",
        numbers,
    )


def durbin_watson(resid: np.ndarray) -> float:
    """DW = sum (e_t - e_{t-1})² / sum e_t²: 2 without autocorrelation, ~2 (1 - rho_1)."""
    denom = float(np.sum(resid**2))
    return float(np.sum(np.diff(resid) ** 2)) / denom if denom > 0 else float("nan")


def autocorrelation(result: FitResult) -> Check:
    """Durbin-Watson statistic of the training residuals (per geo; the worst geo reported),
    against ``max(dw_warn, dw_se · 2 / sqrt(n))`` and ``max(dw_fail, dw_se · 2 / sqrt(n))``."""
    obs = _train(result.observed, result)
    fit = _train(result.fitted.mean("draw"), result).transpose(*obs.dims)
    resid = np.asarray((obs - fit).values, dtype=float)
    series = resid.reshape(resid.shape[0], -1).T  # (geo or 1, time)
    dws = [durbin_watson(s) for s in series]
    dw = max(dws, key=lambda v: abs(v - 2) if v == v else -1.0)
    rho = float(np.corrcoef(series[0][:-1], series[0][1:])[0, 1]) if series.shape[1] > 2 else 0.0
    # without autocorrelation DW is about Normal(2, 4 / n): a deviation is judged only beyond
    # 3 of its standard errors, so short series do not warn by chance
    se = 2 / np.sqrt(max(series.shape[1], 1))
    warn, fail = max(T.dw_warn, T.dw_se * se), max(T.dw_fail, T.dw_se * se)
    numbers = {"durbin_watson": dw, "lag1_autocorrelation": rho, "warn_beyond": warn}
    status = graded(abs(dw - 2), warn, fail)
    if status == "pass":
        return Check(
            "residual_autocorrelation", "pass", "The residuals show no autocorrelation.", numbers
        )
    kind = "positive" if dw < 2 else "negative"
    return Check(
        "residual_autocorrelation",
        status,
        f"The residuals are {kind}ly autocorrelated (Durbin-Watson {dw:.2f}, 2 is none): a "
        "slow-moving effect is missing (trend, seasonality, a control), so intervals are "
        "too narrow; add it or raise the trend's flexibility.",
        numbers,
    )
