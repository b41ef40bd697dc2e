"""The main job on built-in data: synthetic data -> checks -> Bayesian fit -> run folder ->
report -> recommended budget, with the estimated ROAS compared to the known truth.

The data is synthetic (``mixwise.data.synthetic``, preset ``demo``), so the demo can prove recovery:
every channel's true ROAS is known and printed next to the estimate and its interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mixwise.data.pipeline import load_dataset
from mixwise.files import write_json_atomic
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress, no_progress
from mixwise.service import planning, tables
from mixwise.service.fitted import RunFolder
from mixwise.service.fitting import fit_and_save, scaled
from mixwise.service.reports import write_report
from mixwise.service.schemas.plans import OptimizeIn

DEMO_SEED = 20240601
DEMO_SAMPLER = {"chains": 4, "draws": 1000, "tune": 1000, "target_accept": 0.95}
"""Enough for R-hat <= 1.01 on the demo data with nutpie, and under 3 minutes on 2 cores."""


@dataclass
class DemoOutcome:
    """Where the demo wrote everything, and how the estimates compare with the truth."""

    out: Path
    data_dir: Path
    run_dir: Path
    report: Path
    plan: Path
    recovery: pd.DataFrame
    summary: dict[str, Any]


def recovery_table(summary: dict[str, Any], truth: pd.DataFrame) -> pd.DataFrame:
    """Per channel: true ROAS, estimated mean and interval, relative error, truth inside."""
    rows = []
    truth = truth.set_index("channel") if "channel" in truth.columns else truth
    for name, ch in summary["channels"].items():
        true = float(truth.loc[name, "roas"])
        est = ch["roas"]
        rows.append(
            {
                "channel": name,
                "true_roas": true,
                "estimated_roas": est["mean"],
                "lo": est["lo"],
                "hi": est["hi"],
                "relative_error": (est["mean"] - true) / true,
                "truth_inside": bool(est["lo"] <= true <= est["hi"]),
            }
        )
    return pd.DataFrame(rows)


def run_demo(
    out: str | Path,
    *,
    seed: int = DEMO_SEED,
    sampler: dict[str, Any] | None = None,
    progress: Progress = no_progress,
) -> DemoOutcome:
    """Generate, validate, fit, and write data, run, report and plan under ``out``."""
    out = Path(out)
    progress("data", 0.0, "generating the demo data (3 years weekly, 5 channels)")
    data_dir = out / "data"
    synthetic = tables.synthesize("demo", seed, data_dir)
    spec = ModelSpec.from_dict({"sampler": {**DEMO_SAMPLER, **(sampler or {}), "seed": seed}})
    run_dir = out / "run"
    result, _ = fit_and_save(
        lambda: load_dataset(data_dir / "data.csv", data_dir / "mapping.yaml"),
        spec,
        lambda r: r.save(run_dir),
        progress=scaled(progress, 0.05, 0.8),
    )
    summary = result.summary_dict()
    progress("budget", 0.88, "optimizing the budget")
    model = RunFolder(run_dir)
    optimum = planning.run_optimize(model, recommended_budget(result))
    plan_path = write_json_atomic(
        out / "plan.json",
        planning.optimize_out(model.model_id, optimum).plan,
    )
    progress("report", 0.94, "writing the report")
    report = write_report(model, out / "report.html", plan=optimum).html
    progress("done", 1.0, "done")
    return DemoOutcome(
        out=out,
        data_dir=data_dir,
        run_dir=run_dir,
        report=report,
        plan=plan_path,
        recovery=recovery_table(summary, synthetic.truth_frame()),
        summary=summary,
    )


def recommended_budget(result: FitResult) -> OptimizeIn:
    """The optimizer request for the last quarter's budget over the next quarter (13 weeks or
    90 days, as in the report)."""
    periods = 13 if result.frequency == "weekly" else 90
    budget = float(result.spend.isel(time=slice(-periods, None)).sum())
    return OptimizeIn(budget=budget, periods=periods)
