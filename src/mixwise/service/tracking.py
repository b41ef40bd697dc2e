"""Experiment tracking: every fit, cross-validation and refresh logged to MLflow.

One MLflow run per use case, in the experiment ``mixwise``:

- **params**: the spec the fit ran with, flattened (``sampler.draws``, ``ridge.trials``, ...),
  plus ``engine``, ``seed``, ``kind`` (``fit``, ``cv``, ``refresh``) and the data's shape;
- **metrics**: the fit (``in_sample.r2``, ``holdout.mape``, ...), the sampler diagnostics
  (``diagnostics.rhat_max``, ``diagnostics.divergences``, ...), each channel's ROAS mean and
  interval bounds (``roas.<channel>.mean|lo|hi``); for cv, each fold's scores at step = fold
  number and their means;
- **artifacts**: ``summary.json``, the HTML report (``report.html``) and the run folder (``run/``).

Where: ``MLFLOW_TRACKING_URI`` (a tracking server) when set, else a SQLite store
``$MIXWISE_HOME/mlruns/mlflow.db`` with artifacts in ``$MIXWISE_HOME/mlruns/artifacts`` (MLflow
3 refuses its old file store). ``MIXWISE_TRACKING=off`` switches it off
(:class:`mixwise.store.settings.Settings`). A workspace model's fit, and choosing another
Pareto model of a ridge fit (``kind`` ``select``), register a new version of the registered
model ``mixwise-<workspace>-<model>``, so its latest version is the result the workspace uses.

MLflow is imported only when a run is logged. Tracking never fails a fit: an error is reported
through ``log`` as one line and the fit's result stands.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mixwise.model.crossval import CrossValidation
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec
from mixwise.store.settings import Settings

if TYPE_CHECKING:
    from mlflow import MlflowClient

EXPERIMENT = "mixwise"
MAX_PARAM = 6000
"""MLflow's limit on a parameter value's length (longer values are cut)."""


@dataclass(frozen=True)
class Track:
    """What to tag a tracked run with: ``kind`` (``fit``, ``cv``, ``refresh``), extra ``tags``,
    and ``register_as``: a registered model name that gets this run as a new version."""

    kind: str = "fit"
    tags: Mapping[str, str] = field(default_factory=dict)
    register_as: str | None = None
    settings: Settings | None = None


def registered_name(workspace_id: str, model_id: str) -> str:
    """The MLflow registered model of a workspace model: ``mixwise-<workspace>-<model>``."""
    return f"mixwise-{workspace_id}-{model_id}"


def store_uris(settings: Settings) -> tuple[str, str | None]:
    """``(tracking URI, artifact location of a new experiment)``: the server's when
    ``MLFLOW_TRACKING_URI`` is set (the server chooses where artifacts go), else the local
    SQLite store and artifact folder under ``$MIXWISE_HOME/mlruns``."""
    if settings.tracking_uri:
        return settings.tracking_uri, None
    root = settings.home / "mlruns"
    root.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{root / 'mlflow.db'}", (root / "artifacts").as_uri()


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as ``{"a.b": value}``; lists as JSON text."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = json.dumps(value, default=str)
        else:
            out[name] = value
    return out


def _numbers(data: Mapping[str, Any]) -> dict[str, float]:
    """The finite numbers of a flattened mapping (booleans as 0/1)."""
    out = {}
    for key, value in flatten(data).items():
        if isinstance(value, bool | int | float) and not (
            isinstance(value, float) and not math.isfinite(value)
        ):
            out[key] = float(value)
    return out


def fit_params(spec: ModelSpec, engine: str, seed: int | None, kind: str) -> dict[str, str]:
    """The parameters of a run: the full spec flattened, the engine, seed and kind."""
    params = flatten(spec.to_dict(full=True))
    params |= {"engine": engine, "seed": seed, "kind": kind}
    return {k: str(v)[:MAX_PARAM] for k, v in params.items()}


def fit_metrics(result: FitResult) -> dict[str, float]:
    """The metrics of a fit: fit scores, diagnostics, each channel's ROAS (mean, lo, hi)."""
    summary = result.summary_dict()
    metrics = _numbers({"fit": summary.get("fit") or {}})
    metrics = {k.removeprefix("fit."): v for k, v in metrics.items()}
    metrics |= _numbers({"diagnostics": summary.get("diagnostics") or {}})
    for channel, row in (summary.get("channels") or {}).items():
        roas = row.get("roas") or {}
        for bound in ("mean", "lo", "hi"):
            value = roas.get(bound)
            if isinstance(value, int | float) and math.isfinite(value):
                metrics[f"roas.{_safe(channel)}.{bound}"] = float(value)
    return metrics


def _safe(name: str) -> str:
    """A channel name as MLflow accepts in a metric key (letters, digits, ``_-. /``)."""
    return "".join(c if c.isalnum() or c in "_-. /" else "_" for c in name)


@contextmanager
def _run(track: Track, log: Callable[[str], None]) -> Iterator[Any]:
    """An active MLflow run in the ``mixwise`` experiment, or ``None`` when tracking is off;
    an error while tracking is logged and swallowed."""
    settings = track.settings or Settings.from_env()
    if not settings.tracking:
        yield None
        return
    try:
        import mlflow

        uri, artifacts = store_uris(settings)
        client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
        experiment = client.get_experiment_by_name(EXPERIMENT)
        exp_id = (
            experiment.experiment_id
            if experiment
            else client.create_experiment(EXPERIMENT, artifact_location=artifacts)
        )
        run = client.create_run(exp_id, tags={"mixwise.kind": track.kind, **track.tags})
    except Exception as exc:
        log(f"MLflow tracking skipped: {exc}")
        yield None
        return
    status = "FAILED"
    try:
        yield _Run(client, run.info.run_id, uri)
        status = "FINISHED"
    except Exception as exc:
        log(f"MLflow tracking incomplete: {exc}")
    finally:
        client.set_terminated(run.info.run_id, status)


@dataclass
class _Run:
    client: MlflowClient
    run_id: str
    uri: str

    def log(self, params: dict[str, str], metrics: dict[str, float], step: int = 0) -> None:
        import time

        from mlflow.entities import Metric, Param

        now = int(time.time() * 1000)
        items = list(params.items())
        for i in range(0, len(items), 100):
            self.client.log_batch(self.run_id, params=[Param(k, v) for k, v in items[i : i + 100]])
        rows = [Metric(k, v, now, step) for k, v in metrics.items()]
        for i in range(0, len(rows), 1000):
            self.client.log_batch(self.run_id, metrics=rows[i : i + 1000])

    def artifacts(self, result: FitResult | None, run_dir: Path | None) -> None:
        """``summary.json``, ``report.html`` (from ``run_dir``) and the run folder."""
        with tempfile.TemporaryDirectory(prefix="mixwise-mlflow-") as tmp:
            if result is not None:
                summary = Path(tmp) / "summary.json"
                summary.write_text(json.dumps(result.summary_dict(), indent=2, default=str))
                self.client.log_artifact(self.run_id, str(summary))
            if run_dir is not None and run_dir.is_dir():
                from mixwise.report.build import build_report

                report = build_report(run_dir, Path(tmp) / "report.html")
                self.client.log_artifact(self.run_id, str(report))
                self.client.log_artifacts(self.run_id, str(run_dir), artifact_path="run")

    def register(self, name: str, description: str = "") -> str:
        """A new version of registered model ``name`` (created if new) from this run's folder;
        its version number."""
        from mlflow.exceptions import MlflowException

        try:
            self.client.get_registered_model(name)
        except MlflowException:
            self.client.create_registered_model(name, description=description)
        source = f"{self.client.get_run(self.run_id).info.artifact_uri}/run"
        version = self.client.create_model_version(name, source, run_id=self.run_id)
        return str(version.version)


def log_fit(
    result: FitResult,
    *,
    engine: str,
    seed: int | None = None,
    run_dir: Path | None = None,
    track: Track | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> str | None:
    """Log one fit (or refresh: ``track.kind``) as an MLflow run; its run id (``None`` when
    tracking is off or failed)."""
    track = track or Track()
    with _run(track, log) as run:
        if run is None:
            return None
        run.log(fit_params(result.spec, engine, seed, track.kind), fit_metrics(result))
        run.artifacts(result, run_dir)
        if track.register_as:
            version = run.register(track.register_as)
            log(f"MLflow: registered {track.register_as} version {version}")
        return run.run_id
    return None


def log_cv(
    cv: CrossValidation,
    spec: ModelSpec,
    *,
    engine: str,
    options: Mapping[str, Any],
    track: Track | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> str | None:
    """Log a cross-validation as an MLflow run: each fold's scores at step = fold number,
    their means, the folds table as ``cv.json``; its run id (``None`` when off or failed)."""
    track = track or Track(kind="cv")
    with _run(track, log) as run:
        if run is None:
            return None
        params = fit_params(spec, engine, None, track.kind)
        params |= {f"cv.{k}": str(v) for k, v in options.items()}
        run.log(params, {"cv.mean_mape": cv.mean_mape, "cv.mean_nrmse": cv.mean_nrmse})
        for i, row in enumerate(cv.folds.to_dict(orient="records"), start=1):
            scores = {f"cv.{k}": v for k, v in row.items() if k in ("mape", "nrmse", "r2")}
            run.log({}, _numbers(scores), step=int(row.get("fold", i)))
        with tempfile.TemporaryDirectory(prefix="mixwise-mlflow-") as tmp:
            path = Path(tmp) / "cv.json"
            path.write_text(json.dumps(cv.to_dict(), indent=2, default=str))
            run.client.log_artifact(run.run_id, str(path))
        return run.run_id
    return None
