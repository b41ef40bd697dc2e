"""Store: migrations, settings, JSON columns and cascades, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from mixwise.store import Settings, Store
from mixwise.store.db import migrate
from mixwise.store.models import Dataset, Job, Workspace, new_id

TABLES = {"workspaces", "api_keys", "datasets", "models", "jobs", "job_logs", "scenarios"}
ACCOUNT_TABLES = {
    "users",
    "memberships",
    "web_sessions",
    "reset_tokens",
    "plan_tiers",
    "plan_features",
    "credit_entries",
    "audit_log",
}
CONNECTOR_TABLES = {"connectors", "schedules", "schedule_runs"}


def test_migrations_create_every_table_and_are_idempotent(store: Store) -> None:
    every = TABLES | ACCOUNT_TABLES | CONNECTOR_TABLES
    assert set(inspect(store.engine).get_table_names()) >= every
    migrate(store.engine, store.settings)  # second run: nothing to do, no error
    with store.engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert head == "0004_connectors"
        # the product plan's table, seeded: 4 tiers, 8 features with their credit costs
        assert conn.execute(text("SELECT count(*) FROM plan_tiers")).scalar() == 4
        costs = dict(conn.execute(text("SELECT name, credits FROM plan_features")).all())
        assert costs["basic_mmm"] == 10 and costs["budget_allocation"] == 30
        assert len(costs) == 8


def test_rows_round_trip_with_json_and_cascade(store: Store) -> None:
    with store.session() as s:
        ws = Workspace(id=new_id("ws"), name="acme")
        s.add(ws)
        s.flush()
        s.add(
            Dataset(
                id="ds_1",
                workspace_id=ws.id,
                name="sales",
                filename="sales.csv",
                artifact="uploads/ds_1.csv",
                size_bytes=10,
                n_rows=2,
                columns=["date", "y"],
                proposed_mapping="date: date\n",
                proposal_notes=["note ü"],
            )
        )
    with store.session() as s:
        ds = s.scalars(select(Dataset)).one()
        assert ds.columns == ["date", "y"] and ds.proposal_notes == ["note ü"]
        s.delete(s.get(Workspace, ds.workspace_id))
    with store.session() as s:
        assert s.scalars(select(Dataset)).all() == []


def test_session_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Workspace(id="ws_x", name="x"))
        s.flush()
        raise RuntimeError("boom")
    with store.session() as s:
        assert s.get(Workspace, "ws_x") is None


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    from mixwise.store.testing import temporary_store

    with temporary_store("sqlite", tmp_path) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_processes_migrating_at_once_do_not_race(tmp_path: Path) -> None:
    code = (
        "from mixwise.store import open_store; s = open_store();"
        "from mixwise.store.models import Job; print('ok')"
    )
    env = {"MIXWISE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode()[-2000:] for o in outs]


def test_settings_from_env(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "MIXWISE_HOME": str(tmp_path),
            "MIXWISE_DATABASE_URL": "postgresql://u:secret@db/x",
            "MIXWISE_MAX_UPLOAD_MB": "2",
            "MIXWISE_CORS_ORIGINS": "http://a.example, http://b.example",
        }
    )
    assert s.database_url == "postgresql+psycopg://u:secret@db/x"
    assert s.max_upload_bytes == 2 * 2**20
    assert s.cors_origins == ("http://a.example", "http://b.example")
    assert s.artifacts == tmp_path / "artifacts"
    assert Settings.from_env(s.to_env()) == s
    default = Settings.from_env({"MIXWISE_HOME": str(tmp_path)})
    assert default.database_url == f"sqlite:///{tmp_path / 'mixwise.db'}"


def test_bad_number_in_env_is_a_user_error(tmp_path: Path) -> None:
    from mixwise.errors import MixwiseError

    with pytest.raises(MixwiseError, match="MIXWISE_MAX_UPLOAD_ROWS"):
        Settings.from_env({"MIXWISE_HOME": str(tmp_path), "MIXWISE_MAX_UPLOAD_ROWS": "lots"})


def test_job_defaults(store: Store) -> None:
    with store.session() as s:
        s.add(Workspace(id="ws_1", name="w"))
        s.flush()
        s.add(Job(id="job_1", workspace_id="ws_1", kind="sleep", payload={"a": [1, 2]}))
    with store.session() as s:
        job = s.get(Job, "job_1")
        assert job is not None and job.status == "queued" and job.payload == {"a": [1, 2]}
        assert job.cancel_requested is False and job.attempts == 0
