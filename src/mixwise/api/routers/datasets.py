"""Datasets: upload (multipart field ``file``), list, read, mapping, findings, EDA, preview,
export to another MMM tool."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse

from mixwise.api.deps import StoreDep, WorkspaceDep
from mixwise.service import datasets as svc
from mixwise.service import exports
from mixwise.service.schemas.common import Deleted
from mixwise.service.schemas.datasets import (
    DatasetList,
    DatasetOut,
    EDAOut,
    MappingIn,
    MappingOut,
    PreviewOut,
    ValidationOut,
)

router = APIRouter(prefix="/datasets", tags=["datasets"])


@router.post(
    "",
    response_model=DatasetOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a table (CSV, TSV, Parquet or Excel) as multipart field 'file'",
)
def upload(
    store: StoreDep,
    ws: WorkspaceDep,
    file: Annotated[UploadFile, File(description="The table to upload.")],
    name: Annotated[str | None, Form(description="A display name (default: file name).")] = None,
) -> DatasetOut:
    return svc.upload(store, ws.id, file.filename or "upload", file.file, name)


@router.get("", response_model=DatasetList, summary="Datasets of the workspace, newest first")
def list_datasets(store: StoreDep, ws: WorkspaceDep) -> DatasetList:
    return DatasetList(items=svc.list_datasets(store, ws.id))


@router.get("/{dataset_id}", response_model=DatasetOut, summary="One dataset")
def get_dataset(dataset_id: str, store: StoreDep, ws: WorkspaceDep) -> DatasetOut:
    return svc.get_dataset(store, ws.id, dataset_id)


@router.delete("/{dataset_id}", response_model=Deleted, summary="Delete a dataset and its file")
def delete_dataset(dataset_id: str, store: StoreDep, ws: WorkspaceDep) -> Deleted:
    svc.delete_dataset(store, ws.id, dataset_id)
    return Deleted(id=dataset_id)


@router.get(
    "/{dataset_id}/mapping",
    response_model=MappingOut,
    summary="The proposed mapping, what was guessed, and the saved mapping",
)
def get_mapping(dataset_id: str, store: StoreDep, ws: WorkspaceDep) -> MappingOut:
    return svc.get_mapping(store, ws.id, dataset_id)


@router.put(
    "/{dataset_id}/mapping",
    response_model=MappingOut,
    summary="Save the edited mapping (YAML text or data)",
)
def set_mapping(dataset_id: str, body: MappingIn, store: StoreDep, ws: WorkspaceDep) -> MappingOut:
    return svc.set_mapping(store, ws.id, dataset_id, body)


@router.get(
    "/{dataset_id}/findings",
    response_model=ValidationOut,
    summary="Validate the data against its mapping: every finding",
)
def findings(dataset_id: str, store: StoreDep, ws: WorkspaceDep) -> ValidationOut:
    return svc.validate(store, ws.id, dataset_id)


@router.post(
    "/{dataset_id}/validate",
    response_model=ValidationOut,
    summary="Validate against a mapping given in the body (not saved)",
)
def validate_with(
    dataset_id: str, body: MappingIn, store: StoreDep, ws: WorkspaceDep
) -> ValidationOut:
    return svc.validate(store, ws.id, dataset_id, svc.parse_mapping(body))


@router.get(
    "/{dataset_id}/eda",
    response_model=EDAOut,
    summary="Exploratory summary (422 with findings when the data has errors)",
)
def eda(dataset_id: str, store: StoreDep, ws: WorkspaceDep) -> EDAOut:
    return svc.eda(store, ws.id, dataset_id)


@router.get("/{dataset_id}/preview", response_model=PreviewOut, summary="Rows as uploaded")
def preview(
    dataset_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> PreviewOut:
    return svc.preview(store, ws.id, dataset_id, offset, limit)


@router.get(
    "/{dataset_id}/export",
    response_class=FileResponse,
    summary="Download the dataset in another MMM tool's shape with a script that fits it there "
    "(zip)",
    responses={200: {"content": {exports.ZIP: {}}}},
)
def export(
    dataset_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    to: Annotated[str, Query(description="pymc-marketing, meridian or robyn")],
) -> FileResponse:
    path, media_type, filename = exports.export_download(store, ws.id, dataset_id, to)
    return FileResponse(path, media_type=media_type, filename=filename)
