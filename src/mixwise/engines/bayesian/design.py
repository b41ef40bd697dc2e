"""The design: the dataset laid out the way PyMC-Marketing's MMM reads it.

One long table with a ``date`` column, a ``geo`` column for geo data, one column per channel
(spend), and the non-media regressors under prefixed names so their contributions can be told
apart afterwards: ``control:<name>``, ``organic:<name>`` (organic media: exposure without spend,
e.g. newsletters sent), ``non_media:<name>`` (non-media treatments: price, promotions),
``event:<name>``, ``holiday:<name>``. Organic media and non-media treatments enter linearly, like
controls (same scaling and prior), and are reported as their own baseline components
(``organic``, ``non_media``), never as channels: they have no spend, hence no ROAS.

Scaling: PyMC-Marketing scales the KPI and the spend (max-abs) but uses controls as they are, with
one ``Normal(0, 2)`` prior on the scaled KPI for every control. Controls are therefore divided by
their maximum absolute value over the training window here, so the prior means the same for every
control; event and holiday dummies are 0/1 already. A regressor that is constant over the
training window (zero, or a control that never moves) carries no information beyond the
intercept and is left out.

Controls are not centred: centring decorrelates a control from the intercept (about 45 instead
of 100 leapfrog steps per draw on the synthetic sets) but then the intercept trades off against
a saturated channel with larger steps, and on some data chains got stuck (docs/benchmarks.md,
Recovery).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.holidays import holiday_dummies
from mixwise.errors import SpecError
from mixwise.model.spec import ModelSpec

DATE, GEO, KPI = "date", "geo", "kpi"
COMPONENT_PREFIXES = {
    "control:": "controls",
    "organic:": "organic",
    "non_media:": "non_media",
    "event:": "events",
    "holiday:": "holidays",
}
"""Prefix of a regressor column -> the baseline component its contribution goes to."""

MIN_TRAIN_PERIODS = 20


@dataclass(frozen=True)
class Design:
    """Model inputs for every period (training and holdout).

    Attributes:
        frame: long table (date[, geo], channels..., regressors...), sorted by date then geo.
        y: KPI aligned with ``frame``.
        channels: channel names (the spend columns, in dataset order).
        regressors: the non-media columns of ``frame`` (prefixed names).
        geos: geo labels (``None`` for national data).
        dates: all periods; ``train_dates`` the fitted ones (the rest is the holdout).
        control_scale: the divisor applied to each scaled column (controls, organic media,
            non-media treatments), by prefixed name.
    """

    frame: pd.DataFrame
    y: pd.Series
    channels: list[str]
    regressors: list[str]
    geos: list[str] | None
    dates: pd.DatetimeIndex
    train_dates: pd.DatetimeIndex
    control_scale: dict[str, float] = field(default_factory=dict)

    @property
    def dims(self) -> tuple[str, ...]:
        return (GEO,) if self.geos is not None else ()

    @property
    def n_holdout(self) -> int:
        return len(self.dates) - len(self.train_dates)

    def train(self) -> tuple[pd.DataFrame, pd.Series]:
        """Rows of the training window."""
        mask = self.frame[DATE] <= self.train_dates[-1]
        return self.frame[mask].reset_index(drop=True), self.y[mask].reset_index(drop=True)


def build_design(dataset: MMMDataset, spec: ModelSpec) -> Design:
    """Lay the dataset out for PyMC-Marketing; ``spec`` must be resolved (no 'auto' values)."""
    ds = dataset.to_xarray()
    dates = pd.DatetimeIndex(ds["time"].values)
    n_train = len(dates) - spec.holdout
    if n_train < MIN_TRAIN_PERIODS:
        raise SpecError(
            f"holdout: {spec.holdout} held-out periods leave {n_train} of {len(dates)} to fit "
            f"(at least {MIN_TRAIN_PERIODS} needed)",
            "Use a shorter holdout.",
        )
    train_dates = dates[:n_train]
    geos = list(ds["geo"].values) if dataset.has_geo else None

    def long(da_name: str, dim: str | None) -> pd.DataFrame:
        da = ds[da_name]
        if dim is None:
            return da.to_dataframe(name=KPI)[[KPI]]
        return da.to_dataset(dim=dim).to_dataframe()[list(map(str, da[dim].values))]

    parts = [long("spend", "channel")]
    scales: dict[str, float] = {}
    if spec.controls and "controls" in ds:
        ctrl = long("controls", "control")
        parts.append(_scaled_controls(ctrl, train_dates, scales))
    for role in ("organic", "non_media"):  # mapping roles of the same name (MMMDataset)
        labels = list(getattr(dataset.mapping, role))
        if labels:  # the variable shares its dim's name in ds, so it is read by position
            index = pd.MultiIndex.from_product([dates, ds["geo"].values], names=["time", GEO])
            values = np.asarray(ds[role].values, dtype=float).reshape(len(index), len(labels))
            frame = pd.DataFrame(values, index=index, columns=labels)
            parts.append(_scaled_controls(frame, train_dates, scales, f"{role}:"))
    if spec.events and "events" in ds:
        parts.append(long("events", "event").add_prefix("event:"))
    table = pd.concat(parts, axis=1)
    if spec.holidays is not None:
        hol = holiday_dummies(dates, dataset.frequency, spec.holidays)
        table = table.join(hol, on="time")
    table = table.reset_index().rename(columns={"time": DATE})
    table = table.sort_values([DATE, GEO], kind="stable").reset_index(drop=True)
    y = long("kpi", None).reset_index().sort_values(["time", GEO], kind="stable")[KPI]
    regressors = _informative(table, [c for c in table.columns if _is_regressor(c)], train_dates)
    keep = [DATE, *([GEO] if geos is not None else []), *dataset.channels, *regressors]
    return Design(
        frame=table[keep],
        y=y.reset_index(drop=True).astype(float),
        channels=list(dataset.channels),
        regressors=regressors,
        geos=geos,
        dates=dates,
        train_dates=train_dates,
        control_scale=scales,
    )


def _is_regressor(column: str) -> bool:
    return any(column.startswith(p) for p in COMPONENT_PREFIXES)


def _scaled_controls(
    ctrl: pd.DataFrame,
    train_dates: pd.DatetimeIndex,
    scales: dict[str, float],
    prefix: str = "control:",
) -> pd.DataFrame:
    """Each column divided by its max |value| over the training window, renamed
    ``<prefix><name>`` (the divisor recorded in scales under that name)."""
    in_train = ctrl.index.get_level_values("time").isin(train_dates)
    out = {}
    for col in ctrl.columns:
        scale = float(np.nanmax(np.abs(ctrl.loc[in_train, col].to_numpy(float))))
        scales[f"{prefix}{col}"] = scale if scale > 0 else 1.0
        out[f"{prefix}{col}"] = ctrl[col] / scales[f"{prefix}{col}"]
    return pd.DataFrame(out, index=ctrl.index)


def _informative(table: pd.DataFrame, columns: list[str], train: pd.DatetimeIndex) -> list[str]:
    """Regressors that are not constant over the training window."""
    in_train = table[DATE].isin(train)
    return [c for c in columns if np.ptp(table.loc[in_train, c].to_numpy(float)) > 0]
