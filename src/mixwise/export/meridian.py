"""Export to Google Meridian: ``data.csv`` in the shape Meridian's ``CsvDataLoader`` reads
(one row per time (and geo); the user's column names, as in Meridian's own simulated CSVs) and
``fit_meridian.py``, which loads it with ``CsvDataLoader`` + ``CoordToColumns`` and samples
``Meridian`` (``--chains``, ``--adapt``, ``--burnin``, ``--keep``, ``--seed``).

Roles: KPI -> ``kpi`` (``kpi_type`` revenue, or non_revenue for conversions, with
``revenue_per_kpi`` where the mapping has revenue per conversion); spend -> ``media_spend``;
exposure -> ``media`` (a channel without exposure has its spend stand in as its media);
controls, event and holiday dummies -> ``controls``; organic -> ``organic_media``; population
-> ``population`` (geo data); ``l_max`` (the number of adstock weights) ->
``max_lag = l_max - 1`` (the largest lag, as the meridian engine fits). Meridian's adstock is
geometric or binomial and its saturation Hill: another kind in the spec is noted in the script,
not silently renamed.
"""

from __future__ import annotations

from pathlib import Path

from mixwise.data.dataset import MMMDataset
from mixwise.export.script import py_list, py_value, readme, render
from mixwise.export.table import export_table
from mixwise.model.spec import ModelSpec

SCRIPT = "fit_meridian.py"
ADSTOCKS = {"geometric": "geometric"}
"""mixwise adstock kind -> Meridian's ``adstock_decay_spec`` (the kinds with an equivalent)."""

TEMPLATE = '''"""Fit {source} in Google Meridian (exported by mixwise {version}).

    python {script} --chains 4 --adapt 500 --burnin 500 --keep 1000

Carried over from mixwise: the KPI ({kpi_type}), channels (spend and exposure as media),
controls, events and holidays (0/1 controls), organic media, population, a holdout of the last
{holdout} periods, max_lag {max_lag}. {adstock_note}
"""

import argparse
from pathlib import Path

import numpy as np
from meridian.data import load
from meridian.model import model, spec

HERE = Path(__file__).resolve().parent
KPI_TYPE = {kpi_type!r}
HOLDOUT = {holdout}
MAX_LAG = {max_lag}
ADSTOCK = {adstock!r}
COORD_TO_COLUMNS = load.CoordToColumns(
{coords})
MEDIA_TO_CHANNEL = {media_to_channel}
MEDIA_SPEND_TO_CHANNEL = {spend_to_channel}


def load_data():
    """The exported CSV through Meridian's own loader."""
    loader = load.CsvDataLoader(
        csv_path=str(HERE / "data.csv"),
        kpi_type=KPI_TYPE,
        coord_to_columns=COORD_TO_COLUMNS,
        media_to_channel=MEDIA_TO_CHANNEL,
        media_spend_to_channel=MEDIA_SPEND_TO_CHANNEL,
    )
    return loader.load()


def build(data) -> model.Meridian:
    holdout_id = None
    if HOLDOUT:
        n_geos, n_times = data.kpi.shape
        holdout_id = np.zeros((n_geos, n_times) if {is_geo} else n_times, dtype=bool)
        holdout_id[..., n_times - HOLDOUT :] = True
    model_spec = spec.ModelSpec(max_lag=MAX_LAG, adstock_decay_spec=ADSTOCK, holdout_id=holdout_id)
    return model.Meridian(input_data=data, model_spec=model_spec)


def main(argv: list[str] | None = None) -> model.Meridian:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default={chains})
    parser.add_argument("--adapt", type=int, default={tune})
    parser.add_argument("--burnin", type=int, default={tune})
    parser.add_argument("--keep", type=int, default={draws})
    parser.add_argument("--seed", type=int, default={seed})
    args = parser.parse_args(argv)
    mmm = build(load_data())
    mmm.sample_posterior(
        n_chains=args.chains,
        n_adapt=args.adapt,
        n_burnin=args.burnin,
        n_keep=args.keep,
        seed=args.seed,
    )
    print(mmm.inference_data.posterior)
    return mmm


if __name__ == "__main__":
    main()
'''


def coord_fields(dataset: MMMDataset, spec: ModelSpec) -> dict[str, str | list[str]]:
    """``CoordToColumns`` field -> column(s) of the exported CSV (the fields Meridian documents
    in ``meridian/data/load.py``; empty roles left out)."""
    table = export_table(dataset, spec)
    media = [e or s for e, s in zip(table.exposure, table.spend, strict=True)]
    fields: dict[str, str | list[str]] = {"time": table.date, "kpi": table.kpi}
    if table.geo:
        fields["geo"] = table.geo
    if table.population:
        fields["population"] = table.population
    if table.revenue_per_conversion:
        fields["revenue_per_kpi"] = table.revenue_per_conversion
    controls = [*table.controls, *table.events, *table.holidays]
    if controls:
        fields["controls"] = controls
    fields["media"] = media
    fields["media_spend"] = table.spend
    if table.organic:
        fields["organic_media"] = table.organic
    return fields


def write(dataset: MMMDataset, spec: ModelSpec, out: Path) -> list[str]:
    """Write ``data.csv``, the script and ``README.txt`` into ``out``."""
    table = export_table(dataset, spec)
    fields = coord_fields(dataset, spec)
    table.frame.to_csv(out / "data.csv", index=False)
    coords = "".join(
        f"    {k}={py_list(v, 4) if isinstance(v, list) else py_value(v)},\n"
        for k, v in fields.items()
    )
    media = fields["media"]
    assert isinstance(media, list)
    adstock = ADSTOCKS.get(spec.adstock.kind, "geometric")
    note = (
        f"mixwise's {spec.adstock.kind} adstock has no Meridian equivalent: geometric decay "
        "is used."
        if spec.adstock.kind not in ADSTOCKS
        else ""
    )
    if spec.saturation.kind != "hill":
        note += f" Meridian's saturation is Hill (the spec's is {spec.saturation.kind})."
    text = render(
        TEMPLATE,
        script=SCRIPT,
        kpi_type="revenue" if table.kpi_type == "revenue" else "non_revenue",
        holdout=spec.holdout,
        max_lag=int(spec.adstock.l_max or 1) - 1,  # lags 0..max_lag: l_max weights
        adstock=adstock,
        adstock_note=note.strip(),
        coords=coords,
        is_geo=table.geo is not None,
        media_to_channel=repr(dict(zip(media, table.channels, strict=True))),
        spend_to_channel=repr(dict(zip(table.spend, table.channels, strict=True))),
        chains=spec.sampler.chains,
        tune=spec.sampler.tune,
        draws=spec.sampler.draws,
        seed=spec.sampler.seed,
    )
    (out / SCRIPT).write_text(text, encoding="utf-8")
    (out / "README.txt").write_text(readme("Google Meridian", table, SCRIPT, f"python {SCRIPT}"))
    return ["data.csv", SCRIPT, "README.txt"]
