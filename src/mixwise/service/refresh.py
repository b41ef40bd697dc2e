"""Refreshing a run on more data, any engine: ``mixwise refresh RUN NEW_DATA --mapping M --out
RUN2`` (:func:`refresh_fit`).

1. **Backtest first**: the previous model forecasts the periods of ``NEW_DATA`` after its last
   date, and the forecast is scored against what happened (:mod:`mixwise.model.backtest`: MAPE,
   coverage of the 90% interval, CRPS); the result is the new run's ``summary.json``
   ``backtest``.
2. **Refit** with the previous run's engine and spec on the whole new data. A ridge run (whose
   spec's ``end`` is dropped: the window runs to the data's last period) has every
   hyperparameter range **narrowed around the previous chosen model** (Robyn's refresh idea; the
   rule is in ``engines/ridge/refresh``, ``share`` defaults to :data:`DEFAULT_SHARE`). A Bayesian
   run of the same structure is *warm* in the sense that its compiled model is reused
   (``engines/bayesian/compiled``): no graph building nor compilation; the sampler itself starts
   from the model's default initial points, not from the parent's posterior.
3. **Compare**: ``refresh.json`` in the new run folder (and the CLI's tables): per channel ROAS,
   contribution and response curve before and after with intervals, changes larger than the
   intervals explain flagged (:mod:`mixwise.model.refresh_report`). The new run's provenance
   records its ``parent`` (the previous run folder).

A run folder does not keep the mapping, so the new data's mapping is given. A channel of the
previous run that the new data lacks is an **error** (never dropped silently); a new channel is
fitted and reported as new.

The comparison (``refresh.json`` in the new run folder, and the CLI's table) gives per paid
channel the ROAS before and after with their intervals and the change. A channel whose ROAS
interval excluded 0 before and whose new mean falls below :data:`COLLAPSE_SHARE` of the old one
(or which is missing from the new fit) is **flagged** with the reasons found (Robyn #890: a
refresh must not silently zero a channel): no spend in the added periods, the chosen model's
coefficient at the non-negativity bound, the share of bootstrap refits at that bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.data.pipeline import load_dataset
from mixwise.engines.ridge.documents import find_model
from mixwise.engines.ridge.refresh import DEFAULT_SHARE, refresh_spec
from mixwise.errors import MixwiseError
from mixwise.files import write_json_atomic
from mixwise.model.backtest import BacktestUnavailable
from mixwise.model.refresh_report import compare_channels
from mixwise.model.result import FitResult, check_result_dir, load_result
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress, no_progress
from mixwise.service.backtest import backtest_previous
from mixwise.service.fitting import check_run_target, fit_and_save, spec_with_sampler
from mixwise.service.tracking import Track

COLLAPSE_SHARE = 0.1
"""A clear effect whose new ROAS mean falls below this share of the old one is flagged."""
REFRESH_FORMAT_VERSION = 2


def _span(dates: pd.DatetimeIndex) -> dict[str, str]:
    return {"start": str(dates[0].date()), "end": str(dates[-1].date())}


def _interval(roas: dict[str, Any]) -> dict[str, Any]:
    return {k: roas.get(k) for k in ("mean", "lo", "hi")}


def collapse_reasons(channel: str, previous: FitResult, refreshed: FitResult) -> list[str]:
    """Why ``channel``'s effect may have collapsed in ``refreshed`` (empty when nothing
    explains it beyond the data)."""
    reasons = []
    old_end = previous.dates[-1]
    added = refreshed.spend.sel(channel=channel)
    added = added.sel(time=added["time"] > np.datetime64(old_end))
    n_added = int(added.sizes["time"])
    if n_added and float(np.abs(added.values).sum()) == 0.0:
        reasons.append(f"no spend in the {n_added} added periods")
    pareto = refreshed.extras.get("pareto")
    chosen = find_model(pareto, pareto["chosen_model"]) if pareto else None
    if chosen is not None and chosen["coefficients"].get(channel, 1.0) == 0.0:
        reasons.append(
            "its coefficient in the chosen model hit the non-negativity bound (0): the ridge "
            "found no positive effect that improves the fit"
        )
    beta = refreshed.params["beta"].sel(channel=channel).values
    at_bound = float(np.mean(beta == 0.0))
    if at_bound > 0:
        reasons.append(f"{at_bound:.0%} of the bootstrap refits put its coefficient at 0")
    if not reasons:
        reasons.append(
            "its coefficient shrank without reaching 0: the new periods do not support the "
            "previous effect (check the data of the added periods, or calibrate with a lift test)"
        )
    return reasons


def compare_runs(previous: FitResult, refreshed: FitResult) -> list[dict[str, Any]]:
    """Per paid channel of either run: ROAS before and after (mean and interval), change,
    ``flagged`` and ``reasons`` (module docstring)."""
    before = previous.summary_dict()["channels"]
    after = refreshed.summary_dict()["channels"]
    rows = []
    for channel in dict.fromkeys([*before, *after]):
        b = before.get(channel, {}).get("roas")
        a = after.get(channel, {}).get("roas")
        row: dict[str, Any] = {
            "channel": channel,
            "roas_before": _interval(b) if b else None,
            "roas_after": _interval(a) if a else None,
            "change": None,
            "flagged": False,
            "reasons": [],
        }
        if b and a and b.get("mean"):
            row["change"] = (a["mean"] - b["mean"]) / abs(b["mean"])
        clear = bool(b) and (b.get("lo") or 0) > 0
        if clear and not a:
            row["flagged"] = True
            row["reasons"] = ["the channel is missing from the new data"]
        elif clear and a and (a["mean"] or 0) < COLLAPSE_SHARE * b["mean"]:
            row["flagged"] = True
            row["reasons"] = collapse_reasons(channel, previous, refreshed)
        rows.append(row)
    return rows


def check_refresh(
    run: str | Path, out: Path, share: float, force: bool = False
) -> tuple[FitResult, Path]:
    """Refuse a refresh that cannot run (share, target folder), before any data is read;
    ``(the previous result, its folder)``."""
    if not (0 < share <= 1) or math.isnan(share):
        raise MixwiseError(
            f"--share {share} is outside (0, 1]",
            "Give the half-width of the narrowed ranges as a share of the previous ones, e.g. 0.2.",
        )
    path = check_result_dir(run)
    if Path(out).resolve() == path.resolve():
        raise MixwiseError(
            f"--out {out} is the run being refreshed", "Write the refresh to a new folder."
        )
    previous = load_result(path)
    check_run_target(out, force)
    return previous, path


def check_channels(previous: FitResult, dataset: MMMDataset) -> None:
    """A channel of the previous run missing from the new data is an error, naming it."""
    missing = [c for c in previous.channels if c not in dataset.channels]
    if missing:
        raise MixwiseError(
            f"channel {missing[0]!r} of the previous run is missing from the new data"
            + (f" (also: {', '.join(missing[1:])})" if len(missing) > 1 else ""),
            "Keep every channel of the previous run in the new data (0 spend is fine), "
            "or fit the new data afresh with `mixwise fit`.",
        )


def refresh_spec_for(
    previous: FitResult, dataset: MMMDataset, share: float
) -> tuple[ModelSpec, dict[str, Any] | None]:
    """The spec of the refit: a ridge run's ranges narrowed (``(spec, narrowed)``), any other
    engine's spec as it was (``(spec, None)``)."""
    if previous.provenance.get("engine") == "ridge" and "ridge_problem" in previous.extras:
        return refresh_spec(previous, share, [*dataset.channels, *dataset.mapping.organic])
    return previous.spec, None


def refresh_result[T](
    previous: FitResult,
    parent: str,
    dataset: MMMDataset,
    save: Callable[[FitResult, dict[str, Any]], T],
    *,
    share: float = DEFAULT_SHARE,
    sampler: dict[str, int | None] | None = None,
    progress: Progress = no_progress,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[FitResult, dict[str, Any], T]:
    """The refresh of ``previous`` (called ``parent`` in the new run's provenance) on
    ``dataset`` (module docstring); ``save(result, refresh.json)`` writes both."""
    check_channels(previous, dataset)
    progress("backtest", 0.02, "scoring the previous model on the new periods")
    backtest: dict[str, Any] | None
    skipped: str | None = None
    try:
        backtest = backtest_previous(previous, dataset)
    except BacktestUnavailable as exc:  # the refit goes on; the document says why
        backtest, skipped = None, exc.message
        log(f"backtest skipped: {skipped}")
    else:
        log(
            f"backtest of the previous model on {backtest['periods']} new periods: MAPE "
            f"{backtest['mape']}, coverage {backtest['coverage']:.2f}, CRPS {backtest['crps']:.4g}"
        )
    spec, narrowed = refresh_spec_for(previous, dataset, share)
    options = {k: v for k, v in (sampler or {}).items() if v is not None}
    if options:
        spec = spec_with_sampler(spec, **options)  # type: ignore[arg-type]
    engine = str(previous.provenance.get("engine", "bayesian"))
    document: dict[str, Any] = {}

    def save_both(result: FitResult) -> T:
        result.provenance["parent"] = parent
        if backtest is not None:
            result.provenance.setdefault("summary", {})["backtest"] = backtest
        document.update(refresh_document(previous, parent, result, backtest, narrowed))
        document["backtest_skipped"] = skipped
        return save(result, document)

    refreshed, saved = fit_and_save(
        lambda: dataset,
        spec,
        save_both,
        engine=engine,
        progress=progress,
        log=log,
        track=Track(kind="refresh", tags={"mixwise.previous_run": parent}),
    )
    return refreshed, document, saved


def refresh_document(
    previous: FitResult,
    parent: str,
    refreshed: FitResult,
    backtest: dict[str, Any] | None,
    narrowed: dict[str, Any] | None,
) -> dict[str, Any]:
    """``refresh.json`` (module docstring)."""
    interval = refreshed.spec.interval
    return {
        "format_version": REFRESH_FORMAT_VERSION,
        "engine": refreshed.provenance.get("engine"),
        "previous_run": parent,
        "periods": {
            "before": _span(previous.dates),
            "after": _span(refreshed.dates),
            "added": int((refreshed.dates > pd.Timestamp(previous.dates[-1])).sum()),
        },
        "narrowed": narrowed,
        "backtest": backtest,
        "interval": interval,
        "collapse_rule": (
            f"flagged: ROAS interval excluded 0 before and the new mean is below "
            f"{COLLAPSE_SHARE:.0%} of the old one"
        ),
        "channels": compare_runs(previous, refreshed),
        "changes": compare_channels(previous, refreshed, interval),
        "new_channels": [c for c in refreshed.channels if c not in previous.channels],
    }


def write_refresh(folder: Path, result: FitResult, document: dict[str, Any]) -> Path:
    """The result and ``refresh.json`` in ``folder``."""
    result.save(folder)
    write_json_atomic(Path(folder) / "refresh.json", document)
    return Path(folder)


def refresh_fit(
    run: str | Path,
    data: str | Path,
    mapping: str | Path,
    out: Path,
    *,
    share: float = DEFAULT_SHARE,
    trials: int | None = None,
    iterations: int | None = None,
    draws: int | None = None,
    force: bool = False,
    progress: Progress = no_progress,
) -> tuple[FitResult, dict[str, Any]]:
    """``mixwise refresh`` (module docstring); ``(the new result, refresh.json)``, both written
    to ``out``."""
    previous, path = check_refresh(run, out, share, force)
    progress("loading", 0.0, "reading the new data")
    dataset = load_dataset(data, mapping)
    sampler = {"trials": trials, "iterations": iterations, "draws": draws}
    refreshed, document, _ = refresh_result(
        previous,
        str(path),
        dataset,
        lambda r, d: write_refresh(out, r, d),
        share=share,
        sampler=sampler,
        progress=progress,
    )
    return refreshed, document
