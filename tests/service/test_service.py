"""The service layer that the API and the CLI share, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from mixwise.errors import MappingError, SpecError, ValidationFailed
from mixwise.jobs import Worker
from mixwise.service import datasets, models, workspaces
from mixwise.service import jobs as _service_jobs  # noqa: F401  (registers the fit job)
from mixwise.service.errors import Conflict, NotFound, Unauthorized
from mixwise.service.schemas.datasets import MappingIn
from mixwise.service.schemas.models import ModelIn
from mixwise.store import Store
from mixwise.store.models import ApiKey

REPO = Path(__file__).resolve().parents[2]
CSV = REPO.parent / "shared" / "datasets" / "pymc_marketing_mmm_example.csv"
MAPPING = (REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml").read_text()


def _dataset(store: Store, ws: str) -> str:
    with CSV.open("rb") as fh:
        ds = datasets.upload(store, ws, "example.csv", fh)
    datasets.set_mapping(store, ws, ds.id, MappingIn(yaml=MAPPING))
    return ds.id


def test_keys_are_stored_hashed_and_scoped(store: Store) -> None:
    ws, key = workspaces.create_key(store, "acme")
    _, other = workspaces.create_key(store, "acme")
    assert key != other and key.startswith("mw_")
    with store.session() as s:
        hashes = s.scalars(select(ApiKey.key_hash)).all()
    assert key not in hashes and workspaces.hash_key(key) in hashes
    assert workspaces.authenticate(store, key).id == ws.id
    with pytest.raises(Unauthorized):
        workspaces.authenticate(store, key + "x")
    assert workspaces.revoke_keys(store, "acme") == 2
    with pytest.raises(Unauthorized):
        workspaces.authenticate(store, key)
    with pytest.raises(Exception, match="invalid workspace name"):
        workspaces.ensure_workspace(store, "../etc")


def test_dataset_lifecycle_and_mapping_errors(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = _dataset(store, ws)
    row = datasets._row(store, ws, ds)
    assert store.artifacts.exists(row.artifact)
    mapping = datasets.get_mapping(store, ws, ds)
    assert mapping.current is not None and mapping.effective == mapping.current
    with pytest.raises(MappingError, match="does not have: nope"):
        datasets.set_mapping(
            store,
            ws,
            ds,
            MappingIn(yaml="date: nope\nkpi: {column: y}\nchannels: [{name: a, spend: x1}]\n"),
        )
    with pytest.raises(MappingError, match="not valid YAML"):
        datasets.set_mapping(store, ws, ds, MappingIn(yaml="date: [unclosed"))
    assert datasets.validate(store, ws, ds).ok
    assert datasets.preview(store, ws, ds, offset=178, limit=10).rows[0]["date_week"]
    with pytest.raises(NotFound):
        datasets.get_dataset(store, "ws_other", ds)
    datasets.delete_dataset(store, ws, ds)
    assert not store.artifacts.exists(row.artifact)
    with pytest.raises(NotFound):
        datasets.get_dataset(store, ws, ds)


def test_unproposable_table_is_kept_with_a_note(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = datasets.upload(store, ws, "t.csv", io.BytesIO(b"a,b\nx,y\nz,w\n"))
    mapping = datasets.get_mapping(store, ws, ds.id)
    assert mapping.proposed is None and "No mapping could be proposed" in mapping.notes[0]
    with pytest.raises(MappingError, match="no mapping yet"):
        datasets.validate(store, ws, ds.id)


def test_model_requests_are_checked_before_queueing(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = _dataset(store, ws)
    with pytest.raises(SpecError, match="unknown engine"):
        models.create_model(store, ws, ModelIn(dataset_id=ds, engine="nope"))
    with pytest.raises(SpecError):
        models.create_model(store, ws, ModelIn(dataset_id=ds, spec="adstock: {kind: nope}"))
    text = CSV.read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[2], "lots", 1)  # x1 is not a number there
    broken = datasets.upload(store, ws, "broken.csv", io.BytesIO("\n".join(text).encode()))
    with pytest.raises(ValidationFailed) as exc:
        models.create_model(
            store, ws, ModelIn(dataset_id=broken.id, mapping=MappingIn(yaml=MAPPING))
        )
    assert exc.value.findings and exc.value.hint
    assert models.list_models(store, ws) == []


def test_queued_model_cancel_delete_and_no_results(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = _dataset(store, ws)
    m = models.create_model(store, ws, ModelIn(dataset_id=ds))
    assert m.status == "queued" and m.job is not None and m.job.eta_seconds is None
    from mixwise.service import results

    with pytest.raises(Conflict, match="has no result"):
        results.summary(store, ws, m.id)
    assert models.cancel_model(store, ws, m.id).status == "cancelled"
    assert models.logs(store, ws, m.id).lines[-1].message == "cancel requested"
    models.delete_model(store, ws, m.id)
    with pytest.raises(NotFound):
        models.get_model(store, ws, m.id)


def test_a_quick_fit_is_marked_approximate_in_the_model_list(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = _dataset(store, ws)
    full = models.create_model(store, ws, ModelIn(dataset_id=ds, name="full"))
    quick = models.create_model(
        store, ws, ModelIn(dataset_id=ds, name="quick", spec={"sampler": {"mode": "quick"}})
    )
    listed = {m.name: m.approximate for m in models.list_models(store, ws)}
    assert listed == {"full": False, "quick": True}
    assert models.get_model(store, ws, quick.id).approximate
    assert not models.get_model(store, ws, full.id).approximate


def test_only_the_generators_own_data_has_a_known_truth(store: Store, tmp_path: Path) -> None:
    from mixwise.service import tables
    from mixwise.service.demo_run import DEMO_SEED
    from mixwise.service.truth import known_truth

    ws = workspaces.ensure_workspace(store, "acme").id
    tables.synthesize("demo", DEMO_SEED, tmp_path / "demo")
    raw = (tmp_path / "demo" / "data.csv").read_bytes()
    same = datasets.upload(store, ws, "data.csv", io.BytesIO(raw), "synthetic")
    found = known_truth(store, same.id)
    assert found is not None
    source, truth = found
    assert source == f"synthetic preset 'demo', seed {DEMO_SEED}"
    assert truth.set_index("channel").loc["Paid Search", "roas"] == pytest.approx(4.0)
    # one value changed: no longer the generator's data, so no truth is claimed
    edited = raw.rstrip(b"\n") + b"1\n"  # the last value 0.0 -> 0.01
    other = datasets.upload(store, ws, "data.csv", io.BytesIO(edited), "edited")
    assert known_truth(store, other.id) is None
    assert known_truth(store, None) is None


def test_fit_job_failure_is_reported_with_code(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    ds = _dataset(store, ws)
    m = models.create_model(store, ws, ModelIn(dataset_id=ds))
    datasets.delete_dataset(store, ws, ds)  # the data disappears before the job runs
    Worker(store, poll_s=0.05).run(threading.Event(), max_jobs=1)
    done = models.get_model(store, ws, m.id)
    assert done.status == "failed" and done.job is not None and done.job.error is not None
    assert "dataset was deleted" in done.job.error.message
    assert not done.has_result


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "tsv-without-extension"])
def test_upload_formats(store: Store, tmp_path: Path, fmt: str) -> None:
    import pandas as pd

    ws = workspaces.ensure_workspace(store, "acme").id
    frame = pd.read_csv(CSV)
    if fmt == "parquet":
        path = tmp_path / "data.parquet"
        frame.to_parquet(path)
        name = "export.bin"  # wrong name: recognised by content
    elif fmt == "xlsx":
        path = tmp_path / "data.xlsx"
        frame.to_excel(path, index=False)
        name = path.name
    else:
        path = tmp_path / "data"
        frame.to_csv(path, sep="\t", index=False)
        name = "data"
    with path.open("rb") as fh:
        ds = datasets.upload(store, ws, name, fh)
    assert ds.n_rows == 179 and ds.columns == list(frame.columns)
    assert datasets.validate(store, ws, ds.id).ok  # the proposed mapping fits


def test_an_upload_is_checked_and_loaded_under_the_servers_read_limits(tmp_path: Path) -> None:
    """A server that raised a read limit (here the column limit, MIXWISE_MAX_COLUMNS) checks,
    loads and fits what it accepted on upload, never refusing it under the library defaults."""
    from mixwise.data.limits import ReadLimits
    from mixwise.store.testing import temporary_store

    extra = ReadLimits().max_columns  # the library default: the table has more columns
    lines = CSV.read_text().splitlines()
    wide = [lines[0] + "".join(f",z{i}" for i in range(extra))]
    wide += [line + ",0" * extra for line in lines[1:]]
    with temporary_store("sqlite", tmp_path, max_columns=2 * extra) as store:
        ws = workspaces.ensure_workspace(store, "acme").id
        ds = datasets.upload(store, ws, "wide.csv", io.BytesIO("\n".join(wide).encode()))
        assert len(ds.columns) > extra
        datasets.set_mapping(store, ws, ds.id, MappingIn(yaml=MAPPING))
        assert datasets.validate(store, ws, ds.id).ok
        assert datasets.load(store, ws, ds.id).n_periods == len(lines) - 1
