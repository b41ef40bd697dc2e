"""Checks on the typed (and possibly resampled) dataset: is there enough signal to fit a model?

``rows`` in these findings are 1-based rows of the validated table, which is sorted by
(geo, date); for national data that is the period number. Messages always name the dates too.

- ``too_few_observations`` (error): fewer than 7 periods per independent variable (channels,
  controls, organic variables and event dummies), Robyn's rule of thumb.
- ``short_history`` (warning): less than a year, so seasonality cannot be separated.
- ``collinear_channels`` (warning): Pearson ``|r| >= 0.9`` between two channels' spend.
- ``high_vif`` (warning): ``VIF = 1 / (1 - R²) >= 10``, R² of a channel's spend regressed on the
  other channels, controls and organic variables.
- ``sparse_channel`` (warning): spend in fewer than 10% of periods, or in fewer than 5.
- ``kpi_outlier`` (warning): robust z-score ``0.6745 * (x - median) / MAD > 5`` (per geo).
- ``cost_per_exposure_jump`` (warning): spend / exposure changes more than 5x between
  consecutive periods where both are positive.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mixwise.data.checks._common import ERROR, WARNING, day, finding, rows_text
from mixwise.data.dataset import MMMDataset
from mixwise.data.findings import Finding

PERIODS_PER_VARIABLE = 7
CORRELATION_LIMIT = 0.9
VIF_LIMIT = 10.0
SPARSE_SHARE, SPARSE_MIN = 0.10, 5
OUTLIER_Z = 5.0
CPE_JUMP = 5.0


def check_dataset(dataset: MMMDataset) -> list[Finding]:
    """Every finding about the dataset as a whole."""
    spend = dataset.spend()
    return [
        *_too_few_observations(dataset),
        *_short_history(dataset),
        *_collinear(dataset, spend),
        *_high_vif(dataset, spend),
        *_sparse(dataset, spend),
        *_kpi_outliers(dataset),
        *_cost_per_exposure(dataset),
    ]


def _too_few_observations(dataset: MMMDataset) -> list[Finding]:
    m = dataset.mapping
    n_events = len(dataset.event_dummies().columns)
    parts = {
        "channel": len(m.channels),
        "control": len(m.controls),
        "organic variable": len(m.organic),
        "event dummy": n_events,
    }
    k = sum(parts.values())
    needed = PERIODS_PER_VARIABLE * k
    n = dataset.n_periods
    if n >= needed:
        return []
    counted = ", ".join(f"{v} {name}{'' if v == 1 else 's'}" for name, v in parts.items() if v)
    return [
        finding(
            "too_few_observations",
            ERROR,
            f"The data has {n} {dataset.frequency} periods for {k} independent variables "
            f"({counted}); at least {needed} are needed ({PERIODS_PER_VARIABLE} per variable, "
            "Robyn's rule of thumb).",
            f"Add history (at least {needed - n} more periods) or drop variables: merge small "
            "channels, remove controls or events that matter little.",
        )
    ]


def _short_history(dataset: MMMDataset) -> list[Finding]:
    n, year = dataset.n_periods, int(dataset.periods_per_year)
    if n >= year:
        return []
    first, last = dataset.dates[0], dataset.dates[-1]
    return [
        finding(
            "short_history",
            WARNING,
            f"The data covers {n} {dataset.frequency} periods ({day(first)} to {day(last)}), "
            f"less than a year ({year} periods); seasonality cannot be told apart from media "
            "effects.",
            "Add at least a full year of history, or keep seasonality out of the model and "
            "read the results with care.",
            column=dataset.mapping.date,
        )
    ]


def _collinear(dataset: MMMDataset, spend: pd.DataFrame) -> list[Finding]:
    corr = spend.loc[:, spend.std() > 0].corr().to_numpy()
    names = [c for c in spend.columns if spend[c].std() > 0]
    columns = dict(zip(dataset.channels, dataset.mapping.spend_columns, strict=True))
    findings: list[Finding] = []
    for i, j in zip(*np.triu_indices(len(names), k=1), strict=True):
        r = float(corr[i, j])
        if np.isfinite(r) and abs(r) >= CORRELATION_LIMIT:
            a, b = names[i], names[j]
            findings.append(
                finding(
                    "collinear_channels",
                    WARNING,
                    f"Spend of channels '{a}' (column '{columns[a]}') and '{b}' (column "
                    f"'{columns[b]}') moves together (Pearson r = {r:.2f}); their effects "
                    "will be hard to tell apart.",
                    "Merge the two channels, drop one, or add prior knowledge (a lift test) "
                    "for one of them.",
                    column=columns[a],
                )
            )
    return findings


def vif(design: pd.DataFrame) -> pd.Series:
    """Variance inflation factor of every column: ``VIF_j = 1 / (1 - R²_j)``, where ``R²_j`` comes
    from regressing column j on all the others (with an intercept) by least squares."""
    x = design.to_numpy(dtype=float)
    n = x.shape[0]
    out = {}
    for j, name in enumerate(design.columns):
        y = x[:, j]
        others = np.column_stack([np.ones(n), np.delete(x, j, axis=1)])
        coef, *_ = np.linalg.lstsq(others, y, rcond=None)
        sst = float(((y - y.mean()) ** 2).sum())
        ssr = float(((y - others @ coef) ** 2).sum())
        r2 = 1.0 - ssr / sst if sst > 0 else 0.0
        out[name] = np.inf if r2 >= 1 - 1e-12 else 1.0 / (1.0 - r2)
    return pd.Series(out, dtype=float)


def _high_vif(dataset: MMMDataset, spend: pd.DataFrame) -> list[Finding]:
    m = dataset.mapping
    parts = [spend]
    if m.controls:
        parts.append(dataset.controls().add_prefix("control:"))
    if m.organic:
        parts.append(dataset._national(m.organic).add_prefix("organic:"))
    design = pd.concat(parts, axis=1)
    design = design.loc[:, design.std() > 0]
    if design.shape[1] < 2 or len(design) <= design.shape[1] + 1:
        return []
    factors = vif(design)
    columns = dict(zip(dataset.channels, m.spend_columns, strict=True))
    findings = []
    for name in (c for c in dataset.channels if c in factors.index):
        value = float(factors[name])
        if value >= VIF_LIMIT:
            r2 = 1.0 if not np.isfinite(value) else 1.0 - 1.0 / value
            findings.append(
                finding(
                    "high_vif",
                    WARNING,
                    f"Spend of channel '{name}' (column '{columns[name]}') is largely explained "
                    f"by the other channels and controls: VIF = {value:.1f} (R² = {r2:.3f}, "
                    f"VIF = 1/(1-R²) >= {VIF_LIMIT:g}).",
                    "Its effect will be uncertain. Merge it with the channels it moves with, "
                    "or add a lift test or an informative prior.",
                    column=columns[name],
                )
            )
    return findings


def _sparse(dataset: MMMDataset, spend: pd.DataFrame) -> list[Finding]:
    n = len(spend)
    columns = dict(zip(dataset.channels, dataset.mapping.spend_columns, strict=True))
    findings = []
    for name in spend.columns:
        active = np.flatnonzero(spend[name].to_numpy() > 0)
        if len(active) == 0 or (len(active) >= SPARSE_SHARE * n and len(active) >= SPARSE_MIN):
            continue
        dates = ", ".join(day(spend.index[i]) for i in active[:5])
        etc = ", ..." if len(active) > 5 else ""
        findings.append(
            finding(
                "sparse_channel",
                WARNING,
                f"Channel '{name}' (column '{columns[name]}') has spend in only {len(active)} "
                f"of {n} periods, {rows_text(active)} ({dates}{etc}); its effect will rest on "
                "very few points.",
                "Merge it into a similar channel, or keep it and expect a wide uncertainty.",
                column=columns[name],
                pos=active,
            )
        )
    return findings


def robust_z(x: np.ndarray) -> np.ndarray:
    """Modified z-score ``0.6745 * (x - median) / MAD`` (Iglewicz and Hoaglin). When the MAD is
    0, the mean absolute deviation is used: ``(x - median) / (1.2533 * mean|x - median|)``."""
    med = np.median(x)
    dev = np.abs(x - med)
    mad = np.median(dev)
    if mad > 0:
        return 0.6745 * (x - med) / mad
    mean_ad = dev.mean()
    if mean_ad > 0:
        return (x - med) / (1.2533 * mean_ad)
    return np.zeros_like(x)


def _kpi_outliers(dataset: MMMDataset) -> list[Finding]:
    m = dataset.mapping
    frame = dataset.frame
    kpi = frame[m.kpi.column].to_numpy(dtype=float)
    groups = frame[m.geo].astype(str).to_numpy() if m.geo else np.zeros(len(frame), dtype=int)
    flagged = np.zeros(len(frame), dtype=bool)
    for g in pd.unique(groups):
        idx = np.flatnonzero(groups == g)
        if len(idx) >= 3:
            flagged[idx] = np.abs(robust_z(kpi[idx])) > OUTLIER_Z
    if not flagged.any():
        return []
    pos = np.flatnonzero(flagged)
    dates = frame[m.date].to_numpy()
    listed = ", ".join(
        (f"{frame[m.geo].iloc[i]} " if m.geo else "")
        + f"{day(dates[i])} (row {i + 1}: {kpi[i]:.10g})"
        for i in pos[:5]
    )
    more = f" and {len(pos) - 5} more" if len(pos) > 5 else ""
    return [
        finding(
            "kpi_outlier",
            WARNING,
            f"The KPI (column '{m.kpi.column}') has outliers, robust z-score above {OUTLIER_Z:g}, "
            f"in {len(pos)} period(s): {listed}{more}.",
            "Check these periods for data errors. If they are real (a promotion, an outage), "
            "add an event for them so that they do not distort the channel effects.",
            column=m.kpi.column,
            pos=pos,
        )
    ]


def _cost_per_exposure(dataset: MMMDataset) -> list[Finding]:
    findings = []
    for ch in dataset.mapping.channels:
        if not ch.exposure:
            continue
        both = dataset._national([ch.spend, ch.exposure])
        s, e = both[ch.spend].to_numpy(), both[ch.exposure].to_numpy()
        active = np.flatnonzero((s > 0) & (e > 0))
        if len(active) < 2:
            continue
        cpe = s[active] / e[active]
        ratio = cpe[1:] / cpe[:-1]
        jumps = np.flatnonzero((ratio > CPE_JUMP) | (ratio < 1 / CPE_JUMP))
        if not len(jumps):
            continue
        dates = both.index
        k = int(jumps[0])
        before, after = active[k], active[k + 1]
        more = f"; {len(jumps) - 1} more jump(s)" if len(jumps) > 1 else ""
        findings.append(
            finding(
                "cost_per_exposure_jump",
                WARNING,
                f"Cost per exposure of channel '{ch.name}' (column '{ch.spend}' / column "
                f"'{ch.exposure}') changes more than {CPE_JUMP:g}x between consecutive active "
                f"periods: {day(dates[before])} (row {before + 1}) -> {day(dates[after])} (row "
                f"{after + 1}), {cpe[k]:.4g} -> {cpe[k + 1]:.4g}{more}.",
                "Check the units of the exposure column around these dates (impressions vs "
                "thousands of impressions, clicks vs impressions) and of the spend (currency).",
                column=ch.exposure,
                pos=active[jumps + 1],
            )
        )
    return findings
