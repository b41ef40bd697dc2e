"""The server's log set-up: uvicorn's, with secrets redacted from every line.

An API key belongs in the ``Authorization`` header; one sent in a query string is refused (401)
but would reach the access log in full. :class:`RedactSecrets` replaces the value of
secret-looking query parameters (``key``, ``api_key``, ``token``, ...) and anything shaped like a
mixwise key (``mw_...``) with ``***`` before a line is written.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:api[_-]?key|key|access[_-]?token|token|auth|authorization|password|secret)=)"
    r"[^&;#\s\"]*"
)
_KEY = re.compile(r"mw_[A-Za-z0-9_\-]+")


def redact(text: str) -> str:
    """``text`` with secret query values and mixwise keys replaced by ``***``."""
    return _KEY.sub("mw_***", _SECRET_PARAM.sub(r"\1***", text))


class RedactSecrets(logging.Filter):
    """Redact the message and string arguments of every record that passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with :class:`RedactSecrets` on its loggers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": f"{__name__}.RedactSecrets"}}
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        config["loggers"].setdefault(name, {})["filters"] = ["redact"]
    return config
