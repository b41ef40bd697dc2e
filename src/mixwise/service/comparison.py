"""Fitted models side by side, any mix of engines (``mixwise compare``,
``GET /api/v1/comparisons``): per channel ROAS and share of contribution with each model's
interval (and its kind: Bayesian credible or bootstrap), where the intervals overlap and, where
they do not, the likely reasons derived from the data and the posteriors
(:mod:`mixwise.model.agreement`); fit in sample and on a common holdout; the baselines.

Runs fitted on different data are compared on the channels they share, and the answer says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mixwise.engines.base import coefficient_prior_draws, engine_label
from mixwise.errors import MixwiseError
from mixwise.model import agreement
from mixwise.model.result import FitResult
from mixwise.service.fitted import ModelSource, StoredModel
from mixwise.service.models import model_row
from mixwise.service.results import summary_of
from mixwise.service.schemas.common import Interval
from mixwise.service.schemas.comparison import (
    BaselineComparison,
    ChannelComparison,
    ChannelEstimate,
    ComparedModel,
    ComparisonOut,
    ModelFit,
    Reason,
    Window,
)
from mixwise.service.schemas.results import FitMetrics, SummaryOut
from mixwise.store.db import Store

PRIOR_DRAWS = 2000
"""Prior draws per channel for the posterior contraction."""


@dataclass(frozen=True)
class _Model:
    id: str
    name: str
    result: FitResult
    summary: SummaryOut

    @property
    def engine(self) -> str:
        return str(self.result.provenance.get("engine", "unknown"))


def interval_text(level: float, kind: str) -> str:
    """``"90% credible interval"`` (posterior draws) or ``"90% bootstrap interval"``."""
    words = "credible interval" if kind == "posterior" else f"{kind} interval"
    return f"{level:.0%} {words}"


def compare_models(
    models: Sequence[ModelSource], names: Mapping[str, str] | None = None
) -> ComparisonOut:
    """Compare two or more fitted models (module docstring); ``names``: model id -> name."""
    if len(models) < 2:
        raise MixwiseError("comparing needs at least two fitted models", "Pass two or more.")
    ids = [m.model_id for m in models]
    if len(set(ids)) < len(ids):
        raise MixwiseError(
            "a model is named twice in the comparison", "Compare two or more different models."
        )
    loaded = [
        _Model(
            m.model_id,
            (names or {}).get(m.model_id, m.model_id),
            m.result(),
            summary_of(m.directory(), m.model_id),
        )
        for m in models
    ]
    notes: list[str] = []
    same_data = len({m.result.provenance.get("data_fingerprint") for m in loaded}) == 1
    shared, missing = _channels(loaded)
    if not same_data:
        notes.append(
            "The models were fitted on different data (or mappings): only the channels they "
            "share are compared, and fit metrics are each on its own data."
        )
    for model_id, lacking in missing.items():
        name = next(m.name for m in loaded if m.id == model_id)
        notes.append(f"{name} has no channel {', '.join(lacking)}: left out of the comparison.")
    baseline_agree = agreement.intervals_agree(
        [m.summary.baseline.share.model_dump() for m in loaded]
    )
    channels = [_channel(ch, loaded, baseline_agree) for ch in shared]
    fit, window = _fit(loaded, notes)
    for m in loaded:
        if m.result.approximate:
            notes.append(
                f"{m.name} is an approximate (quick, ADVI) fit: its intervals are narrower than "
                "a full posterior's, so overlaps are understated and its prior check is skipped."
            )
    kinds = {m.summary.interval_kind for m in loaded}
    if len(kinds) > 1:
        notes.append(
            "The intervals are of different kinds: credible intervals of a posterior (Bayesian "
            "engines) and bootstrap intervals (refits on resampled data); an overlap says the "
            "engines' ranges meet, not that one is a probability statement about the other."
        )
    return ComparisonOut(
        models=[_compared(m) for m in loaded],
        same_data=same_data,
        channels=channels,
        missing_channels=missing,
        fit=fit,
        holdout_window=window,
        baseline=[
            BaselineComparison(model_id=m.id, share=m.summary.baseline.share) for m in loaded
        ],
        baseline_agree=baseline_agree,
        notes=notes,
    )


def compare_stored(store: Store, workspace_id: str, model_ids: list[str]) -> ComparisonOut:
    """:func:`compare_models` on models of a workspace, named by their names."""
    names = {i: model_row(store, workspace_id, i).name for i in model_ids}  # 404 first
    return compare_models([StoredModel(store, workspace_id, i) for i in model_ids], names)


def _compared(m: _Model) -> ComparedModel:
    s = m.summary
    return ComparedModel(
        model_id=m.id,
        name=m.name,
        engine=m.engine,
        engine_label=engine_label(m.engine),
        interval=s.interval,
        interval_kind=s.interval_kind,
        interval_text=interval_text(s.interval, s.interval_kind),
        data_fingerprint=m.result.provenance.get("data_fingerprint"),
        start=s.periods.start,
        end=s.periods.end,
        n_periods=s.periods.n,
        n_holdout=s.periods.holdout,
    )


def _channels(loaded: Sequence[_Model]) -> tuple[list[str], dict[str, list[str]]]:
    """Channels every model has (first model's order) and, per model, those it lacks."""
    every = [ch for m in loaded for ch in m.result.channels]
    union = list(dict.fromkeys(every))
    shared = [ch for ch in union if all(ch in m.result.channels for m in loaded)]
    if not shared:
        raise MixwiseError(
            "the models have no channel in common: nothing to compare",
            "Compare models fitted on the same data (or with the same channel names).",
        )
    missing = {
        m.id: [ch for ch in union if ch not in m.result.channels]
        for m in loaded
        if any(ch not in m.result.channels for ch in union)
    }
    return shared, missing


def _channel(ch: str, loaded: Sequence[_Model], baseline_agree: bool | None) -> ChannelComparison:
    estimates = [
        ChannelEstimate(
            model_id=m.id, roas=m.summary.channels[ch].roas, share=m.summary.channels[ch].share
        )
        for m in loaded
    ]
    roas_agree = agreement.intervals_agree(
        [e.roas.model_dump() if e.roas else None for e in estimates]
    )
    share_agree = agreement.intervals_agree([e.share.model_dump() for e in estimates])
    cv = agreement.spend_variation(loaded[0].result.spend).get(ch)
    disagree = roas_agree is False or share_agree is False
    reasons = _reasons(ch, loaded, cv, baseline_agree) if disagree else []
    return ChannelComparison(
        channel=ch,
        estimates=estimates,
        roas_agree=roas_agree,
        share_agree=share_agree,
        spend_cv=cv,
        reasons=reasons,
    )


def _reasons(
    ch: str, loaded: Sequence[_Model], cv: float | None, baseline_agree: bool | None
) -> list[Reason]:
    """The likely reasons the models disagree on ``ch`` (module docstring of
    :mod:`mixwise.model.agreement` for the measures and thresholds)."""
    out: list[Reason] = []
    if cv is not None and cv < agreement.LOW_SPEND_CV:
        out.append(
            Reason(
                code="low_spend_variation",
                value=cv,
                message=f"{ch}'s spend barely varies over time (coefficient of variation "
                f"{cv:.2f}, below {agreement.LOW_SPEND_CV}): the data cannot separate its effect "
                "from the baseline, so each engine's assumptions decide.",
            )
        )
    for m in loaded:
        out.extend(_prior_reasons(ch, m))
    if baseline_agree is False:
        shares = "; ".join(f"{m.name}: {_pct(m.summary.baseline.share)}" for m in loaded)
        out.append(
            Reason(
                code="different_baseline",
                message="The models split the KPI differently between baseline and media "
                f"(baseline share {shares}): what one gives the baseline the other gives the "
                "channels.",
            )
        )
    if not out:
        out.append(
            Reason(
                code="unexplained",
                message="No cause found in the data or the posteriors: check each model's fit "
                "and convergence before trusting either.",
            )
        )
    return out


def _prior_reasons(ch: str, m: _Model) -> list[Reason]:
    spec = m.result.spec
    out: list[Reason] = []
    own = spec.channels.get(ch)
    if own is not None and (own.roas or own.cpa):
        given = own.roas or own.cpa
        assert given is not None
        kind = "ROAS" if own.roas else "CPA"
        out.append(
            Reason(
                code="roas_prior",
                model_id=m.id,
                message=f"{m.name}'s spec sets a {kind} prior for {ch} "
                f"(mean {given.mean:g}, sigma {given.sigma:g}): its estimate is pulled there.",
            )
        )
    if m.result.approximate:  # ADVI understates posterior spread: no honest contraction
        return out
    prior = coefficient_prior_draws(m.engine, spec, [ch], PRIOR_DRAWS, seed=0, geo=m.result.has_geo)
    if prior is None:
        return out
    value = agreement.contraction(prior[ch], agreement.coefficient_draws(m.result, ch))
    if value is not None and value < agreement.PRIOR_DOMINATED:
        out.append(
            Reason(
                code="prior_dominated",
                model_id=m.id,
                value=value,
                message=f"In {m.name}, {ch}'s coefficient is close to its prior (posterior "
                f"contraction {value:.2f}, below {agreement.PRIOR_DOMINATED}): the estimate "
                "reflects the prior more than the data.",
            )
        )
    return out


def _pct(i: Interval) -> str:
    def f(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.0%}"

    return f"{f(i.mean)} [{f(i.lo)}, {f(i.hi)}]"


def _fit(loaded: Sequence[_Model], notes: list[str]) -> tuple[list[ModelFit], Window | None]:
    dates = agreement.holdout_window([m.result for m in loaded])
    if dates is None:
        notes.append(
            "In-sample fit only: none of the models was fitted with a holdout (set holdout: N "
            "in the spec of an engine that can hold periods out)."
        )
    out = []
    for m in loaded:
        holdout: dict[str, Any] | None = None
        outside = False
        if dates is not None:
            holdout = agreement.window_fit(m.result, dates)
            outside = agreement.held_out(m.result, dates)
            if holdout is not None and not outside:
                notes.append(
                    f"{m.name} was fitted on the holdout window too: its holdout metrics are "
                    "in-sample, not a forecast."
                )
        out.append(
            ModelFit(
                model_id=m.id,
                in_sample=m.summary.fit.in_sample,
                holdout=FitMetrics(**holdout) if holdout is not None else None,
                holdout_out_of_sample=outside,
            )
        )
    window = (
        Window(start=str(dates[0].date()), end=str(dates[-1].date()), n=len(dates))
        if dates is not None
        else None
    )
    return out, window
