"""Dataset use cases: upload, list, mapping (proposed and edited), findings, EDA, preview, delete.

An upload is streamed to the artifact store under the size limit, then read with the same
loader as the CLI (content sniffing: a PNG named ``.csv`` is refused with a clear message) under
the server's read limits (what it unpacks to, rows, columns: ``Settings.read_limits``), and given
a proposed mapping. Nothing is kept when any step fails. Errors name the user's file name, never
the artifact path (:func:`named_file`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import yaml
from sqlalchemy import select

from mixwise.data.dataset import MMMDataset
from mixwise.data.findings import Finding, ValidationReport
from mixwise.data.loaders import DELIMITED, EXCEL, PARQUET, read_table
from mixwise.data.mapping import Mapping, SourceSpec
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MappingError, MixwiseError
from mixwise.service import tables
from mixwise.service.errors import NotFound, UnsupportedFile
from mixwise.service.schemas.common import FindingOut, jsonable
from mixwise.service.schemas.datasets import (
    DatasetOut,
    EDAOut,
    MappingDoc,
    MappingIn,
    MappingOut,
    PreviewOut,
    ValidationOut,
)
from mixwise.store.db import Store
from mixwise.store.models import Dataset, new_id, utcnow

TABLE_EXTENSIONS = (*DELIMITED, *PARQUET, *EXCEL)
"""The loader's file tables (an upload is never a database file)."""
_MAGIC = (
    (b"PAR1", ".parquet"),
    (b"PK\x03\x04", ".xlsx"),
    (b"\xd0\xcf\x11\xe0", ".xls"),
    (b"\x1f\x8b", ".csv"),  # gzip: a compressed CSV (unpacked under the limits)
)


@contextmanager
def named_file(store: Store, rel: str, filename: str) -> Iterator[None]:
    """Errors raised inside name the user's ``filename``, never the server's artifact path."""
    try:
        yield
    except MixwiseError as exc:
        path = store.artifacts.path(rel)
        for old, new in (
            (str(path), repr(filename)),
            (str(path.parent), "the upload folder"),
            (str(store.settings.artifacts), "the server"),
            (str(store.settings.home), "the server"),
        ):
            exc.message, exc.hint = exc.message.replace(old, new), exc.hint.replace(old, new)
        exc.args = (exc.message,)
        raise


def _extension(filename: str, head: bytes) -> str:
    """The file's table extension: from its name when it is one we read, else from content."""
    suffix = Path(filename).suffix.lower()
    if suffix in TABLE_EXTENSIONS:
        return suffix
    for magic, ext in _MAGIC:
        if head.startswith(magic):
            return ext
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise UnsupportedFile(
                f"{filename!r} is not a table mixwise can read",
                "Upload CSV, TSV, Parquet or Excel (.xlsx, .xls).",
            ) from None
    return ".csv"


def _row(store: Store, workspace_id: str, dataset_id: str) -> Dataset:
    with store.session() as s:
        ds = s.get(Dataset, dataset_id)
        if ds is None or ds.workspace_id != workspace_id:
            raise NotFound("dataset", dataset_id)
        return ds


def _out(ds: Dataset) -> DatasetOut:
    return DatasetOut(
        id=ds.id,
        name=ds.name,
        filename=ds.filename,
        size_bytes=ds.size_bytes,
        n_rows=ds.n_rows,
        columns=list(ds.columns),
        has_mapping=ds.mapping is not None,
        created_at=ds.created_at,
        updated_at=ds.updated_at,
    )


def upload(
    store: Store, workspace_id: str, filename: str, stream: BinaryIO, name: str | None = None
) -> DatasetOut:
    """Store an uploaded table and propose a mapping for it."""
    filename = Path(filename or "upload").name[:300] or "upload"
    head = stream.read(4096)
    stream.seek(0)
    if not head:
        raise UnsupportedFile(f"{filename!r} is empty", "Upload a file with a header and rows.")
    dataset_id = new_id("ds")
    rel = f"uploads/{workspace_id}/{dataset_id}{_extension(filename, head)}"
    size = store.artifacts.write_stream(rel, stream, store.settings.max_upload_bytes)
    try:
        with named_file(store, rel, filename):
            frame = _read(store, rel)  # under the server's read limits
        try:
            proposal = tables.propose_mapping(frame)
            proposed, notes = proposal.yaml, list(proposal.notes)
        except MixwiseError as exc:  # a table, but nothing to propose: the user writes one
            proposed, notes = "", [f"No mapping could be proposed: {exc.message}", exc.hint]
        row = Dataset(
            id=dataset_id,
            workspace_id=workspace_id,
            name=(name or filename)[:300],
            filename=filename,
            artifact=rel,
            size_bytes=size,
            n_rows=len(frame),
            columns=[str(c) for c in frame.columns],
            proposed_mapping=proposed,
            proposal_notes=[n for n in notes if n],
        )
        with store.session() as s:
            s.add(row)
    except BaseException:
        store.artifacts.delete(rel)
        raise
    return _out(row)


def list_datasets(store: Store, workspace_id: str) -> list[DatasetOut]:
    with store.session() as s:
        rows = s.scalars(
            select(Dataset)
            .where(Dataset.workspace_id == workspace_id)
            .order_by(Dataset.created_at.desc())
        ).all()
        return [_out(r) for r in rows]


def get_dataset(store: Store, workspace_id: str, dataset_id: str) -> DatasetOut:
    return _out(_row(store, workspace_id, dataset_id))


def delete_dataset(store: Store, workspace_id: str, dataset_id: str) -> None:
    """Delete the dataset and its file; models fitted on it keep their results."""
    ds = _row(store, workspace_id, dataset_id)
    with store.session() as s:
        row = s.get(Dataset, ds.id)
        if row is not None:
            s.delete(row)
    store.artifacts.delete(ds.artifact)
    _frames.drop(ds.artifact)


# -- mapping ----------------------------------------------------------------------------------
def parse_mapping(body: MappingIn | dict[str, Any] | str) -> Mapping:
    """A :class:`Mapping` from YAML text or data; ``MappingError`` names what is wrong."""
    if isinstance(body, MappingIn):
        body = body.yaml if body.yaml is not None else (body.mapping or {})
    data: object = body
    if isinstance(body, str):
        try:
            data = yaml.safe_load(body)
        except yaml.YAMLError as exc:
            raise MappingError(
                f"the mapping is not valid YAML: {exc}", "Fix the YAML syntax."
            ) from None
    if isinstance(data, dict) and data.get("kind") == "holidays":
        raise MappingError(
            "holiday calendars are not datasets to model",
            "Upload the modelling table; holidays are set in the model spec (holidays.country).",
        )
    return Mapping.from_dict(data)


def _doc(mapping: Mapping) -> MappingDoc:
    return MappingDoc(yaml=mapping.to_yaml(), mapping=mapping)


def _effective(ds: Dataset) -> Mapping:
    text = ds.mapping or ds.proposed_mapping
    if not text:
        raise MappingError(
            "this dataset has no mapping yet (none could be proposed)",
            "Save one with PUT /api/v1/datasets/{id}/mapping.",
        )
    return parse_mapping(text)


def get_mapping(store: Store, workspace_id: str, dataset_id: str) -> MappingOut:
    ds = _row(store, workspace_id, dataset_id)
    proposed = parse_mapping(ds.proposed_mapping) if ds.proposed_mapping else None
    current = parse_mapping(ds.mapping) if ds.mapping else None
    effective = current or proposed
    return MappingOut(
        dataset_id=ds.id,
        proposed=_doc(proposed) if proposed else None,
        notes=list(ds.proposal_notes),
        current=_doc(current) if current else None,
        effective=_doc(effective) if effective else None,
    )


def set_mapping(store: Store, workspace_id: str, dataset_id: str, body: MappingIn) -> MappingOut:
    """Save the user's mapping (checked for form; columns are checked by validation)."""
    mapping = parse_mapping(body)
    missing = [
        c
        for _, c in mapping.role_columns()
        if c not in _row(store, workspace_id, dataset_id).columns
    ]
    if missing and mapping.source.format == "table":
        raise MappingError(
            f"the mapping names column(s) the dataset does not have: {', '.join(missing)}",
            "Use the column names shown in the preview.",
        )
    with store.session() as s:
        row = s.get(Dataset, dataset_id)
        assert row is not None
        row.mapping, row.updated_at = mapping.to_yaml(), utcnow()
    return get_mapping(store, workspace_id, dataset_id)


# -- checks, EDA, preview -------------------------------------------------------------------
def _findings(findings: list[Finding]) -> list[FindingOut]:
    return [FindingOut(**f.to_dict()) for f in findings]


def validate(
    store: Store, workspace_id: str, dataset_id: str, mapping: Mapping | None = None
) -> ValidationOut:
    """Every finding of the data checks, against ``mapping`` or the dataset's own mapping."""
    ds = _row(store, workspace_id, dataset_id)
    with named_file(store, ds.artifact, ds.filename):
        m = mapping or _effective(ds)
        report: ValidationReport = tables.check(_source(store, ds, m), m)
    return ValidationOut(
        dataset_id=ds.id,
        ok=report.ok,
        n_errors=len(report.errors),
        n_warnings=len(report.warnings),
        findings=_findings(report.findings),
    )


def load(
    store: Store, workspace_id: str, dataset_id: str, mapping: Mapping | None = None
) -> MMMDataset:
    """The validated dataset (``ValidationFailed`` with every finding when it has errors)."""
    ds = _row(store, workspace_id, dataset_id)
    with named_file(store, ds.artifact, ds.filename):
        m = mapping or _effective(ds)
        return load_dataset(_source(store, ds, m), m)


def _source(store: Store, ds: Dataset, mapping: Mapping) -> pd.DataFrame:
    """The upload read as ``mapping`` says (its sheet) under the server's read limits, the ones
    it was accepted under (the library's defaults may be lower)."""
    path = store.artifacts.path(ds.artifact)
    return read_table(path, mapping.source, store.settings.read_limits)


def eda(store: Store, workspace_id: str, dataset_id: str) -> EDAOut:
    dataset = load(store, workspace_id, dataset_id)
    summary = jsonable(tables.describe_dataset(dataset).to_dict())
    return EDAOut(dataset_id=dataset_id, findings=_findings(list(dataset.findings)), **summary)


def preview(
    store: Store, workspace_id: str, dataset_id: str, offset: int = 0, limit: int = 50
) -> PreviewOut:
    ds = _row(store, workspace_id, dataset_id)
    with named_file(store, ds.artifact, ds.filename):
        frame = _read(store, ds.artifact)
    part = frame.iloc[offset : offset + limit]
    rows = [
        jsonable({str(k): _cell(v) for k, v in r.items()}) for r in part.to_dict(orient="records")
    ]
    return PreviewOut(
        dataset_id=ds.id,
        columns=[str(c) for c in frame.columns],
        rows=rows,
        offset=offset,
        limit=limit,
        n_rows=len(frame),
    )


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v if isinstance(v, int | float | str | bool) else str(v)


class _FrameCache:
    """The last few raw tables read, by artifact path (uploads never change)."""

    def __init__(self, size: int = 4) -> None:
        self.size, self._lock = size, threading.Lock()
        self._items: OrderedDict[str, pd.DataFrame] = OrderedDict()

    def get(self, store: Store, rel: str) -> pd.DataFrame:
        key = str(store.artifacts.path(rel))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        frame = read_table(key, SourceSpec(), store.settings.read_limits)
        with self._lock:
            self._items[key] = frame
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return frame

    def drop(self, rel: str) -> None:
        with self._lock:
            for key in [k for k in self._items if k.endswith(rel)]:
                del self._items[key]


_frames = _FrameCache()


def _read(store: Store, rel: str) -> pd.DataFrame:
    return _frames.get(store, rel)
