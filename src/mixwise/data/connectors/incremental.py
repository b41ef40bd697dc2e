"""Incremental loads: which days to ask for, and how new rows replace the landed ones.

The window of a sync is ``[max(first, last_day + 1 - lookback), today - 1]``: only days not yet
landed, plus ``lookback_days`` already landed days again because platforms keep attributing
conversions to past days (Google Ads and Meta: up to their attribution windows). The rows of
every day in the window replace the landed rows of that day; days outside it are kept. The
result is sorted and written whole by the caller (a temp file renamed into place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

DEFAULT_LOOKBACK_DAYS = 7
DEFAULT_HISTORY_DAYS = 365 * 2
"""A first sync reads this many days back."""


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    @property
    def empty(self) -> bool:
        return self.start > self.end


def sync_window(
    last_day: date | None,
    today: date,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    history_days: int = DEFAULT_HISTORY_DAYS,
) -> Window:
    """The days to fetch (module docstring); today is not complete yet, so it ends yesterday."""
    end = today - timedelta(days=1)
    if last_day is None:
        return Window(end - timedelta(days=history_days - 1), end)
    return Window(last_day + timedelta(days=1) - timedelta(days=lookback_days), end)


def merge(landed: pd.DataFrame | None, new: pd.DataFrame, window: Window) -> pd.DataFrame:
    """``landed`` without the window's days, plus ``new``; sorted by day, platform, campaign."""
    if landed is None or landed.empty:
        combined = new
    else:
        days = landed["date_day"].dt.date
        keep = landed[(days < window.start) | (days > window.end)]
        combined = pd.concat([keep, new], ignore_index=True)
    return combined.sort_values(
        ["date_day", "platform", "campaign_name", "ad_group_name"], kind="stable"
    ).reset_index(drop=True)
