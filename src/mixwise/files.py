"""Files written for the user (plan.json, mapping.yaml, reports, CSV exports ...): whole or not
at all. A temporary file beside the target is filled, then renamed over it, so a crash never
leaves half a file and readers see either the old file or the new one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def write_text_atomic(path: str | Path, text: str, mode: int | None = None) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename. ``mode``: the file's
    permissions (default: what the umask gives a new file, as ``open`` would)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: str | Path, data: BaseModel | dict[str, Any] | list[Any]) -> Path:
    """Write ``data`` (a schema document, or plain JSON data) as indented JSON, atomically
    (see :func:`write_text_atomic`). Anything JSON cannot hold is an error, never its str()."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return write_text_atomic(path, json.dumps(data, indent=2))
