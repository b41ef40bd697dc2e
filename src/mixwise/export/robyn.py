"""Export to Robyn (R): ``data.csv`` with exactly the columns ``robyn_inputs`` is told about
(date, KPI, spend, exposure, context, organic; names made R-safe) and ``fit_robyn.R``, which
calls ``robyn_inputs`` (argument names as Robyn's ``R/R/inputs.R`` documents them),
``robyn_run`` and ``robyn_outputs``.

Roles: KPI -> ``dep_var`` (``dep_var_type`` revenue or conversion); spend ->
``paid_media_spends``; exposure (else the spend) -> ``paid_media_vars``; controls and event
dummies -> ``context_vars``; organic -> ``organic_vars``; trend, yearly seasonality and the
spec's holidays -> Robyn's ``prophet_vars`` (``trend``, ``season``, ``holiday`` with
``prophet_country``, Robyn's own holiday table). Hyperparameter ranges are the ridge engine's
(Robyn's defaults, the spec's ``ridge.ranges`` and ``ridge.media_kinds`` on top), named
``<spend column>_<param>s``; ``ridge.trials`` / ``ridge.iterations`` go to ``robyn_run``.
Robyn is national: geo data is refused.
"""

from __future__ import annotations

from pathlib import Path

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge.hyperparameters import default_ranges
from mixwise.errors import MixwiseError
from mixwise.export.script import r_string, r_vector, readme, render
from mixwise.export.table import ExportTable, export_table
from mixwise.model.ridge_spec import ADSTOCK_KINDS
from mixwise.model.spec import ModelSpec

SCRIPT = "fit_robyn.R"

TEMPLATE = """# Fit {source} with Robyn (exported by mixwise {version}).
#   Rscript {script}     (run from this folder)
# Carried over from mixwise: KPI, spend and exposure per channel, controls and events
# (context), organic variables, trend / seasonality / holidays (prophet), the adstock kind,
# the ridge engine's hyperparameter ranges, trials and iterations.{note}
library(Robyn)

dt_input <- read.csv("data.csv", stringsAsFactors = FALSE)
dt_input[[{date}]] <- as.Date(dt_input[[{date}]])
data("dt_prophet_holidays", package = "Robyn")

hyperparameters <- list(
{hyperparameters}
)

InputCollect <- robyn_inputs(
  dt_input = dt_input,
  dt_holidays = dt_prophet_holidays,
  date_var = {date},
  dep_var = {kpi},
  dep_var_type = {kpi_type},
  prophet_vars = {prophet_vars},
  prophet_country = {prophet_country},
  context_vars = {context_vars},
  paid_media_spends = {spends},
  paid_media_vars = {media_vars},
  organic_vars = {organic_vars},
  window_start = {start},
  window_end = {end},
  adstock = {adstock},
  hyperparameters = hyperparameters
)
print(InputCollect)

OutputModels <- robyn_run(
  InputCollect = InputCollect,
  iterations = {iterations},
  trials = {trials},
  ts_validation = {ts_validation}
)
OutputCollect <- robyn_outputs(
  InputCollect, OutputModels,
  pareto_fronts = "auto",
  export = TRUE,
  plot_folder = "robyn_output"
)
print(OutputCollect$clusters$models)
"""


def hyperparameters(table: ExportTable, spec: ModelSpec, adstock: str) -> dict[str, list[float]]:
    """Robyn's ``hyperparameters`` list: ``<media>_<param>s`` ranges, then ``train_size``."""
    names = dict(zip(table.channels, table.spend, strict=True))
    names.update({c: c for c in table.organic})
    r = spec.ridge
    overrides = {c: dict(v) for c, v in r.ranges.items() if c in names}
    ranges = default_ranges(list(names), adstock, r.media_kinds, overrides)  # type: ignore[arg-type]
    out = {
        f"{names[channel]}_{param}s": [rng.lower, rng.upper]
        for channel, params in ranges.channels.items()
        for param, rng in params.items()
    }
    out["train_size"] = [r.train_size, r.train_size] if r.ts_validation else [0.5, 0.8]
    return out


def robyn_arguments(dataset: MMMDataset, spec: ModelSpec) -> dict[str, object]:
    """The data-describing arguments of ``robyn_inputs`` and their values (lists for vectors,
    None for NULL), with the table they describe under ``_table``."""
    if dataset.has_geo:
        raise MixwiseError(
            "Robyn fits national data only; this dataset has geos",
            "Export without geo (drop geo from the mapping), or export --to meridian.",
        )
    table = export_table(dataset, spec, rename=True)
    prophet = [
        v
        for v, on in (
            ("trend", spec.trend.enabled),
            ("season", bool(spec.seasonality.yearly_order)),
            ("holiday", spec.holidays is not None),
        )
        if on
    ]
    dates = table.frame[table.date]
    return {
        "_table": table,
        "date_var": table.date,
        "dep_var": table.kpi,
        "dep_var_type": "revenue" if table.kpi_type == "revenue" else "conversion",
        "prophet_vars": prophet or None,
        "prophet_country": spec.holidays.country if spec.holidays else None,
        "context_vars": [*table.controls, *table.events] or None,
        "paid_media_spends": table.spend,
        "paid_media_vars": [e or s for e, s in zip(table.exposure, table.spend, strict=True)],
        "organic_vars": table.organic or None,
        "window_start": str(dates.iloc[0]),
        "window_end": str(dates.iloc[len(dates) - 1 - spec.holdout]),
    }


def write(dataset: MMMDataset, spec: ModelSpec, out: Path) -> list[str]:
    """Write ``data.csv``, the script and ``README.txt`` into ``out``."""
    args = robyn_arguments(dataset, spec)
    table = args.pop("_table")
    assert isinstance(table, ExportTable)
    used = [c for c in table.frame.columns if c not in table.holidays and c != table.trend]
    used = [c for c in used if c not in (table.revenue_per_conversion, table.population)]
    table.frame[used].to_csv(out / "data.csv", index=False)
    adstock = spec.adstock.kind if spec.adstock.kind in ADSTOCK_KINDS else "geometric"
    note = (
        f"\n# mixwise's {spec.adstock.kind} adstock has no Robyn equivalent: geometric is used."
        if adstock != spec.adstock.kind
        else ""
    )
    if spec.holdout:
        note += f"\n# The last {spec.holdout} periods are left out of the window (holdout)."
    hyper = hyperparameters(table, spec, adstock)
    text = render(
        TEMPLATE,
        script=SCRIPT,
        note=note,
        date=r_string(str(args["date_var"])),
        kpi=r_string(str(args["dep_var"])),
        kpi_type=r_string(str(args["dep_var_type"])),
        prophet_vars=_r(args["prophet_vars"]),
        prophet_country=_r(args["prophet_country"]),
        context_vars=_r(args["context_vars"]),
        spends=_r(args["paid_media_spends"]),
        media_vars=_r(args["paid_media_vars"]),
        organic_vars=_r(args["organic_vars"]),
        start=r_string(str(args["window_start"])),
        end=r_string(str(args["window_end"])),
        adstock=r_string(adstock),
        hyperparameters=",\n".join(f"  {k} = c({lo:g}, {hi:g})" for k, (lo, hi) in hyper.items()),
        iterations=spec.ridge.iterations,
        trials=spec.ridge.trials,
        ts_validation="TRUE" if spec.ridge.ts_validation else "FALSE",
    )
    (out / SCRIPT).write_text(text, encoding="utf-8")
    (out / "README.txt").write_text(readme("Robyn", table, SCRIPT, f"Rscript {SCRIPT}"))
    return ["data.csv", SCRIPT, "README.txt"]


def _r(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return r_vector([str(v) for v in value])
    return r_string(str(value))
