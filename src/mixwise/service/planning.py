"""Planning use cases on a fitted model: simulate, evaluate shares, optimize, frontier,
recommendations. Thin adapters from request schemas to :mod:`mixwise.plan` and back.

The API and the CLI call these same functions with a :class:`~mixwise.service.fitted.ModelSource`
(a workspace's model, or a run folder), so a plan is read, checked and answered one way."""

from __future__ import annotations

import threading
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixwise import plan
from mixwise.errors import MixwiseError
from mixwise.plan.errors import PlanError
from mixwise.plan.simulate import Simulation
from mixwise.service.fitted import ModelSource
from mixwise.service.schemas.common import Interval, jsonable
from mixwise.service.schemas.plans import (
    BoundIn,
    CellOptimizeIn,
    CellOptimizeOut,
    Delta,
    FrontierIn,
    FrontierOut,
    OptimizeIn,
    OptimizeOut,
    PeriodOptimizeIn,
    PeriodOptimizeOut,
    RecommendationsOut,
    SharesIn,
    SharesOut,
    SimulateIn,
    SimulationOut,
)


def model_view(model: ModelSource) -> tuple[plan.ResponseModel, float]:
    """Planning's view of the model (cached with the result) and its interval level."""
    result = model.result()
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
    """The request's plan as a DataFrame (periods x channels): the one place a plan is read,
    for the API, the CLI and saved scenarios. Channels left out of ``spend`` are an error
    unless the request chose a ``fill``."""
    periods = body.periods or m.recent_periods
    if body.spend is not None:
        lengths = {len(v) for v in body.spend.values()}
        if len(lengths) != 1:
            raise PlanError(
                "every channel's spend list must have the same length (periods): got "
                + ", ".join(f"{c} {len(v)}" for c, v in body.spend.items())
            )
        periods = lengths.pop()
        if body.dates is not None and len(body.dates) != periods:
            raise PlanError(
                f"the plan has {len(body.dates)} dates for {periods} periods of spend",
                "Give one date per period.",
            )
        index = pd.DatetimeIndex(body.dates) if body.dates else m.future_dates(periods)
        frame = pd.DataFrame(body.spend, index=index, dtype=np.float64)
        return plan.complete_plan(m, frame, body.fill)
    if body.allocation is not None:
        return plan.even_plan(m, body.allocation, periods)
    return plan.baseline_plan(m, periods)


def read_plan_table(
    path: Path, what: str = "plan"
) -> tuple[dict[str, list[float]], list[date] | None]:
    """A plan table (CSV): one row per period, one column per channel (amounts, or flighting
    weights), optionally a first column ``date`` (the periods' dates) or ``period`` (labels).

    Only the file is read here: which channels it must have and that amounts are >= 0 is
    checked where the plan is used (:func:`plan_frame`, :func:`mixwise.plan.simulate`).
    """
    if not path.is_file():
        raise MixwiseError(
            f"{what} file not found: {path}", "Pass a CSV with one column per channel."
        )
    try:
        frame = pd.read_csv(path)
    except (ValueError, pd.errors.ParserError) as exc:
        raise MixwiseError(f"{what} {path} is not a readable CSV: {exc}") from None
    dates: list[date] | None = None
    if len(frame.columns) and str(frame.columns[0]).strip().lower() in ("period", "date"):
        first = frame.columns[0]
        if str(first).strip().lower() == "date":
            parsed = pd.to_datetime(frame[first], errors="coerce")
            if parsed.isna().any():
                row = int(np.flatnonzero(parsed.isna())[0])
                raise MixwiseError(
                    f"{what} {path}: row {row + 1}, column {first!r} is "
                    f"{frame[first].iloc[row]!r}, not a date",
                    "Write dates as YYYY-MM-DD.",
                )
            dates = [d.date() for d in parsed]
        frame = frame.drop(columns=first)
    amounts = frame.apply(pd.to_numeric, errors="coerce")
    bad = amounts.isna().to_numpy()  # empty or not a number
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise MixwiseError(
            f"{what} {path}: row {r + 1}, column {frame.columns[c]!r} is "
            f"{frame.iat[r, c]!r}, not a number",
            "Every cell must be a number (0 for no spend).",
        )
    return {str(c): amounts[c].astype(float).tolist() for c in amounts.columns}, dates


def read_bounds_table(path: Path) -> dict[str, BoundIn]:
    """Bounds from a ``channel,min,max`` CSV (amounts; an empty cell means no limit)."""
    if not path.is_file():
        raise MixwiseError(f"bounds file not found: {path}", "Pass a CSV with channel,min,max.")
    return {c: BoundIn(min=b.min, max=b.max) for c, b in plan.read_bounds(path).items()}


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


def simulate(model: ModelSource, body: SimulateIn) -> SimulationOut:
    """Simulate the plan on every draw and compare it with the recent allocation."""
    m, default_level = model_view(model)
    level = body.level or default_level
    frame = plan_frame(m, body)
    shift = treatment_shift(model, body.treatments) if body.treatments else None
    sim = plan.simulate(m, frame, level, baseline_shift=shift)
    return simulation_out(model.model_id, sim, current_plan(m, len(frame), level), level)


def treatment_shift(model: ModelSource, levels: dict[str, float]) -> np.ndarray:
    """Per draw, the KPI change per period of setting each named non-media treatment to its
    level: ``sum_T treatment_effect[draw, T] * (level_T - treatment_level_T)`` (the fit's
    per-unit effect and recent level, :mod:`mixwise.engines.bayesian.treatments`)."""
    params = model.result().params
    known = [str(t) for t in params["treatment"].values] if "treatment" in params.dims else []
    shift = np.zeros(params.sizes["draw"])
    for name, value in levels.items():
        if name not in known:
            raise PlanError(
                f"treatments.{name}: not a non-media treatment of this model"
                + (f" (treatments: {', '.join(known)})" if known else " (it has none)"),
                "Name a column of the mapping's non_media (bayesian engine, national data).",
            )
        effect = params["treatment_effect"].sel(treatment=name).values
        shift += effect * (float(value) - float(params["treatment_level"].sel(treatment=name)))
    return shift


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


def evaluate_shares(model: ModelSource, body: SharesIn) -> SharesOut:
    """The sliders: the given shares of the budget against the original shares."""
    import warnings

    m, default_level = model_view(model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", plan.SharesWarning)  # reported in the body instead
        ev = plan.evaluate_shares(
            m, body.budget, body.shares, body.periods, body.level or default_level
        )
    return SharesOut(model_id=model.model_id, **jsonable(ev.to_dict()))


def _bounds(bounds: dict[str, BoundIn], unit: str) -> dict[str, plan.Bound] | None:
    if not bounds:
        return None
    return {c: plan.Bound(b.min, b.max, unit) for c, b in bounds.items()}  # type: ignore[arg-type]


def _locked(locked: dict[str, float] | list[str] | None) -> Any:
    return locked if locked else None


def _flighting(m: plan.ResponseModel, weights: dict[str, list[float]] | None, periods: int) -> Any:
    """The request's flighting weights as planning takes them (``None``: even)."""
    if weights is None:
        return None
    for channel, values in weights.items():
        if len(values) != periods:
            raise PlanError(
                f"flighting of {channel!r} has {len(values)} weights; the plan has {periods} "
                "periods",
                "Give one weight per period for every channel (or leave flighting out: even).",
            )
    return pd.DataFrame(weights, index=m.future_dates(periods), dtype=np.float64)


def run_optimize(model: ModelSource, body: OptimizeIn) -> plan.OptimizationResult:
    """Optimize the budget with every option of the request."""
    m, default_level = model_view(model)
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
        flighting=_flighting(m, body.flighting, body.periods),
        n_starts=body.n_starts,
        seed=body.seed,
        level=body.level or default_level,
    )


def optimize_out(model_id: str, opt: plan.OptimizationResult) -> OptimizeOut:
    channels = opt.channels().rename_axis("channel").reset_index()
    metrics = opt.summary().rename_axis("metric").reset_index()
    return OptimizeOut(
        model_id=model_id,
        plan=jsonable(opt.to_plan_json()),
        channels=jsonable(channels.to_dict(orient="records")),
        metrics=jsonable(metrics.to_dict(orient="records")),
    )


def optimize(model: ModelSource, body: OptimizeIn) -> OptimizeOut:
    return optimize_out(model.model_id, run_optimize(model, body))


def frontier(model: ModelSource, body: FrontierIn) -> FrontierOut:
    m, default_level = model_view(model)
    table = plan.efficiency_frontier(
        m,
        body.periods,
        body.budgets,
        bounds=_bounds(body.bounds, body.bounds_unit),
        bounds_unit=body.bounds_unit,
        locked=_locked(body.locked),
        risk=body.risk,
        flighting=_flighting(m, body.flighting, body.periods),
        level=body.level or default_level,
    )
    return FrontierOut(model_id=model.model_id, points=jsonable(table.to_dict(orient="records")))


def recommendations(
    model: ModelSource,
    periods: int | None = None,
    shift: float = 0.10,
    threshold: float | None = None,
    top: int = 5,
) -> RecommendationsOut:
    m, level = model_view(model)
    recs = plan.recommendations(m, periods, shift=shift, threshold=threshold, top=top, level=level)
    return RecommendationsOut(model_id=model.model_id, items=[jsonable(r.to_dict()) for r in recs])


def optimize_cells(model: ModelSource, body: CellOptimizeIn) -> CellOptimizeOut:
    """The optimizer per geo of a geo-level model (:func:`mixwise.plan.optimize_cells`)."""
    result = model.result()
    cells = plan.cells_from_result(result)
    bounds = {
        cell: {ch: (b.min, b.max) for ch, b in per.items()} for cell, per in body.bounds.items()
    }
    out = plan.optimize_cells(
        cells,
        body.budget,
        body.periods,
        bounds,
        risk=body.risk,
        risk_lambda=body.risk_lambda,
        quantile=body.quantile,
        n_starts=body.n_starts,
        seed=body.seed,
        level=body.level or float(result.spec.interval),
    )
    return CellOptimizeOut(model_id=model.model_id, by=body.by, **jsonable(out.to_dict()))


def optimize_periods(model: ModelSource, body: PeriodOptimizeIn) -> PeriodOptimizeOut:
    """The optimizer in time (:func:`mixwise.plan.optimize_in_time`)."""
    m, default_level = model_view(model)
    out = plan.optimize_in_time(
        m,
        body.budget,
        body.periods,
        min_per_period=body.min_per_period or None,
        max_per_period=body.max_per_period or None,
        objective=body.objective,
        discount_rate=body.discount_rate,
        risk=body.risk,
        risk_lambda=body.risk_lambda,
        quantile=body.quantile,
        level=body.level or default_level,
    )
    return PeriodOptimizeOut(model_id=model.model_id, **jsonable(out.to_dict()))
