"""The design table: controls scaled on the training window, constant regressors left out."""

from __future__ import annotations

import numpy as np

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian.design import build_design
from mixwise.model.spec import ModelSpec

CONTROL = "competitor_sales_control"


def test_controls_are_scaled_on_the_training_window(geo_dataset: MMMDataset) -> None:
    spec = ModelSpec(holdout=10).resolved(geo_dataset.frequency, geo_dataset.n_periods)
    design = build_design(geo_dataset, spec)
    column = f"control:{CONTROL}"
    assert column in design.regressors
    frame = design.frame.set_index(["date", "geo"])
    raw = geo_dataset.frame.set_index([geo_dataset.mapping.date, "geo"])[CONTROL]
    raw = raw.rename_axis(["date", "geo"]).reindex(frame.index)
    train = frame.index.get_level_values("date").isin(design.train_dates)
    scale = design.control_scale[column]
    assert scale == float(np.abs(raw[train]).max())
    np.testing.assert_allclose(frame[column], raw / scale, rtol=1e-12)


def test_a_constant_control_is_left_out(geo_dataset: MMMDataset) -> None:
    """A control that never moves is collinear with the intercept: it is not in the model."""
    frame = geo_dataset.frame.copy()
    frame[CONTROL] = 7.0
    dataset = MMMDataset(frame=frame, mapping=geo_dataset.mapping, frequency="weekly")
    spec = ModelSpec().resolved(dataset.frequency, dataset.n_periods)
    assert f"control:{CONTROL}" not in build_design(dataset, spec).regressors
