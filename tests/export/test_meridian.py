"""The Meridian export has the shape of Meridian's own simulated CSVs (the files CsvDataLoader
reads in Meridian's docs), and its script names only CoordToColumns / CsvDataLoader fields."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.data.pipeline import load_dataset
from mixwise.export import export_dataset
from mixwise.model.spec import ModelSpec

# The fields of CoordToColumns and the arguments of CsvDataLoader.__init__ in
# meridian/data/load.py of google/meridian (commit 8ca83f6b2ffd0230264bc3e3e968b1f0a1c4f9d7).
COORD_TO_COLUMNS_FIELDS = {
    "time",
    "geo",
    "kpi",
    "controls",
    "revenue_per_kpi",
    "population",
    "media",
    "media_spend",
    "reach",
    "frequency",
    "rf_spend",
    "non_media_treatments",
    "organic_media",
    "organic_reach",
    "organic_frequency",
}
CSV_DATA_LOADER_ARGS = {
    "csv_path",
    "coord_to_columns",
    "kpi_type",
    "media_to_channel",
    "media_spend_to_channel",
    "reach_to_channel",
    "frequency_to_channel",
    "rf_spend_to_channel",
    "organic_reach_to_channel",
    "organic_frequency_to_channel",
    "currency_code",
}


def _export(shared: Path, mappings: Path, name: str, out: Path) -> tuple[pd.DataFrame, Path]:
    dataset = load_dataset(shared / f"{name}.csv", mappings / f"{name}.yaml")
    export_dataset(dataset, ModelSpec.from_dict({"holdout": 4}), "meridian", out)
    return pd.read_csv(shared / f"{name}.csv"), out


@pytest.mark.parametrize("name", ["meridian_national_all_channels", "meridian_geo_all_channels"])
def test_meridian_csv_has_the_shape_of_meridians_examples(
    name: str, shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    original, out = _export(shared_datasets, mappings_dir, name, tmp_path / "m")
    original = original.drop(columns=[c for c in original.columns if c.startswith("Unnamed")])
    exported = pd.read_csv(out / "data.csv")
    assert set(exported.columns) == set(original.columns)
    assert exported.shape == original.shape
    keys = [c for c in ("geo", "time") if c in original.columns]
    a = original.sort_values(keys).reset_index(drop=True)
    b = exported.sort_values(keys).reset_index(drop=True)[a.columns]
    assert (a["time"] == b["time"]).all()
    numeric = [c for c in a.columns if c not in keys]
    np.testing.assert_allclose(b[numeric].to_numpy(float), a[numeric].to_numpy(float), rtol=1e-9)


def test_meridian_script_uses_only_meridians_names(
    shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    _, out = _export(shared_datasets, mappings_dir, "meridian_geo_all_channels", tmp_path / "m")
    script = (out / "fit_meridian.py").read_text()
    compile(script, "fit_meridian.py", "exec")
    coords = script.split("load.CoordToColumns(", 1)[1].split("\n)\n", 1)[0]
    fields = dict(re.findall(r"^    (\w+)=(.+?)(?=^    \w+=|\Z)", coords, flags=re.M | re.S))
    assert set(fields) <= COORD_TO_COLUMNS_FIELDS
    columns = set(pd.read_csv(out / "data.csv", nrows=1).columns)
    named = set(re.findall(r"'([^']*)'", coords))
    assert named == columns  # every column has a role, every role a column
    assert fields["geo"].strip().rstrip(",") == "'geo'"
    assert "'Channel0_impression'" in fields["media"]
    assert "'Channel0_spend'" in fields["media_spend"]
    assert "'revenue_per_conversion'" in fields["revenue_per_kpi"]
    assert "'population'" in fields["population"]
    loader = script.split("load.CsvDataLoader(", 1)[1].split(")\n", 1)[0]
    assert set(re.findall(r"(\w+)=", loader)) <= CSV_DATA_LOADER_ARGS
    assert "KPI_TYPE = 'non_revenue'" in script and "HOLDOUT = 4" in script
