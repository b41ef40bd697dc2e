"""Database sources for :func:`mixwise.data.loaders.read_table`: DuckDB and SQLite files and
SQLAlchemy URLs. Each runs the mapping's ``source.sql`` and returns the result with native types.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from mixwise.errors import InputFileError

_SQL_HINT = 'Add the query to the mapping, e.g. source: {sql: "SELECT * FROM weekly_media"}.'


def read_database_file(path: Path, sql: str | None) -> pd.DataFrame:
    """Run ``sql`` on a DuckDB (read-only) or SQLite file, told apart by the file's header."""
    _require_sql(str(path), sql)
    assert sql is not None
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        return _read_sqlalchemy(f"sqlite:///{path.resolve()}", sql, shown=str(path))
    return _read_duckdb(path, sql)


def read_url(url: str, sql: str | None) -> pd.DataFrame:
    """Run ``sql`` on a database URL (``duckdb:///file`` natively, anything else via SQLAlchemy)."""
    shown = redact_url(url)
    _require_sql(shown, sql)
    assert sql is not None
    if url.startswith("duckdb://"):
        database = url.removeprefix("duckdb://").removeprefix("/")
        if database in ("", ":memory:"):
            return _read_duckdb(None, sql)
        path = Path(database)
        if not path.is_file():
            raise InputFileError(f"DuckDB file not found: {path}", "Check the path in the URL.")
        return _read_duckdb(path, sql)
    return _read_sqlalchemy(url, sql, shown=shown)


def _require_sql(shown: str, sql: str | None) -> None:
    if not sql or not sql.strip():
        raise InputFileError(f"{shown} is a database: the mapping needs source.sql", _SQL_HINT)


def _read_duckdb(path: Path | None, sql: str) -> pd.DataFrame:
    import duckdb

    shown = str(path) if path else "DuckDB (in memory)"
    try:
        con = duckdb.connect(str(path), read_only=True) if path else duckdb.connect()
    except duckdb.Error as exc:
        raise InputFileError(
            f"{shown} could not be opened as a DuckDB database: {exc}",
            "Check that the file is a DuckDB database written by a compatible DuckDB version.",
        ) from exc
    try:
        result = con.execute(sql)
        if result.description is None:
            raise InputFileError(
                f"the query on {shown} returned no table", "source.sql must be a SELECT query."
            )
        return result.df()
    except duckdb.Error as exc:
        raise InputFileError(
            f"the query on {shown} failed: {exc}", "Fix source.sql (try it in the duckdb CLI)."
        ) from exc
    finally:
        con.close()


def _read_sqlalchemy(url: str, sql: str, shown: str) -> pd.DataFrame:
    import sqlalchemy as sa
    from sqlalchemy import exc as sa_exc

    try:
        parsed = sa.engine.make_url(url)
        engine = sa.create_engine(parsed)
    except sa_exc.ArgumentError as exc:
        raise InputFileError(
            f"{shown} is not a valid database URL: {exc}",
            "Use a SQLAlchemy URL such as sqlite:///data.db or postgresql://user@host/db.",
        ) from exc
    except (sa_exc.NoSuchModuleError, ImportError) as exc:
        raise InputFileError(
            f"{shown}: no database driver for this URL ({exc})",
            "Install the driver for your database (e.g. psycopg for PostgreSQL), or export the "
            "table to Parquet/CSV.",
        ) from exc
    database = parsed.database or ""
    is_file = database not in ("", ":memory:") and not database.startswith("file:")
    if parsed.get_backend_name() == "sqlite" and is_file and not Path(database).is_file():
        raise InputFileError(f"SQLite file not found: {database}", "Check the path in the URL.")
    try:
        with engine.connect() as conn:
            return pd.read_sql(sa.text(sql), conn)
    except sa_exc.ResourceClosedError as exc:
        raise InputFileError(
            f"the query on {shown} returned no table", "source.sql must be a SELECT query."
        ) from exc
    except (sa_exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) else exc
        detail = getattr(cause, "orig", None) or cause or exc
        raise InputFileError(
            f"the query on {shown} failed: {detail}",
            "Fix source.sql (try it in your database client first).",
        ) from exc
    finally:
        engine.dispose()


def redact_url(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    return re.sub(r"(://[^:/@]+:)[^/]*@", r"\1***@", url)
