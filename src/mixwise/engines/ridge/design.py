"""A table of periods -> the :class:`~.evaluate.RidgeProblem` the search works on.

Roles as in Robyn: ``paid`` channels (spend; coefficient >= 0; in DECOMP.RSSD and ROAS),
``organic`` channels (transformed like media, coefficient >= 0), ``context`` regressors (sign
free), categorical ``events`` (one 0/1 column per level, the "no event" levels dropped), the
baseline of :mod:`.baseline` (trend, yearly Fourier terms) and optional holiday dummies.
Adstock runs over every row; the window (``start`` .. ``end``, inclusive) is what is fitted;
baseline columns that are constant over the window are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mixwise.data.dataset import EVENT_BASELINE_LEVELS
from mixwise.engines.ridge.baseline import trend_and_seasonality
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.hyperparameters import AdstockKind, HyperRanges, default_ranges
from mixwise.errors import SpecError


def event_dummies(values: pd.Series) -> pd.DataFrame:
    """One 0/1 column ``<name>:<level>`` per level that is not a 'no event' level."""
    text = values.astype(str).str.strip()
    levels = sorted(v for v in text.unique() if v.lower() not in EVENT_BASELINE_LEVELS)
    return pd.DataFrame(
        {f"{values.name}:{lv}": (text == lv).astype(float) for lv in levels}, index=values.index
    )


def build_problem(
    frame: pd.DataFrame,
    kpi: str,
    paid: Sequence[str],
    organic: Sequence[str] = (),
    context: Sequence[str] = (),
    events: Sequence[str] = (),
    holidays: pd.DataFrame | None = None,
    window: tuple[str | None, str | None] = (None, None),
    adstock: AdstockKind = "geometric",
    ranges: HyperRanges | None = None,
    periods_per_year: float = 52.1775,
    fourier_order: int = 2,
) -> RidgeProblem:
    """``frame`` is indexed by period start dates (sorted); ``holidays`` has 0/1 columns on the
    same index. Every named column must be numeric except the ``events``."""
    missing = [c for c in (kpi, *paid, *organic, *context, *events) if c not in frame.columns]
    if missing:
        raise SpecError(
            f"columns not in the data: {', '.join(missing)}",
            f"The data has: {', '.join(map(str, frame.columns))}.",
        )
    dates = pd.DatetimeIndex(frame.index)
    start = dates[0] if window[0] is None else pd.Timestamp(window[0])
    end = dates[-1] if window[1] is None else pd.Timestamp(window[1])
    rows = np.flatnonzero((dates >= start) & (dates <= end))
    if len(rows) < 10:
        raise SpecError(
            f"the window {start:%Y-%m-%d} .. {end:%Y-%m-%d} holds {len(rows)} periods",
            "Widen the window to at least 10 periods (a year or more is usual).",
        )
    parts = [trend_and_seasonality(dates, periods_per_year, fourier_order)]
    parts += [frame[list(context)].astype(float)]
    parts += [event_dummies(frame[e]) for e in events]
    if holidays is not None:
        parts.append(holidays.reindex(dates).fillna(0.0).astype(float))
    fixed = pd.concat(parts, axis=1)
    varies = np.ptp(fixed.iloc[rows].to_numpy(dtype=np.float64), axis=0) > 0
    fixed = fixed.loc[:, varies]  # constant over the window: nothing to estimate
    channels = [*paid, *organic]
    hr = ranges or default_ranges(channels, adstock)
    if list(hr.channels) != channels:
        raise SpecError(
            "hyperparameter ranges must list the channels in order: paid, then organic",
            f"Expected {', '.join(channels)}; got {', '.join(hr.channels)}.",
        )
    return RidgeProblem.build(
        media=frame[channels].to_numpy(dtype=np.float64),
        spend=frame[list(paid)].to_numpy(dtype=np.float64),
        y=frame[kpi].to_numpy(dtype=np.float64),
        fixed=fixed.to_numpy(dtype=np.float64),
        window=slice(int(rows[0]), int(rows[-1]) + 1),
        channels=channels,
        n_paid=len(paid),
        ranges=hr,
        fixed_names=[str(c) for c in fixed.columns],
    )
