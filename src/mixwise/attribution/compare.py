"""MTA models side by side with MMM runs: the credits table and where they disagree.

MTA credit is in conversions (or conversion value), an MMM run's in KPI units over its period, so
models are compared by *share*: each model's credit of a channel divided by its credit of the
channels both measure. Two models disagree on a channel when their share intervals do not
overlap; the largest disagreement becomes the recommendation (a lift test settles it).
Channels an MMM has but journeys cannot track (TV, OOH) are "not trackable" for the MTA models.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mixwise.attribution.models import LABELS, MARKOV, ModelCredits, equal_tailed

CREDIT_COLUMNS = ["channel", "model", "credit", "share", "lo", "hi", "note"]
NOT_TRACKABLE = "not trackable"
NOT_IN_MMM = "not in this MMM"
DATA_DRIVEN = (*MARKOV, "shapley")


@dataclass(frozen=True)
class MMMRun:
    """An MMM run's channel contributions (``summary.json``: channels.<c>.contribution)."""

    name: str
    mean: dict[str, float]
    lo: dict[str, float]
    hi: dict[str, float]


@dataclass(frozen=True)
class Shares:
    """A model's shares of the common channels: point and interval."""

    label: str
    point: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def credits_table(mc: ModelCredits, interval: float, runs: list[MMMRun]) -> pd.DataFrame:
    """One row per channel and model (MTA models first, then each run)."""
    mmm_only = [c for r in runs for c in r.mean if c not in mc.channels]
    extra = list(dict.fromkeys(mmm_only))
    rows: list[dict[str, object]] = []
    for model, point in mc.point.items():
        lo, hi = mc.bounds(model, interval)
        total = point.sum()
        for j, ch in enumerate(mc.channels):
            share = point[j] / total if total > 0 else np.nan
            rows.append(
                dict(
                    channel=ch,
                    model=model,
                    credit=point[j],
                    share=share,
                    lo=lo[j],
                    hi=hi[j],
                    note="",
                )
            )
        rows += [dict(channel=ch, model=model, note=NOT_TRACKABLE) for ch in extra]
    for run in runs:
        total = sum(run.mean.values())
        for ch in [*mc.channels, *extra]:
            if ch not in run.mean:
                rows.append(dict(channel=ch, model=run.name, note=NOT_IN_MMM))
                continue
            rows.append(
                dict(
                    channel=ch,
                    model=run.name,
                    credit=run.mean[ch],
                    share=run.mean[ch] / total if total else np.nan,
                    lo=run.lo[ch],
                    hi=run.hi[ch],
                    note="",
                )
            )
    return pd.DataFrame(rows, columns=CREDIT_COLUMNS)


def mta_shares(mc: ModelCredits, model: str, common: list[str], interval: float) -> Shares:
    idx = [mc.channels.index(c) for c in common]
    point = mc.point[model][idx]
    draws = mc.replicates[model][:, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = draws / draws.sum(axis=1, keepdims=True)
    return Shares(LABELS[model], point / max(point.sum(), 1e-300), *equal_tailed(shares, interval))


def mmm_shares(run: MMMRun, common: list[str]) -> Shares:
    total = max(sum(run.mean[c] for c in common), 1e-300)
    arr = {
        k: np.array([d[c] for c in common]) / total
        for k, d in (("mean", run.mean), ("lo", run.lo), ("hi", run.hi))
    }
    return Shares(f"the MMM ({run.name})", arr["mean"], arr["lo"], arr["hi"])


def _worst(a: Shares, b: Shares, common: list[str]) -> tuple[float, str, float] | None:
    """(|log ratio|, channel, ratio) of the largest disagreement beyond both intervals."""
    apart = (a.lo > b.hi) | (a.hi < b.lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a.point / b.point
    score = np.where(apart & (a.point > 0) & (b.point > 0), np.abs(np.log(ratio)), -1.0)
    j = int(np.argmax(score))
    return (float(score[j]), common[j], float(ratio[j])) if score[j] > 0 else None


def recommendations(mc: ModelCredits, interval: float, runs: list[MMMRun]) -> list[str]:
    """Where models disagree beyond their intervals, largest first (one line each)."""
    pairs: list[tuple[Shares, Shares, list[str]]] = []
    for run in runs:
        common = [c for c in mc.channels if c in run.mean]
        if len(common) >= 2:
            pairs += [
                (mta_shares(mc, m, common, interval), mmm_shares(run, common), common)
                for m in mc.point
            ]
    if not runs:
        common = list(mc.channels)
        refs = [m for m in DATA_DRIVEN if m in mc.point]
        pairs += [
            (mta_shares(mc, m, common, interval), mta_shares(mc, ref, common, interval), common)
            for ref in refs
            for m in mc.point
            if m not in DATA_DRIVEN
        ]
    found = []
    for a, b, common in pairs:
        worst = _worst(a, b, common)
        if worst is not None:
            score, ch, ratio = worst
            found.append((score, a, b, ch, ratio, common.index(ch)))
    if not found:
        return [
            "The models agree within their intervals on every channel they share: no "
            "channel's credit is in dispute."
        ]
    found.sort(key=lambda f: -f[0])
    lines = []
    for _, a, b, ch, ratio, j in found[:3]:
        lines.append(
            f"{a.label} gives {ch} {'only ' if ratio < 1 else ''}{ratio:.1f}x the credit "
            f"{b.label} gives it ({a.point[j]:.0%} vs {b.point[j]:.0%} of the channels both "
            f"measure, intervals apart): a lift test on {ch} would settle it."
        )
    return lines
