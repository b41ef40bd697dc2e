"""One batch of hyperparameter candidates -> fitted ridge models and their objectives.

For candidate ``h``, as Robyn's ``robyn_iterations``: adstock every channel over the whole
history, Hill-saturate it over the modelling window, fit the ridge (media coefficients >= 0) with
``lambda = penalty(h.lambda, lambda_max)``, then

    yhat(t) = intercept + sum_c coef_c * media_c(t) + sum_j coef_j * z_j(t)
    effect_c = sum_{t in window} coef_c * media_c(t)       (Robyn's xDecompAgg)
    ROAS_c = effect_c / spend_c                              (paid channels)

and score NRMSE, DECOMP.RSSD (paid channels) and MAPE.LIFT (when lift tests are given).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from mixwise.engines.ridge import transforms as rt
from mixwise.engines.ridge.hyperparameters import HyperRanges
from mixwise.engines.ridge.objectives import LiftTest, decomp_rssd, mape_lift, nrmse
from mixwise.engines.ridge.regression import FixedBlock, fit_ridge, lambda_max, penalty

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RidgeProblem:
    """Everything the candidates share.

    ``media (T, C)`` is every period of the channels (paid first, then organic), ``fixed`` the
    baseline and context regressors over the window, ``y`` the KPI over the window, ``spend``
    each paid channel's total spend over the window.
    """

    channels: tuple[str, ...]
    n_paid: int
    media: FloatArray
    window: slice
    y: FloatArray
    fixed: FixedBlock
    fixed_names: tuple[str, ...]
    nonneg: npt.NDArray[np.bool_]
    spend: FloatArray
    lam_max: float
    ranges: HyperRanges
    lift_tests: tuple[LiftTest, ...] = ()
    fixed_components: tuple[str, ...] = ()
    inflexion: rt.Inflexion = "range"
    dates: npt.NDArray[np.datetime64] | None = field(default=None, repr=False)
    n_train: int | None = None

    @cached_property
    def lags(self) -> FloatArray:
        """:func:`.transforms.lag_matrix` of the media, built once (Weibull adstock)."""
        return rt.lag_matrix(self.media)

    @property
    def splits(self) -> dict[str, slice]:
        """Window rows of each part: ``{"train": ...}`` or, with time-series validation
        (``n_train`` set), ``train``, ``validation`` and ``test`` (Robyn's rule:
        validation and test split the rest equally, test taking the odd row)."""
        n = len(self.y)
        if self.n_train is None:
            return {"train": slice(0, n)}
        n_val = (n - self.n_train) // 2
        return {
            "train": slice(0, self.n_train),
            "validation": slice(self.n_train, self.n_train + n_val),
            "test": slice(self.n_train + n_val, n),
        }

    @property
    def train_fixed(self) -> FixedBlock:
        """The fixed block over the rows the regression is fitted on."""
        return self.fixed if self.n_train is None else FixedBlock.of(self.fixed.z[: self.n_train])

    @classmethod
    def build(
        cls,
        media: npt.ArrayLike,
        spend: npt.ArrayLike,
        y: npt.ArrayLike,
        fixed: npt.ArrayLike,
        window: slice,
        channels: Sequence[str],
        n_paid: int,
        ranges: HyperRanges,
        fixed_names: Sequence[str] = (),
        fixed_nonneg: Sequence[bool] | None = None,
        lift_tests: Sequence[LiftTest] = (),
        fixed_components: Sequence[str] = (),
        dates: npt.ArrayLike | None = None,
        inflexion: rt.Inflexion = "range",
    ) -> RidgeProblem:
        """From whole-history arrays: ``media (T, C)``, ``spend (T, n_paid)`` (what the paid
        channels cost), ``y (T,)``, ``fixed (T, k)``; ``window`` selects the modelled rows.
        ``fixed_components`` names the baseline component of each fixed column (default
        ``controls``); ``dates (T,)`` label the periods; ``inflexion`` picks the Hill
        inflexion rule (:func:`.transforms.hill_inflexion`).

        ``lambda_max`` is computed as Robyn does, on every period and every raw column.
        """
        m = np.asarray(media, dtype=np.float64)
        z = np.asarray(fixed, dtype=np.float64).reshape(m.shape[0], -1)
        ya = np.asarray(y, dtype=np.float64)
        k = z.shape[1]
        signs = np.zeros(k, bool) if fixed_nonneg is None else np.asarray(fixed_nonneg, bool)
        names = tuple(fixed_names) or tuple(f"x{j}" for j in range(k))
        return cls(
            channels=tuple(channels),
            n_paid=n_paid,
            media=m,
            window=window,
            y=ya[window],
            fixed=FixedBlock.of(z[window]),
            fixed_names=names,
            nonneg=np.r_[np.ones(m.shape[1], bool), signs],
            spend=np.asarray(spend, dtype=np.float64)[window].sum(axis=0),
            lam_max=lambda_max(np.column_stack([m, z]), ya),
            ranges=ranges,
            lift_tests=tuple(lift_tests),
            fixed_components=tuple(fixed_components) or ("controls",) * k,
            inflexion=inflexion,
            dates=None if dates is None else np.asarray(dates, dtype="datetime64[ns]"),
        )

    def adstocked(self, hyper: FloatArray) -> FloatArray:
        """Adstocked media over the window ``(cand, n, C)`` (adstock runs on every period)."""
        r = self.ranges
        if r.adstock == "geometric":
            ad = rt.geometric_adstock(self.media, r.column(hyper, "theta"))
        else:
            shape, scale = r.column(hyper, "shape"), r.column(hyper, "scale")
            ad = rt.weibull_adstock(self.media, shape, scale, r.adstock, self.lags)
        return ad[:, self.window]

    def saturated(self, hyper: FloatArray) -> FloatArray:
        """Adstocked (whole history) then Hill-saturated (window) media ``(cand, n, C)``."""
        r = self.ranges
        alpha, gamma = r.column(hyper, "alpha"), r.column(hyper, "gamma")
        return rt.hill_saturation(self.adstocked(hyper), alpha, gamma, self.inflexion)


@dataclass(frozen=True)
class Evaluation:
    """Per candidate: objectives, coefficients (media first, then fixed), effects ``(cand, C)``."""

    nrmse: FloatArray
    decomp_rssd: FloatArray
    mape: FloatArray
    coef: FloatArray
    intercept: FloatArray
    effect: FloatArray
    lam: FloatArray
    seconds: dict[str, float]


def evaluate(problem: RidgeProblem, hyper: npt.ArrayLike) -> Evaluation:
    """Fit and score candidates ``hyper (cand, d)`` given in natural units (not the unit cube)."""
    h = np.atleast_2d(np.asarray(hyper, dtype=np.float64))
    t0 = time.perf_counter()
    sat = problem.saturated(h)
    t1 = time.perf_counter()
    lam = penalty(h[:, -1], problem.lam_max)
    train = problem.splits["train"]
    fit = fit_ridge(sat[:, train], problem.train_fixed, problem.y[train], lam, problem.nonneg)
    t2 = time.perf_counter()
    n_media = sat.shape[-1]
    contrib = sat * fit.coef[:, None, :n_media]
    yhat = fit.intercept[:, None] + contrib.sum(axis=-1) + fit.coef[:, n_media:] @ problem.fixed.z.T
    effect = contrib.sum(axis=1)
    paid = effect[:, : problem.n_paid]
    # Robyn: with ts_validation the search minimises the validation NRMSE
    scored = problem.splits.get("validation", train)
    out = Evaluation(
        nrmse=nrmse(problem.y[scored], yhat[:, scored]),
        decomp_rssd=decomp_rssd(paid, problem.spend),
        mape=mape_lift(contrib, problem.lift_tests),
        coef=fit.coef,
        intercept=fit.intercept,
        effect=effect,
        lam=lam,
        seconds={},
    )
    t3 = time.perf_counter()
    out.seconds.update(transforms=t1 - t0, solve=t2 - t1, objectives=t3 - t2)
    return out
