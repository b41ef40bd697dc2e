"""Report fixtures: one real (tiny) Bayesian fit on synthetic data, fitted once per session.

The data is 48 weeks, so the real data checks raise a ``short_history`` warning that travels
with the result into the report's data-quality warnings.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import mixwise.data.synthetic as syn
from mixwise.cli.app import main
from mixwise.data.pipeline import load_dataset
from mixwise.fitting import fit
from mixwise.model.result import FitResult, load_result
from mixwise.model.spec import ModelSpec
from mixwise.report import Report, assemble_report, write_html

CHROMIUM = Path("/usr/bin/chromium")


def tiny_config() -> syn.SyntheticConfig:
    """48 weeks, three channels with different carry-over and saturation."""
    channels = [
        ch for ch in syn.small_config().channels if ch.name in ("TV", "Paid Search", "Social Media")
    ]
    return syn.SyntheticConfig(
        n_periods=48,
        intercept=400_000.0,
        trend="linear",
        trend_growth=0.05,
        channels=channels,
        noise=0.03,
        seed=48,
    )


TINY_SPEC = {
    "sampler": {"mode": "full", "chains": 2, "draws": 60, "tune": 150, "seed": 3},
    "seasonality": {"yearly_order": 0},
    "holdout": 6,
    "max_draws": 100,
    "lift_tests": [
        {
            "channel": "TV",
            "start": "2022-03-07",
            "end": "2022-04-03",
            "spend_change": 20000.0,
            "kpi_change": 30000.0,
            "sigma": 15000.0,
        }
    ],
}


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved run folder: real data checks, a real (short) NUTS fit."""
    root = tmp_path_factory.mktemp("report-run")
    syn.generate(tiny_config()).save(root / "data")
    dataset = load_dataset(root / "data" / "data.csv", root / "data" / "mapping.yaml")
    result = fit(dataset, ModelSpec.from_dict(TINY_SPEC), engine="bayesian")
    return result.save(root / "run")


@pytest.fixture(scope="session")
def result(run_dir: Path) -> FitResult:
    return load_result(run_dir)


@pytest.fixture(scope="session")
def report(run_dir: Path) -> Report:
    return assemble_report(run_dir)


@pytest.fixture(scope="session")
def report_html(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``build_report``'s output for the run (rendered from the same assembled report)."""
    return write_html(report, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="session")
def approximate_run(result: FitResult, run_dir: Path) -> Path:
    """The same run relabelled as a quick-mode (ADVI) fit, to check the labelling only."""
    from dataclasses import replace

    from mixwise.model.result import Diagnostics

    target = run_dir.parent / "run-approximate"
    shutil.rmtree(target, ignore_errors=True)
    relabelled = replace(
        result,
        diagnostics=Diagnostics(
            approximate=True,
            converged=None,
            verdict="approximate posterior (quick mode): no convergence diagnostics",
        ),
        provenance={**result.provenance, "mode": "quick", "approximate": True, "sampler": "advi"},
    )
    return relabelled.save(target)


@pytest.fixture(scope="session")
def conversions_run(result: FitResult, run_dir: Path) -> Path:
    """The same run read as a conversions KPI (summary recomputed: CPA instead of ROAS)."""
    from dataclasses import replace

    target = run_dir.parent / "run-conversions"
    shutil.rmtree(target, ignore_errors=True)
    return replace(result, kpi_type="conversions").save(target)


@pytest.fixture(scope="session")
def geo_run(result: FitResult, run_dir: Path) -> Path:
    """The run split into two identical half-size geos (a consistent geo-level result:
    halving spend, spend scale and KPI scale halves every contribution)."""
    from dataclasses import replace

    import xarray as xr

    geo = xr.DataArray([0.5, 0.5], dims="geo", coords={"geo": ["north", "south"]})
    params = result.params.copy()
    for name in ("adstock_alpha", "saturation_lam", "beta"):
        params[name] = params[name] * xr.ones_like(geo)
    params["spend_scale"] = result.params["spend_scale"] * geo
    params["kpi_scale"] = result.params["kpi_scale"] * geo
    (test,) = result.spec.lift_tests  # the same test, run in one geo at half size
    north = test.model_copy(
        update={
            "geo": "north",
            "spend_change": test.spend_change / 2,
            "kpi_change": test.kpi_change / 2,
            "sigma": test.sigma / 2,
        }
    )
    split = replace(
        result,
        spec=result.spec.model_copy(update={"lift_tests": [north]}),
        params=params,
        observed=result.observed * geo,
        spend=result.spend * geo,
        contributions=result.contributions * geo,
        baseline=result.baseline * geo,
        fitted=result.fitted * geo,
    )
    target = run_dir.parent / "run-geo"
    shutil.rmtree(target, ignore_errors=True)
    return split.save(target)


@dataclass
class CliRun:
    exit_code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the CLI in-process, as the console script does."""

    def _run(*args: str) -> CliRun:
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        code = exc.value.code if isinstance(exc.value.code, int) else 1
        return CliRun(code, captured.out, captured.err)

    return _run


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; its absence is a failure, never a skip."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: the report tests open the report in a real browser. "
            "Install it (apt-get install chromium; `make test` does this) and re-run."
        )
    return CHROMIUM
