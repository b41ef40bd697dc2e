"""Rolling-origin cross-validation, the planning and scoring half (model/crossval): which
periods each fold trains and is scored on (expanding and sliding windows, by hand), the
refusals, the fold's row, and the periods of a fold. The refits run in
``mixwise.service.fitting.cross_validate`` (tests/service/test_cross_validate.py; with the real
engine in tests/engines/bayesian/test_compiled.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest

import mixwise.data.synthetic as syn
from mixwise.data.dataset import MMMDataset
from mixwise.errors import MixwiseError
from mixwise.model.crossval import CrossValidation, Fold, fold_scores, periods, plan_folds


@pytest.fixture(scope="module")
def weekly() -> MMMDataset:
    """104 weeks, five channels."""
    return syn.generate(syn.small_config()).to_dataset()


def test_expanding_folds_by_hand(weekly: MMMDataset) -> None:
    """n = 104, 3 folds of 13: the folds end at 78, 91 and 104, train from period 0 and are
    scored on their last 13 periods."""
    assert plan_folds(weekly, 3, 13) == [
        Fold(number=1, start=0, end=78, train=65),
        Fold(number=2, start=0, end=91, train=78),
        Fold(number=3, start=0, end=104, train=91),
    ]


def test_sliding_folds_by_hand(weekly: MMMDataset) -> None:
    """Sliding: every fold trains on n - K h = 65 periods ending at its origin."""
    assert plan_folds(weekly, 3, 13, "sliding") == [
        Fold(number=1, start=0, end=78, train=65),
        Fold(number=2, start=13, end=91, train=65),
        Fold(number=3, start=26, end=104, train=65),
    ]


def test_default_horizon_follows_the_frequency(weekly: MMMDataset) -> None:
    assert [f.end - f.start - f.train for f in plan_folds(weekly, 2)] == [13, 13]
    daily = dataclasses.replace(weekly, frequency="daily")  # 104 periods, 28-period horizon
    assert plan_folds(daily, 1) == [Fold(number=1, start=0, end=104, train=76)]


def test_the_first_window_may_be_exactly_26_periods(weekly: MMMDataset) -> None:
    assert plan_folds(weekly, 6, 13)[0] == Fold(number=1, start=0, end=39, train=26)
    with pytest.raises(MixwiseError, match=r"7 fold\(s\) of 13 periods leaves 13 of 104 periods"):
        plan_folds(weekly, 7, 13)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"folds": 5, "horizon": 20}, r"5 fold\(s\) of 20 periods leaves 4 of 104 periods"),
        ({"folds": 3, "horizon": 30}, r"3 fold\(s\) of 30 periods leaves 14 of 104 periods"),
        ({"folds": 0, "horizon": 13}, r"0 fold\(s\) of 13 periods"),
        ({"folds": 3, "horizon": 13, "window": "rolling"}, "window: 'rolling' is not a"),
    ],
)
def test_impossible_settings_say_why(
    weekly: MMMDataset, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(MixwiseError, match=message):
        plan_folds(weekly, **kwargs)


def test_fold_row_names_its_windows(weekly: MMMDataset) -> None:
    fold = Fold(number=2, start=13, end=91, train=65)
    data = periods(weekly, fold.start, fold.end)
    assert data.dates.equals(weekly.dates[13:91])
    holdout = {"mape": 0.05, "nrmse": 0.08, "r2": 0.7}
    dates = weekly.dates
    assert fold_scores(fold, data, holdout) == {
        "fold": 2,
        "train_start": dates[13].date(),
        "train_end": dates[77].date(),
        "train_periods": 65,
        "test_start": dates[78].date(),
        "test_end": dates[90].date(),
        "mape": 0.05,
        "nrmse": 0.08,
        "r2": 0.7,
    }


def test_periods_keep_every_geo() -> None:
    geo = syn.generate(syn.geo_config()).to_dataset()
    part = periods(geo, 2, 5)
    assert part.dates.equals(geo.dates[2:5])
    assert part.geos == geo.geos and len(part.frame) == 3 * len(geo.geos)


def test_means_and_dates_as_text() -> None:
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
