"""`mixwise admin`: users, tiers, credits and usage through the service use cases; bad input
exits 2 with a message and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mixwise.service import billing, workspaces
from mixwise.store import close_stores, open_store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for var in ("MIXWISE_DATABASE_URL", "MIXWISE_ARTIFACTS", "MIXWISE_DEFAULT_TIER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MIXWISE_HOME", str(tmp_path))
    yield tmp_path
    close_stores()


def test_admin_users_tier_and_credits(home: Path, run_cli, capsys) -> None:  # type: ignore[no-untyped-def]
    r = run_cli(
        "admin", "users", "create", "Ann@Example.com", "--workspace", "acme", "--role", "owner"
    )
    assert r.exit_code == 0 and "ann@example.com is owner in acme" in r.text
    assert "/#/reset?token=" in r.err  # the invitation link, from the default mailer's log
    assert run_cli("admin", "tier", "acme", "gold").exit_code == 2
    r = run_cli("admin", "tier", "acme", "professional")
    assert r.exit_code == 0 and "Professional" in r.out
    assert "balance 120" in run_cli("admin", "credits", "acme", "--grant", "120").out
    assert "balance 40" in run_cli("admin", "credits", "acme", "--set", "40").out
    bad = run_cli("admin", "users", "create", "x@example.com", "-w", "acme", "-r", "boss")
    assert bad.exit_code == 2 and "unknown role" in bad.text
    store = open_store()
    p = workspaces.operator(store, "acme")
    billing.charge(store, p, "basic_mmm", "one")
    r = run_cli("admin", "usage", "acme")
    assert r.exit_code == 0 and "basic_mmm" in r.out
    assert billing.credits(store, p.workspace_id).balance == 30
    assert "workspace.tier" in run_cli("admin", "audit", "acme").out
