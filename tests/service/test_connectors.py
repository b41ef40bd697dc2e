"""Connectors in the store: secrets encrypted with MIXWISE_SECRET_KEY (never in a response,
never in the database in clear), incremental syncs that replace the lookback days, and a
failed sync that stores nothing and records what to do."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from tests.data.connectors.replay import Replay, recorded

from mixwise.data.connectors import ConnectorAuthError
from mixwise.errors import MixwiseError
from mixwise.service import connectors, credentials
from mixwise.service.schemas.connectors import ConnectorIn
from mixwise.store import Store
from mixwise.store.models import Workspace

TOKEN = "EAAB-very-secret-token"


@pytest.fixture
def ws(store: Store, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(credentials.ENV, credentials.new_key())
    with store.session() as s:
        s.add(Workspace(id="ws_1", name="acme"))
    connectors.add(
        store,
        "ws_1",
        ConnectorIn(
            name="meta",
            kind="meta_ads",
            settings={"account_id": "998877"},
            secrets={"access_token": TOKEN},
            lookback_days=1,
        ),
    )
    return "ws_1"


def meta_answers(*pages: str) -> list[tuple[int, object]]:
    return [(200, recorded("meta_account.json")), *((200, recorded(p)) for p in pages)]


def test_secret_is_encrypted_and_never_returned(store: Store, ws: str) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret FROM connectors")).scalar_one()
    assert TOKEN not in stored
    assert credentials.decrypt(stored) == {"access_token": TOKEN}
    listed = connectors.list_connectors(store, ws)
    assert TOKEN not in json.dumps([c.model_dump(mode="json") for c in listed])


def test_without_the_key_nothing_is_stored_or_read(
    store: Store, ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(credentials.ENV)
    with pytest.raises(MixwiseError, match="MIXWISE_SECRET_KEY is not set") as err:
        connectors.sync(store, ws, "meta", today=date(2024, 3, 3))
    assert "mixwise connect keygen" in err.value.hint
    monkeypatch.setenv(credentials.ENV, credentials.new_key())  # another key
    with pytest.raises(MixwiseError, match="cannot be decrypted"):
        connectors.sync(store, ws, "meta", today=date(2024, 3, 3))


def test_incremental_sync_replaces_the_lookback_days(store: Store, ws: str) -> None:
    first = Replay(meta_answers("meta_insights_page1.json", "meta_insights_page2.json"))
    today = date(2024, 3, 3)
    out, findings = connectors.sync(store, ws, "meta", today=today, client=first.client())
    assert (out.fetched_rows, out.landed_rows) == (3, 3)
    assert not [f for f in findings if f.severity == "error"]
    # the next day: the window is 03-02 (lookback 1) .. 03-03; 03-02's row is replaced
    second = Replay(meta_answers("meta_insights_page2.json"))
    out, _ = connectors.sync(store, ws, "meta", today=date(2024, 3, 4), client=second.client())
    since = second.requests[1].url.params["time_range"]
    assert since == '{"since":"2024-03-02","until":"2024-03-03"}'
    assert (out.fetched_rows, out.landed_rows) == (1, 3)
    row = connectors.list_connectors(store, ws)[0]
    assert row.last_day == date(2024, 3, 2) and row.last_status == "ok"
    assert len(connectors.workspace_rows(store, ws)) == 3


def test_expired_token_stores_nothing_and_says_what_to_do(store: Store, ws: str) -> None:
    replay = Replay([(400, recorded("meta_expired.json"))])
    with pytest.raises(ConnectorAuthError):
        connectors.sync(store, ws, "meta", today=date(2024, 3, 3), client=replay.client())
    row = connectors.list_connectors(store, ws)[0]
    assert row.last_status == "failed" and "Session has expired" in (row.last_error or "")
    assert row.last_day is None and connectors.workspace_rows(store, ws).empty
    assert TOKEN not in (row.last_error or "")


def test_names_are_unique_unless_replaced(store: Store, ws: str) -> None:
    body = ConnectorIn(
        name="meta", kind="meta_ads", settings={"account_id": "1"}, secrets={"access_token": "x"}
    )
    with pytest.raises(MixwiseError, match="a connector named 'meta' exists"):
        connectors.add(store, ws, body)
    connectors.add(store, ws, body.model_copy(update={"replace": True}))
    assert connectors.list_connectors(store, ws)[0].settings == {"account_id": "1"}
