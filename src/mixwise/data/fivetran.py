"""Fivetran ``ad_reporting`` long format -> one wide row per date.

Fivetran's ``ad_reporting`` dbt package writes one row per date x platform x account x campaign x
ad group x ad with ``spend``, ``impressions``, ``clicks``, ``conversions`` and
``conversions_value``. An MMM needs one row per date with one spend (and exposure) column per
channel, so :func:`aggregate_ad_reporting` sums the rows into::

    date_day, <channel>_spend, <channel>_impressions, <channel>_clicks, ..., conversions,
    conversions_value

Channels are the platforms (``channel_by: platform``) or named groups of campaigns
(``channel_by: campaign_regex``: ``re.search`` of each rule's pattern on ``campaign_name``, first
rule that matches wins; add ``(?i)`` for case-insensitive rules). Channel column names are slugs:
lower case, runs of non-alphanumerics -> ``_`` ("Google Ads" -> ``google_ads``).

Zeros and gaps: a channel with no row on a date that other channels have gets spend 0 (ad
reporting writes no row when nothing was spent); a date with no row at all stays absent (the checks
report the gap). A missing value in a row is not a zero: the (date, channel) sum it falls in is NaN
so the checks report it. The KPI columns are summed over all rows of a date.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mixwise.data.findings import first_rows, format_rows
from mixwise.data.mapping import (
    ChannelMap,
    FivetranSource,
    KPIMap,
    KPIType,
    Mapping,
    SourceSpec,
)
from mixwise.errors import InputFileError, MappingError

METRICS = ("spend", "impressions", "clicks")
"""Per-channel metrics, in output order; only ``spend`` is required."""

KPI_COLUMNS = ("conversions", "conversions_value")
"""Summed over all rows per date; the one named by ``kpi_column`` is required."""

_SHOW = 5


def channel_slug(name: str) -> str:
    """Column-safe channel name: lower case, non-alphanumerics -> ``_`` ("Google Ads" ->
    ``google_ads``)."""
    return re.sub(r"[\W_]+", "_", str(name).lower()).strip("_") or "channel"


def aggregate_ad_reporting(raw: pd.DataFrame, rules: FivetranSource | None) -> pd.DataFrame:
    """Sum Fivetran ``ad_reporting`` rows into one row per date with per-channel
    ``<slug>_spend`` / ``_impressions`` / ``_clicks`` and total ``conversions`` /
    ``conversions_value`` (see the module docstring). The date column keeps its name and is
    parsed to ``datetime64``; rows are sorted by date."""
    rules = rules or FivetranSource()
    _require_columns(raw, rules)
    dates = _parse_dates(raw[rules.date_column], rules.date_column)
    slugs, names = _assign_channels(raw, rules)
    metrics = [m for m in METRICS if m in raw.columns]
    kpis = [k for k in KPI_COLUMNS if k in raw.columns]
    values = pd.DataFrame(
        {c: _to_number(raw[c], c) for c in metrics + kpis}, index=raw.index
    ).reset_index(drop=True)
    dates = dates.reset_index(drop=True)
    slugs = slugs.reset_index(drop=True)

    per_channel = _sum_keeping_nan(values[metrics], [dates, slugs])
    wide = pd.DataFrame(per_channel.unstack("channel", fill_value=0.0))
    level_metric = [str(v) for v in wide.columns.get_level_values(0)]
    level_slug = [str(v) for v in wide.columns.get_level_values(1)]
    wide.columns = pd.Index([f"{c}_{m}" for m, c in zip(level_metric, level_slug, strict=True)])
    ordered = [f"{slug}_{m}" for slug in names for m in metrics]
    totals = _sum_keeping_nan(values[kpis], [dates])
    # a rule that matches no row is a channel with no spend at all: zeros (the checks flag it)
    out = pd.concat([wide.reindex(columns=ordered, fill_value=0.0), totals], axis=1).sort_index()
    out.index.name = rules.date_column
    out = out.reset_index()
    out.attrs = {"channels": dict(names)}
    return out


def fivetran_mapping(raw: pd.DataFrame, rules: FivetranSource | None) -> Mapping:
    """Propose the mapping for :func:`aggregate_ad_reporting`'s output: the date column, the KPI
    (``conversions_value`` as revenue or ``conversions`` as conversions, per ``kpi_column``) and
    one channel per platform / rule with its spend and, when present, impressions as exposure."""
    rules = rules or FivetranSource()
    _require_columns(raw, rules)
    _, names = _assign_channels(raw, rules)
    has_impressions = "impressions" in raw.columns
    channels = [
        ChannelMap(
            name=name,
            spend=f"{slug}_spend",
            exposure=f"{slug}_impressions" if has_impressions else None,
            exposure_type="impressions" if has_impressions else None,
        )
        for slug, name in names.items()
    ]
    kpi_type: KPIType = "revenue" if rules.kpi_column == "conversions_value" else "conversions"
    return Mapping(
        date=rules.date_column,
        kpi=KPIMap(column=rules.kpi_column, type=kpi_type),
        channels=channels,
        source=SourceSpec(format="fivetran_ad_reporting", fivetran=rules),
    )


# -- pieces ----------------------------------------------------------------------------------
def _require_columns(raw: pd.DataFrame, rules: FivetranSource) -> None:
    by = "platform" if rules.channel_by == "platform" else "campaign_name"
    required = [rules.date_column, by, "spend", rules.kpi_column]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise MappingError(
            "the table is not in Fivetran ad_reporting format: missing column(s) "
            + ", ".join(f"'{c}'" for c in missing),
            "Export the ad_reporting model (date_day, platform, campaign_name, spend, "
            "impressions, clicks, conversions, conversions_value), or set source.fivetran."
            "date_column / kpi_column to the names your export uses.",
        )


def _bad_rows_error(column: str, bad: np.ndarray, raw: pd.Series, what: str) -> InputFileError:
    pos = np.flatnonzero(bad)
    examples = ", ".join(f"'{v}'" for v in pd.unique(raw.iloc[pos[:_SHOW]].astype(str)))
    return InputFileError(
        f"column '{column}' has {what} in {format_rows(first_rows(pos), total=len(pos))}: "
        f"{examples}",
        f"Fix those cells; Fivetran's '{column}' should hold "
        + ("ISO dates (YYYY-MM-DD)." if what == "unreadable dates" else "plain numbers."),
    )


def _parse_dates(s: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        parsed = s
    else:
        text = s.astype("string").str.strip()
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    bad = parsed.isna().to_numpy(bool)
    if bad.any():
        raise _bad_rows_error(column, bad, s, "missing or unreadable dates")
    return parsed.astype("datetime64[ns]").rename(column)


def _to_number(s: pd.Series, column: str) -> pd.Series:
    """Numbers as float; empty cells stay NaN; anything else that is not a finite number is an
    error naming the rows."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        num = s.astype(float)
        missing = num.isna().to_numpy(bool)
    else:
        text = s.astype("string").str.strip()
        missing = (text.isna() | (text == "")).to_numpy(bool)
        num = pd.to_numeric(text.mask(missing), errors="coerce").astype(float)
    bad = ~np.isfinite(num.to_numpy(float)) & ~missing
    if bad.any():
        raise _bad_rows_error(column, bad, s, "values that are not numbers")
    return num


def _assign_channels(raw: pd.DataFrame, rules: FivetranSource) -> tuple[pd.Series, dict[str, str]]:
    """Each row's channel slug, and slug -> display name in output order."""
    if rules.channel_by == "platform":
        platform = raw["platform"].astype("string").str.strip()
        bad = (platform.isna() | (platform == "")).to_numpy(bool)
        if bad.any():
            raise _bad_rows_error("platform", bad, raw["platform"], "empty platform names")
        slugs = platform.map(channel_slug).astype(object)
        firsts = pd.DataFrame({"slug": slugs, "name": platform}).drop_duplicates("slug")
        names = dict(sorted(zip(firsts["slug"], firsts["name"].astype(str), strict=True)))
        return slugs.rename("channel"), names
    return _channels_by_regex(raw["campaign_name"], rules.rules)


def _channels_by_regex(
    campaigns: pd.Series, rules: dict[str, str]
) -> tuple[pd.Series, dict[str, str]]:
    names: dict[str, str] = {}
    compiled: list[tuple[str, re.Pattern[str]]] = []
    for name, pattern in rules.items():
        slug = channel_slug(name)
        if slug in names:
            raise MappingError(
                f"source.fivetran.rules: channels '{names[slug]}' and '{name}' both become "
                f"column prefix '{slug}'",
                "Give the rules names that differ in letters or digits.",
            )
        try:
            compiled.append((slug, re.compile(pattern)))
        except re.error as exc:
            raise MappingError(
                f"source.fivetran.rules: '{name}' is not a valid regular expression "
                f"({pattern!r}: {exc})",
                "Fix the pattern; quote it in YAML, e.g. Search: '(?i)brand|generic'.",
            ) from exc
        names[slug] = name
    text = campaigns.astype(object).where(campaigns.notna(), "").astype(str)
    lookup = {
        campaign: next((slug for slug, rx in compiled if rx.search(campaign)), None)
        for campaign in text.unique()
    }
    slugs = text.map(lookup).astype(object)
    unmatched = slugs.isna().to_numpy(bool)
    if unmatched.any():
        examples = pd.unique(text[unmatched])[:_SHOW]
        raise MappingError(
            f"{int(unmatched.sum())} row(s) match no source.fivetran.rules pattern; campaigns: "
            + ", ".join(f"'{c}'" for c in examples),
            "Add a rule for them, or a catch-all rule last, e.g. Other: '.*'.",
        )
    return slugs.rename("channel"), names


def _sum_keeping_nan(values: pd.DataFrame, keys: list[pd.Series]) -> pd.DataFrame:
    """Group sums that are NaN where any summed value is NaN (a missing cell is not a zero)."""
    sums = values.groupby(keys, sort=True).sum()
    has_nan = values.isna().groupby(keys, sort=True).any()
    return sums.mask(has_nan)
