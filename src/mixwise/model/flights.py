"""What each flight of a campaign calendar added, according to a fitted model.

A flight's incremental KPI is a counterfactual on the fitted model, draw by draw: the channel's
contributions with the data's spend minus those with the flight's spend taken out,

    inc[d, t] = sum_geo ( c_d(t; spend) - c_d(t; spend - share * spend_flight) )

where ``spend_flight`` is the channel's spend in the periods the flight overlaps and ``share``
is the flight's part of it: ``min(1, flight spend / channel spend in those periods)`` when the
calendar gives a spend, else 1 (the whole channel's spend in the flight). ``during`` sums ``inc``
over the flight's periods, ``after`` over the ``l_max - 1`` periods that follow (the carry-over
tail, inside the data); ``roas = (during + after) / removed spend`` (carry-over included).

Tag performance pools the flights carrying a tag: ``sum inc / sum removed spend`` per draw
(each flight's counterfactual taken alone, so flights of one tag that overlap on a channel are
each credited with the shared periods' response to their own share).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.data.campaigns import Flight
from mixwise.model.forward import forward_contributions
from mixwise.model.intervals import stats
from mixwise.model.result import FitResult

MIN_TAG_FLIGHTS = 3
"""Fewest flights carrying a tag before its contribution per unit of spend is shown."""


@dataclass(frozen=True)
class FlightEffect:
    """A flight's incremental KPI draws during and after it, and the spend taken out."""

    flight: Flight
    periods: tuple[int, int]  # first and last period index the flight overlaps (-1 when none)
    removed_spend: float
    during: np.ndarray  # (draw,)
    after: np.ndarray  # (draw,)

    def to_dict(self, interval: float) -> dict[str, Any]:
        total = self.during + self.after
        roas = total / self.removed_spend if self.removed_spend > 0 else None
        return {
            **self.flight.to_dict(),
            "periods": None if self.periods[0] < 0 else list(self.periods),
            "spend_in_model": self.removed_spend,
            "contribution_during": stats(self.during, interval),
            "contribution_after": stats(self.after, interval),
            "contribution": stats(total, interval),
            "roas": None if roas is None else stats(roas, interval),
            "why_no_roas": None if roas is not None else "no spend in the data during the flight",
        }


def period_span(dates: pd.DatetimeIndex, flight: Flight, step_days: int) -> tuple[int, int]:
    """First and last period index whose days ``[date, date + step)`` overlap the flight, or
    ``(-1, -1)`` when the flight falls outside the data."""
    starts = dates.to_numpy()
    lo = np.datetime64(flight.start) - np.timedelta64(step_days - 1, "D")
    hit = np.flatnonzero((starts >= lo) & (starts <= np.datetime64(flight.end)))
    return (int(hit[0]), int(hit[-1])) if len(hit) else (-1, -1)


def step_days(result: FitResult) -> int:
    """Days per period: 1 for daily data, 7 for weekly."""
    return 1 if result.frequency == "daily" else 7


def flight_effects(result: FitResult, flights: Sequence[Flight]) -> list[FlightEffect]:
    """Each flight's incremental KPI (module docstring), carry-over included."""
    spend = result.spend.transpose("time", ..., "channel")
    base = _channel_total(forward_contributions(result.params, spend))
    n_lag = int(result.params.attrs["l_max"])
    step = step_days(result)
    return [_effect(result, spend, base, f, n_lag, step) for f in flights]


def _channel_total(contrib: xr.DataArray) -> xr.DataArray:
    """``(draw, time, channel)``: contributions summed over geo."""
    return contrib.sum("geo") if "geo" in contrib.dims else contrib


def _effect(
    result: FitResult,
    spend: xr.DataArray,
    base: xr.DataArray,
    flight: Flight,
    n_lag: int,
    step: int,
) -> FlightEffect:
    a, b = period_span(result.dates, flight, step)
    zeros = np.zeros(result.n_draws)
    if a < 0:
        return FlightEffect(flight, (a, b), 0.0, zeros, zeros)
    channel_spend = spend.sel(channel=flight.channel)
    in_flight = float(channel_spend.isel(time=slice(a, b + 1)).sum())
    if in_flight <= 0:
        return FlightEffect(flight, (a, b), 0.0, zeros, zeros)
    share = 1.0 if flight.spend is None else min(1.0, flight.spend / in_flight)
    cut = spend.copy()
    window = cut.loc[{"channel": flight.channel}].isel(time=slice(a, b + 1))
    cut.loc[{"channel": flight.channel, "time": window["time"]}] = window * (1 - share)
    lo, hi = a, min(len(result.dates), b + n_lag)
    sub = cut.isel(time=slice(max(0, a - n_lag + 1), hi))
    counter = _channel_total(forward_contributions(result.params, sub)).sel(channel=flight.channel)
    inc = (
        base.sel(channel=flight.channel).isel(time=slice(lo, hi))
        - counter.isel(time=slice(lo - max(0, a - n_lag + 1), None)).values
    )
    inc_np = np.asarray(inc.transpose("draw", "time").values)
    n_during = b - a + 1
    return FlightEffect(
        flight,
        (a, b),
        share * in_flight,
        inc_np[:, :n_during].sum(axis=1),
        inc_np[:, n_during:].sum(axis=1),
    )


def tag_performance(
    effects: Sequence[FlightEffect], interval: float, min_flights: int = MIN_TAG_FLIGHTS
) -> list[dict[str, Any]]:
    """Per tag: flights carrying it, their spend, and contribution per unit of spend (pooled,
    module docstring) with its interval; ``None`` with ``why`` when fewer than ``min_flights``
    flights with spend in the data carry the tag."""
    tags = sorted({t for e in effects for t in e.flight.tags})
    out: list[dict[str, Any]] = []
    for tag in tags:
        carrying = [e for e in effects if tag in e.flight.tags]
        usable = [e for e in carrying if e.removed_spend > 0]
        spend = float(sum(e.removed_spend for e in usable))
        row: dict[str, Any] = {"tag": tag, "flights": len(carrying), "spend": spend}
        if len(usable) < min_flights:
            row["per_spend"] = None
            row["why"] = (
                f"{len(usable)} flight(s) with spend in the data carry #{tag}; "
                f"at least {min_flights} are needed"
            )
        else:
            total = np.sum([e.during + e.after for e in usable], axis=0)
            row["per_spend"] = stats(total / spend, interval)
            row["why"] = None
        out.append(row)
    return out
