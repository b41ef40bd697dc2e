"""Propose a mapping from column names and contents (``mixwise init-mapping``).

The guess is a starting point that the user reviews: every decision is returned as a note in
plain words ("'tv_S' looks like spend (suffix _S): channel 'tv'").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from pydantic import ValidationError

from mixwise.data.mapping import ChannelMap, KPIMap, Mapping
from mixwise.errors import MappingError

DATE_NAMES = ("date", "ds", "week", "date_week", "time", "day", "date_day", "period", "month")
KPI_NAMES = ("revenue", "sales", "conversions", "y", "kpi", "orders", "target")
CONVERSION_NAMES = ("conversions", "orders", "signups", "installs", "leads")
GEO_NAMES = ("geo", "region", "dma", "state", "country", "market", "city")
POPULATION_NAMES = ("population", "pop")
RPC_NAMES = ("revenue_per_conversion", "revenue_per_kpi", "aov")
SPEND_RE = re.compile(r"^(?P<ch>.+?)(?:[_ ](?:spend|cost|costs)|_S)$", re.IGNORECASE)
EXPOSURE_RE = re.compile(
    r"^(?P<ch>.+?)(?:[_ ](?P<kind>impressions|impression|clicks|grps?|reach|frequency)"
    r"|_(?P<short>I|P))$",
    re.IGNORECASE,
)
ORGANIC_HINTS = ("newsletter", "organic", "email", "promo", "seo")
EXPOSURE_PRIORITY = ("impressions", "clicks", "grps", "reach", "frequency")
IGNORED_NAMES = ("t", "dayofyear", "index", "year", "week_number")


@dataclass
class ProposedMapping:
    """A guessed mapping and the reasons for each guess."""

    mapping: Mapping
    notes: list[str] = field(default_factory=list)


def _norm(name: str) -> str:
    return name.strip().lower()


def pick_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The first of ``columns`` whose name (stripped, lower case) is one of ``names``, in the
    order of ``names``."""
    lowered = {_norm(c): c for c in columns}
    for n in names:
        if n in lowered:
            return lowered[n]
    return None


def _is_numeric(s: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(s):
        return True
    converted = pd.to_numeric(s.dropna().astype(str).str.strip(), errors="coerce")
    return len(converted) > 0 and bool(converted.notna().all())


def _is_dummy(s: pd.Series) -> bool:
    values = pd.to_numeric(s.dropna().astype(str), errors="coerce")
    return bool(values.notna().all()) and set(values.unique()) <= {0.0, 1.0} and len(values) > 0


def _channel_label(stem: str) -> str:
    return stem.strip("_ ").replace("_", " ") or stem


def propose_mapping(frame: pd.DataFrame) -> ProposedMapping:
    """Guess roles from names (``date``/``DATE``/``week``/``time``; ``revenue``/``sales``/
    ``conversions``/``y``; ``*_spend``/``*_S``/``*_cost``; ``*_impressions``/``*_I``/``*_clicks``;
    ``geo``/``region``/``dma``) and contents (0/1 columns are events, text columns are categorical
    events, other numeric columns are controls)."""
    cols = [str(c) for c in frame.columns]
    notes: list[str] = []
    date = pick_column(cols, DATE_NAMES) or next(
        (
            c
            for c in cols
            if pd.to_datetime(frame[c], errors="coerce").notna().mean() > 0.95
            and not _is_numeric(frame[c])
        ),
        None,
    )
    if date is None:
        raise MappingError(
            "no date column found (looked for date, DATE, week, time, ds, ... and for a column "
            "of parseable dates)",
            "Rename the date column to 'date' or write the mapping by hand (see docs/data.md).",
        )
    notes.append(f"date: '{date}'")
    kpi_col = pick_column(cols, KPI_NAMES)
    if kpi_col is None:
        raise MappingError(
            "no KPI column found (looked for revenue, sales, conversions, y, kpi, orders)",
            "Rename the KPI column or set `kpi.column` in the mapping by hand.",
        )
    kpi_type = "conversions" if _norm(kpi_col) in CONVERSION_NAMES else "revenue"
    rpc = pick_column(cols, RPC_NAMES) if kpi_type == "conversions" else None
    notes.append(
        f"KPI: '{kpi_col}' ({kpi_type})" + (f", revenue per conversion '{rpc}'" if rpc else "")
    )
    geo = pick_column(cols, GEO_NAMES)
    if geo:
        notes.append(f"geo: '{geo}'")
    population = pick_column(cols, POPULATION_NAMES)
    used = {c for c in (date, kpi_col, rpc, geo, population) if c}

    spends: dict[str, str] = {}
    for c in cols:
        m = SPEND_RE.match(c)
        if c not in used and m and _is_numeric(frame[c]):
            spends[_norm(m.group("ch"))] = c
    exposures: dict[str, list[tuple[str, str]]] = {}
    for c in cols:
        m = EXPOSURE_RE.match(c)
        if c in used or c in spends.values() or not m or not _is_numeric(frame[c]):
            continue
        kind = m.group("kind") or {"I": "impressions", "P": "clicks"}[m.group("short").upper()]
        kind = {"impression": "impressions", "grp": "grps"}.get(kind.lower(), kind.lower())
        exposures.setdefault(_norm(m.group("ch")), []).append((c, kind))
    if not spends:
        spends = _fallback_spends(frame, cols, used)
        notes.append(
            "no *_spend / *_S / *_cost columns: guessed channels from the remaining "
            "non-negative numeric columns; review them"
        )
    channels: list[ChannelMap] = []
    for stem, spend_col in spends.items():
        key = (
            stem
            if stem in exposures
            else next((k for k in exposures if k.startswith(stem + "_")), None)
        )  # Robyn: search_clicks_P
        options = sorted(
            exposures.pop(key, []) if key else [], key=lambda e: EXPOSURE_PRIORITY.index(e[1])
        )
        exp = options[0] if options else None
        if exp and exp[1] not in ("impressions", "clicks", "grps"):
            exp = None
        channels.append(
            ChannelMap(
                name=_channel_label(spend_col[: len(stem)]),
                spend=spend_col,
                exposure=exp[0] if exp else None,
                exposure_type=exp[1] if exp else None,  # type: ignore[arg-type]
            )
        )
        notes.append(
            f"channel '{channels[-1].name}': spend '{spend_col}'"
            + (f", exposure '{exp[0]}' ({exp[1]})" if exp else "")
        )
        for col, kind in options:
            if not exp or col != exp[0]:
                used.add(col)
                notes.append(f"ignored: '{col}' ({kind} of channel '{channels[-1].name}')")
    used |= set(spends.values()) | {c.exposure for c in channels if c.exposure}
    controls, organic, events = [], [], []
    for c in cols:
        if c in used or c.strip() == "" or c.startswith("Unnamed") or _norm(c) in IGNORED_NAMES:
            continue
        s = frame[c]
        if any(c == col for opts in exposures.values() for col, _ in opts):
            organic.append(c)
            notes.append(f"organic: '{c}' (exposure without a matching spend column)")
        elif _is_dummy(s):
            events.append(c)
            notes.append(f"event: '{c}' (0/1 dummy)")
        elif not _is_numeric(s):
            events.append(c)
            notes.append(f"event: '{c}' (categorical)")
        elif any(h in _norm(c) for h in ORGANIC_HINTS):
            organic.append(c)
            notes.append(f"organic: '{c}' (name suggests an organic / non-media variable)")
        else:
            controls.append(c)
            notes.append(f"control: '{c}' (other numeric column)")
    if not channels:
        raise MappingError(
            "no spend column found (looked for columns named like *_spend, *_cost, and for "
            "non-negative numeric columns besides the date and the KPI)",
            "Name each channel's spend column like 'tv_spend', or write the mapping by hand.",
        )
    try:
        mapping = Mapping(
            date=date,
            geo=geo,
            population=population,
            kpi=KPIMap(column=kpi_col, type=kpi_type, revenue_per_conversion=rpc),  # type: ignore[arg-type]
            channels=channels,
            controls=controls,
            organic=organic,
            events=events,
        )
    except ValidationError as exc:  # column names the mapping cannot hold
        raise MappingError(
            f"no valid mapping could be proposed: {exc.errors()[0]['msg']}",
            "Write the mapping by hand (see docs/data.md).",
        ) from None
    return ProposedMapping(mapping=mapping, notes=notes)


def _fallback_spends(frame: pd.DataFrame, cols: list[str], used: set[str]) -> dict[str, str]:
    """Channels when no column is named like spend: non-negative, non-dummy numeric columns."""
    out: dict[str, str] = {}
    for c in cols:
        if c in used or c.startswith("Unnamed") or _norm(c) in IGNORED_NAMES or not c.strip():
            continue
        s = frame[c]
        if not _is_numeric(s) or _is_dummy(s):
            continue
        values = pd.to_numeric(s.astype(str), errors="coerce")
        if bool((values >= 0).all()):
            out[c] = c
    return out
