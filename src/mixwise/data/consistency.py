"""The consistency score of a campaign calendar (defined in docs/concepts.md).

A campaign's *planned channels* are the channels of all its flights in the calendar. On a day
when a campaign is *active* (one of its flights covers the day) it is *consistent* when every one
of its planned channels is live that day (a flight of that campaign on that channel covers it).
Over a window of days,

    consistency = sum_campaigns consistent days / sum_campaigns active days

(0 to 1; a campaign with one channel is consistent on every active day). The score of a window
is compared with the same number of days just before it (``change`` = now - before).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mixwise.data.campaigns import CalendarError, Flight

DEFAULT_WINDOW_DAYS = 30

DEFINITION = (
    "Share of a campaign's active days (any of its flights live) on which all the channels "
    "planned for it in the calendar are live, summed over campaigns."
)


@dataclass(frozen=True)
class WindowScore:
    """Consistent and active campaign-days in ``[start, end]``; ``score`` is None when no
    campaign is active in the window."""

    start: date
    end: date
    consistent_days: int
    active_days: int

    @property
    def score(self) -> float | None:
        return self.consistent_days / self.active_days if self.active_days else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "consistent_days": self.consistent_days,
            "active_days": self.active_days,
            "score": self.score,
        }


def window_score(flights: Sequence[Flight], start: date, end: date) -> WindowScore:
    """The consistency of ``flights`` over the days ``start`` to ``end`` (both included)."""
    planned: dict[str, set[str]] = {}
    for f in flights:
        planned.setdefault(f.campaign, set()).add(f.channel)
    consistent = active = 0
    day = start
    while day <= end:
        live: dict[str, set[str]] = {}
        for f in flights:
            if f.start <= day <= f.end:
                live.setdefault(f.campaign, set()).add(f.channel)
        active += len(live)
        consistent += sum(1 for c, chans in live.items() if chans >= planned[c])
        day += timedelta(days=1)
    return WindowScore(start, end, consistent, active)


def consistency(
    flights: Sequence[Flight], end: date | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> dict[str, Any]:
    """The score over the ``window_days`` days ending at ``end`` (default: the calendar's last
    day) and over the window before it, with the change (``None`` where either is undefined)."""
    if window_days < 1:
        raise CalendarError(
            "window_days must be at least 1", hint="Give a window of 1 day or more."
        )
    if end is None:
        end = max((f.end for f in flights), default=date.today())
    span = timedelta(days=window_days)
    now = window_score(flights, end - span + timedelta(days=1), end)
    before = window_score(flights, now.start - span, now.start - timedelta(days=1))
    change = None if now.score is None or before.score is None else now.score - before.score
    return {
        "definition": DEFINITION,
        "window_days": window_days,
        "current": now.to_dict(),
        "previous": before.to_dict(),
        "change": change,
    }
