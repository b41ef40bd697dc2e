"""Choosing another model of a ridge run (``mixwise select RUN MODEL_ID``).

A ridge fit keeps every Pareto model (``pareto.json``); selecting one refits its bootstrap
draws (same seed, draws and blocks as the fit, from ``ridge_problem.json``: no data needed) and
rewrites the run folder whole or not at all, with ``summary.json``'s ``chosen_model`` updated.
"""

from __future__ import annotations

from pathlib import Path

from mixwise.engines.ridge.engine import select_model
from mixwise.model.result import FitResult, check_result_dir, load_result
from mixwise.service.fitting import save_run
from mixwise.service.result_cache import forget_folder


def select_run_model(run: str | Path, model_id: str) -> FitResult:
    """Make Pareto model ``model_id`` the chosen model of the ridge run folder ``run``."""
    path = check_result_dir(run)
    chosen = select_model(load_result(path), model_id)
    save_run(chosen, path)
    forget_folder(path)
    return chosen
