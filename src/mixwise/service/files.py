"""Files a use case writes for the user (plan.json, mapping.yaml ...): written whole or not at
all (a temporary file beside the target, then a rename), so a crash never leaves half a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def write_json_atomic(path: Path, data: BaseModel | dict[str, Any] | list[Any]) -> Path:
    """Write ``data`` (a schema document, or plain JSON data) as indented JSON, atomically
    (see :func:`write_text_atomic`). Anything JSON cannot hold is an error, never its str()."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return write_text_atomic(path, json.dumps(data, indent=2))
