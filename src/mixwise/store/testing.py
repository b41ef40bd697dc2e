"""Throw-away databases for tests: a fresh PostgreSQL database per test session, dropped after.

The admin URL (a database the test user may connect to and create databases from) is
``MIXWISE_TEST_POSTGRES_URL``, by default ``postgresql://postgres@127.0.0.1:5432/test``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mixwise.store.db import Store, _create
from mixwise.store.settings import Settings, normalise_url

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return normalise_url(os.environ.get("MIXWISE_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL))


def postgres_available() -> bool:
    """Whether the test PostgreSQL server answers."""
    engine = create_engine(admin_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def temporary_postgres_database(prefix: str = "mixwise_test") -> Iterator[str]:
    """Create ``<prefix>_<random>``, yield its URL, drop it (forcefully) afterwards."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url()).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_store(kind: str, home: Path, **overrides: Any) -> Iterator[Store]:
    """An open, migrated store in ``home`` on SQLite (``kind="sqlite"``) or on a fresh
    PostgreSQL database (``kind="postgresql"``); disposed (and the database dropped) after.
    MLflow tracking is off unless ``tracking=True`` is passed."""
    overrides.setdefault("tracking", False)
    if kind == "sqlite":
        settings = Settings.from_env({"MIXWISE_HOME": str(home)}, **overrides)
        store = _create(settings, migrate_db=True)
        try:
            yield store
        finally:
            store.dispose()
        return
    with temporary_postgres_database() as url:
        settings = Settings.from_env(
            {"MIXWISE_HOME": str(home), "MIXWISE_DATABASE_URL": url}, **overrides
        )
        store = _create(settings, migrate_db=True)
        try:
            yield store
        finally:
            store.dispose()
