"""Narrowing a ridge run's hyperparameter ranges around its chosen model (Robyn's refresh idea).

    half = share * (previous upper - previous lower)
    new range = [value - half, value + half], clipped to the previous range

for each channel's adstock and saturation hyperparameters and the penalty share ``lambda``
(``value``: the chosen model's, from ``pareto.json``). The previous range already lies in the
hyperparameter's domain, so the new one does too. ``mixwise refresh`` (``service/refresh``)
fits the narrowed spec on the new data and compares the runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mixwise.engines.ridge.documents import find_model
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec

DEFAULT_SHARE = 0.2
"""Half-width of a narrowed range, as a share of the previous range's width."""


def narrow(value: float, lower: float, upper: float, share: float) -> tuple[float, float]:
    """``[value - h, value + h]`` clipped to ``[lower, upper]``, ``h = share * (upper -
    lower)`` (the module docstring's rule)."""
    half = share * (upper - lower)
    return (max(lower, value - half), min(upper, value + half))


def narrowed_ranges(
    problem_doc: dict[str, Any], hyper: dict[str, float], share: float
) -> tuple[dict[str, dict[str, tuple[float, float]]], tuple[float, float]]:
    """``(ridge.ranges, ridge.lambda_range)`` narrowed around ``hyper`` (a Pareto model's
    ``hyperparameters``) from the previous ranges of ``ridge_problem.json``."""
    previous = problem_doc["ranges"]
    ranges = {
        channel: {
            param: narrow(hyper[f"{channel}_{param}"], lo, hi, share)
            for param, (lo, hi) in params.items()
        }
        for channel, params in previous["channels"].items()
    }
    lam_lo, lam_hi = previous["lambda"]
    return ranges, narrow(hyper["lambda"], lam_lo, lam_hi, share)


def refresh_spec(
    previous: FitResult, share: float, channels: Sequence[str] | None = None
) -> tuple[ModelSpec, dict[str, Any]]:
    """The previous run's spec with narrowed ranges and an open end; and what was narrowed
    (``{"share", "ranges": {channel: {param: {"before", "value", "after"}}}, "lambda",
    "dropped", "new"}``). With ``channels`` (those of the new data: media and organic), a
    channel the new data lacks is dropped from the ranges and a new one searched over its
    default ranges, both recorded."""
    pareto = previous.extras["pareto"]
    chosen = find_model(pareto, pareto["chosen_model"])
    problem_doc = previous.extras["ridge_problem"]
    hyper = chosen["hyperparameters"]
    ranges, lam = narrowed_ranges(problem_doc, hyper, share)
    old = list(ranges)
    keep = old if channels is None else [c for c in old if c in channels]
    ranges = {c: ranges[c] for c in keep}
    data = previous.spec.to_dict()
    ridge = {**data.get("ridge", {}), "ranges": ranges, "lambda_range": lam, "end": None}
    if "media_kinds" in ridge:
        ridge["media_kinds"] = {c: k for c, k in ridge["media_kinds"].items() if c in keep}
    data["ridge"] = ridge
    spec = ModelSpec.from_dict(
        data, origin=f"the spec of the refreshed run, ranges narrowed by {share}"
    )
    before = problem_doc["ranges"]
    record = {
        "share": share,
        "rule": "value -/+ share * (upper - lower), within the previous range",
        "from_model": pareto["chosen_model"],
        "ranges": {
            c: {
                p: {"before": list(before["channels"][c][p]), "value": hyper[f"{c}_{p}"],
                    "after": list(r)}
                for p, r in params.items()
            }
            for c, params in ranges.items()
        },
        "lambda": {"before": list(before["lambda"]), "value": hyper["lambda"], "after": list(lam)},
        "dropped": [c for c in old if c not in keep],
        "new": [c for c in (channels or []) if c not in old],
    }  # fmt: skip
    return spec, record
