"""Errors of the service layer. Each maps to one HTTP status in the API (``mixwise.api.problems``)
and to exit code 2 in the CLI, like every :class:`~mixwise.errors.MixwiseError`."""

from __future__ import annotations

from mixwise.errors import MixwiseError

__all__ = [
    "Conflict",
    "NotFound",
    "NotImplementedYet",
    "Unauthorized",
    "UnsupportedFile",
]


class NotFound(MixwiseError):
    """No such object in this workspace (objects of other workspaces are 'not found' too)."""

    code = "not_found"

    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(
            f"{kind} {object_id!r} not found",
            f"List the {kind}s of your workspace to see which ids exist.",
        )


class Conflict(MixwiseError):
    """The object is not in a state that allows the request (e.g. results of a running fit)."""

    code = "conflict"


class Unauthorized(MixwiseError):
    """No valid API key."""

    code = "unauthorized"


class NotImplementedYet(MixwiseError):
    """A capability this installation does not have yet (e.g. the report builder)."""

    code = "not_implemented"


class UnsupportedFile(MixwiseError):
    """An upload that is not a table mixwise can read."""

    code = "unsupported_file"
