"""Export to PyMC-Marketing: ``data.csv`` (date, KPI, spend per channel, controls, event and
holiday dummies, trend, geo) and ``fit_pymc_marketing.py``, which builds PyMC-Marketing's
``MMM`` with the spec's adstock and saturation kinds (the classes the bayesian engine uses,
:data:`mixwise.engines.bayesian.build.ADSTOCKS`), ``l_max``, yearly seasonality, the holdout,
and samples it (``--draws``, ``--tune``, ``--chains``, ``--seed``; the spec's by default).

PyMC-Marketing's MMM has no trend of its own: a ``trend`` column (0, 1, ...) enters as a
control when the spec has a trend. Organic variables enter as controls too (the MMM's
``channel_columns`` are paid media with spend).
"""

from __future__ import annotations

from pathlib import Path

from mixwise.data.dataset import MMMDataset
from mixwise.export.script import py_list, py_value, readme, render
from mixwise.export.table import export_table
from mixwise.model.spec import ModelSpec

SCRIPT = "fit_pymc_marketing.py"

TEMPLATE = '''"""Fit {source} in PyMC-Marketing (exported by mixwise {version}).

    python {script} --draws 1000 --tune 1000 --chains 4

Carried over from mixwise: the KPI, channels (spend), controls, events and holidays (0/1
columns), the trend (a control column), {adstock} adstock (l_max {l_max}), {saturation}
saturation, yearly seasonality of order {yearly_order}, a holdout of the last {holdout} periods.
Priors are PyMC-Marketing's defaults.
"""

import argparse
from pathlib import Path

import pandas as pd
from pymc_marketing.mmm import MMM, {adstock_class}, {saturation_class}

HERE = Path(__file__).resolve().parent
DATE = {date}
TARGET = {kpi}
GEO = {geo}
CHANNELS = {channels}
CONTROLS = {controls}
L_MAX = {l_max}
NORMALIZE = {normalize}
YEARLY_ORDER = {yearly_order}
HOLDOUT = {holdout}


def load() -> pd.DataFrame:
    """The exported data, with the holdout periods left out."""
    data = pd.read_csv(HERE / "data.csv", parse_dates=[DATE])
    dates = sorted(data[DATE].unique())
    if HOLDOUT:
        data = data[data[DATE] < dates[len(dates) - HOLDOUT]]
    return data.reset_index(drop=True)


def build() -> MMM:
    return MMM(
        date_column=DATE,
        channel_columns=CHANNELS,
        target_column=TARGET,
        adstock={adstock_class}(l_max=L_MAX, normalize=NORMALIZE),
        saturation={saturation_class}(),
        control_columns=CONTROLS or None,
        yearly_seasonality=YEARLY_ORDER or None,
        dims=(GEO,) if GEO else None,
    )


def main(argv: list[str] | None = None) -> MMM:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default={draws})
    parser.add_argument("--tune", type=int, default={tune})
    parser.add_argument("--chains", type=int, default={chains})
    parser.add_argument("--seed", type=int, default={seed})
    args = parser.parse_args(argv)
    data = load()
    mmm = build()
    mmm.fit(
        data.drop(columns=[TARGET]),
        data[TARGET],
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        random_seed=args.seed,
    )
    print(mmm.idata.posterior)
    return mmm


if __name__ == "__main__":
    main()
'''


def write(dataset: MMMDataset, spec: ModelSpec, out: Path) -> list[str]:
    """Write ``data.csv``, the script and ``README.txt`` into ``out``."""
    from mixwise.engines.bayesian.build import ADSTOCKS, SATURATIONS

    table = export_table(dataset, spec, trend=True)
    table.frame.to_csv(out / "data.csv", index=False)
    controls = [*table.controls, *table.organic, *table.events, *table.holidays]
    if table.trend:
        controls.append(table.trend)
    sampler = spec.sampler
    text = render(
        TEMPLATE,
        script=SCRIPT,
        adstock=spec.adstock.kind,
        saturation=spec.saturation.kind,
        adstock_class=ADSTOCKS[spec.adstock.kind].__name__,
        saturation_class=SATURATIONS[spec.saturation.kind].__name__,
        date=py_value(table.date),
        kpi=py_value(table.kpi),
        geo=py_value(table.geo),
        channels=py_list(table.spend),
        controls=py_list(controls),
        l_max=spec.adstock.l_max,
        normalize=spec.adstock.normalize,
        yearly_order=spec.seasonality.yearly_order or 0,
        holdout=spec.holdout,
        draws=sampler.draws,
        tune=sampler.tune,
        chains=sampler.chains,
        seed=sampler.seed,
    )
    (out / SCRIPT).write_text(text, encoding="utf-8")
    (out / "README.txt").write_text(readme("PyMC-Marketing", table, SCRIPT, f"python {SCRIPT}"))
    return ["data.csv", SCRIPT, "README.txt"]
