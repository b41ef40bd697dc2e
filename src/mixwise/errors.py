"""One error hierarchy for everything a user can get wrong.

The CLI prints ``message`` and ``hint`` (exit code 2), the API turns them into RFC 9457 problem
documents. Internal bugs are plain exceptions and exit with code 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class FindingLike(Protocol):
    """What an error needs of a data finding (:class:`mixwise.data.findings.Finding`); errors
    sit below every layer, so they name findings by shape, not by import."""

    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def hint(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


class MixwiseError(Exception):
    """A mistake the user can fix: bad input, bad mapping, impossible request."""

    code: str = "mixwise_error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\nHint: {self.hint}" if self.hint else self.message


class InputFileError(MixwiseError):
    """A file cannot be found, opened or parsed as a table."""

    code = "input_file"


class TableTooLarge(InputFileError):
    """A table past a read limit (unpacked size, rows, columns, cells, text length), refused
    before it is parsed where the format allows (``mixwise.data.limits``)."""

    code = "table_too_large"


class TooManyRows(TableTooLarge):
    """A table with more rows than allowed."""

    code = "too_many_rows"


class MappingError(MixwiseError):
    """The mapping (which column plays which role) is invalid or does not fit the data."""

    code = "mapping"


class SpecError(MixwiseError):
    """A model specification is invalid."""

    code = "spec"


class ValidationFailed(MixwiseError):
    """The data has error-level findings; nothing was fitted or written."""

    code = "validation_failed"

    def __init__(self, findings: Sequence[FindingLike]) -> None:
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity == "error"]  # Severity.ERROR
        first = errors[0] if errors else None
        message = f"The data has {len(errors)} error(s)" + (
            f"; first: [{first.code}] {first.message}" if first else ""
        )
        hint = first.hint if first else "Run `mixwise validate` to see every finding."
        super().__init__(message, hint)


class EngineUnavailable(MixwiseError):
    """An engine whose own environment is not installed (``mixwise engines install NAME``)."""

    code = "engine_unavailable"


class EngineFailed(MixwiseError):
    """An engine's worker process died or failed; nothing was kept (the message says where its
    log is)."""

    code = "engine_failed"
