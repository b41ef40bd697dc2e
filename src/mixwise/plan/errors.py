"""Errors a planner can run into: a plan that does not fit the model, an impossible request."""

from __future__ import annotations

from mixwise.errors import MixwiseError


class PlanError(MixwiseError):
    """A plan, bound or request that does not fit the model (wrong channels, negative spend ...)."""

    code = "plan"


class PlanInfeasible(PlanError):
    """No allocation satisfies the constraints (bounds, locks, budget, target)."""

    code = "plan_infeasible"
