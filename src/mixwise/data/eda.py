"""Exploratory summaries of an ``MMMDataset``, as plain data structures.

The CLI (`mixwise describe`), the report and the web all render these; none of them recompute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset


@dataclass(frozen=True)
class EDASummary:
    """What a modeller looks at before fitting.

    Attributes:
        period: first and last date, number of periods, frequency, number of geos.
        channels: per channel: total spend, share of spend, active periods (spend > 0) and
            their share, mean spend when active, first and last active date.
        correlation: Pearson correlation of channel spends and the KPI (national totals).
        kpi: KPI per period (national total).
        spend: spend per period and channel (national totals).
    """

    period: dict[str, Any]
    channels: pd.DataFrame
    correlation: pd.DataFrame
    kpi: pd.Series
    spend: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "period": self.period,
            "channels": _records(self.channels.reset_index()),
            "correlation": {
                "labels": list(self.correlation.columns),
                "matrix": np.round(self.correlation.to_numpy(), 4).tolist(),
            },
            "kpi": {"dates": _iso(self.kpi.index), "values": self.kpi.round(6).tolist()},
            "spend": {
                "dates": _iso(self.spend.index),
                "channels": {c: self.spend[c].round(6).tolist() for c in self.spend.columns},
            },
        }


def _iso(index: pd.Index) -> list[str]:
    return [pd.Timestamp(t).date().isoformat() for t in index]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        out.append(
            {
                str(k): (
                    v.date().isoformat()
                    if isinstance(v, pd.Timestamp)
                    else (None if isinstance(v, float) and np.isnan(v) else v)
                )
                for k, v in row.items()
            }
        )
    return out


def describe(dataset: MMMDataset) -> EDASummary:
    """Spend totals and shares, active periods, correlations, KPI over time, spend vs KPI."""
    spend = dataset.spend()
    kpi = dataset.kpi()
    total = float(spend.to_numpy().sum())
    active = spend > 0
    dates = spend.index

    def _first(col: pd.Series) -> pd.Timestamp | None:
        hits = dates[col.to_numpy()]
        return hits[0] if len(hits) else None

    def _last(col: pd.Series) -> pd.Timestamp | None:
        hits = dates[col.to_numpy()]
        return hits[-1] if len(hits) else None

    channels = pd.DataFrame(
        {
            "spend": spend.sum(),
            "spend_share": spend.sum() / total if total > 0 else np.nan,
            "active_periods": active.sum().astype(int),
            "active_share": active.mean(),
            "mean_active_spend": spend.where(active).mean(),
            "first_active": [_first(active[c]) for c in spend.columns],
            "last_active": [_last(active[c]) for c in spend.columns],
        }
    )
    channels.index.name = "channel"
    corr = pd.concat([spend, kpi.rename("KPI")], axis=1).corr()
    period = {
        "start": dates[0].date().isoformat(),
        "end": dates[-1].date().isoformat(),
        "periods": len(dates),
        "frequency": dataset.frequency,
        "geos": len(dataset.geos),
        "kpi": dataset.mapping.kpi.column,
        "kpi_type": dataset.kpi_type,
        "kpi_total": float(kpi.sum()),
        "spend_total": total,
    }
    return EDASummary(period=period, channels=channels, correlation=corr, kpi=kpi, spend=spend)
