"""``FitResult``: the contract between estimation and everything after it.

Engine-independent, in one parametrisation, every array with named dims. For every stored draw::

    contribution[c](t) = kpi_scale * beta[c] * saturation(adstock(spend[c](t) / spend_scale[c]))

(per geo in geo models), with ``adstock`` and ``saturation`` the numpy functions of
:mod:`mixwise.model.transforms` named by ``params.attrs`` and parametrised by the ``adstock_*`` and
``saturation_*`` variables of ``params`` (see :func:`mixwise.model.forward.forward_contributions`).

Stored draws are a seeded random subset of at most ``spec.max_draws`` of the chains x draws
(``params.chain`` / ``params.chain_draw`` say which); diagnostics were computed on all of them.

On disk (``save``/:func:`load_result`)::

    result.nc          NetCDF groups /params and /series (everything below)
    spec.yaml          the resolved ModelSpec
    provenance.json    engine, versions, data fingerprint, seed, timings, findings, mode
    summary.json       FitResult.summary_dict() (format_version included)
    <name>.json        each of ``extras`` (an engine's own documents, e.g. the ridge engine's
                       pareto.json), listed in provenance.json under ``extras``
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.errors import MixwiseError
from mixwise.model.forward import forward_contributions
from mixwise.model.spec import ModelSpec
from mixwise.model.summary import build_summary, summary_frame

FORMAT_VERSION = 1
FILES = ("result.nc", "spec.yaml", "provenance.json", "summary.json")
ARRAYS = ("contributions", "baseline", "fitted", "observed", "spend")


@dataclass(frozen=True)
class Diagnostics:
    """Convergence of the sampler, with a plain-language verdict.

    Thresholds for ``converged``: R-hat <= 1.01, bulk and tail ESS >= 100 per chain, no
    divergences, BFMI >= 0.3. Approximate (quick-mode) fits have no diagnostics.
    """

    approximate: bool
    converged: bool | None
    verdict: str
    rhat_max: float | None = None
    ess_bulk_min: float | None = None
    ess_tail_min: float | None = None
    divergences: int | None = None
    bfmi_min: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "approximate": self.approximate,
            "converged": self.converged,
            "verdict": self.verdict,
            "rhat_max": self.rhat_max,
            "ess_bulk_min": self.ess_bulk_min,
            "ess_tail_min": self.ess_tail_min,
            "divergences": self.divergences,
            "bfmi_min": self.bfmi_min,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Diagnostics:
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass
class FitResult:
    """A fitted model, in KPI units and the dataset's currency.

    Attributes:
        params: ``(draw, channel[, geo])`` variables ``adstock_<p>``, ``saturation_<p>`` and
            ``beta``; ``spend_scale (channel[, geo])`` and ``kpi_scale ([geo])`` (no draw dim);
            attrs ``adstock``, ``saturation`` (kinds), ``l_max``, ``normalize`` (0/1),
            ``adstock_mode``, ``adstock_params``, ``saturation_params`` (comma lists), ``formula``.
        contributions: ``(draw, time[, geo], channel)`` incremental KPI of each channel.
        baseline: ``(draw, time[, geo], component)``: intercept, trend, seasonality, controls,
            events, holidays (those the model has).
        fitted: ``(draw, time[, geo])`` posterior mean prediction ``mu``.
        observed: ``(time[, geo])`` the KPI; ``spend``: ``(time[, geo], channel)``.
        n_holdout: the last ``n_holdout`` periods were not used to fit (see ``is_holdout``).
        interactions: ``(draw, time[, geo], interaction)`` the synergy term of each channel pair
            (:mod:`mixwise.model.interactions`), or ``None`` when the spec has no pairs;
            ``fitted = baseline + contributions + interactions`` (summed over their last dims).
        extras: JSON documents an engine keeps with the run (name -> document), saved as
            ``<name>.json``; e.g. the ridge engine's ``pareto`` (every Pareto model).
        native: the engine's own fitted object for this session (not saved).
    """

    params: xr.Dataset
    contributions: xr.DataArray
    baseline: xr.DataArray
    fitted: xr.DataArray
    observed: xr.DataArray
    spend: xr.DataArray
    spec: ModelSpec
    diagnostics: Diagnostics
    provenance: dict[str, Any]
    kpi_type: str = "revenue"
    frequency: str = "weekly"
    n_holdout: int = 0
    interactions: xr.DataArray | None = None
    extras: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    native: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ARRAYS:  # canonical names, whatever the engine produced
            setattr(self, name, getattr(self, name).rename(name))
        if self.interactions is not None:
            self.interactions = self.interactions.rename("interactions")

    # -- shape ------------------------------------------------------------------------------
    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.observed["time"].values)

    @property
    def channels(self) -> list[str]:
        return [str(c) for c in self.spend["channel"].values]

    @property
    def has_geo(self) -> bool:
        return "geo" in self.observed.dims

    @property
    def geos(self) -> list[str] | None:
        return [str(g) for g in self.observed["geo"].values] if self.has_geo else None

    @property
    def n_draws(self) -> int:
        return int(self.params.sizes["draw"])

    @property
    def is_holdout(self) -> xr.DataArray:
        """``(time)`` True for the held-out periods (the last ``n_holdout``)."""
        flags = np.arange(len(self.dates)) >= len(self.dates) - self.n_holdout
        return xr.DataArray(flags, dims=("time",), coords={"time": self.observed["time"]})

    @property
    def train_dates(self) -> pd.DatetimeIndex:
        return self.dates[: len(self.dates) - self.n_holdout]

    @property
    def holdout_dates(self) -> pd.DatetimeIndex:
        return self.dates[len(self.dates) - self.n_holdout :]

    @property
    def approximate(self) -> bool:
        return self.diagnostics.approximate

    # -- derived ----------------------------------------------------------------------------
    def simulate_contributions(self, spend: xr.DataArray) -> xr.DataArray:
        """Contributions ``(draw, time[, geo], channel)`` of spend ``(time[, geo], channel)``.

        Same formula as the fit (module docstring); periods before the plan count as zero spend.
        """
        return forward_contributions(self.params, spend)

    def summary_dict(self, interval: float | None = None) -> dict[str, Any]:
        """The content of ``summary.json`` (see :mod:`mixwise.model.summary`)."""
        return build_summary(self, self.spec.interval if interval is None else interval)

    def summary(self, interval: float | None = None) -> pd.DataFrame:
        """One row per (channel or ``baseline``, metric) with mean, median, lo, hi."""
        return summary_frame(self.summary_dict(interval))

    # -- persistence ------------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write the result to ``directory`` atomically (a temp dir renamed into place)."""
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            self._write(tmp)
            _replace_dir(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target

    def _write(self, path: Path) -> None:
        root = xr.Dataset(
            attrs={
                "format_version": FORMAT_VERSION,
                "kpi_type": self.kpi_type,
                "frequency": self.frequency,
                "n_holdout": self.n_holdout,
            }
        )
        series = xr.Dataset({name: getattr(self, name) for name in ARRAYS})
        if self.interactions is not None:
            series["interactions"] = self.interactions
        tree = xr.DataTree.from_dict({"/": root, "/params": self.params, "/series": series})
        tree.to_netcdf(path / "result.nc", engine="netcdf4")
        (path / "spec.yaml").write_text(self.spec.to_yaml(full=True), encoding="utf-8")
        provenance = {"format_version": FORMAT_VERSION, **self.provenance}
        if self.extras:
            provenance["extras"] = sorted(self.extras)
        _write_json(path / "provenance.json", provenance)
        _write_json(path / "summary.json", self.summary_dict())
        for name, doc in self.extras.items():
            _write_json(path / f"{name}.json", doc)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def _replace_dir(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; an existing ``target`` is swapped out, then removed."""
    if not target.exists():
        os.rename(new, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


RESULT_HINT = "Point to a directory written by `mixwise fit` or FitResult.save()."


def check_result_dir(directory: str | Path) -> Path:
    """``directory`` as a Path, when it holds every file of a result (else a clear error)."""
    path = Path(directory)
    if not path.is_dir():
        raise MixwiseError(f"no fit result at {path}: directory not found", RESULT_HINT)
    missing = [f for f in FILES if not (path / f).is_file()]
    if missing:
        raise MixwiseError(
            f"{path} is not a complete fit result: missing {', '.join(missing)}", RESULT_HINT
        )
    return path


def load_result(directory: str | Path) -> FitResult:
    """Read a result written by :meth:`FitResult.save`."""
    path = check_result_dir(directory)
    hint = RESULT_HINT
    try:
        provenance = json.loads((path / "provenance.json").read_text(encoding="utf-8"))
        version = int(provenance.pop("format_version"))
    except (ValueError, KeyError, TypeError) as exc:
        raise MixwiseError(f"{path}/provenance.json is corrupt: {exc}", hint) from None
    if version > FORMAT_VERSION:
        raise MixwiseError(
            f"{path} was written in result format {version}; this mixwise reads up to "
            f"{FORMAT_VERSION}",
            "Upgrade mixwise to read this result.",
        )
    try:
        with xr.open_datatree(path / "result.nc", engine="netcdf4") as tree:
            tree = tree.load()
        spec = ModelSpec.load(path / "spec.yaml")
        summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
        extras = {
            str(name): json.loads((path / f"{name}.json").read_text(encoding="utf-8"))
            for name in provenance.pop("extras", [])
        }
    except (OSError, ValueError, KeyError) as exc:
        raise MixwiseError(f"{path} holds a corrupt fit result: {exc}", hint) from None
    result = _from_tree(tree, spec, provenance, summary)
    result.extras = extras
    return result


def _from_tree(
    tree: xr.DataTree, spec: ModelSpec, provenance: dict[str, Any], summary: dict[str, Any]
) -> FitResult:
    attrs = tree.attrs
    series = tree["series"].to_dataset()
    return FitResult(
        params=tree["params"].to_dataset(),
        contributions=series["contributions"],
        baseline=series["baseline"],
        fitted=series["fitted"],
        observed=series["observed"],
        spend=series["spend"],
        spec=spec,
        diagnostics=Diagnostics.from_dict(summary["diagnostics"]),
        provenance=provenance,
        kpi_type=str(attrs["kpi_type"]),
        frequency=str(attrs["frequency"]),
        n_holdout=int(attrs["n_holdout"]),
        interactions=series.get("interactions"),
    )
