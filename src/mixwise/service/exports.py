"""Exporting a dataset to another MMM tool (``mixwise export``, ``GET
/api/v1/datasets/{id}/export``): the data in the tool's shape plus a script that fits it
there (:mod:`mixwise.export`)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from mixwise.data.pipeline import load_dataset
from mixwise.export import export_dataset
from mixwise.export.targets import check_out, check_target
from mixwise.model.spec import ModelSpec
from mixwise.service import datasets
from mixwise.service.models import parse_spec
from mixwise.store.db import Store

ZIP = "application/zip"


def export_source(
    data: str | Path,
    mapping: str | Path,
    to: str,
    out: Path,
    spec: Path | None = None,
    force: bool = False,
) -> list[Path]:
    """``mixwise export``: load and check the data, write the export folder ``out``."""
    check_target(to)  # a typo is refused before the data is read
    check_out(out, force)
    model_spec = ModelSpec.load(spec) if spec else ModelSpec()
    dataset = load_dataset(data, mapping)
    return [out / f for f in export_dataset(dataset, model_spec, to, out, force=force)]


def export_download(
    store: Store, workspace_id: str, dataset_id: str, to: str, spec: str | None = None
) -> tuple[Path, str, str]:
    """``(path, media type, file name)`` of a zip of the export of a workspace's dataset (with
    its effective mapping and ``spec``, YAML text), built once per data, spec and target."""
    check_target(to)
    model_spec = parse_spec(spec)
    dataset = datasets.load(store, workspace_id, dataset_id)  # 404 / 422 first
    key = dataset.fingerprint().removeprefix("sha256:")[:16]
    spec_key = hashlib.sha256(model_spec.to_yaml().encode()).hexdigest()[:12]
    rel = f"exports/{workspace_id}/{dataset_id}/{key}-{spec_key}-{to}.zip"
    if not store.artifacts.exists(rel):
        with store.artifacts.temp_dir() as tmp:
            folder = tmp / to
            files = export_dataset(dataset, model_spec, to, folder)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                for name in files:
                    zf.write(folder / name, f"{to}/{name}")
            store.artifacts.write_bytes(rel, buffer.getvalue())
    return store.artifacts.path(rel), ZIP, f"{dataset_id}-{to}.zip"
