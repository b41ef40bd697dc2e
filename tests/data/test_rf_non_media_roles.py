"""Reach & frequency channels and non-media treatments in the mapping and the dataset, and the
engines that do not model them refusing them by field name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset
from mixwise.engines.base import engine_capabilities
from mixwise.errors import MappingError
from mixwise.model.spec import ModelSpec, SpecFieldError

RF = {
    "date": "time",
    "kpi": {"column": "conversions", "type": "conversions"},
    "channels": [
        {"name": "Channel0", "spend": "Channel0_spend"},
        {
            "name": "Channel3",
            "spend": "Channel3_spend",
            "reach": "Channel3_reach",
            "frequency": "Channel3_frequency",
        },
    ],
    "controls": ["sentiment_score_control"],
}


def test_reach_needs_frequency() -> None:
    bad = {**RF, "channels": [{"name": "C", "spend": "s", "reach": "r"}]}
    with pytest.raises(MappingError, match="channel 'C' has reach but no frequency"):
        Mapping.from_dict(bad)


def test_rf_and_non_media_roles_reach_the_dataset(shared_datasets: Path, tmp_path: Path) -> None:
    mapping = Mapping.from_dict(RF)
    assert mapping.rf_channels == ["Channel3"]
    roles = dict((c, r) for r, c in mapping.role_columns())
    assert roles["Channel3_reach"] == "reach" and roles["Channel3_frequency"] == "frequency"
    ds = load_dataset(shared_datasets / "meridian_national_media_rf.csv", mapping)
    x = ds.to_xarray()
    raw = pd.read_csv(shared_datasets / "meridian_national_media_rf.csv")
    assert list(x["reach"]["rf_channel"].values) == ["Channel3"]
    assert x["reach"].sel(rf_channel="Channel3").values.ravel()[:3].tolist() == pytest.approx(
        raw["Channel3_reach"].head(3).tolist()
    )
    nm = Mapping.from_dict(
        {
            **RF,
            "channels": RF["channels"][:1],
            "controls": [],
            "non_media": ["sentiment_score_control"],
        }
    )
    assert ("non_media", "sentiment_score_control") in nm.role_columns()
    ds2 = load_dataset(shared_datasets / "meridian_national_media_rf.csv", nm)
    assert "non_media" in ds2.to_xarray()


@pytest.mark.parametrize(
    ("engine", "mapping", "field"),
    [
        ("bayesian", RF, "mapping.channels.Channel3.reach"),
        ("ridge", RF, "mapping.channels.Channel3.reach"),
        ("meridian", RF, "mapping.channels.Channel3.reach"),
        (
            "ridge",
            {
                **RF,
                "channels": RF["channels"][:1],
                "non_media": ["sentiment_score_control"],
                "controls": [],
            },
            "mapping.non_media",
        ),
    ],
)
def test_engines_refuse_roles_they_do_not_model(
    shared_datasets: Path, engine: str, mapping: dict, field: str
) -> None:
    ds: MMMDataset = load_dataset(
        shared_datasets / "meridian_national_media_rf.csv", Mapping.from_dict(mapping)
    )
    with pytest.raises(SpecFieldError) as err:
        engine_capabilities(engine).check(engine, ModelSpec(), ds)
    assert err.value.fields == [field]


def test_fingerprints_of_mappings_without_the_new_roles_do_not_change() -> None:
    """Data mapped before reach/frequency and non-media existed keeps its fingerprint: the
    identity JSON leaves the unused roles out (and names them when used)."""
    plain = Mapping.from_dict({**RF, "channels": RF["channels"][:1]})
    assert '"non_media"' not in plain.identity_json() and '"reach"' not in plain.identity_json()
    used = Mapping.from_dict({**RF, "non_media": ["Promo"]})
    assert '"non_media":["Promo"]' in used.identity_json()
    assert '"reach":"Channel3_reach"' in used.identity_json()
