"""`mixwise connect` and `mixwise schedule`: a warehouse connector added with a secret that is
never printed, synced, exported; a schedule added, listed, run and refused when busy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import text

from mixwise.service import credentials, workspaces
from mixwise.store import close_stores, open_store
from mixwise.store.models import Model

SECRET_URL_PART = "duckdb:///"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for var in ("MIXWISE_DATABASE_URL", "MIXWISE_ARTIFACTS", "MIXWISE_DEFAULT_TIER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MIXWISE_HOME", str(tmp_path))
    monkeypatch.setenv(credentials.ENV, credentials.new_key())
    yield tmp_path
    close_stores()


def test_connect_and_schedule_commands(home: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    db = home / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE ad_reporting__ad_report AS SELECT current_date - 2 AS date_day, "
        "'Google Ads' AS platform, 'Brand' AS campaign_name, 5.0 AS spend"
    )
    con.close()
    workspaces.ensure_workspace(open_store(), "acme")
    r = run_cli(
        "connect",
        "add",
        "warehouse",
        "-w",
        "acme",
        "--name",
        "wh",
        "--secret",
        f"url=duckdb:///{db}",
        "-s",
        "currency=USD",
    )
    assert r.exit_code == 0 and "encrypted" in r.out
    assert str(db) not in r.text
    bad = run_cli(
        "connect",
        "add",
        "warehouse",
        "-w",
        "acme",
        "--name",
        "x",
        "-s",
        "curency=USD",
        "--secret",
        "url=sqlite://",
    )
    assert bad.exit_code == 2 and "unknown setting(s) 'curency'" in bad.text
    r = run_cli("connect", "sync", "wh", "-w", "acme")
    assert r.exit_code == 0 and "1 rows landed" in r.out
    r = run_cli("connect", "list", "-w", "acme")
    assert "wh" in r.out and "ok" in r.out and str(db) not in r.out
    out = home / "rows.csv"
    mapping = home / "mapping.yaml"
    r = run_cli("connect", "export", "-w", "acme", "-o", str(out), "--mapping", str(mapping))
    assert r.exit_code == 0 and "Google Ads" in out.read_text()
    assert "fivetran_ad_reporting" in mapping.read_text()
    assert "google_ads_spend" in mapping.read_text()
    with open_store().engine.connect() as conn:
        assert str(db) not in conn.execute(text("SELECT secret FROM connectors")).scalar_one()

    bad = run_cli("schedule", "add", "nightly", "-w", "acme", "--cron", "every day")
    assert bad.exit_code == 2 and "cron: 'every day'" in bad.text
    none = run_cli("schedule", "add", "nightly", "-w", "acme")
    assert none.exit_code == 2 and "no fitted model" in none.text
    store = open_store()
    ws = workspaces.workspace_named(store, "acme").id
    with store.session() as s:
        s.add(
            Model(
                id="mdl_1",
                workspace_id=ws,
                name="m",
                engine="ridge",
                mapping="",
                spec="",
                result_artifact="models/x",
            )
        )
    r = run_cli("schedule", "add", "nightly", "-w", "acme", "--cron", "weekly")
    assert r.exit_code == 0 and "keeps mdl_1 current" in r.out
    assert run_cli("schedule", "run", "nightly", "-w", "acme").exit_code == 0
    busy = run_cli("schedule", "run", "nightly", "-w", "acme")
    assert busy.exit_code == 2 and "queued or running" in busy.text
    r = run_cli("schedule", "list", "-w", "acme")
    assert "nightly" in r.out and "queued at sync" in r.out
    assert "0 run(s) queued" in run_cli("schedule", "tick").out
    assert run_cli("schedule", "remove", "nightly", "-w", "acme").exit_code == 0
    assert run_cli("connect", "remove", "wh", "-w", "acme").exit_code == 0
