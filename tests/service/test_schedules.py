"""Schedules: cron cadences, due runs enqueued once, and the sync -> validate -> refit ->
compare chain as a real job on a warehouse connector (DuckDB): a ridge model refreshed on the
new days becomes current; a failed step stops the chain and keeps the previous model."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

import mixwise.service.jobs  # noqa: F401  (registers schedule_run)
from mixwise.data.fivetran import fivetran_mapping
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError
from mixwise.jobs import Worker
from mixwise.model.spec import ModelSpec
from mixwise.service import connectors, credentials, schedules
from mixwise.service.fitting import fit_and_save
from mixwise.service.schemas.connectors import ConnectorIn, ScheduleIn
from mixwise.store import Store
from mixwise.store.connectors import Schedule
from mixwise.store.models import Model, Workspace

SPEC = {"ridge": {"trials": 1, "iterations": 100, "bootstrap_draws": 10, "seed": 3}}
TODAY = date.today()


def ad_rows(days: int, currency_change: bool = False) -> pd.DataFrame:
    """Two platforms' daily spend and a KPI they drive (ending yesterday)."""
    rng = np.random.default_rng(7)
    dates = pd.date_range(end=TODAY - timedelta(days=1), periods=days, freq="D")
    out = []
    for platform, effect in (("Google Ads", 3.0), ("Meta Ads", 1.5)):
        spend = rng.uniform(50, 150, days)
        kpi = effect * spend + rng.normal(0, 5, days) + 100
        cur = [
            "EUR" if currency_change and platform == "Meta Ads" and i > days - 5 else "USD"
            for i in range(days)
        ]
        out.append(
            pd.DataFrame(
                {
                    "date_day": dates,
                    "platform": platform,
                    "campaign_name": "c",
                    "spend": spend,
                    "impressions": spend * 40 + rng.uniform(0, 100, days),
                    "conversions_value": kpi,
                    "currency": cur,
                }
            )
        )
    return pd.concat(out, ignore_index=True)


@pytest.fixture
def ws(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    monkeypatch.setenv(credentials.ENV, credentials.new_key())
    with store.session() as s:
        s.add(Workspace(id="ws_1", name="acme"))
    db = tmp_path / "wh.duckdb"
    write_table(db, ad_rows(120).iloc[:0])
    connectors.add(
        store,
        "ws_1",
        ConnectorIn(
            name="wh",
            kind="warehouse",
            settings={"time_zone": "UTC"},
            secrets={"url": f"duckdb:///{db}"},
            lookback_days=3,
        ),
    )
    return "ws_1", db


def write_table(db: Path, rows: pd.DataFrame) -> None:
    con = duckdb.connect(str(db))
    con.register("rows", rows)
    con.execute("CREATE OR REPLACE TABLE ad_reporting__ad_report AS SELECT * FROM rows")
    con.close()


def previous_model(store: Store, ws: str, tmp_path: Path, engine: str = "ridge") -> str:
    """Fit the first 100 days (synced through the connector) and store it as the model."""
    rows = connectors.workspace_rows(store, ws)
    data = tmp_path / "first.parquet"
    rows.to_parquet(data, index=False)
    mapping_text = fivetran_mapping(rows, None).to_yaml()  # KPI: conversions_value
    (tmp_path / "mapping.yaml").write_text(mapping_text)
    rel = "models/ws_1/mdl_prev/job"
    fit_and_save(
        lambda: load_dataset(data, tmp_path / "mapping.yaml"),
        ModelSpec.from_dict(SPEC),
        lambda r: store.artifacts.write_dir(rel, r.save),
        engine=engine,
    )
    with store.session() as s:
        s.add(
            Model(
                id="mdl_prev",
                workspace_id=ws,
                name="first",
                engine=engine,
                mapping=mapping_text,
                spec=yaml.safe_dump(SPEC),
                status="succeeded",
                result_artifact=rel,
            )
        )
    return "mdl_prev"


def run_one(store: Store) -> None:
    Worker(store, poll_s=0.05).run(threading.Event(), max_jobs=1)


def test_cadences_and_bad_cron_name_the_field() -> None:
    assert schedules.cron_expression("daily") == "0 6 * * *"
    assert schedules.cron_expression("Weekly") == "0 6 * * 1"
    monday = schedules.next_run("0 6 * * 1", datetime(2024, 3, 6, 12))  # a Wednesday
    assert monday == datetime(2024, 3, 11, 6)
    with pytest.raises(MixwiseError, match="cron: 'hourly'"):
        schedules.cron_expression("hourly")


@pytest.mark.slow
def test_chain_refreshes_the_model_then_a_failed_step_keeps_it(
    store: Store, ws: tuple[str, Path], tmp_path: Path
) -> None:
    wsid, db = ws
    full = ad_rows(120)
    first = full[full["date_day"] < full["date_day"].max() - pd.Timedelta(days=19)]
    write_table(db, first)
    connectors.sync(store, wsid, "wh")
    prev = previous_model(store, wsid, tmp_path)
    created = schedules.create(store, wsid, ScheduleIn(name="nightly", cron="daily"))
    assert created.model_id == prev and created.next_run_at is not None

    # due: tick enqueues one run, a second tick while it is queued adds none
    later = created.next_run_at + timedelta(minutes=1)
    assert len(schedules.tick(store, later)) == 1
    assert schedules.tick(store, later + timedelta(days=1)) == []

    write_table(db, full)  # 20 new days arrived in the warehouse
    run_one(store)
    sched = schedules.list_schedules(store, wsid)[0]
    run = sched.runs[0]
    assert run.status == "succeeded" and run.step == "done", run.error
    assert sched.model_id == run.new_model_id != prev
    assert run.summary["periods"]["added"] == 20
    assert {c["channel"] for c in run.summary["channels"]} == {"Google Ads", "Meta Ads"}
    assert any("step: refit" in line for line in run.log)

    # a currency change mid-series: the chain stops at validate, the model stays current
    write_table(db, ad_rows(120, currency_change=True))
    schedules.run_now(store, wsid, "nightly")
    run_one(store)
    sched = schedules.list_schedules(store, wsid)[0]
    failed = sched.runs[0]
    assert (failed.status, failed.step) == ("failed", "validate")
    assert "connector_currency_change" in (failed.error or "")
    assert sched.model_id == run.new_model_id
    with store.session() as s:
        assert s.query(Model).count() == 2  # nothing half-written


def test_failed_sync_stops_the_chain(store: Store, ws: tuple[str, Path], tmp_path: Path) -> None:
    wsid, db = ws
    with store.session() as s:
        s.add(
            Model(
                id="mdl_prev",
                workspace_id=wsid,
                name="first",
                engine="ridge",
                mapping=fivetran_mapping(ad_rows(10), None).to_yaml(),
                spec="{}",
                status="succeeded",
                result_artifact="x",
            )
        )
    schedules.create(store, wsid, ScheduleIn(name="weekly", cron="weekly", model_id="mdl_prev"))
    db.unlink()  # the warehouse file is gone
    schedules.run_now(store, wsid, "weekly")
    with pytest.raises(MixwiseError, match="has a run queued"):
        schedules.run_now(store, wsid, "weekly")
    run_one(store)
    sched = schedules.list_schedules(store, wsid)[0]
    assert (sched.runs[0].status, sched.runs[0].step) == ("failed", "sync")
    assert "not found" in (sched.runs[0].error or "")
    assert sched.model_id == "mdl_prev"
    with store.session() as s:
        assert s.get(Schedule, sched.id) is not None
