"""Helpers shared by the compiled-model tests (``from tests.engines.bayesian.support import``):
one small sampler setting and datasets with the same structure but another KPI or spend."""

from __future__ import annotations

import numpy as np

import mixwise
from mixwise.data.dataset import MMMDataset
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec

SPEC = ModelSpec(sampler={"chains": 2, "tune": 150, "draws": 150, "seed": 7}, max_draws=300)


def with_kpi(dataset: MMMDataset, values: np.ndarray) -> MMMDataset:
    frame = dataset.frame.copy()
    frame[dataset.mapping.kpi.column] = values
    return MMMDataset(frame=frame, mapping=dataset.mapping, frequency=dataset.frequency)


def kpi(dataset: MMMDataset) -> np.ndarray:
    return dataset.frame[dataset.mapping.kpi.column].to_numpy(float)


def with_spend_noise(dataset: MMMDataset, seed: int) -> MMMDataset:
    """The first channel's spend times exp(N(0, 0.3)): same structure, other spend."""
    frame = dataset.frame.copy()
    column = dataset.mapping.spend_columns[0]
    noise = np.random.default_rng(seed).normal(0, 0.3, len(frame))
    frame[column] = frame[column].to_numpy(float) * np.exp(noise)
    return MMMDataset(frame=frame, mapping=dataset.mapping, frequency=dataset.frequency)


def fit(dataset: MMMDataset) -> FitResult:
    return mixwise.fit(dataset, SPEC)
