"""Rolling-origin (time-slice) cross-validation.

Fold k of K trains on the periods up to an origin and is scored on the next ``horizon``
periods, which the model never saw. With an ``expanding`` window (the default) every fold trains
from the first period::

    fold 1: train [0, n - K*h)        test [n - K*h, n - (K-1)*h)
    ...
    fold K: train [0, n - h)          test [n - h, n)

With a ``sliding`` window every fold trains on the same number of periods, ``n - K*h``, ending at
its origin (fold k: train [(k-1)*h, n - (K-k+1)*h)). Its folds then share one model structure,
so the engine compiles the model once and refits it for the other folds (docs/fitting.md,
"How long"), at the price of older periods left out of the later folds.

Out-of-sample MAPE = mean |y - ŷ| / |y| and NRMSE = RMSE / (max y - min y) over the test periods,
ŷ the posterior mean prediction. Each fold is a full refit (same spec and seed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.errors import MixwiseError
from mixwise.progress import Progress, no_progress

DEFAULT_HORIZON = {"weekly": 13, "daily": 28}


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold out-of-sample metrics (``folds``) and their means."""

    folds: pd.DataFrame

    @property
    def mean_mape(self) -> float:
        return float(self.folds["mape"].mean())

    @property
    def mean_nrmse(self) -> float:
        return float(self.folds["nrmse"].mean())

    def to_dict(self) -> dict[str, Any]:
        records = self.folds.assign(
            **{
                c: self.folds[c].astype(str)
                for c in self.folds.columns
                if "start" in c or "end" in c
            }
        ).to_dict(orient="records")
        return {"folds": records, "mean_mape": self.mean_mape, "mean_nrmse": self.mean_nrmse}


WINDOWS = ("expanding", "sliding")


def periods(dataset: MMMDataset, start: int, end: int) -> MMMDataset:
    """Periods ``start`` .. ``end - 1`` of ``dataset`` (all geos)."""
    dates = dataset.frame[dataset.mapping.date]
    keep = (dates >= dataset.dates[start]) & (dates <= dataset.dates[end - 1])
    return replace(dataset, frame=dataset.frame[keep].reset_index(drop=True))


def cross_validate(
    dataset: MMMDataset,
    spec: Any = None,
    *,
    folds: int = 3,
    horizon: int | None = None,
    engine: str = "bayesian",
    window: str = "expanding",
    progress: Progress = no_progress,
) -> CrossValidation:
    """Refit on ``folds`` windows (``expanding`` or ``sliding``, module docstring) and score each
    on the ``horizon`` periods after it."""
    from mixwise.fitting import fit
    from mixwise.model.spec import ModelSpec

    spec = spec or ModelSpec()
    h = horizon or DEFAULT_HORIZON[dataset.frequency]
    n = dataset.n_periods
    min_train = n - folds * h
    if folds < 1 or h < 1 or min_train < max(26, 2 * h):
        raise MixwiseError(
            f"cross-validation with {folds} fold(s) of {h} periods leaves {min_train} of {n} "
            "periods for the first training window",
            "Use fewer folds or a shorter --horizon (the first window needs at least 26 periods).",
        )
    if window not in WINDOWS:
        raise MixwiseError(
            f"window: {window!r} is not a cross-validation window",
            f"Use one of: {', '.join(WINDOWS)}.",
        )
    rows = []
    for k in range(folds):
        end = n - (folds - 1 - k) * h
        start = end - min_train - h if window == "sliding" else 0
        sub = periods(dataset, start, end)
        train = end - start - h  # periods the fold trains on; the next h are its test
        fold_spec = spec.model_copy(update={"holdout": h})

        def fold_progress(stage: str, fraction: float, message: str = "", k: int = k) -> None:
            progress(stage, (k + fraction) / folds, f"fold {k + 1}/{folds}: {message}")

        result = fit(sub, fold_spec, engine=engine, progress=fold_progress)
        metrics = result.summary_dict()["fit"]["holdout"]
        rows.append(
            {
                "fold": k + 1,
                "train_start": sub.dates[0].date(),
                "train_end": sub.dates[train - 1].date(),
                "train_periods": train,
                "test_start": sub.dates[train].date(),
                "test_end": sub.dates[-1].date(),
                "mape": metrics["mape"],
                "nrmse": metrics["nrmse"],
                "r2": metrics["r2"],
            }
        )
    return CrossValidation(folds=pd.DataFrame(rows))
