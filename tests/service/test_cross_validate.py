"""The cross-validation refits (``mixwise.service.fitting.cross_validate``): each fold is fitted
on its own periods with its test periods held out, scored on those, and reports progress per
fold; impossible settings fail before any fit.

The folds run on :class:`~tests.service.support.OracleEngine`, a stand-in that predicts 1.1 x the
observed KPI, so each fold's MAPE is 0.1 and its NRMSE and R^2 follow from the KPI of its test
periods alone: a fold scored on any other periods would not match. The same loop with the real
engine is tested in tests/engines/bayesian/test_compiled.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.service.support import OracleEngine

import mixwise.data.synthetic as syn
from mixwise.data.dataset import MMMDataset
from mixwise.engines import base
from mixwise.errors import MixwiseError
from mixwise.model.spec import ModelSpec
from mixwise.service import fitting


@pytest.fixture(scope="module")
def weekly() -> MMMDataset:
    """104 weeks, five channels."""
    return syn.generate(syn.small_config()).to_dataset()


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[pd.DatetimeIndex, int]]]:
    """The stand-in engine, registered for this test only; yields what it was given."""
    entry = base.EngineEntry(
        "tests.service.support:OracleEngine", base.Capabilities(interval_kind="posterior")
    )
    monkeypatch.setitem(base._REGISTRY, "oracle", entry)
    OracleEngine.calls.clear()
    yield OracleEngine.calls
    OracleEngine.calls.clear()


def _expected_metrics(y: np.ndarray) -> dict[str, float]:
    resid = y - OracleEngine.PREDICTION_FACTOR * y
    return {
        "mape": 0.1,
        "nrmse": float(np.sqrt(np.mean(resid**2)) / (y.max() - y.min())),
        "r2": float(1 - np.sum(resid**2) / np.sum((y - y.mean()) ** 2)),
    }


@pytest.mark.parametrize(
    ("window", "train_starts"), [("expanding", [0, 0, 0]), ("sliding", [0, 13, 26])]
)
def test_each_fold_fits_its_periods_and_is_scored_on_its_holdout(
    weekly: MMMDataset, oracle: list[Any], window: str, train_starts: list[int]
) -> None:
    """n = 104, 3 folds of 13: the folds end at 78, 91 and 104 and are scored on their last 13
    periods; expanding folds train from period 0, sliding ones on 65 periods each."""
    cv = fitting.cross_validate(
        weekly, ModelSpec(), folds=3, horizon=13, engine="oracle", window=window
    )
    dates, kpi = weekly.dates, weekly.kpi().to_numpy()
    assert cv.folds["fold"].tolist() == [1, 2, 3]
    for k, (end, start) in enumerate(zip([78, 91, 104], train_starts, strict=True)):
        given, holdout = oracle[k]
        assert given.equals(dates[start:end]) and holdout == 13  # the fold's data, h held out
        row = cv.folds.iloc[k]
        assert (row["train_start"], row["test_end"]) == (dates[start].date(), dates[end - 1].date())
        expected = _expected_metrics(kpi[end - 13 : end])
        assert {m: row[m] for m in expected} == pytest.approx(expected, rel=1e-9)
    assert cv.mean_mape == pytest.approx(0.1)


def test_progress_per_fold_and_refusals_before_any_fit(
    weekly: MMMDataset, oracle: list[Any]
) -> None:
    seen: list[tuple[str, float, str]] = []
    fitting.cross_validate(
        weekly, folds=2, engine="oracle", progress=lambda s, f, m="": seen.append((s, f, m))
    )
    assert seen == [
        ("sampling", 0.25, "fold 1/2: halfway"),
        ("sampling", 0.75, "fold 2/2: halfway"),
    ]
    oracle.clear()
    with pytest.raises(MixwiseError, match=r"5 fold\(s\) of 20 periods leaves 4 of 104"):
        fitting.cross_validate(weekly, folds=5, horizon=20, engine="oracle")
    assert oracle == []
