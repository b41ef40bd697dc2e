"""Planning with a fitted model: what-if simulation, response curves, the budget optimizer,
slider evaluation and recommendations -- for any engine, vectorised over posterior draws.

Every function takes a :class:`Plannable`: a fitted model (anything with the attributes of the
:class:`FittedModel` protocol, such as :class:`~mixwise.model.result.FitResult`) or a
:class:`ResponseModel` (the engine-independent view planning works on;
``response_model_from_truth`` builds one from synthetic data with known parameters). Planning
never imports an engine or PyMC.

    import mixwise.plan as plan
    sim = plan.simulate(result, plan.baseline_plan(result, 13))
    best = plan.optimize(result, budget=1_000_000, periods=13)
    best.to_plan_json()
"""

from mixwise.plan.adapter import as_response_model, response_model_from_result
from mixwise.plan.bounds import Bound, read_bounds
from mixwise.plan.cells import Cell, CellPlan, cell_curves, cells_from_result, optimize_cells
from mixwise.plan.compare import Comparison, compare
from mixwise.plan.curves import ResponseCurves, adstock_profile, response_curves
from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.frontier import efficiency_frontier, sensitivity
from mixwise.plan.objectives import Risk
from mixwise.plan.optimize import OBJECTIVES, optimize
from mixwise.plan.optimum import OptimizationResult
from mixwise.plan.protocols import FittedModel, Plannable
from mixwise.plan.recommend import Recommendation, recommendations
from mixwise.plan.response import ResponseModel
from mixwise.plan.shares import ShareEvaluation, SharesWarning, evaluate_shares
from mixwise.plan.simulate import (
    PlanFill,
    Simulation,
    baseline_plan,
    complete_plan,
    even_plan,
    simulate,
)
from mixwise.plan.summaries import Estimate
from mixwise.plan.timing import TIME_OBJECTIVES, TimePlan, optimize_in_time
from mixwise.plan.truth import response_model_from_truth

__all__ = [
    "OBJECTIVES",
    "TIME_OBJECTIVES",
    "Bound",
    "Cell",
    "CellPlan",
    "Comparison",
    "Estimate",
    "FittedModel",
    "OptimizationResult",
    "PlanError",
    "PlanFill",
    "PlanInfeasible",
    "Plannable",
    "Recommendation",
    "ResponseCurves",
    "ResponseModel",
    "Risk",
    "ShareEvaluation",
    "SharesWarning",
    "Simulation",
    "TimePlan",
    "adstock_profile",
    "as_response_model",
    "baseline_plan",
    "cell_curves",
    "cells_from_result",
    "compare",
    "complete_plan",
    "efficiency_frontier",
    "evaluate_shares",
    "even_plan",
    "optimize",
    "optimize_cells",
    "optimize_in_time",
    "read_bounds",
    "recommendations",
    "response_curves",
    "response_model_from_result",
    "response_model_from_truth",
    "sensitivity",
    "simulate",
]
