"""The PyMC-Marketing export fits in PyMC-Marketing itself: its script, run with tiny draws."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.data.pipeline import load_dataset
from mixwise.export import export_dataset
from mixwise.model.spec import ModelSpec


def _export(shared: Path, mappings: Path, out: Path, spec: dict) -> Path:
    dataset = load_dataset(
        shared / "pymc_marketing_mmm_example.csv", mappings / "pymc_marketing_mmm_example.yaml"
    )
    export_dataset(dataset, ModelSpec.from_dict(spec), "pymc-marketing", out)
    return out


def _module(path: Path):
    spec = importlib.util.spec_from_file_location("exported_fit", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_carries_the_mapping_and_spec(
    shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    spec = {
        "adstock": {"kind": "delayed", "l_max": 6},
        "saturation": {"kind": "hill"},
        "holdout": 10,
    }
    out = _export(shared_datasets, mappings_dir, tmp_path / "pm", spec)
    m = _module(out / "fit_pymc_marketing.py")
    assert (m.DATE, m.TARGET, m.GEO) == ("date_week", "y", None)
    assert m.CHANNELS == ["x1", "x2"]
    assert m.CONTROLS == ["event_1", "event_2", "trend"]  # events, then the spec's trend
    assert (m.L_MAX, m.HOLDOUT, m.YEARLY_ORDER) == (6, 10, 2)
    assert "DelayedAdstock" in (out / "fit_pymc_marketing.py").read_text()
    data = pd.read_csv(out / "data.csv")
    assert list(data.columns) == ["date_week", "y", "x1", "x2", "event_1", "event_2", "trend"]
    assert data["trend"].tolist() == list(range(179))
    assert len(m.load()) == 179 - 10  # the holdout is left out of the fit


@pytest.mark.slow
def test_exported_script_fits_in_pymc_marketing(
    shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    out = _export(shared_datasets, mappings_dir, tmp_path / "pm", {"holdout": 8})
    mmm = _module(out / "fit_pymc_marketing.py").main(
        ["--draws", "20", "--tune", "20", "--chains", "1", "--seed", "3"]
    )
    posterior = mmm.idata.posterior
    assert [str(c) for c in posterior["channel"].values] == ["x1", "x2"]
    assert posterior.sizes["draw"] == 20
    beta = posterior["saturation_beta"].values
    assert np.isfinite(beta).all() and (beta > 0).all()
    assert mmm.idata.fit_data.sizes["date_week"] == 179 - 8  # fitted without the holdout
