"""Findings on landed connector rows, with codes, as for uploads (rows are 1-based rows of the
landed table sorted by day):

- ``connector_duplicate_day`` (error): the same day x platform x campaign x ad set twice (a
  re-sync that appended instead of replacing, or a warehouse table loaded twice).
- ``connector_currency_change`` (error): one platform's currency changes mid-series; spend would
  mix currencies.
- ``connector_missing_day`` (warning): a platform has no row on days inside its series; platforms
  write no row for a day without spend, so it is read as zero spend.
- ``connector_new_channel`` (warning): a platform the current model does not have; its mapping
  leaves it out, so a scheduled refresh does not model it until it is added.
- ``connector_time_zones`` (info): sources report days in different time zones.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from mixwise.data.findings import Finding, Severity, rows_finding

KEY = ["date_day", "platform", "campaign_name", "ad_group_name"]


def check_landed(rows: pd.DataFrame, known_channels: Iterable[str] | None = None) -> list[Finding]:
    """Every finding above for the landed table ``rows`` (the connectors' common shape)."""
    out: list[Finding] = []
    out += rows_finding(
        "connector_duplicate_day",
        rows.duplicated(KEY, keep="first").to_numpy(bool),
        "the same day, platform, campaign and ad set appear more than once",
        "Re-sync the connector (a sync replaces the days it reads), or remove the duplicated "
        "rows from the warehouse table.",
        "date_day",
    )
    for platform, part in rows.groupby("platform", sort=True):
        out += _currency(str(platform), part)
        out += _missing_days(str(platform), part)
    if known_channels is not None:
        known = set(known_channels)
        for platform in sorted(set(rows["platform"]) - known):
            out.append(
                Finding(
                    "connector_new_channel",
                    Severity.WARNING,
                    f"'{platform}' is a new channel: the current model does not have it",
                    "The model's mapping leaves it out, so a refresh does not model it: add it to "
                    "the mapping (mixwise connect export --mapping) and fit afresh.",
                    "platform",
                )
            )
    zones = sorted({str(z) for z in rows["time_zone"].dropna()})
    if len(zones) > 1:
        out.append(
            Finding(
                "connector_time_zones",
                Severity.INFO,
                "sources report days in different time zones: " + ", ".join(zones),
                "Daily totals are kept as each platform reports them; weekly models are barely "
                "affected.",
                "time_zone",
            )
        )
    return out


def _currency(platform: str, part: pd.DataFrame) -> list[Finding]:
    currency = part["currency"].astype(object)
    known = currency.dropna()
    if known.nunique() <= 1:
        return []
    first = known.iloc[0]
    changed = (currency.notna() & (currency != first)).to_numpy(bool)
    return rows_finding(
        "connector_currency_change",
        changed,
        f"{platform}: the currency changes from {first} to "
        + ", ".join(sorted(str(c) for c in set(known) - {first})),
        "Spend is never converted: convert it upstream or start a new series from the change.",
        "currency",
        row_of=part.index.to_numpy(),
    )


def _missing_days(platform: str, part: pd.DataFrame) -> list[Finding]:
    days = pd.DatetimeIndex(part["date_day"].unique()).sort_values()
    full = pd.date_range(days[0], days[-1], freq="D")
    missing = full.difference(days)
    if missing.empty:
        return []
    shown = ", ".join(str(d.date()) for d in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return [
        Finding(
            "connector_missing_day",
            Severity.WARNING,
            f"{platform}: no rows on {len(missing)} day(s) inside its series ({shown}{more}); "
            "read as zero spend",
            "If the account did spend on those days, re-sync them (mixwise connect sync "
            "--since DATE).",
            "date_day",
        )
    ]
