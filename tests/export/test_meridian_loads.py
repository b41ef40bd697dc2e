"""The Meridian export loads with Meridian's own loader, in the Meridian environment: the
exported ``fit_meridian.py``'s ``load_data()`` (``CsvDataLoader``) and ``build()`` (``Meridian``
with the holdout and max_lag) run there without sampling, and what Meridian read is compared to
the exported CSV (totals to 1e-6 relative; channel, control and geo names exactly).

Needs the Meridian environment (`mixwise engines install meridian`; `make test` installs it):
a missing one fails with the install command, as in tests/engines/meridian."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.pipeline import load_dataset
from mixwise.engines.meridian import environment
from mixwise.export import export_dataset
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # imports TensorFlow in a subprocess (about half a minute)

PROBE = """
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("fit_meridian", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
data = mod.load_data()
mmm = mod.build(data)
def names(a):
    return None if a is None else [str(v) for v in a.values]
print(json.dumps({
    "kpi_shape": list(data.kpi.shape),
    "kpi_total": float(data.kpi.values.sum()),
    "geos": names(data.kpi.coords["geo"]),
    "n_times": int(data.kpi.sizes["time"]),
    "media_channels": names(data.media.coords["media_channel"]),
    "media_total": float(data.media.values.sum()),
    "spend_total": float(np.asarray(data.media_spend).sum()),
    "controls": names(data.controls.coords["control_variable"])
        if data.controls is not None else [],
    "organic": names(data.organic_media.coords["organic_media_channel"])
        if data.organic_media is not None else [],
    "revenue_per_kpi_total": None if data.revenue_per_kpi is None
        else float(data.revenue_per_kpi.values.sum()),
    "population_total": float(data.population.values.sum()),
    "holdout_periods": int(np.asarray(mmm.model_spec.holdout_id).reshape(-1, mmm.n_times)[0].sum())
        if mmm.model_spec.holdout_id is not None else 0,
    "max_lag": int(mmm.model_spec.max_lag),
}))
"""


def _load_in_meridian(script: Path) -> dict[str, object]:
    python = environment.require()
    proc = subprocess.run(
        [str(python), "-c", PROBE, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("name", "holdout"),
    [("meridian_geo_all_channels", 4), ("meridian_national_all_channels", 0)],
)
def test_meridian_export_loads_with_meridians_own_loader(
    name: str, holdout: int, shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    dataset = load_dataset(shared_datasets / f"{name}.csv", mappings_dir / f"{name}.yaml")
    spec = ModelSpec.from_dict({"holdout": holdout, "adstock": {"l_max": 6}})
    export_dataset(dataset, spec, "meridian", tmp_path)
    got = _load_in_meridian(tmp_path / "fit_meridian.py")

    csv = pd.read_csv(tmp_path / "data.csv")
    m = dataset.mapping
    n_geos = csv["geo"].nunique() if "geo" in csv else 1
    n_times = csv["time"].nunique()
    assert got["kpi_shape"] == [n_geos, n_times]
    assert got["n_times"] == n_times
    if "geo" in csv:
        assert sorted(got["geos"]) == sorted(csv["geo"].unique())  # type: ignore[arg-type]
    assert got["media_channels"] == [c.name for c in m.channels]
    assert got["controls"] == list(m.controls)
    assert got["organic"] == list(m.organic)
    rel = 1e-6
    assert got["kpi_total"] == pytest.approx(csv[m.kpi.column].sum(), rel=rel)
    exposure = [c.exposure or c.spend for c in m.channels]
    assert got["media_total"] == pytest.approx(csv[exposure].to_numpy().sum(), rel=rel)
    spend = [c.spend for c in m.channels]
    assert got["spend_total"] == pytest.approx(csv[spend].to_numpy().sum(), rel=rel)
    if m.kpi.revenue_per_conversion:
        expected = csv[m.kpi.revenue_per_conversion].sum()
        assert got["revenue_per_kpi_total"] == pytest.approx(expected, rel=rel)
    if m.population:
        per_geo = csv.groupby("geo")[m.population].first().sum()
        assert got["population_total"] == pytest.approx(per_geo, rel=rel)
    assert got["holdout_periods"] == holdout
    assert got["max_lag"] == 5  # l_max 6 weights: lags 0..5, as the engine fits
