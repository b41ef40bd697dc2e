"""Flight effects on a fitted model, against the synthetic generator's ground truth."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from tests.model.support import make_result
from tests.plan.conftest import fit_result_from_truth

import mixwise.data.synthetic as syn
from mixwise.data.campaigns import Flight
from mixwise.model.flights import flight_effects, period_span, tag_performance


@pytest.fixture(scope="module")
def truth() -> Any:
    data = syn.generate(syn.preset("small"))
    return data, fit_result_from_truth(data)


def _flight(result: Any, channel: str, a: int, b: int, **kw: Any) -> Flight:
    start = result.dates[a].date()
    end = result.dates[b].date() + timedelta(days=6)
    return Flight(row=1, campaign="c", channel=channel, start=start, end=end, **kw)


def test_flight_over_all_the_data_recovers_the_true_contribution(truth: Any) -> None:
    """A flight covering a channel's whole spend takes out all of its contribution: during +
    after equals the generator's true total contribution (carry-over inside the data)."""
    data, result = truth
    n = len(result.dates)
    for channel in result.channels:
        (eff,) = flight_effects(result, [_flight(result, channel, 0, n - 1)])
        true_total = float(data.truth.contributions[channel].sum())
        assert float(eff.during[0] + eff.after[0]) == pytest.approx(true_total, rel=1e-6)
        assert eff.removed_spend == pytest.approx(float(result.spend.sel(channel=channel).sum()))


def test_carry_over_lands_after_the_flight(truth: Any) -> None:
    """A mid-data flight: the part after it equals the true contributions' drop after the
    flight when its spend is removed, and it is positive (carry-over, alpha > 0)."""
    _, result = truth
    channel = result.channels[0]
    (eff,) = flight_effects(result, [_flight(result, channel, 40, 47)])
    assert eff.periods == (40, 47)
    spend = result.spend.copy()
    spend.loc[{"channel": channel}] = spend.sel(channel=channel).where(
        (np.arange(len(result.dates)) < 40) | (np.arange(len(result.dates)) > 47), 0.0
    )
    cf = result.simulate_contributions(spend).sel(channel=channel).values[0]
    actual = result.contributions.sel(channel=channel).values[0]
    l_max = int(result.params.attrs["l_max"])
    assert eff.during[0] == pytest.approx((actual - cf)[40:48].sum(), rel=1e-6)
    assert eff.after[0] == pytest.approx((actual - cf)[48 : 47 + l_max].sum(), rel=1e-6)
    assert eff.after[0] > 0


def test_calendar_spend_takes_a_share_and_concavity_shows(truth: Any) -> None:
    """A flight with half the channel's spend takes out the top half: it adds less than half of
    what the whole spend adds (the saturation curve is concave: the last units do least)."""
    _, result = truth
    channel = result.channels[1]
    whole = _flight(result, channel, 20, 30)
    in_data = float(result.spend.sel(channel=channel).isel(time=slice(20, 31)).sum())
    half = _flight(result, channel, 20, 30, spend=in_data / 2)
    e_whole, e_half = flight_effects(result, [whole, half])
    assert e_half.removed_spend == pytest.approx(in_data / 2)
    t_whole = e_whole.during[0] + e_whole.after[0]
    t_half = e_half.during[0] + e_half.after[0]
    assert 0 < t_half < t_whole / 2


def test_intervals_tags_and_flights_outside_the_data() -> None:
    result = make_result()
    # Flights where TV has spent every period (the shared random spend has zero weeks, and which
    # weeks depends on the tests run before this one).
    tv = result.spend.sel(channel="tv").values
    starts = [i for i in range(0, 45, 3) if (tv[i : i + 3] > 0).all()][:3]
    assert len(starts) == 3
    flights = [_flight(result, "tv", i, i + 2, tags=("brand",)) for i in starts]
    flights.append(_flight(result, "search", 10, 12, tags=("promo",)))
    outside = Flight(
        row=9, campaign="x", channel="tv", start=date(2030, 1, 1), end=date(2030, 2, 1)
    )
    effects = flight_effects(result, [*flights, outside])
    doc = effects[0].to_dict(0.9)
    c = doc["contribution"]
    assert c["lo"] <= c["median"] <= c["hi"] and c["hi"] > c["lo"]
    assert effects[-1].periods == (-1, -1) and effects[-1].to_dict(0.9)["roas"] is None
    tags = {t["tag"]: t for t in tag_performance(effects, 0.9)}
    assert tags["brand"]["flights"] == 3 and tags["brand"]["per_spend"]["lo"] > 0
    assert tags["promo"]["per_spend"] is None and "at least 3" in tags["promo"]["why"]


def test_period_span_weekly_overlap() -> None:
    result = make_result()
    d = result.dates
    mid = Flight(1, "c", "tv", d[3].date() + timedelta(days=3), d[4].date() + timedelta(days=1))
    assert period_span(d, mid, 7) == (3, 4)


def test_geo_model_sums_geos_and_recovers_the_whole_contribution() -> None:
    result = make_result(geos=["north", "south"])
    n = len(result.dates)
    (eff,) = flight_effects(result, [_flight(result, "search", 0, n - 1)])
    total = result.contributions.sel(channel="search").sum(["time", "geo"]).values
    np.testing.assert_allclose(eff.during + eff.after, total, rtol=1e-9)
    assert eff.removed_spend == pytest.approx(float(result.spend.sel(channel="search").sum()))
