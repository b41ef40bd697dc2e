"""Planning use cases on a fitted model: simulate, evaluate shares, optimize, frontier,
recommendations. Thin adapters from request schemas to :mod:`mixwise.plan` and back."""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np
import pandas as pd

from mixwise import plan
from mixwise.plan.errors import PlanError
from mixwise.plan.simulate import Simulation
from mixwise.service.results import fit_result
from mixwise.service.schemas.common import Interval, jsonable
from mixwise.service.schemas.plans import (
    BoundIn,
    Delta,
    FrontierIn,
    FrontierOut,
    OptimizeIn,
    OptimizeOut,
    RecommendationsOut,
    SharesIn,
    SharesOut,
    SimulateIn,
    SimulationOut,
)
from mixwise.store.db import Store


def model_view(store: Store, workspace_id: str, model_id: str) -> tuple[plan.ResponseModel, float]:
    """Planning's view of the model (cached with the result) and its interval level."""
    result = fit_result(store, workspace_id, model_id)
    return plan.as_response_model(result), float(result.spec.interval)


def interval_of(draws: np.ndarray, level: float) -> Interval:
    return intervals(np.asarray(draws)[:, None], level)[0]


def intervals(draws: np.ndarray, level: float) -> list[Interval]:
    """One :class:`Interval` per column of ``(draw, k)`` draws (NaN draws ignored), in one
    vectorised pass: the slider endpoints summarise dozens of quantities per request."""
    x = np.asarray(draws, dtype=np.float64)
    qs = [(1 - level) / 2, 0.5, (1 + level) / 2]
    nan = np.isnan(x).any(axis=0)
    out = np.full((4, x.shape[1]), np.nan)
    if (~nan).any():
        clean = x[:, ~nan]
        out[0, ~nan] = clean.mean(axis=0)
        out[1:, ~nan] = np.quantile(clean, qs, axis=0)
    for j in np.flatnonzero(nan):  # NaN draws are ignored, as in plan.Estimate
        col = x[:, j][~np.isnan(x[:, j])]
        if col.size:
            out[0, j], out[1:, j] = col.mean(), np.quantile(col, qs)
    mean, lo, median, hi = (jsonable(row.tolist()) for row in out)
    return [
        Interval(mean=a, median=b, lo=c, hi=d)
        for a, b, c, d in zip(mean, median, lo, hi, strict=True)
    ]


def deltas(names: list[str], draws: np.ndarray, level: float) -> dict[str, Delta]:
    """Per-draw differences ``(draw, k)`` summarised, with the share of draws above 0."""
    better = np.mean(draws > 0, axis=0)
    return {
        n: Delta(**i.model_dump(), p_better=float(p))
        for n, i, p in zip(names, intervals(draws, level), better, strict=True)
    }


def delta(draws: np.ndarray, level: float) -> Delta:
    return deltas(["x"], np.asarray(draws)[:, None], level)["x"]


def plan_frame(m: plan.ResponseModel, body: SimulateIn) -> pd.DataFrame:
    """The request's plan as a DataFrame (periods x channels) starting after the data."""
    periods = body.periods or m.recent_periods
    if body.spend is not None:
        lengths = {len(v) for v in body.spend.values()}
        if len(lengths) != 1:
            raise PlanError("every channel's spend list must have the same length (periods)")
        periods = lengths.pop()
        frame = pd.DataFrame(body.spend, index=m.future_dates(periods))
        missing = [c for c in m.channels if c not in frame.columns]
        for c in missing:
            frame[c] = 0.0
        return frame
    if body.allocation is not None:
        return plan.even_plan(m, body.allocation, periods)
    return plan.baseline_plan(m, periods)


def _dates(index: pd.Index) -> list[str]:
    return [
        pd.Timestamp(d).date().isoformat() if isinstance(index, pd.DatetimeIndex) else str(d)
        for d in index
    ]


def simulation_out(
    model_id: str, sim: Simulation, current: Simulation, level: float
) -> SimulationOut:
    draws = sim.metric_draws()
    names = list(draws)
    ch = sim.channel_draws()
    per_channel = intervals(np.concatenate(list(ch.values()), axis=1), level)
    n_ch = len(sim.channels)
    channels = {
        name: {k: per_channel[j * n_ch + i] for j, k in enumerate(ch)}
        for i, name in enumerate(sim.channels)
    }
    cur_draws = current.metric_draws()
    common = [k for k in names if k in cur_draws]
    change = np.column_stack([draws[k] - cur_draws[k] for k in common])
    return SimulationOut(
        model_id=model_id,
        periods=len(sim.periods),
        interval=level,
        dates=_dates(sim.periods),
        allocation=dict(zip(sim.channels, sim.spend.sum(axis=0).tolist(), strict=True)),
        metrics=dict(
            zip(names, intervals(np.column_stack(list(draws.values())), level), strict=True)
        ),
        channels=channels,
        kpi_by_period=intervals(sim.kpi, level),
        current_allocation=dict(
            zip(current.channels, current.spend.sum(axis=0).tolist(), strict=True)
        ),
        vs_current=deltas(common, change, level),
    )


def simulate(store: Store, workspace_id: str, model_id: str, body: SimulateIn) -> SimulationOut:
    """Simulate the plan on every draw and compare it with the recent allocation."""
    m, default_level = model_view(store, workspace_id, model_id)
    level = body.level or default_level
    frame = plan_frame(m, body)
    sim = plan.simulate(m, frame, level)
    return simulation_out(model_id, sim, current_plan(m, len(frame), level), level)


_current: weakref.WeakKeyDictionary[plan.ResponseModel, dict[tuple[int, float], Simulation]] = (
    weakref.WeakKeyDictionary()
)
_current_lock = threading.Lock()


def current_plan(m: plan.ResponseModel, periods: int, level: float) -> Simulation:
    """The recent allocation over ``periods``, simulated once per model (it never changes)."""
    with _current_lock:
        cached = _current.get(m, {}).get((periods, level))
    if cached is None:
        cached = plan.simulate(m, plan.baseline_plan(m, periods), level)
        with _current_lock:
            _current.setdefault(m, {})[(periods, level)] = cached
    return cached


def evaluate_shares(store: Store, workspace_id: str, model_id: str, body: SharesIn) -> SharesOut:
    """The sliders: the given shares of the budget against the original shares."""
    import warnings

    m, default_level = model_view(store, workspace_id, model_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", plan.SharesWarning)  # reported in the body instead
        ev = plan.evaluate_shares(
            m, body.budget, body.shares, body.periods, body.level or default_level
        )
    return SharesOut(model_id=model_id, **jsonable(ev.to_dict()))


def _bounds(bounds: dict[str, BoundIn], unit: str) -> dict[str, plan.Bound] | None:
    if not bounds:
        return None
    return {c: plan.Bound(b.min, b.max, unit) for c, b in bounds.items()}  # type: ignore[arg-type]


def _locked(locked: dict[str, float] | list[str] | None) -> Any:
    return locked if locked else None


def run_optimize(
    store: Store, workspace_id: str, model_id: str, body: OptimizeIn
) -> plan.OptimizationResult:
    m, default_level = model_view(store, workspace_id, model_id)
    return plan.optimize(
        m,
        body.budget,
        body.periods,
        _bounds(body.bounds, body.bounds_unit),
        body.objective,
        target=body.target,
        locked=_locked(body.locked),
        bounds_unit=body.bounds_unit,
        risk=body.risk,
        risk_lambda=body.risk_lambda,
        quantile=body.quantile,
        n_starts=body.n_starts,
        seed=body.seed,
        level=body.level or default_level,
    )


def optimize_out(model_id: str, opt: plan.OptimizationResult) -> OptimizeOut:
    channels = opt.channels().rename_axis("channel").reset_index()
    metrics = opt.summary().rename_axis("metric").reset_index()
    return OptimizeOut(
        model_id=model_id,
        plan=jsonable(_plain(opt.to_plan_json())),
        channels=jsonable(channels.to_dict(orient="records")),
        metrics=jsonable(metrics.to_dict(orient="records")),
    )


def _plain(doc: Any) -> Any:
    """Timestamps and numpy scalars to JSON types (for plan.json-like documents)."""
    import json

    from mixwise.plan.optimum import _json

    return json.loads(json.dumps(doc, default=_json))


def optimize(store: Store, workspace_id: str, model_id: str, body: OptimizeIn) -> OptimizeOut:
    return optimize_out(model_id, run_optimize(store, workspace_id, model_id, body))


def frontier(store: Store, workspace_id: str, model_id: str, body: FrontierIn) -> FrontierOut:
    m, default_level = model_view(store, workspace_id, model_id)
    table = plan.efficiency_frontier(
        m,
        body.periods,
        body.budgets,
        bounds=_bounds(body.bounds, body.bounds_unit),
        bounds_unit=body.bounds_unit,
        locked=_locked(body.locked),
        risk=body.risk,
        level=body.level or default_level,
    )
    return FrontierOut(model_id=model_id, points=jsonable(table.to_dict(orient="records")))


def recommendations(
    store: Store,
    workspace_id: str,
    model_id: str,
    periods: int | None = None,
    shift: float = 0.10,
    threshold: float | None = None,
    top: int = 5,
) -> RecommendationsOut:
    m, level = model_view(store, workspace_id, model_id)
    recs = plan.recommendations(m, periods, shift=shift, threshold=threshold, top=top, level=level)
    return RecommendationsOut(model_id=model_id, items=[jsonable(r.to_dict()) for r in recs])
