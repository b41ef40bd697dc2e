"""Service settings, read from the environment (``MIXWISE_*``) with defaults that need no set-up.

============================== ==================================================================
``MIXWISE_HOME``               where the embedded database and artifacts live (``~/.mixwise``)
``MIXWISE_DATABASE_URL``       a SQLAlchemy URL; default ``sqlite:///$MIXWISE_HOME/mixwise.db``;
                               ``postgresql://user@host/db`` for production (psycopg 3)
``MIXWISE_ARTIFACTS``          artifact directory (default ``$MIXWISE_HOME/artifacts``)
``MIXWISE_MAX_UPLOAD_MB``      upload size limit in MiB (50)
``MIXWISE_MAX_UPLOAD_ROWS``    row limit of an uploaded table (1,000,000)
``MIXWISE_MAX_UNPACKED_MB``    what an upload may unpack to (xlsx, Parquet, gzip) in MiB (256)
``MIXWISE_MAX_COLUMNS``        column limit of an uploaded table (2,000)
``MIXWISE_CORS_ORIGINS``       comma-separated origins allowed to call the API from a browser
                               (default: none besides the app's own origin, set by ``serve``)
``MIXWISE_WORKSPACE_JOBS``     jobs one workspace may run at the same time (2)
``MIXWISE_HEARTBEAT_S``        how often a worker reports that it is alive (2 s)
``MIXWISE_STALE_AFTER_S``      a running job whose heartbeat is older is reclaimed (60 s)
``MIXWISE_JOB_ATTEMPTS``       attempts per job before a dead worker's job is failed (2)
``MIXWISE_LOCKOUT_ATTEMPTS``   failed sign-ins in a row that lock an account (5)
``MIXWISE_LOCKOUT_S``          how long a locked account stays locked (900 s)
``MIXWISE_SESSION_HOURS``      how long a dashboard sign-in lasts (12 h)
``MIXWISE_RATE_FITS``          fits one key or one user may start per minute (10)
``MIXWISE_RATE_PLANS``         optimizer runs one key or one user may start per minute (60)
``MIXWISE_DEFAULT_TIER``       plan tier of workspaces created from now on (none: unmetered)
``MIXWISE_OIDC_ISSUER``        an OpenID Connect provider to sign in with (none: passwords only)
``MIXWISE_OIDC_CLIENT_ID``     this server's client id at the provider
``MIXWISE_OIDC_CLIENT_SECRET`` and its secret
``MIXWISE_TRACKING``           ``off`` stops logging fits, cv and refreshes to MLflow (default on)
``MLFLOW_TRACKING_URI``        an MLflow tracking server (default: a SQLite store and artifact
                               folder under ``$MIXWISE_HOME/mlruns``)
============================== ==================================================================
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from mixwise.data.limits import ReadLimits
from mixwise.errors import MixwiseError

_LIMITS = ReadLimits()
"""The library's read limits: the server's defaults (the cell and text limits stay these)."""


class Settings(BaseModel):
    """Everything the store, the job runner and the API need to know about their environment."""

    model_config = ConfigDict(frozen=True)

    home: Path
    database_url: str
    artifacts: Path
    max_upload_bytes: int = Field(default=50 * 2**20, gt=0)
    max_upload_rows: int = Field(default=_LIMITS.max_rows, gt=0)
    max_unpacked_bytes: int = Field(default=_LIMITS.max_unpacked_bytes, gt=0)
    max_columns: int = Field(default=_LIMITS.max_columns, gt=0)
    cors_origins: tuple[str, ...] = ()
    workspace_jobs: int = Field(default=2, ge=1)
    heartbeat_s: float = Field(default=2.0, gt=0)
    stale_after_s: float = Field(default=60.0, gt=0)
    job_attempts: int = Field(default=2, ge=1)
    lockout_attempts: int = Field(default=5, ge=1)
    lockout_s: float = Field(default=900.0, gt=0)
    session_hours: float = Field(default=12.0, gt=0)
    rate_fits: int = Field(default=10, ge=1)
    rate_plans: int = Field(default=60, ge=1)
    default_tier: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = Field(default=None, repr=False)
    tracking: bool = True
    tracking_uri: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def read_limits(self) -> ReadLimits:
        """The limits an uploaded table is held to (cells and text length: the defaults)."""
        return ReadLimits(
            max_unpacked_bytes=self.max_unpacked_bytes,
            max_rows=self.max_upload_rows,
            max_columns=self.max_columns,
        )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``env`` (default ``os.environ``); keyword overrides win."""
        e = dict(os.environ if env is None else env)
        home = Path(e.get("MIXWISE_HOME") or Path.home() / ".mixwise").expanduser()
        values: dict[str, object] = {
            "home": home,
            "database_url": normalise_url(
                e.get("MIXWISE_DATABASE_URL") or f"sqlite:///{home / 'mixwise.db'}"
            ),
            "artifacts": Path(e.get("MIXWISE_ARTIFACTS") or home / "artifacts").expanduser(),
        }
        numbers: dict[str, tuple[str, Callable[[str], object]]] = {
            "max_upload_bytes": ("MIXWISE_MAX_UPLOAD_MB", _mib_to_bytes),
            "max_upload_rows": ("MIXWISE_MAX_UPLOAD_ROWS", int),
            "max_unpacked_bytes": ("MIXWISE_MAX_UNPACKED_MB", _mib_to_bytes),
            "max_columns": ("MIXWISE_MAX_COLUMNS", int),
            "workspace_jobs": ("MIXWISE_WORKSPACE_JOBS", int),
            "heartbeat_s": ("MIXWISE_HEARTBEAT_S", float),
            "stale_after_s": ("MIXWISE_STALE_AFTER_S", float),
            "job_attempts": ("MIXWISE_JOB_ATTEMPTS", int),
            "lockout_attempts": ("MIXWISE_LOCKOUT_ATTEMPTS", int),
            "lockout_s": ("MIXWISE_LOCKOUT_S", float),
            "session_hours": ("MIXWISE_SESSION_HOURS", float),
            "rate_fits": ("MIXWISE_RATE_FITS", int),
            "rate_plans": ("MIXWISE_RATE_PLANS", int),
        }
        for field, (var, conv) in numbers.items():
            if e.get(var):
                try:
                    values[field] = conv(e[var])
                except ValueError:
                    raise MixwiseError(
                        f"{var}={e[var]!r} is not a number", f"Set {var} to a number or unset it."
                    ) from None
        if e.get("MIXWISE_CORS_ORIGINS"):
            origins = [o.strip() for o in e["MIXWISE_CORS_ORIGINS"].split(",")]
            values["cors_origins"] = tuple(o for o in origins if o)
        if e.get("MIXWISE_DEFAULT_TIER"):
            values["default_tier"] = e["MIXWISE_DEFAULT_TIER"].strip()
        for field in ("oidc_issuer", "oidc_client_id", "oidc_client_secret"):
            if e.get(f"MIXWISE_{field.upper()}"):
                values[field] = e[f"MIXWISE_{field.upper()}"].strip()
        if e.get("MIXWISE_TRACKING"):
            values["tracking"] = _switch("MIXWISE_TRACKING", e["MIXWISE_TRACKING"])
        if e.get("MLFLOW_TRACKING_URI"):
            values["tracking_uri"] = e["MLFLOW_TRACKING_URI"].strip()
        values.update(overrides)
        return cls.model_validate(values)

    def to_env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings (for worker processes)."""
        return {
            "MIXWISE_HOME": str(self.home),
            "MIXWISE_DATABASE_URL": self.database_url,
            "MIXWISE_ARTIFACTS": str(self.artifacts),
            "MIXWISE_MAX_UPLOAD_MB": str(self.max_upload_bytes / 2**20),
            "MIXWISE_MAX_UPLOAD_ROWS": str(self.max_upload_rows),
            "MIXWISE_MAX_UNPACKED_MB": str(self.max_unpacked_bytes / 2**20),
            "MIXWISE_MAX_COLUMNS": str(self.max_columns),
            "MIXWISE_CORS_ORIGINS": ",".join(self.cors_origins),
            "MIXWISE_WORKSPACE_JOBS": str(self.workspace_jobs),
            "MIXWISE_HEARTBEAT_S": str(self.heartbeat_s),
            "MIXWISE_STALE_AFTER_S": str(self.stale_after_s),
            "MIXWISE_JOB_ATTEMPTS": str(self.job_attempts),
            "MIXWISE_LOCKOUT_ATTEMPTS": str(self.lockout_attempts),
            "MIXWISE_LOCKOUT_S": str(self.lockout_s),
            "MIXWISE_SESSION_HOURS": str(self.session_hours),
            "MIXWISE_RATE_FITS": str(self.rate_fits),
            "MIXWISE_RATE_PLANS": str(self.rate_plans),
            "MIXWISE_DEFAULT_TIER": self.default_tier or "",
            "MIXWISE_OIDC_ISSUER": self.oidc_issuer or "",
            "MIXWISE_OIDC_CLIENT_ID": self.oidc_client_id or "",
            "MIXWISE_OIDC_CLIENT_SECRET": self.oidc_client_secret or "",
            "MIXWISE_TRACKING": "on" if self.tracking else "off",
        } | ({"MLFLOW_TRACKING_URI": self.tracking_uri} if self.tracking_uri else {})


def _switch(var: str, value: str) -> bool:
    """``on``/``off`` (also ``1``/``0``, ``true``/``false``, ``yes``/``no``)."""
    text = value.strip().lower()
    if text in ("on", "1", "true", "yes"):
        return True
    if text in ("off", "0", "false", "no"):
        return False
    raise MixwiseError(f"{var}={value!r} is not on or off", f"Set {var} to on or off.")


def _mib_to_bytes(value: str) -> int:
    return int(float(value) * 2**20)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` / ``postgres://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted(url: str) -> str:
    """The URL with any password replaced by ``***`` (for logs and messages)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database url>"
