"""Persistence of the service: settings, database (SQLAlchemy 2 + Alembic) and artifacts."""

from mixwise.store import accounts as _accounts  # noqa: F401  (registers the tables)
from mixwise.store import benchmarks as _benchmarks  # noqa: F401  (registers its table)
from mixwise.store import connectors as _connectors  # noqa: F401  (registers the tables)
from mixwise.store.db import Store, close_stores, open_store
from mixwise.store.settings import Settings

__all__ = ["Settings", "Store", "close_stores", "open_store"]
