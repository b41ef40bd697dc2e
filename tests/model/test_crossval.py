"""Rolling-origin cross-validation: which periods each fold trains and is scored on (expanding
and sliding windows), that the score is the holdout's, progress per fold, and the refusals.

A real fit per fold is tested with the bayesian engine in
tests/engines/bayesian/test_compiled.py (sliding folds share one compiled model). Here the
folds run on :class:`~tests.model.support.OracleEngine`, which predicts 1.1 x the observed KPI,
so each fold's MAPE is 0.1 and its NRMSE and R^2 follow from the KPI of its test periods alone:
a fold scored on any other periods would not match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.model.support import OracleEngine

import mixwise.data.synthetic as syn
from mixwise.data.dataset import MMMDataset
from mixwise.engines import base
from mixwise.errors import MixwiseError
from mixwise.model.crossval import CrossValidation, cross_validate, periods
from mixwise.model.spec import ModelSpec


@pytest.fixture(scope="module")
def weekly() -> MMMDataset:
    """104 weeks, five channels."""
    return syn.generate(syn.small_config()).to_dataset()


@pytest.fixture
def oracle(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[pd.DatetimeIndex, int]]]:
    monkeypatch.setitem(base._REGISTRY, "oracle", "tests.model.support:OracleEngine")
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
def test_fold_windows_and_scores(
    weekly: MMMDataset, oracle: list[Any], window: str, train_starts: list[int]
) -> None:
    """n = 104, 3 folds of 13: the folds end at 78, 91 and 104 and are scored on their last 13
    periods; expanding folds train from period 0, sliding ones on 65 periods each."""
    cv = cross_validate(weekly, ModelSpec(), folds=3, horizon=13, engine="oracle", window=window)
    dates, kpi = weekly.dates, weekly.kpi().to_numpy()
    folds = cv.folds
    assert folds["fold"].tolist() == [1, 2, 3]
    for k, (end, start) in enumerate(zip([78, 91, 104], train_starts, strict=True)):
        row = folds.iloc[k]
        given, holdout = oracle[k]
        assert given.equals(dates[start:end]) and holdout == 13  # the fold's data, h held out
        train = end - 13 - start
        assert row["train_periods"] == train
        assert row["train_start"] == dates[start].date()
        assert row["train_end"] == dates[start + train - 1].date()
        assert (row["test_start"], row["test_end"]) == (
            dates[end - 13].date(),
            dates[end - 1].date(),
        )
        expected = _expected_metrics(kpi[end - 13 : end])
        assert {m: row[m] for m in expected} == pytest.approx(expected, rel=1e-9)
    assert cv.mean_mape == pytest.approx(0.1)
    assert cv.mean_nrmse == pytest.approx(folds["nrmse"].mean())


def test_default_horizon_and_progress_per_fold(weekly: MMMDataset, oracle: list[Any]) -> None:
    seen: list[tuple[str, float, str]] = []
    cv = cross_validate(
        weekly, folds=2, engine="oracle", progress=lambda s, f, m="": seen.append((s, f, m))
    )
    assert cv.folds["test_start"].tolist() == [weekly.dates[78].date(), weekly.dates[91].date()]
    assert [h for _, h in oracle] == [13, 13]  # weekly default: 13 periods
    assert seen == [
        ("sampling", 0.25, "fold 1/2: halfway"),
        ("sampling", 0.75, "fold 2/2: halfway"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"folds": 5, "horizon": 20}, "5 fold(s) of 20 periods leaves 4 of 104 periods"),
        ({"folds": 3, "horizon": 30}, "3 fold(s) of 30 periods leaves 14 of 104 periods"),
        ({"folds": 0, "horizon": 13}, "0 fold(s) of 13 periods"),
        ({"folds": 3, "horizon": 13, "window": "rolling"}, "window: 'rolling' is not a"),
    ],
)
def test_impossible_requests_fail_before_any_fit(
    weekly: MMMDataset, oracle: list[Any], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(MixwiseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cross_validate(weekly, engine="oracle", **kwargs)
    assert oracle == []


def test_periods_keep_every_geo() -> None:
    geo = syn.generate(syn.geo_config()).to_dataset()
    part = periods(geo, 2, 5)
    assert part.dates.equals(geo.dates[2:5])
    assert part.geos == geo.geos and len(part.frame) == 3 * len(geo.geos)


def test_to_dict_writes_dates_as_text() -> None:
    day = pd.Timestamp("2022-03-07").date()
    frame = pd.DataFrame(
        {
            "fold": [1, 2],
            "train_start": [day, day],
            "test_end": [day, day],
            "mape": [0.1, 0.3],
            "nrmse": [0.2, 0.4],
        }
    )
    doc = CrossValidation(frame).to_dict()
    assert doc["mean_mape"] == pytest.approx(0.2) and doc["mean_nrmse"] == pytest.approx(0.3)
    assert doc["folds"][0] == {
        "fold": 1,
        "train_start": "2022-03-07",
        "test_end": "2022-03-07",
        "mape": 0.1,
        "nrmse": 0.2,
    }
