"""Builders for the malformed-input corpus: the clean base tables and ways to break them."""

from __future__ import annotations

from collections.abc import Mapping as Cells
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.findings import Severity
from mixwise.data.mapping import Mapping

N_ROWS = 120
START = "2021-01-04"  # a Monday
GEOS = ("north", "south")
POPULATION = {"north": "1200000", "south": "800000"}


@dataclass(frozen=True)
class MalformedCase:
    """One broken input and what validation must say about it.

    ``rows``, when given, are the exact rows the finding must name; ``column`` the column.
    """

    id: str
    frame: pd.DataFrame
    mapping: Mapping
    expected_code: str
    severity: Severity = Severity.ERROR
    column: str | None = None
    rows: tuple[int, ...] | None = None
    in_message: tuple[str, ...] = field(default_factory=tuple)


def fmt(values: np.ndarray, digits: int = 2) -> list[str]:
    return [f"{v:.{digits}f}" for v in values]


def base_frame(
    n: int = N_ROWS, freq: str = "7D", start: str = START, seed: int = 7, geo: str | None = None
) -> pd.DataFrame:
    """A clean table of strings: week, revenue, tv_spend, search_spend, search_clicks,
    social_spend, price_index, event (categorical 'na'/'promo') and newsletter (organic, not
    mapped by default). Channels are independent and spend in most periods."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n, freq=freq)
    tv = np.where(rng.random(n) < 0.8, rng.gamma(4.0, 2500.0, n), 0.0)
    search = rng.lognormal(8.0, 0.3, n)
    cpc = 0.5 * np.exp(0.1 * rng.standard_normal(n))
    social = rng.uniform(1000.0, 5000.0, n)
    price = 1 + 0.05 * np.sin(np.arange(n) / 8) + 0.01 * rng.standard_normal(n)
    promo = np.isin(np.arange(n), np.arange(5, n, 15))
    newsletter = rng.poisson(3.0, n)
    revenue = (
        50_000
        + 2.0 * tv
        + 3.0 * search
        + 1.5 * social
        - 20_000 * (price - 1)
        + 5_000 * promo
        + rng.normal(0, 2_000, n)
    )
    frame = pd.DataFrame(
        {
            "week": dates.strftime("%Y-%m-%d"),
            "revenue": fmt(revenue),
            "tv_spend": fmt(tv),
            "search_spend": fmt(search),
            "search_clicks": fmt(search / cpc, 0),
            "social_spend": fmt(social),
            "price_index": fmt(price, 4),
            "event": np.where(promo, "promo", "na"),
            "newsletter": [str(v) for v in newsletter],
        },
        dtype="str",
    )
    if geo is not None:
        frame.insert(1, "region", geo)
        frame.insert(2, "population", POPULATION.get(geo, "1000000"))
    return frame


def geo_frame(n: int = N_ROWS) -> pd.DataFrame:
    """Two geos ('north', 'south') x ``n`` weeks, with a constant population per geo."""
    parts = [base_frame(n, seed=7 + i, geo=g) for i, g in enumerate(GEOS)]
    return pd.concat(parts, ignore_index=True)


def base_mapping(**changes: Any) -> Mapping:
    """The mapping of :func:`base_frame`; keyword arguments replace top-level roles."""
    data: dict[str, Any] = {
        "date": "week",
        "kpi": {"column": "revenue", "type": "revenue"},
        "channels": [
            {"name": "TV", "spend": "tv_spend"},
            {
                "name": "Search",
                "spend": "search_spend",
                "exposure": "search_clicks",
                "exposure_type": "clicks",
            },
            {"name": "Social", "spend": "social_spend"},
        ],
        "controls": ["price_index"],
        "events": ["event"],
    }
    data.update(changes)
    return Mapping.model_validate(data)


def geo_mapping(**changes: Any) -> Mapping:
    return base_mapping(geo="region", population="population", **changes)


def with_cells(frame: pd.DataFrame, cells: Cells[tuple[int, str], Any]) -> pd.DataFrame:
    """Copy of ``frame`` with cells replaced; keys are (1-based row, column)."""
    out = frame.copy()
    for (row, col), value in cells.items():
        try:
            out.loc[out.index[row - 1], col] = value
        except TypeError:  # a value the column's dtype cannot hold: make it an object column
            out[col] = out[col].astype(object)
            out.loc[out.index[row - 1], col] = value
    return out


def set_rows(frame: pd.DataFrame, rows: list[int], col: str, value: object) -> pd.DataFrame:
    return with_cells(frame, {(r, col): value for r in rows})


def drop_rows(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """Without the given 1-based rows, renumbered."""
    return frame.drop(index=frame.index[[r - 1 for r in rows]]).reset_index(drop=True)


def insert_copy(frame: pd.DataFrame, row: int) -> pd.DataFrame:
    """With a copy of 1-based ``row`` inserted right after it (the copy is row ``row + 1``)."""
    return pd.concat([frame.iloc[:row], frame.iloc[[row - 1]], frame.iloc[row:]], ignore_index=True)


def native_frame() -> pd.DataFrame:
    """:func:`base_frame` with native types (what Parquet or a DataFrame source gives)."""
    out = base_frame()
    out["week"] = pd.to_datetime(out["week"])
    for col in ("revenue", "tv_spend", "search_spend", "search_clicks", "social_spend"):
        out[col] = out[col].astype(float)
    out["price_index"] = out["price_index"].astype(float)
    return out


def date_of(row: int, frame: pd.DataFrame | None = None) -> str:
    f = base_frame() if frame is None else frame
    return str(f["week"].iloc[row - 1])


def case(
    id: str,
    frame: pd.DataFrame,
    code: str,
    mapping: Mapping | None = None,
    severity: Severity = Severity.ERROR,
    column: str | None = None,
    rows: tuple[int, ...] | None = None,
    in_message: tuple[str, ...] = (),
) -> MalformedCase:
    return MalformedCase(
        id=id,
        frame=frame,
        mapping=mapping or base_mapping(),
        expected_code=code,
        severity=severity,
        column=column,
        rows=rows,
        in_message=in_message,
    )
