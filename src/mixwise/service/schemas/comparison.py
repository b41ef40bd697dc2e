"""Schemas of a comparison of fitted models (engines side by side): per channel ROAS and share
of contribution with each model's interval and its kind, where the models agree and, where they
do not, the likely reasons; fit in sample and on a common holdout; the baseline of each."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mixwise.service.schemas.common import Interval, Schema
from mixwise.service.schemas.results import FitMetrics

ReasonCode = Literal[
    "low_spend_variation", "prior_dominated", "roas_prior", "different_baseline", "unexplained"
]


class ComparedModel(Schema):
    """A model in the comparison: which engine fitted it and what its intervals are."""

    model_id: str
    name: str = Field(description="The model's name (API) or run folder (CLI).")
    engine: str
    engine_label: str = Field(
        description='How screens name the engine, e.g. "Ridge (Robyn\'s method)".'
    )
    interval: float = Field(description="Width of every interval of this model, e.g. 0.9.")
    interval_kind: str = Field(
        description="posterior: Bayesian credible intervals of posterior draws; bootstrap: "
        "intervals of bootstrap refits (not a posterior)."
    )
    interval_text: str = Field(description='The kind in words, e.g. "90% credible interval".')
    data_fingerprint: str | None
    start: str
    end: str
    n_periods: int
    n_holdout: int


class ChannelEstimate(Schema):
    """One model's estimate of a channel (its interval kind: see the model)."""

    model_id: str
    roas: Interval | None = Field(description="Contribution / spend; null when not computable.")
    share: Interval = Field(description="Contribution / total observed KPI.")


class Reason(Schema):
    """A likely reason why the models disagree, derived from the data or a posterior."""

    code: ReasonCode
    message: str
    model_id: str | None = Field(default=None, description="The model it is about, if one.")
    value: float | None = Field(
        default=None,
        description="The measure behind it: spend CV, posterior contraction, or null.",
    )


class ChannelComparison(Schema):
    """A channel every compared model has."""

    channel: str
    estimates: list[ChannelEstimate]
    roas_agree: bool | None = Field(
        description="The ROAS intervals overlap (null: a ROAS could not be computed)."
    )
    share_agree: bool | None = Field(description="The share intervals overlap.")
    spend_cv: float | None = Field(
        description="Coefficient of variation of the channel's spend per period (first model's "
        "data)."
    )
    reasons: list[Reason] = Field(description="Why the models may disagree (empty if they agree).")


class ModelFit(Schema):
    """How well a model fits: in sample (its own training periods) and on the common holdout."""

    model_id: str
    in_sample: FitMetrics
    holdout: FitMetrics | None = Field(
        description="On the common holdout window; null without one (or periods it lacks)."
    )
    holdout_out_of_sample: bool = Field(
        description="True when the model did not see the holdout window when fitting; false "
        "when it fitted those periods (its holdout numbers are then in-sample)."
    )


class Window(Schema):
    start: str
    end: str
    n: int


class BaselineComparison(Schema):
    model_id: str
    share: Interval = Field(description="The baseline's share of the total observed KPI.")


class ComparisonOut(Schema):
    """Fitted models side by side (at least two, any mix of engines)."""

    models: list[ComparedModel]
    same_data: bool = Field(description="Every model was fitted on the same data and mapping.")
    channels: list[ChannelComparison] = Field(description="Channels every model has.")
    missing_channels: dict[str, list[str]] = Field(
        description="Model id -> channels other models have and it lacks (left out above)."
    )
    fit: list[ModelFit]
    holdout_window: Window | None = Field(
        description="The periods every model with a holdout held out; null: in-sample only."
    )
    baseline: list[BaselineComparison]
    baseline_agree: bool | None
    notes: list[str] = Field(description="What the reader must know, in plain words.")
