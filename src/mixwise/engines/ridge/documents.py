"""What a ridge run keeps besides its FitResult arrays, as JSON documents of the run folder.

- ``pareto.json`` (:func:`pareto_document`): every Pareto model (fronts 1..``fronts``) with its
  id (``<trial>_<iteration>``, 1-based), front, ROAS cluster, objectives, error score, ROAS per
  paid channel, hyperparameters, ridge coefficients and intercept; Robyn's per-cluster ROAS
  intervals; the chosen model.
- ``ridge_problem.json`` (:func:`problem_document`): the design the models were fitted on, so a
  run can refit another Pareto model's bootstrap draws without the data
  (:func:`problem_from_document`). JSON keeps every float exactly.

:func:`pareto_summary` is the compact part of ``pareto.json`` that goes into ``summary.json``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.hyperparameters import HyperRanges, Range
from mixwise.engines.ridge.regression import FixedBlock
from mixwise.engines.ridge.run import RidgeRun
from mixwise.model.intervals import rounded

SUMMARY_KEYS = ("id", "front", "cluster", "nrmse", "decomp_rssd", "mape", "score", "roas")
"""The fields of each Pareto model that ``summary.json`` repeats."""


def _num(x: float) -> float | None:
    """A JSON-safe float (``None`` for NaN and infinities)."""
    v = float(x)
    return v if math.isfinite(v) else None


def model_id(trial: int, iteration: int) -> str:
    """Robyn-style model id from 0-based trial and iteration: ``"2_157"``."""
    return f"{trial + 1}_{iteration + 1}"


def pareto_document(run: RidgeRun) -> dict[str, Any]:
    """``pareto.json`` of a run (module docstring)."""
    p, c, sel = run.problem, run.candidates, run.selection
    paid = list(p.channels[: p.n_paid])
    coef_names = [*p.channels, *p.fixed_names]
    roas = c.roas(p.spend)
    has_lift = bool(p.lift_tests)
    models = []
    for pos, i in enumerate(sel.models):
        models.append(
            {
                "id": model_id(int(c.trial[i]), int(c.iteration[i])),
                "trial": int(c.trial[i]) + 1,
                "iteration": int(c.iteration[i]) + 1,
                "front": int(sel.front[i]),
                "cluster": int(sel.clusters.labels[pos]) + 1,
                "nrmse": _num(c.nrmse[i]),
                "decomp_rssd": _num(c.decomp_rssd[i]),
                "mape": _num(c.mape[i]) if has_lift else None,
                "score": _num(sel.score[i]),
                "roas": {ch: _num(v) for ch, v in zip(paid, roas[i], strict=True)},
                "hyperparameters": dict(zip(c.names, map(float, c.hyper[i]), strict=True)),
                "coefficients": dict(zip(coef_names, map(float, c.coef[i]), strict=True)),
                "intercept": float(c.intercept[i]),
            }
        )
    ids = [m["id"] for m in models]
    best = {int(sel.clusters.labels[b]): ids[b] for b in sel.clusters.best}
    iv = run.intervals
    clusters = [
        {
            "cluster": k + 1,
            "n": int(iv.n[k, 0]),
            "best_model": best[k],
            "roas_interval": {
                ch: {"lo": _num(iv.ci_low[k, j]), "hi": _num(iv.ci_up[k, j])}
                for j, ch in enumerate(paid)
            },
        }
        for k in range(sel.clusters.k)
    ]
    chosen = model_id(int(c.trial[run.chosen]), int(c.iteration[run.chosen]))
    return {"chosen_model": chosen, "models": models, "clusters": clusters}


def pareto_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """``summary.json``'s ``pareto`` and ``chosen_model`` from a ``pareto.json`` document."""

    def short(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: short(x) for k, x in v.items()}
        return rounded(v) if isinstance(v, float) else v

    models = [{k: short(m[k]) for k in SUMMARY_KEYS} for m in doc["models"]]
    clusters = [short(c) for c in doc["clusters"]]
    return {
        "chosen_model": doc["chosen_model"],
        "pareto": {"models": models, "clusters": clusters},
    }


def find_model(doc: dict[str, Any], wanted: str) -> dict[str, Any]:
    """The Pareto model ``wanted`` of a ``pareto.json`` document (``KeyError`` if absent)."""
    for m in doc["models"]:
        if m["id"] == wanted:
            return dict(m)
    raise KeyError(wanted)


def _order(a: np.ndarray) -> str:
    """Memory order of ``a``: kept, so that refits sum in the same order (bit-identical)."""
    return "F" if a.ndim == 2 and a.shape[1] > 1 and a.strides[0] < a.strides[1] else "C"


def problem_document(p: RidgeProblem) -> dict[str, Any]:
    """``ridge_problem.json``: what refits need (module docstring)."""
    r = p.ranges
    return {
        "channels": list(p.channels),
        "n_paid": p.n_paid,
        "media": p.media.tolist(),
        "media_order": _order(p.media),
        "window": [p.window.start, p.window.stop],
        "y": p.y.tolist(),
        "fixed": p.fixed.z.tolist(),
        "fixed_order": _order(p.fixed.z),
        "fixed_names": list(p.fixed_names),
        "fixed_components": list(p.fixed_components),
        "nonneg": p.nonneg.tolist(),
        "spend": p.spend.tolist(),
        "lam_max": p.lam_max,
        "inflexion": p.inflexion,
        "dates": None if p.dates is None else [str(d) for d in p.dates],
        "n_train": p.n_train,
        "ranges": {
            "adstock": r.adstock,
            "channels": {
                c: {k: [v.lower, v.upper] for k, v in params.items()}
                for c, params in r.channels.items()
            },
            "lambda": [r.lambda_.lower, r.lambda_.upper],
        },
    }


def problem_from_document(doc: dict[str, Any]) -> RidgeProblem:
    """The :class:`RidgeProblem` a :func:`problem_document` describes (no lift tests: refits
    need none)."""
    rd = doc["ranges"]
    ranges = HyperRanges(
        adstock=rd["adstock"],
        channels={
            c: {k: Range(*v) for k, v in params.items()} for c, params in rd["channels"].items()
        },
        lambda_=Range(*rd["lambda"]),
    )
    media = np.asarray(doc["media"], dtype=np.float64, order=doc.get("media_order", "C"))
    n_fixed = len(doc["fixed_names"])
    fixed = np.asarray(doc["fixed"], dtype=np.float64).reshape(len(doc["y"]), n_fixed)
    fixed = np.asarray(fixed, order=doc.get("fixed_order", "C"))
    dates = doc["dates"]
    return RidgeProblem(
        channels=tuple(doc["channels"]),
        n_paid=int(doc["n_paid"]),
        media=media,
        window=slice(*doc["window"]),
        y=np.asarray(doc["y"], dtype=np.float64),
        fixed=FixedBlock.of(fixed),
        fixed_names=tuple(doc["fixed_names"]),
        nonneg=np.asarray(doc["nonneg"], dtype=bool),
        spend=np.asarray(doc["spend"], dtype=np.float64),
        lam_max=float(doc["lam_max"]),
        ranges=ranges,
        fixed_components=tuple(doc["fixed_components"]),
        inflexion=doc["inflexion"],
        dates=None if dates is None else pd.DatetimeIndex(dates).to_numpy("datetime64[ns]"),
        n_train=doc.get("n_train"),
    )
