"""Industry benchmarks: a workspace's admins load published figures; a model is compared."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from mixwise.api.deps import StoreDep, WorkspaceDep, policy
from mixwise.service import benchmarks as svc
from mixwise.service.fitted import StoredModel
from mixwise.service.schemas.benchmarks import BenchmarkList, BenchmarksLoaded, BenchmarksOut

router = APIRouter(tags=["benchmarks"])

Industry = Annotated[str | None, Query(max_length=200, description="Only this industry.")]
Region = Annotated[str | None, Query(max_length=200, description="Only this region.")]


@router.post(
    "/benchmarks",
    response_model=BenchmarksLoaded,
    openapi_extra=policy(role="admin"),
    summary="Load the workspace's benchmarks (CSV, Excel or Parquet) as multipart field 'file'",
)
def load(
    store: StoreDep,
    ws: WorkspaceDep,
    file: Annotated[
        UploadFile,
        File(description="metric, industry, region, period, value, source, date [, channel]"),
    ],
    replace: Annotated[bool, Form(description="Delete the workspace's rows first.")] = False,
) -> BenchmarksLoaded:
    return svc.upload(store, ws.id, file.filename or "benchmarks.csv", file.file, replace)


@router.get(
    "/benchmarks",
    response_model=BenchmarkList,
    summary="Benchmarks of the installation and of the workspace",
)
def list_benchmarks(
    store: StoreDep, ws: WorkspaceDep, industry: Industry = None, region: Region = None
) -> BenchmarkList:
    return BenchmarkList(items=svc.list_benchmarks(store, ws.id, industry, region))


@router.get(
    "/models/{model_id}/benchmarks",
    response_model=BenchmarksOut,
    summary="The model's ROAS and CPA (with intervals) against the matching benchmarks",
)
def compare(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    industry: Industry = None,
    region: Region = None,
) -> BenchmarksOut:
    model = StoredModel(store, ws.id, model_id)
    model.result()
    rows = svc.list_benchmarks(store, ws.id, industry, region)
    return svc.compare(model, rows, industry, region)
