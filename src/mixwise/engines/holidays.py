"""Public holidays as 0/1 regressors, for every engine (``holidays: {country: DE}`` in a spec)."""

from __future__ import annotations

import holidays as holidays_lib
import numpy as np
import pandas as pd

from mixwise.model.spec import HolidaysSpec


def holiday_dummies(dates: pd.DatetimeIndex, frequency: str, spec: HolidaysSpec) -> pd.DataFrame:
    """One 0/1 column per public holiday: 1 for the period containing it.

    A weekly period labelled ``d`` covers ``[d, d + 7 days)``. "(observed)" days count as the
    holiday itself; holidays that always fall in the same periods share one column
    (``holiday:A + B``), since the data cannot tell them apart.
    """
    days = 7 if frequency == "weekly" else 1
    years = range(dates[0].year, (dates[-1] + pd.Timedelta(days=days)).year + 1)
    cal = holidays_lib.country_holidays(spec.country, subdiv=spec.subdivision, years=years)
    starts = dates.to_numpy()
    cols: dict[str, np.ndarray] = {}
    for day, name in sorted(cal.items()):
        label = str(name).replace(" (observed)", "").strip()
        pos = int(np.searchsorted(starts, np.datetime64(pd.Timestamp(day)), side="right")) - 1
        if pos < 0 or pd.Timestamp(day) >= dates[pos] + pd.Timedelta(days=days):
            continue
        cols.setdefault(label, np.zeros(len(dates)))[pos] = 1.0
    merged: dict[bytes, list[str]] = {}
    for label, values in cols.items():
        merged.setdefault(values.tobytes(), []).append(label)
    frame = pd.DataFrame(
        {f"holiday:{' + '.join(names)}": cols[names[0]] for names in merged.values()},
        index=pd.Index(dates, name="time"),
    )
    return frame
