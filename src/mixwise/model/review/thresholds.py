"""Every threshold of the model reviewer, in one place (documented in docs/fitting.md, "The
model reviewer"). A check compares a number of the fit with these and passes, warns or fails."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The reviewer's limits. ``warn_*`` marks a number worth a look, ``fail_*`` one that makes
    the model unfit to decide with."""

    # baseline: share of periods whose posterior-mean baseline is below 0
    baseline_negative_fail: float = 0.05
    # posterior predictive check: two-sided Bayesian p-value of a statistic of the KPI
    ppc_warn: float = 0.05
    ppc_fail: float = 0.01
    # fit in sample: R² and MAPE
    r2_warn: float = 0.8
    r2_fail: float = 0.5
    mape_warn: float = 0.15
    mape_fail: float = 0.3
    # fit on the holdout: MAPE (R² on a short holdout is too noisy to judge; it is reported)
    holdout_mape_warn: float = 0.2
    holdout_mape_fail: float = 0.4
    # residual autocorrelation: Durbin-Watson statistic, 2 means none
    dw_warn: float = 0.5  # |DW - 2| above this warns
    dw_fail: float = 1.0  # |DW - 2| above this fails
    dw_se: float = 3.0  # ... and above this many standard errors of DW (2 / sqrt(n))
    # calibration: |z| of a lift test or of a ROAS prior against the fitted ROAS
    calibration_warn: float = 2.0
    calibration_fail: float = 3.0
    # prior-to-posterior: contraction of the ROAS interval below this means the prior dominates
    contraction_warn: float = 0.2
    # implausible ROAS (revenue KPIs): mean above this, or hi / lo above ``roas_span``
    roas_max: float = 50.0
    roas_span: float = 100.0
    # intervals too wide to act on: (hi - lo) / |median| of ROAS above this
    relative_width_warn: float = 2.0
    # placebo: the fake channel's share of the KPI against the real channel's it was made from
    placebo_share_pass: float = 0.25
    placebo_share_warn: float = 0.5
    placebo_share_floor: float = 0.02  # a share this small passes whatever the real channel's


THRESHOLDS = Thresholds()
"""The thresholds every review uses."""
