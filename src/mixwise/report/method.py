"""Section 8, Method: enough to reproduce the run (spec, priors, engine, seed, data)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from mixwise.model.lift import DISAGREE_Z, lift_table
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Code, ColumnFormat, Paragraph, Section, Table
from mixwise.report.tables import est_formats, triple


def run_table(inp: ReportInputs) -> Table:
    prov = inp.result.provenance
    periods = prov.get("periods", {})
    rows: list[tuple[str, Any]] = [
        ("Engine", prov.get("engine")),
        ("Sampler", prov.get("sampler")),
        ("Mode", "approximate (quick, ADVI)" if inp.result.approximate else prov.get("mode")),
        ("Seed", prov.get("seed")),
        ("Data fingerprint", prov.get("data_fingerprint")),
        ("Data period", f"{periods.get('start')} to {periods.get('end')}"),
        ("Training ends", periods.get("train_end")),
        ("Holdout periods", periods.get("holdout")),
        ("Frequency", inp.result.frequency),
        ("KPI type", inp.result.kpi_type),
        (f"Stored {inp.draws}", inp.result.n_draws),
        ("Interval kind", inp.interval_kind),
        ("Interval level", inp.interval),
        ("Regressors", ", ".join(prov.get("regressors", [])) or "none"),
        ("Created", prov.get("created_at")),
        ("Run folder", str(inp.run_dir)),
    ]
    timings = prov.get("timings") or {}
    if timings:
        rows.append(("Timings (s)", ", ".join(f"{k} {v}" for k, v in timings.items())))
    rows += [("Note", n) for n in prov.get("notes", [])]
    frame = pd.DataFrame([{"Item": k, "Value": "" if v is None else str(v)} for k, v in rows])
    return Table("run", "Run", frame, {})


def versions_table(inp: ReportInputs) -> Table:
    versions = inp.result.provenance.get("versions") or {}
    frame = pd.DataFrame(
        [{"Package": k, "Version": str(v)} for k, v in versions.items()],
        columns=["Package", "Version"],
    )
    return Table("versions", "Software versions", frame, {})


def _prior_text(prior: dict[str, Any]) -> str:
    kwargs = prior.get("kwargs", {})
    args = ", ".join(
        f"{k}={_prior_text(v) if isinstance(v, dict) else v}" for k, v in kwargs.items()
    )
    return f"{prior.get('dist')}({args})"


def priors_table(inp: ReportInputs) -> Table:
    spec = inp.result.spec.to_dict(full=True)
    rows = [
        {"Scope": "all channels / model", "Parameter": k, "Prior": _prior_text(v)}
        for k, v in (spec.get("priors") or {}).items()
    ]
    for ch, cs in (spec.get("channels") or {}).items():
        rows += [
            {"Scope": ch, "Parameter": k, "Prior": _prior_text(v)}
            for k, v in (cs.get("priors") or {}).items()
        ]
        for kind in ("roas", "cpa"):
            if cs.get(kind):
                r = cs[kind]
                rows.append(
                    {
                        "Scope": ch,
                        "Parameter": f"{kind.upper()} (calibration)",
                        "Prior": f"Normal(mean={r['mean']}, sigma={r['sigma']})",
                    }
                )
    recorded = inp.result.provenance.get("priors")
    if isinstance(recorded, dict):  # engines that record their effective priors
        rows += [
            {
                "Scope": "effective",
                "Parameter": k,
                "Prior": _prior_text(v) if isinstance(v, dict) else str(v),
            }
            for k, v in recorded.items()
        ]
    frame = pd.DataFrame(rows, columns=["Scope", "Parameter", "Prior"])
    versions = inp.result.provenance.get("versions") or {}
    engine_lib = next(
        (lib for lib in ("pymc-marketing", "google-meridian") if lib in versions), "engine"
    )
    note = (
        "Priors set in the spec. Every parameter not listed uses the default prior of "
        f"{engine_lib} {versions.get(engine_lib, '')} for the chosen adstock "
        f"({inp.result.spec.adstock.kind}) and saturation ({inp.result.spec.saturation.kind})."
    )
    return Table("priors", "Priors", frame, {}, note=note)


def lift_tests(inp: ReportInputs) -> Table | None:
    """Each calibration experiment: measured KPI change next to the fitted one."""
    rows = inp.summary.get("lift_tests")
    if rows is None:  # summaries written before lift tests were summarised
        rows = lift_table(inp.result, inp.interval)
    if not rows:
        return None
    records = [
        {
            "Channel": r["channel"],
            "Geo": r["geo"] or "",
            "Start": r["start"],
            "End": r["end"],
            "Spend change": r["spend_change"],
            "Measured": r["measured"],
            "Standard error": r["sigma"],
            "Fitted mean": r["fitted"]["mean"],
            "Fitted low": r["fitted"]["lo"],
            "Fitted high": r["fitted"]["hi"],
            "z": r["z"],
            "Agrees": "yes" if r["agrees"] else "no: the model and the test disagree",
        }
        for r in rows
    ]
    frame = pd.DataFrame(records)
    formats: dict[str, ColumnFormat] = {
        "Spend change": "money",
        "Measured": "kpi",
        "Standard error": "kpi",
        "z": "num",
    }
    if inp.result.geos is None:
        frame = frame.drop(columns="Geo")
    return Table(
        "lift_tests",
        "Lift tests: measured vs fitted",
        frame,
        formats | est_formats("Fitted", "kpi"),
        intervals=(triple("Fitted"),),
        note=(
            "Fitted = the KPI change over the test window the model predicts for the test's "
            "spend change (the quantity the calibration likelihood compares with the "
            f"measurement); z = (fitted mean - measured) / standard error, |z| > {DISAGREE_Z:g} "
            "flagged."
        ),
    )


def reproduce(inp: ReportInputs) -> Code:
    prov = inp.result.provenance
    cmd = (
        "# the same data (check its fingerprint), the spec below saved as spec.yaml:\n"
        f"mixwise fit DATA --mapping MAPPING --spec spec.yaml --engine {prov.get('engine')} "
        f"--seed {prov.get('seed')} --out RUN\n"
        f"# data fingerprint: {prov.get('data_fingerprint')}"
    )
    return Code("How to reproduce", cmd)


def section(inp: ReportInputs) -> Section:
    spec_yaml = inp.result.spec.to_yaml(full=True)
    blocks = [
        run_table(inp),
        versions_table(inp),
        priors_table(inp),
        lift_tests(inp),
        Paragraph("The model, as fitted (every default filled in):"),
        Code("Model spec (spec.yaml)", spec_yaml),
        reproduce(inp),
        Code(
            "Fit metrics and diagnostics (summary.json)",
            json.dumps({k: inp.summary.get(k) for k in ("fit", "diagnostics")}, indent=2),
        ),
    ]
    return Section(
        "method",
        "Method",
        tuple(b for b in blocks if b is not None),
        "What was fitted and how, so the run can be checked and reproduced.",
    )
