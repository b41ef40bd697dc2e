"""Database engine, sessions and automatic migrations.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every transaction starts
with ``BEGIN IMMEDIATE``: a transaction that reads and then writes can never fail half-way
because another process wrote in between (SQLite's "database is locked" on lock upgrade), at the
price of serialising writers, which is what SQLite does anyway. PostgreSQL is used as is.

Migrations run on first use in each process (:func:`open_store`), under a lock (a file lock
for SQLite, an advisory lock for PostgreSQL) so that a server and its workers starting together
do not race.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from mixwise.errors import MixwiseError
from mixwise.store.artifacts import ArtifactStore
from mixwise.store.settings import Settings, redacted

MIGRATIONS = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_ID = 0x6D6978  # "mix"
_lock = threading.Lock()
_stores: dict[tuple[str, str], Store] = {}


@dataclass(frozen=True, eq=False)
class Store:
    """An open database (engine + session factory) and the artifact directory."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    artifacts: ArtifactStore

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as s, s.begin():
            yield s

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE``."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
        cur = dbapi_conn.cursor()
        if url not in ("sqlite://", "sqlite:///:memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_store(settings: Settings | None = None, migrate_db: bool = True) -> Store:
    """The store for ``settings`` (from the environment by default), migrated on first use.

    One store per (database, artifacts) per process: engines are pooled and shared.
    """
    settings = settings or Settings.from_env()
    key = (settings.database_url, str(settings.artifacts))
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _create(settings, migrate_db)
            _stores[key] = store
    return store


def close_stores() -> None:
    """Dispose every engine opened by :func:`open_store` (tests, worker shutdown)."""
    with _lock:
        for store in _stores.values():
            store.dispose()
        _stores.clear()


def _create(settings: Settings, migrate_db: bool) -> Store:
    settings.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    _private_sqlite_file(settings.database_url)
    engine = make_engine(settings.database_url)
    if migrate_db:
        migrate(engine, settings)
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Store(settings, engine, sessions, ArtifactStore(settings.artifacts))


def migrate(engine: Engine, settings: Settings) -> None:
    """Bring the schema to the newest Alembic revision (idempotent, safe across processes)."""
    try:
        if engine.dialect.name == "sqlite":
            with _file_lock(settings.home / ".migrate.lock"), engine.connect() as conn:
                _upgrade(conn)
        else:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK_ID})
                conn.commit()
                try:
                    _upgrade(conn)
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK_ID})
                    conn.commit()
    except MixwiseError:
        raise
    except Exception as exc:
        if "OperationalError" not in type(exc).__name__:
            raise
        raise MixwiseError(
            f"cannot open the database {redacted(str(engine.url))}: {exc.__class__.__name__}",
            "Check MIXWISE_DATABASE_URL (server running, database created, credentials).",
        ) from exc


def _upgrade(conn: Any) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
    conn.commit()


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file (and tighten an existing one) readable by its owner only; its WAL
    and shared-memory files take the same permissions from SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError, PermissionError):
            part.chmod(0o600)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
