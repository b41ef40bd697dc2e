"""MTA models side by side with MMM runs: the credits table and where they disagree.

MTA credit is in conversions (or conversion value), an MMM run's in KPI units over its period, so
models are compared by *share*: each model's credit of a channel divided by its credit of the
channels both measure. Two models disagree on a channel when their share intervals do not
overlap; the largest disagreement becomes the recommendation (a lift test settles it).
Channels an MMM has but journeys cannot track (TV, OOH) are "not trackable" for the MTA models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mixwise.attribution.models import LABELS, MARKOV, ModelCredits, equal_tailed

CREDIT_COLUMNS = ["channel", "model", "credit", "share", "lo", "hi", "share_lo", "share_hi", "note"]
NOT_TRACKABLE = "not trackable"
NOT_IN_MMM = "not in this MMM"
DATA_DRIVEN = (*MARKOV, "shapley")


@dataclass(frozen=True)
class LiftROAS:
    """A lift test's measured incremental ROAS of a channel: the measured KPI change over the
    spend change, ``iroas = sum measured / sum spend_change`` over the channel's tests, with
    ``lo``/``hi`` from their standard errors (``sqrt(sum sigma²) / |sum spend_change|``)."""

    iroas: float
    lo: float
    hi: float
    tests: int


@dataclass(frozen=True)
class MMMRun:
    """An MMM run's channel contributions (``summary.json``: channels.<c>.contribution), its
    engine and the lift tests it was calibrated on or checked against."""

    name: str
    mean: dict[str, float]
    lo: dict[str, float]
    hi: dict[str, float]
    engine: str = ""
    engine_label: str = ""
    """The engine as people name it ("Bayesian (PyMC-Marketing)"; empty when unknown)."""
    title: str = ""
    """How sentences name the run (a stored model's name; default: ``name``)."""
    lift: dict[str, LiftROAS] = field(default_factory=dict)


@dataclass(frozen=True)
class Disagreement:
    """Model ``a`` gives ``channel`` ``ratio`` times the share model ``b`` gives it, and their
    share intervals do not overlap (shares of the channels both measure)."""

    a: str
    b: str
    a_label: str
    b_label: str
    channel: str
    ratio: float
    share_a: float
    share_b: float
    score: float
    """``|log ratio|``: how far apart (largest first)."""

    def sentence(self) -> str:
        return (
            f"{self.a_label} gives {self.channel} {'only ' if self.ratio < 1 else ''}"
            f"{self.ratio:.1f}x the credit {self.b_label} gives it ({self.share_a:.0%} vs "
            f"{self.share_b:.0%} of the channels both measure, intervals apart): a lift test on "
            f"{self.channel} would settle it."
        )


@dataclass(frozen=True)
class Shares:
    """A model's shares of the common channels: point and interval."""

    model: str
    label: str
    point: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def credits_table(mc: ModelCredits, interval: float, runs: list[MMMRun]) -> pd.DataFrame:
    """One row per channel and model (MTA models first, then each run): the credit and its
    interval (``lo``, ``hi``), the share of the model's channels and its interval."""
    mmm_only = [c for r in runs for c in r.mean if c not in mc.channels]
    extra = list(dict.fromkeys(mmm_only))
    rows: list[dict[str, object]] = []
    channels = list(mc.channels)
    for model, point in mc.point.items():
        lo, hi = mc.bounds(model, interval)
        sh = mta_shares(mc, model, channels, interval)
        for j, ch in enumerate(channels):
            rows.append(
                dict(channel=ch, model=model, credit=point[j], share=sh.point[j], lo=lo[j])
                | dict(hi=hi[j], share_lo=sh.lo[j], share_hi=sh.hi[j], note="")
            )
        rows += [dict(channel=ch, model=model, note=NOT_TRACKABLE) for ch in extra]
    for run in runs:
        present = [c for c in [*channels, *extra] if c in run.mean]
        sh = mmm_shares(run, present)
        for ch in [*channels, *extra]:
            if ch not in run.mean:
                rows.append(dict(channel=ch, model=run.name, note=NOT_IN_MMM))
                continue
            j = present.index(ch)
            rows.append(
                dict(channel=ch, model=run.name, credit=run.mean[ch], share=sh.point[j])
                | dict(lo=run.lo[ch], hi=run.hi[ch], share_lo=sh.lo[j], share_hi=sh.hi[j])
                | dict(note="")
            )
    return pd.DataFrame(rows, columns=CREDIT_COLUMNS)


def mta_shares(mc: ModelCredits, model: str, common: list[str], interval: float) -> Shares:
    """Shares of ``common`` under an MTA model, the interval from the bootstrap replicates'
    shares."""
    idx = [mc.channels.index(c) for c in common]
    point = mc.point[model][idx]
    draws = mc.replicates[model][:, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = draws / draws.sum(axis=1, keepdims=True)
    return Shares(
        model, LABELS[model], point / max(point.sum(), 1e-300), *equal_tailed(shares, interval)
    )


def mmm_shares(run: MMMRun, common: list[str]) -> Shares:
    """Shares of ``common`` under an MMM run (``lo``/``hi``: the contribution interval's ends
    over the point total, an approximation that ignores how channels co-vary)."""
    total = max(sum(run.mean[c] for c in common), 1e-300)
    arr = {
        k: np.array([d[c] for c in common]) / total
        for k, d in (("mean", run.mean), ("lo", run.lo), ("hi", run.hi))
    }
    title = run.title or run.name
    what = f"{title}, {run.engine_label}" if run.engine_label else title
    return Shares(run.name, f"the MMM ({what})", arr["mean"], arr["lo"], arr["hi"])


def _worst(a: Shares, b: Shares, common: list[str]) -> Disagreement | None:
    """The largest disagreement of ``a`` with ``b`` beyond both intervals (``None``: none)."""
    apart = (a.lo > b.hi) | (a.hi < b.lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a.point / b.point
    score = np.where(apart & (a.point > 0) & (b.point > 0), np.abs(np.log(ratio)), -1.0)
    j = int(np.argmax(score))
    if score[j] <= 0:
        return None
    return Disagreement(
        a.model, b.model, a.label, b.label, common[j], float(ratio[j]),
        float(a.point[j]), float(b.point[j]), float(score[j]),
    )  # fmt: skip


def _pairs(
    mc: ModelCredits, interval: float, runs: list[MMMRun]
) -> list[tuple[Shares, Shares, list[str]]]:
    """What is held against what: every MTA model against every MMM run and the runs against
    each other (on the channels both measure); without runs, the rule-based models against the
    data-driven ones."""
    pairs: list[tuple[Shares, Shares, list[str]]] = []
    for run in runs:
        common = [c for c in mc.channels if c in run.mean]
        if len(common) >= 2:
            pairs += [
                (mta_shares(mc, m, common, interval), mmm_shares(run, common), common)
                for m in mc.point
            ]
    for i, r1 in enumerate(runs):
        for r2 in runs[i + 1 :]:
            common = [c for c in r1.mean if c in r2.mean]
            if len(common) >= 2:
                pairs.append((mmm_shares(r1, common), mmm_shares(r2, common), common))
    if not runs and len(mc.channels) >= 2:
        common = list(mc.channels)
        refs = [m for m in DATA_DRIVEN if m in mc.point]
        pairs += [
            (mta_shares(mc, m, common, interval), mta_shares(mc, ref, common, interval), common)
            for ref in refs
            for m in mc.point
            if m not in DATA_DRIVEN
        ]
    return pairs


def disagreements(
    mc: ModelCredits, interval: float, runs: list[MMMRun]
) -> tuple[list[Disagreement], bool]:
    """Each compared pair's largest disagreement beyond both intervals, largest first, and
    whether any pair could be compared at all."""
    pairs = _pairs(mc, interval, runs)
    found = [d for a, b, common in pairs if (d := _worst(a, b, common)) is not None]
    return sorted(found, key=lambda d: -d.score), bool(pairs)


def nothing_to_compare(mc: ModelCredits, runs: list[MMMRun]) -> str:
    """Why no pair of models could be compared (so that silence is never read as agreement)."""
    if runs:
        names = ", ".join(r.name for r in runs)
        return (
            f"Nothing to compare: the journeys and the MMM ({names}) share fewer than two "
            "channels, and shares of one channel are always 100%. Map journey channels to the "
            "MMM's names (`channels:` in the mapping)."
        )
    return (
        "Nothing to compare: no MMM run, and the journeys have fewer than two channels or no "
        "data-driven model (Markov, Shapley) to hold the rule-based ones against "
        f"({', '.join(mc.point)} chosen)."
    )


def recommendations(
    found: list[Disagreement], compared: bool, mc: ModelCredits, runs: list[MMMRun]
) -> list[str]:
    """The three largest disagreements in words (or why there is none)."""
    if not compared:
        return [nothing_to_compare(mc, runs)]
    if not found:
        return [
            "The models agree within their intervals on every channel they share: no "
            "channel's credit is in dispute."
        ]
    return [d.sentence() for d in found[:3]]
