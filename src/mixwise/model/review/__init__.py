"""The model reviewer: one health check per fit, engine-neutral (any FitResult).

``review(result, summary)`` runs every check that this fit allows and returns
``{"verdict": pass|warn|fail, "message", "checks": [{name, status, message, numbers}],
"skipped": [{name, reason}]}``; the verdict is the worst status. ``summary.json`` holds it under
``review``. Thresholds: :mod:`mixwise.model.review.thresholds` (docs/fitting.md). The placebo
check needs a refit and runs on request (:mod:`mixwise.model.review.placebo`, started by the
service's ``review_run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixwise.model.review import fit_checks, roas_checks
from mixwise.model.review.base import Check, Skipped, verdict
from mixwise.model.review.thresholds import THRESHOLDS, Thresholds

if TYPE_CHECKING:
    from mixwise.model.result import FitResult


def run_checks(result: FitResult, summary: dict[str, Any]) -> list[Check | Skipped]:
    """Every check on ``result`` and its ``summary`` (the summary document, without review)."""
    return [
        fit_checks.convergence(result),
        fit_checks.baseline(result),
        fit_checks.ppc(result),
        fit_checks.fit_in_sample(summary),
        fit_checks.fit_holdout(summary),
        fit_checks.autocorrelation(result),
        roas_checks.lift_tests(summary),
        roas_checks.roas_priors(result, summary),
        roas_checks.prior_influence(result, summary),
        roas_checks.plausible_roas(summary),
        roas_checks.precision(summary),
    ]


def review(
    result: FitResult, summary: dict[str, Any], extra: list[Check] | None = None
) -> dict[str, Any]:
    """The review document of ``result`` (module docstring); ``extra`` checks (the placebo)
    are added to the computed ones."""
    outcomes = [*run_checks(result, summary), *(extra or [])]
    checks = [c for c in outcomes if isinstance(c, Check)]
    skipped = [s for s in outcomes if isinstance(s, Skipped)]
    return verdict(checks, skipped)


__all__ = ["THRESHOLDS", "Check", "Skipped", "Thresholds", "review", "run_checks"]
