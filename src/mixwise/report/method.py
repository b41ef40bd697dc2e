"""Section 8, Method: enough to reproduce the run (spec, priors, engine, seed, data)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Code, Paragraph, Section, Table


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
        ("Stored posterior draws", inp.result.n_draws),
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
    engine_lib = "pymc-marketing" if "pymc-marketing" in versions else "engine"
    note = (
        "Priors set in the spec. Every parameter not listed uses the default prior of "
        f"{engine_lib} {versions.get(engine_lib, '')} for the chosen adstock "
        f"({inp.result.spec.adstock.kind}) and saturation ({inp.result.spec.saturation.kind})."
    )
    return Table("priors", "Priors", frame, {}, note=note)


def lift_tests(inp: ReportInputs) -> Table | None:
    tests = inp.result.spec.to_dict(full=True).get("lift_tests") or []
    if not tests:
        return None
    return Table("lift_tests", "Lift tests used for calibration", pd.DataFrame(tests), {})


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
