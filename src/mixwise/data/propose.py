"""Source-level entry points used by the CLI and the service: propose a mapping for a file and
validate a file against a mapping of either kind (a model dataset or a holiday calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from mixwise.data.findings import ValidationReport
from mixwise.data.fivetran import fivetran_mapping
from mixwise.data.holidays import check_holiday_table
from mixwise.data.infer import propose_mapping
from mixwise.data.loaders import read_table
from mixwise.data.mapping import HolidayTableMapping, Mapping, SourceSpec, load_any_mapping
from mixwise.data.pipeline import validate

FIVETRAN_COLUMNS = frozenset({"date_day", "platform", "campaign_name", "spend", "impressions"})
HOLIDAY_COLUMNS = ("ds", "holiday", "country")


@dataclass(frozen=True)
class Proposal:
    yaml: str
    notes: list[str]


def propose_for_source(source: str | Path | pd.DataFrame) -> Proposal:
    """Read ``source`` and propose a mapping: Fivetran ``ad_reporting`` long format and holiday
    calendars are recognised by their columns; anything else goes through ``propose_mapping``."""
    raw = source if isinstance(source, pd.DataFrame) else read_table(source, SourceSpec())
    cols = {str(c) for c in raw.columns}
    if cols >= FIVETRAN_COLUMNS:
        fivetran = fivetran_mapping(raw, None)
        notes = [
            "Fivetran ad_reporting long format: one channel per platform (edit "
            "source.fivetran to group campaigns by regular expressions instead)"
        ]
        notes += [f"channel '{c.name}': spend '{c.spend}'" for c in fivetran.channels]
        return Proposal(yaml=fivetran.to_yaml(), notes=notes)
    if set(HOLIDAY_COLUMNS) <= cols and "year" in cols and len(cols) <= 5:
        hol = HolidayTableMapping(
            kind="holidays", date="ds", holiday="holiday", country="country", year="year"
        )
        text = yaml.safe_dump(hol.model_dump(exclude_none=True), sort_keys=False)
        return Proposal(yaml=text, notes=["holiday calendar (date, holiday, country)"])
    proposal = propose_mapping(raw)
    return Proposal(yaml=proposal.mapping.to_yaml(), notes=proposal.notes)


def validate_any(
    source: str | Path | pd.DataFrame, mapping: str | Path | Mapping
) -> ValidationReport:
    """Validate a model dataset or a holiday calendar, by the mapping's ``kind``."""
    m = mapping if isinstance(mapping, Mapping) else load_any_mapping(mapping)
    if isinstance(m, HolidayTableMapping):
        raw = source if isinstance(source, pd.DataFrame) else read_table(source, SourceSpec())
        return ValidationReport(check_holiday_table(raw, m))
    return validate(source, m)
