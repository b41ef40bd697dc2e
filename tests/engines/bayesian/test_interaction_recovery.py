"""Recovery: a synergy planted by the generator is found (the 90% interval of its share of the
KPI covers the truth and excludes zero), and none is found where none was planted (the interval
covers zero).

Data: 104 weeks of three demo channels (TV bought in bursts, Social Media and Paid Search always
on), seasonality, 2% noise, TV + Social Media planted with ``gamma = 200,000`` (KPI per week when
both unit curves are at 1): 5.6% of the KPI. Measured on this project's machine (2 chains x
(300 + 300) draws, nutpie): planted 5.6%, interval 1.8% .. 7.1%; none planted, interval -3.4% ..
1.5%. Small fits (about 15-60 s each): the sampler settings are for a test, not for reporting.
"""

from __future__ import annotations

from typing import Any

import pytest

import mixwise
from mixwise.data.synthetic import SyntheticConfig, generate
from mixwise.data.synthetic.config import SynergyConfig
from mixwise.data.synthetic.presets import demo_channels
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow

PAIR = ("TV", "Social Media")
GAMMA = 200_000.0


def _fit(gamma: float) -> tuple[dict[str, Any], float]:
    keep = ("Social Media", "TV", "Paid Search")
    config = SyntheticConfig(
        n_periods=104,
        intercept=400_000.0,
        trend="none",
        seasonality=[(0.1, 0.05)],
        channels=[c for c in demo_channels() if c.name in keep],
        synergies=[SynergyConfig(channels=PAIR, gamma=gamma)] if gamma else [],
        noise=0.02,
        seed=7,
    )
    data = generate(config)
    spec = ModelSpec(
        interactions=[list(PAIR)],
        trend={"enabled": False},
        sampler={"chains": 2, "draws": 300, "tune": 300, "seed": 1},
    )
    result = mixwise.fit(data.to_dataset(), spec)
    entry = result.summary_dict()["interactions"]["TV + Social Media"]
    synergies = data.truth.synergies
    planted = 0.0 if synergies is None or synergies.empty else float(synergies.to_numpy().sum())
    return entry, planted / float(data.frame[data.kpi_column].sum())


def test_a_planted_synergy_is_recovered() -> None:
    entry, truth = _fit(GAMMA)
    assert truth == pytest.approx(0.056, abs=0.002)  # the generator planted what it says
    assert entry["lo"] <= truth <= entry["hi"], (truth, entry)
    assert entry["lo"] > 0, entry  # found: the interval excludes zero
    assert entry["lift"]["lo"] > 0


def test_no_synergy_where_none_was_planted() -> None:
    entry, truth = _fit(0.0)
    assert truth == 0.0
    assert entry["lo"] <= 0.0 <= entry["hi"], entry
