"""The demo workspace: synthetic data with known truth and a fitted model, so that a fresh
``mixwise serve --demo`` has something to show. Idempotent: an existing demo model (fitted,
queued or running) is kept; only a missing or failed one is (re)started."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from mixwise.files import write_text_atomic
from mixwise.service import datasets, models, tables, workspaces
from mixwise.service.demo_run import DEMO_SAMPLER, DEMO_SEED
from mixwise.service.errors import Unauthorized
from mixwise.service.schemas.datasets import MappingIn
from mixwise.service.schemas.models import ModelIn
from mixwise.store.db import Store
from mixwise.store.models import Dataset, Model, new_id, utcnow

DEMO_WORKSPACE = "demo"
DEMO_DATASET = "Demo data (synthetic, known truth)"
DEMO_MODEL = "Demo model"
KEY_FILE = "demo.key"


@dataclass(frozen=True)
class Demo:
    workspace_id: str
    dataset_id: str
    model_id: str
    status: str
    key: str


def ensure_demo(
    store: Store, sampler: dict[str, object] | None = None, run_dir: Path | None = None
) -> Demo:
    """The demo workspace, dataset and model (fit queued if needed) and a key for it.

    ``run_dir``: a finished run on the demo data (``mixwise demo`` writes one); when the
    workspace has no demo model yet it is imported as the fitted model instead of queueing a fit.
    """
    ws = workspaces.ensure_workspace(store, DEMO_WORKSPACE)
    dataset_id = _ensure_dataset(store, ws.id, DEMO_SEED)
    with store.session() as s:
        existing = s.scalars(
            select(Model)
            .where(
                Model.workspace_id == ws.id,
                Model.name == DEMO_MODEL,
                Model.status.in_(("succeeded", "running", "queued")),
            )
            .order_by(Model.created_at.desc())
        ).first()
    if existing is None and run_dir is not None:
        model_id, status = _import_run(store, ws.id, dataset_id, run_dir), "succeeded"
    elif existing is None:
        spec = {"sampler": {**DEMO_SAMPLER, **(sampler or {}), "seed": DEMO_SEED}}
        created = models.create_model(
            store, ws.id, ModelIn(dataset_id=dataset_id, name=DEMO_MODEL, spec=spec)
        )
        model_id, status = created.id, created.status
    else:
        model_id, status = existing.id, existing.status
    return Demo(ws.id, dataset_id, model_id, status, demo_key(store))


def _import_run(store: Store, workspace_id: str, dataset_id: str, run_dir: Path) -> str:
    """Publish a finished run folder as the demo model (copied into the artifact store)."""
    import shutil

    model_id = new_id("md")
    rel = f"models/{workspace_id}/{model_id}/imported"
    store.artifacts.write_dir(rel, lambda folder: shutil.copytree(run_dir, folder))
    with store.session() as s:
        dataset = s.get(Dataset, dataset_id)
        s.add(
            Model(
                id=model_id,
                workspace_id=workspace_id,
                dataset_id=dataset_id,
                name=DEMO_MODEL,
                engine="bayesian",
                mapping=(dataset.mapping or dataset.proposed_mapping) if dataset else "",
                spec=(run_dir / "spec.yaml").read_text(encoding="utf-8"),
                seed=None,
                status="succeeded",
                result_artifact=rel,
                finished_at=utcnow(),
            )
        )
    return model_id


def _ensure_dataset(store: Store, workspace_id: str, seed: int) -> str:
    with store.session() as s:
        row = s.scalars(
            select(Dataset).where(
                Dataset.workspace_id == workspace_id, Dataset.name == DEMO_DATASET
            )
        ).first()
        if row is not None:
            return row.id
    with tempfile.TemporaryDirectory() as tmp:
        tables.synthesize("demo", seed, Path(tmp))
        with (Path(tmp) / "data.csv").open("rb") as fh:
            ds = datasets.upload(store, workspace_id, "demo.csv", fh, DEMO_DATASET)
        mapping = (Path(tmp) / "mapping.yaml").read_text(encoding="utf-8")
    datasets.set_mapping(store, workspace_id, ds.id, MappingIn(yaml=mapping))
    return ds.id


def demo_key(store: Store) -> str:
    """The demo workspace's key, kept (mode 600) in ``MIXWISE_HOME/demo.key`` and reused."""
    path = store.settings.home / KEY_FILE
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        try:
            if workspaces.authenticate(store, key).name == DEMO_WORKSPACE:
                return key
        except Unauthorized:
            pass
    _, key = workspaces.create_key(store, DEMO_WORKSPACE)
    write_text_atomic(path, key + "\n", mode=0o600)
    return key
