"""Schemas of a ridge fit's Pareto models, as ``summary.json`` lists them (``pareto``)."""

from __future__ import annotations

from pydantic import Field

from mixwise.service.schemas.common import Schema


class ParetoModel(Schema):
    """One model on the kept Pareto fronts."""

    id: str = Field(description="Model id <trial>_<iteration> (1-based), e.g. 3_1207.")
    front: int = Field(description="Pareto front (1 = best).")
    cluster: int = Field(description="ROAS cluster (k-means of the front models' ROAS).")
    nrmse: float | None = Field(description="Fit error.")
    decomp_rssd: float | None = Field(description="Distance of effect shares from spend shares.")
    mape: float | None = Field(description="MAPE.LIFT against the lift tests (null without).")
    score: float | None = Field(description="Combined error score (lower is better).")
    roas: dict[str, float | None] = Field(description="Paid channel -> ROAS over the window.")


class RoasRange(Schema):
    lo: float | None
    hi: float | None


class ParetoCluster(Schema):
    """A ROAS cluster with Robyn's interval of its models' ROAS (null under 3 models)."""

    cluster: int
    n: int = Field(description="Number of models in the cluster.")
    best_model: str = Field(description="The cluster's model with the lowest error score.")
    roas_interval: dict[str, RoasRange] = Field(description="Paid channel -> ROAS interval.")


class ParetoSummary(Schema):
    """Every kept Pareto model and the ROAS clusters (ridge fits)."""

    models: list[ParetoModel]
    clusters: list[ParetoCluster]
