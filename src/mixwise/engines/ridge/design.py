"""An :class:`~mixwise.data.dataset.MMMDataset` -> the :class:`~.evaluate.RidgeProblem` the
search works on (national: geos are summed).

Roles as in Robyn: paid channels (spend; coefficient >= 0; in DECOMP.RSSD and ROAS), organic
variables (transformed like media, coefficient >= 0), controls (context, sign free), event
dummies (the dataset's one-hot events), the baseline of :mod:`.baseline` (trend, yearly Fourier
terms) and optional holiday dummies (0/1 columns by period: the engine passes
:func:`mixwise.engines.holidays.holiday_dummies` of the spec's ``holidays``; a holiday table such
as Robyn's gives them through :func:`mixwise.data.holidays.holiday_dummies`).
Adstock runs over every period; the window (``start`` .. ``end``, inclusive) is what is fitted;
baseline columns that are constant over the window are left out. Lift tests become
:class:`~.objectives.LiftTest` rows of the window (:func:`lift_test`), for MAPE.LIFT.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge.baseline import trend_and_seasonality
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.hyperparameters import AdstockKind, HyperRanges, default_ranges
from mixwise.engines.ridge.objectives import LiftTest
from mixwise.engines.ridge.transforms import Inflexion
from mixwise.errors import SpecError


def window_rows(dates: pd.DatetimeIndex, start: str | None, end: str | None) -> slice:
    """Rows of ``dates`` within ``start .. end`` (inclusive; ``None``: the data's own end)."""
    lo = dates[0] if start is None else pd.Timestamp(start)
    hi = dates[-1] if end is None else pd.Timestamp(end)
    rows = np.flatnonzero((dates >= lo) & (dates <= hi))
    if len(rows) < 10:
        raise SpecError(
            f"the window {lo:%Y-%m-%d} .. {hi:%Y-%m-%d} holds {len(rows)} periods",
            "Widen the window to at least 10 periods (a year or more is usual).",
        )
    return slice(int(rows[0]), int(rows[-1]) + 1)


def lift_test(
    dates: pd.DatetimeIndex,
    window: slice,
    channel_index: Sequence[int],
    start: str,
    end: str,
    lift: float,
) -> LiftTest:
    """A lift study from ``start`` to ``end`` (inclusive dates) as Robyn reads it: the periods
    starting within the study, plus the one before when the study starts mid-period;
    ``days_ratio = study days / days between the first and last of those period starts``."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    inside = np.flatnonzero((dates >= lo) & (dates <= hi))
    if inside.size and lo not in dates and inside[0] > 0:
        inside = np.r_[inside[0] - 1, inside]
    rows = inside[(inside >= window.start) & (inside < window.stop)] - window.start
    if rows.size == 0:
        raise SpecError(
            f"lift test {start} .. {end} has no period inside the modelling window",
            "Drop the test or widen the window to include it.",
        )
    span = (dates[window.start + rows[-1]] - dates[window.start + rows[0]]).days
    ratio = (hi - lo).days / span if span > 0 else 1.0
    return LiftTest(
        channels=tuple(channel_index), rows=tuple(int(r) for r in rows), lift=lift,
        days_ratio=ratio,
    )  # fmt: skip


def baseline_frame(
    dataset: MMMDataset,
    holidays: pd.DataFrame | None = None,
    fourier_order: int = 2,
    use: Sequence[str] = ("trend", "controls", "events"),
) -> tuple[pd.DataFrame, list[str]]:
    """Trend, Fourier terms, controls, event dummies and holidays, one row per period, and the
    baseline component of each column (``trend``, ``seasonality``, ``controls``, ``events``,
    ``holidays``); ``use`` names which of trend, controls and events to include."""
    dates = dataset.dates
    date_col = dataset.frame[dataset.mapping.date].to_numpy()
    base = trend_and_seasonality(dates, dataset.periods_per_year, fourier_order)
    if "trend" not in use:
        base = base.drop(columns="trend")
    controls = dataset.controls().set_axis(dates)
    if "controls" not in use:
        controls = controls.iloc[:, :0]
    parts = [base, controls]
    components = ["trend" if c == "trend" else "seasonality" for c in base.columns]
    components += ["controls"] * len(parts[1].columns)
    events = dataset.event_dummies()
    if len(events.columns) and "events" in use:
        parts.append(events.groupby(date_col).max().reindex(dates).set_axis(dates))
        components += ["events"] * len(events.columns)
    if holidays is not None:
        parts.append(holidays.reindex(dates).fillna(0.0).set_axis(dates))
        components += ["holidays"] * len(holidays.columns)
    return pd.concat(parts, axis=1).astype(float), components


def build_problem(
    dataset: MMMDataset,
    holidays: pd.DataFrame | None = None,
    window: tuple[str | None, str | None] = (None, None),
    adstock: AdstockKind = "geometric",
    ranges: HyperRanges | None = None,
    fourier_order: int = 2,
    lift_tests: Sequence[tuple[Sequence[str], str, str, float]] = (),
    inflexion: Inflexion = "range",
    use: Sequence[str] = ("trend", "controls", "events"),
) -> RidgeProblem:
    """The problem for ``dataset``; ``holidays`` are 0/1 columns indexed by the periods;
    ``lift_tests`` are ``(channels, start, end, lift in KPI units)``; ``use``: see
    :func:`baseline_frame`."""
    dates = dataset.dates
    rows = window_rows(dates, *window)
    spend = dataset.spend()
    organic_names = list(dataset.mapping.organic)
    organic = dataset.frame.groupby(dataset.mapping.date, sort=True)[organic_names].sum()
    fixed, components = baseline_frame(dataset, holidays, fourier_order, use)
    varies = np.ptp(fixed.iloc[rows].to_numpy(), axis=0) > 0
    fixed = fixed.loc[:, varies]
    channels = [*dataset.channels, *organic_names]
    hr = ranges or default_ranges(channels, adstock)
    if list(hr.channels) != channels:
        raise SpecError(
            "hyperparameter ranges must list the channels in order: paid, then organic",
            f"Expected {', '.join(channels)}; got {', '.join(hr.channels)}.",
        )
    media = np.column_stack([spend.to_numpy(float), organic.to_numpy(float)])
    unknown = sorted({c for t in lift_tests for c in t[0]} - set(channels))
    if unknown:
        raise SpecError(
            f"lift tests name unknown channels: {', '.join(unknown)}",
            f"Use one of: {', '.join(channels)}.",
        )
    lifts = [
        lift_test(dates, rows, [channels.index(c) for c in names], start, end, lift)
        for names, start, end, lift in lift_tests
    ]
    return RidgeProblem.build(
        media=media,
        spend=spend.to_numpy(float),
        y=dataset.kpi().to_numpy(float),
        fixed=fixed.to_numpy(),
        window=rows,
        channels=channels,
        n_paid=len(dataset.channels),
        ranges=hr,
        fixed_names=[str(c) for c in fixed.columns],
        fixed_components=[c for c, keep in zip(components, varies, strict=True) if keep],
        dates=dates.to_numpy(),
        lift_tests=lifts,
        inflexion=inflexion,
    )
