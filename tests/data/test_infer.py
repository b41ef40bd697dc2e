"""Mapping proposals from column names and contents."""

from __future__ import annotations

import pandas as pd
import pytest

from mixwise.data.infer import propose_mapping
from mixwise.errors import MappingError


def _frame(**cols: list) -> pd.DataFrame:
    return pd.DataFrame(cols)


def test_suffix_rules_and_roles() -> None:
    df = _frame(
        week=["2024-01-01", "2024-01-08"],
        sales=[10.0, 12.0],
        tv_spend=[1.0, 0.0],
        social_cost=[2.0, 3.0],
        social_impressions=[100, 120],
        region=["N", "N"],
        price=[9.9, 9.8],
        promo_flag=[0, 1],
        newsletter=[3, 4],
    )
    p = propose_mapping(df).mapping
    assert p.date == "week" and p.kpi.column == "sales" and p.kpi.type == "revenue"
    assert p.geo == "region"
    assert {c.name: c.spend for c in p.channels} == {"tv": "tv_spend", "social": "social_cost"}
    social = next(c for c in p.channels if c.name == "social")
    assert social.exposure == "social_impressions"
    assert p.controls == ["price"] and p.events == ["promo_flag"] and p.organic == ["newsletter"]


def test_conversions_kpi_type() -> None:
    df = _frame(date=["2024-01-01"], conversions=[5], search_S=[1.0])
    assert propose_mapping(df).mapping.kpi.type == "conversions"


def test_no_date_is_a_clear_error() -> None:
    with pytest.raises(MappingError, match="no date column"):
        propose_mapping(_frame(revenue=[1.0], tv_spend=[2.0]))


def test_no_kpi_is_a_clear_error() -> None:
    with pytest.raises(MappingError, match="no KPI column"):
        propose_mapping(_frame(date=["2024-01-01"], tv_spend=[2.0]))
