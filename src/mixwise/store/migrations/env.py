"""Alembic environment: run migrations on the connection the store hands over.

The store calls ``alembic.command.upgrade`` with ``config.attributes["connection"]`` set (see
:func:`mixwise.store.db.migrate`); the ``alembic`` command line works too with
``-x url=<database url>`` (e.g. for ``alembic revision --autogenerate`` during development).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mixwise.store import accounts as _accounts  # noqa: F401  (registers its tables)
from mixwise.store import benchmarks as _benchmarks  # noqa: F401  (registers its table)
from mixwise.store import connectors as _connectors  # noqa: F401  (registers its tables)
from mixwise.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database URL: alembic -x url=sqlite:///path/to/mixwise.db ...")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
