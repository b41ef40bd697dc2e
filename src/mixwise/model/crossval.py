"""Rolling-origin (time-slice) cross-validation.

Fold k of K trains on every period up to an origin and is scored on the next ``horizon``
periods, which the model never saw::

    fold 1: train [0, n - K*h)        test [n - K*h, n - (K-1)*h)
    ...
    fold K: train [0, n - h)          test [n - h, n)

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


def truncate(dataset: MMMDataset, n_periods: int) -> MMMDataset:
    """The first ``n_periods`` periods of ``dataset`` (all geos)."""
    cutoff = dataset.dates[n_periods - 1]
    frame = dataset.frame[dataset.frame[dataset.mapping.date] <= cutoff].reset_index(drop=True)
    return replace(dataset, frame=frame)


def cross_validate(
    dataset: MMMDataset,
    spec: Any = None,
    *,
    folds: int = 3,
    horizon: int | None = None,
    engine: str = "bayesian",
    progress: Progress = no_progress,
) -> CrossValidation:
    """Refit on ``folds`` growing windows and score each on the ``horizon`` periods after it."""
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
    rows = []
    for k in range(folds):
        end = n - (folds - 1 - k) * h
        sub = truncate(dataset, end)
        fold_spec = spec.model_copy(update={"holdout": h})

        def fold_progress(stage: str, fraction: float, message: str = "", k: int = k) -> None:
            progress(stage, (k + fraction) / folds, f"fold {k + 1}/{folds}: {message}")

        result = fit(sub, fold_spec, engine=engine, progress=fold_progress)
        metrics = result.summary_dict()["fit"]["holdout"]
        rows.append(
            {
                "fold": k + 1,
                "train_start": sub.dates[0].date(),
                "train_end": sub.dates[end - h - 1].date(),
                "test_start": sub.dates[end - h].date(),
                "test_end": sub.dates[end - 1].date(),
                "mape": metrics["mape"],
                "nrmse": metrics["nrmse"],
                "r2": metrics["r2"],
            }
        )
    return CrossValidation(folds=pd.DataFrame(rows))
