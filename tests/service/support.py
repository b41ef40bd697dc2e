"""A stand-in engine for the service tests (``from tests.service.support import ...``)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.data.dataset import MMMDataset
from mixwise.model.forward import forward_contributions
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress, no_progress


class OracleEngine:
    """A stand-in engine for testing what happens *around* a fit (fold windows, holdout,
    progress), not estimation: it predicts ``PREDICTION_FACTOR`` x the observed KPI in every
    period, so every out-of-sample metric has a closed form, and records the periods and the
    holdout of each dataset it is given. Its FitResult is otherwise a valid one (parameters
    of a geometric + logistic model, contributions from the forward formula)."""

    name = "oracle"
    PREDICTION_FACTOR = 1.1
    calls: ClassVar[list[tuple[pd.DatetimeIndex, int]]] = []

    def fit(
        self, dataset: MMMDataset, spec: ModelSpec, progress: Progress = no_progress
    ) -> FitResult:
        OracleEngine.calls.append((dataset.dates, spec.holdout))
        progress("sampling", 0.5, "halfway")
        spend_frame = dataset.spend()
        channels = list(spend_frame.columns)
        spend = xr.DataArray(
            spend_frame.to_numpy(),
            dims=("time", "channel"),
            coords={"time": dataset.dates, "channel": channels},
        )
        n_draw, shape = 4, (4, len(channels))
        params = xr.Dataset(
            {
                "adstock_alpha": (("draw", "channel"), np.full(shape, 0.3)),
                "saturation_lam": (("draw", "channel"), np.full(shape, 2.0)),
                "beta": (("draw", "channel"), np.full(shape, 0.5)),
                "spend_scale": (("channel",), spend_frame.max().to_numpy() + 1.0),
                "kpi_scale": ((), 1000.0),
            },
            coords={"draw": np.arange(n_draw), "channel": channels},
            attrs={
                "adstock": "geometric",
                "saturation": "logistic",
                "l_max": 4,
                "normalize": 1,
                "adstock_mode": "After",
                "adstock_params": "alpha",
                "saturation_params": "lam",
            },
        )
        observed = xr.DataArray(
            dataset.kpi().to_numpy(), dims=("time",), coords={"time": dataset.dates}
        )
        fitted = (self.PREDICTION_FACTOR * observed).expand_dims(draw=np.arange(n_draw))
        contributions = forward_contributions(params, spend)
        baseline = xr.zeros_like(fitted).expand_dims(component=["intercept"], axis=-1)
        return FitResult(
            params=params,
            contributions=contributions,
            baseline=baseline,
            fitted=fitted,
            observed=observed,
            spend=spend,
            spec=spec,
            diagnostics=Diagnostics(approximate=True, converged=None, verdict="oracle"),
            provenance={"engine": "oracle"},
            kpi_type=dataset.kpi_type,
            frequency=dataset.frequency,
            n_holdout=spec.holdout,
        )
